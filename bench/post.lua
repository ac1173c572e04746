-- wrk script: POSTs a real Sentry payload (an event_alert), each request with its own Request-ID and
-- event id (the service drops a Sentry event it has already accepted) and a numbered title "bench-<thread>-<n>". With one connection per
-- thread (-c = -t) each thread's requests arrive in that order, so the stand-in can check every robot
-- receives them in order of arrival. ROBOTS=k spreads the requests over projects
-- bench-1..bench-k (one robot each). Prints latency percentiles as one machine-readable line.
-- Optional pacing: WRK_DELAY_MS per connection (for a fixed request rate).
-- setup() (conn), delay() and done() (the RESULT line), from the file beside this one
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "wrk-shared.lua")
local template = io.open(os.getenv("PAYLOAD") or "src/test/resources/sentry/event_alert.triggered.json"):read("*a")
local robots = tonumber(os.getenv("ROBOTS") or "1")
local counter = 0

function request()
  counter = counter + 1
  local project = "bench-" .. ((counter % robots) + 1)
  local body = template:gsub("heck is not defined", string.format("bench-%d-%d", conn or 0, counter), 1)
                       :gsub("/projects/test%-org/front%-end/", "/projects/test-org/" .. project .. "/")
                       -- each request is its own Sentry event: the service drops an event it has seen
                       :gsub('"event_id": *"[0-9a-f]*"', string.format('"event_id": "bench-%d-%d-%d"', conn or 0, os.time(), counter), 1)
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["Sentry-Hook-Resource"] = "event_alert"
  headers["Request-ID"] = string.format("bench-%d-%d-%d", conn or 0, os.time(), counter)
  return wrk.format("POST", nil, headers, body)
end

