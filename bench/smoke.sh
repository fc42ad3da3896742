#!/usr/bin/env bash
# A first, small benchmark: GET one customer (admin cookie) and customer login, through the full
# stack, on SQLite and on PostgreSQL, one worker. Prints a Markdown table row per scenario.
# Needs wrk (Debian package) and, for PostgreSQL, BENCH_POSTGRES_URL (a server it may create a
# database on). Usage: bench/smoke.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN="${1:-10}"
PORT="${BENCH_PORT:-8099}"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

json() { .venv/bin/python -c "import sys,json;print(json.load(sys.stdin)$1)"; }

run_backend() {
  local name="$1" url="$2"
  export PATRON_DATABASE_URL="$url" PATRON_VAR_DIR="$WORK/var"
  .venv/bin/patron db upgrade >/dev/null 2>&1
  echo 'Bench-Admin-Pass-1' | .venv/bin/patron admin create "bench-$name@example.com" >/dev/null
  .venv/bin/patron serve --port "$PORT" >"$WORK/serve-$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do curl -sf "localhost:$PORT/readyz" >/dev/null && break; sleep 0.1; done
  local sid uuid
  sid=$(curl -s -X POST "localhost:$PORT/admin/user/login" -H 'content-type: application/json' \
    -d "{\"email\":\"bench-$name@example.com\",\"password\":\"Bench-Admin-Pass-1\"}" | json '["data"]["sid"]')
  uuid=$(curl -s -b "asid=$sid" -X POST "localhost:$PORT/api/customers" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"Bench-Pass-123","full_name":"Bench Customer"}' | json '["data"]["uuid"]')
  cat >"$WORK/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench@example.com","password":"Bench-Pass-123"}'
LUA
  report "$name" "GET /api/customers/{uuid}" \
    wrk -t1 -c16 -d"${SECONDS_PER_RUN}s" --latency -H "Cookie: asid=$sid" "http://127.0.0.1:$PORT/api/customers/$uuid"
  report "$name" "POST /customer/login" \
    wrk -t1 -c8 -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/login.lua" "http://127.0.0.1:$PORT/customer/login"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

report() {
  local backend="$1" scenario="$2"; shift 2
  local out rps p50 p99
  out=$("$@")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  printf '| %s | %s | %s | %s | %s |\n' "$scenario" "$backend" "$rps" "$p50" "$p99"
}

echo "| scenario | database | req/s | p50 | p99 |"
echo "|---|---|---|---|---|"
run_backend sqlite "sqlite:///$WORK/bench.sqlite3"
if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  db="patron_bench_$$"
  psql "$BENCH_POSTGRES_URL" -qc "CREATE DATABASE $db" >/dev/null
  run_backend postgres "${BENCH_POSTGRES_URL%/*}/$db"
  psql "$BENCH_POSTGRES_URL" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
fi
