// Every visit is a prevention visit (issue 19, seed 001): what a visit shows the doctor (the
// tasks due, a child's next vaccination, the services left on the contract) and offers (a
// programme for a chronic diagnosis not yet managed, a contract for an unsigned key-population
// resident); the answers counted, an accepted enrolment made at once; the report of offers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbJson } from '../lib/server.mjs';
import { TODAY, daysAgo, YEAR } from '../lib/clock.mjs';

let demo, s, doctor01, admin, county, town01;
const CELL = '51152410100101';
const sql = (q) => dbJson(demo.db, q);
const one = (q) => { const rows = sql(q); return rows.length ? Object.values(rows[0])[0] : null; };

before(async () => {
  demo = makeDemo({ residents: 0, name: 'visit-prompts' });
  s = await startServer(demo.db);
  [doctor01, admin, county, town01] = await Promise.all(['doctor01', 'admin', 'county', 'town01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person(birth) {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '就诊提示' + ++seq, id_number: idNumber(birth, 2 * seq + 901), region: CELL } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const prompts = (id, token = doctor01) => s.request('GET', `/api/v1/residents/${id}/visit-prompts`, { token });
const answer = (id, body, token = doctor01) => s.request('POST', `/api/v1/residents/${id}/visit-offers`, { token, body });

test('a hypertensive diabetic not yet managed, over 65 and unsigned: offered both programmes and a contract', async () => {
  const id = await person('1955-02-02');
  for (const icd10 of ['I10', 'E11.9']) assert.equal((await s.request('POST', `/api/v1/residents/${id}/diagnoses`, { token: doctor01, body: { icd10, diagnosed_on: daysAgo(100) } })).status, 201);
  let r = await prompts(id);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.population_class, 1, '65 and over: the key population');
  assert.deepEqual(r.json.offers, [{ kind: 'enrol', program: 'hypertension', diagnosis: 'I10' }, { kind: 'enrol', program: 'diabetes', diagnosis: 'E11.9' }, { kind: 'sign' }]);
  assert.ok(Array.isArray(r.json.due) && Array.isArray(r.json.services_left));
  assert.equal(r.json.next_vaccination, null);
  // Enrolment accepted: made at once, and the offer is gone.
  r = await answer(id, { kind: 'enrol', program: 'hypertension', response: 'accepted' });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.enrolment_id);
  assert.equal(one(`SELECT count(*) FROM enrolments WHERE resident_id = ${id} AND program = 'hypertension' AND end_date IS NULL`), 1);
  r = await answer(id, { kind: 'enrol', program: 'diabetes', response: 'declined' });
  assert.deepEqual([r.status, r.json.enrolment_id], [201, null]);
  r = await answer(id, { kind: 'sign', response: 'declined' });
  assert.equal(r.status, 201);
  r = await prompts(id);
  assert.deepEqual(r.json.offers.map((o) => o.program || o.kind), ['diabetes', 'sign'], 'a declined offer is made again at the next visit');
  // An answer to something not offered: refused, nothing written.
  const before = one('SELECT count(*) FROM visit_offers');
  for (const [body, field] of [[{ kind: 'enrol', program: 'hypertension', response: 'accepted' }, 'program'],
    [{ kind: 'enrol', program: 'smd', response: 'accepted' }, 'program'], [{ kind: 'enrol', response: 'accepted' }, 'program']]) {
    r = await answer(id, body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, 'invalid_field', field], JSON.stringify(body));
  }
  for (const [body, code, field] of [[{ kind: 'call', response: 'accepted' }, 'invalid_field', 'kind'], [{ kind: 'sign' }, 'missing_field', 'response']]) {
    r = await answer(id, body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field]);
  }
  assert.equal(one('SELECT count(*) FROM visit_offers'), before);
  // The report counts the offers and what was accepted; the audit names the person.
  r = await s.request('GET', `/api/v1/reports/visit-offers?region=${CELL.slice(0, 9)}&from=${YEAR}-01-01&to=${TODAY}`, { token: county });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.enrol, r.json.sign], [{ offered: 2, accepted: 1 }, { offered: 1, accepted: 0 }]);
  assert.deepEqual(r.json.by_program.hypertension, { offered: 1, accepted: 1 });
  const audit = await s.request('GET', `/api/v1/audit?resident=${id}&limit=500`, { token: admin });
  assert.equal(audit.json.items.filter((e) => e.resource === 'visit_offer').length, 3);
  assert.ok(audit.json.items.some((e) => e.resource === 'visit_prompts'));
});

test('a child: the next vaccination is shown; the tasks due are listed', async () => {
  const id = await person(daysAgo(20));
  const r = await prompts(id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.next_vaccination.vaccine, r.json.next_vaccination.dose], ['hepb', 1]);
  assert.deepEqual(r.json.offers, [{ kind: 'sign' }], 'children under 7 are a key population');
});

test('roles and scope', async () => {
  const id = await person('1950-01-01');
  assert.equal((await prompts(id, county)).status, 403, 'counts, not people, for the health commission');
  assert.equal((await answer(id, { kind: 'sign', response: 'declined' }, town01)).status, 403, 'a centre administrator makes no clinical offer');
  const foreign = (await s.request('POST', '/api/v1/residents', { token: admin, body: { name: '外镇', id_number: idNumber('1950-01-01', 999), region: '51152410200101' } })).json.id;
  assert.equal((await prompts(foreign)).status, 403);
  assert.equal((await answer(foreign, { kind: 'sign', response: 'declined' })).status, 403);
  assert.equal((await s.request('GET', '/api/v1/reports/visit-offers?region=511524102', { token: town01 })).status, 403);
  assert.deepEqual((await s.request('GET', '/api/v1/reports/visit-offers', { token: county })).json.field, 'region');
});

test('pre-visit: the people the team expects today, with why, their colour, their open tasks', async () => {
  const id = await person('1956-03-03');
  assert.equal((await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: id, program: 'hypertension', start_date: daysAgo(200) } })).status, 201);
  assert.equal((await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: id, program: 'hypertension', visit_date: daysAgo(30), sbp: 152, dbp: 94 } })).status, 201);
  assert.equal((await s.request('POST', '/api/v1/tb-cases', { token: doctor01, body: { resident_id: id, notified_on: daysAgo(3), treatment_start: daysAgo(4), supervision: 'family' } })).status, 201);
  const team = one(`SELECT team_id FROM team_cells WHERE region_code = '${CELL}' LIMIT 1`);
  let r = await s.request('GET', `/api/v1/visit-day?team=${team}`, { token: doctor01 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.date, TODAY);
  const item = r.json.items.find((x) => x.resident_id === id);
  assert.ok(item, 'the TB home visit due today brings the patient onto the list');
  assert.deepEqual(item.reasons, [{ source: 'task', kind: 'tb_visit', program: 'tb' }]);
  assert.deepEqual([item.colour, item.services_left, item.population_class], ['yellow', 0, 1]);
  assert.ok(item.due_count >= 2);
  r = await s.request('GET', `/api/v1/visit-day?team=${team}&date=${daysAgo(1)}`, { token: doctor01 });
  assert.ok(!r.json.items.some((x) => x.resident_id === id));
  for (const [query, code, field] of [['', 'missing_field', 'team'], [`team=x`, 'invalid_field', 'team'], [`team=${team}&date=2026-02-30`, 'invalid_date', 'date']]) {
    r = await s.request('GET', `/api/v1/visit-day?${query}`, { token: doctor01 });
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], query);
  }
  const other = one(`SELECT team_id FROM team_cells WHERE region_code LIKE '511524102%' LIMIT 1`);
  assert.equal((await s.request('GET', `/api/v1/visit-day?team=${other}`, { token: doctor01 })).status, 403);
});
