// Results recognised across the county (检查检验结果互认, issue 19): results of any
// institution kept with their source and date, each valid for its item's window; before a
// test is ordered again the check says whether a valid result spares the repeat.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbJson } from '../lib/server.mjs';
import { TODAY, addDays, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, admin, county;
const CELL = '51152410100101';
const one = (q) => { const rows = dbJson(demo.db, q); return rows.length ? Object.values(rows[0])[0] : null; };

before(async () => {
  demo = makeDemo({ residents: 0, name: 'test-results' });
  s = await startServer(demo.db);
  [doctor01, admin, county] = await Promise.all(['doctor01', 'admin', 'county'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('a result from the county hospital spares the repeat while valid; an old one does not', async () => {
  const id = (await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '互认', id_number: idNumber('1961-01-21', 701), region: CELL } })).json.id;
  const hospitalId = one("SELECT id FROM institutions WHERE kind = 'county_hospital' LIMIT 1");
  const post = (body) => s.request('POST', `/api/v1/residents/${id}/test-results`, { token: doctor01, body });
  let r = await post({ item: 'lipids', taken_on: daysAgo(10), value: 'TC 5.9 mmol/L', institution_id: hospitalId });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.name, r.json.kind, r.json.valid_days, r.json.valid_until, r.json.still_valid],
    ['血脂四项', 'lab', 30, addDays(daysAgo(10), 29), true]);
  assert.ok(r.json.institution_name);
  r = await post({ item: 'chest_xray', taken_on: daysAgo(120), conclusion: '双肺纹理增多', source: '市中心医院 PACS' });
  assert.deepEqual([r.status, r.json.still_valid], [201, false]);
  const check = (item) => s.request('GET', `/api/v1/residents/${id}/test-results/check?item=${item}`, { token: doctor01 });
  r = await check('lipids');
  assert.deepEqual([r.status, r.json.repeat, r.json.result.value], [200, false, 'TC 5.9 mmol/L']);
  r = await check('chest_xray');
  assert.deepEqual([r.json.repeat, r.json.result], [true, null]);
  assert.deepEqual([(await check('cbc')).json.repeat], [true]);
  r = await s.request('GET', `/api/v1/residents/${id}/test-results`, { token: doctor01 });
  assert.deepEqual(r.json.items.map((x) => [x.item, x.still_valid]), [['lipids', true], ['chest_xray', false]]);
  const catalogue = await s.request('GET', '/api/v1/recognised-items', { token: county });
  assert.ok(catalogue.json.items.length >= 20);
  // Bad input, scope.
  for (const [body, code, field] of [
    [{ item: 'pet_ct', taken_on: TODAY, source: 'x' }, 'invalid_field', 'item'],
    [{ item: 'cbc', taken_on: addDays(TODAY, 1), source: 'x' }, 'invalid_date', 'taken_on'],
    [{ item: 'cbc', taken_on: TODAY }, 'missing_field', 'institution_id'],
    [{ item: 'cbc', taken_on: TODAY, institution_id: 99999 }, 'invalid_field', 'institution_id'],
  ]) {
    r = await post(body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], JSON.stringify(body));
  }
  assert.deepEqual([(await check('pet_ct')).json.field], ['item']);
  assert.equal(one(`SELECT count(*) FROM test_results WHERE resident_id = ${id}`), 2);
  const foreign = (await s.request('POST', '/api/v1/residents', { token: admin, body: { name: '外镇', id_number: idNumber('1961-01-21', 703), region: '51152410200101' } })).json.id;
  assert.equal((await s.request('POST', `/api/v1/residents/${foreign}/test-results`, { token: doctor01, body: { item: 'cbc', taken_on: TODAY, source: 'x' } })).status, 403);
  assert.equal((await s.request('GET', `/api/v1/residents/${id}/test-results`, { token: county })).status, 403);
});
