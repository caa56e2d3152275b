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

test('census rates: households and those visited (since a day or ever) per child place equal the database', async () => {
  const truth = (user, region, childLength, since) => sql(`SELECT substr(h.region, 1, ${childLength}) AS region,
      count(*) AS households, sum(EXISTS (SELECT 1 FROM census_visits c WHERE c.household_id = h.id
        ${since ? `AND c.visit_date >= '${since}'` : ''})) AS visited
    FROM households h WHERE h.region LIKE '${region}%' AND length(h.region) >= ${childLength}
      AND EXISTS (SELECT 1 FROM user_scope s WHERE s.user_id = ${users[user].id} AND h.region >= s.code
        AND h.region < s.code || ';' AND (s.subtree = 1 OR h.region = s.code))
    GROUP BY 1 ORDER BY 1`).map((r) => ({ region: r.region, households: Number(r.households), visited: Number(r.visited) }));
  const rates = async (user, region, since) => (await get(`/census-rates?region=${region}${since ? `&since=${since}` : ''}`, user))
    .items.map((x) => ({ region: x.region, households: x.households, visited: x.visited }));
  const since = sql('SELECT visit_date FROM census_visits ORDER BY visit_date LIMIT 1 OFFSET (SELECT count(*) / 2 FROM census_visits)')[0].visit_date;
  for (const [user, region, child] of [['town01', '511524101', 12], ['town01', '511524', 9], ['village01', '511524101', 12]]) {
    for (const day of [null, since]) assert.deepEqual(await rates(user, region, day), truth(user, region, child, day), `${user} ${region} ${day}`);
  }
  const before = await rates('town01', '511524101', null);
  assert.ok(before.some((x) => x.visited > 0 && x.visited < x.households), JSON.stringify(before));
  // A household never visited counts the moment its first visit is written; an older visit
  // of a household visited since leaves "visited since" as it was.
  const never = sql(`SELECT h.id, h.region FROM households h WHERE h.region LIKE '511524101001%' AND NOT EXISTS
    (SELECT 1 FROM census_visits c WHERE c.household_id = h.id) LIMIT 1`)[0];
  assert.ok(never, 'a household of village 511524101001 not visited yet');
  const visit = await s.request('POST', '/api/v1/census-visits', { token: users.village01.token, body: { household_id: Number(never.id), visit_date: since } });
  assert.equal(visit.status, 201, visit.text);
  const older = await s.request('POST', '/api/v1/census-visits', { token: users.village01.token, body: { household_id: Number(never.id), visit_date: '2020-01-01' } });
  assert.equal(older.status, 201, older.text);
  for (const day of [null, since]) assert.deepEqual(await rates('town01', '511524101', day), truth('town01', '511524101', 12, day));
  const after = await rates('town01', '511524101', null);
  assert.equal(after.find((x) => x.region === '511524101001').visited, before.find((x) => x.region === '511524101001').visited + 1);
});

test('name search: one character, a pair, a whole name, paged, equals the database; a new name is found at once', async () => {
  // Queries drawn from the county's own names: its commonest surname, a common pair of a
  // given name, a whole name and a pair from inside one.
  const names = sql(`SELECT name FROM residents WHERE region LIKE '511524101%' ORDER BY id LIMIT 400`).map((r) => r.name);
  const chars = (n) => [...n];
  const surname = sql('SELECT substr(name, 1, 1) AS s FROM residents GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1')[0].s;
  const pair = sql(`SELECT substr(name, 2, 2) AS s FROM residents WHERE length(name) = 3 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)[0].s;
  const queries = [surname, pair, names[23], chars(names[31]).slice(1, 3).join('')];
  let compared = 0;
  for (const user of ['town01', 'doctor01', 'village01']) {
    for (const q of queries) {
      const want = sql(`SELECT id FROM residents WHERE id IN ${inScope(user)} AND name LIKE '%${q}%' ORDER BY id`).map((r) => Number(r.id));
      const seen = [];
      let cursor = '';
      for (let page = 0; page < 50; page++) {
        const r = await get(`/residents?q=${encodeURIComponent(q)}&limit=40${cursor ? `&cursor=${cursor}` : ''}`, user);
        assert.equal(r.total, want.length, `${user} "${q}": total`);
        seen.push(...r.items.map((x) => x.id));
        if (!r.next_cursor) break;
        cursor = r.next_cursor;
      }
      assert.deepEqual(seen, want, `${user} "${q}"`);
      compared += want.length;
    }
  }
  assert.ok(compared > 30, `${compared} found`);
  // Renamed: found by the new name at once, no longer by the old one.
  const someone = sql(`SELECT id, name FROM residents WHERE id IN ${inScope('village01')} ORDER BY id LIMIT 1`)[0];
  const renamed = await s.request('PATCH', `/api/v1/residents/${someone.id}`, { token: users.village01.token, body: { name: '欧阳娜娜' } });
  assert.equal(renamed.status, 200, renamed.text);
  const found = await get(`/residents?q=${encodeURIComponent('阳娜')}`, 'village01');
  assert.ok(found.items.some((x) => x.id === Number(someone.id)), 'found by a pair inside the new name');
  const old = await get(`/residents?q=${encodeURIComponent(someone.name)}`, 'village01');
  assert.ok(!old.items.some((x) => x.id === Number(someone.id)), 'not found by the old name');
});
