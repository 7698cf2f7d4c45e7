#!/usr/bin/env bash
# http_bench.sh -- the daemon under load: wrk on loopback (2 threads, 32
# connections, 30 s by default) over bench/queries.txt with facets on, plus
# the in-process CPU time per query over the same list (bench_query), so the
# HTTP layer's cost and the machine's limit (cores / CPU per query) show.
#
# usage: bench/http_bench.sh CORPSEARCH BENCH_QUERY INDEX [SECONDS]
# e.g.   bench/http_bench.sh build/src/cli/corpsearch build/bench/bench_query /tmp/ix-wrk
# Use a release build; needs wrk (apt-get install wrk).
set -euo pipefail
cs=$1 bq=$2 index=$3 secs=${4:-30}
here=$(cd "$(dirname "$0")" && pwd)
queries=$here/queries.txt
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

# CPU seconds the daemon has used so far (user + system).
cpu_s() { awk -v t="$tick" '{print ($14 + $15) / t}' "/proc/$pid/stat"; }

# Warm up: page cache and every worker's handles.
wrk -t2 -c32 -d5s -s "$here/wrk_search.lua" "$base" -- "$queries" >/dev/null
c0=$(cpu_s)
out=$(wrk -t2 -c32 -d"${secs}s" --latency -s "$here/wrk_search.lua" "$base" -- "$queries")
c1=$(cpu_s)
kill -TERM "$pid"
wait "$pid" || true
pid=
echo "$out"
result=$(grep '^RESULT' <<<"$out")
requests=$(sed 's/.*requests=\([0-9]*\).*/\1/' <<<"$result")

# In-process, one thread, the same queries with facets (CPU per query).
inproc=$("$bq" "$index" "$queries" --facets --rounds 3)
echo "in-process: $inproc"
cpu_q=$(sed 's/.*CPU \([0-9.]*\) ms\/query.*/\1/' <<<"$inproc")

awk -v c0="$c0" -v c1="$c1" -v n="$requests" -v q="$cpu_q" -v cores="$cores" 'BEGIN {
    per = (c1 - c0) * 1000 / n
    printf "daemon CPU per request: %.3f ms; in-process CPU per query: %.3f ms; " \
           "HTTP layer: %.0f%%\n", per, q, (per - q) * 100 / per
    printf "machine limit: %d cores / %.3f ms = %.0f queries/s\n", cores, q, cores * 1000 / q
}'
