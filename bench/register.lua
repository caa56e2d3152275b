-- wrk script: POST /api/v1/residents with a new valid ID number each request.
-- TOKEN (environment) is a doctor01 bearer token; each wrk thread numbers its own range.
counter = 0
local w = {7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2}
local check = "10X98765432"
function make_id(n)
  local day = n % 25000
  local t = os.time({year=1940, month=1, day=1, hour=12}) + day * 86400
  local body = "511524" .. os.date("!%Y%m%d", t) .. string.format("%03d", (math.floor(n / 25000) % 500) * 2 + 1)
  local s = 0
  for i = 1, 17 do s = s + tonumber(body:sub(i, i)) * w[i] end
  local idx = (s % 11) + 1
  return body .. check:sub(idx, idx)
end
local thread_index = 0
function setup(thread)
  thread:set("tid", thread_index)
  thread_index = thread_index + 1
end
function init(args)
  counter = tid * 1000000
end
request = function()
  counter = counter + 1
  local body = '{"name":"压测","id_number":"' .. make_id(counter) .. '","region":"51152410100101"}'
  return wrk.format("POST", "/api/v1/residents", {["Content-Type"]="application/json", ["Authorization"]="Bearer " .. os.getenv("TOKEN")}, body)
end
