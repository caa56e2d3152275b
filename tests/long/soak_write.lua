-- wrk script for tests/long/soak.sh: registrations of new residents (a new valid ID number
-- each) as a stream of writes, each connection waiting DELAY_MS (0-2x at random) between
-- them. TOKEN is doctor01's bearer token; each thread numbers its own range.
local token, delay_ms = os.getenv("TOKEN"), tonumber(os.getenv("DELAY_MS"))
local w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
local check = "10X98765432"
local function make_id(n)
  local t = os.time({year = 1940, month = 1, day = 1, hour = 12}) + (n % 25000) * 86400
  local body = "110101" .. os.date("!%Y%m%d", t) .. string.format("%03d", (math.floor(n / 25000) % 500) * 2 + 1)
  local s = 0
  for i = 1, 17 do s = s + tonumber(body:sub(i, i)) * w[i] end
  local idx = (s % 11) + 1
  return body .. check:sub(idx, idx)
end
local thread_index, counter = 0, 0
function setup(thread)
  thread:set("tid", thread_index)
  thread_index = thread_index + 1
end
function init(args)
  counter = tid * 5000000
end
function delay()
  return math.random(0, 2 * delay_ms)
end
request = function()
  counter = counter + 1
  local body = '{"name":"长跑","id_number":"' .. make_id(counter) .. '","region":"51152410100101"}'
  return wrk.format("POST", "/api/v1/residents", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
