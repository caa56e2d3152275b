// Services consume entitlements by themselves (issue 12): a hypertension follow-up after
// signing the HTN package uses up the package's follow-up, with a delivery naming the
// follow-up as its source; fulfilment, the fulfilment rate and the team's standardised
// workload count it; deleting the follow-up (a record entered in error) gives it back and
// undoes what it set in motion; a record never uses one entitlement twice; nothing left,
// no contract, or a day outside the term uses nothing and is no error; the contract in
// force on the service's day is the one used; encounters, exam rows and group attendance
// use theirs; manual deliveries stay as they were; the mapping is a versioned setting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, dbSql } from '../lib/server.mjs';
import { TODAY as today, YEAR as year, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, county, admin, town01, team, gp;
const CELL = '51152410100101';
const VILLAGE = '511524101001';
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, doctor02, county, admin, town01] = await Promise.all(['doctor01', 'doctor02', 'county', 'admin', 'town01'].map((u) => s.login(u)));
  const me = (await s.request('GET', '/api/v1/session', { token: doctor01 })).json.user;
  team = me.teams[0];
  gp = me.staff_id;
});
after(async () => {
  assert.equal(await s.stop(), 0);
  cleanup(demo.dir);
});

const post = (path, body, token = doctor01) => s.request('POST', `/api/v1${path}`, { token, body });
const get = (path, token = doctor01) => s.request('GET', `/api/v1${path}`, { token });
// Another team of doctor01's township: the centre (town01) moves people between its teams.
const neighbour = async () => (await get('/teams?region=511524101&limit=500', town01)).json.items.find((x) => x.id !== team);
const del = (path, token = doctor01) => s.request('DELETE', `/api/v1${path}`, { token });

let seq = 0;
/* A resident of 60 enrolled in hypertension 200 days ago, signed with `packages` from `start`. */
async function patient(packages = ['BASIC', 'HTN-120'], start = daysAgo(30)) {
  const id_number = idNumber('1966-0' + (1 + (seq % 9)) + '-15', 301 + 2 * seq++);
  const p = await post('/residents', { name: '履约' + seq, id_number, region: CELL });
  assert.equal(p.status, 201, p.text);
  const e = await post('/enrolments', { resident_id: p.json.id, program: 'hypertension', start_date: daysAgo(200) });
  assert.equal(e.status, 201, e.text);
  let contract = null;
  if (packages) {
    const c = await post('/contracts', { resident_id: p.json.id, team_id: team, doctor_id: gp, packages, start_date: start, channel: 'clinic' });
    assert.equal(c.status, 201, c.text);
    contract = c.json;
  }
  return { id: p.json.id, id_number, contract };
}
// Several visits of a day each (what they use up is the point): confirmed, not duplicates.
const followup = (p, body = {}) => post('/followups', { resident_id: p.id, program: 'hypertension', visit_date: today, sbp: 130, dbp: 80, confirm_duplicate: true, ...body });
const contractOf = async (id) => (await get(`/contracts/${id}`)).json;
const entitlement = (c, service) => c.entitlements.find((e) => e.service === service);
const teamWorkload = async () => {
  const r = await get(`/team-scores?scope=region:511524101&period=${year}`, county);
  assert.equal(r.status, 200, r.text);
  return r.json.items.find((t) => t.team_id === team).workload;
};
const fulfilmentRate = async () => {
  const r = await get(`/indicators?scope=team:${team}&period=${year}&codes=fulfilment_rate`, county);
  assert.equal(r.status, 200, r.text);
  return r.json.items[0];
};

test('a hypertension follow-up uses up the HTN package follow-up; fulfilment and workload count it; deleting it gives it back', async () => {
  const p = await patient();
  const before = { fulfilment: (await get(`/fulfilment?team=${team}`)).json, workload: await teamWorkload() };
  const f = await followup(p);
  assert.equal(f.status, 201, f.text);
  assert.equal(f.json.entitlements_used.length, 1);
  assert.deepEqual({ ...f.json.entitlements_used[0], entitlement_id: 0 },
    { contract_id: p.contract.id, entitlement_id: 0, service: 'bp_followup', event: 'followup.hypertension' });

  let c = await contractOf(p.contract.id);
  let e = entitlement(c, 'bp_followup');
  assert.deepEqual([e.used, e.remaining, e.used_automatic, e.used_manual], [1, 3, 1, 0]);
  assert.equal(e.deliveries.length, 1);
  assert.deepEqual(e.deliveries[0].source, { kind: 'followup', id: f.json.id });
  assert.equal(e.deliveries[0].automatic, true);
  assert.equal(e.deliveries[0].delivered_on, today);
  assert.equal(entitlement(c, 'bp_measurement').used, 0, 'one unit per event: the package follow-up only');

  const fulfilment = (await get(`/fulfilment?team=${team}`)).json;
  assert.equal(fulfilment.delivered, before.fulfilment.delivered + 1);
  assert.equal(fulfilment.by_service.find((x) => x.service === 'bp_followup').delivered,
    (before.fulfilment.by_service.find((x) => x.service === 'bp_followup') || { delivered: 0 }).delivered + 1);
  assert.ok(Math.abs(await teamWorkload() - (before.workload + 1.0)) < 1e-9, 'bp_followup weighs 1.0');

  const d = await del(`/followups/${f.json.id}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.entitlements_returned, 1);
  c = await contractOf(p.contract.id);
  e = entitlement(c, 'bp_followup');
  assert.deepEqual([e.used, e.remaining, e.deliveries.length], [0, 4, 0]);
  assert.equal((await get(`/fulfilment?team=${team}`)).json.delivered, before.fulfilment.delivered);
  assert.ok(Math.abs(await teamWorkload() - before.workload) < 1e-9);
  assert.equal((await get(`/residents/${p.id}/followups`)).json.items.length, 0);
  assert.equal((await del(`/followups/${f.json.id}`)).status, 404);
  assert.equal(sqlite(`SELECT count(*) FROM audit_log WHERE action = 'delete' AND resource = 'followup' AND resource_id = '${f.json.id}'`), '1');
});

test('the fulfilment rate of an ended contract counts the recorded services, and their undoing', async () => {
  const p = await patient(['BASIC', 'HTN-120'], daysAgo(60));
  const before = await fulfilmentRate();
  const f = await followup(p, { mode: 'home_visit' });
  assert.equal(f.status, 201, f.text);
  assert.deepEqual(f.json.entitlements_used.map((u) => u.service), ['bp_followup', 'home_visit']);
  const t = await post(`/contracts/${p.contract.id}/terminate`, { reason: 'moved_away' });
  assert.equal(t.status, 200, t.text);
  const ended = await fulfilmentRate();
  const entitled = p.contract.entitlements.reduce((n, x) => n + x.quantity, 0);
  assert.equal(ended.denominator, before.denominator + entitled);
  assert.equal(ended.numerator, before.numerator + 2);
  // Taken back on the ended contract too: the record was in error, whatever happened since.
  assert.equal((await del(`/followups/${f.json.id}`)).json.entitlements_returned, 2);
  assert.equal((await fulfilmentRate()).numerator, before.numerator);
});

test('nothing left, no contract, or a day outside the term: nothing used and no error', async () => {
  // BASIC alone: four blood pressure measurements, then nothing.
  const p = await patient(['BASIC']);
  const used = [];
  for (let k = 0; k < 5; k++) {
    const f = await followup(p);
    assert.equal(f.status, 201, f.text);
    used.push(f.json.entitlements_used.map((u) => u.service).join(','));
  }
  assert.deepEqual(used, ['bp_measurement', 'bp_measurement', 'bp_measurement', 'bp_measurement', '']);
  const e = entitlement(await contractOf(p.contract.id), 'bp_measurement');
  assert.deepEqual([e.used, e.remaining, e.deliveries.length], [4, 0, 4]);

  // No contract at all.
  const unsigned = await patient(null);
  const f = await followup(unsigned);
  assert.equal(f.status, 201, f.text);
  assert.deepEqual(f.json.entitlements_used, []);

  // A visit before the contract started uses nothing.
  const late = await patient(['BASIC', 'HTN-120'], daysAgo(10));
  const early = await followup(late, { visit_date: daysAgo(20) });
  assert.equal(early.status, 201, early.text);
  assert.deepEqual(early.json.entitlements_used, []);
  assert.equal(entitlement(await contractOf(late.contract.id), 'bp_followup').used, 0);
});

test('the contract in force on the service day is used, not today\'s', async () => {
  const p = await patient(['BASIC', 'HTN-120'], daysAgo(300));
  const ended = await post(`/contracts/${p.contract.id}/terminate`, { reason: 'resident_request', ended_on: daysAgo(100) });
  assert.equal(ended.status, 200, ended.text);
  const now = await post('/contracts', { resident_id: p.id, team_id: team, doctor_id: gp, packages: ['BASIC'], start_date: daysAgo(50), channel: 'clinic' });
  assert.equal(now.status, 201, now.text);
  const old = await followup(p, { visit_date: daysAgo(150) });
  assert.deepEqual(old.json.entitlements_used.map((u) => [u.contract_id, u.service]), [[p.contract.id, 'bp_followup']]);
  const gap = await followup(p, { visit_date: daysAgo(70) });
  assert.deepEqual(gap.json.entitlements_used, [], 'between the two contracts');
  const recent = await followup(p, { visit_date: daysAgo(5) });
  assert.deepEqual(recent.json.entitlements_used.map((u) => [u.contract_id, u.service]), [[now.json.id, 'bp_measurement']]);
});

test('deleting a follow-up: only the latest; its task is cancelled, the one it closed reopens, its unseen referral goes', async () => {
  const p = await patient();
  const first = await followup(p, { visit_date: daysAgo(20), sbp: 150, dbp: 95 });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.classification, 'first_uncontrolled');
  const second = await followup(p, { visit_date: daysAgo(3), sbp: 156, dbp: 98 });
  assert.equal(second.status, 201, second.text);
  assert.equal(second.json.action, 'refer');
  assert.equal(second.json.referrals.length, 1);
  const referral = second.json.referrals[0];
  const t1 = first.json.next_task.id, t2 = second.json.next_task.id;
  assert.equal(sqlite(`SELECT status FROM tasks WHERE id = ${t1}`), 'done');

  const notLatest = await del(`/followups/${first.json.id}`);
  assert.equal(notLatest.status, 409);
  assert.equal(notLatest.json.code, 'not_latest');
  assert.equal((await del(`/followups/${second.json.id}`, doctor02)).status, 403, 'outside doctor02\'s scope');

  const d = await del(`/followups/${second.json.id}`);
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.json.referrals_removed, [referral.id]);
  assert.equal(d.json.task_cancelled, t2);
  assert.equal(d.json.task_reopened, t1);
  assert.equal(sqlite(`SELECT status FROM tasks WHERE id = ${t2}`), 'cancelled');
  assert.equal(sqlite(`SELECT status || '|' || coalesce(closed_at, '') FROM tasks WHERE id = ${t1}`), 'open|');
  assert.equal(sqlite(`SELECT count(*) FROM referrals WHERE id = ${referral.id}`), '0');
  assert.equal(sqlite(`SELECT count(*) FROM tasks WHERE id = ${referral.task_id}`), '0');
  assert.equal(entitlement(await contractOf(p.contract.id), 'bp_followup').used, 1, 'the first still counts');

  // The first is the latest now; a referral the patient was seen on stays, unlinked.
  const again = await followup(p, { visit_date: daysAgo(2), sbp: 156, dbp: 98 });
  const seen = await post(`/referrals/${again.json.referrals[0].id}/seen`, { seen_on: today });
  assert.equal(seen.status, 200, seen.text);
  const d2 = await del(`/followups/${again.json.id}`);
  assert.equal(d2.status, 200, d2.text);
  assert.deepEqual(d2.json.referrals_removed, []);
  assert.equal(sqlite(`SELECT coalesce(CAST(followup_id AS TEXT), 'null') FROM referrals WHERE id = ${again.json.referrals[0].id}`), 'null');
  const d1 = await del(`/followups/${first.json.id}`);
  assert.equal(d1.status, 200, d1.text);
  assert.equal(d1.json.task_reopened, null, 'nothing was open before the first visit');
  assert.equal(entitlement(await contractOf(p.contract.id), 'bp_followup').used, 0);
  assert.equal(sqlite(`SELECT count(*) FROM tasks WHERE resident_id = ${p.id} AND kind = 'followup' AND status = 'open'`), '0');
});

test('a visit entered late but dated earlier: deleting the latest by date never leaves two open tasks', async () => {
  const p = await patient();
  assert.equal((await followup(p, { visit_date: daysAgo(25), sbp: 126, dbp: 78 })).status, 201); // opens T0
  const later = await followup(p, { visit_date: daysAgo(5), sbp: 128, dbp: 80 }); // closes T0, opens T1
  assert.equal(later.status, 201, later.text);
  const earlier = await followup(p, { visit_date: daysAgo(15), sbp: 130, dbp: 82 }); // closes T1, opens T2
  assert.equal(earlier.status, 201, earlier.text);
  const open = () => sqlite(`SELECT count(*) FROM tasks WHERE resident_id = ${p.id} AND kind = 'followup' AND status = 'open'`);
  assert.equal(open(), '1');
  const d = await del(`/followups/${later.json.id}`); // the latest by date: T0 must not reopen beside T2
  assert.equal(d.status, 200, d.text);
  assert.equal(open(), '1', 'the open task of the program stays the only one');
});

test('a contract signed from a past day takes up what was recorded in its term, once', async () => {
  const p = await patient(null);
  const f = await followup(p, { visit_date: daysAgo(40) });
  assert.deepEqual(f.json.entitlements_used, [], 'not signed yet');
  const visit = await post('/encounters', { resident_id: p.id, encounter_date: daysAgo(100), in_county: true, team_id: team });
  assert.deepEqual(visit.json.entitlements_used, []);
  const c = await post('/contracts', { resident_id: p.id, team_id: team, doctor_id: gp, packages: ['BASIC', 'HTN-120'], start_date: daysAgo(60), channel: 'clinic' });
  assert.equal(c.status, 201, c.text);
  assert.equal(entitlement(c.json, 'bp_followup').used, 1, 'the visit of 40 days ago');
  assert.equal(entitlement(c.json, 'bp_followup').deliveries[0].source.id, f.json.id);
  assert.equal(entitlement(c.json, 'bp_measurement').used, 0, 'the encounter was before the term');
  // Transferred today: what today's visit used on the old contract is not taken again.
  const now = await followup(p);
  assert.deepEqual(now.json.entitlements_used.map((u) => [u.contract_id, u.service]), [[c.json.id, 'bp_followup']]);
  const other = await neighbour();
  const moved = await post(`/contracts/${c.json.id}/transfer`, { team_id: other.id, doctor_id: other.doctor_id, reason: '居民申请', cross_grid_reason: '就近' }, town01);
  assert.equal(moved.status, 201, moved.text);
  assert.equal(entitlement(moved.json, 'bp_followup').used, 2, 'carried over');
  assert.equal(entitlement(moved.json, 'bp_followup').deliveries.length, 0, 'nothing taken again');
  assert.equal(sqlite(`SELECT count(*) FROM deliveries WHERE source_kind = 'followup' AND source_id IN (${f.json.id}, ${now.json.id})`), '2');
});

test('maternal visits: antenatal and postpartum use theirs; a visit that registered or assessed the pregnancy cannot be deleted', async () => {
  const id_number = idNumber('1997-04-0' + (1 + (seq % 9)), 302 + 2 * seq++); // an even sequence: a woman
  const w = (await post('/residents', { name: '孕产' + seq, id_number, region: CELL })).json;
  const visit = (body) => post('/followups', { resident_id: w.id, program: 'maternal', ...body });
  // The first visit registers the pregnancy; the maternal package (key populations only) is
  // signed after it, from before it, and takes it up.
  const registered = await visit({ visit_date: daysAgo(200), lmp: daysAgo(270) });
  assert.equal(registered.status, 201, registered.text);
  // Registering the pregnancy made her a key population at once (PROTOCOLS.md §2).
  assert.equal((await s.request('GET', `/api/v1/residents/${w.id}`, { token: doctor01 })).json.population_class, 1);
  const c = await post('/contracts', { resident_id: w.id, team_id: team, doctor_id: gp, packages: ['BASIC', 'MCH-150'], start_date: daysAgo(250), channel: 'clinic' });
  assert.equal(c.status, 201, c.text);
  const antenatal = entitlement(c.json, 'antenatal_guidance');
  assert.equal(antenatal.used, 1);
  assert.equal(antenatal.deliveries[0].source.id, registered.json.id);
  let r = await del(`/followups/${registered.json.id}`);
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'pregnancy_registered');
  const assessed = await visit({ visit_date: daysAgo(100), risk_factors: [] });
  assert.equal(assessed.status, 201, assessed.text);
  assert.equal((await del(`/followups/${assessed.json.id}`)).json.code, 'risk_assessed');
  const routine = await visit({ visit_date: daysAgo(50) });
  assert.equal(routine.status, 201, routine.text);
  assert.equal(entitlement(await contractOf(c.json.id), 'antenatal_guidance').used, 3);
  r = await del(`/followups/${routine.json.id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(entitlement(await contractOf(c.json.id), 'antenatal_guidance').used, 2);
  // After the delivery, the home visit is the postpartum one.
  const home = await visit({ visit_date: today, delivery_date: daysAgo(5), discharge_date: daysAgo(3), mode: 'home_visit' });
  assert.equal(home.status, 201, home.text);
  assert.deepEqual(home.json.entitlements_used.map((u) => [u.service, u.event]), [['postpartum_visit', 'followup.postpartum']]);
  // The visit that gave the delivery stays: the programme's end and the classes follow from it.
  r = await del(`/followups/${home.json.id}`);
  assert.deepEqual([r.status, r.json.code], [409, 'delivery_recorded']);
});

test('encounters with the own team and at home use theirs; a hospital\'s do not; deleting gives back', async () => {
  const p = await patient(['BASIC', 'HTN-120']);
  const hospital = (await get('/institutions')).json.items.find((i) => i.kind === 'county_hospital').id;
  const own = await post('/encounters', { resident_id: p.id, encounter_date: today, in_county: true, team_id: team, staff_id: gp });
  assert.equal(own.status, 201, own.text);
  assert.deepEqual(own.json.entitlements_used.map((u) => [u.service, u.event]), [['bp_measurement', 'encounter']]);
  // Another team is not doctor01's to credit (403); a visit at the hospital uses nothing.
  assert.equal((await post('/encounters', { resident_id: p.id, encounter_date: today, in_county: true, team_id: (await neighbour()).id })).status, 403);
  const elsewhere = await post('/encounters', { resident_id: p.id, encounter_date: today, institution_id: hospital });
  assert.deepEqual(elsewhere.json.entitlements_used, []);
  const home = await post('/encounters', { resident_id: p.id, encounter_date: today, in_county: true, team_id: team, at_home: true });
  assert.equal(home.json.at_home, true);
  assert.deepEqual(home.json.entitlements_used.map((u) => u.service), ['bp_measurement', 'home_visit']);
  assert.equal((await post('/encounters', { resident_id: p.id, encounter_date: today, in_county: true, at_home: 'yes' })).json.field, 'at_home');
  let c = await contractOf(p.contract.id);
  assert.deepEqual([entitlement(c, 'bp_measurement').used, entitlement(c, 'home_visit').used], [2, 1]);
  assert.equal((await get(`/residents/${p.id}/encounters`)).json.items.find((x) => x.id === home.json.id).at_home, true);

  const d = await del(`/encounters/${home.json.id}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.entitlements_returned, 2);
  c = await contractOf(p.contract.id);
  assert.deepEqual([entitlement(c, 'bp_measurement').used, entitlement(c, 'home_visit').used], [1, 0]);
  assert.equal((await del(`/encounters/${home.json.id}`)).status, 404);
  assert.equal((await del(`/encounters/${own.json.id}`, doctor02)).status, 403);
  assert.equal((await del(`/encounters/${elsewhere.json.id}`)).json.entitlements_returned, 0);
});

test('an exam row uses the exam, ECG and tests once; a re-sent file replaces what the row used', async () => {
  const p = await patient(['BASIC', 'HTN-120']);
  const upload = (rows) => s.request('POST', '/api/v1/exams/import?source=exam.csv', {
    token: doctor01, raw: ['id_number,exam_date,sbp,dbp,fbg,ecg', ...rows].join('\r\n') + '\r\n', headers: { 'Content-Type': 'text/csv' },
  });
  const day = daysAgo(3);
  const row = `${p.id_number},${day},128,80,5.6,窦性心律`;
  let r = await upload([row]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.entitlements_used, 3, 'health assessment (BASIC has no physical exam), ECG, tests');
  let c = await contractOf(p.contract.id);
  assert.deepEqual(['health_assessment', 'ecg', 'lab_glucose_lipids'].map((x) => entitlement(c, x).used), [1, 1, 1]);
  // The same file again: the row is already stored as it is, so it uses nothing more.
  r = await upload([row]);
  assert.deepEqual([r.json.accepted, r.json.unchanged, r.json.entitlements_used], [1, 1, 0]);
  c = await contractOf(p.contract.id);
  assert.deepEqual(['health_assessment', 'ecg', 'lab_glucose_lipids'].map((x) => entitlement(c, x).used), [1, 1, 1]);
  assert.equal(entitlement(c, 'ecg').deliveries.length, 1);
  // Corrected without the ECG: the ECG goes back.
  r = await upload([`${p.id_number},${day},128,80,5.6,`]);
  assert.equal(r.json.entitlements_used, 2);
  c = await contractOf(p.contract.id);
  assert.deepEqual(['health_assessment', 'ecg', 'lab_glucose_lipids'].map((x) => entitlement(c, x).used), [1, 0, 1]);
  const exam = entitlement(c, 'health_assessment').deliveries[0];
  assert.equal(exam.source.kind, 'exam');
  assert.equal(exam.source.id, Number(sqlite(`SELECT id FROM exam_results WHERE resident_id = ${p.id}`)));
});

test('group attendance uses up health education; taking an attendee off gives it back', async () => {
  const p = await patient(['BASIC']);
  const g = await post('/groups', { name: '履约测试小组', focus: 'hypertension', region: VILLAGE });
  assert.equal(g.status, 201, g.text);
  assert.equal((await post(`/groups/${g.json.id}/members`, { resident_id: p.id, joined_on: daysAgo(20) })).status, 201);
  const a = await post(`/groups/${g.json.id}/activities`, { activity_date: daysAgo(2), topic: '限盐', attendees: [p.id] });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.entitlements_used, 1);
  let e = entitlement(await contractOf(p.contract.id), 'health_education');
  assert.deepEqual([e.used, e.deliveries[0].source], [1, { kind: 'group_attendance', id: a.json.id }]);
  const path = `/groups/${g.json.id}/activities/${a.json.id}/attendees/${p.id}`;
  assert.equal((await del(path, doctor02)).status, 403);
  const d = await del(path);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.entitlements_returned, 1);
  e = entitlement(await contractOf(p.contract.id), 'health_education');
  assert.equal(e.used, 0);
  assert.equal((await del(path)).status, 404);
  assert.equal(sqlite(`SELECT count(*) FROM group_attendance WHERE activity_id = ${a.json.id}`), '0');
  assert.equal(sqlite(`SELECT member_count FROM group_activities WHERE id = ${a.json.id}`), '1', 'the base of the rate stays');
});

test('manual deliveries stay for what is not recorded, shown as by hand', async () => {
  const p = await patient(['BASIC']);
  const d = await post(`/contracts/${p.contract.id}/deliveries`, { service: 'record_management', note: '档案更新' });
  assert.equal(d.status, 201, d.text);
  const e = entitlement(d.json, 'record_management');
  assert.deepEqual([e.used, e.used_manual, e.used_automatic], [1, 1, 0]);
  assert.deepEqual([e.deliveries[0].automatic, e.deliveries[0].source, e.deliveries[0].note], [false, null, '档案更新']);
  assert.ok(e.deliveries[0].staff_name, 'who delivered it');
  // A manual one and a recorded one share what is left.
  await post(`/contracts/${p.contract.id}/deliveries`, { service: 'bp_measurement', quantity: 3 });
  const f = await followup(p);
  assert.deepEqual(f.json.entitlements_used.map((u) => u.service), ['bp_measurement']);
  assert.deepEqual((await followup(p)).json.entitlements_used, []);
  const over = await post(`/contracts/${p.contract.id}/deliveries`, { service: 'bp_measurement' });
  assert.equal(over.json.code, 'entitlement_exhausted');
});

test('the mapping is a versioned setting: a changed preference takes effect at the next record', async () => {
  const lists = async () => Object.fromEntries((await get('/protocol-lists')).json.items.map((i) => [i.key, i]));
  const mapping = (await lists()).service_entitlements;
  assert.equal(mapping.version, 0);
  assert.equal(mapping.value[0], 'followup.hypertension:bp_followup');
  const put = (values, token = admin) => s.request('PUT', '/api/v1/protocol-lists/service_entitlements', { token, body: { values } });
  let r = await put(['followup.hypertension:bp_followup', 'followup.tuberculosis:tb_visit']);
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'values[1]');
  r = await put(['followup.hypertension:bp_followup', 'followup.hypertension:a_service_name_far_too_long_x']);
  assert.equal(r.json.field, 'values[1]');
  assert.equal((await put(['exam:physical_exam'], doctor01)).status, 403);
  const swapped = ['followup.hypertension:bp_measurement', ...mapping.value.filter((v) => v !== 'followup.hypertension:bp_measurement')];
  r = await put(swapped);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 1);
  const p = await patient();
  const f = await followup(p);
  assert.deepEqual(f.json.entitlements_used.map((u) => u.service), ['bp_measurement']);
  assert.equal((await put(mapping.value)).json.version, 2);
  assert.deepEqual((await followup(p)).json.entitlements_used.map((u) => u.service), ['bp_followup']);
});

test('every use is one delivery of one record, used equals what was delivered, and the counters are exact', async () => {
  assert.equal(sqlite('SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE source_kind IS NOT NULL GROUP BY source_kind, source_id, entitlement_id HAVING count(*) > 1) sub'), '0');
  // A transferred contract carries what was used before it, without the deliveries.
  const delivered = '(SELECT coalesce(sum(quantity), 0) FROM deliveries d WHERE d.entitlement_id = e.id)';
  const moved = "(SELECT contract_id FROM contract_events WHERE reason = 'transfer')";
  assert.equal(sqlite(`SELECT count(*) FROM entitlements e WHERE e.contract_id NOT IN ${moved} AND used <> ${delivered}`), '0');
  assert.equal(sqlite(`SELECT count(*) FROM entitlements e WHERE used < ${delivered} OR used > quantity`), '0');
  assert.ok(Number(sqlite('SELECT count(*) FROM deliveries WHERE source_kind IS NOT NULL')) > 10);
  await s.stop();
  jiayi(['kpi', 'check', '--db', demo.db]);
  s = await startServer(demo.db);
});
