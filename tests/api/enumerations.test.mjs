// enumerations.test.mjs - the closed lists and the fee split come from the server (issue 20):
// GET /enumerations gives the words each field accepts, and the server takes every word it
// lists and refuses one it does not; POST /fee-split splits a draft's price exactly as a
// signing does, and GET /packages carries each package's split, equal to what a signing
// stores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber } from '../lib/server.mjs';
import { TODAY } from '../lib/clock.mjs';

let demo, s, doctor01, town01, specialist01, team, gp;
const CELL = '51152410100101';

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, town01, specialist01] = await Promise.all(['doctor01', 'town01', 'specialist01'].map((u) => s.login(u)));
  const me = (await s.request('GET', '/api/v1/session', { token: doctor01 })).json.user;
  team = me.teams[0];
  gp = me.staff_id;
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person() {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: `词表${seq}`, id_number: idNumber('1970-07-07', 101 + 2 * seq++), region: CELL } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const sign = (resident, body) => s.request('POST', '/api/v1/contracts', { token: doctor01, body: { resident_id: resident.id, team_id: team, doctor_id: gp, start_date: TODAY, packages: ['BASIC'], ...body } });

test('every logged-in user reads the lists; without a login it is 401', async () => {
  assert.equal((await s.request('GET', '/api/v1/enumerations')).status, 401);
  const r = await s.request('GET', '/api/v1/enumerations', { token: specialist01 });
  assert.equal(r.status, 200, r.text);
  for (const name of ['contract_channels', 'contract_end_reasons', 'staff_professions', 'team_member_roles', 'team_models', 'institution_kinds', 'institution_levels', 'package_tiers', 'package_types', 'package_payment_types', 'fee_rule_kinds', 'points_item_kinds']) {
    assert.ok(Array.isArray(r.json[name]) && r.json[name].length > 0, name);
    assert.equal(new Set(r.json[name]).size, r.json[name].length, `${name}: each word once`);
  }
});

test('the server takes every word it lists, and refuses one it does not', async () => {
  const lists = (await s.request('GET', '/api/v1/enumerations', { token: doctor01 })).json;
  for (const channel of lists.contract_channels.filter((c) => c !== 'online')) {
    const r = await sign(await person(), { channel });
    assert.equal(r.status, 201, `${channel}: ${r.text}`);
  }
  const odd = await sign(await person(), { channel: 'fax' });
  assert.equal(odd.status, 422);
  assert.equal(odd.json.field, 'channel');

  const inst = (await s.request('GET', '/api/v1/institutions?region=511524101', { token: town01 })).json.items.find((i) => i.kind === 'township_center');
  for (const profession of lists.staff_professions) {
    const r = await s.request('POST', '/api/v1/staff', { token: town01, body: { name: `职业${profession}`, profession, institution_id: inst.id } });
    assert.equal(r.status, 201, `${profession}: ${r.text}`);
  }
  const bad = await s.request('POST', '/api/v1/staff', { token: town01, body: { name: '巫医', profession: 'shaman', institution_id: inst.id } });
  assert.equal(bad.json.field, 'profession');

  const c = await sign(await person(), { channel: 'clinic' });
  const end = lists.contract_end_reasons.find((x) => x === 'resident_request');
  const ended = await s.request('POST', `/api/v1/contracts/${c.json.id}/terminate`, { token: doctor01, body: { reason: end } });
  assert.equal(ended.status, 200, ended.text);
});

test('a draft is split as a signing splits it; rules that do not add up say why', async () => {
  const rules = [{ payer: 'resident', kind: 'percent', value: 1000 }, { payer: 'city', kind: 'percent', value: 2500 }, { payer: 'district', kind: 'percent', value: 6500 }];
  const ok = await s.request('POST', '/api/v1/fee-split', { token: doctor01, body: { price_fen: 15000, fee_rules: rules } });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json.shares, [{ payer: 'resident', amount_fen: 1500 }, { payer: 'city', amount_fen: 3750 }, { payer: 'district', amount_fen: 9750 }]);
  assert.equal(ok.json.check.ok, true);
  // Rounding: the remainder goes to the first payer, as PROTOCOLS §10 says.
  const odd = await s.request('POST', '/api/v1/fee-split', { token: doctor01, body: { price_fen: 10001, fee_rules: rules } });
  assert.deepEqual(odd.json.shares.map((x) => x.amount_fen), [1000 + 1, 2500, 6500]);
  assert.equal(odd.json.shares.reduce((n, x) => n + x.amount_fen, 0), 10001);

  const short = await s.request('POST', '/api/v1/fee-split', { token: doctor01, body: { price_fen: 12000, fee_rules: [{ ...rules[0] }, { ...rules[1] }, { ...rules[2], value: 5500 }] } });
  assert.equal(short.status, 200);
  assert.deepEqual([short.json.check.ok, short.json.check.reason, short.json.check.percent_bp, short.json.shares], [false, 'percent_sum', 9000, []]);
  const over = await s.request('POST', '/api/v1/fee-split', { token: doctor01, body: { price_fen: 1000, fee_rules: [{ payer: 'resident', kind: 'fixed', value: 1500 }, { payer: 'insurance', kind: 'percent', value: 10000 }] } });
  assert.deepEqual([over.json.check.reason, over.json.check.fixed_fen], ['fixed_over', 1500]);
  const malformed = await s.request('POST', '/api/v1/fee-split', { token: doctor01, body: { price_fen: 1000, fee_rules: [{ payer: 'resident', kind: 'half', value: 1 }] } });
  assert.equal(malformed.status, 422);
  assert.equal(malformed.json.field, 'fee_rules');
  const none = await s.request('POST', '/api/v1/fee-split', { token: doctor01, body: { price_fen: 1000 } });
  assert.equal(none.json.field, 'fee_rules');
});

test('each package carries its split, and a signing stores exactly that', async () => {
  const packages = (await s.request('GET', '/api/v1/packages', { token: doctor01 })).json.items;
  for (const p of packages) {
    assert.ok(Array.isArray(p.fee_shares), `${p.code} has fee_shares`);
    assert.equal(p.fee_shares.reduce((n, x) => n + x.amount_fen, 0), p.price_fen, `${p.code}: the shares make the price`);
    const draft = await s.request('POST', '/api/v1/fee-split', { token: doctor01, body: { price_fen: p.price_fen, fee_rules: p.fee_rules } });
    assert.deepEqual(draft.json.shares, p.fee_shares, `${p.code}: the preview and the catalogue agree`);
  }
  const htn = packages.find((p) => p.code === 'TCM-300');
  const c = await sign(await person(), { channel: 'clinic', packages: ['TCM-300'] });
  assert.equal(c.status, 201, c.text);
  assert.deepEqual(c.json.shares.map((x) => [x.payer, x.amount_fen]), htn.fee_shares.map((x) => [x.payer, x.amount_fen]));
});
