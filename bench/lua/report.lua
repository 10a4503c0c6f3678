-- Shared by the scenario scripts: at the end of a wrk run, append one JSON line with what run.sh
-- needs (req/s, latency percentiles, errors) to $BENCH_OUT, so no one parses wrk's text output.
function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("BENCH_OUT"), "a"))
  local e = summary.errors
  out:write(string.format(
    '{"requests":%d,"duration_us":%d,"rps":%.1f,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d,"non_2xx":%d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
  out:close()
end
