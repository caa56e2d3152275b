// Indicators (issue 6, API.md): GET /api/v1/indicators answers every §11 code for a region,
// team or doctor, exactly, from counters kept in step with each write; the answer equals a
// recomputation from the raw rows (`?source=raw`, `jiayi kpi check`); bad input names its
// field; a township manager cannot see another township.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, dbSql } from '../lib/server.mjs';
import { TODAY as today } from '../lib/clock.mjs';

let demo, s, doctor01, town01, county, resident, team, gp;
const CELL = '51152410100101';
const VILLAGE = CELL.slice(0, 12);
const year = today.slice(0, 4);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, town01, county] = await Promise.all(['doctor01', 'town01', 'county'].map((u) => s.login(u)));
  const me = (await s.request('GET', '/api/v1/session', { token: doctor01 })).json.user;
  team = me.teams[0];
  gp = me.staff_id;
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person(birth) {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '指标' + seq, id_number: idNumber(birth, 501 + 2 * seq++), region: CELL } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const get = (query, token = county) => s.request('GET', `/api/v1/indicators?${query}`, { token });
const item = (r, code) => r.json.items.find((i) => i.code === code);
const check = () => {
  const c = jiayi(['kpi', 'check', '--db', demo.db]);
  assert.equal(c.status, 0, c.stdout + c.stderr);
};

test('the contract shape: every §11 code with numerator, denominator and value; null without a denominator', async () => {
  const r = await get('scope=region:511524&period=' + year);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.scope, 'region:511524');
  assert.equal(r.json.period, year);
  assert.match(r.json.as_of, /^\d{4}-\d{2}-\d{2}$/);
  for (const code of ['signing_rate', 'key_signing_rate', 'renewal_rate', 'fulfilment_rate', 'record_rate', 'record_open_rate',
    'htn_standard_rate', 'htn_control_rate', 'dm_standard_rate', 'dm_control_rate', 'elderly_mgmt_rate', 'child_mgmt_rate',
    'newborn_visit_rate', 'early_pregnancy_rate', 'postpartum_visit_rate', 'smd_standard_rate', 'managed_visit_rate',
    'visit_managed_rate', 'signed_primary_visit_rate', 'in_county_visit_rate', 'fd_visit_share', 'fd_visits_per_capita',
    'referrals_up', 'referrals_down', 'satisfaction_rate']) {
    const i = item(r, code);
    assert.ok(i, code);
    assert.equal(typeof i.name, 'string');
    for (const k of ['numerator', 'denominator']) assert.equal(Number.isInteger(i[k]), true, `${code}.${k}`);
    assert.equal(i.value, i.denominator ? i.numerator / i.denominator : null, code);
  }
  const only = await get('scope=region:511524&codes=signing_rate,referrals_up');
  assert.deepEqual(only.json.items.map((i) => i.code), ['signing_rate', 'referrals_up']);
  assert.equal(item(only, 'referrals_up').denominator, 1, 'counts have denominator 1');
  const en = await s.request('GET', '/api/v1/indicators?scope=region:511524&codes=signing_rate', { token: county, headers: { 'Accept-Language': 'en' } });
  assert.equal(en.json.items[0].name, 'Signing rate');
});

test('each write moves the counters at once, for the village, the county, the team and the doctor', async () => {
  const scopes = [`region:${VILLAGE}`, 'region:511524', `team:${team}`, `doctor:${gp}`];
  const tokenFor = (sc) => (sc === 'region:511524' ? county : town01);
  const before = {};
  for (const sc of scopes) before[sc] = item(await get(`scope=${sc}&codes=signing_rate`, tokenFor(sc)), 'signing_rate');
  const a = await person('1960-05-05');
  const b = await person('1985-06-06');
  const signed = await s.request('POST', '/api/v1/contracts', { token: doctor01, body: { resident_id: a.id, team_id: team, doctor_id: gp, start_date: today, channel: 'clinic', packages: ['BASIC'] } });
  assert.equal(signed.status, 201, signed.text);
  for (const sc of scopes) {
    const now = item(await get(`scope=${sc}&codes=signing_rate`, tokenFor(sc)), 'signing_rate');
    assert.equal(now.denominator, before[sc].denominator + 2, sc);
    assert.equal(now.numerator, before[sc].numerator + 1, sc);
  }
  // A death takes the resident out of the population as of that day.
  const died = await s.request('PATCH', `/api/v1/residents/${b.id}`, { token: doctor01, body: { status: 'deceased', status_date: today } });
  assert.equal(died.status, 200, died.text);
  const after = item(await get(`scope=region:${VILLAGE}&codes=signing_rate`, town01), 'signing_rate');
  assert.equal(after.denominator, before[`region:${VILLAGE}`].denominator + 1);
  check();
});

test('the counters equal the raw computation, for this year and this month', async () => {
  for (const period of [year, today.slice(0, 7)]) {
    const fast = await get(`scope=region:511524&period=${period}`);
    const raw = await get(`scope=region:511524&period=${period}&source=raw`);
    assert.equal(raw.status, 200, raw.text);
    assert.deepEqual(fast.json, raw.json, period);
  }
});

test('bad input names its field', async () => {
  for (const [query, field] of [['scope=county:1', 'scope'], ['scope=region:5115x', 'scope'], ['period=2026', 'scope'],
    ['scope=region:511524&period=2026-13', 'period'], ['scope=region:511524&period=2099', 'period'],
    ['scope=region:511524&codes=signing_rate,nope', 'codes'], ['scope=region:511524&source=guess', 'source']]) {
    const r = await get(query);
    assert.equal(r.status, 422, query + ' ' + r.text);
    assert.equal(r.json.field, field, query);
  }
});

test('scope: a township manager cannot query another township or the county; residents cannot query at all', async () => {
  assert.equal((await get('scope=region:511524101', town01)).status, 200);
  const other = await get('scope=region:511524102', town01);
  assert.equal(other.status, 403);
  assert.equal(other.json.code, 'out_of_scope');
  assert.equal((await get('scope=region:511524', town01)).status, 403);
  // This county has no residents of its own: resident01 becomes one of the township's, so
  // the refusal is tried, not skipped.
  const me = await person('1970-05-05');
  dbSql(demo.db, `UPDATE users SET resident_id = ${me.id} WHERE username = 'resident01'`);
  resident = await s.login('resident01');
  assert.equal((await get('scope=region:511524101', resident)).status, 403);
  assert.equal((await get('scope=team:999999', county)).status, 404);
});

test('a city of several counties: the city answers the sum of its counties, and the counters are exact; a city or a province commission reads its whole area and nothing beside it', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { PASSWORD } = await import('../lib/server.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'jiayi-city-'));
  const db = join(dir, 'city.sqlite');
  jiayi(['demo', '--db', db, '--residents', '900', '--seed', '2', '--password', PASSWORD],
    { env: { ...process.env, JIAYI_DEMO_COUNTY_SIZE: '300' } });
  const c = jiayi(['kpi', 'check', '--db', db]);
  assert.match(c.stdout, /exact/);
  const city = await startServer(db);
  try {
    const admin = await city.login('admin');
    const read = async (scope) => item(await city.request('GET', `/api/v1/indicators?scope=${scope}&codes=signing_rate,record_rate`, { token: admin }), 'signing_rate');
    const whole = await read('region:511500');
    const parts = await Promise.all(['511524', '511502', '511503'].map((code) => read('region:' + code)));
    assert.equal(whole.denominator, parts.reduce((n, p) => n + p.denominator, 0));
    assert.equal(whole.numerator, parts.reduce((n, p) => n + p.numerator, 0));
    assert.ok(parts.every((p) => p.denominator > 250), JSON.stringify(parts));

    // Area users (issue 17): a health commission whose region is the city, or its province.
    const addUser = (username, role, region) => jiayi(['user', 'add', '--db', db, '--username', username, '--role', role,
      '--name', username, '--region', region, '--password', PASSWORD], { check: false });
    assert.equal(addUser('yibin', 'health_commission', '511500').status, 0);
    const wide = addUser('citycentre', 'center_admin', '511500');
    assert.equal(wide.status, 2, 'only a health commission holds a city');
    assert.match(wide.stderr, /region_too_wide/);
    const cityToken = await city.login('yibin');
    const as = (token, path) => city.request('GET', `/api/v1/${path}`, { token });
    const signing = (r) => item(r, 'signing_rate');
    const mine = await as(cityToken, 'indicators?scope=region:511500&codes=signing_rate');
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(signing(mine), whole, 'the city user reads the city the admin reads: the sum of its counties');
    for (const [i, code] of ['511524', '511502', '511503'].entries())
      assert.deepEqual(signing(await as(cityToken, `indicators?scope=region:${code}&codes=signing_rate`)), parts[i], code);
    const counties = await as(cityToken, 'indicators/breakdown?scope=region:511500&codes=signing_rate');
    assert.equal(counties.status, 200, counties.text);
    assert.deepEqual(counties.json.items.map((c) => c.scope).sort(), ['region:511502', 'region:511503', 'region:511524']);
    assert.equal(counties.json.items.reduce((n, c) => n + c.items[0].denominator, 0), whole.denominator);
    const townships = await as(cityToken, 'indicators/breakdown?scope=region:511502&codes=signing_rate');
    assert.equal(townships.status, 200, townships.text);
    assert.ok(townships.json.items.length > 1 && townships.json.items.every((c) => c.scope.startsWith('region:511502')));
    const trend = await as(cityToken, 'indicators/trend?scope=region:511500&codes=signing_rate');
    assert.equal(trend.status, 200, trend.text);
    assert.deepEqual(trend.json.total.items[0], mine.json.items[0]);
    // Still a health commission: counts, not people.
    assert.equal((await as(cityToken, 'indicators/patients?scope=region:511500&code=signing_rate&part=numerator')).json.code, 'out_of_role');
    assert.equal((await as(cityToken, 'residents')).json.code, 'out_of_role');

    // The province above the city and a city beside it, made by the system admin; the
    // province takes the city (a top region inside it) below it.
    const region = (body) => city.request('POST', '/api/v1/regions', { token: admin, body });
    assert.equal((await region({ code: '510000', name: '四川省', level: 'province' })).status, 201);
    const leshan = await region({ code: '511100', name: '乐山市', level: 'city', parent: '510000' });
    assert.equal(leshan.status, 201, leshan.text);
    assert.equal((await region({ code: '500000', name: '重庆市', level: 'province' })).status, 201);
    assert.equal((await city.request('GET', '/api/v1/regions/511500', { token: admin })).json.parent, '510000');
    for (const outside of ['510000', '511100', '500000']) {
      for (const path of [`indicators?scope=region:${outside}`, `indicators/breakdown?scope=region:${outside}`,
        `indicators/trend?scope=region:${outside}`]) {
        const r = await as(cityToken, path);
        assert.equal(r.status, 403, `${path}: ${r.text}`);
        assert.equal(r.json.code, 'out_of_scope');
        assert.doesNotMatch(r.text, /四川|乐山|重庆/, 'a refusal names nothing');
      }
    }
    assert.equal(addUser('sichuan', 'health_commission', '510000').status, 0);
    const provinceToken = await city.login('sichuan');
    const province = await as(provinceToken, 'indicators?scope=region:510000&codes=signing_rate');
    assert.equal(province.status, 200, province.text);
    assert.deepEqual(signing(province), whole, 'the province is its one city with residents');
    const cities = await as(provinceToken, 'indicators/breakdown?scope=region:510000&codes=signing_rate');
    assert.deepEqual(cities.json.items.map((c) => c.scope), ['region:511100', 'region:511500']);
    assert.equal(cities.json.items[0].items[0].denominator, 0);
    assert.deepEqual(cities.json.items[1].items[0], mine.json.items[0]);
    assert.equal((await as(provinceToken, 'indicators?scope=region:511524101&codes=signing_rate')).status, 200);
    assert.equal((await as(provinceToken, 'indicators?scope=region:500000')).status, 403);
    // A county's commission reads its county, not the city or the province above it.
    const countyToken = await city.login('county');
    assert.equal((await as(countyToken, 'indicators?scope=region:511524&codes=signing_rate')).status, 200);
    for (const above of ['511500', '510000']) {
      const r = await as(countyToken, `indicators?scope=region:${above}`);
      assert.equal(r.status, 403, r.text);
      assert.equal(r.json.code, 'out_of_scope');
    }
  } finally {
    await city.stop();
    cleanup(dir);
  }
});

test('a period older than the counters cover is computed from the raw rows, for a scope and for its children', async () => {
  const old = String(Number(year) - 2);
  const whole = await get(`scope=region:511524&period=${old}&codes=signing_rate,record_rate`);
  assert.equal(whole.status, 200, whole.text);
  assert.equal(whole.json.as_of, `${old}-12-31`);
  const townships = await s.request('GET', `/api/v1/indicators/breakdown?scope=region:511524&period=${old}&codes=record_rate`, { token: county });
  assert.equal(townships.status, 200, townships.text);
  const sum = townships.json.items.reduce((n, t) => n + t.items[0].denominator, 0);
  assert.equal(sum, item(whole, 'record_rate').denominator, 'the townships add up to the county');
});
