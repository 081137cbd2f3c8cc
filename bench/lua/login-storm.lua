-- A login storm: wrk -s bench/lua/login-storm.lua URL -- USERNAME PASSWORD
--
-- POSTs /auth/login with correct credentials, so every admitted request costs one argon2id
-- verification on the service's bounded hashing pool. Responses are counted by status; a 503
-- (the pool's queue is full: the login was shed) is honoured like a well-behaved client would,
-- by waiting Retry-After seconds before that connection's next attempt, so the storm stays
-- argon2id-bound instead of turning into a flood of cheap 503s. done() prints one line:
--   STORM ok=N shed=N unauthorized=N other=N
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local function quote(s)
    return '"' .. s:gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end) .. '"'
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"username":' .. quote(args[1]) .. ',"password":' .. quote(args[2]) .. '}'
  ok, shed, unauthorized, other = 0, 0, 0, 0
  backoffs = {} -- pending Retry-After waits in ms, one per shed response
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 503 then
    shed = shed + 1
    local after = tonumber(headers["Retry-After"] or headers["retry-after"] or "1") or 1
    table.insert(backoffs, math.floor(after * 1000))
  elseif status == 401 then
    unauthorized = unauthorized + 1
  else
    other = other + 1
  end
end

-- wrk calls delay() once before each connection's next request, after its response. Lua has no
-- handle on the connection, so a wait owed for a 503 goes to the next request the thread sends:
-- the number of connections backing off still matches the number of shed logins.
function delay()
  return table.remove(backoffs, 1) or 0
end

function done(summary, latency, requests)
  local t = { ok = 0, shed = 0, unauthorized = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for k in pairs(t) do
      t[k] = t[k] + (thread:get(k) or 0)
    end
  end
  io.write(string.format("STORM ok=%d shed=%d unauthorized=%d other=%d\n",
    t.ok, t.shed, t.unauthorized, t.other))
end
