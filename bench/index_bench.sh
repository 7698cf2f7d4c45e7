#!/usr/bin/env bash
# index_bench.sh -- index one corpus folder with corpsearch, omindex (Xapian
# Omega) and SQLite FTS5 in the same run; print wall time, articles/s, peak
# RSS and index size for each. Figures only: this is not a test.
#
# usage: bench/index_bench.sh CORPUS_DIR [CORPSEARCH_BINARY] [RUNS]
#   RUNS (default 1): runs per engine; the median is reported.
# Needs: xapian-omega (omindex), python3 (sqlite3), GNU time (/usr/bin/time).
# The full suite (medians of 3, compaction, search, serving) is bench/run.sh;
# this is the indexing part alone, quick to run by hand.
set -euo pipefail
corpus=$(realpath "$1")
cs=${2:-build/src/cli/corpsearch}
runs=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=$(find "$corpus" -name '*.txt' | wc -l)
mb=$(du -sm --apparent-size "$corpus" | cut -f1)

# run NAME OUTDIR CMD...: time CMD under /usr/bin/time; prints "secs rss_kb".
run() {
    local out=$2
    shift 2
    rm -rf "$out"
    # exit status 3 is corpsearch's "done, some input skipped"
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || [[ $? == 3 ]] || {
        echo "failed: $*" >&2; tail -5 "$work/stderr" >&2; return 1; }
    tail -1 "$work/time"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() {   # measure NAME OUTDIR CMD...
    local name=$1 out=$2
    shift 2
    local secs=() rss=()
    for _ in $(seq 1 "$runs"); do
        read -r s r < <(run "$name" "$out" "$@")
        secs+=("$s"); rss+=("$r")
    done
    local s r size
    s=$(printf '%s\n' "${secs[@]}" | median)
    r=$(printf '%s\n' "${rss[@]}" | median)
    size=$(du -sm --apparent-size "$out" | cut -f1)
    printf '%-22s %8.1f %10.0f %8.1f %9.0f %9s\n' "$name" "$s" "$(awk -v a="$n" -v b="$s" 'BEGIN{print a/b}')" \
        "$(awk -v a="$mb" -v b="$s" 'BEGIN{print a/b}')" "$((r / 1024))" "$size"
}

fts5() {   # the FTS5 anchor: unicode61 remove_diacritics 2 (bench/fts5_bench.py)
    python3 "$here/fts5_bench.py" index "$corpus" "$1"
}
export -f fts5
export corpus here

echo "corpus: $corpus ($n articles, $mb MB); $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
printf '%-22s %8s %10s %8s %9s %9s\n' engine seconds articles/s MB/s "peak MB" "index MB"
measure corpsearch "$work/cs" "$cs" index --quiet --index "$work/cs" "$corpus"
measure "omindex (Omega)" "$work/omega" omindex --db "$work/omega" --url / "$corpus"
measure "SQLite FTS5" "$work/fts5.db" bash -c 'fts5 "$0"' "$work/fts5.db"
