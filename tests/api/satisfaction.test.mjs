// Satisfaction answers cannot be stuffed: the rated team's own staff are refused whatever
// the channel, a resident answers once a quarter for themself, a named team must be the
// one the resident signed with, and the indicator counts only what was accepted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, dbSql } from '../lib/server.mjs';
import { TODAY, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor, village, resident, me, team;
const sql = (q) => dbSql(demo.db, q);
const post = (token, body) => s.request('POST', '/api/v1/satisfaction', { token, body });
// The first day n*92 days back whose calendar quarter resident01 has not answered yet (the
// demo's own survey may have answered some), n counting from `from`.
const quarterOf = (day) => { const [y, m] = day.split('-').map(Number); const q = Math.floor((m - 1) / 3); return [`${y}-${String(q * 3 + 1).padStart(2, '0')}-01`, `${y}-${String(q * 3 + 3).padStart(2, '0')}-31`]; };
function freeDay(from) {
  for (let n = from; ; n++) {
    const day = daysAgo(n * 92);
    const [a, b] = quarterOf(day);
    if (sql(`SELECT count(*) FROM satisfaction_answers WHERE resident_id = ${me} AND answered_on BETWEEN '${a}' AND '${b}'`) === '0') return day;
  }
}
const answers = () => Number(sql(`SELECT count(*) FROM satisfaction_answers WHERE resident_id = ${me}`));

before(async () => {
  demo = makeDemo({ residents: 200, name: 'satisfaction' });
  s = await startServer(demo.db);
  [doctor, village, resident] = await Promise.all(['doctor01', 'village01', 'resident01'].map((u) => s.login(u)));
  me = Number(sql(`SELECT resident_id FROM users WHERE username = 'resident01'`));
  team = Number(sql(`SELECT team_id FROM contracts WHERE resident_id = ${me} AND status = 'active'`));
  assert.ok(team > 0, 'resident01 is signed with doctor01\'s team');
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('the rated team\'s own staff cannot record answers about their team, by any channel', async () => {
  const before = answers();
  for (const [token, channel] of [[doctor, undefined], [doctor, 'survey'], [doctor, 'phone_callback'], [village, 'phone_callback']]) {
    const r = await post(token, { resident_id: me, answered_on: TODAY, score: 5, channel });
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.code, 'rater_on_team');
  }
  // Nor can staff speak as the resident.
  const r = await post(doctor, { resident_id: me, answered_on: TODAY, score: 5, channel: 'resident' });
  assert.equal(r.status, 403);
  assert.equal(answers(), before);
});

test('a resident answers for themself once a quarter, about the team they signed with', async () => {
  const before = answers();
  let r = await post(resident, { resident_id: me, answered_on: TODAY, score: 4, team_id: team + 1 });
  assert.equal(r.status, 422, 'another team than the contract\'s');
  assert.equal(r.json.field, 'team_id');
  r = await post(resident, { resident_id: me, answered_on: TODAY, score: 4, channel: 'survey' });
  assert.equal(r.status, 403, 'a resident cannot pose as a survey');
  const day = freeDay(0);
  r = await post(resident, { resident_id: me, answered_on: day, score: 4 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.channel, 'resident');
  assert.equal(r.json.team_id, team);
  r = await post(resident, { resident_id: me, answered_on: day, score: 5 });
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'duplicate_answer');
  r = await post(resident, { resident_id: me, answered_on: freeDay(1), score: 5 });
  assert.equal(r.status, 201, r.text);
  assert.equal(answers(), before + 2);
  assert.equal(sql(`SELECT group_concat(DISTINCT channel) FROM satisfaction_answers WHERE resident_id = ${me} AND recorded_by IS NOT NULL`), 'resident');
});

test('parallel answers of one resident in one quarter: exactly one is stored', async () => {
  const day = freeDay(1);
  const before = answers();
  const results = await Promise.all(Array.from({ length: 8 }, () => post(resident, { resident_id: me, answered_on: day, score: 5 })));
  assert.equal(results.filter((r) => r.status === 201).length, 1, results.map((r) => r.status).join(','));
  assert.ok(results.every((r) => r.status === 201 || r.status === 409));
  assert.equal(answers(), before + 1);
});
