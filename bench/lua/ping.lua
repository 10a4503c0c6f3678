-- PUT <prefix><id><suffix> with a service key, cycling through the ids in a file, one per line: a
-- heartbeat renewing the lease of a service registered before the run. The same ids serve the no-op
-- PUT. The key comes from $BENCH_KEY so it shows in no process list.
-- wrk ... -s ping.lua <url> -- <path prefix> <path suffix> <ids file>
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local prefix, suffix, headers, ids, i = nil, nil, nil, {}, 0

function init(args)
  prefix, suffix = args[1], args[2]
  for line in io.lines(args[3]) do
    ids[#ids + 1] = line
  end
  headers = { ["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY") }
  -- Threads start at different places so that they do not renew the same lease at once.
  i = (tid * 7919) % #ids
end

function request()
  i = i % #ids + 1
  return wrk.format("PUT", prefix .. ids[i] .. suffix, headers)
end
