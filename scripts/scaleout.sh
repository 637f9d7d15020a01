#!/usr/bin/env bash
# One web instance against two, each pinned to a core of its own, on PostgreSQL with the page
# cache in Redis: the figures of docs/performance.md, "Scaling out".
#
#   DATABASE_URL=postgres://tracker:tracker@127.0.0.1:5432/tracker_e \
#   REDIS_URL=redis://127.0.0.1:6379/1 scripts/scaleout.sh [seconds per run]
#
# With DATABASE_REPLICA_URL also set (scripts/replica.sh start), the instances read the public's
# pages from the replica. The database must hold the shipped dataset (load_documents and
# rebuild_read_model). Every request goes to 127.0.0.1 (scripts/loadtest.py refuses anything
# else), for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:-30}
THREADS=${THREADS:-8}
WORKERS=${WORKERS:-2}
PY=.venv/bin/python
export DEBUG=false API_ANON_RATE=1000000/hour CORRECTIONS_RATE=1000000/hour
: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database holding the shipped dataset}"
: "${REDIS_URL:?set REDIS_URL, so that the instances share their page cache}"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}
trap stop EXIT

start() {  # start N instances, instance i on core i-1 and port 810i
  local n=$1
  for i in $(seq 1 "$n"); do
    taskset -c $((i - 1)) .venv/bin/gunicorn tracker.wsgi --bind "127.0.0.1:810$i" \
      --workers "$WORKERS" --log-level warning &
    pids+=($!)
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 50); do
      curl -fsS -o /dev/null "http://127.0.0.1:810$i/healthz" && break
      sleep 0.2
    done
  done
}

measure() {  # instances, then the load test's own arguments
  local n=$1
  shift
  local bases=()
  for i in $(seq 1 "$n"); do bases+=(--base "http://127.0.0.1:810$i"); done
  $PY scripts/loadtest.py "${bases[@]}" --concurrency "$THREADS" --duration "$SECONDS_EACH" "$@" \
    | sed "s/^/[$n instance(s) $*] /"
}

for n in 1 2; do
  start "$n"
  # Warm each instance's processes and the shared cache once, unmeasured.
  $PY scripts/loadtest.py --base http://127.0.0.1:8101 --concurrency 2 --duration 5 >/dev/null || true
  measure "$n" --only pages
  measure "$n" --only pages --publish-every 5
  measure "$n" --only api
  measure "$n" --only search
  stop
done
