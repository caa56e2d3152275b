-- wrk script: GET a path with the bearer token in TOKEN; the path is wrk's URL path.
request = function()
  return wrk.format("GET", nil, {["Authorization"] = "Bearer " .. os.getenv("TOKEN")})
end
