-- wrk script for tests/long/soak.sh: a doctor's screens, as people click them. Each
-- connection waits DELAY_MS (environment, 0-2x at random) between its requests, so that
-- 2,000 connections make a steady load rather than a saturating one. TOKEN is doctor01's
-- bearer token, IDS a comma-separated list of residents in its scope, TEAM its team, YEAR
-- the period.
local token, ids, year, team = os.getenv("TOKEN"), {}, os.getenv("YEAR"), os.getenv("TEAM")
local delay_ms = tonumber(os.getenv("DELAY_MS"))
for id in string.gmatch(os.getenv("IDS"), "%d+") do ids[#ids + 1] = id end
local n = 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
  n = math.random(1, 1000)
end
function delay()
  return math.random(0, 2 * delay_ms)
end
request = function()
  n = n + 1
  -- The mix of a working day: a resident's page most, the work list, lists, contracts, and
  -- now and then the team's indicators (a dashboard opened, not clicked through).
  local k, path = n % 50, nil
  if k < 25 then
    path = "/api/v1/residents/" .. ids[(n % #ids) + 1]
  elseif k < 35 then
    path = "/api/v1/worklist?doctor=me&limit=50"
  elseif k < 43 then
    path = "/api/v1/residents?limit=20"
  elseif k < 49 then
    path = "/api/v1/contracts?limit=20"
  else
    path = "/api/v1/indicators?scope=team:" .. team .. "&period=" .. year
  end
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
