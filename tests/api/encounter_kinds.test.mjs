// Encounters from where they happen (issue 19): outpatient, inpatient with its admission and
// discharge, home visits and telephone consultations, with ICD-10 diagnoses, the hospital's
// doctor, the cost, a changed treatment and the sending system; the post-visit call a
// discharge or a changed treatment puts on the team's work list, closed with its answers;
// primary_outpatient_share and in_county_inpatient_share (PROTOCOLS.md §15), kept exact; the
// FHIR Encounter's class, period and ICD-10 reasons, valid R4.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fhirPackage from 'fhir';
import { makeDemo, startServer, cleanup, idNumber, dbJson, jiayi } from '../lib/server.mjs';
import { TODAY, addDays, daysAgo } from '../lib/clock.mjs';

const { Fhir } = fhirPackage;
const validator = new Fhir();
let demo, s, doctor01, county;
const CELL = '51152410100101';
const sql = (q) => dbJson(demo.db, q);
const one = (q) => { const rows = sql(q); return rows.length ? Object.values(rows[0])[0] : null; };

before(async () => {
  demo = makeDemo({ residents: 0, name: 'encounter-kinds' });
  s = await startServer(demo.db);
  [doctor01, county] = await Promise.all(['doctor01', 'county'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person() {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '就诊' + ++seq, id_number: idNumber('1959-09-09', 2 * seq + 701), region: CELL } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const encounter = (body, token = doctor01) => s.request('POST', '/api/v1/encounters', { token, body });
const countyHospital = () => one("SELECT id FROM institutions WHERE kind = 'county_hospital' LIMIT 1");
const townCentre = () => one("SELECT id FROM institutions WHERE kind = 'township_center' AND region = '511524101'");

test('an inpatient stay with its discharge and diagnoses: a post-visit call on the work list, closed with its answers', async () => {
  const id = await person();
  const admitted = daysAgo(12), discharged = daysAgo(4);
  let r = await encounter({ resident_id: id, encounter_date: admitted, institution_id: countyHospital(), kind: 'inpatient',
    discharge_date: discharged, diagnoses: ['I63.9', 'I10'], doctor_name: '王建国', cost_fen: 1286050, source: 'HIS 县人民医院' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.kind, r.json.discharge_date, r.json.diagnoses, r.json.cost_fen, r.json.in_county, r.json.primary_care],
    ['inpatient', discharged, ['I63.9', 'I10'], 1286050, true, false]);
  const task = sql(`SELECT id, kind, due_date, note, team_id FROM tasks WHERE resident_id = ${id} AND kind = 'post_visit_call'`);
  assert.equal(task.length, 1);
  assert.equal(task[0].due_date, addDays(discharged, 3));
  assert.equal(task[0].note, `discharge:${r.json.id}`);
  assert.ok(task[0].team_id, 'the grid cell\'s team calls');
  const list = await s.request('GET', `/api/v1/residents/${id}/encounters`, { token: doctor01 });
  assert.deepEqual([list.json.items[0].kind, list.json.items[0].doctor_name, list.json.items[0].source], ['inpatient', '王建国', 'HIS 县人民医院']);
  // The call: made, its answers required and checked, then kept.
  const close = (body) => s.request('POST', `/api/v1/tasks/${task[0].id}/close`, { token: doctor01, body });
  r = await close({ outcome: 'done' });
  assert.deepEqual([r.status, r.json.code, r.json.field], [422, 'missing_field', 'answers.effect']);
  r = await close({ outcome: 'done', answers: { effect: 'better', adherence: 'often', satisfaction: 5 } });
  assert.deepEqual([r.status, r.json.code, r.json.field], [422, 'invalid_field', 'answers.adherence']);
  r = await close({ outcome: 'done', answers: { effect: 'better', adherence: 'full', satisfaction: 6 } });
  assert.deepEqual([r.status, r.json.field], [422, 'answers.satisfaction']);
  assert.equal(one(`SELECT status FROM tasks WHERE id = ${task[0].id}`), 'open');
  r = await close({ outcome: 'done', note: '恢复良好，按时服药', answers: { effect: 'better', adherence: 'full', satisfaction: 5, revisit_date: addDays(TODAY, 20) } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.answers, { effect: 'better', adherence: 'full', satisfaction: 5, revisit_date: addDays(TODAY, 20) });
  assert.deepEqual(JSON.parse(one(`SELECT answers FROM tasks WHERE id = ${task[0].id}`)).effect, 'better');
});

test('a changed treatment calls back a week later; an ordinary visit, a home visit or a phone call asks for nothing', async () => {
  const id = await person();
  let r = await encounter({ resident_id: id, encounter_date: daysAgo(2), institution_id: townCentre(), treatment_changed: true, diagnoses: ['E11.9'] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.kind, r.json.treatment_changed, r.json.primary_care], ['outpatient', true, true]);
  assert.equal((await encounter({ resident_id: id, encounter_date: daysAgo(1), institution_id: townCentre() })).status, 201);
  r = await encounter({ resident_id: id, encounter_date: daysAgo(1), in_county: true, kind: 'home_visit' });
  assert.deepEqual([r.status, r.json.at_home], [201, true]);
  assert.equal((await encounter({ resident_id: id, encounter_date: TODAY, in_county: true, kind: 'telephone' })).status, 201);
  assert.deepEqual(sql(`SELECT due_date, note FROM tasks WHERE resident_id = ${id} AND kind = 'post_visit_call'`).map((t) => t.due_date), [addDays(daysAgo(2), 7)]);
});

test('bad input names its field and writes nothing', async () => {
  const id = await person();
  const before = one(`SELECT count(*) FROM encounters WHERE resident_id = ${id}`);
  for (const [body, code, field] of [
    [{ kind: 'ward' }, 'invalid_field', 'kind'],
    [{ kind: 'outpatient', discharge_date: TODAY }, 'invalid_field', 'discharge_date'],
    [{ kind: 'inpatient', discharge_date: daysAgo(20) }, 'invalid_field', 'discharge_date'],
    [{ kind: 'inpatient', discharge_date: addDays(TODAY, 1) }, 'invalid_field', 'discharge_date'],
    [{ diagnoses: ['I10', 'hypertension'] }, 'invalid_field', 'diagnoses[1]'],
    [{ diagnoses: 'I10' }, 'invalid_field', 'diagnoses'],
    [{ cost_fen: -5 }, 'invalid_field', 'cost_fen'],
    [{ kind: 'telephone', at_home: true }, 'invalid_field', 'at_home'],
  ]) {
    const r = await encounter({ resident_id: id, encounter_date: daysAgo(10), institution_id: countyHospital(), ...body });
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], JSON.stringify(body));
  }
  assert.equal(one(`SELECT count(*) FROM encounters WHERE resident_id = ${id}`), before);
  assert.equal(one(`SELECT count(*) FROM tasks WHERE resident_id = ${id} AND kind = 'post_visit_call'`), 0);
});

test('primary_outpatient_share and in_county_inpatient_share, kept exact; the FHIR Encounter says the kind', async () => {
  const id = await person();
  const day = daysAgo(3);
  const month = day.slice(0, 7);
  const read = async (code) => (await s.request('GET', `/api/v1/indicators?scope=region:${CELL}&period=${month}&codes=${code}`, { token: county })).json.items[0];
  const outpatientBefore = await read('primary_outpatient_share'), inpatientBefore = await read('in_county_inpatient_share');
  assert.equal(outpatientBefore.name, '基层门诊量占比');
  await encounter({ resident_id: id, encounter_date: day, institution_id: townCentre() });
  await encounter({ resident_id: id, encounter_date: day, institution_id: countyHospital() });
  const costBefore = await read('cost_per_capita_fen');
  const stay = (await encounter({ resident_id: id, encounter_date: day, in_county: false, kind: 'inpatient', discharge_date: daysAgo(1), diagnoses: ['J18.9'], cost_fen: 530000 })).json;
  const cost = await read('cost_per_capita_fen');
  assert.equal(cost.name, '人均就诊费用（分）');
  assert.equal(cost.numerator - costBefore.numerator, 530000);
  assert.equal(cost.unit, 'per_capita');
  await encounter({ resident_id: id, encounter_date: day, institution_id: countyHospital(), kind: 'inpatient' });
  const outpatient = await read('primary_outpatient_share'), inpatient = await read('in_county_inpatient_share');
  assert.deepEqual([outpatient.numerator - outpatientBefore.numerator, outpatient.denominator - outpatientBefore.denominator], [1, 2]);
  assert.deepEqual([inpatient.numerator - inpatientBefore.numerator, inpatient.denominator - inpatientBefore.denominator], [1, 2]);
  jiayi(['kpi', 'check', '--db', demo.db]);
  const fhir = await s.request('GET', `/fhir/Encounter/${stay.id}`, { token: doctor01 });
  assert.equal(fhir.status, 200, fhir.text);
  assert.deepEqual([fhir.json.class.code, fhir.json.period.start, fhir.json.period.end], ['IMP', day, daysAgo(1)]);
  assert.deepEqual(fhir.json.reasonCode.map((c) => c.coding[0].code), ['J18.9']);
  const { messages } = validator.validate(fhir.json);
  assert.deepEqual(messages.filter((m) => m.severity === 'error' || /Unexpected property/.test(m.message)), []);
});

test('the free annual home visit: a signed resident of 80 or more gets it on the work list until a home visit is made', async () => {
  const old = (await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '高龄老人', id_number: idNumber('1940-02-02', 601), region: CELL } })).json.id;
  const young = (await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '七旬老人', id_number: idNumber('1952-02-02', 603), region: CELL } })).json.id;
  const team = one(`SELECT team_id FROM team_cells WHERE region_code = '${CELL}' LIMIT 1`);
  const gp = one(`SELECT st.id FROM staff st JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor01'`);
  for (const id of [old, young]) {
    const r = await s.request('POST', '/api/v1/contracts', { token: doctor01, body: { resident_id: id, team_id: team, doctor_id: gp, start_date: TODAY, channel: 'clinic', packages: ['BASIC'] } });
    assert.equal(r.status, 201, r.text);
  }
  jiayi(['daily', '--db', demo.db]);
  const tasks = (id) => sql(`SELECT status, due_date, next_due FROM tasks WHERE resident_id = ${id} AND kind = 'home_visit_annual'`);
  assert.equal(tasks(young).length, 0, 'under 80 and not bedridden');
  const [t] = tasks(old);
  assert.equal(t.status, 'open');
  assert.equal(t.next_due, `${TODAY.slice(0, 4)}-12-31`);
  jiayi(['daily', '--db', demo.db]);
  assert.equal(tasks(old).length, 1, 'one a year');
  const r = await encounter({ resident_id: old, encounter_date: TODAY, in_county: true, kind: 'home_visit' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(tasks(old).map((x) => x.status), ['done']);
  jiayi(['daily', '--db', demo.db]);
  assert.equal(tasks(old).length, 1, 'made this year: nothing more until the next');
});

test('a hospital system sends an encounter as FHIR: created as POST /encounters creates one, read back the same', async () => {
  const id = await person();
  const hospitalId = countyHospital();
  const resource = {
    resourceType: 'Encounter', status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
    subject: { reference: `Patient/${id}` },
    period: { start: `${daysAgo(9)}T08:30:00+08:00`, end: `${daysAgo(2)}T10:00:00+08:00` },
    serviceProvider: { reference: `Organization/${hospitalId}` },
    reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'I63.9' }] }],
  };
  let r = await s.request('POST', '/fhir/Encounter', { token: doctor01, body: resource, headers: { 'Content-Type': 'application/fhir+json' } });
  assert.equal(r.status, 201, r.text);
  assert.match(r.headers.get('location'), /\/fhir\/Encounter\/\d+/);
  assert.deepEqual([r.json.class.code, r.json.period.start, r.json.period.end, r.json.reasonCode[0].coding[0].code], ['IMP', daysAgo(9), daysAgo(2), 'I63.9']);
  const { messages } = validator.validate(r.json);
  assert.deepEqual(messages.filter((m) => m.severity === 'error' || /Unexpected property/.test(m.message)), []);
  const stored = sql(`SELECT kind, discharge_date, in_county FROM encounters WHERE id = ${r.json.id}`)[0];
  assert.deepEqual([stored.kind, stored.discharge_date, Number(stored.in_county)], ['inpatient', daysAgo(2), 1]);
  assert.equal(one(`SELECT count(*) FROM tasks WHERE resident_id = ${id} AND kind = 'post_visit_call'`), 1, 'the discharge asks for a call');
  // Refusals as OperationOutcomes naming the FHIR path.
  r = await s.request('POST', '/fhir/Encounter', { token: doctor01, body: { ...resource, class: { code: 'XX' } } });
  assert.equal(r.status, 422);
  assert.equal(r.json.resourceType, 'OperationOutcome');
  assert.match(JSON.stringify(r.json), /Encounter\.class/);
  r = await s.request('POST', '/fhir/Encounter', { token: doctor01, body: { ...resource, subject: { reference: 'Patient/999999' } } });
  assert.ok([403, 404].includes(r.status), r.text);
});
