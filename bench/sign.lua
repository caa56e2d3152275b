-- wrk script: sign BASIC for the unsigned residents listed in IDS_FILE (one id per line),
-- each once, as a centralised signing by the township's center admin (TOKEN).
local ids = {}
local next_index = 1
function init(args)
  for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
  -- each wrk thread takes every other id, so no resident is signed twice
  next_index = tonumber(os.getenv("THREAD_OFFSET") or "1")
end
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("offset", thread_count)
end
request = function()
  local i = (offset or 1) + (next_index - 1) * 2
  next_index = next_index + 1
  local id = ids[((i - 1) % #ids) + 1]
  local body = '{"resident_id":' .. id .. ',"team_id":' .. os.getenv("TEAM") .. ',"doctor_id":' .. os.getenv("DOCTOR") ..
    ',"packages":["BASIC"],"start_date":"' .. os.getenv("TODAY") .. '","channel":"centralised","cross_grid_reason":"集中签约"}'
  return wrk.format("POST", "/api/v1/contracts", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")}, body)
end

-- Prints the first refusal that is not "already signed", so a broken run explains itself.
local reported = false
response = function(status, headers, body)
  if status ~= 201 and status ~= 409 and not reported then
    io.stderr:write("sign.lua: unexpected ", status, " ", body, "\n")
    reported = true
  end
end
