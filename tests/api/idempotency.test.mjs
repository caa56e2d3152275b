// Idempotency-Key on writes (API.md): a retry with the same key returns the first answer and
// stores nothing new - for follow-ups, contracts, census visits and flags; the same key with
// another request is refused (422 idempotency_key_reused); twins sent at once execute once;
// keys are per user. A follow-up naming the task it answers is 409 task_closed once that task
// is closed (the offline queue's conflict).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { makeDemo, startServer, cleanup, idNumber, dbSql, jiayi } from '../lib/server.mjs';
import { TODAY as today, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, village01, team, gp;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0, name: 'idem' });
  s = await startServer(demo.db);
  [doctor01, village01] = await Promise.all(['doctor01', 'village01'].map((u) => s.login(u)));
  const me = (await s.request('GET', '/api/v1/session', { token: doctor01 })).json.user;
  team = me.teams[0];
  gp = me.staff_id;
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person(birth = '1960-03-03') {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '幂等' + seq, id_number: idNumber(birth, 301 + 2 * seq++), region: CELL } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
async function hypertensive() {
  const p = await person();
  const e = await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: p.id, program: 'hypertension', start_date: daysAgo(30) } });
  assert.equal(e.status, 201, e.text);
  return p;
}
const keyed = (method, path, token, key, body) => s.request(method, path, { token, body, headers: { 'Idempotency-Key': key } });
const count = (sql) => Number(sqlite(sql));

test('a retried follow-up with the same key creates one record and gets the same status and body', async () => {
  const p = await hypertensive();
  const key = randomUUID();
  const body = { resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 150, dbp: 95 };
  const first = await keyed('POST', '/api/v1/followups', doctor01, key, body);
  assert.equal(first.status, 201, first.text);
  const again = await keyed('POST', '/api/v1/followups', doctor01, key, body);
  assert.equal(again.status, 201);
  assert.equal(again.text, first.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.match(again.headers.get('content-type'), /^application\/json/);
  assert.equal(count(`SELECT count(*) FROM followups WHERE resident_id = ${p.id}`), 1);
  assert.equal(count(`SELECT count(*) FROM tasks WHERE resident_id = ${p.id} AND kind = 'followup' AND status = 'open'`), 1);
  // Without a key the same body is a new request (409 or a second record, never a replay).
  const plain = await s.request('POST', '/api/v1/followups', { token: doctor01, body });
  assert.equal(plain.headers.get('idempotent-replayed'), null);
});

test('a contract and a census visit retried with their keys are stored once', async () => {
  const p = await person('1990-05-05');
  const key = randomUUID();
  const body = { resident_id: p.id, team_id: team, doctor_id: gp, packages: ['BASIC'], start_date: today, channel: 'clinic' };
  const first = await keyed('POST', '/api/v1/contracts', doctor01, key, body);
  assert.equal(first.status, 201, first.text);
  const again = await keyed('POST', '/api/v1/contracts', doctor01, key, body);
  assert.equal(again.status, 201, 'not 409 active_contract_exists: the first answer');
  assert.equal(again.text, first.text);
  assert.equal(count(`SELECT count(*) FROM contracts WHERE resident_id = ${p.id}`), 1);

  const ckey = randomUUID();
  const visit = { household_id: p.household_id, visit_date: today, contact_card: true, services_explained: true, plan: '每季度随访' };
  const c1 = await keyed('POST', '/api/v1/census-visits', village01, ckey, visit);
  assert.equal(c1.status, 201, c1.text);
  const c2 = await keyed('POST', '/api/v1/census-visits', village01, ckey, visit);
  assert.equal(c2.status, 201);
  assert.equal(c2.text, c1.text);
  assert.equal(count(`SELECT count(*) FROM census_visits WHERE household_id = ${p.household_id}`), 1);
});

test('the same key with a different body or path is refused and stores nothing', async () => {
  const p = await hypertensive();
  const key = randomUUID();
  const first = await keyed('POST', '/api/v1/flags', doctor01, key, { resident_id: p.id, reason: 'fall_risk', note: '一' });
  assert.equal(first.status, 201, first.text);
  const other = await keyed('POST', '/api/v1/flags', doctor01, key, { resident_id: p.id, reason: 'fall_risk', note: '二' });
  assert.equal(other.status, 422, other.text);
  assert.equal(other.json.code, 'idempotency_key_reused');
  assert.equal(other.json.field, 'Idempotency-Key');
  const elsewhere = await keyed('POST', '/api/v1/followups', doctor01, key, { resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 120, dbp: 80 });
  assert.equal(elsewhere.json.code, 'idempotency_key_reused');
  assert.equal(count(`SELECT count(*) FROM flags WHERE resident_id = ${p.id}`), 1);
  assert.equal(count(`SELECT count(*) FROM followups WHERE resident_id = ${p.id}`), 0);
  const bad = await keyed('POST', '/api/v1/flags', doctor01, 'x'.repeat(300), { resident_id: p.id, reason: 'fall_risk' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.code, 'invalid_idempotency_key');
  const english = await s.request('POST', '/api/v1/flags', { token: doctor01, body: { resident_id: p.id, reason: 'fall_risk', note: '三' }, headers: { 'Idempotency-Key': key, 'Accept-Language': 'en' } });
  assert.match(english.json.detail, /different request/);
});

test('a failed write stores no key: the corrected retry with the same key executes', async () => {
  const p = await hypertensive();
  const key = randomUUID();
  const bad = await keyed('POST', '/api/v1/followups', doctor01, key, { resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 400, dbp: 80 });
  assert.equal(bad.status, 422, bad.text);
  const good = await keyed('POST', '/api/v1/followups', doctor01, key, { resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 140, dbp: 80 });
  assert.equal(good.status, 201, good.text);
  assert.equal(count(`SELECT count(*) FROM idempotency_keys WHERE key = '${key}'`), 1);
});

test('twenty requests with the same key at once execute once and all get the first answer', async () => {
  for (const kind of ['followups', 'contracts']) {
    const p = kind === 'followups' ? await hypertensive() : await person('1985-02-02');
    const key = randomUUID();
    const body = kind === 'followups'
      ? { resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 135, dbp: 85 }
      : { resident_id: p.id, team_id: team, doctor_id: gp, packages: ['BASIC'], start_date: today, channel: 'clinic' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => keyed('POST', `/api/v1/${kind}`, doctor01, key, body)));
    for (const a of answers) {
      assert.equal(a.status, 201, a.text);
      assert.equal(a.text, answers[0].text);
    }
    const table = kind === 'followups' ? 'followups' : 'contracts';
    assert.equal(count(`SELECT count(*) FROM ${table} WHERE resident_id = ${p.id}`), 1, kind);
  }
});

test('keys are per user: another user with the same key makes their own record', async () => {
  const p = await person('1950-07-07');
  const key = randomUUID();
  const a = await keyed('POST', '/api/v1/flags', doctor01, key, { resident_id: p.id, reason: 'elderly_living_alone' });
  const b = await keyed('POST', '/api/v1/flags', village01, key, { resident_id: p.id, reason: 'elderly_living_alone' });
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.notEqual(a.json.id, b.json.id);
  assert.equal(b.headers.get('idempotent-replayed'), null);
  assert.equal(count(`SELECT count(*) FROM flags WHERE resident_id = ${p.id}`), 2);
  assert.equal(count(`SELECT count(*) FROM idempotency_keys WHERE key = '${key}'`), 2);
});

test('a follow-up naming a task a colleague closed meanwhile is 409 task_closed and stores nothing', async () => {
  const p = await hypertensive();
  const first = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: p.id, program: 'hypertension', visit_date: daysAgo(20), sbp: 130, dbp: 80 } });
  assert.equal(first.status, 201, first.text);
  const task = first.json.next_task.id;
  // the colleague's visit closes the task
  const colleague = await s.request('POST', '/api/v1/followups', { token: village01, body: { resident_id: p.id, program: 'hypertension', visit_date: daysAgo(1), sbp: 128, dbp: 78 } });
  assert.equal(colleague.status, 201, colleague.text);
  const late = await keyed('POST', '/api/v1/followups', doctor01, randomUUID(), { resident_id: p.id, task_id: task, program: 'hypertension', visit_date: today, sbp: 126, dbp: 76 });
  assert.equal(late.status, 409, late.text);
  assert.equal(late.json.code, 'task_closed');
  assert.equal(late.json.field, 'task_id');
  assert.equal(count(`SELECT count(*) FROM followups WHERE resident_id = ${p.id}`), 2);
  const wrong = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: p.id, task_id: 999999, program: 'hypertension', visit_date: today, sbp: 126, dbp: 76 } });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.json.field, 'task_id');
  // the open task is accepted and closed by the visit
  const open = Number(sqlite(`SELECT id FROM tasks WHERE resident_id = ${p.id} AND kind = 'followup' AND status = 'open'`));
  const ok = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: p.id, task_id: open, program: 'hypertension', visit_date: today, sbp: 126, dbp: 76 } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(sqlite(`SELECT status FROM tasks WHERE id = ${open}`), 'done');
});

test('the daily job drops keys older than 48 hours; an expired key executes anew', async () => {
  const p = await person('1955-01-01');
  const key = randomUUID();
  const body = { resident_id: p.id, reason: 'fall_risk' };
  assert.equal((await keyed('POST', '/api/v1/flags', doctor01, key, body)).status, 201);
  sqlite(`UPDATE idempotency_keys SET created_at = created_at - 49 * 3600 WHERE key = '${key}'`);
  const again = await keyed('POST', '/api/v1/flags', doctor01, key, body);
  assert.equal(again.status, 201);
  assert.equal(again.headers.get('idempotent-replayed'), null);
  assert.equal(count(`SELECT count(*) FROM flags WHERE resident_id = ${p.id}`), 2);
  sqlite(`UPDATE idempotency_keys SET created_at = created_at - 49 * 3600 WHERE key = '${key}'`);
  const daily = jiayi(['daily', '--db', demo.db], { check: false });
  assert.equal(daily.status, 0, daily.stderr);
  assert.equal(count(`SELECT count(*) FROM idempotency_keys WHERE key = '${key}'`), 0);
});
