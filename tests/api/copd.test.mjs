// COPD follow-up (issue 19, docs/copd.md): the dry run by GOLD group, enrolment putting the
// first visit on the work list, a visit closing its task and opening the next by group, the
// yearly spirometry remembered across visits, a severe exacerbation referred at once to the
// county hospital's respiratory department and a frequent exacerbator's treatment reviewed,
// the intervals as protocol settings, and scope, roles and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbJson } from '../lib/server.mjs';
import { TODAY, addDays, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, admin, county, village;
const CELL = '51152410100101';
const FOREIGN_CELL = '51152410200101';
const sql = (q) => dbJson(demo.db, q);
const one = (q) => { const rows = sql(q); return rows.length ? Object.values(rows[0])[0] : null; };

before(async () => {
  demo = makeDemo({ residents: 0, name: 'copd' });
  s = await startServer(demo.db);
  [doctor01, admin, county, village] = await Promise.all(['doctor01', 'admin', 'county', 'village01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function patient(region = CELL, token = doctor01) {
  const r = await s.request('POST', '/api/v1/residents', { token, body: { name: '慢阻' + ++seq, id_number: idNumber('1952-09-03', 2 * seq + 601), region } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
async function enrolled(start = daysAgo(30)) {
  const id = await patient();
  const r = await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: id, program: 'copd', start_date: start } });
  assert.equal(r.status, 201, r.text);
  return id;
}
const evaluate = (body) => s.request('POST', '/api/v1/copd/evaluate', { token: doctor01, body });
const visit = (id, body, token = doctor01) => s.request('POST', `/api/v1/residents/${id}/copd-visits`, { token, body });
const openTasks = (id) => sql(`SELECT kind, due_date, note FROM tasks WHERE resident_id = ${id} AND program = 'copd' AND status = 'open'`);

test('evaluate: the GOLD group, grade and action, the next visit by group', async () => {
  let r = await evaluate({ visit_date: '2026-06-01', mmrc: 1, cat: 8, last_spirometry: '2026-01-10' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { group: 'A', action: 'continue', reasons: [], next_due: '2026-11-28', spirometry_due: false, gold_grade: null });
  r = await evaluate({ visit_date: '2026-06-01', mmrc: 2, cat: 8, fev1_pct: 62, smoking: true });
  assert.deepEqual([r.json.group, r.json.gold_grade, r.json.next_due, r.json.reasons], ['B', 2, '2026-08-30', ['smoking_cessation']]);
  r = await evaluate({ visit_date: '2026-06-01', mmrc: 1, cat: 5, exacerbations_moderate: 2 });
  assert.deepEqual([r.json.group, r.json.action, r.json.next_due, r.json.reasons], ['E', 'refer', '2026-07-01', ['frequent_exacerbations', 'spirometry_due']]);
  r = await evaluate({ visit_date: '2026-06-01', mmrc: 3, cat: 25, acute: true, last_spirometry: '2026-01-10' });
  assert.deepEqual([r.json.action, r.json.next_due, r.json.reasons], ['adjust_treatment', '2026-06-15', ['exacerbation']]);
  r = await evaluate({ visit_date: '2026-06-01', mmrc: 3, cat: 25, acute: true, spo2: 86, last_spirometry: '2026-01-10' });
  assert.deepEqual([r.json.action, r.json.reasons], ['urgent_refer', ['low_oxygen']]);
  for (const [body, code, field] of [
    [{ visit_date: '2026-06-01', cat: 3 }, 'missing_field', 'mmrc'],
    [{ visit_date: '2026-06-01', mmrc: 5, cat: 3 }, 'invalid_field', 'mmrc'],
    [{ visit_date: '2026-06-01', mmrc: 1, cat: 41 }, 'invalid_field', 'cat'],
    [{ visit_date: '2026-02-30', mmrc: 1, cat: 3 }, 'invalid_date', 'visit_date'],
    [{ visit_date: '2026-06-01', mmrc: 1, cat: 3, spo2: 101 }, 'invalid_field', 'spo2'],
  ]) {
    r = await evaluate(body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], JSON.stringify(body));
  }
});

test('enrolment, visits and the work list: each visit closes its task and opens the next', async () => {
  const start = daysAgo(30);
  const id = await enrolled(start);
  assert.deepEqual(openTasks(id), [{ kind: 'copd_visit', due_date: addDays(start, 14), note: 'first_visit' }]);
  // The first visit has no spirometry behind it: the next task says so.
  let r = await visit(id, { visit_date: daysAgo(20), mode: 'clinic', mmrc: 2, cat: 14, smoking: true, inhaler_ok: false });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.evaluation.group, r.json.evaluation.action, r.json.evaluation.spirometry_due], ['B', 'continue', true]);
  assert.deepEqual(r.json.evaluation.reasons, ['spirometry_due', 'inhaler_technique', 'smoking_cessation']);
  assert.deepEqual(openTasks(id), [{ kind: 'copd_visit', due_date: addDays(daysAgo(20), 90), note: 'spirometry_due' }]);
  // The second brings the spirometry; the third, later, remembers it.
  r = await visit(id, { visit_date: daysAgo(10), mode: 'home_visit', mmrc: 1, cat: 9, fev1_pct: 48 }, village);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.evaluation.group, r.json.evaluation.gold_grade, r.json.evaluation.spirometry_due], ['A', 3, false]);
  r = await visit(id, { visit_date: TODAY, mode: 'phone', mmrc: 1, cat: 9 });
  assert.deepEqual([r.json.evaluation.spirometry_due, r.json.evaluation.next_due], [false, addDays(TODAY, 180)]);
  assert.deepEqual(openTasks(id), [{ kind: 'copd_visit', due_date: addDays(TODAY, 180), note: 'visit' }]);
  // A visit dated before the latest is refused: visits come in order.
  const late = await visit(id, { visit_date: daysAgo(15), mode: 'phone', mmrc: 1, cat: 9 });
  assert.deepEqual([late.status, late.json.code, late.json.field], [422, 'earlier_than_recorded', 'visit_date']);
  const list = await s.request('GET', `/api/v1/residents/${id}/copd-visits`, { token: doctor01 });
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((v) => [v.visit_date, v.group, v.mode, v.fev1_pct]),
    [[TODAY, 'A', 'phone', null], [daysAgo(10), 'A', 'home_visit', 48], [daysAgo(20), 'B', 'clinic', null]]);
  assert.equal(list.json.items[2].inhaler_ok, false);
  assert.equal(one(`SELECT count(*) FROM audit_log WHERE resource = 'copd_visit' AND action = 'create' AND resident_id = ${id}`), 3);
});

test('a severe exacerbation is referred at once, a frequent exacerbator reviewed by the specialist', async () => {
  const id = await enrolled();
  let r = await visit(id, { visit_date: TODAY, mode: 'home_visit', mmrc: 4, cat: 30, acute: true, respiratory_rate: 32, spo2: 87 });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.evaluation.reasons.slice(0, 2), ['low_oxygen', 'fast_breathing']);
  assert.equal(r.json.referrals.length, 1);
  assert.deepEqual([r.json.referrals[0].reason, r.json.referrals[0].urgent], ['copd_exacerbation', true]);
  assert.equal(one(`SELECT category FROM referrals WHERE resident_id = ${id}`), 'emergency');
  // The next visit two weeks on, beside the task to confirm the hospital saw the patient today.
  assert.deepEqual(openTasks(id).map((t) => [t.kind, t.due_date]).sort(), [['copd_visit', addDays(TODAY, 14)], ['referral_confirm', TODAY]].sort());
  const other = await enrolled();
  r = await visit(other, { visit_date: TODAY, mode: 'clinic', mmrc: 1, cat: 6, exacerbations_hospitalised: 1 });
  assert.deepEqual([r.json.evaluation.group, r.json.referrals[0].reason, r.json.referrals[0].urgent], ['E', 'frequent_exacerbations', false]);
  // Reviewed now: the next visits of this frequent exacerbator refer no more for six months.
  r = await visit(other, { visit_date: TODAY, mode: 'phone', mmrc: 1, cat: 6, exacerbations_hospitalised: 1 });
  assert.deepEqual([r.json.evaluation.group, r.json.evaluation.action, r.json.referrals.length], ['E', 'continue', 0]);
});

test('the intervals are protocol settings', async () => {
  const put = (values) => s.request('PUT', '/api/v1/protocol-settings', { token: admin, body: { values } });
  assert.equal((await put({ copd_interval_a_days: 3 })).status, 422);
  assert.equal((await put({ copd_interval_a_days: 90, copd_spo2_urgent: 88 })).status, 200);
  try {
    const r = await evaluate({ visit_date: '2026-06-01', mmrc: 0, cat: 3, spo2: 89, last_spirometry: '2026-01-10' });
    assert.deepEqual([r.json.action, r.json.next_due], ['continue', '2026-08-30']);
  } finally {
    assert.equal((await put({ copd_interval_a_days: 180, copd_spo2_urgent: 90 })).status, 200);
  }
});

test('scope, roles and bad input: refused with the field named, nothing written', async () => {
  const foreign = await patient(FOREIGN_CELL, admin);
  await s.request('POST', '/api/v1/enrolments', { token: admin, body: { resident_id: foreign, program: 'copd', start_date: daysAgo(5) } });
  let r = await visit(foreign, { visit_date: TODAY, mode: 'clinic', mmrc: 1, cat: 5 });
  assert.equal(r.status, 403);
  assert.ok(!r.text.includes('慢阻'));
  r = await s.request('GET', `/api/v1/residents/${foreign}/copd-visits`, { token: doctor01 });
  assert.equal(r.status, 403);
  const id = await enrolled(daysAgo(5));
  r = await visit(id, { visit_date: TODAY, mode: 'clinic', mmrc: 1, cat: 5 }, county);
  assert.deepEqual([r.status, r.json.code], [403, 'out_of_role']);
  for (const [body, code, field] of [
    [{ visit_date: daysAgo(6), mode: 'clinic', mmrc: 1, cat: 5 }, 'invalid_date', 'visit_date'],
    [{ visit_date: addDays(TODAY, 1), mode: 'clinic', mmrc: 1, cat: 5 }, 'invalid_date', 'visit_date'],
    [{ visit_date: TODAY, mode: 'post', mmrc: 1, cat: 5 }, 'invalid_field', 'mode'],
    [{ visit_date: TODAY, mmrc: 1, cat: 5 }, 'missing_field', 'mode'],
    [{ visit_date: TODAY, mode: 'clinic', mmrc: 1, cat: 5, fev1_pct: 'low' }, 'invalid_field', 'fev1_pct'],
  ]) {
    r = await visit(id, body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], JSON.stringify(body));
  }
  const unenrolled = await patient();
  r = await visit(unenrolled, { visit_date: TODAY, mode: 'clinic', mmrc: 1, cat: 5 });
  assert.deepEqual([r.status, r.json.code, r.json.field], [422, 'not_enrolled', 'resident_id']);
  assert.equal(one(`SELECT count(*) FROM copd_visits WHERE resident_id IN (${id}, ${unenrolled}, ${foreign})`), 0);
});
