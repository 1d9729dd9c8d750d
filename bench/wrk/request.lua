-- One request shape for the whole run, from the environment (set by bench/run.sh):
--   BENCH_METHOD, BENCH_BODY (file), BENCH_CONTENT_TYPE, BENCH_RAW_BINARY=1 (Inference-Header-Content-Length: 0),
--   BENCH_OUT (where done() writes its JSON).
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  local f = assert(io.open(body, "rb"))
  wrk.body = f:read("*a")
  f:close()
end
local contentType = os.getenv("BENCH_CONTENT_TYPE")
if contentType and contentType ~= "" then
  wrk.headers["Content-Type"] = contentType
end
if os.getenv("BENCH_RAW_BINARY") == "1" then
  wrk.headers["Inference-Header-Content-Length"] = "0"
end

done = function(summary, latency, requests)
  local e = summary.errors
  local f = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  f:write(string.format(
    '{"requests":%d,"duration_us":%d,"non2xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
  f:close()
end
