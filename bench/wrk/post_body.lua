-- POST the same body on every request: BENCH_BODY, sent as BENCH_CONTENT_TYPE
-- (default application/json). Used for login (JSON) and AbanteCart's form calls.
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("BENCH_CONTENT_TYPE") or "application/json"
wrk.body = os.getenv("BENCH_BODY")
