-- Visitors through nginx over HTTPS (python -m bench.deploy): as journal.lua, but each wrk
-- connection stays open, as a browser's does to a proxy, and posts carry the Origin header a
-- browser sends (over HTTPS, Django's CSRF check wants it).
-- wrk -s proxied.lua URL -- MODE DATA_FILE THREADS ORIGIN
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local common = require("common")
unexpected = 0
index = 0

setup = common.setup
local visitors = common.visitors({keep_alive = true, origin = true})
init, request, response, done = visitors.init, visitors.request, visitors.response, visitors.done
