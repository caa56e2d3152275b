// Family sickbeds (家庭病床, issue 19; seeds 003, 004): admitted with the first round on the
// team's work list, rounds every few days each recorded as the home visit it is (and so the
// free annual home visit too), discharged with its outcome; one open bed a person; scope,
// roles and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbJson } from '../lib/server.mjs';
import { TODAY, addDays, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, village, admin, county, town01;
const CELL = '51152410100101';
const sql = (q) => dbJson(demo.db, q);
const one = (q) => { const rows = sql(q); return rows.length ? Object.values(rows[0])[0] : null; };

before(async () => {
  demo = makeDemo({ residents: 0, name: 'sickbeds' });
  s = await startServer(demo.db);
  [doctor01, village, admin, county, town01] = await Promise.all(['doctor01', 'village01', 'admin', 'county', 'town01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function patient(region = CELL, token = doctor01) {
  const r = await s.request('POST', '/api/v1/residents', { token, body: { name: '病床' + ++seq, id_number: idNumber('1938-08-08', 2 * seq + 801), region } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const admit = (id, body, token = doctor01) => s.request('POST', `/api/v1/residents/${id}/sickbeds`, { token, body });
const tasks = (id) => sql(`SELECT kind, due_date, status FROM tasks WHERE resident_id = ${id} AND kind = 'sickbed_round' ORDER BY id`);

test('admission, rounds by the interval, discharge', async () => {
  const id = await patient();
  const admitted = daysAgo(10);
  let r = await admit(id, { admitted_on: admitted, diagnosis: 'I63.9', reason: '脑梗死恢复期，卧床', round_days: 3 });
  assert.equal(r.status, 201, r.text);
  const bed = r.json;
  assert.deepEqual([bed.status, bed.round_days, bed.next_round, bed.rounds.length], ['open', 3, addDays(admitted, 3), 0]);
  assert.deepEqual(tasks(id), [{ kind: 'sickbed_round', due_date: addDays(admitted, 3), status: 'open' }]);
  assert.deepEqual([(await admit(id, { admitted_on: admitted, diagnosis: 'I63.9' })).status], [409]);
  // A round by the village doctor: a home visit of the bed's team; the next three days on.
  r = await s.request('POST', `/api/v1/sickbeds/${bed.id}/rounds`, { token: village, body: { date: daysAgo(6), note: '血压 138/84，肢体功能改善' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.rounds.length, r.json.next_round], [1, addDays(daysAgo(6), 3)]);
  assert.deepEqual(tasks(id).map((t) => [t.due_date, t.status]), [[addDays(admitted, 3), 'done'], [addDays(daysAgo(6), 3), 'open']]);
  const visit = sql(`SELECT kind, at_home, team_id FROM encounters WHERE id = ${r.json.rounds[0].encounter_id}`)[0];
  assert.deepEqual([visit.kind, Number(visit.at_home), visit.team_id > 0], ['home_visit', 1, true]);
  // Discharged: the round task goes with it; no more rounds.
  r = await s.request('POST', `/api/v1/sickbeds/${bed.id}/discharge`, { token: doctor01, body: { date: TODAY, outcome: 'improved' } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.outcome, r.json.discharged_on, r.json.next_round], ['discharged', 'improved', TODAY, null]);
  assert.deepEqual(tasks(id).map((t) => t.status), ['done', 'cancelled']);
  assert.deepEqual([(await s.request('POST', `/api/v1/sickbeds/${bed.id}/rounds`, { token: doctor01, body: { date: TODAY } })).json.code], ['sickbed_closed']);
  // A new bed after the discharge is allowed; the person's beds, newest first.
  assert.equal((await admit(id, { admitted_on: TODAY, diagnosis: 'J44.1' })).status, 201);
  r = await s.request('GET', `/api/v1/residents/${id}/sickbeds`, { token: doctor01 });
  assert.deepEqual(r.json.items.map((b) => b.status), ['open', 'discharged']);
  const audit = await s.request('GET', `/api/v1/audit?resident=${id}&limit=500`, { token: admin });
  assert.deepEqual(['sickbed', 'sickbed_round'].map((res) => audit.json.items.filter((e) => e.resource === res).length), [3, 1]);
});

test('bad input, scope and roles', async () => {
  const id = await patient();
  for (const [body, code, field] of [
    [{ diagnosis: 'I63.9' }, 'missing_field', 'admitted_on'],
    [{ admitted_on: addDays(TODAY, 1), diagnosis: 'I63.9' }, 'invalid_field', 'admitted_on'],
    [{ admitted_on: TODAY, diagnosis: '脑梗' }, 'invalid_field', 'diagnosis'],
    [{ admitted_on: TODAY, diagnosis: 'I63.9', round_days: 0 }, 'invalid_field', 'round_days'],
  ]) {
    const r = await admit(id, body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], JSON.stringify(body));
  }
  assert.equal(one(`SELECT count(*) FROM sickbeds WHERE resident_id = ${id}`), 0);
  const bed = (await admit(id, { admitted_on: daysAgo(2), diagnosis: 'I63.9' })).json;
  let r = await s.request('POST', `/api/v1/sickbeds/${bed.id}/rounds`, { token: doctor01, body: { date: daysAgo(3) } });
  assert.deepEqual([r.status, r.json.field], [422, 'date']);
  r = await s.request('POST', `/api/v1/sickbeds/${bed.id}/discharge`, { token: doctor01, body: { date: TODAY, outcome: 'cured' } });
  assert.deepEqual([r.status, r.json.field], [422, 'outcome']);
  assert.equal((await admit(id, { admitted_on: TODAY, diagnosis: 'I63.9' }, county)).status, 403);
  r = await s.request('POST', `/api/v1/sickbeds/${bed.id}/discharge`, { token: town01, body: { date: TODAY, outcome: 'improved' } });
  assert.deepEqual([r.status, r.json.code], [403, 'out_of_role'], 'a centre administrator admits and discharges nobody');
  const foreign = await patient('51152410200101', admin);
  r = await admit(foreign, { admitted_on: TODAY, diagnosis: 'I63.9' });
  assert.equal(r.status, 403);
  assert.equal(one(`SELECT count(*) FROM sickbeds WHERE resident_id = ${foreign}`), 0);
  assert.equal((await s.request('POST', '/api/v1/sickbeds/999999/rounds', { token: doctor01, body: { date: TODAY } })).status, 404);
});
