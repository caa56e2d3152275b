#!/usr/bin/env bash
# HTTP with wrk (2 threads, 32 keep-alive connections, 5 s each, loopback only):
# reads at 300k residents against a static file served by the same server in the same
# run, then durable registrations with group commit against one commit per request.
set -euo pipefail
bin="$1"; db="$2"; work="$3"; here="$(cd "$(dirname "$0")" && pwd)"
PORT=18377

serve() { # serve DB [env...]: starts the server, waits for it, sets TOKEN
  local d="$1"; shift
  env "$@" "$bin" serve --db "$d" --port $PORT --threads 32 --web "$here/../web" >"$work/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
  TOKEN=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -d '{"username":"doctor01","password":"Bench-pass-1"}' | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
  export TOKEN
}
stop() { kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; }
rate() { wrk -t2 -c32 -d5s -s "$1" "$2" | awk '/Requests\/sec/ {print $2}'; }
latency() { wrk -t2 -c32 -d5s --latency -s "$1" "$2" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print r " req/s, p50 " p50 ", p99 " p99}'; }

serve "$db"
sleep 8 # the daily job recomputes 300k classes at start
base="http://127.0.0.1:$PORT"
resident=$(curl -s "$base/api/v1/residents?limit=1" -H "Authorization: Bearer $TOKEN" | sed 's/.*"items":\[{"id":\([0-9]*\).*/\1/')
static=$(rate "$here/read.lua" "$base/index.html")
page=$(rate "$here/read.lua" "$base/api/v1/residents/$resident")
echo "static file:                     $static req/s (reference)"
echo "resident page (audited read):    $(latency "$here/read.lua" "$base/api/v1/residents/$resident")"
echo "ratio resident page / static: $(echo "$page / $static" | bc -l | cut -c1-4)x (goal >= 0.5x, issue 23)"
echo "work list:                       $(latency "$here/read.lua" "$base/api/v1/worklist?doctor=me&limit=50")"
echo "resident search (q=张):          $(latency "$here/read.lua" "$base/api/v1/residents?q=%E5%BC%A0&limit=20")"
stop

for mode in 0 1; do
  fresh="$work/writes-$mode.sqlite"
  "$bin" demo --db "$fresh" --residents 0 --password Bench-pass-1 >/dev/null 2>&1
  serve "$fresh" JIAYI_GROUP_COMMIT=$mode
  r=$(rate "$here/register.lua" "$base")
  stop
  counts=$(grep -o 'group commit: [0-9]* writes in [0-9]* commits' "$work/serve.log")
  [ "$mode" = 0 ] && single=$r || group=$r
  echo "registrations, $([ "$mode" = 0 ] && echo 'one commit per request' || echo 'group commit          '): $r req/s ($counts)"
done
echo "ratio group commit / one commit per request: $(echo "$group / $single" | bc -l | cut -c1-4)x (goal >= 10x)"
