-- POST a registration with a url never seen before: each request must create an entry (201), not
-- update one. The url carries the run's label, the thread and a counter; the key comes from
-- $BENCH_KEY so it shows in no process list.
-- wrk ... -s register.lua <url> -- <path> <run label>
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local path, label, headers, n = nil, nil, nil, 0

function init(args)
  path, label = args[1], args[2]
  headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY"),
  }
end

function request()
  n = n + 1
  local body = string.format(
    '{"url":"http://svc-%s-%d-%d.bench.example:8080/","info":{"display_name":"Bench Service","version":"1.0.0"}}',
    label, tid, n)
  return wrk.format("POST", path, headers, body)
end
