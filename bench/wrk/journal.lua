-- Many independent visitors, each with its own journal, session cookie and CSRF token
-- (made beforehand by bench/visitors.py, which writes the data file).
-- wrk -s journal.lua URL -- MODE DATA_FILE THREADS
--   MODE step:    GET module steps in turn, each showing the visitor's saved answers (200)
--        summary: GET the summary of all answers (200)
--        save:    POST a step's answers with the visitor's CSRF token (303)
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local common = require("common")
local mode, data, mine
local turn = 0
unexpected = 0
index = 0

setup = common.setup

function init(args)
  mode = args[1]
  data = dofile(args[2])
  local threads = tonumber(args[3])
  -- Each thread drives its own share of the visitors: no two threads share a session.
  mine = {}
  for i, visitor in ipairs(data.visitors) do
    if (i - 1) % threads == index then table.insert(mine, visitor) end
  end
end

function request()
  turn = turn + 1
  local visitor = mine[(turn - 1) % #mine + 1]
  -- Visitors take turns; each one's position in the module moves on every round.
  local round = math.floor((turn - 1) / #mine)
  local headers = {
    ["Cookie"] = visitor.cookie,
    ["Accept-Encoding"] = common.headers["Accept-Encoding"],
    ["Connection"] = common.headers["Connection"],
  }
  if mode == "save" then
    local save = data.saves[(round + turn) % #data.saves + 1]
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", save.path, headers,
                      "csrfmiddlewaretoken=" .. visitor.csrf .. "&" .. save.body)
  elseif mode == "summary" then
    return wrk.format("GET", data.summary, headers)
  end
  return wrk.format("GET", data.steps[(round + turn) % #data.steps + 1], headers)
end

function response(status, headers, body)
  local expected = (mode == "save") and 303 or 200
  -- A save that lands on the phrase page made a new journal: the visitor's session was lost.
  local location = headers["Location"] or ""
  if status ~= expected or location:find("/journal/", 1, true) then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  common.done(summary, latency, (mode == "save") and "303" or "200")
end
