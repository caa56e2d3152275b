#!/usr/bin/env bash
# Exam import: a township's results file (every resident of 511524101, several exam days
# each) loaded through POST /exams/import by its center admin, rows per second, against the
# sqlite3 CLI's `.import --csv` of the very same file into a plain table on the same disk
# (no validation, no lookups, no tasks, no audit: the floor for getting rows into SQLite).
set -euo pipefail
bin="$1"; db="$2"; work="$3"; here="$(cd "$(dirname "$0")" && pwd)"
PORT=18381
rm -f "$work/exams.sqlite"*; cp "$db" "$work/exams.sqlite"; db="$work/exams.sqlite" # an old -wal beside a fresh copy would be replayed onto it
csv="$work/exams.csv"
# Four exam days a resident; values spread so that about a third of rows are abnormal.
sqlite3 -csv "$db" "SELECT 'id_number','exam_date','sbp','dbp','fbg','tc','tg','ldl','hdl','height_cm','weight_kg','ecg','ultrasound'
  UNION ALL SELECT * FROM (SELECT r.id_number, date('now', '-' || (d.n * 61 + r.id % 50) || ' days'),
  105 + (r.id * 7 + d.n * 13) % 60, 65 + (r.id * 3 + d.n) % 30, printf('%.1f', 4.2 + ((r.id + d.n * 5) % 40) / 10.0),
  printf('%.2f', 3.6 + (r.id % 30) / 10.0), printf('%.2f', 0.8 + (r.id % 20) / 10.0), printf('%.2f', 1.8 + (r.id % 26) / 10.0),
  printf('%.2f', 0.9 + (r.id % 9) / 10.0), 150 + r.id % 30, 48 + r.id % 35,
  CASE WHEN r.id % 11 = 0 THEN '窦性心动过缓' ELSE '窦性心律' END, CASE WHEN r.id % 7 = 0 THEN '脂肪肝' ELSE '肝胆胰脾未见明显异常' END
  FROM residents r, (SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) d
  WHERE r.region LIKE '511524101%' AND r.status = 'alive' AND r.birth_date < date('now', '-1 year'))" > "$csv"
rows=$(( $(wc -l < "$csv") - 1 ))
size=$(du -h "$csv" | cut -f1)

"$bin" serve --db "$db" --port $PORT --web "$here/../web" >"$work/serve-exams.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 3 # the daily job at start
answer=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -d '{"username":"town01","password":"Bench-pass-1"}')
[[ "$answer" =~ \"token\":\"([0-9a-f]{64})\" ]] || { echo "login failed: $answer" >&2; exit 1; }
token="${BASH_REMATCH[1]}"
start=$(date +%s.%N)
result=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/exams/import?source=bench.csv" -H "Authorization: Bearer $token" \
  -H 'Content-Type: text/csv' --data-binary @"$csv")
secs=$(echo "$(date +%s.%N) - $start" | bc)
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
accepted=$(echo "$result" | grep -o '"accepted":[0-9]*' | cut -d: -f2)
tasks=$(echo "$result" | grep -o '"tasks":[0-9]*' | cut -d: -f2)
[[ -n "$accepted" ]] || { echo "import failed: ${result:0:300}" >&2; exit 1; }
ref="$work/import-ref.sqlite"; rm -f "$ref"
start=$(date +%s.%N)
sqlite3 "$ref" "PRAGMA journal_mode=WAL;" ".import --csv $csv exam_ref" >/dev/null
ref_secs=$(echo "$(date +%s.%N) - $start" | bc)
ours=$(echo "$accepted / $secs" | bc); cli=$(echo "$rows / $ref_secs" | bc)
echo "exam import: $rows rows ($size) in $(printf %.2f "$secs") s = $ours rows/s, $accepted kept, $tasks tasks; sqlite3 .import of the same file: $(printf %.2f "$ref_secs") s = $cli rows/s; ratio $(echo "scale=3; $ours / $cli" | bc)"
