// Health points (issue 16, API.md): a resident's balance and ledger, the catalogue with its
// stock, redemptions that never take a balance or a stock below zero (also under 20 requests
// at once), awards once per event where jiayi records the healthy action, the county's rules,
// and who may redeem for whom.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, PASSWORD, dbSql } from '../lib/server.mjs';
import { TODAY, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, town01, county, admin, team, gp, center;
const CELL = '51152410100101';
const sql = (q) => dbSql(demo.db, q);
const post = (path, body, token = doctor01) => s.request('POST', `/api/v1${path}`, { token, body });
const get = (path, token = doctor01) => s.request('GET', `/api/v1${path}`, { token });
const put = (path, body, token) => s.request('PUT', `/api/v1${path}`, { token, body });

let seq = 0;
const households = {};
async function signed(fields = {}) {
  seq++;
  const r = await post('/residents', { name: '积分' + seq, id_number: idNumber('1958-03-0' + (1 + (seq % 9)), 300 + 2 * seq + 1), region: CELL, ...fields });
  assert.equal(r.status, 201, r.text);
  households[r.json.id] = r.json.household_id;
  const c = await post('/contracts', { resident_id: r.json.id, team_id: team, doctor_id: gp, start_date: TODAY, channel: 'clinic', packages: ['BASIC'] });
  assert.equal(c.status, 201, c.text);
  return r.json.id;
}
// A portal login for the resident (the admin's password hash: the same test password).
async function residentLogin(id) {
  sql(`INSERT INTO users (username, password_hash, role, display_name, resident_id) SELECT 'pts${id}', password_hash, 'resident', '居民', ${id} FROM users WHERE username = 'admin'`);
  return s.login(`pts${id}`, PASSWORD);
}
// Points granted outside the rules (the set-up of a balance to spend).
const grant = (id, points) => sql(`INSERT INTO points_ledger (resident_id, event, event_key, points, balance_after, occurred_on, county_code) VALUES (${id}, 'content_read', 'grant:${id}:${points}', ${points}, ${points}, '${TODAY}', '511524'); INSERT INTO points_accounts (resident_id, balance, earned) VALUES (${id}, ${points}, ${points})`);
const balance = async (id) => (await get(`/residents/${id}/points`)).json.balance;
async function item(cost, stock) {
  const r = await post('/points/catalogue', { name: `测试物品${cost}-${stock}-${seq++}`, kind: 'goods', cost, stock, institution_id: center }, town01);
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

before(async () => {
  demo = makeDemo({ residents: 0, name: 'points' });
  s = await startServer(demo.db);
  [doctor01, doctor02, town01, county, admin] = await Promise.all(['doctor01', 'doctor02', 'town01', 'county', 'admin'].map((u) => s.login(u)));
  const me = (await get('/session')).json.user;
  team = me.teams[0];
  gp = me.staff_id;
  center = Number(sql(`SELECT id FROM institutions WHERE region = '511524101' AND kind = 'township_center'`));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('the catalogue: the demo\'s items with stock; a centre admin adds and restocks its own', async () => {
  const r = await get('/points/catalogue');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.length >= 10, 'exam packages, TCM therapy, goods');
  for (const i of r.json.items) for (const k of ['id', 'name', 'cost', 'stock']) assert.ok(i[k] !== undefined, k);
  assert.deepEqual([...new Set(r.json.items.map((i) => i.kind))].sort(), ['exam_package', 'goods', 'tcm_therapy']);
  const id = await item(10, 2);
  let w = await post('/points/catalogue', { id, restock: 3 }, town01);
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.stock, 5);
  w = await post('/points/catalogue', { id, restock: 0 }, town01);
  assert.equal(w.status, 422);
  assert.equal(w.json.field, 'restock');
  w = await post('/points/catalogue', { name: 'x', kind: 'car', cost: 1, stock: 1, institution_id: center }, town01);
  assert.equal(w.json.field, 'kind');
  w = await post('/points/catalogue', { name: 'x', kind: 'goods', cost: 0, stock: 1, institution_id: center }, town01);
  assert.equal(w.json.field, 'cost');
  // The county TCM hospital's item is not the township centre's to restock.
  const tcm = r.json.items.find((i) => i.institution_id !== center);
  w = await post('/points/catalogue', { id: tcm.id, restock: 1 }, town01);
  assert.equal(w.status, 403, w.text);
  assert.equal((await post('/points/catalogue', { id, restock: 1 }, doctor01)).status, 403, 'a doctor keeps no catalogue');
});

test('balance, redemption with the balance after, 409 insufficient_points and out_of_stock', async () => {
  const me = await signed();
  const token = await residentLogin(me);
  grant(me, 25);
  const cheap = await item(10, 5);
  let r = await get(`/residents/${me}/points`, token);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.balance, 25);
  assert.ok(Array.isArray(r.json.items));
  for (const expected of [15, 5]) {
    r = await post('/points/redemptions', { resident_id: me, item_id: cheap }, token);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.balance, expected);
  }
  r = await post('/points/redemptions', { resident_id: me, item_id: cheap }, token);
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'insufficient_points');
  assert.equal(await balance(me), 5);
  const last = await item(1, 1);
  assert.equal((await post('/points/redemptions', { resident_id: me, item_id: last }, token)).status, 201);
  r = await post('/points/redemptions', { resident_id: me, item_id: last }, token);
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'out_of_stock');
  const mine = (await get(`/residents/${me}/points`, token)).json;
  assert.equal(mine.balance, 4);
  const spent = mine.items.filter((i) => i.event === 'redemption');
  assert.equal(spent.length, 3);
  assert.deepEqual(spent.map((i) => i.balance_after), [4, 5, 15]);
  assert.ok(spent.every((i) => i.item_name && i.points < 0));
  assert.equal(sql(`SELECT stock FROM points_items WHERE id = ${last}`), '0');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'redeem' AND resident_id = ${me}`), '3');
});

test('20 concurrent redemptions against a balance for exactly 3: three succeed, the balance ends at 0', async () => {
  const me = await signed();
  grant(me, 30);
  const goods = await item(10, 100);
  const answers = await Promise.all(Array.from({ length: 20 }, () => post('/points/redemptions', { resident_id: me, item_id: goods })));
  const codes = answers.map((a) => a.status);
  assert.equal(codes.filter((c) => c === 201).length, 3, codes.join(','));
  assert.equal(codes.filter((c) => c === 409).length, 17);
  assert.ok(answers.filter((a) => a.status === 409).every((a) => a.json.code === 'insufficient_points'));
  assert.ok(answers.filter((a) => a.status === 201).every((a) => a.json.balance >= 0));
  assert.equal(await balance(me), 0);
  assert.equal(sql(`SELECT stock FROM points_items WHERE id = ${goods}`), '97');
  assert.equal(sql(`SELECT min(balance_after) FROM points_ledger WHERE resident_id = ${me}`), '0');
});

test('concurrent redemptions of an item with stock 2 by residents with enough points: exactly 2', async () => {
  const people = [];
  for (let i = 0; i < 5; i++) {
    const id = await signed();
    grant(id, 100);
    people.push(id);
  }
  const scarce = await item(50, 2);
  const answers = await Promise.all(people.map((id) => post('/points/redemptions', { resident_id: id, item_id: scarce })));
  const won = answers.filter((a) => a.status === 201);
  assert.equal(won.length, 2, answers.map((a) => a.status).join(','));
  assert.ok(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.json.code === 'out_of_stock'));
  assert.equal(sql(`SELECT stock FROM points_items WHERE id = ${scarce}`), '0');
  const balances = await Promise.all(people.map(balance));
  assert.equal(balances.filter((b) => b === 50).length, 2);
  assert.equal(balances.filter((b) => b === 100).length, 3);
});

test('a follow-up earns once per event, whatever its records; the county sets the rules', async () => {
  const me = await signed();
  assert.equal((await post('/enrolments', { resident_id: me, program: 'hypertension', start_date: daysAgo(200) })).status, 201);
  const rules = await get('/points/rules');
  assert.equal(rules.status, 200);
  const rule = (event) => rules.json.items.find((i) => i.event === event).points;
  assert.equal(rule('followup_attended'), 10);
  let r = await post('/followups', { resident_id: me, program: 'hypertension', visit_date: daysAgo(40), sbp: 128, dbp: 80 });
  assert.equal(r.status, 201, r.text);
  assert.equal(await balance(me), 10);
  // The same visit recorded again (confirmed as another record of the day): no second award.
  r = await post('/followups', { resident_id: me, program: 'hypertension', visit_date: daysAgo(40), sbp: 126, dbp: 78, confirm_duplicate: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(await balance(me), 10);
  assert.equal(sql(`SELECT count(*) FROM points_ledger WHERE resident_id = ${me} AND event = 'followup_attended'`), '1');
  // The county changes a rule; the next visit earns the new amount.
  assert.equal((await put('/points/rules', { items: [{ event: 'followup_attended', points: 15 }] }, doctor01)).status, 403);
  r = await put('/points/rules', { items: [{ event: 'jogging', points: 5 }] }, county);
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'items[0].event');
  r = await put('/points/rules', { items: [{ event: 'exam_done', points: 50 }, { event: 'followup_attended', points: -1 }] }, county);
  assert.equal(r.json.field, 'items[1].points');
  r = await put('/points/rules', { items: [{ event: 'followup_attended', points: 15 }] }, county);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.find((i) => i.event === 'followup_attended').points, 15);
  r = await post('/followups', { resident_id: me, program: 'hypertension', visit_date: daysAgo(5), sbp: 124, dbp: 76 });
  assert.equal(r.status, 201, r.text);
  assert.equal(await balance(me), 25);
  const ledger = (await get(`/residents/${me}/points`)).json.items;
  assert.deepEqual(ledger.map((i) => [i.event, i.points, i.balance_after]), [['followup_attended', 15, 25], ['followup_attended', 10, 10]]);
  assert.equal((await put('/points/rules', { items: [{ event: 'followup_attended', points: 10 }] }, county)).status, 200);
});

test('who may redeem: the resident, a proxy, their contracted team; nobody else, and no leak', async () => {
  const a = await signed();
  const b = await signed({ household_id: households[a], relation: 'spouse', proxy_consent: true });
  const c = await signed();
  grant(a, 100);
  grant(b, 100);
  const goods = await item(5, 50);
  const tokenA = await residentLogin(a);
  // Another team's doctor, another resident, the centre admin: refused, nothing taken.
  let r = await post('/points/redemptions', { resident_id: a, item_id: goods }, doctor02);
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.code, 'out_of_scope');
  assert.ok(!r.text.includes('积分'), 'no name in the refusal');
  assert.equal((await get(`/residents/${a}/points`, doctor02)).status, 403);
  r = await post('/points/redemptions', { resident_id: c, item_id: goods }, tokenA);
  assert.equal(r.status, 403);
  assert.equal((await get(`/residents/${c}/points`, tokenA)).status, 403);
  assert.equal((await post('/points/redemptions', { resident_id: a, item_id: goods }, town01)).status, 403, 'out of role');
  assert.equal((await post('/points/redemptions', { resident_id: a, item_id: goods }, county)).status, 403, 'out of role');
  assert.equal(await balance(a), 100);
  // A household member with proxy consent may redeem for them.
  r = await post('/points/redemptions', { resident_id: b, item_id: goods }, tokenA);
  assert.equal(r.status, 201, r.text);
  assert.equal(await balance(b), 95);
  // Fields named: a missing or unknown item, an item of another county.
  r = await post('/points/redemptions', { resident_id: a }, tokenA);
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'item_id');
  r = await post('/points/redemptions', { resident_id: a, item_id: 999999 }, tokenA);
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'item_id');
  // A county-wide item (the system admin's), and one offered in another county.
  const countyWide = await post('/points/catalogue', { name: '全县物品', kind: 'service', cost: 1, stock: 5, county_code: '511524' }, admin);
  assert.equal(countyWide.status, 201, countyWide.text);
  assert.equal(countyWide.json.institution_id, null);
  const elsewhere = Number(sql(`INSERT INTO points_items (name, kind, cost, stock, county_code) VALUES ('外县物品', 'goods', 1, 5, '511523') RETURNING id`));
  r = await post('/points/redemptions', { resident_id: a, item_id: elsewhere }, tokenA);
  assert.equal(r.status, 403);
  assert.equal(r.json.field, 'item_id');
  // The resident's own catalogue is their county's.
  const mine = (await get('/points/catalogue', tokenA)).json.items;
  assert.ok(!mine.some((i) => i.id === elsewhere));
  assert.ok(mine.some((i) => i.id === countyWide.json.id));
  assert.equal((await post('/points/redemptions', { resident_id: a, item_id: goods }, tokenA)).status, 201);
});
