// Visits (encounters), referrals and satisfaction answers over HTTP: every field is
// validated and named when wrong, nothing is written on bad input, the resident must be
// in the caller's scope, a resident answers the survey for themself only, writes and
// reads are audited; primary care and in-county come from the institution. The indicators
// of PROTOCOLS.md §11 then show exactly the rows written and `jiayi kpi check` agrees; and
// a small demo county has data behind every indicator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, dbSql } from '../lib/server.mjs';
import { TODAY as today, daysAhead } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, county;
const CELL = '51152410100101';
const year = today.slice(0, 4);
const tomorrow = daysAhead(1);
const sqlite = (sql) => dbSql(demo.db, sql);
const post = (path, body, token = doctor01) => s.request('POST', `/api/v1${path}`, { token, body });
const get = (path, token = doctor01) => s.request('GET', `/api/v1${path}`, { token });

let seq = 0;
async function person(name, token = doctor01, region = CELL) {
  const r = await post('/residents', { name, id_number: idNumber('1958-04-0' + (1 + (seq % 9)), 301 + 2 * seq++), region }, token);
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

let clinic, center, hospital, team, a, b, c;

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, doctor02, county] = await Promise.all(['doctor01', 'doctor02', 'county'].map((u) => s.login(u)));
  clinic = (await get('/institutions?region=511524101001')).json.items.find((i) => i.kind === 'village_clinic');
  center = (await get('/institutions?region=511524101')).json.items.find((i) => i.kind === 'township_center');
  hospital = (await get('/institutions?region=511524')).json.items.find((i) => i.kind === 'county_hospital');
  team = (await get('/session')).json.user.teams[0];
  assert.ok(clinic && center && hospital && team);
  [a, b, c] = [await person('赵德明'), await person('钱玉兰'), await person('孙志强')];
});
after(async () => { await s.stop(); cleanup(demo.dir); });

const problem = (r, status, code, field) => {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json.code, code, r.text);
  if (field !== undefined) assert.equal(r.json.field, field, r.text);
};

test('bad encounters name their field and write nothing', async () => {
  const ok = { resident_id: a, encounter_date: today, institution_id: clinic.id };
  problem(await post('/encounters', { ...ok, encounter_date: undefined }), 422, 'missing_field', 'encounter_date');
  problem(await post('/encounters', { ...ok, encounter_date: '2026-02-30' }), 422, 'invalid_date', 'encounter_date');
  problem(await post('/encounters', { ...ok, encounter_date: tomorrow }), 422, 'invalid_date', 'encounter_date');
  problem(await post('/encounters', { ...ok, institution_id: 999999 }), 422, 'invalid_field', 'institution_id');
  problem(await post('/encounters', { ...ok, institution_id: undefined }), 422, 'missing_field', 'in_county');
  problem(await post('/encounters', { ...ok, team_id: 999999 }), 422, 'invalid_field', 'team_id');
  problem(await post('/encounters', { ...ok, staff_id: 999999 }), 422, 'invalid_field', 'staff_id');
  problem(await post('/encounters', { ...ok, chronic_program: 'asthma' }), 422, 'invalid_field', 'chronic_program');
  problem(await post('/encounters', { ...ok, in_county: 'yes' }), 422, 'invalid_field', 'in_county');
  problem(await post('/encounters', { ...ok, resident_id: 'x' }), 422, 'invalid_field', 'resident_id');
  assert.equal(sqlite('SELECT count(*) FROM encounters'), '0');
});

test('a resident outside the caller\'s scope is refused', async () => {
  problem(await post('/encounters', { resident_id: a, encounter_date: today, institution_id: clinic.id }, doctor02), 403, 'out_of_scope');
  problem(await post('/referrals', { resident_id: a, referred_on: today, direction: 'up', from_institution_id: center.id, to_institution_id: hospital.id }, doctor02), 403, 'out_of_scope');
  problem(await post('/satisfaction', { resident_id: a, answered_on: today, score: 5 }, doctor02), 403, 'out_of_scope');
  assert.equal((await get(`/residents/${a}/encounters`, doctor02)).status, 403);
  assert.equal((await get(`/residents/${a}/referrals`, doctor02)).status, 403);
  // The health commission reads counts, it does not record visits.
  assert.equal((await post('/encounters', { resident_id: a, encounter_date: today, in_county: true }, county)).status, 403);
  assert.equal(sqlite('SELECT count(*) FROM encounters') + sqlite('SELECT count(*) FROM referrals'), '00');
});

test('encounters derive primary care and in-county from the institution', async () => {
  const at = (body) => post('/encounters', { resident_id: a, encounter_date: today, ...body });
  let r = await at({ institution_id: clinic.id, team_id: team, chronic_program: 'hypertension' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.primary_care, true);
  assert.equal(r.json.in_county, true);
  assert.equal(r.json.team_id, team);
  assert.equal(r.json.chronic_program, 'hypertension');
  // A county hospital: in the county, not primary care, whatever the client says.
  r = await at({ institution_id: hospital.id, in_county: false });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.primary_care, r.json.in_county], [false, true]);
  // A hospital outside the grid: the client says where.
  r = await at({ in_county: false });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.primary_care, r.json.in_county, r.json.institution_id], [false, false, null]);
  r = await post('/encounters', { resident_id: b, encounter_date: today, in_county: true });
  assert.equal(r.status, 201, r.text);

  const list = await get(`/residents/${a}/encounters`);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 3);
  assert.ok(list.json.items.some((e) => e.institution_name === clinic.name && e.primary_care));
  assert.equal(sqlite(`SELECT count(*) FROM audit_log WHERE resource = 'encounter' AND action = 'create'`), '4');
});

test('referrals: up and down between existing, different institutions', async () => {
  const ok = { resident_id: a, referred_on: today, direction: 'up', from_institution_id: center.id, to_institution_id: hospital.id, reason: '血压控制不佳' };
  problem(await post('/referrals', { ...ok, direction: 'sideways' }), 422, 'invalid_field', 'direction');
  problem(await post('/referrals', { ...ok, referred_on: tomorrow }), 422, 'invalid_date', 'referred_on');
  problem(await post('/referrals', { ...ok, from_institution_id: undefined }), 422, 'missing_field', 'from_institution_id');
  problem(await post('/referrals', { ...ok, to_institution_id: 999999 }), 422, 'invalid_field', 'to_institution_id');
  problem(await post('/referrals', { ...ok, to_institution_id: center.id }), 422, 'invalid_field', 'to_institution_id');
  problem(await post('/referrals', { ...ok, reason: 'x'.repeat(201) }), 422, 'invalid_field', 'reason');
  assert.equal(sqlite('SELECT count(*) FROM referrals'), '0');
  for (const body of [ok, { ...ok, resident_id: b },
    { ...ok, resident_id: c, direction: 'down', from_institution_id: hospital.id, to_institution_id: center.id }]) {
    const r = await post('/referrals', body);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.direction, body.direction);
  }
  const list = (await get(`/residents/${a}/referrals`)).json.items;
  assert.equal(list.length, 1);
  assert.equal(list[0].to_institution_name, hospital.name);
  assert.equal(list[0].reason, '血压控制不佳');
  assert.equal(sqlite(`SELECT count(*) FROM audit_log WHERE resource = 'referral' AND action = 'create'`), '3');
});

test('satisfaction: staff independent of the rated team record answers; a resident answers for themself only', async () => {
  problem(await post('/satisfaction', { resident_id: a, answered_on: today, score: 6 }), 422, 'invalid_field', 'score');
  problem(await post('/satisfaction', { resident_id: a, answered_on: today }), 422, 'missing_field', 'score');
  problem(await post('/satisfaction', { resident_id: a, answered_on: tomorrow, score: 5 }), 422, 'invalid_date', 'answered_on');
  problem(await post('/satisfaction', { resident_id: a, answered_on: today, score: 5, team_id: 999999 }), 422, 'invalid_field', 'team_id');
  assert.equal(sqlite('SELECT count(*) FROM satisfaction_answers'), '0');

  // doctor01 is on a's team: a team never rates itself (satisfaction.test.mjs has the rest).
  problem(await post('/satisfaction', { resident_id: a, answered_on: today, score: 5, team_id: team }), 403, 'rater_on_team', 'team_id');
  // The survey also asks whether b knows their family doctor (awareness_rate): a yes or no.
  problem(await post('/satisfaction', { resident_id: b, answered_on: today, score: 3, knows_doctor: 'yes' }), 422, 'invalid_field', 'knows_doctor');
  let r = await post('/satisfaction', { resident_id: b, answered_on: today, score: 3, knows_doctor: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.team_id, null, 'no contract: no team');
  assert.equal(r.json.knows_doctor, true);

  // resident01 becomes resident c (a --residents 0 county has no residents of its own).
  sqlite(`UPDATE users SET resident_id = ${c} WHERE username = 'resident01'`);
  const me = await s.login('resident01');
  problem(await post('/satisfaction', { resident_id: a, answered_on: today, score: 1 }, me), 403, 'out_of_scope');
  // The portal shows the resident their doctor's name: only a survey asks whether they know it.
  problem(await post('/satisfaction', { resident_id: c, answered_on: today, score: 4, knows_doctor: true }, me), 422, 'invalid_field', 'knows_doctor');
  r = await post('/satisfaction', { resident_id: c, answered_on: today, score: 4 }, me);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.knows_doctor, null);
  assert.equal((await post('/encounters', { resident_id: c, encounter_date: today, in_county: true }, me)).status, 403);
  assert.equal(sqlite(`SELECT count(*) FROM audit_log WHERE resource = 'satisfaction_answer' AND action = 'create'`), '2');
  assert.equal(sqlite(`SELECT username FROM audit_log WHERE resource = 'satisfaction_answer' ORDER BY id DESC LIMIT 1`), 'resident01');
});

test('reads of a resident\'s visits and referrals are audited', async () => {
  await get('/audit', (await s.login('admin'))); // flushes the asynchronous auditor
  assert.ok(Number(sqlite(`SELECT count(*) FROM audit_log WHERE resource = 'encounters' AND action = 'read' AND resident_id = ${a}`)) >= 1);
  assert.ok(Number(sqlite(`SELECT count(*) FROM audit_log WHERE resource = 'referrals' AND action = 'read' AND resident_id = ${a}`)) >= 1);
});

test('the indicators show exactly the rows written, and the counters are exact', async () => {
  const r = await get(`/indicators?scope=region:511524&period=${year}&codes=in_county_visit_rate,referrals_up,referrals_down,satisfaction_rate,awareness_rate`, county);
  assert.equal(r.status, 200, r.text);
  const by = Object.fromEntries(r.json.items.map((i) => [i.code, [i.numerator, i.denominator]]));
  // Visits: clinic, county hospital (in county), outside the grid (not), b's in-county one.
  assert.deepEqual(by.in_county_visit_rate, [3, 4]);
  assert.deepEqual(by.referrals_up, [2, 1]);
  assert.deepEqual(by.referrals_down, [1, 1]);
  // Scores 3 and 4 (a's own team could not record a 5): one satisfied of two.
  assert.deepEqual(by.satisfaction_rate, [1, 2]);
  // Awareness: b was asked and knows the doctor; c's portal answer did not ask.
  assert.deepEqual(by.awareness_rate, [1, 1]);
  const check = jiayi(['kpi', 'check', '--db', demo.db], { check: false });
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test('a small demo county has data behind every indicator, and exact counters', async () => {
  const small = makeDemo({ residents: 3000 });
  try {
    const check = jiayi(['kpi', 'check', '--db', small.db], { check: false });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    const server = await startServer(small.db);
    try {
      const token = await server.login('county');
      const r = await server.request('GET', `/api/v1/indicators?scope=region:511524&period=${year}`, { token });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.length >= 30, 'every §11 indicator');
      /* Tuberculosis is notified about 55 times in 100,000 a year: a county of 3,000 may see
       * none in a year (the demo's default county of 300,000 sees about 160). */
      const rare = ['tb_mgmt_rate', 'tb_regular_medication_rate'];
      for (const i of r.json.items) assert.ok(rare.includes(i.code) || i.denominator > 0, `${i.code} has a denominator`);
      // The services this demo adds happen in any county of 3,000 (not so a lost patient).
      const served = ['in_county_visit_rate', 'signed_primary_visit_rate', 'fd_visit_share', 'referrals_up',
        'referrals_down', 'satisfaction_rate', 'fulfilment_rate', 'renewal_rate', 'early_pregnancy_rate',
        'postpartum_visit_rate', 'newborn_visit_rate', 'managed_visit_rate'];
      for (const code of served) {
        const i = r.json.items.find((x) => x.code === code);
        assert.ok(i && i.numerator > 0, `${code} has a numerator`);
      }
    } finally { await server.stop(); }
  } finally { cleanup(small.dir); }
});
