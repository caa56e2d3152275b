// Records kept from the resident screens (issue 14): ending a programme's management
// (POST /enrolments/{id}/end), and a death or a move out of the county (PATCH
// /residents/{id} status), which end the programmes, the contract and a scheduled
// renewal, and the open tasks in one transaction. Bad input names its field, another
// team's doctor is refused with nothing written, every change is audited, and the
// indicator counters stay equal to a recomputation (`jiayi kpi check`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, dbSql } from '../lib/server.mjs';
import { TODAY, daysAgo, addDays } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, town01, team, gp;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);
const req = (token, method, path, body) => s.request(method, `/api/v1${path}`, { token, body });

before(async () => {
  demo = makeDemo({ residents: 0, name: 'record-forms' });
  s = await startServer(demo.db);
  [doctor01, doctor02, town01] = await Promise.all(['doctor01', 'doctor02', 'town01'].map((u) => s.login(u)));
  const me = (await req(doctor01, 'GET', '/session')).json.user;
  team = me.teams[0];
  gp = me.staff_id;
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
/* A resident of doctor01's cell, 58 years old, in the hypertension programme since
 * `since`, with one follow-up (which leaves the next one as an open task). */
async function patient({ since = daysAgo(200), sign = null } = {}) {
  const p = await req(doctor01, 'POST', '/residents', { name: `表单${seq}`, id_number: idNumber(`${Number(TODAY.slice(0, 4)) - 58}-03-0${1 + (seq % 9)}`, 401 + 2 * seq++), region: CELL, phone: '13800000000' });
  assert.equal(p.status, 201, p.text);
  const e = await req(doctor01, 'POST', '/enrolments', { resident_id: p.json.id, program: 'hypertension', start_date: since });
  assert.equal(e.status, 201, e.text);
  const f = await req(doctor01, 'POST', '/followups', { resident_id: p.json.id, program: 'hypertension', visit_date: daysAgo(10), sbp: 132, dbp: 82 });
  assert.equal(f.status, 201, f.text);
  let contract = null;
  if (sign) {
    const c = await req(doctor01, 'POST', '/contracts', { resident_id: p.json.id, team_id: team, doctor_id: gp, packages: ['BASIC'], start_date: sign, channel: 'clinic' });
    assert.equal(c.status, 201, c.text);
    contract = c.json;
  }
  return { id: p.json.id, enrolment: e.json.id, contract };
}
const openTasks = (id, program) => Number(sqlite(`SELECT count(*) FROM tasks WHERE resident_id = ${id} AND status = 'open'${program ? ` AND program = '${program}'` : ''}`));
const writes = () => sqlite(`SELECT (SELECT count(*) FROM enrolments WHERE end_date IS NOT NULL) || '/' || (SELECT count(*) FROM tasks WHERE status <> 'open') || '/' || (SELECT count(*) FROM contracts WHERE status = 'terminated')`);
async function audited(id, action, resource) {
  const a = await req(town01, 'GET', `/audit?resident=${id}&limit=200`);
  assert.equal(a.status, 200, a.text);
  return a.json.items.filter((x) => x.action === action && x.resource === resource);
}
function kpiExact() {
  assert.ok(Number(sqlite('SELECT count(*) FROM kpi_counters')) > 0, 'the counters are kept');
  jiayi(['kpi', 'check', '--db', demo.db]);
}

test('a doctor ends a programme: its open tasks are cancelled, the record audited, the counters exact', async () => {
  const p = await patient();
  assert.equal(openTasks(p.id, 'hypertension'), 1, 'the follow-up left its next visit open');
  const r = await req(doctor01, 'POST', `/enrolments/${p.enrolment}/end`, { end_date: daysAgo(2), reason: 'excluded', note: '复查排除高血压' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.program, r.json.end_date, r.json.end_reason, r.json.tasks_cancelled, r.json.note], ['hypertension', daysAgo(2), 'excluded', 1, '复查排除高血压']);
  assert.equal(openTasks(p.id), 0);
  assert.equal(sqlite(`SELECT outcome FROM tasks WHERE resident_id = ${p.id} AND program = 'hypertension'`), 'excluded');
  const page = (await req(doctor01, 'GET', `/residents/${p.id}`)).json;
  assert.deepEqual(page.programs, [], 'the resident page no longer lists it');
  assert.equal((await audited(p.id, 'end', 'enrolment')).length, 1);
  const again = await req(doctor01, 'POST', `/enrolments/${p.enrolment}/end`, { end_date: TODAY, reason: 'other' });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'already_ended');
  // Enrolled again later: a new enrolment, the old one stays history.
  const back = await req(doctor01, 'POST', '/enrolments', { resident_id: p.id, program: 'hypertension', start_date: TODAY });
  assert.equal(back.status, 201, back.text);
  kpiExact();
});

test('ending a programme: bad input is refused naming the field, and nothing is written', async () => {
  const p = await patient({ since: daysAgo(30) });
  const before = writes();
  const cases = [
    [{ reason: 'excluded' }, 422, 'missing_field', 'end_date'],
    [{ end_date: '2026-13-40', reason: 'excluded' }, 422, 'invalid_date', 'end_date'],
    [{ end_date: addDays(TODAY, 1), reason: 'excluded' }, 422, 'invalid_date', 'end_date'],
    [{ end_date: daysAgo(31), reason: 'excluded' }, 422, 'invalid_date', 'end_date'],
    [{ end_date: TODAY }, 422, 'missing_field', 'reason'],
    [{ end_date: TODAY, reason: 'deceased' }, 422, 'invalid_field', 'reason'],
    [{ end_date: TODAY, reason: 'other', note: 'x'.repeat(501) }, 422, 'invalid_field', 'note'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await req(doctor01, 'POST', `/enrolments/${p.enrolment}/end`, body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [status, code, field], JSON.stringify(body));
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  }
  const en = await s.request('POST', `/api/v1/enrolments/${p.enrolment}/end`, { token: doctor01, body: { end_date: TODAY }, headers: { 'Accept-Language': 'en' } });
  assert.match(en.json.detail, /required field/i);
  // The elderly programme follows the birthday: the daily pass owns it.
  const old = await req(doctor01, 'POST', '/residents', { name: '老人', id_number: idNumber(`${Number(TODAY.slice(0, 4)) - 70}-05-05`, 611), region: CELL });
  const elderly = await req(doctor01, 'POST', '/enrolments', { resident_id: old.json.id, program: 'elderly', start_date: TODAY });
  assert.equal(elderly.status, 201, elderly.text);
  const auto = await req(doctor01, 'POST', `/enrolments/${elderly.json.id}/end`, { end_date: TODAY, reason: 'refused' });
  assert.deepEqual([auto.status, auto.json.code, auto.json.field], [422, 'automatic_program', 'program']);
  assert.equal((await req(doctor01, 'POST', '/enrolments/999999/end', { end_date: TODAY, reason: 'other' })).status, 404);
  // Another township's doctor, and a centre admin (no clinical role), are refused.
  const foreign = await req(doctor02, 'POST', `/enrolments/${p.enrolment}/end`, { end_date: TODAY, reason: 'other' });
  assert.equal(foreign.status, 403, foreign.text);
  assert.equal(foreign.json.code, 'out_of_scope');
  assert.ok(!foreign.text.includes('表单'), 'the refusal names nobody');
  assert.equal((await req(town01, 'POST', `/enrolments/${p.enrolment}/end`, { end_date: TODAY, reason: 'other' })).status, 403);
  assert.equal(writes(), before);
  assert.equal(openTasks(p.id, 'hypertension'), 1);
});

test('a death ends the programmes, the contract and a scheduled renewal, and the open tasks, that day', async () => {
  // Signed 340 days ago: the term ends within the renewal window, so a renewal is scheduled.
  const p = await patient({ since: daysAgo(400), sign: daysAgo(340) });
  const renewal = await req(doctor01, 'POST', `/contracts/${p.contract.id}/renew`, {});
  assert.equal(renewal.status, 201, renewal.text);
  assert.equal(renewal.json.status, 'scheduled');
  const died = daysAgo(3);
  const r = await req(doctor01, 'PATCH', `/residents/${p.id}`, { status: 'deceased', status_date: died });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.status_date, r.json.programs], ['deceased', died, []]);
  assert.equal(sqlite(`SELECT end_date || ' ' || end_reason FROM enrolments WHERE id = ${p.enrolment}`), `${died} deceased`);
  assert.equal(sqlite(`SELECT status || ' ' || ended_on || ' ' || end_reason FROM contracts WHERE id = ${p.contract.id}`), `terminated ${died} deceased`);
  assert.equal(sqlite(`SELECT status || ' ' || ended_on || ' ' || end_reason FROM contracts WHERE id = ${renewal.json.id}`), `terminated ${renewal.json.start_date} deceased`, 'the renewal ends on its own start, unused');
  assert.equal(openTasks(p.id), 0);
  assert.equal(sqlite(`SELECT group_concat(DISTINCT outcome) FROM tasks WHERE resident_id = ${p.id}`), 'deceased');
  assert.equal((await audited(p.id, 'terminate', 'contract')).length, 2);
  assert.equal((await audited(p.id, 'update', 'resident')).length, 1);
  // Nobody enrols, signs or follows up a person who died.
  const enrol = await req(doctor01, 'POST', '/enrolments', { resident_id: p.id, program: 'diabetes', start_date: TODAY });
  assert.deepEqual([enrol.status, enrol.json.code, enrol.json.field], [422, 'not_alive', 'resident_id']);
  kpiExact();
});

test('a move out of the county ends the contract as moved away; a move inside keeps it', async () => {
  const p = await patient({ sign: daysAgo(20) });
  // Another cell of the township, another team's: the centre moves them; the contract stays
  // with doctor01's team (who still sees the person they signed).
  const cell = sqlite(`SELECT code FROM regions WHERE level = 'grid' AND code LIKE '511524101%' AND code <> '${CELL}' ORDER BY code LIMIT 1`);
  assert.equal((await req(doctor01, 'PATCH', `/residents/${p.id}`, { region: cell })).status, 403, 'outside the team\'s cells');
  const stay = await req(town01, 'PATCH', `/residents/${p.id}`, { region: cell, address: '新村 2 组' });
  assert.equal(stay.status, 200, stay.text);
  assert.equal(stay.json.contract.status, 'active', 'a move inside the county is a new address, nothing ends');
  assert.equal(openTasks(p.id), 1);
  const r = await req(doctor01, 'PATCH', `/residents/${p.id}`, { status: 'moved_out' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.status_date], ['moved_out', TODAY]);
  assert.equal(sqlite(`SELECT status || ' ' || ended_on || ' ' || end_reason FROM contracts WHERE id = ${p.contract.id}`), `terminated ${TODAY} moved_away`);
  assert.equal(sqlite(`SELECT end_reason FROM enrolments WHERE id = ${p.enrolment}`), 'moved_out');
  assert.equal(openTasks(p.id), 0);
  kpiExact();
});

test('recording a death: a future date names status_date, another township is refused, nothing written', async () => {
  const p = await patient({ sign: daysAgo(5) });
  const before = writes();
  const future = await req(doctor01, 'PATCH', `/residents/${p.id}`, { status: 'deceased', status_date: addDays(TODAY, 1) });
  assert.deepEqual([future.status, future.json.code, future.json.field], [422, 'invalid_date', 'status_date']);
  const bad = await req(doctor01, 'PATCH', `/residents/${p.id}`, { status: 'dead' });
  assert.deepEqual([bad.status, bad.json.field], [422, 'status']);
  const foreign = await req(doctor02, 'PATCH', `/residents/${p.id}`, { status: 'deceased' });
  assert.equal(foreign.status, 403);
  assert.equal(writes(), before);
  assert.equal(sqlite(`SELECT status FROM residents WHERE id = ${p.id}`), 'alive');
  assert.equal(openTasks(p.id), 1);
});
