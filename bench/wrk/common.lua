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

-- Many independent visitors, each with its own journal, session cookie and CSRF token (the data
-- file bench/visitors.py writes), taking turns; each wrk thread drives its own share, so no two
-- threads share a session. Arguments: MODE DATA_FILE THREADS [ORIGIN].
--   MODE step:    GET module steps in turn, each showing the visitor's saved answers (200)
--        summary: GET the summary of all answers (200)
--        save:    POST a step's answers with the visitor's CSRF token (303)
-- options.keep_alive: keep each connection open (a browser's to a proxy), else close it as
-- gunicorn's sync workers do; options.origin: posts carry the ORIGIN argument as their Origin
-- header (over HTTPS Django's CSRF check wants it). Returns the wrk functions.
function common.visitors(options)
  local mode, data, mine, origin
  local turn = 0
  local script = {}

  function script.init(args)
    mode, data = args[1], dofile(args[2])
    if options.origin then origin = args[4] end
    local threads = tonumber(args[3])
    mine = {}
    for i, visitor in ipairs(data.visitors) do
      if (i - 1) % threads == index then table.insert(mine, visitor) end
    end
  end

  function script.request()
    turn = turn + 1
    local visitor = mine[(turn - 1) % #mine + 1]
    -- Visitors take turns; each one's position in the module moves on every round.
    local round = math.floor((turn - 1) / #mine)
    local headers = {["Cookie"] = visitor.cookie, ["Accept-Encoding"] = common.headers["Accept-Encoding"]}
    if not options.keep_alive then headers["Connection"] = common.headers["Connection"] end
    if mode == "save" then
      local save = data.saves[(round + turn) % #data.saves + 1]
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      if origin then headers["Origin"] = origin end
      return wrk.format("POST", save.path, headers,
                        "csrfmiddlewaretoken=" .. visitor.csrf .. "&" .. save.body)
    elseif mode == "summary" then
      return wrk.format("GET", data.summary, headers)
    end
    return wrk.format("GET", data.steps[(round + turn) % #data.steps + 1], headers)
  end

  function script.response(status, headers, body)
    local expected = (mode == "save") and 303 or 200
    -- A save that lands on the phrase page made a new journal: the visitor's session was lost.
    local location = headers["Location"] or ""
    if status ~= expected or location:find("/journal/", 1, true) then
      unexpected = unexpected + 1
    end
  end

  function script.done(summary, latency, requests)
    common.done(summary, latency, (mode == "save") and "303" or "200")
  end

  return script
end

return common
