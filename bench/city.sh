#!/usr/bin/env bash
# The indicators of a synthetic city (default 10,000,000 residents in ten counties of the
# demo county's shape): one county and the whole city from the counters (p50, p99), against
# the county's answer computed from the raw rows by the same server in the same run, and the
# server's memory while serving. Not part of `make bench` (the city takes about an hour to
# build): run `bench/city.sh build/jiayi DIR` (reuses DIR/city.sqlite when it exists).
set -euo pipefail
bin="$1"; work="$2"; here="$(cd "$(dirname "$0")" && pwd)"
residents="${RESIDENTS:-10000000}"
PORT=18381
db="$work/city.sqlite"
if [ ! -f "$db" ]; then
  start=$(date +%s)
  "$bin" demo --db "$db" --residents "$residents" --seed 1 --password Bench-pass-1 >/dev/null 2>&1
  echo "city of $residents residents built in $(( $(date +%s) - start ))s"
fi
residents=$(sqlite3 "$db" "SELECT count(*) FROM residents")
counters=$(sqlite3 "$db" "SELECT count(*) FROM kpi_counters")

"$bin" serve --db "$db" --port $PORT --threads 8 --web "$here/../web" >"$work/serve-city.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.2; done
# The daily job's pass over the city starts with the server and takes minutes at this size;
# the measurements run alongside it (the worst case a user meets at 02:00).
sleep 5
answer=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -d '{"username":"admin","password":"Bench-pass-1"}')
[[ "$answer" =~ \"token\":\"([0-9a-f]{64})\" ]] || { echo "login failed: $answer" >&2; exit 1; }
export TOKEN="${BASH_REMATCH[1]}"
base="http://127.0.0.1:$PORT"
year=$(date -u -d '+8 hours' +%Y)
latency() {
  wrk -t1 -c1 -d4s --latency -s "$here/read.lua" "$base$1" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print r " req/s, p50 " p50 ", p99 " p99}'
}
county="/api/v1/indicators?scope=region:511524&period=$year"
city="/api/v1/indicators?scope=region:511500&period=$year"
echo "city of $residents residents ($counters counters)"
echo "  county 511524 from the counters: $(latency "$county")"
echo "  city 511500 from the counters: $(latency "$city")"
rps=$(wrk -t1 -c1 -d4s -s "$here/read.lua" "$base$county" | awk '/Requests\/sec/ {print $2}')
t=$(curl -s -o "$work/raw.json" -w '%{time_total}' -H "Authorization: Bearer $TOKEN" "$base$county&source=raw")
curl -s -o "$work/counters.json" -H "Authorization: Bearer $TOKEN" "$base$county"
same=$(cmp -s "$work/raw.json" "$work/counters.json" && echo "identical" || echo "DIFFERENT")
raw_ms=$(echo "scale=1; $t * 1000" | bc)
echo "  county from the raw rows: $raw_ms ms ($same answer); ratio $(echo "scale=0; $raw_ms * $rps / 1000" | bc)x"
echo "  server RSS while serving: $(( $(ps -o rss= -p "$pid" | tr -d ' ') / 1024 )) MB"
grep -q "contracts expired, started" "$work/serve-city.log" && echo "  (the daily pass had finished)" || echo "  (the daily pass was still running)"
