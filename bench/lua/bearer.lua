-- GET with a bearer token: wrk -s bench/lua/bearer.lua URL -- TOKEN [PACE_MS]
--
-- Without PACE_MS the request is static (no Lua runs per request), so the load generator costs
-- the same against nginx and against the service. With PACE_MS each connection waits that long
-- after every response before sending the next request: a steady, unsaturated probe whose
-- latency shows the server's delay rather than a queue the load generator built itself.
function init(args)
  local token = args[1]
  if token and token ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. token
  end
  local pace = tonumber(args[2] or "0") or 0
  if pace > 0 then
    -- wrk checks for a global delay() after init(), so defining it here turns pacing on.
    function delay()
      return pace
    end
  end
end
