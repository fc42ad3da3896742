-- GET /api/customers/{uuid} of a random seeded customer. BENCH_UUIDS names a file of uuids,
-- one a line; BENCH_PREFIX is the path before the uuid (default /api/customers/).
local uuids = {}
local prefix = os.getenv("BENCH_PREFIX") or "/api/customers/"

function init(args)
  for line in io.lines(os.getenv("BENCH_UUIDS")) do
    uuids[#uuids + 1] = line
  end
  math.randomseed(os.time() + #uuids)
end

function request()
  return wrk.format("GET", prefix .. uuids[math.random(#uuids)])
end
