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
