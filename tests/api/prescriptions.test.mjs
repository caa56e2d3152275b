// The county drug catalogue and prescriptions (issue 15, docs/hospital-loop.md): search and
// versions, a new version refused row by row, the long prescription rule's verdict and its
// refusals with every reason, an extended prescription carrying a drug off the primary-care
// list, the delivery's legal moves, scope, and a follow-up medication linked to an item.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbSql } from '../lib/server.mjs';
import { TODAY, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, county;
const CELL = '51152410100101';
const sql = (q) => dbSql(demo.db, q);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  doctor01 = await s.login('doctor01');
  doctor02 = await s.login('doctor02');
  county = await s.login('county');
});
after(async () => { await s.stop(); cleanup(demo.dir); });

const req = (method, path, token, body) => s.request(method, `/api/v1${path}`, { token, body });
let seq = 0;
async function patient(programs, visits = []) {
  const r = await req('POST', '/residents', doctor01, { name: '处方' + seq, id_number: idNumber('1956-04-04', 2 * seq++ + 601), region: CELL });
  assert.equal(r.status, 201, r.text);
  for (const program of programs) assert.equal((await req('POST', '/enrolments', doctor01, { resident_id: r.json.id, program, start_date: daysAgo(300) })).status, 201);
  for (const v of visits) {
    const f = await req('POST', '/followups', doctor01, { resident_id: r.json.id, program: 'hypertension', mode: 'clinic', ...v });
    assert.equal(f.status, 201, f.text);
  }
  return r.json.id;
}
const drug = (where) => sql(`SELECT code FROM drugs WHERE version = 2 AND ${where} ORDER BY code LIMIT 1`);

test('the catalogue: search by pinyin initials, name or code, filters, versions', async () => {
  let r = await req('GET', '/drugs?q=xbdp&limit=100', doctor01);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.ok(r.json.items.length > 3);
  assert.ok(r.json.items.every((d) => d.generic_name === '硝苯地平'), JSON.stringify(r.json.items[0]));
  r = await req('GET', `/drugs?q=${encodeURIComponent('二甲双胍')}`, doctor01);
  assert.ok(r.json.total > 0 && r.json.items.every((d) => d.generic_name.includes('二甲双胍')));
  r = await req('GET', '/drugs?q=YP0000', doctor01);
  assert.equal(r.json.total, 9);
  r = await req('GET', '/drugs?village=true&limit=500', doctor01);
  assert.equal(r.json.total, 189);
  assert.ok(r.json.items.every((d) => d.village && d.primary_care));
  r = await req('GET', '/drugs?primary=false&limit=1', doctor01);
  assert.ok(r.json.total > 300 && r.json.next_cursor > 0);
  assert.equal((await req('GET', '/drugs?village=maybe', doctor01)).json.field, 'village');
  r = await req('GET', '/drugs?version=1&village=true&limit=1', doctor01);
  assert.equal(r.json.version, 1);
  assert.ok(r.json.total < 189);
  assert.equal((await req('GET', '/drugs?version=9', doctor01)).status, 404);
  r = await req('GET', '/drugs/versions', doctor01);
  assert.equal(r.json.current, 2);
  assert.deepEqual(r.json.items.map((v) => [v.version, v.drugs, v.village]), [[2, 1198, 189], [1, 1158, r.json.items[1].village]]);
});

test('a new version is refused row by row, naming the row', async () => {
  const ok = { code: 'T001', generic_name: '测试药', dosage_form: '片剂', strength: '5mg', unit: '片', insurance_class: 'A', primary_care: true };
  let r = await req('POST', '/drugs/versions', county, { items: [ok, { ...ok, code: 'T002', strength: '' }] });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.field, 'items[1].strength');
  r = await req('POST', '/drugs/versions', county, { items: [ok, { ...ok, code: 'T002' }, { ...ok, insurance_class: 'C' }] });
  assert.equal(r.json.field, 'items[2].insurance_class');
  r = await req('POST', '/drugs/versions', county, { items: [ok, { ...ok, code: 'T002' }, ok] });
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'duplicate_drug_code');
  assert.equal(r.json.field, 'items[2].code');
  assert.equal(r.json.value, 'T001');
  assert.equal((await req('POST', '/drugs/versions', county, { items: [] })).json.field, 'items');
  assert.equal((await req('POST', '/drugs/versions', doctor01, { items: [ok] })).status, 403);
  assert.equal(sql('SELECT count(*) FROM drug_catalogue_versions'), '2', 'nothing was written');
});

let stable, item;
test('a long prescription: allowed for a controlled adherent patient, refused with every reason otherwise', async () => {
  stable = await patient(['hypertension'], [{ visit_date: daysAgo(10), sbp: 128, dbp: 80, medication_adherence: 'regular' }]);
  let r = await req('GET', `/residents/${stable}/long-prescription-check?program=hypertension`, doctor01);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.allowed, true);
  assert.deepEqual(r.json.reasons, []);
  assert.equal(r.json.latest_followup.classification, 'controlled');
  assert.deepEqual([r.json.min_days, r.json.max_days], [28, 56]);
  // long_prescription_count (PROTOCOLS.md §15) counts it, in the county and for the doctor's team
  const count = async () => (await req('GET', `/indicators?scope=region:511524&period=${TODAY.slice(0, 4)}&codes=long_prescription_count`, county)).json.items[0].numerator;
  const before = await count();
  const body = { resident_id: stable, kind: 'long', program: 'hypertension', days_supply: 56,
    items: [{ drug_code: drug("generic_name = '氨氯地平' AND primary_care = 1"), dose: 5, unit: 'mg', frequency: 'qd' }] };
  r = await req('POST', '/prescriptions', doctor01, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kind, 'long');
  assert.equal(r.json.catalogue_version, 2);
  assert.equal(r.json.items[0].quantity, 56);
  assert.match(r.json.items[0].drug_name, /氨氯地平/);
  item = r.json.items[0].id;
  assert.equal(await count(), before + 1, 'the county counts the long prescription');
  r = await req('POST', '/prescriptions', doctor01, { ...body, days_supply: 60 });
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'long_prescription_not_allowed');
  assert.equal(r.json.field, 'days_supply');
  assert.deepEqual(r.json.reasons, ['days_out_of_range']);

  const unstable = await patient(['hypertension'], [{ visit_date: daysAgo(5), sbp: 152, dbp: 96, medication_adherence: 'intermittent' }]);
  r = await req('GET', `/residents/${unstable}/long-prescription-check?program=hypertension`, doctor01);
  assert.equal(r.json.allowed, false);
  assert.deepEqual(r.json.reasons, ['not_controlled', 'not_adherent']);
  r = await req('POST', '/prescriptions', doctor01, { ...body, resident_id: unstable });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.code, 'long_prescription_not_allowed');
  assert.equal(r.json.field, 'program');
  assert.deepEqual(r.json.reasons, ['not_controlled', 'not_adherent']);
  assert.match(r.json.detail, /长处方/);
  const old = await patient(['hypertension'], [{ visit_date: daysAgo(120), sbp: 126, dbp: 78, medication_adherence: 'regular' }]);
  r = await req('GET', `/residents/${old}/long-prescription-check?program=hypertension&days=20`, doctor01);
  assert.deepEqual(r.json.reasons, ['followup_too_old', 'days_out_of_range']);
  const nobody = await patient([]);
  r = await req('GET', `/residents/${nobody}/long-prescription-check?program=hypertension`, doctor01);
  assert.deepEqual(r.json.reasons, ['not_enrolled', 'no_followup']);
  assert.equal((await req('GET', `/residents/${nobody}/long-prescription-check`, doctor01)).json.field, 'program');
  assert.equal(sql(`SELECT count(*) FROM prescriptions WHERE resident_id IN (${unstable}, ${old}, ${nobody})`), '0');
});

let courier, pickup;
test('an extended prescription continues a hospital prescription, with a drug off the primary-care list', async () => {
  const offList = drug('primary_care = 0');
  const villageDrug = drug('village = 1');
  const hospital = Number(sql("SELECT id FROM institutions WHERE kind = 'county_hospital' LIMIT 1"));
  const centre = Number(sql("SELECT id FROM institutions WHERE level = 'primary' LIMIT 1"));
  const clinic = Number(sql(`SELECT id FROM institutions WHERE kind = 'village_clinic' AND '${CELL}' LIKE region || '%' LIMIT 1`));
  const items = [{ drug_code: offList, dose: '1', unit: '片', frequency: 'bid' }];
  let r = await req('POST', '/prescriptions', doctor01, { resident_id: stable, kind: 'ordinary', days_supply: 14, items });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.code, 'drug_not_allowed');
  assert.equal(r.json.field, 'items[0].drug_code');
  assert.deepEqual(r.json.reasons, ['drug_not_on_primary_list']);
  const source = { institution_id: hospital, reference: 'RX-2025-0042', prescriber: '罗建华', date: daysAgo(7) };
  r = await req('POST', '/prescriptions', doctor01, { resident_id: stable, kind: 'extended', days_supply: 28, items, source: { ...source, institution_id: centre } });
  assert.equal(r.json.code, 'extended_prescription_not_allowed');
  assert.equal(r.json.field, 'source.institution_id');
  assert.deepEqual(r.json.reasons, ['source_not_hospital']);
  r = await req('POST', '/prescriptions', doctor01, { resident_id: stable, kind: 'extended', days_supply: 28, items, source: { ...source, date: daysAgo(120) } });
  assert.deepEqual(r.json.reasons, ['source_too_old']);
  assert.equal((await req('POST', '/prescriptions', doctor01, { resident_id: stable, kind: 'extended', days_supply: 28, items })).json.field, 'source');
  // Off the village list, it cannot be picked up at the village clinic; a courier brings it.
  r = await req('POST', '/prescriptions', doctor01, { resident_id: stable, kind: 'extended', days_supply: 28, items, source, delivery: { method: 'pickup', institution_id: clinic } });
  assert.deepEqual(r.json.reasons, ['drug_not_at_village']);
  r = await req('POST', '/prescriptions', doctor01, { resident_id: stable, kind: 'extended', days_supply: 28, items, source, delivery: { method: 'courier' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.source.reference, 'RX-2025-0042');
  assert.equal(r.json.delivery.status, 'pending');
  courier = r.json.id;
  r = await req('POST', '/prescriptions', doctor01, { resident_id: stable, kind: 'extended', days_supply: 28, items: [{ drug_code: villageDrug, dose: '1', unit: '片', frequency: 'qd' }], source, delivery: { method: 'pickup', institution_id: clinic } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.delivery.institution_id, clinic);
  pickup = r.json.id;
  r = await req('POST', '/prescriptions', doctor01, { resident_id: stable, kind: 'ordinary', days_supply: 7, items: [{ drug_code: villageDrug, dose: '1', unit: '片', frequency: 'qd' }], delivery: { method: 'pickup', institution_id: centre } });
  assert.equal(r.json.field, 'delivery.institution_id');
});

test('delivery moves only forward, by its method', async () => {
  const move = (id, body) => req('POST', `/prescriptions/${id}/delivery`, doctor01, body);
  let r = await move(courier, { status: 'picked_up' });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.code, 'invalid_state');
  assert.equal(r.json.value, 'pending');
  assert.equal((await move(courier, { status: 'delivered' })).status, 409);
  r = await move(courier, { status: 'dispatched', tracking: 'SF1234567890' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.delivery.tracking_number, 'SF1234567890');
  assert.ok(r.json.delivery.dispatched_at);
  assert.equal((await move(courier, { status: 'dispatched' })).status, 409);
  r = await move(courier, { status: 'delivered' });
  assert.equal(r.json.delivery.status, 'delivered');
  assert.equal((await move(pickup, { status: 'dispatched' })).status, 409);
  assert.equal((await move(pickup, { status: 'picked_up', tracking: 'X' })).json.field, 'tracking');
  r = await move(pickup, { status: 'picked_up' });
  assert.equal(r.json.delivery.status, 'picked_up');
  assert.equal((await move(pickup, { status: 'picked_up' })).status, 409);
  assert.equal((await move(pickup, { status: 'lost' })).json.field, 'status');
  r = await req('GET', `/residents/${stable}/prescriptions`, doctor01);
  assert.equal(r.json.items.length, 3);
});

test('a doctor of another township is refused every prescription route', async () => {
  for (const [method, path, body] of [['GET', `/prescriptions/${courier}`], ['GET', `/residents/${stable}/prescriptions`],
    ['GET', `/residents/${stable}/long-prescription-check?program=hypertension`], ['POST', `/prescriptions/${pickup}/delivery`, { status: 'picked_up' }],
    ['POST', '/prescriptions', { resident_id: stable, kind: 'ordinary', days_supply: 7, items: [{ drug_code: drug('primary_care = 1'), dose: '1', unit: '片', frequency: 'qd' }] }]]) {
    const r = await req(method, path, doctor02, body);
    assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
    assert.doesNotMatch(r.text, /处方\d/);
  }
  assert.equal((await req('GET', '/prescriptions/999999', doctor01)).status, 404);
});

test('a follow-up medication links to a prescription item', async () => {
  const visit = { resident_id: stable, program: 'hypertension', mode: 'clinic', visit_date: daysAgo(1), sbp: 126, dbp: 78 };
  let r = await req('POST', '/followups', doctor01, { ...visit, medications: [{ prescription_item_id: item }, { name: '自购钙片', dose: '1片', frequency: 'qd' }] });
  assert.equal(r.status, 201, r.text);
  r = await req('GET', `/residents/${stable}/followups?program=hypertension`, doctor01);
  const meds = r.json.items[0].medications;
  assert.match(meds[0].name, /氨氯地平/);
  assert.equal(meds[0].dose, '5mg');
  assert.equal(meds[0].frequency, 'qd');
  assert.equal(meds[0].prescription_item_id, item);
  assert.equal(meds[1].name, '自购钙片');
  const other = await patient(['hypertension']);
  r = await req('POST', '/followups', doctor01, { ...visit, resident_id: other, medications: [{ prescription_item_id: item }] });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.field, 'medications[0].prescription_item_id');
  r = await req('POST', '/followups', doctor01, { ...visit, resident_id: other, medications: [{ prescription_item_id: 'x' }] });
  assert.equal(r.json.field, 'medications[0].prescription_item_id');
});

test('a valid new version becomes the current one; prescriptions keep theirs', async () => {
  const r = await req('POST', '/drugs/versions', county, { note: '测试版', items: [{ code: 'T001', generic_name: '测试药', pinyin: 'csy', dosage_form: '片剂', strength: '5mg', unit: '片', primary_care: true, village: true }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.version, 3);
  assert.equal((await req('GET', '/drugs?q=csy', doctor01)).json.items[0].code, 'T001');
  assert.equal((await req('GET', `/prescriptions/${courier}`, doctor01)).json.catalogue_version, 2);
});
