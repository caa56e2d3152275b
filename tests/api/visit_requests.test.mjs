// Visit requests, bookings with the team (issue 16, docs/resident-loop.md "Visit requests"):
// a resident or the team asks for a clinic visit, a home visit or a specialist appointment;
// residents aged 80 or over and the bedridden come first in the team's list; confirming
// writes the confirmation and the reminder of the day before (09:00 China time) to the outbox
// in the same transaction; a specialist request is confirmed by booking a family-doctor slot
// with POST /bookings' guards (a full slot is refused); cancelling cancels the reminder and
// gives the slot back; moves out of turn get 409 invalid_visit_transition; another team's
// staff, another resident and ids in bodies are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, PASSWORD, dbSql, dbJson } from '../lib/server.mjs';
import { TODAY, daysAgo, daysAhead, addDays } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, hospital01, team, gp, countyHospital, me;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);
const post = (path, body, token = doctor01) => s.request('POST', `/api/v1${path}`, { token, body });
const get = (path, token = doctor01) => s.request('GET', `/api/v1${path}`, { token });
const yearsAgo = (n, plusDays = 0) => addDays(`${Number(TODAY.slice(0, 4)) - n}${TODAY.slice(4)}`, plusDays);

let seq = 0;
async function resident(birth = '1960-03-15', signed = true) {
  const p = await post('/residents', { name: '约诊' + ++seq, id_number: idNumber(birth, 301 + 2 * seq), region: CELL, phone: `1390000${String(seq).padStart(4, '0')}` });
  assert.equal(p.status, 201, p.text);
  if (signed) {
    const c = await post('/contracts', { resident_id: p.json.id, team_id: team, doctor_id: gp, packages: ['BASIC'], start_date: daysAgo(10), channel: 'clinic' });
    assert.equal(c.status, 201, c.text);
  }
  return p.json.id;
}
const ask = (id, body, token) => post(`/residents/${id}/visit-requests`, body, token);
const outbox = (id) => dbJson(demo.db, `SELECT key, kind, status, resident_id, next_attempt_at, body FROM outbox WHERE key LIKE 'visit:${id}:%' ORDER BY key`);
// 09:00 China time on `day`, in Unix seconds.
const nineOn = (day) => Date.parse(`${day}T09:00:00+08:00`) / 1000;

before(async () => {
  demo = makeDemo({ residents: 0, name: 'visits' });
  s = await startServer(demo.db);
  [doctor01, doctor02, hospital01] = await Promise.all(['doctor01', 'doctor02', 'hospital01'].map((u) => s.login(u)));
  const session = (await get('/session')).json.user;
  team = session.teams[0];
  gp = session.staff_id;
  countyHospital = Number(sqlite("SELECT id FROM institutions WHERE kind = 'county_hospital'"));
  // A resident with a login of their own, signed with doctor01's team.
  me = await resident('1975-06-01');
  jiayi(['user', 'add', '--db', demo.db, '--username', 'visitor1', '--role', 'resident', '--name', 'visitor1', '--password', PASSWORD, '--resident', String(me)]);
});
after(async () => {
  assert.equal(await s.stop(), 0);
  cleanup(demo.dir);
});

test('each kind is asked for; priority high from 80 on the day and for the bedridden; one open request per kind', async () => {
  const r60 = await resident('1960-03-15');
  for (const kind of ['clinic', 'home', 'specialist']) {
    const r = await ask(r60, { kind, preferred_date: daysAhead(5), preferred_time: 'am', reason: '血压复查' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.status, 'requested');
    assert.equal(r.json.kind, kind);
    assert.equal(r.json.priority, 'normal');
    assert.equal(r.json.team_id, team);
  }
  const again = await ask(r60, { kind: 'home', preferred_date: daysAhead(6) });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.code, 'visit_request_open');

  const eighty = await resident(yearsAgo(80));
  const high = await ask(eighty, { kind: 'home', preferred_date: daysAhead(7) });
  assert.equal(high.status, 201, high.text);
  assert.equal(high.json.priority, 'high');
  assert.deepEqual(high.json.priority_reasons, ['age_80']);
  assert.equal(high.json.age, 80);
  const almost = await resident(yearsAgo(80, 1));
  assert.equal((await ask(almost, { kind: 'home', preferred_date: daysAhead(7) })).json.priority, 'normal');

  // Bedridden: the latest elderly assessment rated self-care 完全不能自理.
  const bed = await resident('1955-01-20');
  const assessed = await post('/followups', { resident_id: bed, program: 'elderly', visit_date: daysAgo(30), mode: 'home_visit', self_care: { eating: 3, grooming: 3, dressing: 3, toileting: 3, activity: 3 } });
  assert.equal(assessed.status, 201, assessed.text);
  assert.equal(assessed.json.result?.self_care_level ?? JSON.parse(sqlite(`SELECT result FROM followups WHERE id = ${assessed.json.id}`)).self_care_level, 'unable');
  const b = await ask(bed, { kind: 'home', preferred_date: daysAhead(9), reason: '卧床，需上门换药' });
  assert.equal(b.status, 201, b.text);
  assert.equal(b.json.priority, 'high');
  assert.deepEqual(b.json.priority_reasons, ['bedridden']);

  // The team's list: high priority first, then by day.
  const list = await get(`/teams/${team}/visit-requests?limit=100`);
  assert.equal(list.status, 200, list.text);
  const prios = list.json.items.map((x) => x.priority);
  assert.ok(prios.indexOf('normal') > prios.lastIndexOf('high'), 'high priority first');
  const highs = list.json.items.filter((x) => x.priority === 'high');
  assert.deepEqual(highs.map((x) => x.resident_id), [eighty, bed], 'then by day');
  assert.ok(list.json.items.every((x) => 'address' in x && 'phone' in x && typeof x.age === 'number'));
  // The resident's own list, and the audit of the list read.
  const mine = await get(`/residents/${r60}/visit-requests`);
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.json.items.map((x) => x.kind).sort(), ['clinic', 'home', 'specialist']);
  assert.equal((await get(`/teams/${team}/visit-requests?status=later`)).json.field, 'status');
});

test('bad input names the field; an unsigned resident is not_signed', async () => {
  const r = await resident();
  const cases = [
    [{ kind: 'taxi', preferred_date: daysAhead(1) }, 'invalid_field', 'kind'],
    [{ preferred_date: daysAhead(1) }, 'missing_field', 'kind'],
    [{ kind: 'home' }, 'missing_field', 'preferred_date'],
    [{ kind: 'home', preferred_date: daysAgo(1) }, 'date_in_past', 'preferred_date'],
    [{ kind: 'home', preferred_date: daysAhead(91) }, 'date_too_far', 'preferred_date'],
    [{ kind: 'home', preferred_date: daysAhead(1), preferred_time: 'noon' }, 'invalid_field', 'preferred_time'],
    [{ kind: 'home', preferred_date: daysAhead(1), department_id: 1 }, 'invalid_field', 'department_id'],
    [{ kind: 'specialist', preferred_date: daysAhead(1), department_id: 999999 }, 'invalid_field', 'department_id'],
    [{ kind: 'home', preferred_date: daysAhead(1), resident_id: me }, 'invalid_field', 'resident_id'],
  ];
  for (const [body, code, field] of cases) {
    const x = await ask(r, body);
    assert.equal(x.status, 422, `${JSON.stringify(body)}: ${x.text}`);
    assert.deepEqual([x.json.code, x.json.field], [code, field], JSON.stringify(body));
  }
  const unsigned = await resident('1960-03-15', false);
  const n = await ask(unsigned, { kind: 'clinic', preferred_date: daysAhead(1) });
  assert.equal(n.status, 422, n.text);
  assert.equal(n.json.code, 'not_signed');
  assert.equal(sqlite(`SELECT count(*) FROM visit_requests WHERE resident_id IN (${r}, ${unsigned})`), '0');
});

test('confirming writes the confirmation and the reminder at 09:00 the day before; cancelling cancels the reminder', async () => {
  const r = await resident();
  const v = (await ask(r, { kind: 'home', preferred_date: daysAhead(3), preferred_time: 'pm' })).json;
  const day = daysAhead(4);
  const c = await post(`/visit-requests/${v.id}/confirm`, { date: day, time: 'am' });
  assert.equal(c.status, 200, c.text);
  assert.deepEqual([c.json.status, c.json.confirmed_date, c.json.confirmed_time], ['confirmed', day, 'am']);
  // The delivery worker may already have sent a message due now: sent counts as written.
  const written = (status) => (status === 'sent' ? 'pending' : status);
  let rows = outbox(v.id);
  assert.deepEqual(rows.map((x) => [x.key, x.kind, written(x.status), x.resident_id]), [
    [`visit:${v.id}:confirmed`, 'booking', 'pending', r],
    [`visit:${v.id}:reminder`, 'booking', 'pending', r],
  ]);
  assert.equal(rows[1].next_attempt_at, nineOn(daysAhead(3)));
  assert.match(rows[0].body, /上门服务已确认/);
  assert.match(rows[0].body, new RegExp(`${day} 上午`));

  // Out of turn: confirmed twice, done before the day.
  const twice = await post(`/visit-requests/${v.id}/confirm`, { date: day, time: 'pm' });
  assert.deepEqual([twice.status, twice.json.code], [409, 'invalid_visit_transition']);
  const early = await post(`/visit-requests/${v.id}/done`, {});
  assert.deepEqual([early.status, early.json.code], [409, 'visit_not_due']);
  const past = await post(`/visit-requests/${(await ask(r, { kind: 'clinic', preferred_date: TODAY })).json.id}/confirm`, { date: daysAgo(1), time: 'am' });
  assert.deepEqual([past.status, past.json.code, past.json.field], [422, 'date_in_past', 'date']);

  const x = await post(`/visit-requests/${v.id}/cancel`, { reason: '家属已陪同就医' });
  assert.equal(x.status, 200, x.text);
  assert.equal(x.json.status, 'cancelled');
  rows = outbox(v.id);
  // A confirmation already sent cannot be taken back; one still waiting is cancelled.
  assert.deepEqual(rows.map((y) => [y.key, y.key.endsWith(':confirmed') && y.status === 'sent' ? 'cancelled' : written(y.status)]), [
    [`visit:${v.id}:cancelled`, 'pending'],
    [`visit:${v.id}:confirmed`, 'cancelled'],
    [`visit:${v.id}:reminder`, 'cancelled'],
  ]);
  for (const [path, body] of [['cancel', {}], ['confirm', { date: day, time: 'am' }], ['done', {}]]) {
    const y = await post(`/visit-requests/${v.id}/${path}`, body);
    assert.deepEqual([y.status, y.json.code], [409, 'invalid_visit_transition'], path);
  }
});

test('a home visit confirmed for today is marked done and counted as an encounter at home', async () => {
  const r = await resident();
  const v = (await ask(r, { kind: 'home', preferred_date: TODAY })).json;
  assert.equal((await post(`/visit-requests/${v.id}/done`)).json.code, 'invalid_visit_transition');
  const c = await post(`/visit-requests/${v.id}/confirm`, { date: TODAY, time: 'pm' });
  assert.equal(c.status, 200, c.text);
  // A visit today has no day before: the confirmation only.
  assert.deepEqual(outbox(v.id).map((x) => x.key), [`visit:${v.id}:confirmed`]);
  const d = await post(`/visit-requests/${v.id}/done`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status, 'done');
  assert.ok(d.json.encounter_id);
  assert.equal(sqlite(`SELECT at_home || ',' || team_id || ',' || encounter_date FROM encounters WHERE id = ${d.json.encounter_id}`), `1,${team},${TODAY}`);
  assert.equal((await post(`/visit-requests/${v.id}/cancel`)).json.code, 'invalid_visit_transition');
});

test('a specialist request is confirmed by booking a family-doctor slot; a full slot is refused; cancelling gives it back', async () => {
  const day = daysAhead(2);
  const pub = await post(`/hospitals/${countyHospital}/schedules`, { department: 'cardiology', doctor_name: '罗建华', date: day, start: '08:00', end: '08:15', slot_minutes: 15, capacity: 1 }, hospital01);
  assert.equal(pub.status, 201, pub.text);
  const slot = pub.json.slots[0];
  const dept = Number(sqlite(`SELECT id FROM hospital_departments WHERE institution_id = ${countyHospital} AND code = 'cardiology'`));
  const a = await resident(), b = await resident();
  const va = (await ask(a, { kind: 'specialist', preferred_date: day, department_id: dept, reason: '胸闷' })).json;
  const vb = (await ask(b, { kind: 'specialist', preferred_date: day })).json;
  assert.equal(va.department_id, dept);
  const missing = await post(`/visit-requests/${va.id}/confirm`, { date: day, time: 'am' });
  assert.deepEqual([missing.status, missing.json.field], [422, 'slot_id']);
  const ok = await post(`/visit-requests/${va.id}/confirm`, { slot_id: slot.id });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual([ok.json.status, ok.json.confirmed_date, ok.json.confirmed_time, ok.json.slot_starts_at], ['confirmed', day, 'am', `${day}T08:00`]);
  assert.ok(ok.json.booking_id);
  assert.equal(sqlite(`SELECT resident_id || ',' || status || ',' || team_id FROM bookings WHERE id = ${ok.json.booking_id}`), `${a},booked,${team}`);
  assert.match(outbox(va.id)[0].body, /专科预约已确认.*08:00/);
  // The slot's one place is taken: the second request is refused and stays requested.
  const full = await post(`/visit-requests/${vb.id}/confirm`, { slot_id: slot.id });
  assert.deepEqual([full.status, full.json.code], [409, 'slot_taken']);
  assert.equal(sqlite(`SELECT status FROM visit_requests WHERE id = ${vb.id}`), 'requested');
  assert.equal(outbox(vb.id).length, 0);
  assert.equal(sqlite(`SELECT booked FROM slots WHERE id = ${slot.id}`), '1');
  // Cancelling the confirmed request cancels the booking and frees the place.
  const x = await post(`/visit-requests/${va.id}/cancel`);
  assert.equal(x.status, 200, x.text);
  assert.equal(sqlite(`SELECT status FROM bookings WHERE id = ${ok.json.booking_id}`), 'cancelled');
  assert.equal(sqlite(`SELECT booked FROM slots WHERE id = ${slot.id}`), '0');
  assert.equal((await post(`/visit-requests/${vb.id}/confirm`, { slot_id: slot.id })).status, 200);
});

test('scope: a resident acts for themself only; another team\'s staff is refused everywhere', async () => {
  const visitor = await s.login('visitor1');
  const own = await ask(me, { kind: 'clinic', preferred_date: daysAhead(2), preferred_time: 'am' }, visitor);
  assert.equal(own.status, 201, own.text);
  assert.equal((await get(`/residents/${me}/visit-requests`, visitor)).json.items.length, 1);
  const other = await resident();
  const theirs = (await ask(other, { kind: 'home', preferred_date: daysAhead(2) })).json;
  for (const [method, path, body] of [
    ['POST', `/residents/${other}/visit-requests`, { kind: 'home', preferred_date: daysAhead(2) }],
    ['GET', `/residents/${other}/visit-requests`],
    ['POST', `/visit-requests/${theirs.id}/cancel`, {}],
  ]) {
    const r = await s.request(method, `/api/v1${path}`, { token: visitor, body });
    assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
    assert.ok(!r.text.includes('约诊'), 'no name in the refusal');
  }
  // The team's side is not the resident's.
  assert.equal((await post(`/visit-requests/${own.json.id}/confirm`, { date: daysAhead(2), time: 'am' }, visitor)).status, 403);
  assert.equal((await get(`/teams/${team}/visit-requests`, visitor)).status, 403);
  // The resident cancels their own.
  assert.equal((await post(`/visit-requests/${own.json.id}/cancel`, {}, visitor)).json.status, 'cancelled');

  // doctor02 is on another team: nothing of doctor01's team's people.
  const before = sqlite('SELECT count(*) || \',\' || max(updated_at) FROM visit_requests');
  for (const [method, path, body] of [
    ['POST', `/residents/${other}/visit-requests`, { kind: 'clinic', preferred_date: daysAhead(2) }],
    ['GET', `/teams/${team}/visit-requests`],
    ['POST', `/visit-requests/${theirs.id}/confirm`, { date: daysAhead(2), time: 'am' }],
    ['POST', `/visit-requests/${theirs.id}/cancel`, {}],
    ['POST', `/visit-requests/${theirs.id}/done`, {}],
  ]) {
    const r = await s.request(method, `/api/v1${path}`, { token: doctor02, body });
    assert.ok([403, 404].includes(r.status), `${method} ${path}: ${r.status} ${r.text}`);
    assert.ok(!r.text.includes('约诊'), 'no name in the refusal');
  }
  assert.equal(sqlite('SELECT count(*) || \',\' || max(updated_at) FROM visit_requests'), before);
  const own2 = sqlite(`SELECT team_id FROM team_members tm JOIN staff st ON st.id = tm.staff_id JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor02' LIMIT 1`);
  assert.equal((await get(`/teams/${own2}/visit-requests`, doctor02)).status, 200);
  assert.equal((await get('/visit-requests/999999/confirm')).status, 405);
  assert.equal((await post('/visit-requests/999999/confirm', {})).status, 404);
  // Every read and write of the person is in the audit chain.
  const audit = await s.request('GET', `/api/v1/audit?resident=${other}`, { token: await s.login('admin') });
  const actions = new Set((audit.json.items || []).map((x) => `${x.action}:${x.resource}`));
  assert.ok(actions.has('create:visit_request'), [...actions].join(' '));
});
