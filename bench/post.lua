-- wrk: POST the body in $BODY to /events. Every eventId gets a fresh first two groups
-- (a per-thread counter and the thread's number), so no request is a duplicate.
local f = assert(io.open(os.getenv("BODY"), "r"))
local template = f:read("*a")
f:close()
-- A browser's user agent: the shopper's path (bots' events are not counted for
-- the insights, which would make the load lighter than a shop's).
local headers = {
  ["Content-Type"] = "application/json",
  ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
}
local threads = 0
local counter = 0

function setup(thread)
  threads = threads + 1
  thread:set("tag", threads)
end

request = function()
  local body = template:gsub('"eventId": "%x+%-%x+%-', function()
    counter = counter + 1
    return string.format('"eventId": "%08x-%04x-', counter % 4294967296, (tag or 0) % 65536)
  end)
  return wrk.format("POST", "/events", headers, body)
end
