// The loop closes on a result (issue 12): a follow-up whose action is refer or urgent_refer
// creates the referral (reason codes, target level) and a task to confirm the patient was
// seen, closed when the referral is marked seen; a pregnancy risk of yellow or above
// creates the referral its colour calls for and a task due within 3 days, orange, red and
// purple reach the county's report, and a visit without a new assessment never
// downgrades the standing colour.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, PASSWORD, dbSql } from '../lib/server.mjs';
import { TODAY as today, addDays, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, county, town01;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, doctor02, county, town01] = await Promise.all(['doctor01', 'doctor02', 'county', 'town01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person(birth, { female = false } = {}) {
  const n = female ? 2 * seq++ + 200 : 2 * seq++ + 201;
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '闭环' + seq, id_number: idNumber(birth, n), region: CELL } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const post = (path, body, token = doctor01) => s.request('POST', `/api/v1${path}`, { token, body });
const get = (path, token = doctor01) => s.request('GET', `/api/v1${path}`, { token });
const yearsAgo = (n) => `${Number(today.slice(0, 4)) - n}${today.slice(4)}`;
async function openTasks(residentId, kind) {
  const list = await get('/worklist?doctor=me&limit=500');
  assert.equal(list.status, 200, list.text);
  return list.json.items.filter((t) => t.resident_id === residentId && t.kind === kind);
}

test('a second uncontrolled hypertension visit refers: the referral, its reasons and a task due in 7 days', async () => {
  const p = await person(yearsAgo(60).slice(0, 10));
  assert.equal((await post('/enrolments', { resident_id: p.id, program: 'hypertension', start_date: daysAgo(100) })).status, 201);
  let r = await post('/followups', { resident_id: p.id, program: 'hypertension', visit_date: daysAgo(20), sbp: 152, dbp: 94 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.action, 'adjust_medication');
  assert.deepEqual(r.json.referrals, [], 'adjusting medication refers nobody');
  r = await post('/followups', { resident_id: p.id, program: 'hypertension', visit_date: daysAgo(2), sbp: 156, dbp: 96 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.action, 'refer');
  assert.equal(r.json.referrals.length, 1);
  const made = r.json.referrals[0];
  assert.equal(made.reason, 'consecutive_uncontrolled');
  assert.equal(made.target_level, 'secondary');
  assert.equal(made.urgent, false);
  assert.equal(made.confirm_by, addDays(daysAgo(2), 7));
  assert.ok(made.to_institution_id, 'sent to the county hospital');
  const listed = (await get(`/residents/${p.id}/referrals`)).json.items;
  assert.equal(listed.length, 1);
  assert.equal(listed[0].direction, 'up');
  assert.equal(listed[0].followup_id, r.json.id);
  assert.match(listed[0].to_institution_name, /人民医院/);
  assert.ok(listed[0].from_institution_name, 'from the team\'s institution');
  assert.ok(listed[0].reasons.length >= 1, 'the evaluation\'s reason codes');
  assert.equal(listed[0].seen_on, null);
  // The tracked referral (issue 15): a category, the programme's department, and the record's
  // summary with the result that referred
  const one = (await get(`/referrals/${made.id}`)).json;
  assert.deepEqual([one.status, one.category, one.department], ['requested', 'treatment_adjustment', 'cardiology']);
  const latest = one.summary.latest_followups.find((f) => f.program === 'hypertension');
  assert.deepEqual([latest.visit_date, latest.sbp, latest.classification], [daysAgo(2), 156, 'consecutive_uncontrolled']);
  const tasks = await openTasks(p.id, 'referral_confirm');
  assert.equal(tasks.length, 1);
  assert.equal(tasks[0].referral_id, made.id);
  assert.equal(tasks[0].due_date, made.confirm_by);
  // The referral is counted where referrals are counted.
  const kpi = await get(`/indicators?scope=region:${CELL.slice(0, 12)}&period=${today.slice(0, 7)}&codes=referrals_up`, county);
  assert.equal(kpi.status, 200, kpi.text);

  // Seen: the task closes; seen twice is refused; a future date is refused.
  assert.equal((await post(`/referrals/${made.id}/seen`, { seen_on: daysAhead(1) })).status, 422);
  assert.equal((await post(`/referrals/${made.id}/seen`, { seen_on: daysAgo(3) })).json.field, 'seen_on', 'not before the referral');
  r = await post(`/referrals/${made.id}/seen`, { seen_on: daysAgo(1) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.seen_on, daysAgo(1));
  assert.deepEqual(await openTasks(p.id, 'referral_confirm'), []);
  // Seen, the team calls the patient a week on (the post-visit call, issue 19).
  const calls = await openTasks(p.id, 'post_visit_call');
  assert.deepEqual(calls.map((t) => [t.note, t.due_date]), [[`referral:${made.id}`, addDays(daysAgo(1), 7)]]);
  r = await post(`/referrals/${made.id}/seen`, { seen_on: today });
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'invalid_state');
  // Another township's doctor may not touch it; an unknown referral is 404.
  assert.equal((await post(`/referrals/${made.id}/seen`, { seen_on: today }, doctor02)).status, 403);
  assert.equal((await post('/referrals/999999/seen', { seen_on: today })).status, 404);
  // created, read once (GET /referrals/{id} above), marked seen
  assert.equal(sqlite(`SELECT count(*) FROM audit_log WHERE resource = 'referral' AND resident_id = ${p.id}`), '3');
});

function daysAhead(n) { return addDays(today, n); }

test('urgent_refer: any program, the confirm task is due the same day', async () => {
  const p = await person(yearsAgo(55).slice(0, 10));
  assert.equal((await post('/enrolments', { resident_id: p.id, program: 'diabetes', start_date: daysAgo(100) })).status, 201);
  const r = await post('/followups', { resident_id: p.id, program: 'diabetes', visit_date: today, fbg: 18.2 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.action, 'urgent_refer');
  assert.equal(r.json.referrals.length, 1);
  assert.equal(r.json.referrals[0].urgent, true);
  assert.equal(r.json.referrals[0].confirm_by, today);
  assert.equal((await openTasks(p.id, 'referral_confirm'))[0].due_date, today);
  // A severe mental disorder visit judged unstable refers urgently too.
  const q = await person(yearsAgo(40).slice(0, 10));
  assert.equal((await post('/enrolments', { resident_id: q.id, program: 'smd', start_date: daysAgo(100) })).status, 201);
  const m = await post('/followups', { resident_id: q.id, program: 'smd', visit_date: today, danger_level: 3 });
  assert.equal(m.status, 201, m.text);
  assert.equal(m.json.referrals.length, 1);
  assert.equal(m.json.referrals[0].reason, 'unstable');
});

test('a red pregnancy risk refers to a level-3 hospital within 3 days and reaches the county report; routine visits never downgrade it', async () => {
  const w = await person(yearsAgo(29).slice(0, 10), { female: true });
  const lmp = daysAgo(70);
  // The first visit registers the pregnancy: green, nothing to report.
  let r = await post('/followups', { resident_id: w.id, program: 'maternal', visit_date: daysAgo(10), lmp, risk_factors: [] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.colors, ['green']);
  assert.deepEqual(r.json.referrals, []);
  assert.equal(r.json.risk_assessed, true);
  // A red factor: a referral to level 3 and a task due within 3 days.
  r = await post('/followups', { resident_id: w.id, program: 'maternal', visit_date: daysAgo(1), risk_factors: [{ code: 'heart_disease', color: 'red' }] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.colors, ['red']);
  assert.equal(r.json.referrals.length, 1);
  const red = r.json.referrals[0];
  assert.equal(red.target_level, 'tertiary');
  assert.equal(red.reason, 'pregnancy_red');
  assert.equal(red.urgent, true);
  assert.equal(red.confirm_by, addDays(daysAgo(1), 3));
  const listed = (await get(`/residents/${w.id}/referrals`)).json.items[0];
  assert.match(listed.to_institution_name, /宜宾市/, 'a level-3 hospital of the city');
  assert.deepEqual(listed.reasons, ['heart_disease']);
  const task = (await openTasks(w.id, 'referral_confirm'))[0];
  assert.equal(task.due_date, red.confirm_by);
  assert.equal(task.program, 'maternal');

  // On the county report, with the count, the day it was assessed and reported.
  let report = await get('/reports/high-risk-pregnancies?region=511524', county);
  assert.equal(report.status, 200, report.text);
  assert.equal(report.json.counts.red, 1);
  assert.equal(report.json.counts.total, 1);
  const item = report.json.items[0];
  assert.equal(item.color, 'red');
  assert.equal(item.township, '长宁镇');
  for (const hidden of ['name', 'birth_date', 'resident_id', 'lmp', 'factors', 'region'])
    assert.equal(item[hidden], undefined, `the health commission steers by counts: no ${hidden}`);
  assert.equal(item.assessed_on, daysAgo(1));
  assert.equal(item.reported_on, today);
  assert.ok(item.reported_within_days <= 3);
  assert.equal(item.referral_target, 'tertiary');
  report = await get('/reports/high-risk-pregnancies?region=511524101', town01);
  assert.equal(report.json.items[0].name, w.name, 'the township centre sees who');
  assert.equal(report.json.items[0].resident_id, w.id);
  // The lead of another team of the township may name the township, but sees only the
  // women of the team's own cells: not this one.
  const lead = sqlite("SELECT t.doctor_id FROM teams t JOIN team_cells c ON c.team_id = t.id WHERE c.region_code LIKE '511524101%' AND c.region_code NOT LIKE '51152410100%' LIMIT 1");
  jiayi(['user', 'add', '--db', demo.db, '--username', 'lead9', '--role', 'team_lead', '--name', '组长', '--staff', lead, '--password', PASSWORD]);
  const other = await get('/reports/high-risk-pregnancies?region=511524101', await s.login('lead9'));
  assert.equal(other.status, 200, other.text);
  assert.deepEqual([other.json.counts.total, other.json.items.length], [0, 0]);
  assert.equal((await get('/reports/high-risk-pregnancies?region=511524', town01)).status, 403, 'not wider than the caller');
  assert.equal((await get('/reports/high-risk-pregnancies?region=511524', doctor01)).status, 403);

  // A routine visit without an assessment keeps red: no downgrade, no second referral.
  r = await post('/followups', { resident_id: w.id, program: 'maternal', visit_date: today });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.colors, ['red']);
  assert.equal(r.json.risk_assessed, false);
  assert.deepEqual(r.json.referrals, []);
  const schedule = await get(`/residents/${w.id}/schedule/maternal`);
  assert.deepEqual(schedule.json.colors, ['red']);
  assert.equal((await get('/reports/high-risk-pregnancies?region=511524', county)).json.counts.red, 1);
});

test('purple adds infectious-disease care; yellow refers to level 2 without reaching the report; a new assessment may lower the colour', async () => {
  const w = await person(yearsAgo(33).slice(0, 10), { female: true });
  let r = await post('/followups', { resident_id: w.id, program: 'maternal', visit_date: daysAgo(3), lmp: daysAgo(80), risk_factors: [{ code: 'advanced_age', color: 'yellow' }] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.referrals.map((x) => [x.target_level, x.reason]), [['secondary', 'pregnancy_yellow']]);
  let report = (await get('/reports/high-risk-pregnancies?region=511524101', town01)).json;
  assert.ok(!report.items.some((i) => i.resident_id === w.id), 'yellow is not on the county report');
  // Orange and purple together: both referrals, on the report.
  r = await post('/followups', { resident_id: w.id, program: 'maternal', visit_date: today, risk_factors: [{ code: 'hypertension', color: 'orange' }, { code: 'infectious', color: 'purple' }] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.colors, ['orange', 'purple']);
  assert.deepEqual(r.json.referrals.map((x) => x.target_level).sort(), ['critical_maternal', 'infectious']);
  report = (await get('/reports/high-risk-pregnancies?region=511524101', town01)).json;
  const mine = report.items.find((i) => i.resident_id === w.id);
  assert.equal(mine.color, 'orange');
  assert.equal(mine.purple, true);
  assert.ok(report.counts.orange >= 1 && report.counts.purple >= 1);
  // A new assessment that finds only yellow lowers it and takes it off the report (a
  // second visit of the day: confirmed, issue 14).
  r = await post('/followups', { resident_id: w.id, program: 'maternal', visit_date: today, confirm_duplicate: true, risk_factors: [{ code: 'advanced_age', color: 'yellow' }] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.colors, ['yellow']);
  assert.deepEqual(r.json.referrals, [], 'a lower colour refers nobody again');
  report = (await get('/reports/high-risk-pregnancies?region=511524101', town01)).json;
  assert.ok(!report.items.some((i) => i.resident_id === w.id));
  // Bad input names its field and writes nothing.
  const before = sqlite('SELECT count(*) FROM referrals');
  r = await post('/followups', { resident_id: w.id, program: 'maternal', visit_date: today, risk_factors: [{ code: 'x', color: 'blue' }] });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'risk_factors[0]');
  assert.equal(sqlite('SELECT count(*) FROM referrals'), before);
});

test('TB is enrolled by its notice only; COPD by hand, with its first visit on the work list', async () => {
  const p = await person(yearsAgo(60).slice(0, 10));
  let r = await post('/enrolments', { resident_id: p.id, program: 'tb', start_date: daysAgo(10) });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.code, 'no_protocol');
  assert.equal(r.json.field, 'program');
  assert.equal(sqlite(`SELECT count(*) FROM enrolments WHERE resident_id = ${p.id}`), '0');
  r = await post('/enrolments', { resident_id: p.id, program: 'copd', start_date: daysAgo(10) });
  assert.equal(r.status, 201, r.text);
  assert.equal(sqlite(`SELECT due_date || ' ' || kind FROM tasks WHERE resident_id = ${p.id} AND program = 'copd' AND status = 'open'`), `${daysAgo(-4)} copd_visit`);
});

test('a task no record closes is closed by the doctor\'s decision, once, and only such tasks', async () => {
  const p = await person(yearsAgo(70).slice(0, 10));
  const flag = await post('/flags', { resident_id: p.id, reason: 'fall_risk', note: '近期跌倒' });
  assert.equal(flag.status, 201, flag.text);
  assert.equal((await post(`/flags/${flag.json.id}/confirm`, {})).status, 200);
  const [task] = await openTasks(p.id, 'first_discovery');
  assert.ok(task, 'the confirmed discovery is on the work list');
  assert.equal((await post(`/tasks/${task.id}/close`, { outcome: 'maybe' })).json.field, 'outcome');
  assert.equal((await post(`/tasks/${task.id}/close`, { outcome: 'done' }, doctor02)).status, 403);
  const r = await post(`/tasks/${task.id}/close`, { outcome: 'done', note: '已上门评估，加装扶手' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.outcome], ['done', '已上门评估，加装扶手']);
  assert.deepEqual(await openTasks(p.id, 'first_discovery'), []);
  const again = await post(`/tasks/${task.id}/close`, { outcome: 'done' });
  assert.deepEqual([again.status, again.json.code, again.json.field], [409, 'invalid_state', 'status']);
  // A follow-up task closes by its follow-up, not by a decision.
  assert.equal((await post('/enrolments', { resident_id: p.id, program: 'hypertension', start_date: daysAgo(30) })).status, 201);
  assert.equal((await post('/followups', { resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 130, dbp: 80 })).status, 201);
  const [followup] = await openTasks(p.id, 'followup');
  const refused = await post(`/tasks/${followup.id}/close`, { outcome: 'done' });
  assert.deepEqual([refused.status, refused.json.field], [409, 'kind']);
  assert.equal((await post('/tasks/999999/close', { outcome: 'done' })).status, 404);
  assert.equal(sqlite(`SELECT CASE WHEN closed_by IS NOT NULL THEN 1 ELSE 0 END FROM tasks WHERE id = ${task.id}`), '1');
});
