#!/usr/bin/env bash
# Bulk export from a county of N residents (the database bench/imports.sh leaves: 1,000,000
# people imported into the demo county), each against the sqlite3 CLI writing the same rows
# and columns to CSV in the same run (the floor for getting these rows out of SQLite):
#  - `jiayi export`: the county's whole data set (one snapshot, keyset pages, audit per page,
#    SHA-256 per file, fsync); the reference writes every table of the manifest, same columns;
#  - GET /api/v1/residents?format=csv as the administrator: the list's handler page by page
#    (scope, presentation, audit entry per 500 people), streamed from a temporary file; the
#    server's peak resident memory (VmHWM) after a small file, then after the file of every
#    resident, twice: it does not grow with the file. The server runs one worker thread here,
#    so that one connection's page cache (32 MB, filled by the first scan) is all the cache
#    there is; with 8 workers each connection fills its own cache on its first long read.
# Usage: bench/exports.sh BIN DB WORKDIR
set -euo pipefail
bin="$1"; db="$2"; work="$3"; here="$(cd "$(dirname "$0")" && pwd)"
export JIAYI_TODAY=2026-12-07
PORT=18379
n=$(sqlite3 "$db" "SELECT count(*) FROM residents")
county=$(sqlite3 "$db" "SELECT code FROM regions WHERE level = 'county' LIMIT 1")
secs() { echo "$(date +%s.%N) - $1" | bc; }

rm -rf "$work/data-set"
start=$(date +%s.%N)
"$bin" export --db "$db" --county "$county" --to "$work/data-set" >/dev/null 2>&1
ours=$(secs "$start")
rows=$(grep -o '"file":"residents.csv","rows":[0-9]*' "$work/data-set/manifest.json" | grep -o '[0-9]*$')
[ "$rows" = "$n" ] || { echo "jiayi export wrote $rows of $n residents" >&2; exit 1; }
# The reference: the sqlite3 CLI writing every table of the manifest with the same columns.
mkdir -p "$work/ref-set"
node -e '
  const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const f of m.files) {
    const table = f.file.replace(/\.csv$/, "");
    console.log(`.output ${process.argv[2]}/${f.file}`);
    console.log(`SELECT ${f.columns.join(", ")} FROM ${table} ORDER BY id;`);
  }' "$work/data-set/manifest.json" "$work/ref-set" > "$work/ref-set.sql"
start=$(date +%s.%N)
sqlite3 -csv -header "$db" < "$work/ref-set.sql"
ref_set=$(secs "$start")
echo "jiayi export: county $county, $n residents, every table in $(printf %.2f "$ours") s ($(du -sh "$work/data-set" | cut -f1)); sqlite3 -csv of the same tables and columns: $(printf %.2f "$ref_set") s ($(du -sh "$work/ref-set" | cut -f1)); ratio $(echo "scale=2; $ours / $ref_set" | bc)"
start=$(date +%s.%N)
sqlite3 -csv -header "$db" "SELECT id, name, id_number, sex, birth_date, phone, region, address, household_id,
  relation, population_class, status, status_date, disabled, poverty, proxy_consent, created_at, updated_at
  FROM residents ORDER BY id" > "$work/ref-residents.csv"
ref=$(secs "$start")

"$bin" serve --db "$db" --port $PORT --threads 1 --web "$here/../web" >"$work/exports.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(curl -s -X POST "http://127.0.0.1:$PORT/api/v1/session" -d '{"username":"admin","password":"Bench-pass-1"}' | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/')
hwm() { awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status"; }
fetch() { curl -s -o "$work/api.csv" -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/residents?format=csv$1"; }
code=$(fetch "&q=%E7%8E%8B") # a small file first: the server's peak with a file written
small=$(( $(wc -l < "$work/api.csv") - 1 ))
[ "$code" = 200 ] || { echo "GET residents?format=csv: $code" >&2; exit 1; }
before=$(hwm)
start=$(date +%s.%N)
code=$(fetch "")
api=$(secs "$start")
[ "$code" = 200 ] || { echo "GET residents?format=csv: $code" >&2; exit 1; }
got=$(( $(wc -l < "$work/api.csv") - 1 ))
[ "$got" = "$n" ] || { echo "the file has $got of $n residents" >&2; exit 1; }
echo "GET /residents?format=csv: $n rows in $(printf %.2f "$api") s = $(echo "$n / $api" | bc) rows/s ($(du -h "$work/api.csv" | cut -f1)); sqlite3 -csv: $(printf %.2f "$ref") s; ratio $(echo "scale=2; $api / $ref" | bc)"
after=$(hwm)
fetch "" >/dev/null
echo "  server peak memory: $before MB after a file of $small rows, $after MB after the file of $n, $(hwm) MB after it again"
start=$(date +%s.%N)
code=$(curl -s -o "$work/api.xlsx" -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/residents?format=xlsx")
xlsx=$(secs "$start")
[ "$code" = 200 ] || { echo "GET residents?format=xlsx: $code" >&2; exit 1; }
echo "GET /residents?format=xlsx: $n rows in $(printf %.2f "$xlsx") s ($(du -h "$work/api.xlsx" | cut -f1)); ratio to sqlite3 -csv $(echo "scale=2; $xlsx / $ref" | bc); server peak memory after it $(hwm) MB"
