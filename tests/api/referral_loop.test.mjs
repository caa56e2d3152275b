// Two-way referrals with a tracked status (issue 15, docs/hospital-loop.md "Referrals"): an
// up-referral carries a summary of the record assembled by the server; the county people's
// hospital sees it on its incoming list, accepts it, records the visit and returns it with
// its summary and plan; the return becomes a task on the family doctor's work list, closed
// when the team closes the referral. Illegal transitions and the wrong end are 409
// invalid_state naming the state; a hospital sees only its own referrals; a hospital sends
// a down-referral; the §15 indicators count it all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbSql } from '../lib/server.mjs';
import { TODAY as today, YEAR as year, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, hospital01, specialist01, county, team, gp, home, countyHospital, tcmHospital;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, doctor02, hospital01, specialist01, county] = await Promise.all(
    ['doctor01', 'doctor02', 'hospital01', 'specialist01', 'county'].map((u) => s.login(u)));
  const me = (await s.request('GET', '/api/v1/session', { token: doctor01 })).json.user;
  team = me.teams[0];
  gp = me.staff_id;
  home = Number(sqlite(`SELECT institution_id FROM teams WHERE id = ${team}`));
  countyHospital = Number(sqlite(`SELECT institution_id FROM staff s JOIN users u ON u.id = s.user_id WHERE u.username = 'hospital01'`));
  tcmHospital = Number(sqlite(`SELECT id FROM institutions WHERE kind = 'tcm_hospital' LIMIT 1`));
  assert.ok(home && countyHospital && tcmHospital && countyHospital !== tcmHospital);
});
after(async () => {
  assert.equal(await s.stop(), 0);
  cleanup(demo.dir);
});

const post = (path, body, token = doctor01) => s.request('POST', `/api/v1${path}`, { token, body });
const get = (path, token = doctor01) => s.request('GET', `/api/v1${path}`, { token });
const refuses = (r, state) => {
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.code, 'invalid_state');
  assert.equal(r.json.value, state, 'names the current state');
};

let seq = 0;
/* A hypertensive resident of 64 signed with doctor01's team (the county hospital as the 1+1+1
 * partner), with a follow-up and a diagnosis for the summary. */
async function patient() {
  const p = await post('/residents', { name: '转诊' + seq, id_number: idNumber('1962-03-15', 401 + 2 * seq++), region: CELL });
  assert.equal(p.status, 201, p.text);
  const id = p.json.id;
  assert.equal((await post('/enrolments', { resident_id: id, program: 'hypertension', start_date: daysAgo(200) })).status, 201);
  const c = await post('/contracts', { resident_id: id, team_id: team, doctor_id: gp, packages: ['BASIC'], start_date: daysAgo(60), channel: 'clinic', district_hospital_id: countyHospital });
  assert.equal(c.status, 201, c.text);
  const f = await post('/followups', { resident_id: id, program: 'hypertension', visit_date: daysAgo(5), sbp: 150, dbp: 95,
    medications: [{ name: '氨氯地平', dose: '5mg', frequency: '每日一次' }] });
  assert.equal(f.status, 201, f.text);
  return id;
}
const up = (resident, extra = {}) => post('/referrals', { resident_id: resident, referred_on: daysAgo(3), direction: 'up',
  from_institution_id: home, to_institution_id: countyHospital, category: 'diagnosis', reasons: ['bp_uncontrolled'],
  department: '心内科', urgent: false, ...extra });
const workTasks = async (resident, kind) => (await get('/worklist?doctor=me&limit=500')).json.items
  .filter((t) => t.resident_id === resident && t.kind === kind);

let resident, referral;

test('up, accepted, seen, returned with a plan: a task for the family doctor, closed with the referral', async () => {
  resident = await patient();
  assert.equal((await up(resident, { category: 'rehabilitation' })).json.code, 'invalid_category', 'a down category going up');
  let r = await up(resident);
  assert.equal(r.status, 201, r.text);
  referral = r.json.id;
  assert.equal(r.json.status, 'requested');
  assert.equal(r.json.category, 'diagnosis');
  assert.deepEqual(r.json.reasons, ['bp_uncontrolled']);
  const summary = r.json.summary;
  assert.equal(summary.latest_followups[0].program, 'hypertension');
  assert.equal(summary.latest_followups[0].sbp, 150);
  assert.ok(summary.latest_followups[0].classification, 'with its classification');
  assert.equal(summary.medications[0].name, '氨氯地平');
  assert.ok(summary.age >= 63 && summary.name.startsWith('转诊'));

  // The hospital's work list; the wrong end and illegal transitions are refused.
  for (const token of [hospital01, specialist01]) {
    const list = await get('/referrals?side=incoming&status=requested', token);
    assert.equal(list.status, 200, list.text);
    assert.ok(list.json.items.some((x) => x.id === referral), 'on the incoming list');
  }
  assert.ok((await get('/referrals?side=outgoing')).json.items.some((x) => x.id === referral), 'the team\'s own up-referrals');
  refuses(await post(`/referrals/${referral}/accept`, {}), 'requested');          // the sender is not the receiving end
  refuses(await post(`/referrals/${referral}/cancel`, {}, hospital01), 'requested'); // the hospital cannot withdraw it
  refuses(await post(`/referrals/${referral}/return`, { summary: 'x', plan: 'y' }, hospital01), 'requested');
  assert.equal((await post(`/referrals/${referral}/accept`, {}, doctor02)).status, 403, 'at no end');
  r = await post(`/referrals/${referral}/accept`, { note: '已预约' }, specialist01);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'accepted');
  refuses(await post(`/referrals/${referral}/accept`, {}, hospital01), 'accepted');
  r = await post(`/referrals/${referral}/seen`, { seen_on: today }, hospital01);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.seen_on, today);
  refuses(await post(`/referrals/${referral}/seen`, { seen_on: today }), 'seen');
  refuses(await post(`/referrals/${referral}/return`, { summary: 'x', plan: 'y' }), 'seen'); // the team does not return
  assert.equal((await post(`/referrals/${referral}/return`, { plan: 'y' }, hospital01)).json.field, 'summary');
  r = await post(`/referrals/${referral}/return`, { summary: '高血压2级，排除继发性', plan: '氨氯地平加量，2周后社区复诊',
    medications: [{ name: '氨氯地平', dose: '10mg', frequency: '每日一次' }] }, specialist01);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.return_plan, '氨氯地平加量，2周后社区复诊');

  // The return is on the family doctor's work list until the team closes the referral.
  const tasks = await workTasks(resident, 'referral_return');
  assert.equal(tasks.length, 1);
  assert.equal(tasks[0].referral_id, referral);
  refuses(await post(`/referrals/${referral}/close`, {}, hospital01), 'returned'); // the sending team takes it
  assert.equal((await post(`/referrals/${referral}/satisfaction`, { score: 5 }, hospital01)).status, 403);
  r = await post(`/referrals/${referral}/satisfaction`, { score: 5 });
  assert.equal(r.status, 200, r.text);
  assert.equal((await post(`/referrals/${referral}/satisfaction`, { score: 1 })).json.code, 'already_rated');
  r = await post(`/referrals/${referral}/close`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'closed');
  assert.deepEqual(await workTasks(resident, 'referral_return'), []);
  refuses(await post(`/referrals/${referral}/cancel`, {}), 'closed');
  const one = await get(`/referrals/${referral}`, hospital01);
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.json.events.map((e) => e.to), ['requested', 'accepted', 'seen', 'returned', 'closed']);
  assert.equal(one.json.events[1].note, '已预约');
  assert.equal(one.json.summary.latest_followups[0].sbp, 150, 'the summary as it was sent');
  // The hospital never reads the record itself.
  assert.equal((await get(`/residents/${resident}`, hospital01)).status, 403);
  // The resident's own list keeps its fields, with the state.
  const mine = (await get(`/residents/${resident}/referrals`)).json.items.find((x) => x.id === referral);
  assert.equal(mine.status, 'closed');
  assert.equal(mine.seen_on, today);
});

test('a hospital sees only its own referrals; declined and cancelled ones end there', async () => {
  const other = await up(resident, { to_institution_id: tcmHospital, referred_on: daysAgo(1) });
  assert.equal(other.status, 201, other.text);
  assert.equal((await get(`/referrals/${other.json.id}`, specialist01)).status, 403);
  assert.equal((await post(`/referrals/${other.json.id}/accept`, {}, specialist01)).status, 403);
  assert.ok(!(await get('/referrals', specialist01)).json.items.some((x) => x.id === other.json.id));
  assert.equal((await get('/referrals?side=sideways', hospital01)).status, 422);
  let r = await post(`/referrals/${other.json.id}/cancel`, { note: '患者改约' });
  assert.equal(r.json.status, 'cancelled', r.text);

  const third = (await up(resident, { referred_on: today })).json.id;
  assert.equal((await post(`/referrals/${third}/decline`, {}, hospital01)).json.field, 'reason');
  r = await post(`/referrals/${third}/decline`, { reason: '本院无该专科床位' }, hospital01);
  assert.equal(r.json.status, 'declined', r.text);
  assert.equal(r.json.decline_reason, '本院无该专科床位');
  refuses(await post(`/referrals/${third}/seen`, { seen_on: today }), 'declined');
});

test('down: the hospital sends a patient it had back to a primary institution', async () => {
  const stranger = await patient();
  const body = { resident_id: resident, referred_on: today, direction: 'down', from_institution_id: countyHospital,
    to_institution_id: home, category: 'chronic_management', summary: '出院：血压稳定，继续社区管理' };
  assert.equal((await post('/referrals', { ...body, resident_id: stranger }, hospital01)).status, 403, 'never sent to it');
  assert.equal((await post('/referrals', { ...body, to_institution_id: tcmHospital }, hospital01)).status, 422, 'to primary care only');
  assert.equal((await post('/referrals', { ...body, from_institution_id: tcmHospital }, hospital01)).status, 403, 'from its own hospital');
  let r = await post('/referrals', body, hospital01);
  assert.equal(r.status, 201, r.text);
  const down = r.json.id;
  assert.equal(r.json.summary.text, '出院：血压稳定，继续社区管理');
  assert.ok((await get('/referrals?side=incoming&direction=down')).json.items.some((x) => x.id === down));
  assert.ok((await get('/referrals?side=outgoing', hospital01)).json.items.some((x) => x.id === down));
  refuses(await post(`/referrals/${down}/accept`, {}, hospital01), 'requested'); // the team receives it
  assert.equal((await post(`/referrals/${down}/accept`, {})).json.status, 'accepted');
  assert.equal((await post(`/referrals/${down}/seen`, { seen_on: today })).json.status, 'seen');
  refuses(await post(`/referrals/${down}/return`, { summary: 'x', plan: 'y' }, hospital01), 'seen'); // nothing to return
  assert.equal((await post(`/referrals/${down}/close`, {})).json.status, 'closed');
});

test('the §15 indicators: return rate, median days to seen, satisfaction, visits in the combination', async () => {
  // Encounters of the signed resident: at the county hospital of the 1+1+1 combination (in),
  // with the own team (in), at the TCM hospital (out).
  for (const e of [{ institution_id: countyHospital }, { institution_id: home, team_id: team }, { institution_id: tcmHospital }]) {
    const r = await post('/encounters', { resident_id: resident, encounter_date: daysAgo(2), ...e });
    assert.equal(r.status, 201, r.text);
  }
  const codes = 'referral_return_rate,referral_seen_days_median,referral_satisfaction_rate,combination_visit_rate,referrals_up,referrals_down';
  const r = await get(`/indicators?scope=region:${CELL}&period=${year}&codes=${codes}`, county);
  assert.equal(r.status, 200, r.text);
  const by = Object.fromEntries(r.json.items.map((x) => [x.code, x]));
  // The first up-referral was seen (3 days after the request) and returned; the others were not seen.
  assert.deepEqual([by.referral_return_rate.numerator, by.referral_return_rate.denominator], [1, 1]);
  assert.equal(by.referral_seen_days_median.value, 3);
  assert.deepEqual([by.referral_satisfaction_rate.numerator, by.referral_satisfaction_rate.denominator], [1, 1]);
  assert.deepEqual([by.combination_visit_rate.numerator, by.combination_visit_rate.denominator], [2, 3]);
  assert.equal(by.referrals_up.numerator, 2, 'the cancelled one is not counted');
  assert.equal(by.referrals_down.numerator, 1);
  // The counters agree with the raw rows.
  const raw = await get(`/indicators?scope=region:${CELL}&period=${year}&codes=${codes}&source=raw`, county);
  assert.deepEqual(raw.json.items.map((x) => [x.code, x.numerator, x.denominator]), r.json.items.map((x) => [x.code, x.numerator, x.denominator]));
});
