// Results that reach the record without re-typing (issue 5): an exam centre's CSV file
// (good rows kept, bad rows reported by row and column, abnormal results turned into one
// task per resident, a file sent again replacing rather than doubling), home devices bound
// to a resident posting readings with their own token, and the standardised-management
// status per program and year.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { makeDemo, startServer, cleanup, idNumber, dbSql, ON_POSTGRESQL, jiayi } from '../lib/server.mjs';
import { TODAY as today, addDays, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, town01, nurse;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, doctor02, town01] = await Promise.all(['doctor01', 'doctor02', 'town01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person(birth, token = doctor01, region = CELL) {
  const id_number = idNumber(birth, 2 * seq++ + 301);
  const r = await s.request('POST', '/api/v1/residents', { token, body: { name: '体检' + seq, id_number, region } });
  assert.equal(r.status, 201, r.text);
  return { ...r.json, id_number };
}
const upload = (csv, token = doctor01, query = '?source=county-hospital.csv') =>
  s.request('POST', '/api/v1/exams/import' + query, { token, raw: csv, headers: { 'Content-Type': 'text/csv' } });

async function otherTownshipCell() {
  let code = '511524102';
  for (let i = 0; i < 3; i++) {
    const r = await s.request('GET', `/api/v1/regions?parent=${code}`, { token: doctor02 });
    if (!r.json?.items?.length) break;
    code = r.json.items[0].code;
  }
  return code;
}

test('exam file: good rows are kept, bad rows named by row and column, abnormal rows become tasks', async () => {
  const a = await person('1950-03-04');
  const b = await person('1958-07-09');
  const c = await person('1970-01-01');
  const outside = await person('1960-02-02', doctor02, await otherTownshipCell());
  const d = daysAgo(10);
  const csv = [
    '身份证号,体检日期,收缩压(mmHg),舒张压(mmHg),空腹血糖,总胆固醇,甘油三酯,低密度脂蛋白,高密度脂蛋白,身高,体重,心电图,B超,备注',
    `${a.id_number},${d},152,92,7.4,6.5,1.2,3.0,1.3,165,70,窦性心律,脂肪肝,复查`, // 2: abnormal
    `${b.id_number},${d.replaceAll('-', '/')},128,78,5.2,4.5,1.1,2.5,1.4,170,65,正常心电图,未见明显异常,`, // 3: normal
    `${c.id_number},${d},128,78,abc,,,,,,,,,`, // 4: fbg not a number
    `${c.id_number.slice(0, 17)}0,${d},120,80,,,,,,,,,,`, // 5: bad check digit
    `${idNumber('1980-01-01', 999)},${d},120,80,,,,,,,,,,`, // 6: nobody
    `${outside.id_number},${d},120,80,,,,,,,,,,`, // 7: another township
    `${c.id_number},2099-01-01,120,80,,,,,,,,,,`, // 8: future
    `${c.id_number},${d},80,120,,,,,,,,,,`, // 9: dbp above sbp
    `${c.id_number},${d},,,,,,,,,,,,`, // 10: nothing measured
    `${c.id_number},${d},120,80,30.0,,,,,,,,,`, // 11: fbg 30 is plausible; 12: sbp 400 is not
    `${b.id_number},${daysAgo(400)},400,80,,,,,,,,,,`,
  ].join('\r\n') + '\r\n';
  const r = await upload(csv);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.rows, 11);
  assert.equal(r.json.accepted, 3);
  assert.equal(r.json.rejected, 8);
  const errors = r.json.errors.map((e) => [e.row, e.field, e.code]);
  assert.deepEqual(errors, [
    [4, 'fbg', 'invalid_field'],
    [5, 'id_number', 'invalid_id_number'],
    [6, 'id_number', 'unknown_resident'],
    [7, 'id_number', 'unknown_resident'], // another township's resident reads as nobody
    [8, 'exam_date', 'invalid_date'],
    [9, 'dbp', 'invalid_field'],
    [10, null, 'no_results'],
    [12, 'sbp', 'out_of_range'],
  ]);
  assert.match(r.json.errors[0].message, /无效/);
  assert.equal(r.json.abnormal, 2, 'a: several abnormal results; c: fbg 30 is very high');
  assert.equal(r.json.tasks, 2);

  const exams = await s.request('GET', `/api/v1/residents/${a.id}/exams`, { token: doctor01 });
  assert.equal(exams.status, 200);
  const [exam] = exams.json.items;
  assert.equal(exam.exam_date, d);
  assert.deepEqual([exam.sbp, exam.dbp, exam.fbg, exam.tc, exam.bmi], [152, 92, 7.4, 6.5, 25.7]);
  // numbers print as typed, not as "%.17g" would (25.699999999999999)
  assert.match(exams.text, /"fbg":7\.4,/);
  assert.match(exams.text, /"bmi":25\.7[,}]/);
  assert.deepEqual(exam.abnormal, ['bp_high', 'fbg_high', 'tc_high', 'overweight', 'ultrasound_abnormal']);
  assert.ok(exam.task_id);
  const normal = (await s.request('GET', `/api/v1/residents/${b.id}/exams`, { token: doctor01 })).json.items[0];
  assert.deepEqual(normal.abnormal, []);
  assert.equal(normal.task_id, undefined);

  // The tasks reach the work list of the grid team (no contract): urgent today, else in 14 days.
  const list = await s.request('GET', '/api/v1/worklist?limit=500', { token: doctor01 });
  const tasks = list.json.items.filter((t) => t.kind === 'exam_abnormal');
  const byResident = Object.fromEntries(tasks.map((t) => [t.resident_id, t]));
  assert.equal(byResident[a.id].due_date, addDays(today, 14));
  assert.equal(byResident[c.id].due_date, today, 'fbg 30 mmol/L is urgent');

  // The same file again finds the day's results already stored: it writes nothing, so it
  // opens no second task.
  const again = await upload(csv);
  assert.equal(again.json.accepted, 3);
  assert.equal(again.json.unchanged, 3);
  assert.equal(again.json.tasks, 0);
  assert.equal(sqlite(`SELECT count(*) FROM exam_results WHERE resident_id = ${a.id}`), '1');
  assert.equal(sqlite(`SELECT count(*) FROM tasks WHERE kind = 'exam_abnormal' AND status = 'open'`), '2');
  // Every stored row is in the audit chain (once: the second file changed nothing).
  assert.equal(sqlite(`SELECT count(*) FROM audit_log WHERE action = 'import' AND resource = 'exam_result'`), '3');
});

test('exam file: GB18030 from Excel, a missing key column, empty files and roles', async () => {
  const p = await person('1948-05-06');
  const text = `身份证号,体检日期,收缩压,舒张压\n${p.id_number},${daysAgo(3)},118,76\n`;
  // Encode as GB18030 with the system iconv (node has no encoder for it).
  const gb = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text });
  assert.equal(gb.status, 0);
  assert.notDeepEqual(gb.stdout, Buffer.from(text));
  let r = await upload(gb.stdout);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 1);

  r = await upload(`name,exam_date\nx,${today}\n`);
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'missing_field');
  assert.equal(r.json.field, 'id_number');
  r = await upload('');
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'empty_file');
  r = await upload(`id_number,exam_date\n"${p.id_number},${today}\n`);
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'invalid_csv');

  // A center admin may load a file for the township; a nurse may not.
  r = await upload(`id_number,exam_date,fbg\n${p.id_number},${daysAgo(2)},5.1\n`, town01);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 1);
  const created = await s.request('POST', '/api/v1/users', { token: await s.login('admin'), body: { username: 'nurse_exam', password: 'Test-pass-1', role: 'nurse', display_name: '护士', scope: ['511524101'] } });
  if (created.status === 201) {
    nurse = await s.login('nurse_exam');
    r = await upload(`id_number,exam_date\n`, nurse);
    assert.equal(r.status, 403);
    assert.equal(r.json.code, 'out_of_role');
  }
});

test('devices: a token bound to one resident posts readings; out of range raises one warning task', async () => {
  const p = await person('1955-10-10');
  let r = await s.request('POST', '/api/v1/devices', { token: doctor01, body: { resident_id: p.id, kind: 'bp_monitor', label: '欧姆龙 U10' } });
  assert.equal(r.status, 201, r.text);
  const { id: deviceId, token } = r.json;
  assert.match(token, /^dev_[0-9a-f]{48}$/);
  assert.equal(sqlite(`SELECT count(*) FROM devices WHERE token_hash = '${token}'`), '0', 'only a hash is stored');
  const post = (body, t = token) => s.request('POST', '/api/v1/observations', { body, headers: { 'X-Device-Token': t } });

  r = await post({ observed_at: `${today}T07:30:00+08:00`, sbp: 132, dbp: 84, heart_rate: 72 });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.level, r.json.reason, r.json.task_id, r.json.resident_id], ['normal', null, null, p.id]);
  r = await post({ observed_at: `${today}T07:30:00+08:00`, sbp: 132, dbp: 84 });
  assert.equal(r.status, 200);
  assert.equal(r.json.duplicate, true);

  r = await post({ observed_at: `${today}T19:00`, sbp: 165, dbp: 95 });
  assert.equal(r.status, 201);
  assert.deepEqual([r.json.level, r.json.reason], ['warning', 'bp_high']);
  const task = r.json.task_id;
  assert.ok(task);
  r = await post({ observed_at: `${today}T21:00`, sbp: 185, dbp: 112 });
  assert.deepEqual([r.json.level, r.json.reason, r.json.task_id], ['urgent', 'bp_very_high', task], 'one open task at a time');
  assert.equal(sqlite(`SELECT kind || ' ' || note FROM tasks WHERE id = ${task}`), 'device_warning bp_high');

  // Bad input names the field; a blood-pressure monitor must send both values.
  r = await post({ observed_at: `${today}T08:00`, sbp: 130 });
  assert.deepEqual([r.status, r.json.field], [422, 'dbp']);
  r = await post({ observed_at: 'yesterday', sbp: 130, dbp: 80 });
  assert.deepEqual([r.status, r.json.code, r.json.field], [422, 'invalid_date', 'observed_at']);
  r = await post({ observed_at: `${today}T08:00`, sbp: 130, dbp: 80 }, 'dev_' + '0'.repeat(48));
  assert.deepEqual([r.status, r.json.code], [401, 'invalid_device_token']);
  r = await post({ observed_at: `${today}T08:00`, sbp: 130, dbp: 80 }, '');
  assert.equal(r.status, 401);

  // Staff read the readings and the devices (never the token); audit names the device.
  r = await s.request('GET', `/api/v1/residents/${p.id}/observations`, { token: doctor01 });
  assert.equal(r.json.items.length, 3);
  r = await s.request('GET', `/api/v1/residents/${p.id}/devices`, { token: doctor01 });
  assert.equal(r.json.items[0].label, '欧姆龙 U10');
  assert.equal(r.json.items[0].token, undefined);
  assert.equal(sqlite(`SELECT count(*) FROM audit_log WHERE username = 'device:${deviceId}'`), '3');
  r = await s.request('GET', `/api/v1/residents/${p.id}/observations`, { token: doctor02 });
  assert.equal(r.status, 403);

  // A glucometer, then revocation.
  r = await s.request('POST', '/api/v1/devices', { token: doctor01, body: { resident_id: p.id, kind: 'glucometer' } });
  const glucometer = r.json;
  r = await post({ observed_at: `${today}T06:45`, glucose: 3.8 }, glucometer.token);
  assert.deepEqual([r.status, r.json.level, r.json.reason], [201, 'urgent', 'glucose_low']);
  r = await s.request('POST', `/api/v1/devices/${glucometer.id}/revoke`, { token: doctor01 });
  assert.equal(r.status, 200);
  r = await post({ observed_at: `${today}T07:45`, glucose: 6.1 }, glucometer.token);
  assert.equal(r.status, 401);
  r = await s.request('POST', `/api/v1/devices/${glucometer.id}/revoke`, { token: doctor02 });
  assert.equal(r.status, 403);
});

test('automatic enrolment: the daily pass enrols children and the elderly by age; a death ends every programme', async () => {
  const child = await person(daysAgo(400));
  const elder = await person('1950-08-08');
  const adult = await person('1990-06-06');
  const programs = (id) => sqlite(`SELECT group_concat(program) FROM enrolments WHERE resident_id = ${id} AND end_date IS NULL`);
  assert.equal(programs(child.id), '', 'joining by age waits for the daily pass');
  // The daily pass runs when the server starts (and at 02:00 China time); on PostgreSQL the
  // first server of the day has run it, so `jiayi daily` runs it again.
  await s.stop();
  if (ON_POSTGRESQL) jiayi(['daily', '--db', demo.db]);
  s = await startServer(demo.db);
  [doctor01, doctor02, town01] = await Promise.all(['doctor01', 'doctor02', 'town01'].map((u) => s.login(u)));
  for (let i = 0; i < 50 && programs(child.id) !== 'child'; i++) await new Promise((res) => setTimeout(res, 100));
  assert.equal(programs(child.id), 'child');
  assert.equal(programs(elder.id), 'elderly');
  assert.equal(programs(adult.id), '');
  assert.equal(sqlite(`SELECT start_date FROM enrolments WHERE resident_id = ${child.id}`), child.birth_date);
  assert.equal(sqlite(`SELECT start_date FROM enrolments WHERE resident_id = ${elder.id}`), '2015-08-08');
  const m = await s.request('GET', `/api/v1/residents/${elder.id}/management`, { token: doctor01 });
  const elderly = m.json.items.find((i) => i.program === 'elderly');
  assert.deepEqual([elderly.required, elderly.followups, elderly.standardised], [1, 0, false]);
  // A death ends every programme on its date.
  const r = await s.request('PATCH', `/api/v1/residents/${child.id}`, { token: doctor01, body: { status: 'deceased', status_date: today } });
  assert.equal(r.status, 200, r.text);
  assert.equal(sqlite(`SELECT end_date || ' ' || end_reason FROM enrolments WHERE resident_id = ${child.id}`), `${today} deceased`);
});

test('standardised management: follow-ups done against the pro-rata number owed this year', async () => {
  const p = await person('1956-04-04');
  const year = Number(today.slice(0, 4));
  const start = `${year}-01-01`;
  let r = await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: p.id, program: 'hypertension', start_date: start } });
  assert.equal(r.status, 201, r.text);
  r = await s.request('GET', `/api/v1/residents/${p.id}/management`, { token: doctor01 });
  assert.equal(r.status, 200, r.text);
  let item = r.json.items.find((i) => i.program === 'hypertension');
  const days = Math.round((Date.parse(today) - Date.parse(start)) / 864e5) + 1;
  const leap = year % 4 === 0 ? 366 : 365;
  assert.deepEqual([item.program, item.days_enrolled, item.required, item.followups, item.standardised, item.controlled],
    ['hypertension', days, Math.ceil((4 * days) / leap), 0, false, null]);
  for (let i = 0; i < item.required; i++) {
    const visit = addDays(start, i * 80);
    const f = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: p.id, program: 'hypertension', visit_date: visit <= today ? visit : today, sbp: 128, dbp: 80 } });
    assert.equal(f.status, 201, f.text);
  }
  r = await s.request('GET', `/api/v1/residents/${p.id}/management`, { token: doctor01 });
  item = r.json.items.find((i) => i.program === 'hypertension');
  assert.equal(item.standardised, true);
  assert.equal(item.controlled, true);
  // Last year the patient was not in the hypertension programme: nothing owed there.
  r = await s.request('GET', `/api/v1/residents/${p.id}/management?year=${year - 1}`, { token: doctor01 });
  assert.equal(r.json.items.find((i) => i.program === 'hypertension'), undefined);
  r = await s.request('GET', `/api/v1/residents/${p.id}/management?year=abc`, { token: doctor01 });
  assert.deepEqual([r.status, r.json.field], [422, 'year']);
});
