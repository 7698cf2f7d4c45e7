#!/usr/bin/env bash
# http_bench.sh -- the daemon under load: wrk on loopback (1 thread, 32
# connections, 30 s by default) over a query list with facets on, plus the
# in-process CPU time per query over the same list (bench_query), so the
# HTTP layer's cost and the machine's ceiling (cores / CPU per query) show.
#
# usage: bench/http_bench.sh CORPSEARCH BENCH_QUERY INDEX [SECONDS] [QUERIES]
# e.g.   bench/http_bench.sh build/src/cli/corpsearch build/bench/bench_query /tmp/ix-wrk
# QUERIES defaults to bench/queries-mixed.txt (lines "query<TAB>filters").
# WRK_THREADS and WRK_CONNECTIONS override wrk's -t and -c, WARMUP the
# seconds of warm-up (5), INPROC_ROUNDS the in-process rounds (3). The last line is
# "JSON {...}" with every figure, for bench/run.sh. Use a release build;
# needs wrk (apt-get install wrk). wrk shares the machine with the daemon,
# so on a small machine the ceiling is not reachable: wrk's own CPU is
# reported too.
set -euo pipefail
cs=$1 bq=$2 index=$3 secs=${4:-30}
here=$(cd "$(dirname "$0")" && pwd)
queries=${5:-$here/queries-mixed.txt}
wt=${WRK_THREADS:-1} wc=${WRK_CONNECTIONS:-32} warmup=${WARMUP:-5}
cores=$(nproc)
tick=$(getconf CLK_TCK)
log=$(mktemp)
pid=
trap 'rm -f "$log"; [[ -n $pid ]] && kill "$pid" 2>/dev/null; true' EXIT

"$cs" serve --quiet --index "$index" --listen 127.0.0.1:0 --threads "$cores" 2>"$log" &
pid=$!
port=
for _ in $(seq 100); do
    port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log")
    [[ -n $port ]] && break
    sleep 0.1
done
[[ -n $port ]] || { cat "$log" >&2; exit 1; }
base=http://127.0.0.1:$port
echo "$(head -1 "$log")"

# CPU seconds a process has used so far (user + system).
cpu_s() { awk -v t="$tick" '{print ($14 + $15) / t}' "/proc/$1/stat"; }

# Warm up: page cache and every worker's handles.
wrk -t"$wt" -c"$wc" -d"${warmup}s" -s "$here/wrk_search.lua" "$base" -- "$queries" >/dev/null
c0=$(cpu_s "$pid")
wrk -t"$wt" -c"$wc" -d"${secs}s" --latency -s "$here/wrk_search.lua" "$base" -- "$queries" \
    >"$log.wrk" &
wpid=$!
sleep 1
w0=$(cpu_s "$wpid" 2>/dev/null || echo 0)
sleep $((secs - 2))
w1=$(cpu_s "$wpid" 2>/dev/null || echo "$w0")
wait "$wpid"
c1=$(cpu_s "$pid")
out=$(cat "$log.wrk")
rm -f "$log.wrk"
kill -TERM "$pid"
wait "$pid" || true
pid=
echo "$out"
result=$(grep '^RESULT' <<<"$out")
requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$result")

# In-process, one thread, the same queries with facets (CPU per query).
inproc=$("$bq" "$index" "$queries" --facets --rounds "${INPROC_ROUNDS:-3}")
echo "in-process: $inproc"
cpu_q=$(sed 's/.*CPU \([0-9.]*\) ms\/query.*/\1/' <<<"$inproc")

awk -v c0="$c0" -v c1="$c1" -v n="$requests" -v q="$cpu_q" -v cores="$cores" \
    -v w0="$w0" -v w1="$w1" -v secs="$secs" -v r="$result" 'BEGIN {
    per = (c1 - c0) * 1000 / n
    wrk_cores = (w1 - w0) / (secs - 2)
    ceil = cores * 1000 / q
    printf "daemon CPU per request: %.3f ms; in-process CPU per query: %.3f ms; " \
           "HTTP layer: %.0f%%; wrk used %.2f cores\n", per, q, (per - q) * 100 / per, wrk_cores
    printf "machine ceiling: %d cores / %.3f ms = %.0f queries/s\n", cores, q, ceil
    split(r, kv, " ")
    j = ""
    for (i = 2; i in kv; i++) {
        split(kv[i], p, "=")
        j = j sprintf("\"%s\": %s, ", p[1], p[2])
    }
    printf "JSON {%s\"daemon_cpu_ms_per_request\": %.4f, \"inproc_cpu_ms_per_query\": %.4f, " \
           "\"wrk_cores\": %.3f, \"cores\": %d, \"ceiling_rps\": %.1f}\n", j, per, q, wrk_cores, cores, ceil
}'
