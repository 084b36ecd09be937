-- Visitors through nginx over HTTPS (python -m bench.deploy): as journal.lua, but each wrk
-- connection stays open, as a browser's does to a proxy, and posts carry the Origin header a
-- browser sends (over HTTPS, Django's CSRF check wants it).
-- wrk -s proxied.lua URL -- MODE DATA_FILE THREADS ORIGIN
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local mode, data, mine, origin
local turn = 0
unexpected = 0
index = 0

setup = common.setup

function init(args)
  mode, data, origin = args[1], dofile(args[2]), args[4]
  local threads = tonumber(args[3])
  mine = {}
  for i, visitor in ipairs(data.visitors) do
    if (i - 1) % threads == index then table.insert(mine, visitor) end
  end
end

function request()
  turn = turn + 1
  local visitor = mine[(turn - 1) % #mine + 1]
  local round = math.floor((turn - 1) / #mine)
  local headers = {["Cookie"] = visitor.cookie, ["Accept-Encoding"] = "gzip, deflate"}
  if mode == "save" then
    local save = data.saves[(round + turn) % #data.saves + 1]
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Origin"] = origin
    return wrk.format("POST", save.path, headers,
                      "csrfmiddlewaretoken=" .. visitor.csrf .. "&" .. save.body)
  end
  return wrk.format("GET", data.steps[(round + turn) % #data.steps + 1], headers)
end

function response(status, headers, body)
  local expected = (mode == "save") and 303 or 200
  local location = headers["Location"] or ""
  if status ~= expected or location:find("/journal/", 1, true) then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  common.done(summary, latency, (mode == "save") and "303" or "200")
end
