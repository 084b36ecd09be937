-- Many independent visitors, each with its own journal, session cookie and CSRF token
-- (made beforehand by bench/visitors.py, which writes the data file); common.visitors says how.
-- wrk -s journal.lua URL -- MODE DATA_FILE THREADS    (MODE: step, summary or save)
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
local common = require("common")
unexpected = 0
index = 0

setup = common.setup
local visitors = common.visitors({keep_alive = false, origin = false})
init, request, response, done = visitors.init, visitors.request, visitors.response, visitors.done
