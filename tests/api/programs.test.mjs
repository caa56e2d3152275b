// Programs (issue 5, API.md): the protocol engine's dry run for every program, follow-ups
// that use the record's history (uncontrolled in a row, earlier child and antenatal
// visits), the follow-up task that each visit closes and creates, the work list, the
// versioned [jiayi] settings, and bad input that names its field and writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbSql } from '../lib/server.mjs';
import { TODAY as today, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, admin;
const CELL = '51152410100101';
const yearsAgo = (n) => `${Number(today.slice(0, 4)) - n}${today.slice(4)}`;
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, doctor02, admin] = await Promise.all(['doctor01', 'doctor02', 'admin'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person(birth, fields = {}) {
  const sexSeq = fields.female ? 2 * seq++ + 100 : 2 * seq++ + 101;
  const { female, ...rest } = fields;
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '随访' + seq, id_number: idNumber(birth, sexSeq), region: CELL, ...rest } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const evaluate = (program, body, token = doctor01) => s.request('POST', `/api/v1/protocols/${program}/evaluate`, { token, body });
const followup = (body, token = doctor01) => s.request('POST', '/api/v1/followups', { token, body });
const enrol = async (id, program) => assert.equal((await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: id, program, start_date: daysAgo(200) } })).status, 201);

test('evaluate: the hypertension table of PROTOCOLS §3 over HTTP', async () => {
  const rows = [
    [50, 135, 85, [], 0, 'controlled', 'continue', '2027-02-28'],
    [50, 140, 85, [], 0, 'first_uncontrolled', 'adjust_medication', '2026-12-14'],
    [70, 145, 85, [], 0, 'controlled', 'continue', '2027-02-28'],
    [70, 150, 85, [], 0, 'first_uncontrolled', 'adjust_medication', '2026-12-14'],
    [50, 150, 95, [], 1, 'consecutive_uncontrolled', 'refer', '2026-12-14'],
    [50, 180, 100, [], 0, 'emergency', 'urgent_refer', '2026-12-14'],
    [50, 130, 80, ['severe_headache'], 0, 'emergency', 'urgent_refer', '2026-12-14'],
    [50, 130, 80, ['new_complication'], 0, 'consecutive_uncontrolled', 'refer', '2026-12-14'],
    [50, 130, 80, ['adverse_reaction'], 0, 'first_uncontrolled', 'adjust_medication', '2026-12-14'],
  ];
  for (const [age, sbp, dbp, findings, previous, classification, action, next] of rows) {
    const r = await evaluate('hypertension', { visit_date: '2026-11-30', age, sbp, dbp, findings, previous_uncontrolled: previous });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual([r.json.classification, r.json.action, r.json.next_due], [classification, action, next], `${age} ${sbp}/${dbp} ${findings}`);
    assert.ok(Array.isArray(r.json.reasons));
  }
  // Nothing is stored by a dry run.
  assert.equal(sqlite('SELECT count(*) FROM followups'), '0');
});

test('evaluate: diabetes, SMD, elderly, child and maternal answer in the shapes of API.md', async () => {
  let r = await evaluate('diabetes', { visit_date: '2026-11-30', age: 60, fbg: 3.9, findings: [] });
  assert.deepEqual([r.json.classification, r.json.action], ['emergency', 'urgent_refer']);
  r = await evaluate('diabetes', { visit_date: '2026-11-30', age: 60, fbg: 6.9, heart_rate: 101 });
  assert.equal(r.json.classification, 'emergency');
  assert.ok(r.json.reasons.includes('heart_rate_gt_100'));
  r = await evaluate('smd', { visit_date: '2026-11-30', age: 40, danger_level: 2, findings: [], previous_uncontrolled: 1 });
  assert.deepEqual([r.json.classification, r.json.action, r.json.next_due], ['basically_stable', 'refer', '2026-12-14']);
  r = await evaluate('elderly', { assessment_date: '2026-11-30', self_care: { eating: 2, grooming: 1, dressing: 0, toileting: 0, activity: 0 }, chronic_programs: 0, uncontrolled_programs: 0, emergency_in_90_days: false });
  assert.deepEqual(r.json, { self_care_score: 4, self_care_level: 'mild', color: 'yellow', next_due: '2027-02-28' });
  r = await evaluate('child', { birth_date: '2025-01-15', visits: ['2025-01-20', '2025-03-31'], as_of: '2025-05-16' });
  const points = Object.fromEntries(r.json.schedule.map((p) => [p.point, p]));
  assert.deepEqual(Object.keys(points), ['newborn', 'month_1', 'm3', 'm6', 'm8', 'm12', 'm18', 'm24', 'm30', 'm36', 'y4', 'y5', 'y6']);
  assert.equal(points.newborn.status, 'done');
  assert.equal(points.newborn.visit_date, '2025-01-20');
  assert.equal(points.month_1.status, 'missed');
  assert.equal(points.m3.status, 'missed', 'a visit a day before the window counts for nothing');
  assert.equal(points.m6.status, 'upcoming');
  r = await evaluate('maternal', { lmp: '2026-06-01', as_of: '2026-08-31', risk_factors: [{ code: 'hbv_carrier', color: 'purple' }], visits: ['2026-08-31'] });
  assert.equal(r.json.gestational_weeks, 13);
  assert.deepEqual(r.json.colors, ['green', 'purple']);
  assert.equal(r.json.schedule[0].point, 'first_visit');
  assert.equal(r.json.schedule[0].status, 'missed', 'a first visit at 13+0 is not early registration');
});

test('evaluate: bad input names the field; unknown programs and codes are refused; a login is needed', async () => {
  let r = await evaluate('hypertension', { visit_date: '2026-11-30', age: 50, sbp: 140, findings: [] });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'dbp');
  r = await evaluate('hypertension', { visit_date: '2026-11-30', age: 50, sbp: 140, dbp: 90, findings: ['headache'] });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'findings');
  r = await evaluate('diabetes', { visit_date: '2026-13-01', age: 50, fbg: 7 });
  assert.equal(r.json.field, 'visit_date');
  r = await evaluate('elderly', { assessment_date: '2026-11-30', self_care: { eating: 4 } });
  assert.equal(r.json.field, 'self_care.eating');
  r = await evaluate('maternal', { lmp: '2026-06-01', as_of: '2026-08-31', risk_factors: [{ code: 'x', color: 'blue' }] });
  assert.equal(r.json.field, 'risk_factors[0]');
  assert.equal((await evaluate('tb', { visit_date: '2026-11-30' })).status, 404);
  assert.equal((await s.request('POST', '/api/v1/protocols/hypertension/evaluate', { body: {} })).status, 401);
});

test('follow-ups: enrol, an uncontrolled visit, a second in a row is referred, then controlled; each closes its task and opens the next', async () => {
  const p = await person('1960-03-03');
  let r = await followup({ resident_id: p.id, program: 'hypertension', visit_date: daysAgo(20), sbp: 150, dbp: 95 });
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'not_enrolled');
  await enrol(p.id, 'hypertension');
  r = await followup({ resident_id: p.id, program: 'hypertension', visit_date: daysAgo(20), sbp: 150, dbp: 95, mode: 'home_visit',
    medications: [{ name: '氨氯地平片', dose: '5 mg', frequency: '每日一次' }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.evaluation.classification, 'first_uncontrolled');
  assert.equal(r.json.classification, 'first_uncontrolled');
  assert.equal(r.json.next_task.due_date, daysAgo(6));
  const firstTask = r.json.next_task.id;
  // The second uncontrolled visit: the record knows the first, the caller need not say so.
  r = await followup({ resident_id: p.id, program: 'hypertension', visit_date: daysAgo(6), sbp: 148, dbp: 92 });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.classification, r.json.action], ['consecutive_uncontrolled', 'refer']);
  assert.equal(sqlite(`SELECT status FROM tasks WHERE id = ${firstTask}`), 'done');
  r = await followup({ resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 128, dbp: 82 });
  assert.deepEqual([r.json.classification, r.json.action], ['controlled', 'continue']);
  assert.equal(sqlite(`SELECT count(*) FROM tasks WHERE resident_id = ${p.id} AND kind = 'followup' AND status = 'open'`), '1');
  // The work list shows the one open task, due in three months (upcoming).
  const list = await s.request('GET', '/api/v1/worklist?doctor=me&status=upcoming', { token: doctor01 });
  const mine = list.json.items.filter((t) => t.resident_id === p.id);
  assert.equal(mine.length, 1);
  assert.equal(mine[0].program, 'hypertension');
  assert.equal(mine[0].due_date, r.json.next_due);
  const history = await s.request('GET', `/api/v1/residents/${p.id}/followups`, { token: doctor01 });
  assert.equal(history.status, 200);
  assert.deepEqual(history.json.items.map((f) => f.evaluation.classification), ['controlled', 'consecutive_uncontrolled', 'first_uncontrolled']);
  assert.equal(history.json.items[2].medications[0].name, '氨氯地平片');
  assert.equal(history.json.items[2].mode, 'home_visit');
  assert.equal((await s.request('GET', `/api/v1/residents/${p.id}/followups`, { token: doctor02 })).status, 403);
});

test('follow-ups: an emergency sign, a diabetes visit and an SMD visit', async () => {
  const p = await person('1958-08-08');
  await enrol(p.id, 'diabetes');
  let r = await followup({ resident_id: p.id, program: 'diabetes', visit_date: today, fbg: 17.2, findings: ['acetone_breath'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.classification, 'emergency');
  assert.deepEqual(r.json.findings, ['acetone_breath']);
  const q = await person('1985-02-02');
  await enrol(q.id, 'smd');
  r = await followup({ resident_id: q.id, program: 'smd', visit_date: today, danger_level: 0, findings: [] });
  assert.deepEqual([r.json.classification, r.json.action], ['stable', 'continue']);
});

test('follow-ups: the elderly assessment uses the record (an emergency in the last 90 days makes it red)', async () => {
  const p = await person(yearsAgo(72));
  await enrol(p.id, 'hypertension');
  await followup({ resident_id: p.id, program: 'hypertension', visit_date: daysAgo(30), sbp: 185, dbp: 100 });
  const r = await followup({ resident_id: p.id, program: 'elderly', visit_date: today,
    self_care: { eating: 0, grooming: 0, dressing: 0, toileting: 0, activity: 0 } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.color, 'red');
  assert.equal(r.json.self_care_level, 'independent');
  const young = await person('1990-01-01');
  const no = await followup({ resident_id: young.id, program: 'elderly', visit_date: today, self_care: { eating: 0, grooming: 0, dressing: 0, toileting: 0, activity: 0 } });
  assert.equal(no.status, 422);
  assert.equal(no.json.code, 'not_eligible');
});

test('follow-ups: a child\'s checks accumulate; the next task is the next open point', async () => {
  const birth = daysAgo(100);
  const c = await person(birth);
  let r = await followup({ resident_id: c.id, program: 'child', visit_date: daysAgo(96) });
  assert.equal(r.status, 201, r.text);
  r = await followup({ resident_id: c.id, program: 'child', visit_date: daysAgo(70) });
  const points = Object.fromEntries(r.json.schedule.map((p) => [p.point, p.status]));
  assert.equal(points.newborn, 'done', 'the earlier visit is remembered');
  assert.equal(points.month_1, 'done');
  assert.equal(r.json.next_task.due_date, r.json.schedule.find((p) => p.point === 'm3').window_end);
});

test('follow-ups: the first antenatal visit registers the pregnancy; later visits find it', async () => {
  const m = await person('1995-05-05', { female: true });
  const lmp = daysAgo(80);
  let r = await followup({ resident_id: m.id, program: 'maternal', visit_date: today, lmp, risk_factors: [{ code: 'advanced_age', color: 'yellow' }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.gestational_weeks, 11);
  assert.deepEqual(r.json.colors, ['yellow']);
  assert.equal(r.json.schedule[0].status, 'done');
  assert.equal(sqlite(`SELECT lmp FROM pregnancies WHERE resident_id = ${m.id}`), lmp);
  const man = await person('1995-05-05');
  r = await followup({ resident_id: man.id, program: 'maternal', visit_date: today, lmp });
  assert.equal(r.status, 422);
  const other = await person('1996-06-06', { female: true });
  r = await followup({ resident_id: other.id, program: 'maternal', visit_date: today });
  assert.equal(r.json.field, 'lmp');
});

test('follow-ups: bad input names the field and writes nothing; only clinical staff record', async () => {
  const p = await person('1961-01-01');
  await enrol(p.id, 'hypertension');
  const before = sqlite('SELECT count(*) FROM followups') + '/' + sqlite('SELECT count(*) FROM tasks');
  const cases = [
    [{ resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 400, dbp: 80 }, 'sbp'],
    [{ resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 120, dbp: 130 }, 'dbp'],
    [{ resident_id: p.id, program: 'hypertension', visit_date: '2999-01-01', sbp: 120, dbp: 80 }, 'visit_date'],
    [{ resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 120, dbp: 80, mode: 'pigeon' }, 'mode'],
    [{ resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 120, dbp: 80, medications: [{ dose: '1' }] }, 'medications[0]'],
    [{ resident_id: p.id, program: 'copd', visit_date: today }, 'program'],
  ];
  for (const [body, field] of cases) {
    const r = await followup(body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.equal(r.json.field, field);
  }
  assert.equal(sqlite('SELECT count(*) FROM followups') + '/' + sqlite('SELECT count(*) FROM tasks'), before);
  assert.equal((await followup({ resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 120, dbp: 80 }, admin)).status, 403);
  assert.equal((await followup({ resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 120, dbp: 80 }, doctor02)).status, 403);
});

test('protocol settings: the system admin changes a [jiayi] interval; a new version, used at once', async () => {
  const list = await s.request('GET', '/api/v1/protocol-settings', { token: doctor01 });
  assert.equal(list.status, 200);
  const green = list.json.items.find((x) => x.key === 'elderly_green_months');
  assert.deepEqual([green.value, green.default, green.version], [12, 12, 0]);
  const body = { values: { elderly_green_months: 6 } };
  assert.equal((await s.request('PUT', '/api/v1/protocol-settings', { token: doctor01, body })).status, 403);
  let r = await s.request('PUT', '/api/v1/protocol-settings', { token: admin, body: { values: { child_month1_from: 50 } } });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'values.child_month1_to');
  r = await s.request('PUT', '/api/v1/protocol-settings', { token: admin, body: { values: { no_such: 1 } } });
  assert.equal(r.status, 422);
  r = await s.request('PUT', '/api/v1/protocol-settings', { token: admin, body });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.find((x) => x.key === 'elderly_green_months').version, 1);
  const e = await evaluate('elderly', { assessment_date: '2026-11-30', self_care: { eating: 0, grooming: 0, dressing: 0, toileting: 0, activity: 0 } });
  assert.equal(e.json.next_due, '2027-05-30');
  await s.request('PUT', '/api/v1/protocol-settings', { token: admin, body: { values: { elderly_green_months: 12 } } });
  assert.equal(sqlite("SELECT group_concat(value) FROM (SELECT value FROM protocol_settings WHERE key = 'elderly_green_months' ORDER BY version) sub"), '6,12');
});
