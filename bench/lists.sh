#!/usr/bin/env bash
# List reads at 300k residents (wrk, 2 threads, 32 connections, 5 s each) against a static
# file served by the same server in the same run. Every list read writes one audit entry
# naming every person it returned (issue 13), so this is the cost of a complete read audit:
# compare with the same script run by a binary from before it (bench/RESULTS.md).
# Usage: bench/lists.sh BIN DEMO_DB WORKDIR
set -euo pipefail
bin="$1"; db="$2"; work="$3"; here="$(cd "$(dirname "$0")" && pwd)"
PORT=18378
"$bin" serve --db "$db" --port $PORT --threads 32 --web "$here/../web" >"$work/lists.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
login() { curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -d "{\"username\":\"$1\",\"password\":\"Bench-pass-1\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/'; }
sleep 8 # the daily job recomputes 300k classes at start
base="http://127.0.0.1:$PORT"
rate() { TOKEN="$1" wrk -t2 -c32 -d5s -s "$here/read.lua" "$2" | awk '/Requests\/sec/ {print $2}'; }
town=$(login town01); doctor=$(login doctor01)
static=$(rate "$doctor" "$base/index.html")
echo "static file:                          $static req/s (reference)"
for case in "town01 residents?limit=500" "town01 households?limit=100" "doctor01 contracts?limit=100" "doctor01 worklist?doctor=me&limit=100"; do
  user=${case%% *}; path=${case#* }
  token=$([ "$user" = town01 ] && echo "$town" || echo "$doctor")
  r=$(rate "$token" "$base/api/v1/$path")
  printf "%-9s GET /api/v1/%-26s %8s req/s  ratio %s\n" "$user" "$path" "$r" "$(echo "$r / $static" | bc -l | cut -c1-6)"
done
