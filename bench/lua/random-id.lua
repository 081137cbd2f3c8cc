-- GET <path prefix><random id in 1..N>[suffix]: wrk's -s script for by-id and list lookups.
-- args: prefix, N, [suffix]. A different row per request, so no row stays hot in a cache.
local prefix, count, suffix

function init(args)
  prefix = args[1]
  count = tonumber(args[2])
  suffix = args[3] or ""
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

function request()
  return wrk.format("GET", prefix .. math.random(1, count) .. suffix)
end
