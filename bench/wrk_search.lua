-- wrk_search.lua -- wrk script for the HTTP benchmark: each request is
-- GET /api/search?facets=1&q=<a query picked at random from a list>, with
-- the line's filters (after a TAB, `province=X;lang=vi`) as parameters.
--
-- usage: wrk -t2 -c32 -d30s --latency -s bench/wrk_search.lua \
--            http://127.0.0.1:8080 -- bench/queries.txt
-- Prints a last line "RESULT key=value ..." for scripts (http_bench.sh).

local paths = {}
local nthreads = 0

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

-- Called in the main Lua state once per thread: number the threads.
function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
end

-- Called once per wrk thread (each has its own Lua state).
function init(args)
  local file = args[1] or "bench/queries.txt"
  for line in io.lines(file) do
    if #line > 0 then
      -- "query<TAB>key=value;key=value": filters become parameters
      local q, filters = line:match("^([^\t]*)\t?(.*)$")
      local path = "/api/search?facets=1&q=" .. urlencode(q)
      for k, v in filters:gmatch("([^=;]+)=([^;]*)") do
        path = path .. "&" .. k .. "=" .. urlencode(v)
      end
      paths[#paths + 1] = path
    end
  end
  assert(#paths > 0, "no queries in " .. file)
  -- A different sequence per thread, the same from run to run.
  math.randomseed(1000 + (tid or 0))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d non2xx=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status))
end
