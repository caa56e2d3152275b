#!/usr/bin/env bash
# Bulk import of residents: `jiayi import` of a census file of N people (default 1,000,000)
# into an empty demo county, every row validated, households formed, classes set, audited and
# counted, against the sqlite3 CLI's `.import --csv` of the very same file into a table of the
# same columns carrying the residents table's indexes (the floor for getting these rows into
# SQLite). Then the time per row at 1,000, 10,000, 100,000 and N rows: it must stay flat.
set -euo pipefail
bin="$1"; work="$2"; n="${3:-1000000}"; here="$(cd "$(dirname "$0")" && pwd)"
db="$work/import.sqlite"
rm -f "$db"* "$work/import-ref.sqlite"*
JIAYI_TODAY=2026-12-07 "$bin" demo --db "$db" --residents 0 --password Bench-pass-1 >/dev/null
sqlite3 "$db" "SELECT code FROM regions WHERE level = 'grid' ORDER BY code" > "$work/cells.txt"
csv="$work/residents.csv"
node "$here/residents_csv.mjs" "$n" "$work/cells.txt" "$csv"
size=$(du -h "$csv" | cut -f1)
cp "$db" "$work/import-empty.sqlite"
for key in audit-key audit-checkpoints; do cp "$db.$key" "$work/import-empty.sqlite.$key"; done

run_import() { # rows -> seconds (prints), on a fresh copy of the empty county
  local rows=$1 file="$work/part.csv"
  head -n $((rows + 1)) "$csv" > "$file"
  rm -f "$db"*; cp "$work/import-empty.sqlite" "$db"
  for key in audit-key audit-checkpoints; do cp "$work/import-empty.sqlite.$key" "$db.$key"; done
  local start; start=$(date +%s.%N)
  JIAYI_TODAY=2026-12-07 "$bin" import --db "$db" --kind residents --file "$file" > "$work/import.json" 2>/dev/null
  echo "$(date +%s.%N) - $start" | bc
}
run_reference() { # rows -> seconds
  local rows=$1 ref="$work/import-ref.sqlite"
  head -n $((rows + 1)) "$csv" > "$work/part.csv"
  rm -f "$ref"*
  sqlite3 "$ref" "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
    CREATE TABLE ref (name TEXT NOT NULL, id_number TEXT NOT NULL UNIQUE, region TEXT NOT NULL, phone TEXT,
      address TEXT, household TEXT, relation TEXT, disabled TEXT);
    CREATE INDEX ref_region ON ref(region); CREATE INDEX ref_household ON ref(household);
    CREATE INDEX ref_name ON ref(name); CREATE INDEX ref_phone ON ref(phone);" >/dev/null
  local start; start=$(date +%s.%N)
  sqlite3 "$ref" ".import --csv --skip 1 $work/part.csv ref" >/dev/null
  echo "$(date +%s.%N) - $start" | bc
}

for rows in 1000 10000 100000 "$n"; do
  [ "$rows" -le "$n" ] || continue
  ours=$(run_import "$rows")
  accepted=$(grep -o '"accepted":[0-9]*' "$work/import.json" | cut -d: -f2)
  [ "$accepted" = "$rows" ] || { echo "import kept $accepted of $rows: $(head -c 300 "$work/import.json")" >&2; exit 1; }
  ref=$(run_reference "$rows")
  echo "residents import: $rows rows in $(printf %.2f "$ours") s = $(echo "$rows / $ours" | bc) rows/s ($(echo "scale=2; $ours * 1000000 / $rows" | bc) us/row); sqlite3 .import of the same rows: $(printf %.2f "$ref") s; ratio ours/CLI $(echo "scale=2; $ours / $ref" | bc)"
  [ "$rows" = "$n" ] && JIAYI_TODAY=2026-12-07 "$bin" kpi check --db "$db" | tail -1
done
echo "(file: $n rows, $size)"
