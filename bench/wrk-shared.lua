-- Shared by the wrk scripts (post.lua, alertmanager.lua): each thread's number (conn, 1..-t), optional
-- pacing (WRK_DELAY_MS per connection, for a fixed request rate) and one machine-readable line (RESULT).
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "0")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("conn", threads)
end

function delay()
  return delay_ms
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d errors=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f non2xx=%d max_ms=%.2f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, summary.errors.status, latency.max / 1000))
end
