-- POST /api/customers with a new email on every request (BENCH_RUN keeps runs apart).
local counter = 0
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  threads[#threads + 1] = thread
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"email":"load-%s-%d-%d@example.com","password":"Bench-Pass-123","full_name":"Load Test"}',
    run, thread_id, counter)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
