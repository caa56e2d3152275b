-- wrk script: POST /bookings for pairs of (slot, resident) read from SLOTS_FILE and
-- RESIDENTS_FILE (one id a line), each pair once: request i of thread t books slot
-- floor(k / #residents) for resident k % #residents, k = 2(i-1) + t - 1 (the two threads
-- interleave), so every answer is a booking until the places run out (then 409 slot_taken).
local slots, residents = {}, {}
local k = 0
function init(args)
  for line in io.lines(os.getenv("SLOTS_FILE")) do slots[#slots + 1] = line end
  for line in io.lines(os.getenv("RESIDENTS_FILE")) do residents[#residents + 1] = line end
end
local thread_count = 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("offset", thread_count - 1)
end
request = function()
  local n = 2 * k + (offset or 0)
  k = k + 1
  local slot = slots[(math.floor(n / #residents) % #slots) + 1]
  local resident = residents[(n % #residents) + 1]
  local body = '{"slot_id":' .. slot .. ',"resident_id":' .. resident .. '}'
  return wrk.format("POST", "/api/v1/bookings", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("TOKEN")}, body)
end
local reported = false
response = function(status, headers, body)
  if status ~= 201 and status ~= 409 and not reported then
    io.stderr:write("book.lua: unexpected ", status, " ", body, "\n")
    reported = true
  end
end
