#!/usr/bin/env bash
# Indicators: every §11 indicator of the whole county from the incremental counters (p50 and
# p99 latency), against the same answer computed from the raw rows by the same server in
# the same run (?source=raw); plus the cost of a full rebuild and check, and the server's
# memory while serving.
set -euo pipefail
bin="$1"; db="$2"; work="$3"; here="$(cd "$(dirname "$0")" && pwd)"
PORT=18380
cp "$db" "$work/indicators.sqlite"; db="$work/indicators.sqlite"
residents=$(sqlite3 "$db" "SELECT count(*) FROM residents")
start=$(date +%s.%N)
"$bin" kpi rebuild --db "$db" >/dev/null
rebuild=$(echo "$(date +%s.%N) - $start" | bc)
start=$(date +%s.%N)
"$bin" kpi check --db "$db" >/dev/null
check=$(echo "$(date +%s.%N) - $start" | bc)
counters=$(sqlite3 "$db" "SELECT count(*) FROM kpi_counters")

"$bin" serve --db "$db" --port $PORT --threads 8 --web "$here/../web" >"$work/serve-indicators.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 3 # the daily job at start
answer=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -d '{"username":"county","password":"Bench-pass-1"}')
[[ "$answer" =~ \"token\":\"([0-9a-f]{64})\" ]] || { echo "login failed: $answer" >&2; exit 1; }
export TOKEN="${BASH_REMATCH[1]}"
base="http://127.0.0.1:$PORT"
year=$(date -u -d '+8 hours' +%Y)
path="/api/v1/indicators?scope=region:511524&period=$year"
fast=$(wrk -t1 -c1 -d4s --latency -s "$here/read.lua" "$base$path" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print r " " p50 " " p99}')
read -r rps p50 p99 <<<"$fast"
busy=$(wrk -t2 -c8 -d4s --latency -s "$here/read.lua" "$base$path" | awk '/ 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print r " req/s, p99 " p99}')
# The same answer from the raw rows, three times.
raw_total=0
for _ in 1 2 3; do
  t=$(curl -s -o "$work/raw.json" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$base$path&source=raw")
  raw_total=$(echo "$raw_total + $t" | bc)
done
curl -s -o "$work/counters.json" -H "Authorization: Bearer $TOKEN" "$base$path"
same=$(cmp -s "$work/raw.json" "$work/counters.json" && echo "identical" || echo "DIFFERENT")
rss=$(ps -o rss= -p "$pid" | tr -d ' ')
raw_ms=$(echo "scale=1; $raw_total * 1000 / 3" | bc)
counter_ms=$(echo "scale=4; 1000 / $rps" | bc)
echo "indicators of a county of $residents residents ($counters counters): $rps req/s one client, p50 $p50, p99 $p99; 8 clients $busy"
echo "  from the raw rows: $raw_ms ms per answer ($same answer); ratio $(echo "scale=0; $raw_ms / $counter_ms" | bc)x"
echo "  kpi rebuild ${rebuild}s, kpi check ${check}s, server RSS $((rss / 1024)) MB"
