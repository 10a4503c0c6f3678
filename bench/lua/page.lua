-- GET a list page: <path> as given, or, with an ids file, <path> plus after=<an id picked at random
-- from the file>, so the pages come from random positions in the list, not only the first one.
-- wrk ... -s page.lua <url> -- <path, may carry a query> [ids file]
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local path, ids, joiner = nil, {}, nil

function init(args)
  path = args[1]
  if args[2] then
    for line in io.lines(args[2]) do
      ids[#ids + 1] = line
    end
  end
  joiner = path:find("?", 1, true) and "&" or "?"
  math.randomseed(os.time() * 100 + tid)
end

function request()
  if #ids == 0 then
    return wrk.format("GET", path)
  end
  return wrk.format("GET", path .. joiner .. "after=" .. ids[math.random(#ids)])
end
