#!/usr/bin/env bash
# run.sh -- the whole benchmark suite on one corpus: indexing (corpsearch vs
# omindex vs SQLite FTS5), searching (corpsearch in-process vs quest-style
# plain Xapian vs FTS5), serving (wrk against `corpsearch serve`), and, with
# --scaling, corpsearch on synthetic corpora of growing size. Prints one
# table and writes the figures as one JSON object. Figures, not a test.
#
# usage: bench/run.sh [CORPUS_DIR] [--runs N] [--json OUT] [--quick]
#                     [--rounds N] [--http-seconds S] [--no-http]
#                     [--scaling [SIZES]] [--build DIR] [--queries FILE]
#   CORPUS_DIR      default: ../shared/corpus/vi-news-baomoi.tar.xz unpacked
#                   into a temporary folder (vi-news-dantri.tar.xz with
#                   --quick: smaller, so quicker to unpack)
#   --runs N        indexing runs per engine, median reported (default 3)
#   --rounds N      timed rounds over the query list (default 3)
#   --json OUT      where to write the JSON (default bench-results.json in
#                   the current folder); the raw records go to OUT with
#                   .jsonl for .json
#   --quick         smoke run: the first 2,000 articles, 1 run, 1 round,
#                   5 s of wrk; ~30 s on 2 cores (under a minute)
#   --http-seconds  how long wrk runs (default 30)
#   --scaling SIZES also run bench/scaling.sh with these sizes
#                   (comma-separated, default 35000,350000)
#   --build DIR     release build to use (made if missing; default
#                   build-bench/ in the repository)
#   --queries FILE  default bench/queries-mixed.txt
# Needs: xapian-omega (omindex), xapian-tools (xapian-compact), python3 with
# sqlite3 (FTS5), wrk, GNU time (/usr/bin/time), g++ for the Xapian anchor.
#
# Fairness: every engine indexes the same folder from a warm page cache, one
# engine at a time, runs interleaved (cs, omindex, fts5, cs, ...); all search
# the same queries (filters become phrases for the anchors, see
# anchor_queries.py) on their compacted/optimized index.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
corpus= runs=3 rounds=3 json=$PWD/bench-results.json quick=0 http_secs=30 http=1
scaling= build=$repo/build-bench queries=$here/queries-mixed.txt
while (($#)); do
    case $1 in
        --runs) runs=$2; shift ;;
        --rounds) rounds=$2; shift ;;
        --json) json=$(realpath -m "$2"); shift ;;
        --quick) quick=1 ;;
        --http-seconds) http_secs=$2; shift ;;
        --no-http) http=0 ;;
        --scaling)
            scaling=35000,350000
            if [[ ${2:-} =~ ^[0-9,]+$ ]]; then scaling=$2; shift; fi ;;
        --build) build=$(realpath -m "$2"); shift ;;
        --queries) queries=$(realpath "$2"); shift ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) corpus=$(realpath "$1") ;;
    esac
    shift
done
if ((quick)); then runs=1 rounds=1 http_secs=5; fi

for tool in omindex xapian-compact wrk /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/corpsearch-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'echo "run.sh: failed at line $LINENO" >&2' ERR
# Raw records, one JSON object a line, kept beside the JSON (and so kept if
# a later step fails): report.py RESULTS.jsonl prints the table again.
results=${json%.json}.jsonl
: >"$results"
record() { echo "$1" >>"$results"; }
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # log, index_bytes

# The build: release, no tests; the anchor program needs C++ and xapian-core.
if [[ ! -f $build/build.ninja ]]; then
    meson setup "$build" "$repo" --buildtype=release -Dtests=disabled >/dev/null
fi
ninja -C "$build" src/cli/corpsearch bench/bench_query bench/bench_xapian bench/fold_queries \
    >/dev/null
cs=$build/src/cli/corpsearch bq=$build/bench/bench_query bx=$build/bench/bench_xapian
fq=$build/bench/fold_queries

# The corpus.
if [[ -z $corpus ]]; then
    name=vi-news-baomoi
    ((quick)) && name=vi-news-dantri
    log "unpacking $name"
    tar -xJf "$repo/../shared/corpus/$name.tar.xz" -C "$work"
    corpus=$work/$name
fi
if ((quick)); then
    mkdir "$work/quick"
    find "$corpus" -name '*.txt' -not -name '.*' | sort >"$work/all-files"
    head -2000 "$work/all-files" | xargs -d '\n' cp -t "$work/quick"
    corpus=$work/quick
fi
articles=$(find "$corpus" -name '*.txt' -not -name '.*' | wc -l)
bytes=$(du -sb --apparent-size "$corpus" | cut -f1)
load() { cut -d' ' -f1-3 /proc/loadavg; }
record "$(python3 -c '
import json, sys, subprocess, time
model = [l.split(":", 1)[1].strip() for l in subprocess.run(["lscpu"], capture_output=True,
         text=True).stdout.splitlines() if l.startswith("Model name")]
import sqlite3
print(json.dumps({"type": "machine", "nproc": int(sys.argv[1]), "cpu_model": model[0] if model else "",
      "mem_mib": int(open("/proc/meminfo").readline().split()[1]) // 1024,
      "kernel": subprocess.run(["uname", "-r"], capture_output=True, text=True).stdout.strip(),
      "date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "corpsearch": sys.argv[2],
      "xapian": sys.argv[3], "sqlite": sqlite3.sqlite_version, "runs": int(sys.argv[4]),
      "rounds": int(sys.argv[5])}))' "$(nproc)" "$("$cs" --version | head -1)" \
      "$(xapian-config --version | sed 's/.* //')" "$runs" "$rounds")"
record "{\"type\": \"corpus\", \"path\": \"$corpus\", \"articles\": $articles, \"bytes\": $bytes}"
record "{\"type\": \"load\", \"when\": \"start\", \"load\": \"$(load)\"}"
log "corpus $corpus: $articles articles, $((bytes / 1048576)) MiB; load $(load)"

# Read the corpus once so that every engine starts from a warm page cache.
find "$corpus" -name '*.txt' -print0 | xargs -0 cat >/dev/null

# index_run ENGINE RUN OUT CMD...: time CMD, record wall, CPU, peak RSS, size.
index_run() {
    local engine=$1 run=$2 out=$3
    shift 3
    rm -rf "$out"
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || {
        local rc=$?
        # corpsearch exits 3 when some input was skipped: still a full run
        if [[ $engine != corpsearch || $rc != 3 ]]; then
            echo "run.sh: $engine failed:" >&2; tail -5 "$work/stderr" >&2; exit 1
        fi
    }
    local wall rss user sys size
    read -r wall rss user sys < <(tail -1 "$work/time")
    size=$(index_bytes "$out")
    record "{\"type\": \"index\", \"engine\": \"$engine\", \"run\": $run, \"wall_s\": $wall, \
\"rss_kb\": $rss, \"user_s\": $user, \"sys_s\": $sys, \"index_bytes\": $size}"
    log "$engine run $run: ${wall} s, peak ${rss} kB, $((size / 1048576)) MiB"
}

for run in $(seq 1 "$runs"); do
    index_run corpsearch "$run" "$work/cs" "$cs" index --quiet --index "$work/cs" "$corpus"
    index_run omindex "$run" "$work/omega" omindex --db "$work/omega" --url / "$corpus"
    index_run fts5 "$run" "$work/fts5.db" python3 "$here/fts5_bench.py" index "$corpus" "$work/fts5.db"
done

# compact_run ENGINE OUT CMD...: time a compaction, record the size of OUT.
compact_run() {
    local engine=$1 out=$2 t0 t1
    shift 2
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
    t1=$(date +%s.%N)
    record "{\"type\": \"compact\", \"engine\": \"$engine\", \"wall_s\": $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}'), \
\"index_bytes\": $(index_bytes "$out")}"
}
log "compacting"
compact_run corpsearch "$work/cs" "$cs" compact --index "$work/cs"
compact_run omindex "$work/omega-compact" xapian-compact "$work/omega" "$work/omega-compact"
compact_run fts5 "$work/fts5.db" python3 "$here/fts5_bench.py" optimize "$work/fts5.db"

# Searching, one engine at a time, on the compacted indexes.
python3 "$here/anchor_queries.py" "$queries" "$work/anchor-queries.txt"
# search_run ENGINE CMD...: CMD prints one JSON object and takes --per-query.
search_run() {
    local engine=$1
    shift
    log "searching: $engine"
    record "$("$@" --per-query "$work/per-query" | python3 -c '
import json, sys
r = json.load(sys.stdin)
r["type"], r["engine"] = "search", sys.argv[1]
r["per_query"] = [[float(a), int(b)] for a, b in (l.split() for l in open(sys.argv[2]))]
print(json.dumps(r))' "$engine" "$work/per-query")"
}
if [[ -f ${queries%.txt}.kinds ]]; then
    record "$(python3 -c 'import json, sys; print(json.dumps({"type": "kinds", "kinds": open(sys.argv[1]).read().split()}))' "${queries%.txt}.kinds")"
fi
search_run corpsearch "$bq" "$work/cs" "$queries" --rounds "$rounds" --json
search_run corpsearch+facets "$bq" "$work/cs" "$queries" --facets --rounds "$rounds" --json
search_run xapian "$bx" "$work/omega-compact" "$work/anchor-queries.txt" --rounds "$rounds" --json
# The same plain AND over corpsearch's folded terms (fold_queries.c): how
# much of the gap to the row above is folding, how much the rest.
"$fq" "$work/anchor-queries.txt" "$work/anchor-folded.txt"
search_run xapian-folded "$bx" "$work/cs" "$work/anchor-folded.txt" --no-stem \
    --rounds "$rounds" --json
search_run fts5 python3 "$here/fts5_bench.py" query "$work/fts5.db" "$work/anchor-queries.txt" \
    --rounds "$rounds" --json

# Serving.
if ((http)); then
    log "serving: wrk for $http_secs s"
    WARMUP=$((quick ? 1 : 5)) INPROC_ROUNDS=$rounds \
        "$here/http_bench.sh" "$cs" "$bq" "$work/cs" "$http_secs" "$queries" >"$work/http.out"
    record "$(sed -n 's/^JSON {/{"type": "serve", /p' "$work/http.out")"
fi
rm -rf "$work/cs" "$work/omega" "$work/omega-compact" "$work/fts5.db"

if [[ -n $scaling ]]; then
    # shellcheck disable=SC2086
    "$here/scaling.sh" --build "$build" --results "$results" --rounds "$rounds" \
        --queries "$queries" ${scaling//,/ }
fi
record "{\"type\": \"load\", \"when\": \"end\", \"load\": \"$(load)\"}"
echo
python3 "$here/report.py" "$results" --json "$json"
