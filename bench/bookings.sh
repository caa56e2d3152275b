#!/usr/bin/env bash
# Specialist bookings (issue 15): a county of 20 hospitals with four weeks of weekday sessions
# (the demo's three, 17 more copied from the county hospital: ≈ 90k slots). (1) Bookings per
# second by doctor01 under 32 concurrent clients (wrk, 2 threads, 5 s) on hot slots of
# capacity 64 (the clients book one slot's places together, then the next's), then the no-double-booking check: no slot holds more than its capacity and
# each slot's count equals its live bookings. (2) Slot search p99 (a family doctor, the whole
# county, and one hospital's department). Each against a static file served by the same
# server in the same run. Usage: bench/bookings.sh BIN WORKDIR
set -euo pipefail
bin="$1"; work="$2"; here="$(cd "$(dirname "$0")" && pwd)"
PORT=18383
db="$work/bookings.sqlite"; rm -f "$db"
"$bin" demo --db "$db" --residents 0 --password Bench-pass-1 >/dev/null 2>&1
today=$(sqlite3 "$db" "SELECT min(substr(starts_at, 1, 10)) FROM slots")
# 17 more hospitals, each with the county hospital's departments, rules and sessions.
sqlite3 "$db" <<SQL
BEGIN;
CREATE TEMP TABLE src AS SELECT id FROM institutions WHERE kind = 'county_hospital';
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 17)
INSERT INTO institutions (code, name, kind, level, region)
  SELECT printf('HB%03d', k), printf('基准医院%02d', k), 'private_hospital', 'secondary', '511524' FROM n;
CREATE TEMP TABLE extra AS SELECT id FROM institutions WHERE code LIKE 'HB%';
INSERT INTO hospital_departments (institution_id, code, name_zh, name_en)
  SELECT e.id, d.code, d.name_zh, d.name_en FROM extra e, hospital_departments d WHERE d.institution_id = (SELECT id FROM src);
INSERT INTO slot_release_rules (institution_id, department_id, family_share, family_lead_days, public_lead_days)
  SELECT e.id, NULL, 50, 21, 14 FROM extra e;
INSERT INTO schedules (institution_id, department_id, doctor_name, day, start_time, end_time, slot_minutes, capacity, created_at)
  SELECT e.id, nd.id, s.doctor_name, s.day, s.start_time, s.end_time, s.slot_minutes, s.capacity, s.id
  FROM extra e JOIN schedules s ON s.institution_id = (SELECT id FROM src)
  JOIN hospital_departments od ON od.id = s.department_id
  JOIN hospital_departments nd ON nd.institution_id = e.id AND nd.code = od.code;
INSERT INTO slots (schedule_id, institution_id, department_id, starts_at, capacity, released_to, family_from, public_from)
  SELECT ns.id, ns.institution_id, ns.department_id, o.starts_at, o.capacity, o.released_to, o.family_from, o.public_from
  FROM schedules ns JOIN slots o ON o.schedule_id = CAST(ns.created_at AS INTEGER)
  WHERE ns.institution_id IN (SELECT id FROM extra);
UPDATE schedules SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE institution_id IN (SELECT id FROM extra);
COMMIT;
SQL
hospitals=$(sqlite3 "$db" "SELECT count(DISTINCT institution_id) FROM slots")
slots=$(sqlite3 "$db" "SELECT count(*) FROM slots")

"$bin" serve --db "$db" --port $PORT --threads 32 --web "$here/../web" >"$work/bookings.log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fs "$base/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 2 # the daily job at start
login() { curl -s -X POST "$base/api/v1/session" -d "{\"username\":\"$1\",\"password\":\"Bench-pass-1\"}" | sed 's/.*"token":"\([0-9a-f]*\)".*/\1/'; }
doctor=$(login doctor01); desk=$(login hospital01)
api() { curl -s -X "$1" "$base/api/v1/$2" -H "Authorization: Bearer $3" -H 'Content-Type: application/json' ${4:+-d "$4"}; }
me=$(api GET session "$doctor")
team=$(echo "$me" | grep -o '"teams":\[[0-9]*' | grep -o '[0-9]*$'); gp=$(echo "$me" | grep -o '"staff_id":[0-9]*' | head -1 | cut -d: -f2)
# 64 residents signed with doctor01's team.
: > "$work/residents.txt"
for i in $(seq 1 64); do
  id_number=$(python3 -c "
import sys
body = '51152419600315' + '%03d' % (100 + 2 * $i) + '1'
w = [7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; c = '10X98765432'[sum(int(a) * b for a, b in zip(body, w)) % 11]
print(body[:17] + c)")
  rid=$(api POST residents "$doctor" "{\"name\":\"基准$i\",\"id_number\":\"$id_number\",\"region\":\"51152410100101\"}" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
  api POST contracts "$doctor" "{\"resident_id\":$rid,\"team_id\":$team,\"doctor_id\":$gp,\"packages\":[\"BASIC\"],\"start_date\":\"$today\",\"channel\":\"clinic\"}" >/dev/null
  echo "$rid" >> "$work/residents.txt"
done
# 64 hot slots of 64 places, three days ahead (open to family doctors).
hospital=$(sqlite3 "$db" "SELECT id FROM institutions WHERE kind = 'county_hospital'")
day=$(date -d "$today + 3 days" +%F)
api POST "hospitals/$hospital/departments" "$desk" '{"code":"bench","name_zh":"基准科","name_en":"Bench"}' >/dev/null
: > "$work/slots.txt"
for hours in 00:00-05:20 06:00-11:20 12:00-17:20 18:00-23:20; do
  api POST "hospitals/$hospital/schedules" "$desk" "{\"department\":\"bench\",\"doctor_name\":\"基准\",\"date\":\"$day\",\"start\":\"${hours%-*}\",\"end\":\"${hours#*-}\",\"slot_minutes\":5,\"capacity\":64}" \
    | grep -o '"id":[0-9]*,"starts_at"' | grep -o '[0-9]*' >> "$work/slots.txt"
done

wrk_static() { TOKEN="$doctor" wrk -t2 -c32 -d5s --latency -s "$here/read.lua" "$base/index.html"; }
static=$(wrk_static)
static_rate=$(echo "$static" | awk '/Requests\/sec/ {print $2}')
static_p99=$(echo "$static" | awk '$1 == "99%" {print $2}')
before=$(sqlite3 "$db" "SELECT count(*) FROM bookings")
out=$(SLOTS_FILE="$work/slots.txt" RESIDENTS_FILE="$work/residents.txt" TOKEN="$doctor" wrk -t2 -c32 -d5s -s "$here/book.lua" "$base/api/v1/bookings")
made=$(( $(sqlite3 "$db" "SELECT count(*) FROM bookings") - before ))
secs=$(echo "$out" | awk '/requests in/ {gsub("s,", "", $4); print $4}')
places=$(( $(wc -l < "$work/slots.txt") * 64 ))
[ "$made" -lt "$places" ] || echo "warning: every hot place was taken before the end; the rate is a lower bound" >&2
rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
over=$(sqlite3 "$db" "SELECT count(*) FROM slots s WHERE s.booked > s.capacity OR s.booked <> (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'booked')")
[ "$over" = 0 ] || { echo "DOUBLE BOOKING: $over slots disagree with their bookings" >&2; exit 1; }
per_sec=$(echo "$made / $secs" | bc -l)
printf "static file: %s req/s, p99 %s (reference)\n" "$static_rate" "$static_p99"
printf "bookings: %d made in %s s = %.0f bookings/s (%s answers/s), ratio %.3f to the static file; no slot over capacity, every count matches its bookings\n" \
  "$made" "$secs" "$per_sec" "$rate" "$(echo "$per_sec / $static_rate" | bc -l)"
to=$(date -d "$today + 27 days" +%F)
ms() { echo "$1" | awk '{v = $1; if (v ~ /us$/) {sub("us", "", v); v /= 1000} else if (v ~ /ms$/) sub("ms", "", v); else if (v ~ /s$/) {sub("s", "", v); v *= 1000}; print v}'; }
for path in "slots?from=$today&to=$to" "slots?hospital=$hospital&department=cardiology&from=$today&to=$to"; do
  s=$(TOKEN="$doctor" wrk -t2 -c32 -d5s --latency -s "$here/read.lua" "$base/api/v1/$path")
  p99=$(echo "$s" | awk '$1 == "99%" {print $2}'); r=$(echo "$s" | awk '/Requests\/sec/ {print $2}')
  printf "GET /api/v1/%-58s %8s req/s (ratio %.3f), p99 %s (ratio %.1f to the static file's)\n" "${path%%&from*}" "$r" \
    "$(echo "$r / $static_rate" | bc -l)" "$p99" "$(echo "$(ms "$p99") / $(ms "$static_p99")" | bc -l)"
done
echo "county: $hospitals hospitals, $slots slots over four weeks"
