-- GET <prefix><id>, cycling through the ids in a file, one per line: every request asks for an
-- existing entry, and the same ids serve the no-op GET so both sides see the same urls.
-- wrk ... -s lookup.lua <url> -- <path prefix> <ids file>
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local prefix, ids, i = nil, {}, 0

function init(args)
  prefix = args[1]
  for line in io.lines(args[2]) do
    ids[#ids + 1] = line
  end
  -- Threads start at different places so that they do not ask for the same entry at once.
  i = (tid * 7919) % #ids
end

function request()
  i = i % #ids + 1
  return wrk.format("GET", prefix .. ids[i])
end
