-- Shared by the wrk scripts: count unexpected statuses per thread, report one JSON line.
local common = {}
local threads = {}

function common.setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function common.done(summary, latency, expected_name)
  local unexpected = 0
  for _, thread in ipairs(threads) do
    unexpected = unexpected + (thread:get("unexpected") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "unexpected": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"timeout": %d, "expected": "%s"}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, unexpected, e.connect, e.read, e.write, e.timeout,
    expected_name))
end

-- Every request closes its connection, as gunicorn's sync workers do, so the app, the floor
-- and nginx all pay the same TCP handshake per request.
common.headers = {["Accept-Encoding"] = "gzip, deflate", ["Connection"] = "close"}

return common
