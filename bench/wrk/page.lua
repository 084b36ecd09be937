-- One page, over and over: the floor, nginx's static copy, or the anonymous landing page.
-- wrk -s page.lua URL -- EXPECTED_STATUS
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local expected = 200
unexpected = 0

setup = common.setup

function init(args)
  expected = tonumber(args[1] or "200")
  wrk.headers["Accept-Encoding"] = common.headers["Accept-Encoding"]
  wrk.headers["Connection"] = common.headers["Connection"]
end

function response(status, headers, body)
  if status ~= expected then unexpected = unexpected + 1 end
end

function done(summary, latency, requests)
  common.done(summary, latency, tostring(expected))
end
