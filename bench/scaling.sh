#!/usr/bin/env bash
# scaling.sh -- how corpsearch's costs grow with the corpus: for each size N,
# make N synthetic articles (bench/gen_corpus.py, recombined sentences of
# baomoi + dantri), index them once, compact, and time the suite's queries
# (with and without facets, and as a plain Xapian AND over the same index).
# Prints a table (and JSON with --json); corpus and index of each size are
# removed before the next.
#
# usage: bench/scaling.sh [--build DIR] [--json OUT] [--rounds N] [--seed S]
#                         [--queries FILE] [--results FILE] [--phrase-pairs]
#                         [SIZES...]
#   SIZES      default 35000 350000; the 1M row is a separate, longer run:
#              bench/scaling.sh 1000000 (about 3.5 GB of text; allow 15-25
#              min on 2 cores and ~10 GB of free disk)
#   --results  append the records to this JSON-lines file instead of
#              printing a report (bench/run.sh --scaling uses it)
#   --phrase-pairs  index with `corpsearch index --phrase-pairs` (rows
#              marked "+pairs")
#   TMPDIR     where corpora and indexes go (default /tmp)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=$repo/build-bench json= rounds=3 seed=1 results= queries=$here/queries-mixed.txt
pairs=()
sizes=()
while (($#)); do
    case $1 in
        --build) build=$(realpath -m "$2"); shift ;;
        --json) json=$(realpath -m "$2"); shift ;;
        --rounds) rounds=$2; shift ;;
        --seed) seed=$2; shift ;;
        --queries) queries=$(realpath "$2"); shift ;;
        --results) results=$(realpath -m "$2"); shift ;;
        --phrase-pairs) pairs=(--phrase-pairs) ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "scaling.sh: unknown option $1" >&2; exit 2 ;;
        *) sizes+=("$1") ;;
    esac
    shift
done
((${#sizes[@]})) || sizes=(35000 350000)

work=$(mktemp -d "${TMPDIR:-/tmp}/corpsearch-scaling.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'echo "scaling.sh: failed at line $LINENO" >&2' ERR
own_results=0
if [[ -z $results ]]; then
    results=$work/results.jsonl own_results=1
    echo "{\"type\": \"machine\", \"nproc\": $(nproc), \"cpu_model\": \"$(lscpu | sed -n 's/^Model name: *//p')\", \"date\": \"$(date '+%F %T %z')\"}" >"$results"
    echo "{\"type\": \"load\", \"when\": \"start\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >>"$results"
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"   # log, index_bytes

if [[ ! -f $build/build.ninja ]]; then
    meson setup "$build" "$repo" --buildtype=release -Dtests=disabled >/dev/null
fi
ninja -C "$build" src/cli/corpsearch bench/bench_query bench/bench_xapian bench/fold_queries \
    >/dev/null
cs=$build/src/cli/corpsearch bq=$build/bench/bench_query bx=$build/bench/bench_xapian
# The anchor row at every size: the suite's queries as a plain Xapian AND
# over corpsearch's folded words (as bench/run.sh's "folded" row), on the
# same index: how much of the growth is Xapian's matcher itself.
python3 "$here/anchor_queries.py" "$queries" "$work/anchor-queries.txt"
"$build/bench/fold_queries" "$work/anchor-queries.txt" "$work/anchor-folded.txt"

for n in "${sizes[@]}"; do
    corpus=$work/corpus-$n index=$work/index-$n
    log "generating $n articles"
    t0=$(date +%s)
    python3 "$here/gen_corpus.py" "$n" "$corpus" --seed "$seed"
    log "generated in $(( $(date +%s) - t0 )) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
    bytes=$(du -sb --apparent-size "$corpus" | cut -f1)
    find "$corpus" -name '*.txt' -print0 | xargs -0 cat >/dev/null   # warm cache
    load0=$(cut -d' ' -f1-3 /proc/loadavg)
    rc=0
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" \
        "$cs" index --quiet "${pairs[@]}" --index "$index" "$corpus" >/dev/null \
        2>"$work/stderr" || rc=$?
    if ((rc != 0 && rc != 3)); then tail -5 "$work/stderr" >&2; exit 1; fi
    read -r wall rss user sys < <(tail -1 "$work/time")
    size=$(index_bytes "$index")
    log "$n: indexed in $wall s, peak $rss kB, $((size / 1048576)) MiB"
    t0=$(date +%s.%N)
    "$cs" compact --index "$index" >/dev/null
    t1=$(date +%s.%N)
    csize=$(index_bytes "$index")
    nf=$("$bq" "$index" "$queries" --rounds "$rounds" --json)
    wf=$("$bq" "$index" "$queries" --rounds "$rounds" --facets --json)
    xf=$("$bx" "$index" "$work/anchor-folded.txt" --no-stem --rounds "$rounds" --json)
    echo "{\"type\": \"scaling\", \"articles\": $n, \"seed\": $seed, \"corpus_bytes\": $bytes, \
\"phrase_pairs\": $( ((${#pairs[@]})) && echo true || echo false), \
\"wall_s\": $wall, \"rss_kb\": $rss, \"user_s\": $user, \"sys_s\": $sys, \"index_bytes\": $size, \
\"compact_bytes\": $csize, \"compact_wall_s\": $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}'), \
\"load_before\": \"$load0\", \"search\": $nf, \"search_facets\": $wf, \"search_xapian_folded\": $xf}" \
        >>"$results"
    log "$n: search $(sed 's/.*"median_ms": \([0-9.]*\).*"p99_ms": \([0-9.]*\).*/median \1 ms, p99 \2 ms/' <<<"$wf") (facets)"
    rm -rf "$corpus" "$index"
done

if ((own_results)); then
    echo "{\"type\": \"load\", \"when\": \"end\", \"load\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" >>"$results"
    python3 "$here/report.py" "$results" ${json:+--json "$json"}
fi
