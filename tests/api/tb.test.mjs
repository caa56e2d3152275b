// Tuberculosis patients in primary care (issue 19, PROTOCOLS.md §14): the dry run, the
// county TB institution's notice opening a case with its 72-hour home visit on the work list,
// visits by supervision mode and phase, more than a week of missed doses reported once, an
// adverse reaction referred at once to the designated hospital, the closing assessment, the
// two indicators of §15, and scope, roles and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbJson, jiayi } from '../lib/server.mjs';
import { TODAY, addDays, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, admin, county, village;
const CELL = '51152410100101';
const FOREIGN_CELL = '51152410200101';
const sql = (q) => dbJson(demo.db, q);
const one = (q) => { const rows = sql(q); return rows.length ? Object.values(rows[0])[0] : null; };

before(async () => {
  demo = makeDemo({ residents: 0, name: 'tb' });
  s = await startServer(demo.db);
  [doctor01, admin, county, village] = await Promise.all(['doctor01', 'admin', 'county', 'village01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function patient(region = CELL, token = doctor01) {
  const r = await s.request('POST', '/api/v1/residents', { token, body: { name: '结核' + ++seq, id_number: idNumber('1968-04-12', 2 * seq + 501), region } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const evaluate = (body) => s.request('POST', '/api/v1/tb-cases/evaluate', { token: doctor01, body });
const notice = (body, token = doctor01) => s.request('POST', '/api/v1/tb-cases', { token, body });
const visit = (id, body, token = doctor01) => s.request('POST', `/api/v1/tb-cases/${id}/visits`, { token, body });
const tasks = (resident) => sql(`SELECT kind, program, due_date, status, note FROM tasks WHERE resident_id = ${resident} ORDER BY id`);

test('evaluate: the next visit by supervision and phase, the report and the referral', async () => {
  const base = { treatment_start: '2026-02-26', notified_on: '2026-03-01', supervision: 'family' };
  let r = await evaluate({ ...base, visit_date: '2026-03-03' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { phase: 'intensive', action: 'continue', report_missed: false, refer: false, reasons: [],
    missed_doses_total: 0, next_due: '2026-03-13', next_is_closing: false, course_end: '2026-08-26', first_visit_due: '2026-03-04' });
  r = await evaluate({ ...base, visit_date: '2026-05-01' });
  assert.deepEqual([r.json.phase, r.json.next_due], ['continuation', '2026-06-01']);
  r = await evaluate({ ...base, supervision: 'medical', visit_date: '2026-03-03' });
  assert.equal(r.json.next_due, '2026-04-03');
  r = await evaluate({ ...base, visit_date: '2026-03-23', missed_doses_before: 5, missed_doses: 3 });
  assert.deepEqual([r.json.action, r.json.report_missed, r.json.reasons, r.json.missed_doses_total], ['report_missed', true, ['missed_doses_over_week'], 8]);
  r = await evaluate({ ...base, visit_date: '2026-03-23', adverse_reaction: true });
  assert.deepEqual([r.json.action, r.json.refer], ['urgent_refer', true]);
  r = await evaluate({ ...base, visit_date: '2026-08-26', closing: true });
  assert.deepEqual([r.json.action, r.json.next_due], ['close', null]);
  for (const [body, code, field] of [
    [{ ...base, visit_date: '2026-03-03', supervision: 'nurse' }, 'invalid_field', 'supervision'],
    [{ ...base }, 'missing_field', 'visit_date'],
    [{ ...base, visit_date: '2026-03-03', intensive_months: 6, course_months: 6 }, 'invalid_field', 'intensive_months'],
  ]) {
    r = await evaluate(body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], JSON.stringify(body));
  }
});

test('a notice, the 72-hour home visit, visits every 10 days, a week of missed doses reported once, an adverse reaction referred, the closing', async () => {
  const id = await patient();
  const notified = daysAgo(60), start = daysAgo(62);
  let r = await notice({ resident_id: id, notified_on: notified, treatment_start: start, supervision: 'family', notified_by: '县疾控中心结核病防治所' });
  assert.equal(r.status, 201, r.text);
  const c = r.json;
  assert.deepEqual([c.status, c.first_visit_due, c.supervision, c.visits.length, c.adherence], ['open', addDays(notified, 3), 'family', 0, null]);
  assert.deepEqual(tasks(id).map((t) => [t.kind, t.program, t.due_date, t.status]), [['tb_visit', 'tb', addDays(notified, 3), 'open']]);
  assert.equal(one(`SELECT count(*) FROM enrolments WHERE resident_id = ${id} AND program = 'tb' AND end_date IS NULL`), 1);
  // A second open case for the same person is refused.
  r = await notice({ resident_id: id, notified_on: notified, treatment_start: start, supervision: 'family' });
  assert.deepEqual([r.status, r.json.code], [409, 'case_open']);
  // The first visit, at home within 72 hours.
  r = await visit(c.id, { visit_date: addDays(notified, 2), mode: 'home_visit', doses_due: 4, doses_taken: 4 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.case.visits[0].kind, 'first');
  assert.deepEqual([r.json.evaluation.action, r.json.evaluation.next_due], ['continue', addDays(notified, 12)]);
  // Ten days on: 5 doses missed; then 3 more: the total passes a week, reported once.
  r = await visit(c.id, { visit_date: addDays(notified, 12), mode: 'home_visit', doses_due: 10, doses_taken: 5 });
  assert.equal(r.json.evaluation.report_missed, false);
  r = await visit(c.id, { visit_date: addDays(notified, 22), mode: 'phone', doses_due: 10, doses_taken: 7 });
  assert.deepEqual([r.json.evaluation.action, r.json.evaluation.missed_doses_total], ['report_missed', 8]);
  assert.equal(r.json.case.missed_reported_on, addDays(notified, 22));
  r = await visit(c.id, { visit_date: addDays(notified, 32), mode: 'home_visit', doses_due: 10, doses_taken: 9 });
  assert.equal(r.json.evaluation.report_missed, false, 'reported once');
  // The report task is closed by hand once the county TB institution has been told.
  const report = one(`SELECT id FROM tasks WHERE resident_id = ${id} AND kind = 'tb_report' AND status = 'open'`);
  r = await s.request('POST', `/api/v1/tasks/${report}/close`, { token: doctor01, body: { outcome: 'done', note: '已电话报告县结防所' } });
  assert.equal(r.status, 200, r.text);
  // An adverse reaction: referred at once to the designated hospital, confirmed the same day.
  r = await visit(c.id, { visit_date: addDays(notified, 42), mode: 'clinic', doses_due: 10, doses_taken: 10, adverse_reaction: true });
  assert.equal(r.json.evaluation.action, 'urgent_refer');
  assert.equal(r.json.referrals.length, 1);
  assert.deepEqual([r.json.referrals[0].reason, r.json.referrals[0].urgent, r.json.referrals[0].target_level], ['adverse_reaction', true, 'infectious']);
  const kinds = tasks(id);
  assert.deepEqual(kinds.filter((t) => t.status === 'open').map((t) => t.kind).sort(), ['referral_confirm', 'tb_visit']);
  assert.equal(kinds.filter((t) => t.kind === 'tb_visit' && t.status === 'open').length, 1, 'one next visit at a time');
  // Totals and adherence.
  r = await s.request('GET', `/api/v1/tb-cases/${c.id}`, { token: doctor01 });
  assert.deepEqual([r.json.doses_due, r.json.doses_taken, r.json.missed_doses, r.json.visits.length], [44, 35, 9, 5]);
  assert.ok(Math.abs(r.json.adherence - 35 / 44) < 1e-9);
  // The closing assessment ends the case and the enrolment; no next visit.
  r = await visit(c.id, { visit_date: TODAY, mode: 'clinic', kind: 'closing' });
  assert.deepEqual([r.status, r.json.code, r.json.field], [422, 'missing_field', 'outcome']);
  r = await visit(c.id, { visit_date: TODAY, mode: 'clinic', kind: 'closing', outcome: 'completed', doses_due: 2, doses_taken: 2 });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.case.status, r.json.case.outcome, r.json.case.closed_on, r.json.evaluation.next_due], ['closed', 'completed', TODAY, null]);
  assert.equal(one(`SELECT count(*) FROM tasks WHERE resident_id = ${id} AND kind = 'tb_visit' AND status = 'open'`), 0);
  assert.equal(one(`SELECT end_date FROM enrolments WHERE resident_id = ${id} AND program = 'tb'`), TODAY);
  r = await visit(c.id, { visit_date: TODAY, mode: 'clinic' });
  assert.deepEqual([r.status, r.json.code], [409, 'case_closed']);
  // The resident's cases, and the audit trail.
  r = await s.request('GET', `/api/v1/residents/${id}/tb-cases`, { token: doctor01 });
  assert.equal(r.json.items.length, 1);
  const audit = await s.request('GET', `/api/v1/audit?resident=${id}&limit=500`, { token: admin });
  assert.equal(audit.json.items.filter((e) => e.resource === 'tb_visit').length, 6);
  assert.equal(audit.json.items.filter((e) => e.resource === 'tb_case' && e.action === 'create').length, 1);
});

test('tb_mgmt_rate and tb_regular_medication_rate count the cases, kept exact', async () => {
  const managed = await patient(), waiting = await patient();
  const notified = daysAgo(20);
  const a = (await notice({ resident_id: managed, notified_on: notified, treatment_start: notified, supervision: 'medical' })).json;
  await notice({ resident_id: waiting, notified_on: notified, treatment_start: notified, supervision: 'family' });
  assert.equal((await visit(a.id, { visit_date: addDays(notified, 1), mode: 'home_visit', doses_due: 1, doses_taken: 1 })).status, 201);
  // Completed with 19 of 20 doses (95%): regular.
  assert.equal((await visit(a.id, { visit_date: TODAY, mode: 'clinic', kind: 'closing', outcome: 'cured', doses_due: 19, doses_taken: 18 })).status, 201);
  const read = async (code, month) => (await s.request('GET', `/api/v1/indicators?scope=region:${CELL}&period=${month}&codes=${code}`, { token: county })).json.items[0];
  const mgmt = await read('tb_mgmt_rate', notified.slice(0, 7)); // the month of the notices
  assert.deepEqual([mgmt.numerator, mgmt.denominator], [1, 2]);
  assert.equal(mgmt.name, '肺结核患者管理率');
  // Completed this month: this course (95% of doses taken) and the one above (37 of 46, 80%).
  const regular = await read('tb_regular_medication_rate', TODAY.slice(0, 7));
  assert.equal(regular.name, '肺结核患者规则服药率');
  assert.deepEqual([regular.numerator, regular.denominator], [1, 2]);
  jiayi(['kpi', 'check', '--db', demo.db]);
});

test('scope, roles and bad input: refused with the field named, nothing written', async () => {
  const foreign = await patient(FOREIGN_CELL, admin);
  const start = daysAgo(5);
  let r = await notice({ resident_id: foreign, notified_on: start, treatment_start: start, supervision: 'family' });
  assert.equal(r.status, 403);
  assert.ok(!r.text.includes('结核'));
  assert.equal(one(`SELECT count(*) FROM tb_cases WHERE resident_id = ${foreign}`), 0);
  const adminCase = (await notice({ resident_id: foreign, notified_on: start, treatment_start: start, supervision: 'family' }, admin));
  assert.equal(adminCase.status, 403, 'the system administrator records no clinical work');
  const id = await patient();
  r = await notice({ resident_id: id, notified_on: start, treatment_start: start, supervision: 'family' }, county);
  assert.deepEqual([r.status, r.json.code], [403, 'out_of_role']);
  for (const [body, code, field] of [
    [{ notified_on: start, treatment_start: start, supervision: 'family' }, 'missing_field', 'resident_id'],
    [{ resident_id: id, treatment_start: start, supervision: 'family' }, 'missing_field', 'notified_on'],
    [{ resident_id: id, notified_on: addDays(TODAY, 1), treatment_start: start, supervision: 'family' }, 'invalid_field', 'notified_on'],
    [{ resident_id: id, notified_on: start, treatment_start: '2026-13-01', supervision: 'family' }, 'invalid_date', 'treatment_start'],
    [{ resident_id: id, notified_on: start, treatment_start: start, supervision: 'neighbour' }, 'invalid_field', 'supervision'],
    [{ resident_id: id, notified_on: start, treatment_start: start, supervision: 'family', course_months: 40 }, 'invalid_field', 'course_months'],
  ]) {
    r = await notice(body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], JSON.stringify(body));
  }
  assert.equal(one(`SELECT count(*) FROM tb_cases WHERE resident_id = ${id}`), 0);
  const c = (await notice({ resident_id: id, notified_on: start, treatment_start: start, supervision: 'family' })).json;
  for (const [body, code, field] of [
    [{ visit_date: addDays(start, -1), mode: 'home_visit' }, 'invalid_field', 'visit_date'],
    [{ visit_date: addDays(TODAY, 1), mode: 'home_visit' }, 'invalid_field', 'visit_date'],
    [{ visit_date: TODAY, mode: 'post' }, 'invalid_field', 'mode'],
    [{ visit_date: TODAY, mode: 'home_visit', doses_due: 3, doses_taken: 4 }, 'invalid_field', 'doses_taken'],
    [{ visit_date: TODAY, mode: 'home_visit', outcome: 'cured' }, 'invalid_field', 'outcome'],
  ]) {
    r = await visit(c.id, body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], JSON.stringify(body));
  }
  assert.equal(one(`SELECT count(*) FROM tb_visits WHERE case_id = ${c.id}`), 0);
  // A village doctor of the grid records visits; one outside it reads nothing.
  r = await visit(c.id, { visit_date: TODAY, mode: 'home_visit', doses_due: 1, doses_taken: 1 }, village);
  assert.equal(r.status, 201, r.text);
  assert.equal((await s.request('GET', '/api/v1/tb-cases/999999', { token: doctor01 })).status, 404);
});
