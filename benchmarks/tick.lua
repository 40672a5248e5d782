-- wrk script for benchmarks/api.py: PATCH checklist items round-robin, done/open alternating.
--
-- Environment (set by benchmarks/api.py):
--   GK_TOKEN  bearer token (gk_...) sent on every request
--   GK_PATH   /api/v1/projects/<key>/gates/<gate>/items
--   GK_ITEMS  space-separated "<checklist_id>/<item_id>" pairs
-- Every request carries a fresh comment, so every tick really changes the item
-- (an unchanged item would be answered without a write). done() prints one line
-- `BENCH key=value ...` (latencies in microseconds) for benchmarks/api.py to read.

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("GK_TOKEN") or error("GK_TOKEN is not set")
  prefix = os.getenv("GK_PATH") or error("GK_PATH is not set")
  items = {}
  for pair in string.gmatch(os.getenv("GK_ITEMS") or "", "%S+") do
    table.insert(items, pair)
  end
  if #items == 0 then
    error("GK_ITEMS is empty")
  end
  headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
  counter = 0
end

function request()
  local item = items[(counter % #items) + 1]
  local status = (math.floor(counter / #items) % 2 == 0) and "done" or "open"
  local body = string.format(
    '{"status":"%s","evidence":"https://intranat.alingsas.se/ibic/underlag.pdf",'
      .. '"comment":"wrk tick %d/%d"}',
    status, thread_id, counter
  )
  counter = counter + 1
  return wrk.format("PATCH", prefix .. "/" .. item, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d status_errors=%d connect_errors=%d read_errors=%d"
      .. " write_errors=%d timeouts=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max
  ))
end
