#!/usr/bin/env bash
# Demo county generation (300,000 residents with households, diagnoses, programs, records,
# census visits, flags, durable commit) against the sqlite3 CLI importing the same rows
# from CSV into the same schema (same indexes) in one transaction: the floor for
# getting this data into SQLite. (INSERT text rather than CSV, because CSV import cannot
# express NULL.)
set -euo pipefail
bin="$1"; work="$2"; residents="${RESIDENTS:-300000}"
db="$work/demo.sqlite"
start=$(date +%s.%N)
"$bin" demo --db "$db" --residents "$residents" --seed 1 --password 'Bench-pass-1' >/dev/null 2>&1
demo_s=$(echo "$(date +%s.%N) - $start" | bc)

tables="regions institutions staff teams team_members team_cells households residents health_records diagnoses enrolments pregnancies census_visits flags tasks"
ref="$work/ref.sqlite"
"$bin" migrate --db "$ref" >/dev/null 2>&1
# The sqlite3 CLI cannot call kpi_touch(); the demo builds its counters only at the end, too.
sqlite3 "$ref" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'kpi%'" | sqlite3 "$ref"
rows=0
script="$work/import.sql"
{ echo "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-32000;"; echo "BEGIN;"; } > "$script"
for t in $tables; do
  sqlite3 -cmd ".mode insert $t" "$db" "SELECT * FROM $t" >> "$script"
  rows=$((rows + $(sqlite3 "$db" "SELECT count(*) FROM $t")))
done
echo "COMMIT;" >> "$script"
start=$(date +%s.%N)
sqlite3 "$ref" < "$script"
import_s=$(echo "$(date +%s.%N) - $start" | bc)
printf 'demo county: %d residents, %d rows in %.2f s; sqlite3 .import of the same rows %.2f s; ratio %.2fx (target: < 60 s)\n' \
  "$residents" "$rows" "$demo_s" "$import_s" "$(echo "$demo_s / $import_s" | bc -l)"
