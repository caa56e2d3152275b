#!/usr/bin/env bash
# Contracts: durable signings per second (group commit) against registrations measured
# by bench/http.sh, and the contract page of a resident with five years of contract history
# against a static file, both on the same server in the same run.
set -euo pipefail
bin="$1"; work="$2"; here="$(cd "$(dirname "$0")" && pwd)"
PORT=18378
db="$work/contracts.sqlite"
"$bin" demo --db "$db" --residents "${RESIDENTS:-60000}" --seed 3 --password Bench-pass-1 >/dev/null 2>&1
today=$(date -u -d '+8 hours' +%F)
# Five years of history for one resident: four earlier terms, expired, with deliveries.
# The sqlite3 CLI cannot call kpi_touch(): lift the indicator triggers for these direct
# inserts, put them back and recompute the counters.
triggers=$(sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'trigger' AND name IN ('kpi_contracts_ins', 'kpi_deliveries_ins')")
sqlite3 "$db" "DROP TRIGGER kpi_contracts_ins; DROP TRIGGER kpi_deliveries_ins"
resident=$(sqlite3 "$db" "SELECT resident_id FROM contracts WHERE status = 'active' ORDER BY id LIMIT 1")
current=$(sqlite3 "$db" "SELECT id FROM contracts WHERE resident_id = $resident AND status = 'active'")
for year in 1 2 3 4; do
  sqlite3 "$db" "INSERT INTO contracts (resident_id, team_id, doctor_id, status, channel, start_date, end_date, fee_fen, county_code, ended_on, end_reason)
    SELECT resident_id, team_id, doctor_id, 'expired', channel, date(start_date, '-$year years'), date(end_date, '-$year years'), fee_fen, county_code, date(end_date, '-$year years'), 'term_ended' FROM contracts WHERE id = $current;
    INSERT INTO contract_packages SELECT last_insert_rowid(), package_id FROM contract_packages WHERE contract_id = $current;"
done
sqlite3 "$db" "INSERT INTO deliveries (entitlement_id, contract_id, delivered_on, quantity) SELECT e.id, e.contract_id, c.start_date, 1 FROM entitlements e JOIN contracts c ON c.id = e.contract_id, (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) WHERE c.resident_id = $resident;
  INSERT INTO contract_events (contract_id, to_status, reason) SELECT id, 'expired', 'term_ended' FROM contracts WHERE resident_id = $resident AND status = 'expired';"
sqlite3 "$db" "$triggers"
"$bin" kpi rebuild --db "$db" >/dev/null
team_doctor=$(sqlite3 "$db" "SELECT t.id || ' ' || t.doctor_id FROM teams t JOIN institutions i ON i.id = t.institution_id WHERE i.region = '511524101' ORDER BY t.id LIMIT 1")
sqlite3 "$db" "SELECT id FROM residents r WHERE region LIKE '511524101%' AND status = 'alive' AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = r.id AND c.status = 'active') ORDER BY id" > "$work/unsigned.txt"

"$bin" serve --db "$db" --port $PORT --threads 32 --web "$here/../web" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 3 # the daily job at start
login() { # prints the token, or fails the benchmark rather than measuring error pages
  local answer
  answer=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -d "{\"username\":\"$1\",\"password\":\"Bench-pass-1\"}")
  [[ "$answer" =~ \"token\":\"([0-9a-f]{64})\" ]] || { echo "login $1 failed: $answer" >&2; exit 1; }
  echo "${BASH_REMATCH[1]}"
}
base="http://127.0.0.1:$PORT"
export TOKEN; TOKEN=$(login admin) # the page of any resident: a county-wide reader
static=$(wrk -t2 -c32 -d4s -s "$here/read.lua" "$base/index.html" | awk '/Requests\/sec/ {print $2}')
page=$(wrk -t2 -c32 -d4s --latency -s "$here/read.lua" "$base/api/v1/residents/$resident/contract" | awk '/ 50%/ {p50=$2} / 99%/ {p99=$2} /Requests\/sec/ {r=$2} END {print r " req/s, p50 " p50 ", p99 " p99}')
echo "contract page, 5 years of history: $page (static file $static req/s)"
TOKEN=$(login town01)
read -r TEAM DOCTOR <<<"$team_doctor"
export TEAM DOCTOR TODAY="$today" IDS_FILE="$work/unsigned.txt"
signed_before=$(sqlite3 "$db" "SELECT count(*) FROM contracts")
out=$(wrk -t2 -c16 -d4s -s "$here/sign.lua" "$base")
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
signed=$(( $(sqlite3 "$db" "SELECT count(*) FROM contracts") - signed_before ))
echo "signings: $signed durable signings in 4 s = $((signed / 4))/s ($(echo "$out" | awk '/Non-2xx/ {print $5 " refused (already signed)"}'); $(grep -o 'group commit: [0-9]* writes in [0-9]* commits' "$work/serve.log"))"
