// Surveys (issue 16): the two questionnaires shipped, scoring with the reverse-scored items
// the questionnaire declares, validation naming the field, the resident on the portal and a
// call-back only by someone outside the rated team, what is due, a team's results, and the
// indicators that read the answers (satisfaction_rate, trust_score_mean).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, PASSWORD, dbSql } from '../lib/server.mjs';
import { TODAY, YEAR } from '../lib/clock.mjs';

let demo, s, doctor01, village01, callback, team, gp, me, other, token;
const CELL = '51152410100101';
const sql = (q) => dbSql(demo.db, q);
const post = (body, tok = token) => s.request('POST', '/api/v1/survey-responses', { token: tok, body });
const get = (path, tok = doctor01) => s.request('GET', `/api/v1${path}`, { token: tok });
const all = (n, value) => Array.from({ length: n }, (_, i) => ({ n: i + 1, value }));
const trust = (answers, extra = {}) => ({ questionnaire: 'wake_forest_trust_10', resident_id: me, answers, ...extra });
const indicator = async (code) => (await get(`/indicators?scope=team:${team}&period=${YEAR}&codes=${code}`)).json.items[0];

let seq = 0;
async function signed() {
  seq++;
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '问卷' + seq, id_number: idNumber('1950-06-1' + seq, 500 + 2 * seq + 1), region: CELL } });
  assert.equal(r.status, 201, r.text);
  const c = await s.request('POST', '/api/v1/contracts', { token: doctor01, body: { resident_id: r.json.id, team_id: team, doctor_id: gp, start_date: TODAY, channel: 'clinic', packages: ['BASIC'] } });
  assert.equal(c.status, 201, c.text);
  return r.json.id;
}

before(async () => {
  demo = makeDemo({ residents: 0, name: 'surveys' });
  // Someone independent of the rated team who may call residents back: a township-wide
  // village doctor on no team.
  jiayi(['user', 'add', '--db', demo.db, '--username', 'caller1', '--role', 'village_doctor', '--name', '回访员',
    '--region', '511524101', '--password', PASSWORD]);
  s = await startServer(demo.db);
  [doctor01, village01, callback] = await Promise.all(['doctor01', 'village01', 'caller1'].map((u) => s.login(u)));
  const session = (await get('/session')).json.user;
  team = session.teams[0];
  gp = session.staff_id;
  me = await signed();
  other = await signed();
  sql(`INSERT INTO users (username, password_hash, role, display_name, resident_id) SELECT 'svy${me}', password_hash, 'resident', '居民', ${me} FROM users WHERE username = 'admin'`);
  token = await s.login(`svy${me}`);
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('both questionnaires ship, Wake Forest with its reverse-scored items declared', async () => {
  const r = await get('/questionnaires', token);
  assert.equal(r.status, 200, r.text);
  const wf = r.json.items.find((q) => q.code === 'wake_forest_trust_10');
  const sat = r.json.items.find((q) => q.code === 'satisfaction_service');
  assert.ok(wf && sat);
  assert.equal(wf.items.length, 10);
  assert.ok(wf.items.every((i) => i.scale_min === 1 && i.scale_max === 5 && i.text));
  assert.deepEqual(wf.items.filter((i) => i.reverse).map((i) => i.n), [2, 3, 8]);
  assert.deepEqual(wf.dimensions.map((d) => d.code), ['benevolence', 'competence']);
  assert.match(wf.items[2].text, /水平没有达到/);
  assert.ok(sat.items.length >= 5);
  assert.ok(new Set(sat.items.map((i) => i.dimension)).size >= 4, 'satisfaction by dimension');
  const en = await s.request('GET', '/api/v1/questionnaires', { token, headers: { 'Accept-Language': 'en' } });
  assert.match(en.json.items.find((q) => q.code === 'wake_forest_trust_10').items[9].text, /trust/);
});

test('validation names the field: items missing, repeated, unknown or off the scale', async () => {
  let r = await post(trust(all(9, 3)));
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'missing_answer');
  assert.equal(r.json.field, 'answers');
  assert.equal(r.json.value, '10');
  r = await post(trust([...all(10, 3), { n: 4, value: 2 }]));
  assert.equal(r.json.field, 'answers[10].n');
  r = await post(trust(all(10, 3).map((a) => (a.n === 6 ? { n: 6, value: 6 } : a))));
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'answers[5].value');
  r = await post(trust([{ n: 1 }, ...all(10, 3).slice(1)]));
  assert.equal(r.json.field, 'answers[0].value');
  r = await post(trust(all(10, 3), { questionnaire: 'iq_test' }));
  assert.equal(r.json.field, 'questionnaire');
  r = await post({ questionnaire: 'wake_forest_trust_10', resident_id: me });
  assert.equal(r.json.code, 'missing_field');
  assert.equal(r.json.field, 'answers');
  r = await post(trust(all(10, 3), { channel: 'email' }));
  assert.equal(r.json.field, 'channel');
  assert.equal(sql(`SELECT count(*) FROM survey_responses`), '0', 'nothing half-written');
});

test('the resident answers on the portal: reverse items scored min + max - value; due, then answered', async () => {
  let due = await get(`/residents/${me}/surveys`, token);
  assert.equal(due.status, 200, due.text);
  assert.deepEqual(due.json.due.map((d) => d.questionnaire).sort(), ['satisfaction_service', 'wake_forest_trust_10']);
  // "Agree" (4) with everything: the three distrustful items count 2 each: 7 x 4 + 3 x 2.
  let r = await post(trust(all(10, 4)));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.total, 34);
  assert.equal(r.json.min_total, 10);
  assert.equal(r.json.max_total, 50);
  assert.equal(r.json.channel, 'portal');
  assert.equal(r.json.team_id, team);
  const dims = Object.fromEntries(r.json.dimensions.map((d) => [d.code, d.mean]));
  assert.equal(dims.benevolence, (4 + 2 + 4 + 4 + 2) / 5);
  assert.equal(dims.competence, (2 + 4 + 4 + 4 + 4) / 5);
  assert.deepEqual(sql(`SELECT group_concat(scored) FROM (SELECT scored FROM survey_answers WHERE response_id = ${r.json.id} ORDER BY n) sub`), '4,2,2,4,4,4,4,2,4,4');
  // Again before its interval: refused.
  r = await post(trust(all(10, 5)));
  assert.equal(r.status, 409);
  assert.equal(r.json.code, 'survey_not_due');
  due = (await get(`/residents/${me}/surveys`, token)).json;
  assert.deepEqual(due.due.map((d) => d.questionnaire), ['satisfaction_service']);
  assert.equal(due.answered[0].questionnaire, 'wake_forest_trust_10');
  assert.equal(due.answered[0].total, 34);
  // A resident answers for nobody else, and never as a call-back.
  r = await post(trust(all(10, 4), { resident_id: other }));
  assert.equal(r.status, 403);
  r = await post({ questionnaire: 'satisfaction_service', resident_id: me, channel: 'phone_callback', answers: all(6, 5) });
  assert.equal(r.status, 403);
  assert.equal((await get(`/residents/${other}/surveys`, token)).status, 403);
});

test('a call-back only by someone outside the rated team', async () => {
  for (const tok of [doctor01, village01]) {
    const r = await post(trust(all(10, 5), { resident_id: other, channel: 'phone_callback' }), tok);
    assert.equal(r.status, 403, r.text);
    assert.equal(r.json.code, 'rater_on_team');
  }
  let r = await post(trust(all(10, 5), { resident_id: other, channel: 'portal' }), callback);
  assert.equal(r.status, 403, 'staff do not speak as the resident');
  // Complete trust: agree with the trusting items, disagree with the others.
  r = await post(trust([5, 1, 1, 5, 5, 5, 5, 1, 5, 5].map((value, i) => ({ n: i + 1, value })), { resident_id: other }), callback);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.channel, 'phone_callback');
  assert.equal(r.json.total, 50);
});

test('the satisfaction survey feeds satisfaction_rate; the trust totals trust_score_mean and the team\'s results', async () => {
  const before = await indicator('satisfaction_rate');
  let r = await post({ questionnaire: 'satisfaction_service', resident_id: me, answers: [5, 4, 4, 3, 5, 5].map((value, i) => ({ n: i + 1, value })) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.satisfaction_recorded, true);
  assert.equal(sql(`SELECT score || ',' || channel FROM satisfaction_answers WHERE resident_id = ${me}`), '5,resident');
  const after = await indicator('satisfaction_rate');
  assert.equal(after.denominator, before.denominator + 1);
  assert.equal(after.numerator, before.numerator + 1);
  const mean = await indicator('trust_score_mean');
  assert.equal(mean.code, 'trust_score_mean');
  assert.equal(mean.denominator, 2);
  assert.equal(mean.value, (34 + 50) / 2);
  const res = await get(`/teams/${team}/survey-results?questionnaire=wake_forest_trust_10`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.n, 2);
  assert.equal(res.json.mean_total, 42);
  assert.equal(res.json.items.length, 10);
  assert.equal(res.json.items.find((i) => i.n === 2).mean, (2 + 5) / 2, 'item means of scored values');
  assert.deepEqual(res.json.dimensions.map((d) => d.code), ['benevolence', 'competence']);
  const sat = await get(`/teams/${team}/survey-results?questionnaire=satisfaction_service`);
  assert.equal(sat.json.n, 1);
  assert.equal(sat.json.dimensions.length, 6);
  assert.equal((await get(`/teams/${team}/survey-results`)).json.field, 'questionnaire');
  assert.equal((await get(`/teams/${team}/survey-results?questionnaire=wake_forest_trust_10&from=soon`)).json.field, 'from');
  assert.equal((await get(`/teams/${team}/survey-results?questionnaire=wake_forest_trust_10`, token)).status, 403, 'a resident reads no team results');
});
