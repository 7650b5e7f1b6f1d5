-- wrk script of the benchmark (bench/run.py):
--   wrk -t2 -c8 -d10s -s bench/wrk.lua http://127.0.0.1:8765/page/ -- /path/to/credentials.txt
-- Each request carries the next credential of the file (one "Name: value" header a line: the
-- "Cookie" of a signed-in session, or an "Authorization" API token; several sessions of the same
-- role, as several people would use the page at once), and any answer that is
-- not a 2xx is counted (wrk itself only counts 4xx and 5xx: a redirect to the login page would go
-- unnoticed). At the end it prints one line "BENCH_JSON {...}" that the harness parses.

local credentials = {}
local threads = {}
local counter = 0
non2xx = 0
statuses = ""

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  if path ~= nil and path ~= "" then
    for line in io.lines(path) do
      local name, value = string.match(line, "^([^:]+):%s*(.*)$")
      if name ~= nil then
        table.insert(credentials, { [name] = value })
      end
    end
  end
  counter = thread_index or 0
end

function request()
  if #credentials > 0 then
    counter = counter + 1
    return wrk.format(nil, nil, credentials[(counter % #credentials) + 1])
  end
  return wrk.format()
end

local seen = {}

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if seen[status] == nil then
      seen[status] = true
      statuses = statuses .. tostring(status) .. " "
    end
  end
end

function done(summary, latency, requests)
  local bad = 0
  local codes = ""
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    codes = codes .. (thread:get("statuses") or "")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, '
      .. '"statuses": "%s", "errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d}, "latency_us": {"min": %d, "mean": %.1f, "max": %d, '
      .. '"p50": %d, "p90": %d, "p95": %d, "p99": %d}}\n',
    summary.requests, summary.duration, summary.bytes, bad, codes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99)
  ))
end
