// The team's service group, consultations and reminders (issue 16, docs/resident-loop.md),
// over HTTP against a real server: a team publishes content to its signed residents (or a
// programme's), one recipient row and one outbox message each; a resident reads it and the
// first read is the receipt; another team, another resident and a member of staff are
// refused. A resident consults their team: the first staff reply sets the first response and
// goes out through the outbox; the team's list puts what waits first; closing ends it. The
// reminder pass writes one reminder per task and stage, is idempotent, and a task that closes
// takes back its unsent reminder; the effect route compares reminded with unreminded tasks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, PASSWORD, dbSql } from '../lib/server.mjs';
import { TODAY, daysAgo, daysAhead } from '../lib/clock.mjs';

const CELL = '51152410100101';
let demo, s, doctor01, doctor02, county, team, gp, otherTeam;
const people = {}; // name -> { id, token? }
const sqlite = (sql) => dbSql(demo.db, sql);
const num = (sql) => Number(sqlite(sql));
const req = (method, path, token, body) => s.request(method, `/api/v1${path}`, { token, body });

let seq = 0;
async function resident(name, { token = doctor01, region = CELL, signTeam = team, signDoctor = gp, login = false } = {}) {
  const r = await req('POST', '/residents', token, { name, id_number: idNumber('1958-04-0' + (1 + (seq % 9)), 301 + 2 * seq++), region, phone: `1390000${String(1000 + seq)}` });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  if (signTeam) {
    const c = await req('POST', '/contracts', token, { resident_id: id, team_id: signTeam, doctor_id: signDoctor, packages: ['BASIC'], start_date: TODAY, channel: 'clinic' });
    assert.equal(c.status, 201, c.text);
  }
  const person = { id };
  if (login) {
    const username = `res${id}`;
    jiayi(['user', 'add', '--db', demo.db, '--username', username, '--role', 'resident', '--name', name, '--resident', String(id), '--password', PASSWORD]);
    person.token = await s.login(username);
  }
  people[name] = person;
  return person;
}

before(async () => {
  demo = makeDemo({ residents: 0, name: 'service' });
  // A webhook nobody listens on: whatever the delivery worker does, nothing is sent, so an
  // unsent reminder is still there for its task's closing to take back.
  s = await startServer(demo.db, { env: { JIAYI_OUTBOX: 'http://127.0.0.1:9/outbox' } });
  [doctor01, doctor02, county] = await Promise.all(['doctor01', 'doctor02', 'county'].map((u) => s.login(u)));
  const me = (await req('GET', '/session', doctor01)).json.user;
  [team, gp] = [me.teams[0], me.staff_id];
  const other = (await req('GET', '/session', doctor02)).json.user;
  otherTeam = other.teams[0];
  await resident('高血压甲', { login: true });
  await resident('签约乙', { login: true });
  await resident('签约丙');
  await resident('未签丁', { signTeam: 0, login: true });
  await resident('外镇戊', { token: doctor02, region: '51152410200101', signTeam: otherTeam, signDoctor: other.staff_id });
  const e = await req('POST', '/enrolments', doctor01, { resident_id: people['高血压甲'].id, program: 'hypertension', start_date: daysAgo(100) });
  assert.equal(e.status, 201, e.text);
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let forAll, forHypertension;

test('a team publishes to its signed residents, or a programme\'s: one recipient row and one outbox message each', async () => {
  const all = await req('POST', `/teams/${team}/content`, doctor01, { kind: 'notice', title: '流感疫苗接种通知', body: '本周六上午在卫生院接种流感疫苗。' });
  assert.equal(all.status, 201, all.text);
  assert.equal(all.json.recipients, 3, 'the three residents signed with the team, not the unsigned one');
  forAll = all.json.id;
  const htn = await req('POST', `/teams/${team}/content`, doctor01, { kind: 'article', title: '高血压患者的饮食', body: '少盐少油。', audience: { program: 'hypertension' } });
  assert.equal(htn.status, 201, htn.text);
  assert.equal(htn.json.recipients, 1);
  forHypertension = htn.json.id;
  const cls = await req('POST', `/teams/${team}/content`, doctor01, { kind: 'package', title: '老年人服务包', body: '…', audience: { population_class: 1, cell_id: CELL } });
  assert.equal(cls.status, 201, cls.text);
  assert.equal(cls.json.recipients, num(`SELECT count(*) FROM residents WHERE population_class = 1 AND id IN (${['高血压甲', '签约乙', '签约丙'].map((n) => people[n].id)})`));

  const keys = sqlite(`SELECT key FROM outbox WHERE kind = 'content' AND source_kind = 'content' AND source_id = ${forAll} ORDER BY resident_id`).split('\n');
  const signed = ['高血压甲', '签约乙', '签约丙'].map((n) => people[n].id).sort((a, b) => a - b);
  assert.deepEqual(keys, signed.map((id) => `content:${forAll}:resident:${id}`));
  assert.equal(num(`SELECT count(*) FROM content_recipients WHERE content_id = ${forHypertension}`), 1);
  assert.equal(num(`SELECT resident_id FROM outbox WHERE source_kind = 'content' AND source_id = ${forHypertension}`), people['高血压甲'].id);

  const list = await req('GET', `/teams/${team}/content`, doctor01);
  assert.equal(list.status, 200, list.text);
  const item = list.json.items.find((x) => x.id === forAll);
  assert.deepEqual([item.recipients, item.read, item.read_rate, item.kind, item.title], [3, 0, 0, 'notice', '流感疫苗接种通知']);
  assert.equal(list.json.items.find((x) => x.id === forHypertension).audience.program, 'hypertension');
});

test('publishing is refused for another team, names a bad field, and writes nothing', async () => {
  const before = num('SELECT count(*) FROM content_items') + ':' + num('SELECT count(*) FROM outbox');
  const foreign = await req('POST', `/teams/${team}/content`, doctor02, { kind: 'notice', title: '越界', body: 'x' });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.json.code, 'out_of_scope');
  const bad = await req('POST', `/teams/${team}/content`, doctor01, { kind: 'advert', title: 'x', body: 'x' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'kind');
  const cell = await req('POST', `/teams/${team}/content`, doctor01, { kind: 'notice', title: 'x', body: 'x', audience: { cell_id: '51152499999999' } });
  assert.equal(cell.status, 422);
  assert.equal(cell.json.field, 'audience.cell_id');
  const cls = await req('POST', `/teams/${team}/content`, doctor01, { kind: 'notice', title: 'x', body: 'x', audience: { population_class: 4 } });
  assert.equal(cls.json.field, 'audience.population_class');
  const resident = await req('POST', `/teams/${team}/content`, people['签约乙'].token, { kind: 'notice', title: 'x', body: 'x' });
  assert.equal(resident.status, 403);
  assert.equal(num('SELECT count(*) FROM content_items') + ':' + num('SELECT count(*) FROM outbox'), before);
});

test('a resident reads their items; the first read is the receipt, counted once', async () => {
  const me = people['高血压甲'];
  const mine = await req('GET', `/residents/${me.id}/content`, me.token);
  assert.equal(mine.status, 200, mine.text);
  const sent = num(`SELECT count(*) FROM content_recipients WHERE resident_id = ${me.id}`);
  assert.ok(sent >= 2);
  assert.equal(mine.json.unread, sent, 'nothing read yet');
  assert.equal(mine.json.items.length, sent);
  const item = mine.json.items.find((x) => x.id === forAll);
  assert.ok(item.team_name && item.body && item.published_at && item.read_at === null);

  const read = await req('POST', `/content/${forAll}/read`, me.token, { resident_id: me.id });
  assert.equal(read.status, 204, read.text);
  const at = sqlite(`SELECT read_at FROM content_recipients WHERE content_id = ${forAll} AND resident_id = ${me.id}`);
  assert.match(at, /^\d{4}-\d\d-\d\dT/);
  assert.equal((await req('POST', `/content/${forAll}/read`, me.token, { resident_id: me.id })).status, 204);
  assert.equal(sqlite(`SELECT read_at FROM content_recipients WHERE content_id = ${forAll} AND resident_id = ${me.id}`), at, 'a later read changes nothing');
  assert.equal(num(`SELECT count(*) FROM audit_log WHERE resource = 'content_read' AND resident_id = ${me.id}`), 1);

  const list = (await req('GET', `/teams/${team}/content`, doctor01)).json.items.find((x) => x.id === forAll);
  assert.equal(list.read, 1);
  assert.ok(Math.abs(list.read_rate - 1 / 3) < 1e-9);
  assert.equal((await req('GET', `/residents/${me.id}/content`, me.token)).json.unread, sent - 1);

  // The receipts per resident: the unread first, the reader last with the time.
  const receipts = await req('GET', `/content/${forAll}/receipts`, doctor01);
  assert.equal(receipts.status, 200, receipts.text);
  assert.deepEqual([receipts.json.recipients, receipts.json.read], [3, 1]);
  assert.deepEqual(receipts.json.items.map((x) => x.read_at !== null), [false, false, true]);
  assert.equal(receipts.json.items[2].resident_id, me.id);
  assert.equal(receipts.json.items[2].read_at, at);
  assert.equal((await req('GET', `/content/${forAll}/receipts`, me.token)).status, 403, 'not for a resident');
  assert.equal((await req('GET', `/content/${forAll}/receipts`, doctor02)).status, 403, 'not for another team');
  assert.equal((await req('GET', '/content/999999/receipts', doctor01)).status, 404);
});

test('reading is refused for another resident, an item not sent to them, and staff', async () => {
  const other = people['签约乙'];
  const theirs = await req('POST', `/content/${forAll}/read`, other.token, { resident_id: people['高血压甲'].id });
  assert.equal(theirs.status, 403);
  assert.equal((await req('GET', `/residents/${people['高血压甲'].id}/content`, other.token)).status, 403);
  const notSent = await req('POST', `/content/${forHypertension}/read`, other.token, { resident_id: other.id });
  assert.equal(notSent.status, 404);
  const staff = await req('POST', `/content/${forAll}/read`, doctor01, { resident_id: other.id });
  assert.equal(staff.status, 403);
  assert.equal(staff.json.code, 'out_of_role');
  assert.equal((await req('GET', `/teams/${team}/content`, doctor02)).status, 403, 'another township\'s doctor');
  assert.equal((await req('GET', `/residents/${people['外镇戊'].id}/content`, doctor01)).status, 403);
  assert.equal(num(`SELECT count(*) FROM content_recipients WHERE read_at IS NOT NULL`), 1);
});

let consultation;

test('a consultation: the resident asks, the team answers through the outbox, the first response is kept', async () => {
  const me = people['签约乙'];
  const unsigned = await req('POST', `/residents/${people['未签丁'].id}/consultations`, people['未签丁'].token, { subject: '血压', body: '请问？' });
  assert.equal(unsigned.status, 422);
  assert.equal(unsigned.json.code, 'not_signed');
  const missing = await req('POST', `/residents/${me.id}/consultations`, me.token, { subject: '血压' });
  assert.equal(missing.json.field, 'body');

  const asked = await req('POST', `/residents/${me.id}/consultations`, me.token, { subject: '降压药什么时候吃', body: '早上还是晚上吃比较好？' });
  assert.equal(asked.status, 201, asked.text);
  consultation = asked.json.id;
  assert.deepEqual([asked.json.status, asked.json.team_id, asked.json.first_response_at, asked.json.thread.length], ['open', team, null, 1]);
  const second = await req('POST', `/residents/${me.id}/consultations`, me.token, { subject: '体检时间', body: '今年体检什么时候？' });
  assert.equal(second.status, 201);

  const foreign = await req('POST', `/consultations/${consultation}/messages`, doctor02, { body: '越界' });
  assert.equal(foreign.status, 403);
  assert.equal((await req('GET', `/consultations/${consultation}`, people['高血压甲'].token)).status, 403, 'another resident');

  const answer = await req('POST', `/consultations/${consultation}/messages`, doctor01, { body: '一般建议早上起床后服用。' });
  assert.equal(answer.status, 201, answer.text);
  assert.equal(answer.json.status, 'answered');
  assert.match(answer.json.first_response_at, /^\d{4}-\d\d-\d\dT/);
  assert.equal(answer.json.thread.at(-1).author_kind, 'staff');
  const out = sqlite(`SELECT kind || '|' || resident_id || '|' || source_kind FROM outbox WHERE source_kind = 'consultation' AND source_id = ${consultation}`);
  assert.equal(out, `consultation|${me.id}|consultation`, 'the reply goes to the resident through the outbox');
  const first = answer.json.first_response_at;

  const again = await req('POST', `/consultations/${consultation}/messages`, me.token, { body: '好的，饭前还是饭后？' });
  assert.equal(again.json.status, 'open');
  assert.equal(num(`SELECT count(*) FROM outbox WHERE source_kind = 'consultation' AND source_id = ${consultation}`), 1, 'the resident\'s own message is not sent to them');
  const answer2 = await req('POST', `/consultations/${consultation}/messages`, doctor01, { body: '饭前饭后都可以。' });
  assert.equal(answer2.json.first_response_at, first, 'the first response stays the first');

  // The doctor's reply is on the resident's page.
  const page = await req('GET', `/residents/${me.id}/consultations`, me.token);
  assert.equal(page.status, 200);
  assert.equal(page.json.items.find((x) => x.id === consultation).last_message, '饭前饭后都可以。');
});

test('the team\'s list: open first with the waiting time, the median first response and the resolved share', async () => {
  const list = await req('GET', `/teams/${team}/consultations`, doctor01);
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.total, 2);
  assert.equal(list.json.items[0].status, 'open');
  assert.equal(typeof list.json.items[0].waiting_minutes, 'number');
  assert.equal(list.json.items[1].waiting_minutes, null);
  assert.equal(typeof list.json.median_first_response_minutes, 'number');
  assert.equal(list.json.resolved_share, 0);
  const open = await req('GET', `/teams/${team}/consultations?status=open`, doctor01);
  assert.deepEqual(open.json.items.map((x) => x.status), ['open']);
  assert.equal((await req('GET', `/teams/${team}/consultations?status=waiting`, doctor01)).json.field, 'status');
  assert.equal((await req('GET', `/teams/${team}/consultations`, doctor02)).status, 403);

  const closed = await req('POST', `/consultations/${consultation}/close`, people['签约乙'].token);
  assert.equal(closed.status, 200, closed.text);
  assert.equal(closed.json.status, 'closed');
  const late = await req('POST', `/consultations/${consultation}/messages`, doctor01, { body: '还有问题吗？' });
  assert.equal(late.status, 409);
  assert.equal(late.json.code, 'consultation_closed');
  assert.equal((await req('POST', `/consultations/${consultation}/close`, doctor01)).status, 409);
  assert.equal((await req('GET', `/teams/${team}/consultations`, doctor01)).json.resolved_share, 0.5);
});

function task(resident, kind, program, due, extra = '') {
  sqlite(`INSERT INTO tasks (resident_id, team_id, doctor_id, kind, program, due_date, county_code${extra ? ', status, closed_at' : ''})
    VALUES (${resident}, ${team}, ${gp}, '${kind}', ${program ? `'${program}'` : 'NULL'}, '${due}', '511524'${extra})`);
  return num('SELECT max(id) FROM tasks');
}
const reminders = () => jiayi(['reminders', '--db', demo.db]).stdout;
const effect = async () => {
  const r = await req('GET', `/reminders/effect?scope=team:${team}&from=${daysAgo(60)}&to=${TODAY}`, doctor01);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('reminders: one per task and stage, idempotent, cancelled when the task closes; the effect compares', async () => {
  reminders(); // whatever the setup's own tasks are due, so that what follows is ours alone
  const base = await effect();
  const a = people['高血压甲'].id;
  const onTheDay = task(a, 'exam_abnormal', null, TODAY);
  const late = task(a, 'followup', 'hypertension', daysAgo(7));
  const soon = task(people['签约乙'].id, 'renewal', null, daysAhead(3));
  const notYet = task(a, 'followup', 'hypertension', daysAhead(10));
  const unsigned = task(people['未签丁'].id, 'exam_abnormal', null, TODAY);
  const teamWork = task(a, 'first_discovery', null, TODAY);
  const longAgoDone = task(people['签约丙'].id, 'followup', 'diabetes', daysAgo(45), `, 'done', '${daysAgo(42)}T02:00:00Z'`);
  const longAgoOpen = task(people['签约丙'].id, 'followup', 'diabetes', daysAgo(50));

  assert.match(reminders(), /^3 reminders/);
  const mine = [onTheDay, late, soon, notYet, unsigned, teamWork, longAgoDone, longAgoOpen].join(',');
  assert.equal(sqlite(`SELECT group_concat(task_id || ':' || stage, ' ') FROM (SELECT * FROM reminders WHERE task_id IN (${mine}) ORDER BY task_id) sub`),
    `${onTheDay}:0 ${late}:7 ${soon}:-3`);
  const body = sqlite(`SELECT body FROM outbox WHERE key = 'reminder:task:${late}:7'`);
  assert.match(body, /高血压随访/);
  assert.match(body, /逾期7天/);
  assert.equal(sqlite(`SELECT kind || '|' || source_kind || '|' || source_id FROM outbox WHERE key = 'reminder:task:${onTheDay}:0'`), `reminder|task|${onTheDay}`);
  assert.match(reminders(), /^0 reminders/, 'a second pass on the same day writes nothing');
  assert.equal(num(`SELECT count(*) FROM outbox WHERE key LIKE 'reminder:task:%' AND source_id IN (${mine})`), 3);

  const pending = sqlite(`SELECT status FROM outbox WHERE key = 'reminder:task:${onTheDay}:0'`);
  assert.ok(['pending', 'failed'].includes(pending), pending);
  const closed = await req('POST', `/tasks/${onTheDay}/close`, doctor01, { outcome: 'done', note: '已复查' });
  assert.equal(closed.status, 200, closed.text);
  assert.equal(sqlite(`SELECT status FROM outbox WHERE key = 'reminder:task:${onTheDay}:0'`), 'cancelled', 'closing the task takes its reminder back');
  assert.notEqual(sqlite(`SELECT status FROM outbox WHERE key = 'reminder:task:${late}:7'`), 'cancelled');
  assert.match(reminders(), /^0 reminders/, 'a closed task is not reminded again');

  const now = await effect();
  assert.equal(now.window_days, 14);
  assert.equal(now.reminded.tasks - base.reminded.tasks, 3);
  assert.equal(now.reminded.completed - base.reminded.completed, 1, 'the exam review done the day it was reminded');
  assert.equal(now.not_reminded.tasks - base.not_reminded.tasks, 2, 'the two old follow-ups never reminded');
  assert.equal(now.not_reminded.completed - base.not_reminded.completed, 1);
  assert.equal(typeof now.reminded.rate, 'number');
  const ind = await req('GET', `/indicators?scope=team:${team}&codes=reminder_completion_rate`, county);
  assert.equal(ind.status, 200, ind.text);
  const item = ind.json.items.find((x) => x.code === 'reminder_completion_rate');
  assert.ok(item.denominator >= 3 && item.numerator >= 1, JSON.stringify(item));

  assert.equal((await req('GET', `/reminders/effect?scope=team:${otherTeam}`, doctor01)).status, 403);
  assert.equal((await req('GET', `/reminders/effect?scope=team:${team}&from=2026-02-30`, doctor01)).json.field, 'from');
  assert.equal((await req('GET', '/reminders/effect', doctor01)).json.field, 'scope');
  assert.equal((await req('GET', `/reminders/effect?scope=team:${team}`, people['签约乙'].token)).status, 403);
});
