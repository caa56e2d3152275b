-- wrk script: record hypertension follow-ups for the patients listed in IDS_FILE (one id
-- per line, round robin), as the doctor (TOKEN). Every request is a durable write: the
-- follow-up, the closed task, the next task and the audit entry in one transaction.
local ids = {}
local n = 0
function init(args)
  for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
  n = math.random(#ids)
end
request = function()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  local sbp = 120 + (n % 40)
  local body = '{"resident_id":' .. id .. ',"program":"hypertension","visit_date":"' .. os.getenv("TODAY") ..
    '","sbp":' .. sbp .. ',"dbp":82,"mode":"clinic","confirm_duplicate":true}'
  return wrk.format("POST", "/api/v1/followups", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")}, body)
end
local reported = false
response = function(status, headers, body)
  if status ~= 201 and not reported then
    io.stderr:write("followup.lua: unexpected ", status, " ", body, "\n")
    reported = true
  end
end
