#!/bin/bash
# Issue 19's mixed load on this machine, with production-like serving: a throwaway Redis (queue
# and rate limits), SQLite in a temporary folder, gunicorn -w 4, a queue consumer of 2 threads,
# then bench/load.py --mixed (pages at 10 users, 5 plan clients, 3 PDF clients).
#   bench/mixed.sh                       # each client its own address, default limits on
#   bench/mixed.sh "PLANNER_WORKER_NICE=10 PLANNER_SOLVER_SLOTS=0"   # extra server settings
# Needs redis-server (Debian's) and the project's .venv (make setup).
set -u
extra_env=${1:-}
seconds=${SECONDS_RUN:-45}
port=${PORT:-8765}
redis_port=${REDIS_PORT:-6391}
cd "$(dirname "$0")/.."
d=$(mktemp -d /tmp/planner-mixed.XXXX)
redis-server --port "$redis_port" --save '' --appendonly no --daemonize yes --logfile "$d/redis.log" >/dev/null
sleep 0.5
export PLANNER_DATABASE_URL="sqlite:///$d/plans.sqlite3" PLANNER_QUEUE_URL="redis://127.0.0.1:$redis_port/1" \
  PLANNER_RATELIMIT_STORAGE_URI="redis://127.0.0.1:$redis_port/2" PLANNER_PDF_CACHE_DIR="$d/pdf" \
  PLANNER_TILES=none PLANNER_SECRET_KEY=mixed-load-run PLANNER_PROXIES=1
for kv in $extra_env; do export "$kv"; done
.venv/bin/python -m planner setup >/dev/null
.venv/bin/gunicorn -w 4 -b "127.0.0.1:$port" --timeout 30 'planner.web:create_app()' >"$d/gunicorn.log" 2>&1 &
web=$!
.venv/bin/python -m planner worker --workers 2 >"$d/worker.log" 2>&1 &
worker=$!
trap 'kill $web $worker 2>/dev/null; sleep 2; kill -9 $web $worker 2>/dev/null; redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1' EXIT
sleep 4
echo "settings: ${extra_env:-defaults}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
.venv/bin/python bench/load.py --url "http://127.0.0.1:$port" --mixed --users 10 --seconds "$seconds" --as-clients
echo "server errors (5xx other than busy 503s, tracebacks): $(grep -c ' 500 \|Traceback' "$d/gunicorn.log" "$d/worker.log" | paste -sd' ')"
