// FHIR R4 at /fhir (issue 18): a real client (fhir-kit-client) searches, pages, reads and
// creates against a running server; every resource the server emits is checked by the `fhir`
// package's validator; errors are OperationOutcomes; login, role, data scope and audit are
// those of /api/v1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fhirPackage from 'fhir';
import { Client } from 'fhir-kit-client';
import { makeDemo, startServer, cleanup, idNumber, dbJson } from '../lib/server.mjs';

const { Fhir } = fhirPackage;
const validator = new Fhir();
const ID_SYSTEM = 'urn:oid:2.16.156.10011.1.3';
let demo, s, doctor01, town01, client;

/* Errors fail; so does a property the R4 definitions do not have. Value sets the package
 * does not carry (LOINC, ICD-10) are only information. */
function assertValid(resource) {
  const { messages } = validator.validate(resource);
  const bad = messages.filter((m) => m.severity === 'error' || /Unexpected property/.test(m.message));
  assert.deepEqual(bad, [], `${resource.resourceType}/${resource.id}: ${JSON.stringify(bad)}`);
}

function assertBundleValid(bundle) {
  assertValid(bundle);
  for (const e of bundle.entry || []) assertValid(e.resource);
}

async function refusal(promise) {
  try {
    await promise;
  } catch (e) {
    return { status: e.response.status, body: e.response.data };
  }
  assert.fail('expected a refusal');
}

before(async () => {
  demo = makeDemo({ residents: 3000, name: 'fhir' });
  s = await startServer(demo.db);
  [doctor01, town01] = await Promise.all(['doctor01', 'town01'].map((u) => s.login(u)));
  client = new Client({ baseUrl: `${s.base}/fhir`, bearerToken: doctor01 });
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('metadata is a CapabilityStatement anyone may read', async () => {
  const anonymous = new Client({ baseUrl: `${s.base}/fhir` });
  const cs = await anonymous.capabilityStatement();
  assertValid(cs);
  assert.equal(cs.resourceType, 'CapabilityStatement');
  assert.equal(cs.fhirVersion, '4.0.1');
  const patient = cs.rest[0].resource.find((x) => x.type === 'Patient');
  assert.deepEqual(patient.interaction.map((i) => i.code).sort(), ['create', 'read', 'search-type']);
  assert.ok(patient.searchParam.some((p) => p.name === 'birthdate' && p.type === 'date'));
});

test('a search pages through exactly the residents of the caller\'s scope', async () => {
  const api = await s.request('GET', '/api/v1/residents?limit=500', { token: doctor01 });
  const expected = api.json.items.map((x) => String(x.id));
  assert.ok(expected.length > 20, `doctor01 sees ${expected.length}`);
  let bundle = await client.search({ resourceType: 'Patient', searchParams: { _count: 7 } });
  assert.equal(bundle.total, expected.length);
  const seen = [];
  for (;;) {
    assertBundleValid(bundle);
    assert.ok(bundle.entry.length <= 7);
    for (const e of bundle.entry) {
      assert.equal(e.fullUrl, `${s.base}/fhir/Patient/${e.resource.id}`);
      seen.push(e.resource.id);
    }
    if (!bundle.link.some((l) => l.relation === 'next')) break;
    bundle = await client.nextPage({ bundle });
  }
  assert.deepEqual(seen, expected);
});

test('search parameters: identifier, name, gender and birth date with prefixes', async () => {
  const api = (await s.request('GET', '/api/v1/residents?limit=500', { token: doctor01 })).json.items;
  const one = api.find((x) => x.id_number);
  const byId = await client.search({ resourceType: 'Patient', searchParams: { identifier: `${ID_SYSTEM}|${one.id_number}` } });
  assert.deepEqual(byId.entry.map((e) => e.resource.id), [String(one.id)]);
  const bare = await client.search({ resourceType: 'Patient', searchParams: { identifier: one.id_number } });
  assert.equal(bare.total, 1);
  const other = await client.search({ resourceType: 'Patient', searchParams: { identifier: `urn:other|${one.id_number}` } });
  assert.equal(other.total, 0);
  assert.equal(other.entry, undefined, 'no empty arrays in FHIR JSON');
  assertValid(other);

  const ids = (b) => b.entry?.map((e) => Number(e.resource.id)) ?? [];
  const women = await client.search({ resourceType: 'Patient', searchParams: { gender: 'female', _count: 500 } });
  assert.deepEqual(ids(women), api.filter((x) => x.sex === 'F').map((x) => x.id));
  const year = one.birth_date.slice(0, 4);
  const inYear = await client.search({ resourceType: 'Patient', searchParams: { birthdate: year, _count: 500 } });
  assert.deepEqual(ids(inYear), api.filter((x) => x.birth_date.startsWith(year)).map((x) => x.id));
  // ge and lt together: a range of birth dates (two values of one parameter are ANDed)
  const range = await client.request(`Patient?birthdate=ge1950-03&birthdate=lt1970-01-01&_count=500`);
  assert.deepEqual(ids(range), api.filter((x) => x.birth_date >= '1950-03-01' && x.birth_date < '1970-01-01').map((x) => x.id));
  const after = await client.request(`Patient?birthdate=gt${one.birth_date}&_count=500`);
  assert.deepEqual(ids(after), api.filter((x) => x.birth_date > one.birth_date).map((x) => x.id));
  const name = one.name.slice(0, 1);
  const byName = await client.search({ resourceType: 'Patient', searchParams: { name, _count: 500 } });
  assert.deepEqual(ids(byName), api.filter((x) => x.name.includes(name)).map((x) => x.id));
});

test('a read is the resident, audited; another township\'s resident is refused without a name', async () => {
  const api = (await s.request('GET', '/api/v1/residents?limit=5', { token: doctor01 })).json.items[0];
  const p = await client.read({ resourceType: 'Patient', id: String(api.id) });
  assertValid(p);
  assert.equal(p.name[0].text, api.name);
  assert.deepEqual(p.identifier[0], { use: 'official', system: ID_SYSTEM, value: api.id_number });
  assert.equal(p.gender, api.sex === 'M' ? 'male' : 'female');
  assert.equal(p.birthDate, api.birth_date);
  assert.equal(p.address[0].extension[0].valueCode, api.region);
  const audit = await s.request('GET', `/api/v1/audit?resident=${api.id}&limit=500`, { token: await s.login('admin') });
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.items.some((e) => e.action === 'read' && e.resource === 'resident'), 'the read is in the audit chain');

  const [foreign] = dbJson(demo.db, "SELECT id, name FROM residents WHERE region LIKE '511524102%' LIMIT 1");
  const refused = await refusal(client.read({ resourceType: 'Patient', id: String(foreign.id) }));
  assert.equal(refused.status, 403);
  assertValid(refused.body);
  assert.equal(refused.body.issue[0].code, 'forbidden');
  assert.equal(refused.body.issue[0].details.coding[0].code, 'out_of_scope');
  assert.ok(!JSON.stringify(refused.body).includes(foreign.name));
  const missing = await refusal(client.read({ resourceType: 'Patient', id: '99999999' }));
  assert.equal(missing.status, 404);
  assert.equal(missing.body.issue[0].code, 'not-found');
});

test('a center admin sees the masked number only, under jiayi\'s own system', async () => {
  const town = new Client({ baseUrl: `${s.base}/fhir`, bearerToken: town01 });
  const bundle = await town.search({ resourceType: 'Patient', searchParams: { _count: 3 } });
  assertBundleValid(bundle);
  for (const e of bundle.entry) {
    assert.notEqual(e.resource.identifier[0].system, ID_SYSTEM);
    assert.match(e.resource.identifier[0].value, /^\d{3}\*+\d{3}[\dX]$|\*/);
  }
});

test('errors are OperationOutcomes naming the parameter or element', async () => {
  const unknown = await s.request('GET', '/fhir/Patient?nmae=x', { token: doctor01 });
  assert.equal(unknown.status, 400);
  assert.match(unknown.headers.get('content-type'), /^application\/fhir\+json/);
  assertValid(unknown.json);
  assert.deepEqual(unknown.json.issue[0].expression, ['nmae']);
  assert.equal(unknown.json.issue[0].details.coding[0].code, 'unknown_search_parameter');
  const badDate = await s.request('GET', '/fhir/Patient?birthdate=ap1950', { token: doctor01 });
  assert.equal(badDate.status, 422);
  assert.deepEqual(badDate.json.issue[0].expression, ['birthdate']);
  const noLogin = await s.request('GET', '/fhir/Patient');
  assert.equal(noLogin.status, 401);
  assert.equal(noLogin.json.issue[0].code, 'login');
  const english = await s.request('GET', '/fhir/Patient?_count=0', { token: doctor01, headers: { 'Accept-Language': 'en' } });
  assert.equal(english.status, 422);
  assert.match(english.json.issue[0].details.text, /invalid/i);
  const nowhere = await s.request('GET', '/fhir/Nothing', { token: doctor01 });
  assert.equal(nowhere.status, 404);
  assert.equal(nowhere.json.resourceType, 'OperationOutcome');
});

test('create registers a resident as POST /residents does', async () => {
  const api = (await s.request('GET', '/api/v1/residents?limit=1', { token: doctor01 })).json.items[0];
  const number = idNumber('1961-04-09', 551);
  const body = {
    resourceType: 'Patient',
    identifier: [{ system: ID_SYSTEM, value: number }],
    name: [{ family: '王', given: ['建国'] }],
    gender: 'male',
    birthDate: '1961-04-09',
    telecom: [{ system: 'phone', value: '13800001111' }],
    address: [{ line: ['梅华社区3组8号'], extension: [{ url: 'urn:jiayi:fhir:StructureDefinition:region', valueCode: api.region }] }],
  };
  assertValid(body);
  const created = await client.create({ resourceType: 'Patient', body });
  assertValid(created);
  assert.equal(created.name[0].text, '王建国');
  assert.equal(created.identifier[0].value, number);
  const read = await client.read({ resourceType: 'Patient', id: created.id });
  assert.deepEqual(read.telecom, [{ system: 'phone', value: '13800001111' }]);
  const stored = await s.request('GET', `/api/v1/residents/${created.id}`, { token: doctor01 });
  assert.equal(stored.json.name, '王建国');
  assert.equal(stored.json.household_id > 0, true, 'registered with a household of their own');

  const raw = await s.request('POST', '/fhir/Patient', { token: doctor01, body: { ...body, identifier: [{ system: ID_SYSTEM, value: idNumber('1961-04-09', 557) }] } });
  assert.equal(raw.status, 201, raw.text);
  assert.equal(raw.headers.get('location'), `${s.base}/fhir/Patient/${raw.json.id}`);
  const again = await refusal(client.create({ resourceType: 'Patient', body }));
  assert.equal(again.status, 409);
  assert.deepEqual(again.body.issue[0].expression, ['Patient.identifier']);
  const wrongSex = await refusal(client.create({ resourceType: 'Patient', body: { ...body, identifier: [{ system: ID_SYSTEM, value: idNumber('1961-04-09', 553) }], gender: 'female' } }));
  assert.equal(wrongSex.status, 422);
  assert.deepEqual(wrongSex.body.issue[0].expression, ['Patient.gender']);
  const badNumber = await refusal(client.create({ resourceType: 'Patient', body: { ...body, identifier: [{ system: ID_SYSTEM, value: '511524196104095519' }] } }));
  assert.equal(badNumber.status, 422);
  assert.equal(badNumber.body.issue[0].details.coding[0].code, 'invalid_id_number');
  const foreignRegion = await refusal(client.create({ resourceType: 'Patient', body: { ...body, identifier: [{ system: ID_SYSTEM, value: idNumber('1961-04-09', 555) }], address: [{ extension: [{ url: 'urn:jiayi:fhir:StructureDefinition:region', valueCode: '511524102001' }] }] } }));
  assert.equal(foreignRegion.status, 403);
  const notPatient = await refusal(client.request('Patient', { method: 'POST', body: { resourceType: 'Observation' } }));
  assert.equal(notPatient.status, 422);
  assert.deepEqual(notPatient.body.issue[0].expression, ['resourceType']);
});

// A resident with one of everything: a hypertension and a diabetes follow-up, an exam row
// and a diagnosis, all entered through /api/v1, then read back as FHIR. Made once.
let charted = null;
const chartedResident = () => (charted ??= makeChartedResident());
async function makeChartedResident() {
  const api = (await s.request('GET', '/api/v1/residents?limit=1', { token: doctor01 })).json.items[0];
  const id_number = idNumber('1956-08-20', 613);
  const created = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '测量', id_number, region: api.region } });
  assert.equal(created.status, 201, created.text);
  const id = created.json.id;
  for (const program of ['hypertension', 'diabetes']) {
    const e = await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: id, program, start_date: '2026-01-05' } });
    assert.equal(e.status, 201, e.text);
  }
  const dx = await s.request('POST', `/api/v1/residents/${id}/diagnoses`, { token: doctor01, body: { icd10: 'E11.9', diagnosed_on: '2026-01-05' } });
  assert.equal(dx.status, 201, dx.text);
  const hyp = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: id, program: 'hypertension', visit_date: '2026-03-02', sbp: 152, dbp: 94, heart_rate: 78, weight_kg: 67.3, findings: [], previous_uncontrolled: 0 } });
  assert.equal(hyp.status, 201, hyp.text);
  const dia = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: id, program: 'diabetes', visit_date: '2026-03-09', fbg: 5.7, hba1c: 6.8, findings: [], previous_uncontrolled: 0 } });
  assert.equal(dia.status, 201, dia.text);
  const csv = `id_number,exam_date,sbp,dbp,fbg,height_cm,weight_kg,糖化血红蛋白\r\n${id_number},2026-05-10,128,82,6.1,162.5,66.0,7.2\r\n`;
  const ex = await s.request('POST', '/api/v1/exams/import', { token: town01, raw: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(ex.status, 200, ex.text);
  assert.equal(ex.json.accepted, 1, ex.text);
  return { id, id_number };
}

test('observations: blood pressure with its components, glucose, weight, height and BMI, by code and date', async () => {
  const { id } = await chartedResident();
  const all = await client.search({ resourceType: 'Observation', searchParams: { patient: id, _count: 100 } });
  assertBundleValid(all);
  const codes = all.entry.map((e) => `${e.resource.effectiveDateTime} ${e.resource.code.coding.map((c) => c.code).join('+')}`);
  assert.deepEqual(codes, [
    '2026-03-02 85354-9', '2026-03-02 8867-4', '2026-03-02 29463-7',
    '2026-03-09 1558-6+14771-0', '2026-03-09 4548-4',
    '2026-05-10 85354-9', '2026-05-10 1558-6+14771-0', '2026-05-10 29463-7', '2026-05-10 8302-2', '2026-05-10 39156-5',
    '2026-05-10 4548-4',
  ]);
  const bp = all.entry[0].resource;
  assert.deepEqual(bp.component.map((c) => [c.code.coding[0].code, c.valueQuantity.value, c.valueQuantity.code]), [['8480-6', 152, 'mm[Hg]'], ['8462-4', 94, 'mm[Hg]']]);
  assert.equal(bp.category[0].coding[0].code, 'vital-signs');
  assert.deepEqual(bp.subject, { reference: `Patient/${id}` });
  // numbers as typed, in the raw answer too
  const raw = await s.request('GET', `/fhir/Observation?patient=${id}&code=http://loinc.org|1558-6`, { token: doctor01 });
  assert.match(raw.text, /"value":5\.7,/);
  assert.deepEqual(raw.json.entry.map((e) => e.resource.valueQuantity.value), [5.7, 6.1]);
  const bmi = all.entry.find((e) => e.resource.code.coding[0].code === '39156-5').resource;
  assert.equal(bmi.valueQuantity.value, 25, 'the exam centre\'s BMI: 66.0 kg at 162.5 cm');

  // HbA1c from the diabetes follow-up and from the exam file, in % (UCUM), as laboratory
  const a1c = await client.search({ resourceType: 'Observation', searchParams: { patient: id, code: 'http://loinc.org|4548-4' } });
  assert.deepEqual(a1c.entry.map((e) => [e.resource.effectiveDateTime, e.resource.valueQuantity.value, e.resource.valueQuantity.code, e.resource.category[0].coding[0].code]),
    [['2026-03-09', 6.8, '%', 'laboratory'], ['2026-05-10', 7.2, '%', 'laboratory']]);
  const mine = await s.request('GET', `/api/v1/residents/${id}/followups?program=diabetes`, { token: doctor01 });
  assert.equal(mine.json.items[0].hba1c, 6.8);
  const exams = await s.request('GET', `/api/v1/residents/${id}/exams`, { token: doctor01 });
  assert.equal(exams.json.items[0].hba1c, 7.2);
  const tooHigh = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: id, program: 'diabetes', visit_date: '2026-03-20', fbg: 6.0, hba1c: 65, findings: [] } });
  assert.deepEqual([tooHigh.status, tooHigh.json.field], [422, 'hba1c'], 'a value in mmol/mol is not a percentage');

  const bpSince = await client.search({ resourceType: 'Observation', searchParams: { patient: `Patient/${id}`, code: '85354-9', date: 'ge2026-04' } });
  assert.deepEqual(bpSince.entry.map((e) => e.resource.id), [all.entry[5].resource.id]);
  const labs = await client.search({ resourceType: 'Observation', searchParams: { subject: id, category: 'laboratory' } });
  assert.equal(labs.total, 4);
  const either = await client.search({ resourceType: 'Observation', searchParams: { patient: id, code: '8302-2,29463-7' } });
  assert.equal(either.total, 3);
  // paging a person's list, then a read of each id the search gave
  let page = await client.search({ resourceType: 'Observation', searchParams: { patient: id, _count: 4 } });
  const ids = [];
  for (;;) {
    ids.push(...page.entry.map((e) => e.resource.id));
    if (!page.link.some((l) => l.relation === 'next')) break;
    page = await client.nextPage({ bundle: page });
  }
  assert.deepEqual(ids, all.entry.map((e) => e.resource.id));
  for (const oid of ids) {
    const one = await client.read({ resourceType: 'Observation', id: oid });
    assertValid(one);
    assert.deepEqual(one, all.entry.find((e) => e.resource.id === oid).resource);
  }
  const none = await refusal(client.read({ resourceType: 'Observation', id: 'followup-1-nothing' }));
  assert.equal(none.status, 404);
  const noPatient = await refusal(client.search({ resourceType: 'Observation', searchParams: { code: '85354-9' } }));
  assert.equal(noPatient.status, 422);
  assert.deepEqual(noPatient.body.issue[0].expression, ['patient']);
});

test('conditions and programme episodes; another township\'s resident is refused', async () => {
  const { id: resident } = await chartedResident();
  const conditions = await client.search({ resourceType: 'Condition', searchParams: { patient: resident } });
  assertBundleValid(conditions);
  const e11 = conditions.entry.find((e) => e.resource.code.coding[0].code === 'E11.9').resource;
  assert.equal(e11.code.coding[0].system, 'http://hl7.org/fhir/sid/icd-10');
  assert.equal(e11.onsetDateTime, '2026-01-05');
  assertValid(await client.read({ resourceType: 'Condition', id: e11.id }));
  const byCode = await client.search({ resourceType: 'Condition', searchParams: { patient: resident, code: 'http://hl7.org/fhir/sid/icd-10|E11.9' } });
  assert.equal(byCode.total, 1);

  const episodes = await client.search({ resourceType: 'EpisodeOfCare', searchParams: { patient: resident, status: 'active' } });
  assertBundleValid(episodes);
  const programs = episodes.entry.map((e) => e.resource.type[0].coding[0].code).sort();
  assert.ok(programs.includes('hypertension') && programs.includes('diabetes'), programs.join());
  const one = episodes.entry[0].resource;
  assert.deepEqual(await client.read({ resourceType: 'EpisodeOfCare', id: one.id }), one);

  const [foreign] = dbJson(demo.db, "SELECT r.id, r.name FROM residents r JOIN diagnoses d ON d.resident_id = r.id WHERE r.region LIKE '511524102%' LIMIT 1");
  const [foreignDx] = dbJson(demo.db, `SELECT id FROM diagnoses WHERE resident_id = ${foreign.id} LIMIT 1`);
  for (const call of [
    () => client.search({ resourceType: 'Condition', searchParams: { patient: foreign.id } }),
    () => client.search({ resourceType: 'Observation', searchParams: { patient: foreign.id } }),
    () => client.read({ resourceType: 'Condition', id: String(foreignDx.id) }),
  ]) {
    const refused = await refusal(call());
    assert.equal(refused.status, 403);
    assert.ok(!JSON.stringify(refused.body).includes(foreign.name));
  }
});

test('the grid: references from a Patient resolve to Practitioner, CareTeam, Organization and Location', async () => {
  const signed = dbJson(demo.db, `SELECT c.resident_id AS id, c.doctor_id, c.team_id FROM contracts c JOIN staff st ON st.id = c.doctor_id
    JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor01' AND c.status = 'active' LIMIT 1`)[0];
  const patient = await client.read({ resourceType: 'Patient', id: String(signed.id) });
  assert.equal(patient.generalPractitioner[0].reference, `Practitioner/${signed.doctor_id}`);
  const gp = await client.resolve({ reference: patient.generalPractitioner[0].reference });
  assertValid(gp);
  assert.equal(gp.name[0].text, patient.generalPractitioner[0].display);
  assert.equal(gp.qualification[0].code.coding[0].code, 'gp');

  const teams = await client.search({ resourceType: 'CareTeam', searchParams: { participant: `Practitioner/${signed.doctor_id}` } });
  assertBundleValid(teams);
  const team = teams.entry.map((e) => e.resource).find((t) => t.id === String(signed.team_id));
  assert.ok(team, 'the contract\'s team is among the doctor\'s teams');
  const api = (await s.request('GET', `/api/v1/teams/${signed.team_id}`, { token: doctor01 })).json;
  assert.deepEqual(team.participant.map((p) => [p.member.reference, p.role[0].coding[0].code]),
    api.members.map((m) => [`Practitioner/${m.id}`, m.role]));
  const org = await client.resolve({ reference: team.managingOrganization[0].reference });
  assertValid(org);
  assert.equal(org.name, api.institution);
  const role = await client.read({ resourceType: 'PractitionerRole', id: String(signed.doctor_id) });
  assertValid(role);
  assert.equal(role.organization.reference, `Organization/${api.institution_id}`);

  const region = patient.address[0].extension[0].valueCode;
  const place = await client.read({ resourceType: 'Location', id: region });
  assertValid(place);
  const siblings = await client.search({ resourceType: 'Location', searchParams: { partof: place.partOf.reference, _count: 500 } });
  assertBundleValid(siblings);
  const parent = place.partOf.reference.split('/')[1];
  const apiChildren = (await s.request('GET', `/api/v1/regions?parent=${parent}`, { token: doctor01 })).json.items;
  assert.deepEqual(siblings.entry.map((e) => e.resource.id), apiChildren.map((c) => c.code));

  const clinics = await client.search({ resourceType: 'Organization', searchParams: { type: 'village_clinic', _count: 500 } });
  assertBundleValid(clinics);
  assert.equal(clinics.total, 124, 'the demo county\'s 124 village clinics');
  const staff = await client.search({ resourceType: 'Practitioner', searchParams: { organization: `Organization/${api.institution_id}`, _count: 5 } });
  assertBundleValid(staff);
  assert.ok(staff.total > 5 && staff.link.some((l) => l.relation === 'next'));
  const page2 = await client.nextPage({ bundle: staff });
  assert.ok(Number(page2.entry[0].resource.id) > Number(staff.entry[4].resource.id));

  const resident = new Client({ baseUrl: `${s.base}/fhir`, bearerToken: await s.login('resident01') });
  const refused = await refusal(resident.read({ resourceType: 'Practitioner', id: String(signed.doctor_id) }));
  assert.equal(refused.status, 403);
  assert.equal(refused.body.issue[0].details.coding[0].code, 'out_of_role');
});

test('care: encounters, referrals, prescriptions, the household, consents and the contract, each read back by id', async () => {
  const visible = (await s.request('GET', '/api/v1/residents?limit=500', { token: doctor01 })).json.items.map((x) => x.id).join(',');
  const pick = (sql) => dbJson(demo.db, sql.replace('VISIBLE', visible))[0]?.id;
  const cases = [
    ['Encounter', pick('SELECT resident_id AS id FROM encounters WHERE resident_id IN (VISIBLE) GROUP BY resident_id ORDER BY count(*) DESC LIMIT 1'), 'SELECT count(*) AS n FROM encounters WHERE resident_id = ID'],
    ['ServiceRequest', pick('SELECT resident_id AS id FROM referrals WHERE resident_id IN (VISIBLE) LIMIT 1'), 'SELECT count(*) AS n FROM referrals WHERE resident_id = ID'],
    ['MedicationRequest', pick('SELECT resident_id AS id FROM prescriptions WHERE resident_id IN (VISIBLE) LIMIT 1'), 'SELECT count(*) AS n FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id WHERE p.resident_id = ID'],
    ['RelatedPerson', pick('SELECT r.id FROM residents r JOIN residents m ON m.household_id = r.household_id AND m.id <> r.id WHERE r.id IN (VISIBLE) LIMIT 1'), 'SELECT count(*) AS n FROM residents m JOIN residents r ON r.household_id = m.household_id AND m.id <> r.id WHERE r.id = ID'],
    ['Consent', pick('SELECT resident_id AS id FROM health_records WHERE resident_id IN (VISIBLE) LIMIT 1'), 'SELECT 2 AS n'],
    ['EpisodeOfCare', pick('SELECT resident_id AS id FROM contracts WHERE resident_id IN (VISIBLE) LIMIT 1'), 'SELECT (SELECT count(*) FROM contracts WHERE resident_id = ID) + (SELECT count(*) FROM enrolments WHERE resident_id = ID) AS n'],
  ];
  for (const [resourceType, patient, countSql] of cases) {
    assert.ok(patient, `a resident of doctor01's with a ${resourceType}`);
    const bundle = await client.search({ resourceType, searchParams: { patient, _count: 500 } });
    assertBundleValid(bundle);
    assert.equal(bundle.total, dbJson(demo.db, countSql.replaceAll('ID', patient))[0].n, resourceType);
    for (const e of bundle.entry) {
      assert.equal((e.resource.subject ?? e.resource.patient).reference, `Patient/${patient}`);
      assert.deepEqual(await client.read({ resourceType, id: e.resource.id }), e.resource, `${resourceType}/${e.resource.id}`);
    }
  }
  const contract = (await client.search({ resourceType: 'EpisodeOfCare', searchParams: { patient: cases[5][1], type: 'family-doctor-contract' } })).entry[0].resource;
  const [row] = dbJson(demo.db, `SELECT c.doctor_id, c.team_id, c.start_date FROM contracts c WHERE c.id = ${contract.id.split('-')[1]}`);
  assert.deepEqual([contract.careManager.reference, contract.team[0].reference, contract.period.start],
    [`Practitioner/${row.doctor_id}`, `CareTeam/${row.team_id}`, row.start_date]);
  const household = await client.search({ resourceType: 'RelatedPerson', searchParams: { patient: cases[3][1] } });
  const member = household.entry[0].resource.extension[0].valueReference.reference;
  assertValid(await client.resolve({ reference: member }));
  // the record's own routes: a resident reads them once the record is opened (档案开放)
  const me = dbJson(demo.db, "SELECT resident_id AS id FROM users WHERE username = 'resident01'")[0];
  const own = new Client({ baseUrl: `${s.base}/fhir`, bearerToken: await s.login('resident01') });
  const setOpen = async (body) => {
    const r = await s.request('PUT', `/api/v1/residents/${me.id}/record`, { token: doctor01, body });
    assert.equal(r.status, 200, r.text);
  };
  await setOpen({ opened_to_resident: false });
  const closed = await refusal(own.search({ resourceType: 'Encounter', searchParams: { patient: me.id } }));
  assert.equal(closed.status, 403);
  assert.equal(closed.body.issue[0].details.coding[0].code, 'record_not_opened');
  await setOpen({ opened_to_resident: true, consent_date: '2026-01-02' });
  const consents = await own.search({ resourceType: 'Consent', searchParams: { patient: me.id, status: 'active' } });
  assert.deepEqual(consents.entry.map((e) => [e.resource.id, e.resource.dateTime]).slice(0, 1), [[`record-${me.id}`, '2026-01-02']]);
});

test('the slot pool: Slots page as /api/v1/slots; an Appointment books a place as POST /bookings does', async () => {
  const one = (await s.request('GET', '/api/v1/slots?limit=1', { token: doctor01 })).json.items[0];
  const firstDay = one.starts_at.slice(0, 10);
  const api = (await s.request('GET', `/api/v1/slots?hospital=${one.hospital_id}&department=${one.department}&from=${firstDay}&to=${firstDay}&limit=500`, { token: doctor01 })).json.items;
  assert.ok(api.length > 3 && api.length < 500, `bookable slots on ${firstDay}: ${api.length}`);
  let page = await client.search({ resourceType: 'Slot', searchParams: { organization: `Organization/${one.hospital_id}`, 'service-type': one.department, start: firstDay, _count: 3 } });
  const ids = [];
  assert.equal(page.total, undefined, 'slots are paged without a count, so no total');
  for (;;) {
    assertBundleValid(page);
    ids.push(...page.entry.map((e) => Number(e.resource.id)));
    if (!page.link.some((l) => l.relation === 'next')) break;
    page = await client.nextPage({ bundle: page });
  }
  assert.deepEqual(ids, api.map((x) => x.id));
  const first = (await client.read({ resourceType: 'Slot', id: String(api[0].id) }).catch((e) => e.response)).status;
  assert.equal(first, 404, 'slots are searched, not read one by one (the CapabilityStatement says so)');
  const slot = (await client.search({ resourceType: 'Slot', searchParams: { _count: 1 } })).entry[0].resource;
  assert.match(slot.start, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+08:00$/);
  assert.ok(slot.end > slot.start);
  const schedule = await client.resolve({ reference: slot.schedule.reference });
  assertValid(schedule);
  const later = await client.search({ resourceType: 'Slot', searchParams: { start: `gt${firstDay}`, _count: 1 } });
  assert.ok(later.entry[0].resource.start.slice(0, 10) > firstDay);

  const [signed] = dbJson(demo.db, `SELECT c.resident_id AS id FROM contracts c JOIN staff st ON st.id = c.doctor_id JOIN users u ON u.id = st.user_id
    WHERE u.username = 'doctor01' AND c.status = 'active' AND c.resident_id NOT IN (SELECT resident_id FROM bookings) LIMIT 1`);
  const free = api.find((x) => x.booked < x.capacity);
  const body = { resourceType: 'Appointment', status: 'booked', slot: [{ reference: `Slot/${free.id}` }], participant: [{ actor: { reference: `Patient/${signed.id}` }, status: 'accepted' }] };
  const created = await client.create({ resourceType: 'Appointment', body }).catch((e) => assert.fail(JSON.stringify(e.response.data)));
  assertValid(created);
  assert.equal(created.status, 'booked');
  assert.deepEqual(created.slot, [{ reference: `Slot/${free.id}` }]);
  const bookings = (await s.request('GET', `/api/v1/bookings?resident=${signed.id}`, { token: doctor01 })).json.items;
  assert.deepEqual(bookings.map((b) => [b.id, b.slot_id, b.status]), [[Number(created.id), free.id, 'booked']]);
  const mine = await client.search({ resourceType: 'Appointment', searchParams: { patient: signed.id } });
  assertBundleValid(mine);
  assert.deepEqual(mine.entry.map((e) => e.resource), [created]);
  assert.deepEqual(await client.read({ resourceType: 'Appointment', id: created.id }), created);

  const [unsigned] = dbJson(demo.db, `SELECT r.id FROM residents r WHERE r.id IN (${(await s.request('GET', '/api/v1/residents?limit=500&signed=false', { token: doctor01 })).json.items.map((x) => x.id).join(',')}) LIMIT 1`);
  const refused = await refusal(client.create({ resourceType: 'Appointment', body: { ...body, participant: [{ actor: { reference: `Patient/${unsigned.id}` }, status: 'accepted' }] } }));
  assert.equal(refused.status, 422);
  assert.deepEqual([refused.body.issue[0].details.coding[0].code, refused.body.issue[0].expression], ['not_signed', ['Appointment.participant']]);
  const noSlot = await refusal(client.create({ resourceType: 'Appointment', body: { ...body, slot: [] } }));
  assert.deepEqual(noSlot.body.issue[0].expression, ['Appointment.slot']);
});

test('surveys: Questionnaires with their scales; a resident answers one as a QuestionnaireResponse', async () => {
  const qs = await client.search({ resourceType: 'Questionnaire' });
  assertBundleValid(qs);
  const api = (await s.request('GET', '/api/v1/questionnaires', { token: doctor01 })).json.items;
  assert.deepEqual(qs.entry.map((e) => e.resource.url), api.map((q) => `urn:jiayi:fhir:Questionnaire:${q.code}`));
  const sat = await client.read({ resourceType: 'Questionnaire', id: 'satisfaction-service' });
  assert.equal(sat.item.length, 6);
  assert.deepEqual(sat.item[0].answerOption.map((o) => o.valueInteger), [1, 2, 3, 4, 5]);

  const me = dbJson(demo.db, "SELECT resident_id AS id FROM users WHERE username = 'resident01'")[0].id;
  const portal = new Client({ baseUrl: `${s.base}/fhir`, bearerToken: await s.login('resident01') });
  const due = (await s.request('GET', `/api/v1/residents/${me}/surveys`, { token: doctor01 })).json.due;
  assert.ok(due.length > 0, 'resident01 has a survey due');
  const q = (await client.read({ resourceType: 'Questionnaire', id: due[0].questionnaire.replaceAll('_', '-') }));
  const body = {
    resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: q.url, subject: { reference: `Patient/${me}` },
    item: q.item.map((it, i) => ({ linkId: it.linkId, answer: [{ valueInteger: it.answerOption[i % it.answerOption.length].valueInteger }] })),
  };
  assertValid(body);
  const created = await portal.create({ resourceType: 'QuestionnaireResponse', body }).catch((e) => assert.fail(JSON.stringify(e.response.data)));
  assertValid(created);
  assert.deepEqual(created.item, body.item);
  assert.equal(created.extension.find((x) => x.url.endsWith('survey-channel')).valueCode, 'portal');
  const mine = await client.search({ resourceType: 'QuestionnaireResponse', searchParams: { patient: me, questionnaire: q.url } });
  assertBundleValid(mine);
  assert.ok(mine.entry.some((e) => e.resource.id === created.id));
  assert.deepEqual(await client.read({ resourceType: 'QuestionnaireResponse', id: created.id }), created);
  const again = await refusal(portal.create({ resourceType: 'QuestionnaireResponse', body }));
  assert.equal(again.status, 409);
  assert.equal(again.body.issue[0].details.coding[0].code, 'survey_not_due');
  const someoneElse = await refusal(portal.create({ resourceType: 'QuestionnaireResponse', body: { ...body, subject: { reference: `Patient/${me === 1 ? 2 : 1}` } } }));
  assert.equal(someoneElse.status, 403);
  const bad = await refusal(portal.create({ resourceType: 'QuestionnaireResponse', body: { ...body, questionnaire: 'urn:jiayi:fhir:Questionnaire:none' } }));
  assert.deepEqual(bad.body.issue[0].expression, ['QuestionnaireResponse.questionnaire']);
});

test('_include brings the Patients and Practitioners the matches refer to, once each', async () => {
  const bundle = await client.search({ resourceType: 'Patient', searchParams: { _count: 50, _include: 'Patient:general-practitioner' } });
  assertBundleValid(bundle);
  const matches = bundle.entry.filter((e) => e.search.mode === 'match');
  const included = bundle.entry.filter((e) => e.search.mode === 'include');
  const gps = [...new Set(matches.flatMap((e) => (e.resource.generalPractitioner ?? []).map((g) => g.reference)))];
  assert.ok(gps.length > 0, 'some of doctor01\'s residents are signed');
  assert.deepEqual(included.map((e) => `${e.resource.resourceType}/${e.resource.id}`), gps);
  for (const m of matches.slice(0, 5)) assert.deepEqual(await client.read({ resourceType: 'Patient', id: m.resource.id }), m.resource, 'a search and a read give the same Patient');
  const { id } = await chartedResident();
  const obs = await client.request(`Observation?patient=${id}&_include=Observation:patient&_include=Observation:performer`);
  assertBundleValid(obs);
  const inc = obs.entry.filter((e) => e.search.mode === 'include').map((e) => `${e.resource.resourceType}/${e.resource.id}`);
  assert.equal(inc[0], `Patient/${id}`);
  assert.ok(inc.slice(1).every((x) => x.startsWith('Practitioner/')) && inc.length >= 2, inc.join());
  assert.equal(obs.total, obs.entry.filter((e) => e.search.mode === 'match').length);
  const bad = await s.request('GET', `/fhir/Observation?patient=${id}&_include=Observation:device`, { token: doctor01 });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.json.issue[0].expression, ['_include']);
  const cs = await client.capabilityStatement();
  assert.deepEqual(cs.rest[0].resource.find((x) => x.type === 'Observation').searchInclude, ['Observation:patient', 'Observation:performer']);
});
