// A signing campaign's list: GET /residents?signed=false holds exactly the people in the
// caller's scope without a current contract (active or scheduled), combinable with the
// programme, class, status and region filters; signed=true is the rest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, dbSql } from '../lib/server.mjs';

let demo, s, doctor, town;
const sql = (q) => dbSql(demo.db, q);
const current = (ids) => new Set(sql(`SELECT DISTINCT resident_id FROM contracts WHERE status IN ('active', 'scheduled') AND resident_id IN (${ids.join(',')})`).split('\n').filter(Boolean).map(Number));

async function all(token, query) {
  const items = [];
  let cursor = 0, total;
  do {
    const r = await s.request('GET', `/api/v1/residents?${query}&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { token });
    assert.equal(r.status, 200, r.text);
    items.push(...r.json.items);
    total = r.json.total;
    cursor = r.json.next_cursor;
  } while (cursor);
  assert.equal(items.length, total, `${query}: total is the number of rows`);
  return items;
}

before(async () => {
  demo = makeDemo({ residents: 1500, name: 'signing' });
  s = await startServer(demo.db);
  [doctor, town] = await Promise.all(['doctor01', 'town01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('signed=false and signed=true split the scope exactly', async () => {
  for (const token of [doctor, town]) {
    const everyone = await all(token, 'status=alive');
    const unsigned = await all(token, 'status=alive&signed=false');
    const signed = await all(token, 'status=alive&signed=true');
    assert.ok(unsigned.length > 0 && signed.length > 0, `${unsigned.length} unsigned, ${signed.length} signed`);
    assert.equal(unsigned.length + signed.length, everyone.length);
    const withContract = current(everyone.map((x) => x.id));
    assert.ok(unsigned.every((x) => !withContract.has(x.id)), 'an unsigned row has a contract');
    assert.ok(signed.every((x) => withContract.has(x.id)), 'a signed row has no contract');
  }
});

test('the campaign list combines with programme and class, and refuses a bad value', async () => {
  const htn = await all(town, 'signed=false&program=hypertension');
  const enrolled = new Set(sql(`SELECT resident_id FROM enrolments WHERE program = 'hypertension' AND end_date IS NULL`).split('\n').map(Number));
  assert.ok(htn.every((x) => enrolled.has(x.id) && !current([x.id]).has(x.id)));
  const elderly = await all(town, 'signed=false&class=1');
  assert.ok(elderly.every((x) => x.population_class === 1));
  const bad = await s.request('GET', '/api/v1/residents?signed=maybe', { token: town });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'signed');
});
