// Outreach calls on work-list tasks (issue 14, after Simple's overdue list): each outcome of
// POST /tasks/{id}/calls, the fields it refuses, the reason an ended task gives and how the
// care-cascade indicators count it, the scope of a call, and the work list as XLSX.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, jiayi, idNumber, dbJson, openPii } from '../lib/server.mjs';
import { TODAY, YEAR, daysAhead, daysAgo } from '../lib/clock.mjs';
import { readSheet } from '../lib/xlsx.mjs';

let demo, s, doctor, admin;
const sql = (q) => dbJson(demo.db, q);
const one = (q) => { const [row] = sql(q); return row ? Object.values(row)[0] : null; };
const call = (id, body, token = doctor, headers = {}) => s.request('POST', `/api/v1/tasks/${id}/calls`, { token, body, headers });
const worklist = async (query = '', token = doctor) => {
  const r = await s.request('GET', `/api/v1/worklist?doctor=me&limit=500&${query}`, { token });
  assert.equal(r.status, 200, r.text);
  return r.json;
};

/* Hypertension patients of doctor01's cell, enrolled 300 days ago and last seen 150 days
 * ago: each has an overdue follow-up task and counts in htn_missed_visit today. Built
 * through the API on an empty county, so every counter moved with its write. */
const CELL = '51152410100101';
let missed = [];
let seq = 0;
async function patient(region) {
  seq++;
  const phone = `139${String(seq).padStart(8, '0')}`;
  const r = await s.request('POST', '/api/v1/residents', { token: doctor, body: { name: `外呼${seq}`, id_number: idNumber('1960-03-01', 2 * seq + 101), region, phone } });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  const e = await s.request('POST', '/api/v1/enrolments', { token: doctor, body: { resident_id: id, program: 'hypertension', start_date: daysAgo(300) } });
  assert.equal(e.status, 201, e.text);
  const f = await s.request('POST', '/api/v1/followups', { token: doctor, body: { resident_id: id, program: 'hypertension', visit_date: daysAgo(150), sbp: 132, dbp: 82, findings: [], mode: 'clinic' } });
  assert.equal(f.status, 201, f.text);
  const task = one(`SELECT id FROM tasks WHERE resident_id = ${id} AND status = 'open' AND kind = 'followup'`);
  assert.ok(task, 'the follow-up left its next task');
  return { task, resident: id, region, phone };
}
const indicator = async (region, code) => {
  const r = await s.request('GET', `/api/v1/indicators?scope=region:${region}&period=${YEAR}&codes=${code}`, { token: admin });
  assert.equal(r.status, 200, r.text);
  const { numerator, denominator } = r.json.items[0];
  return { numerator, denominator };
};
/* Two patients of the same village, so that their indicators are read in one scope. */
function pairInOneRegion(used) {
  const byRegion = new Map();
  for (const m of missed) {
    if (used.has(m.resident)) continue;
    if (!byRegion.has(m.region)) byRegion.set(m.region, []);
    byRegion.get(m.region).push(m);
  }
  for (const list of byRegion.values()) if (list.length >= 2) return list.slice(0, 2);
  return null;
}

before(async () => {
  demo = makeDemo({ residents: 0, name: 'calls' });
  s = await startServer(demo.db);
  doctor = await s.login('doctor01');
  admin = await s.login('admin');
  for (let i = 0; i < 8; i++) missed.push(await patient(CELL));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

const used = new Set();
const take = () => { const m = missed.find((x) => !used.has(x.resident)); used.add(m.resident); return m; };

test('a bad call is refused naming the field, in the caller\'s language, and nothing is stored', async () => {
  const { task } = take();
  const cases = [
    [{}, 'missing_field', 'outcome'],
    [{ outcome: 'busy' }, 'invalid_field', 'outcome'],
    [{ outcome: 'reached' }, 'missing_field', 'agreed_date'],
    [{ outcome: 'reached', agreed_date: daysAgo(1) }, 'date_in_past', 'agreed_date'],
    [{ outcome: 'reached', agreed_date: daysAhead(91) }, 'date_too_far', 'agreed_date'],
    [{ outcome: 'reached', agreed_date: '2026-02-30' }, 'invalid_date', 'agreed_date'],
    [{ outcome: 'no_answer', agreed_date: daysAhead(3) }, 'invalid_field', 'agreed_date'],
    [{ outcome: 'refused', status_date: TODAY }, 'invalid_field', 'status_date'],
    [{ outcome: 'died', status_date: daysAhead(1) }, 'invalid_date', 'status_date'],
    [{ outcome: 'no_answer', note: '长'.repeat(501) }, null, 'note'],
  ];
  for (const [body, code, field] of cases) {
    const r = await call(task, body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    assert.equal(r.json.field, field, JSON.stringify(body));
    if (code) assert.equal(r.json.code, code, JSON.stringify(body));
  }
  const en = await call(task, { outcome: 'reached', agreed_date: daysAgo(1) }, doctor, { 'Accept-Language': 'en' });
  assert.match(en.json.detail, /before today/);
  const zh = await call(task, { outcome: 'reached', agreed_date: daysAgo(1) });
  assert.match(zh.json.detail, /不能早于今天/);
  assert.equal(one(`SELECT count(*) FROM task_calls WHERE task_id = ${task}`), 0);
  assert.equal(one(`SELECT status FROM tasks WHERE id = ${task}`), 'open');
  assert.equal((await call(999999999, { outcome: 'no_answer' })).status, 404);
});

test('no answer and reached keep the task open; the row shows the attempts, the last outcome and the agreed date', async () => {
  const { task, resident } = take();
  for (let i = 0; i < 2; i++) {
    const r = await call(task, { outcome: 'no_answer' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.task, { id: task, status: 'open', end_reason: null, call: { attempts: i + 1, last_outcome: 'no_answer', last_called_on: TODAY, agreed_date: null } });
  }
  let row = (await worklist(`q=${openPii(demo.db, one(`SELECT phone FROM residents WHERE id = ${resident}`))}`)).items.find((x) => x.id === task);
  assert.deepEqual(row.call, { attempts: 2, last_outcome: 'no_answer', last_called_on: TODAY, agreed_date: null });
  const agreed = daysAhead(5);
  const r = await call(task, { outcome: 'reached', agreed_date: agreed, note: '周五上午来' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.agreed_date, agreed);
  assert.equal(r.json.record_closed, false);
  row = (await worklist('program=hypertension')).items.find((x) => x.id === task);
  assert.ok(row, 'the task stays on the list');
  assert.deepEqual(row.call, { attempts: 3, last_outcome: 'reached', last_called_on: TODAY, agreed_date: agreed });
  assert.equal(one(`SELECT status FROM tasks WHERE id = ${task}`), 'open');
  assert.deepEqual(sql(`SELECT outcome, called_on, agreed_date, note FROM task_calls WHERE task_id = ${task} ORDER BY id`).map((c) => c.outcome), ['no_answer', 'no_answer', 'reached']);
  // Each call is in the person's audit trail.
  const audit = await s.request('GET', `/api/v1/audit?resident=${resident}&limit=500`, { token: admin });
  assert.equal(audit.json.items.filter((e) => e.resource === 'task_call' && e.action === 'create').length, 3);
});

test('wrong number and refused end the task as lost to follow-up: the patient still counts as missed', async () => {
  const pair = pairInOneRegion(used);
  assert.ok(pair, 'two patients of one village');
  pair.forEach((m) => used.add(m.resident));
  const region = pair[0].region;
  const before = await indicator(region, 'htn_missed_visit');
  const beforeLost = await indicator(region, 'htn_lost_to_follow_up');
  for (const [m, outcome] of [[pair[0], 'wrong_number'], [pair[1], 'refused']]) {
    const r = await call(m.task, { outcome, note: outcome });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.task.status, 'cancelled');
    assert.equal(r.json.task.end_reason, 'lost_to_follow_up');
    assert.equal(r.json.record_closed, false);
    assert.deepEqual(sql(`SELECT status, end_reason FROM tasks WHERE id = ${m.task}`), [{ status: 'cancelled', end_reason: 'lost_to_follow_up' }]);
    assert.equal(one(`SELECT status FROM residents WHERE id = ${m.resident}`), 'alive');
    assert.ok(!(await worklist()).items.some((x) => x.id === m.task), 'off the work list');
    // An ended task takes no more calls.
    const again = await call(m.task, { outcome: 'no_answer' });
    assert.equal(again.status, 409);
    assert.equal(again.json.code, 'invalid_state');
  }
  // Still enrolled, still unseen: the indicator counts them as before (lost, not gone).
  assert.deepEqual(await indicator(region, 'htn_missed_visit'), before);
  assert.deepEqual(await indicator(region, 'htn_lost_to_follow_up'), beforeLost);
});

test('died and moved close the record as the record itself does: the patient leaves the indicator, not counted as missed', async () => {
  const pair = pairInOneRegion(used);
  assert.ok(pair, 'two patients of one village');
  pair.forEach((m) => used.add(m.resident));
  const region = pair[0].region;
  let before = await indicator(region, 'htn_missed_visit');
  assert.ok(before.numerator >= 2, JSON.stringify(before));
  const died = daysAgo(3);
  let hadContract = 0;
  for (const [m, outcome, status, statusDate] of [[pair[0], 'died', 'deceased', died], [pair[1], 'moved', 'moved_out', null]]) {
    // A second open task of the person ends with the first.
    const extra = one(`INSERT INTO tasks (resident_id, team_id, doctor_id, kind, due_date, county_code)
      SELECT resident_id, team_id, doctor_id, 'first_discovery', '${daysAhead(7)}', county_code FROM tasks WHERE id = ${m.task} RETURNING id`);
    const [{ team_id, doctor_id }] = sql(`SELECT team_id, doctor_id FROM tasks WHERE id = ${m.task}`);
    const signed = await s.request('POST', '/api/v1/contracts', { token: doctor, body: { resident_id: m.resident, team_id, doctor_id, packages: ['BASIC'], start_date: TODAY, channel: 'clinic' } });
    assert.equal(signed.status, 201, signed.text);
    hadContract += one(`SELECT count(*) FROM contracts WHERE resident_id = ${m.resident} AND status = 'active'`);
    const r = await call(m.task, { outcome, ...(statusDate ? { status_date: statusDate } : {}) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.task.end_reason, outcome);
    assert.equal(r.json.record_closed, true);
    assert.deepEqual(sql(`SELECT status, status_date FROM residents WHERE id = ${m.resident}`), [{ status, status_date: statusDate || TODAY }]);
    assert.deepEqual(sql(`SELECT id, status, end_reason FROM tasks WHERE resident_id = ${m.resident} AND id IN (${m.task}, ${extra}) ORDER BY id`),
      [m.task, extra].sort((a, b) => a - b).map((id) => ({ id, status: 'cancelled', end_reason: outcome })));
    assert.equal(one(`SELECT count(*) FROM enrolments WHERE resident_id = ${m.resident} AND end_date IS NULL`), 0, 'programmes end');
    assert.equal(one(`SELECT end_reason FROM enrolments WHERE resident_id = ${m.resident} AND program = 'hypertension' ORDER BY id DESC LIMIT 1`), status);
    // The contract ends too, as PATCH /residents/{id} ends it: no active contract is left.
    assert.equal(one(`SELECT count(*) FROM contracts WHERE resident_id = ${m.resident} AND status IN ('active', 'scheduled')`), 0, 'contract ends');
    const after = await indicator(region, 'htn_missed_visit');
    assert.deepEqual(after, { numerator: before.numerator - 1, denominator: before.denominator - 1 }, outcome);
    before = after;
    const audit = await s.request('GET', `/api/v1/audit?resident=${m.resident}&limit=500`, { token: admin });
    assert.ok(audit.json.items.some((e) => e.resource === 'resident' && e.action === 'update'), 'the record change is audited');
  }
  assert.ok(hadContract > 0, 'at least one of the pair was signed, so the contract check means something');
  // The counters moved with the writes: a recomputation agrees with them.
  const check = jiayi(['kpi', 'check', '--db', demo.db], { check: false });
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test('a call on a task outside the caller\'s scope or role is refused, and nothing is written', async () => {
  const { task } = take();
  const calls = () => one('SELECT count(*) FROM task_calls');
  const n = calls();
  for (const username of ['doctor02', 'village01']) {
    // village01 serves one village of doctor01's township: this task's person may lie elsewhere.
    const visible = one(`SELECT count(*) FROM tasks t JOIN residents r ON r.id = t.resident_id, user_scope us
      JOIN users u ON u.id = us.user_id AND u.username = '${username}'
      WHERE t.id = ${task} AND r.region >= us.code AND r.region < us.code || ';' AND (us.subtree = 1 OR r.region = us.code)`);
    if (visible) continue;
    const r = await call(task, { outcome: 'died' }, await s.login(username));
    assert.equal(r.status, 403, `${username}: ${r.text}`);
    assert.equal(r.json.code, 'out_of_scope');
    assert.ok(!r.text.includes(one(`SELECT name FROM residents r JOIN tasks t ON t.resident_id = r.id WHERE t.id = ${task}`)));
  }
  for (const username of ['county', 'town01', 'resident01']) {
    const r = await call(task, { outcome: 'no_answer' }, await s.login(username));
    assert.equal(r.status, 403, `${username}: ${r.text}`);
    assert.equal(r.json.code, 'out_of_role');
  }
  assert.equal(calls(), n);
  assert.equal(one(`SELECT status FROM tasks WHERE id = ${task}`), 'open');
});

/* The sheet's rows as text cells (shared strings resolved), with python3's zipfile. */
const download = async (query, token = doctor, headers = {}) => {
  const res = await fetch(`${s.base}/api/v1/worklist?${query}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
};

test('the work list exports to XLSX with the same filters and scope, Chinese headers, audited', async () => {
  const query = 'doctor=me&status=overdue&program=hypertension';
  const list = await worklist(query);
  assert.ok(list.total > 0);
  const x = await download(`${query}&format=xlsx`);
  assert.equal(x.status, 200);
  assert.match(x.type, /spreadsheetml/);
  assert.match(x.disposition, /attachment; filename="worklist-\d{4}-\d{2}-\d{2}\.xlsx"/);
  assert.equal(x.bytes.subarray(0, 2).toString(), 'PK');
  const rows = readSheet(x.bytes);
  assert.equal(rows.length, list.total + 1, 'a header and one row per task');
  const header = rows[0].map((c) => c[1]);
  assert.equal(header[0], '应随访日期');
  assert.ok(header.includes('电话') && header.includes('最近呼叫结果') && header.includes('约定随访日期'));
  const named = (row, col) => (row.find((c) => c[0] === col) || [])[1];
  assert.deepEqual(rows.slice(1).map((r) => named(r, 'C')), list.items.map((t) => t.resident_name));
  assert.deepEqual(rows.slice(1).map((r) => named(r, 'F') ?? null), list.items.map((t) => t.phone));
  assert.ok(rows.slice(1).every((r) => named(r, 'B') === '逾期' && named(r, 'I') === '高血压'));
  // A called task carries its call: the reached patient of the second test.
  const called = list.items.findIndex((t) => t.call && t.call.last_outcome === 'reached');
  if (called >= 0) assert.equal(named(rows[called + 1], 'O'), '已接通');
  // English headers on request.
  const en = readSheet((await download(`${query}&format=xlsx`, doctor, { 'Accept-Language': 'en' })).bytes);
  assert.equal(en[0][0][1], 'Due date');
  // Audited as a list read naming everyone in the file.
  const someone = list.items[0].resident_id;
  const audit = await s.request('GET', `/api/v1/audit?resident=${someone}&limit=500`, { token: admin });
  assert.ok(audit.json.items.some((e) => e.resource === 'worklist_export'), 'the export is in the person\'s audit trail');
  // Bad format named.
  const bad = await s.request('GET', '/api/v1/worklist?format=pdf', { token: doctor });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'format');
});

test('the export keeps to the caller\'s scope', async () => {
  const other = await s.login('doctor02');
  const team1 = one(`SELECT tm.team_id FROM team_members tm JOIN staff st ON st.id = tm.staff_id JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor01'`);
  const refused = await download(`team=${team1}&format=xlsx`, other);
  assert.equal(refused.status, 403);
  const theirs = await download('scope=all&format=xlsx', other);
  assert.equal(theirs.status, 200);
  const rows = readSheet(theirs.bytes).slice(1);
  const phones = new Set(rows.map((r) => (r.find((c) => c[0] === 'F') || [])[1]).filter(Boolean));
  const mine = (await worklist('')).items.filter((t) => t.phone);
  assert.ok(mine.length > 0);
  for (const t of mine) assert.ok(!phones.has(t.phone), `doctor02's export holds doctor01's patient ${t.resident_id}`);
});
