// Contracts (issue 4, API.md): the catalogue, signing with exact fee shares, one active
// contract per resident even under 20 concurrent signings, eligibility, capacity, team
// checks, residents signing online for themselves, and bad input writing nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { makeDemo, startServer, cleanup, idNumber, jiayi, PASSWORD, dbSql } from '../lib/server.mjs';
import { TODAY as today } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, town01, team, gp;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, doctor02, town01] = await Promise.all(['doctor01', 'doctor02', 'town01'].map((u) => s.login(u)));
  const me = (await s.request('GET', '/api/v1/session', { token: doctor01 })).json.user;
  team = me.teams[0];
  gp = me.staff_id;
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person(birth, fields = {}) {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '签约' + seq, id_number: idNumber(birth, 101 + 2 * seq++), region: CELL, ...fields } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const sign = (token, body) => s.request('POST', '/api/v1/contracts', { token, body: { team_id: team, doctor_id: gp, start_date: today, channel: 'clinic', ...body } });

test('the catalogue lists packages with price, payment type and items', async () => {
  const r = await s.request('GET', '/api/v1/packages', { token: doctor01 });
  assert.equal(r.status, 200);
  const basic = r.json.items.find((p) => p.code === 'BASIC');
  for (const k of ['code', 'name', 'tier', 'type', 'price_fen', 'payment_type', 'items']) assert.ok(k in basic, k);
  assert.equal(basic.price_fen, 0);
  assert.ok(basic.items.length > 0 && basic.items.every((i) => i.quantity > 0));
  const prices = r.json.items.map((p) => p.price_fen);
  assert.ok(prices.includes(5000) && prices.includes(12000) && prices.some((p) => p >= 20000 && p <= 80000));
});

test('signing returns the contract with a one-year term and exact shares (10/25/65 per cent)', async () => {
  const p = await person('1966-05-05');
  assert.equal((await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: p.id, program: 'hypertension', start_date: '2026-01-05' } })).status, 201);
  const r = await sign(doctor01, { resident_id: p.id, packages: ['BASIC', 'HTN-120'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'active');
  assert.equal(r.json.start_date, today);
  const end = new Date(today + 'T00:00:00Z');
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  end.setUTCDate(end.getUTCDate() - 1);
  assert.equal(r.json.end_date, end.toISOString().slice(0, 10));
  assert.equal(r.json.fee_fen, 12000);
  const shares = Object.fromEntries(r.json.shares.map((x) => [x.payer, x.amount_fen]));
  assert.deepEqual({ resident: shares.resident, city: shares.city, district: shares.district }, { resident: 1200, city: 3000, district: 7800 });
  assert.equal(r.json.shares.reduce((n, x) => n + x.amount_fen, 0), r.json.fee_fen);
  assert.ok(r.json.entitlements.some((e) => e.service === 'bp_followup' && e.quantity === 4 && e.remaining === 4));
  const mine = await s.request('GET', `/api/v1/residents/${p.id}/contract`, { token: doctor01 });
  assert.equal(mine.status, 200);
  assert.equal(mine.json.id, r.json.id);
  assert.equal((await s.request('GET', `/api/v1/residents/${p.id}`, { token: doctor01 })).json.contract.id, r.json.id);
  assert.equal((await s.request('GET', `/api/v1/contracts/${r.json.id}`, { token: doctor02 })).status, 403);
});

test('fixed-amount shares: 120 yuan as resident 20 + insurance 70 + public funds 30', async () => {
  const p = await person('1960-02-02');
  await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: p.id, program: 'diabetes', start_date: '2026-02-01' } });
  const r = await sign(doctor01, { resident_id: p.id, packages: ['DM-120'] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.shares, [{ payer: 'resident', amount_fen: 2000 }, { payer: 'insurance', amount_fen: 7000 }, { payer: 'public_funds', amount_fen: 3000 }]);
});

test('a second contract is refused with 409 active_contract_exists', async () => {
  const p = await person('1980-03-03');
  assert.equal((await sign(doctor01, { resident_id: p.id, packages: ['BASIC'] })).status, 201);
  const again = await sign(doctor01, { resident_id: p.id, packages: ['BASIC'] });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'active_contract_exists');
});

test('20 concurrent signings for one resident: exactly one wins', async () => {
  const p = await person('1975-04-04');
  const results = await Promise.all(Array.from({ length: 20 }, () => sign(doctor01, { resident_id: p.id, packages: ['BASIC'] })));
  const statuses = results.map((r) => r.status).sort();
  assert.equal(statuses.filter((x) => x === 201).length, 1, statuses.join(','));
  assert.equal(statuses.filter((x) => x === 409).length, 19);
  assert.ok(results.filter((r) => r.status === 409).every((r) => r.json.code === 'active_contract_exists'));
  assert.equal(sqlite(`SELECT count(*) FROM contracts WHERE resident_id = ${p.id}`), '1');
});

test('eligibility: the hypertension package needs the program; the error names the package', async () => {
  const p = await person('1970-06-06');
  const r = await sign(doctor01, { resident_id: p.id, packages: ['BASIC', 'HTN-120'] });
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'package_not_eligible');
  assert.equal(r.json.field, 'packages');
  assert.equal(r.json.value, 'HTN-120');
  assert.match(r.json.detail, /HTN-120/);
  const child = await person('2024-01-01');
  assert.equal((await sign(doctor01, { resident_id: child.id, packages: ['ELDERLY-50'] })).json.value, 'ELDERLY-50');
});

test('a doctor at capacity is refused with 422 doctor_at_capacity; a household counts once', async () => {
  const inst = (await s.request('GET', '/api/v1/institutions?region=511524101', { token: town01 })).json.items.find((i) => i.kind === 'township_center');
  const doc = await s.request('POST', '/api/v1/staff', { token: town01, body: { name: '满额医生', profession: 'gp', institution_id: inst.id, max_contracts: 1 } });
  await s.request('POST', `/api/v1/teams/${team}/members`, { token: town01, body: { staff_id: doc.json.id, role: 'gp' } });
  const head = await person('1950-07-07');
  const spouse = await person('1952-07-07', { household_id: head.household_id, relation: 'spouse' });
  const other = await person('1951-07-07');
  assert.equal((await sign(doctor01, { resident_id: head.id, doctor_id: doc.json.id, packages: ['BASIC'] })).status, 201);
  assert.equal((await sign(doctor01, { resident_id: spouse.id, doctor_id: doc.json.id, packages: ['BASIC'] })).status, 201, 'same household');
  const full = await sign(doctor01, { resident_id: other.id, doctor_id: doc.json.id, packages: ['BASIC'] });
  assert.equal(full.status, 422);
  assert.equal(full.json.code, 'doctor_at_capacity');
});

test('signing and transfer share one cap (PROTOCOLS §10): a village doctor counts personalised packages only', async () => {
  const inst = (await s.request('GET', '/api/v1/institutions?region=511524101', { token: town01 })).json.items.find((i) => i.kind === 'township_center');
  const vd = await s.request('POST', '/api/v1/staff', { token: town01, body: { name: '满额村医', profession: 'village_doctor', institution_id: inst.id, max_contracts: 1 } });
  assert.equal(vd.status, 201, vd.text);
  await s.request('POST', `/api/v1/teams/${team}/members`, { token: town01, body: { staff_id: vd.json.id, role: 'village_doctor' } });
  const [first, basic, tcm, more] = [await person('1960-01-01'), await person('1961-01-01'), await person('1962-01-01'), await person('1963-01-01')];
  assert.equal((await sign(doctor01, { resident_id: first.id, doctor_id: vd.json.id, packages: ['TCM-300'] })).status, 201, 'the one place');
  const full = await sign(doctor01, { resident_id: more.id, doctor_id: vd.json.id, packages: ['TCM-300'] });
  assert.equal(full.json.code, 'doctor_at_capacity', full.text);
  assert.equal((await sign(doctor01, { resident_id: more.id, doctor_id: vd.json.id, packages: ['BASIC'] })).status, 201, 'a basic signing takes no place');
  const transfer = async (who, packages) => {
    const c = await sign(doctor01, { resident_id: who.id, packages });
    assert.equal(c.status, 201, c.text);
    return s.request('POST', `/api/v1/contracts/${c.json.id}/transfer`, { token: doctor01, body: { team_id: team, doctor_id: vd.json.id, reason: '就近' } });
  };
  const moved = await transfer(basic, ['BASIC']);
  assert.equal(moved.status, 201, `a basic contract moves to the full village doctor: ${moved.text}`);
  const refused = await transfer(tcm, ['TCM-300']);
  assert.equal(refused.status, 422, refused.text);
  assert.equal(refused.json.code, 'doctor_at_capacity');
  assert.equal(refused.json.field, 'doctor_id');
});

test('the doctor must be in the team and the team must serve the grid cell (or say why not)', async () => {
  const p = await person('1985-08-08');
  const d2 = (await s.request('GET', '/api/v1/session', { token: doctor02 })).json.user;
  assert.equal((await sign(doctor01, { resident_id: p.id, doctor_id: d2.staff_id, packages: ['BASIC'] })).json.field, 'doctor_id');
  // Another township's team is not doctor01's to name, with or without a reason (issue 13:
  // its doctors could not even read the patient).
  const foreign = await sign(doctor01, { resident_id: p.id, team_id: d2.teams[0], doctor_id: d2.staff_id, packages: ['BASIC'], cross_grid_reason: '在镇上工作，就近签约' });
  assert.equal(foreign.status, 403, foreign.text);
  assert.equal(foreign.json.code, 'out_of_scope');
  // Across grid cells of the township, the centre signs with another of its teams, saying why.
  const teams = (await s.request('GET', '/api/v1/teams?region=511524101&limit=500', { token: town01 })).json.items;
  const mine = await s.request('GET', `/api/v1/residents/${p.id}`, { token: town01 });
  const other = teams.find((x) => x.id !== team && !(x.cells || []).some((c) => mine.json.region.startsWith(c.code)));
  assert.ok(other, 'township 101 has a team not serving the person\'s cell');
  const far = await sign(town01, { resident_id: p.id, team_id: other.id, doctor_id: other.doctor_id, packages: ['BASIC'] });
  assert.equal(far.status, 422, far.text);
  assert.equal(far.json.field, 'team_id');
  const ok = await sign(town01, { resident_id: p.id, team_id: other.id, doctor_id: other.doctor_id, packages: ['BASIC'], cross_grid_reason: '在镇上工作，就近签约' });
  assert.equal(ok.status, 201, ok.text);
});

test('1+1+1: the community doctor with a county hospital; the contract names it and is dated in ISO 8601', async () => {
  const p = await person('1958-11-11');
  const hospitals = (await s.request('GET', '/api/v1/institutions?region=511524', { token: doctor01 })).json.items.filter((i) => i.kind.endsWith('hospital'));
  const r = await sign(doctor01, { resident_id: p.id, packages: ['BASIC'], city_hospital_id: hospitals[0].id, district_hospital_id: hospitals[1].id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.city_hospital_id, hospitals[0].id);
  assert.match(r.json.signed_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(r.json.history[0].at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('the agreement as a PDF: Chinese text with the parties, packages and shares; scoped and audited', async () => {
  const p = await person('1961-04-04', { name: '协议测试' });
  await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: p.id, program: 'hypertension', start_date: '2026-01-05' } });
  const c = (await sign(doctor01, { resident_id: p.id, packages: ['BASIC', 'HTN-120'] })).json;
  const res = await fetch(`${s.base}/api/v1/contracts/${c.id}/agreement.pdf`, { headers: { Authorization: `Bearer ${doctor01}` } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const pdf = Buffer.from(await res.arrayBuffer());
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const text = spawnSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  for (const want of ['家庭医生签约服务协议书', '协议测试', '高血压', '120.00 元', '12.00 元', '78.00 元', '居民签字'])
    assert.ok(text.includes(want), `${want} in ${text.slice(0, 400)}`);
  assert.ok(p.id_number && !text.includes(p.id_number), 'the ID number is masked on paper');
  assert.ok(text.includes(p.id_number_masked), p.id_number_masked);
  assert.equal((await s.request('GET', `/api/v1/contracts/${c.id}/agreement.pdf`, { token: doctor02 })).status, 403);
  assert.equal((await s.request('GET', '/api/v1/contracts/999999/agreement.pdf', { token: doctor01 })).status, 404);
});

test('a resident signs online for themself, not for others and not through other channels', async () => {
  const p = await person('1990-09-09');
  const q = await person('1991-09-09');
  jiayi(['user', 'add', '--db', demo.db, '--username', 'signer1', '--role', 'resident', '--name', '居民', '--resident', String(p.id), '--password', PASSWORD]);
  const self = await s.login('signer1');
  assert.equal((await sign(self, { resident_id: q.id, packages: ['BASIC'], channel: 'online' })).status, 403);
  assert.equal((await sign(self, { resident_id: p.id, packages: ['BASIC'], channel: 'clinic' })).status, 403);
  const ok = await sign(self, { resident_id: p.id, packages: ['BASIC'], channel: 'online' });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.channel, 'online');
});

test('bad input names the field and writes nothing', async () => {
  const p = await person('1977-10-10');
  const before = sqlite('SELECT count(*) FROM contracts') + '/' + sqlite('SELECT count(*) FROM entitlements') + '/' + sqlite('SELECT count(*) FROM audit_log');
  const cases = [
    [{ resident_id: p.id, packages: [] }, 'packages'],
    [{ resident_id: p.id, packages: ['NOPE'] }, 'packages'],
    [{ resident_id: p.id, packages: 'BASIC' }, 'packages'],
    [{ resident_id: p.id, packages: ['BASIC', 'BASIC'] }, 'packages'],
    [{ resident_id: p.id, packages: ['BASIC'], start_date: '2020-01-01' }, 'start_date'],
    [{ resident_id: p.id, packages: ['BASIC'], start_date: '2026-13-01' }, 'start_date'],
    [{ resident_id: p.id, packages: ['BASIC'], channel: 'fax' }, 'channel'],
    [{ resident_id: 'x', packages: ['BASIC'] }, 'resident_id'],
    [{ resident_id: p.id, packages: ['BASIC'], team_id: 99999 }, 'team_id'],
    [{ resident_id: p.id, packages: ['BASIC'], district_hospital_id: 99999 }, 'district_hospital_id'],
    [{ resident_id: p.id, packages: ['BASIC'], city_hospital_id: 5 }, 'city_hospital_id'], // a village clinic, not a hospital
  ];
  for (const [body, field] of cases) {
    const r = await sign(doctor01, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.field, field, JSON.stringify(body));
  }
  const after = sqlite('SELECT count(*) FROM contracts') + '/' + sqlite('SELECT count(*) FROM entitlements') + '/' + sqlite('SELECT count(*) FROM audit_log');
  assert.equal(after, before);
  assert.equal((await s.request('GET', `/api/v1/residents/${p.id}/contract`, { token: doctor01 })).status, 404);
});

test('publishing a new package version changes new signings only, never signed contracts', async () => {
  const admin = await s.login('admin');
  const p = await person('1962-12-12');
  await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: p.id, program: 'hypertension', start_date: '2026-03-01' } });
  const before = await sign(doctor01, { resident_id: p.id, packages: ['HTN-120'] });
  assert.equal(before.status, 201);
  const current = (await s.request('GET', '/api/v1/packages', { token: admin })).json.items.find((x) => x.code === 'HTN-120');
  const body = { name: current.name, name_en: current.name_en, tier: current.tier, type: current.type, payment_type: current.payment_type,
    price_fen: 15000, eligibility: { min_age: 35, required_program: 'hypertension' },
    items: current.items.map((i) => ({ ...i, quantity: i.quantity + 1 })),
    fee_rules: [{ payer: 'resident', kind: 'percent', value: 2000 }, { payer: 'insurance', kind: 'percent', value: 8000 }] };
  assert.equal((await s.request('PUT', '/api/v1/packages/HTN-120', { token: doctor01, body })).status, 403);
  const bad = await s.request('PUT', '/api/v1/packages/HTN-120', { token: admin, body: { ...body, fee_rules: [{ payer: 'resident', kind: 'percent', value: 5000 }] } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.code, 'invalid_fee_rule');
  const v2 = await s.request('PUT', '/api/v1/packages/HTN-120', { token: admin, body });
  assert.equal(v2.status, 200, v2.text);
  assert.equal(v2.json.version, 2);
  assert.equal(v2.json.price_fen, 15000);
  const old = await s.request('GET', `/api/v1/contracts/${before.json.id}`, { token: doctor01 });
  assert.equal(old.json.fee_fen, 12000);
  assert.equal(old.json.packages[0].version, 1);
  assert.equal(old.json.entitlements.find((e) => e.service === 'bp_followup').quantity, 4);
  const q = await person('1963-12-12');
  await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: q.id, program: 'hypertension', start_date: '2026-03-01' } });
  const after = await sign(doctor01, { resident_id: q.id, packages: ['HTN-120'] });
  assert.equal(after.json.fee_fen, 15000);
  assert.deepEqual(after.json.shares, [{ payer: 'resident', amount_fen: 3000 }, { payer: 'insurance', amount_fen: 12000 }]);
  assert.equal(after.json.entitlements.find((e) => e.service === 'bp_followup').quantity, 5);
  const dup = await s.request('POST', '/api/v1/packages', { token: admin, body: { ...body, code: 'HTN-120' } });
  assert.equal(dup.status, 409);
  const created = await s.request('POST', '/api/v1/packages', { token: admin, body: { ...body, code: 'HTN-PLUS', price_fen: 20000, fee_rules: [{ payer: 'resident', kind: 'fixed', value: 5000 }, { payer: 'insurance', kind: 'percent', value: 10000 }] } });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.version, 1);
});

test('a center admin publishes packages for their own center; only its teams offer them', async () => {
  const body = { code: 'TOWN-TCM-80', name: '长宁镇中医调理包', name_en: 'Changning town TCM package', tier: 'primary', type: 'tcm',
    payment_type: 'fixed_price', price_fen: 8000, items: [{ service: 'tcm_guidance', name: '中医体质辨识与调理', name_en: 'TCM constitution care', quantity: 2 }],
    fee_rules: [{ payer: 'resident', kind: 'percent', value: 5000 }, { payer: 'insurance', kind: 'percent', value: 5000 }] };
  const created = await s.request('POST', '/api/v1/packages', { token: town01, body });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.json.institution, '长宁镇卫生院');
  const center = created.json.institution_id;
  // Not the county catalogue, not an institution outside the township.
  const basic = (await s.request('GET', '/api/v1/packages', { token: town01 })).json.items.find((x) => x.code === 'BASIC');
  const basicBody = { ...body, code: undefined, name: basic.name, items: basic.items };
  const county = await s.request('PUT', '/api/v1/packages/BASIC', { token: town01, body: basicBody });
  assert.equal(county.status, 403);
  assert.equal(county.json.code, 'out_of_scope');
  const hospital = (await s.request('GET', '/api/v1/institutions?region=511524', { token: doctor01 })).json.items.find((i) => i.kind === 'county_hospital');
  const far = await s.request('POST', '/api/v1/packages', { token: town01, body: { ...body, code: 'TOWN-X', institution_id: hospital.id } });
  assert.equal(far.status, 403);
  assert.equal(far.json.field, 'institution_id');
  // A new version keeps its owner.
  const v2 = await s.request('PUT', '/api/v1/packages/TOWN-TCM-80', { token: town01, body: { ...body, code: undefined, price_fen: 9000 } });
  assert.equal(v2.status, 200, v2.text);
  assert.equal(v2.json.institution_id, center);
  // doctor01's team belongs to the center and offers it; doctor02's (another township) does not.
  const d2 = (await s.request('GET', '/api/v1/session', { token: doctor02 })).json.user;
  const offered = async (teamId) => (await s.request('GET', `/api/v1/packages?team=${teamId}`, { token: doctor01 })).json.items.map((x) => x.code);
  assert.ok((await offered(team)).includes('TOWN-TCM-80'));
  assert.ok(!(await offered(d2.teams[0])).includes('TOWN-TCM-80'));
  assert.ok((await offered(d2.teams[0])).includes('BASIC'));
  const p = await person('1970-07-07');
  // (Signing with doctor02's team is not doctor01's to do at all: 403, before any package.)
  const refused = await sign(doctor01, { resident_id: p.id, team_id: d2.teams[0], doctor_id: d2.staff_id, packages: ['BASIC', 'TOWN-TCM-80'], cross_grid_reason: '测试' });
  assert.equal(refused.status, 403);
  const ok = await sign(doctor01, { resident_id: p.id, packages: ['BASIC', 'TOWN-TCM-80'] });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.fee_fen, 9000);
});
