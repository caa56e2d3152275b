#!/usr/bin/env bash
# Programs: the work list of a doctor responsible for 3,000 residents (p99 latency, against
# a static file from the same server), and durable follow-up writes per second (against
# the sqlite3 CLI committing single-row transactions on the same disk, the fsync ceiling).
set -euo pipefail
bin="$1"; db="$2"; work="$3"; here="$(cd "$(dirname "$0")" && pwd)"
PORT=18379
today=$(date -u -d '+8 hours' +%F)
# A copy of the county, without a write-ahead log left by an earlier run (it would be
# replayed onto the fresh copy).
rm -f "$work"/programs.sqlite*; cp "$db" "$work/programs.sqlite"; db="$work/programs.sqlite"
doctor=$(sqlite3 "$db" "SELECT s.id FROM staff s JOIN users u ON u.id = s.user_id WHERE u.username = 'doctor01'")
# doctor01's team takes over grid cells of the township until it serves about 3,000
# residents, and she becomes the responsible doctor of all their open tasks.
team=$(sqlite3 "$db" "SELECT t.id FROM teams t WHERE t.doctor_id = $doctor LIMIT 1")
sqlite3 "$db" "UPDATE team_cells SET team_id = $team WHERE region_code IN (SELECT region FROM (SELECT region,
  n, sum(n) OVER (ORDER BY region) AS running FROM (SELECT region, count(*) AS n FROM residents
  WHERE region LIKE '511524101%' AND length(region) = 14 GROUP BY region)) WHERE running - n < 3000);
  UPDATE tasks SET doctor_id = $doctor, team_id = $team WHERE status = 'open' AND resident_id IN
  (SELECT r.id FROM residents r JOIN team_cells c ON c.region_code = r.region WHERE c.team_id = $team)"
residents=$(sqlite3 "$db" "SELECT count(*) FROM residents r JOIN team_cells c ON c.region_code = r.region WHERE c.team_id = $team")
tasks=$(sqlite3 "$db" "SELECT count(*) FROM tasks WHERE doctor_id = $doctor AND status = 'open'")
# The grid moved behind the counters' back (the sqlite3 CLI keeps no indicators): rebuild them,
# so that `kpi check` after the load says whether every follow-up kept them exact.
"$bin" kpi rebuild --db "$db" >/dev/null
sqlite3 "$db" "SELECT e.resident_id FROM enrolments e JOIN residents r ON r.id = e.resident_id JOIN team_cells c ON c.region_code = r.region
  WHERE c.team_id = $team AND e.program = 'hypertension' AND e.end_date IS NULL AND r.status = 'alive'" > "$work/patients.txt"

"$bin" serve --db "$db" --port $PORT --threads 32 --web "$here/../web" >"$work/serve-programs.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
# The daily job's first pass runs at start (a minute over 300,000 residents on two cores):
# measure after it, not against it.
for _ in $(seq 1 1200); do grep -q "reminders written" "$work/serve-programs.log" && break; sleep 0.1; done
answer=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -d '{"username":"doctor01","password":"Bench-pass-1"}')
[[ "$answer" =~ \"token\":\"([0-9a-f]{64})\" ]] || { echo "login failed: $answer" >&2; exit 1; }
export TOKEN="${BASH_REMATCH[1]}" TODAY="$today" IDS_FILE="$work/patients.txt"
base="http://127.0.0.1:$PORT"
static=$(wrk -t2 -c8 -d4s --latency -s "$here/read.lua" "$base/index.html" | awk '/ 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print r " req/s, p99 " p99}')
# One doctor opening her list (one connection), then eight at once.
list=$(wrk -t1 -c1 -d4s --latency -s "$here/read.lua" "$base/api/v1/worklist?doctor=me" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print r " req/s, p50 " p50 ", p99 " p99}')
overdue=$(wrk -t1 -c1 -d4s --latency -s "$here/read.lua" "$base/api/v1/worklist?doctor=me&status=overdue" | awk '/ 99%/ {p99=$2} END {print "p99 " p99}')
busy=$(wrk -t2 -c8 -d4s --latency -s "$here/read.lua" "$base/api/v1/worklist?doctor=me" | awk '/ 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print r " req/s, p99 " p99}')
echo "work list of a doctor with $residents residents ($tasks open tasks): $list; overdue tab $overdue; 8 at once $busy (static file: $static)"
before=$(sqlite3 "$db" "SELECT count(*) FROM followups")
wrk -t2 -c16 -d4s -s "$here/followup.lua" "$base" >/dev/null
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
written=$(( $(sqlite3 "$db" "SELECT count(*) FROM followups") - before ))
check=$("$bin" kpi check --db "$db" | tail -1)
# The reference: the sqlite3 CLI, one durable transaction per row, on the same file system.
ref="$work/fsync.sqlite"; rm -f "$ref"
sqlite3 "$ref" "PRAGMA journal_mode=WAL; CREATE TABLE t (x)" >/dev/null
start=$(date +%s.%N)
{ echo "PRAGMA synchronous=FULL;"; for i in $(seq 1 2000); do echo "INSERT INTO t VALUES ($i);"; done; } | sqlite3 "$ref"
secs=$(echo "$(date +%s.%N) - $start" | bc)
cli=$(echo "2000 / $secs" | bc)
echo "follow-ups: $written durable writes in 4 s = $((written / 4))/s; sqlite3 CLI single-row commits: $cli/s; ratio $(echo "scale=2; $written / 4 / $cli" | bc) ($(grep -o 'group commit: [0-9]* writes in [0-9]* commits' "$work/serve-programs.log")); kpi check: $check"
# What a write cost the one writer, over the server's life (the follow-ups, and the audit rows
# of the work-list reads before them): CPU of the holding thread, and wall time held with the
# fsyncs. The writer's CPU bounds a node's durable writes however many cores serve the rest.
held=$(grep -o 'group commit: [0-9]* writes in [0-9]* commits; the writer held [0-9]* ms of CPU, [0-9]* ms of wall time' "$work/serve-programs.log" | tail -1)
if [[ "$held" =~ ([0-9]+)\ writes.*held\ ([0-9]+)\ ms\ of\ CPU,\ ([0-9]+)\ ms ]]; then
  w=${BASH_REMATCH[1]} cpu=${BASH_REMATCH[2]} wall=${BASH_REMATCH[3]}
  echo "the writer per write: $(echo "scale=0; $cpu * 1000 / $w" | bc) us of CPU, $(echo "scale=0; $wall * 1000 / $w" | bc) us held;" \
    "$(grep -o 'facts read before the writer: [0-9]* used, [0-9]* read again' "$work/serve-programs.log" | tail -1)"
fi
