// Lists read by more than one plan (issue 23, docs/architecture.md "Plans"): the referral
// desks (a hospital's side read down its own index, with or without a status), the
// family-doctor side (a township or more newest first, a narrower scope from its residents)
// and the contract lists (a township counted from its residents, a page of one status down
// the status index). Whichever plan the server picks, the answer must be the database's own:
// every row of the scope that matches, in the list's order, and the exact total.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, dbJson } from '../lib/server.mjs';
import { daysAhead } from '../lib/clock.mjs';

let demo, s;
const users = {}; // username -> { token, id }
const sql = (query) => dbJson(demo.db, query);

before(async () => {
  demo = makeDemo({ residents: 3000 });
  s = await startServer(demo.db);
  for (const name of ['doctor01', 'village01', 'town01', 'hospital01']) {
    users[name] = { token: await s.login(name), id: Number(sql(`SELECT id FROM users WHERE username = '${name}'`)[0].id) };
  }
});
after(async () => {
  assert.equal(await s.stop(), 0);
  cleanup(demo.dir);
});

const get = async (path, user) => {
  const r = await s.request('GET', `/api/v1${path}`, { token: users[user].token });
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
};

// A list user's residents by the schema's definition (user_scope; lists hold no team's
// cross-grid signers, which are reached one by one).
const inScope = (user) => `(SELECT r.id FROM residents r WHERE EXISTS (SELECT 1 FROM user_scope s
  WHERE s.user_id = ${users[user].id} AND r.region >= s.code AND r.region < s.code || ';'
  AND (s.subtree = 1 OR r.region = s.code)))`;
const ids = (rows) => rows.map((r) => Number(r.id));

test('referral lists: every side, status and scope equals the database, newest first', async () => {
  const hospital = Number(sql(`SELECT institution_id FROM staff s JOIN users u ON u.id = s.user_id WHERE u.username = 'hospital01'`)[0].institution_id);
  const order = 'ORDER BY referred_on DESC, id DESC LIMIT 500';
  const desk = [
    ['side=incoming', `to_institution_id = ${hospital}`],
    ['side=outgoing', `from_institution_id = ${hospital}`],
    ['', `(to_institution_id = ${hospital} OR from_institution_id = ${hospital})`],
  ];
  let rows = 0;
  for (const [query, where] of desk) {
    for (const status of ['', 'requested', 'closed']) {
      const got = await get(`/referrals?${query}${status ? `&status=${status}` : ''}`, 'hospital01');
      const want = sql(`SELECT id FROM referrals WHERE ${where}${status ? ` AND status = '${status}'` : ''} ${order}`);
      assert.deepEqual(ids(got.items), ids(want), `hospital01 ${query} ${status}`);
      rows += want.length;
    }
  }
  const sides = [['', ''], ['side=incoming', "AND direction = 'down'"], ['side=outgoing', "AND direction = 'up'"]];
  for (const user of ['doctor01', 'village01', 'town01']) {
    for (const [query, where] of sides) {
      const got = await get(`/referrals?${query}`, user);
      const want = sql(`SELECT id FROM referrals WHERE resident_id IN ${inScope(user)} ${where} ${order}`);
      assert.deepEqual(ids(got.items), ids(want), `${user} ${query}`);
      rows += want.length;
    }
  }
  assert.ok(rows > 100, `${rows} referrals compared`);
});

test('contract lists: current, one status and expiring, by a doctor, a village and a township', async () => {
  const within = daysAhead(60);
  const cases = [
    ['', "status IN ('active', 'scheduled')"],
    ['status=active', "status = 'active'"],
    ['status=expired', "status = 'expired'"],
    ['expiring_within=60', `status IN ('active', 'scheduled') AND end_date <= '${within}'`],
    ['status=active&expiring_within=60', `status = 'active' AND end_date <= '${within}'`],
  ];
  let compared = 0;
  for (const user of ['doctor01', 'village01', 'town01']) {
    for (const [query, where] of cases) {
      const got = await get(`/contracts?limit=50&${query}`, user);
      const want = sql(`SELECT id FROM contracts WHERE resident_id IN ${inScope(user)} AND ${where} ORDER BY end_date, id`);
      assert.equal(got.total, want.length, `${user} ${query}: total`);
      assert.deepEqual(ids(got.items), ids(want.slice(0, 50)), `${user} ${query}`);
      compared += want.length;
    }
  }
  assert.ok(compared > 500, `${compared} contracts compared`);
});
