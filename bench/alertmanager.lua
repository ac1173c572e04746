-- wrk script for the Go peer (prometheus-webhook-dingtalk): POSTs an Alertmanager webhook
-- (bench/alertmanager.json, one firing alert), each request a new alert: every "ALERT-ID" in it becomes
-- "peer-<thread>-<time>-<n>". ROBOTS=k spreads the requests over the targets bench-1..bench-k
-- (/dingtalk/bench-<i>/send), as post.lua spreads the service's over its robots' projects.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk-shared.lua")  -- setup() (conn), delay() and done() (the RESULT line)
local template = io.open(here .. "alertmanager.json"):read("*a")
local robots = tonumber(os.getenv("ROBOTS") or "1")
local counter = 0

function request()
  counter = counter + 1
  local id = string.format("peer-%d-%d-%d", conn or 0, os.time(), counter)
  local headers = {}
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/dingtalk/bench-" .. ((counter % robots) + 1) .. "/send", headers,
                    (template:gsub("ALERT%-ID", id)))
end

