// The team's income shared among its members (二次分配, issue 19; seed 004: the team lead
// shares the team's part after the assessment): by weight, exact to the fen; by hand, adding
// up to the pool; members only; one a team and period; who may share.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, dbJson, jiayi, PASSWORD } from '../lib/server.mjs';

let demo, s, lead, town01, doctor01, team, members, other;
const sql = (q) => dbJson(demo.db, q);

before(async () => {
  demo = makeDemo({ residents: 0, name: 'allocations' });
  team = sql("SELECT tm.team_id AS t FROM team_members tm JOIN staff st ON st.id = tm.staff_id JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor01'")[0].t;
  members = sql(`SELECT staff_id AS id FROM team_members WHERE team_id = ${team} ORDER BY staff_id`).map((m) => m.id);
  other = sql(`SELECT staff_id AS id FROM team_members WHERE team_id <> ${team} ORDER BY staff_id LIMIT 1`)[0].id;
  const spare = sql(`SELECT st.id FROM team_members tm JOIN staff st ON st.id = tm.staff_id WHERE tm.team_id = ${team} AND st.user_id IS NULL ORDER BY st.id LIMIT 1`)[0].id;
  jiayi(['user', 'add', '--db', demo.db, '--username', 'lead9', '--role', 'team_lead', '--name', '组长', '--password', PASSWORD, '--staff', String(spare)]);
  s = await startServer(demo.db);
  [lead, town01, doctor01] = await Promise.all(['lead9', 'town01', 'doctor01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

const share = (body, token = lead) => s.request('POST', `/api/v1/teams/${team}/allocations`, { token, body });

test('by weight: exact to the fen, the largest remainders first', async () => {
  assert.ok(members.length >= 3, 'a team of three or more');
  const [a, b, c] = members;
  const r = await share({ period: '2026-Q3', pool_fen: 10000, note: '季度考核后分配', shares: [{ staff_id: a, weight: 1 }, { staff_id: b, weight: 1 }, { staff_id: c, weight: 1 }] });
  assert.equal(r.status, 201, r.text);
  const amounts = Object.fromEntries(r.json.shares.map((x) => [x.staff_id, x.amount_fen]));
  assert.deepEqual([amounts[a], amounts[b], amounts[c]], [3334, 3333, 3333]);
  assert.equal(r.json.shares.reduce((sum, x) => sum + x.amount_fen, 0), 10000);
  assert.deepEqual([(await share({ period: '2026-Q3', pool_fen: 1, shares: [{ staff_id: a, weight: 1 }] })).json.code], ['allocation_exists']);
  const list = await s.request('GET', `/api/v1/teams/${team}/allocations`, { token: doctor01 });
  assert.deepEqual(list.json.items.map((x) => x.period), ['2026-Q3'], 'members see their team\'s');
});

test('by hand: the amounts must make up the pool; bad input names its field', async () => {
  const [a, b] = members;
  let r = await share({ period: '2026', pool_fen: 8000, shares: [{ staff_id: a, amount_fen: 5000 }, { staff_id: b, amount_fen: 3000 }] }, town01);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.shares.map((x) => [x.amount_fen, x.weight]), [[5000, null], [3000, null]]);
  for (const [body, field] of [
    [{ period: '2026-H1', pool_fen: 8000, shares: [{ staff_id: a, amount_fen: 5000 }, { staff_id: b, amount_fen: 2999 }] }, 'shares'],
    [{ period: '2026-H1', pool_fen: 8000, shares: [{ staff_id: a, amount_fen: 8000 }, { staff_id: b, weight: 1 }] }, 'shares[1]'],
    [{ period: '2026-H1', pool_fen: 8000, shares: [{ staff_id: a, weight: 0 }] }, 'shares'],
    [{ period: '2026-H1', pool_fen: 8000, shares: [{ staff_id: other, weight: 1 }] }, 'shares[0].staff_id'],
    [{ period: '2026-H1', pool_fen: 8000, shares: [{ staff_id: a, weight: 1 }, { staff_id: a, weight: 1 }] }, 'shares[1]'],
    [{ period: '2026-Q5', pool_fen: 8000, shares: [{ staff_id: a, weight: 1 }] }, 'period'],
    [{ period: '2026-H1', pool_fen: -1, shares: [{ staff_id: a, weight: 1 }] }, 'pool_fen'],
    [{ period: '2026-H1', pool_fen: 8000 }, 'shares'],
  ]) {
    r = await share(body);
    assert.deepEqual([r.status, r.json.field], [422, field], JSON.stringify(body));
  }
  assert.equal(sql(`SELECT count(*) AS n FROM allocations WHERE period = '2026-H1'`)[0].n, 0);
  // A doctor shares nothing; another team's lead cannot share this team's.
  assert.equal((await share({ period: '2026-H2', pool_fen: 100, shares: [{ staff_id: a, weight: 1 }] }, doctor01)).status, 403);
});
