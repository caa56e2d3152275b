// Self-management groups (慢性病自我管理小组) over HTTP: a doctor creates a village group
// and a team group, adds members from their scope (not from elsewhere, not the dead, not
// twice), records activities whose attendees must be members on the day, ends a
// membership; the list counts members, activities and attendance; the health commission
// sees counts but no names; bad input names its field and writes nothing; all audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbSql } from '../lib/server.mjs';
import { TODAY as today, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, county, town01;
const CELL = '51152410100101';
const VILLAGE = '511524101001';
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, doctor02, county, town01] = await Promise.all(['doctor01', 'doctor02', 'county', 'town01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person(name, token = doctor01, region = CELL) {
  const r = await s.request('POST', '/api/v1/residents', { token, body: { name, id_number: idNumber('1955-03-0' + (1 + (seq % 9)), 101 + 2 * seq++), region } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const post = (path, body, token = doctor01, headers = {}) => s.request('POST', `/api/v1${path}`, { token, body, headers });
const get = (path, token = doctor01) => s.request('GET', `/api/v1${path}`, { token });

let group, members;

test('a doctor creates a village group; the caller leads it and it starts empty', async () => {
  const r = await post('/groups', { name: '和平村高血压自我管理小组', focus: 'hypertension', region: VILLAGE });
  assert.equal(r.status, 201, r.text);
  group = r.json;
  assert.equal(group.region, VILLAGE);
  assert.equal(group.focus, 'hypertension');
  assert.equal(group.member_count, 0);
  assert.equal(group.activity_count, 0);
  assert.equal(group.attendance_rate, null);
  assert.ok(group.leader_name, 'the creating doctor leads it');
  assert.deepEqual(group.members, []);
  assert.deepEqual(group.activities, []);
});

test('a team group is placed at the team\'s township; a leader from another team is refused', async () => {
  const me = (await get('/session')).json.user;
  const team = me.teams[0];
  const r = await post('/groups', { name: '团队糖尿病小组', focus: 'diabetes', team_id: team });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.team_id, team);
  assert.equal(r.json.region, '511524101');
  const other = (await get('/session', doctor02)).json.user.staff_id;
  const bad = await post('/groups', { name: '另一个', focus: 'mixed', team_id: team, leader_staff_id: other });
  assert.equal(bad.status, 403, 'another township\'s staff member is not the caller\'s to name');
  assert.equal(bad.json.field, 'leader_staff_id');
});

test('members are added from the caller\'s scope, once, alive', async () => {
  members = [];
  for (const name of ['张秀英', '李建国', '王桂兰']) {
    const id = await person(name);
    const r = await post(`/groups/${group.id}/members`, { resident_id: id, joined_on: daysAgo(30) });
    assert.equal(r.status, 201, r.text);
    members.push(id);
  }
  const page = (await get(`/groups/${group.id}`)).json;
  assert.equal(page.member_count, 3);
  assert.deepEqual(page.members.map((m) => m.name).sort(), ['张秀英', '李建国', '王桂兰'].sort());
  assert.ok(page.members.every((m) => m.joined_on === daysAgo(30) && m.left_on === null && typeof m.age === 'number'));

  const again = await post(`/groups/${group.id}/members`, { resident_id: members[0] });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'already_member');

  const elsewhere = await person('外镇居民', doctor02, '51152410200101');
  const out = await post(`/groups/${group.id}/members`, { resident_id: elsewhere });
  assert.equal(out.status, 403);
  assert.equal(out.json.code, 'out_of_scope');

  const gone = await person('已故居民');
  assert.equal((await s.request('PATCH', `/api/v1/residents/${gone}`, { token: doctor01, body: { status: 'deceased' } })).status, 200);
  const dead = await post(`/groups/${group.id}/members`, { resident_id: gone });
  assert.equal(dead.status, 422);
  assert.equal(dead.json.field, 'resident_id');

  const future = await post(`/groups/${group.id}/members`, { resident_id: members[0], joined_on: '2999-01-01' });
  assert.equal(future.status, 422);
  assert.equal(future.json.field, 'joined_on');
});

test('another township\'s doctor can neither see nor change the group', async () => {
  const read = await get(`/groups/${group.id}`, doctor02);
  assert.equal(read.status, 403);
  assert.equal(read.json.code, 'out_of_scope');
  const write = await post(`/groups/${group.id}/activities`, { activity_date: today, topic: '测血压', attendees: [] }, doctor02);
  assert.equal(write.status, 403);
  const list = (await get('/groups', doctor02)).json;
  assert.ok(!list.items.some((g) => g.id === group.id));
  assert.equal((await get('/groups/999999')).status, 404);
});

test('an activity: attendees must be members on the day (422 naming attendees), and nothing is written otherwise', async () => {
  const stranger = await person('非组员');
  const before = sqlite('SELECT count(*) FROM group_activities');
  let r = await post(`/groups/${group.id}/activities`, { activity_date: daysAgo(3), topic: '低盐饮食', attendees: [members[0], stranger] });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.code, 'not_group_member');
  assert.equal(r.json.field, 'attendees');
  assert.equal(r.json.value, String(stranger));
  // Before they joined, members were not members either.
  r = await post(`/groups/${group.id}/activities`, { activity_date: daysAgo(40), topic: '低盐饮食', attendees: [members[0]] });
  assert.equal(r.status, 422);
  assert.equal(sqlite('SELECT count(*) FROM group_activities'), before);
  assert.equal(sqlite('SELECT count(*) FROM group_attendance'), '0');

  r = await post(`/groups/${group.id}/activities`, { activity_date: daysAgo(3), topic: '低盐饮食', attendees: [members[0]] }, doctor01, { 'Accept-Language': 'en' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.leader_name, group.leader_name, 'without a leader the caller leads, by their staff name');
  assert.equal(r.json.leader_staff_id, group.leader_staff_id);
  for (const [body, field] of [
    [{ topic: '缺日期', attendees: [] }, 'activity_date'],
    [{ activity_date: '2999-01-01', topic: '未来', attendees: [] }, 'activity_date'],
    [{ activity_date: today, attendees: [] }, 'topic'],
    [{ activity_date: today, topic: '无名单' }, 'attendees'],
    [{ activity_date: today, topic: '重复', attendees: [members[0], members[0]] }, 'attendees'],
    [{ activity_date: today, topic: '不是数字', attendees: ['x'] }, 'attendees'],
  ]) {
    const bad = await post(`/groups/${group.id}/activities`, body);
    assert.equal(bad.status, 422, `${JSON.stringify(body)}: ${bad.text}`);
    assert.equal(bad.json.field, field);
  }
  const en = await post(`/groups/${group.id}/activities`, { activity_date: today, topic: 'x', attendees: [stranger] }, doctor01, { 'Accept-Language': 'en' });
  assert.match(en.json.detail, /members of the group/);
  const zh = await post(`/groups/${group.id}/activities`, { activity_date: today, topic: 'x', attendees: [stranger] });
  assert.match(zh.json.detail, /小组成员/);
});

test('attendance counts: per activity, per member and the group\'s rate in the list', async () => {
  const r = await post(`/groups/${group.id}/activities`, { activity_date: today, topic: '如何正确测量血压', leader: '王医生', note: '发放血压计使用手册', attendees: [members[0], members[1]] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.member_count, r.json.attended, r.json.leader_name], [3, 2, '王医生']);
  const page = (await get(`/groups/${group.id}`)).json;
  assert.equal(page.activities.length, 2);
  assert.equal(page.activities[0].activity_date, today, 'newest first');
  assert.deepEqual(page.activities[0].attendees, [members[0], members[1]].sort((a, b) => a - b));
  assert.equal(page.members.find((m) => m.resident_id === members[0]).attended, 2);
  const item = (await get('/groups')).json.items.find((g) => g.id === group.id);
  assert.equal(item.member_count, 3);
  assert.equal(item.activity_count, 2);
  assert.equal(item.last_activity, today);
  assert.ok(Math.abs(item.attendance_rate - 3 / 6) < 1e-9, `rate ${item.attendance_rate}`);
  // Filters: the village subtree and the team.
  assert.ok((await get(`/groups?region=${VILLAGE}`)).json.items.some((g) => g.id === group.id));
  const team = (await get('/session')).json.user.teams[0];
  assert.ok(!(await get(`/groups?team=${team}`)).json.items.some((g) => g.id === group.id));
  assert.equal((await get('/groups?team=abc')).status, 422);
});

test('a member leaves: history stays, later activities no longer take them', async () => {
  const r = await s.request('DELETE', `/api/v1/groups/${group.id}/members/${members[2]}`, { token: doctor01 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.member_count, 2);
  const left = r.json.members.find((m) => m.resident_id === members[2]);
  assert.equal(left.left_on, today);
  assert.equal((await s.request('DELETE', `/api/v1/groups/${group.id}/members/${members[2]}`, { token: doctor01 })).status, 404);
  const again = await post(`/groups/${group.id}/members`, { resident_id: members[2] });
  assert.equal(again.status, 201, 'one may rejoin after leaving');
});

test('the health commission sees the counts but not the members; a center admin manages its township', async () => {
  const list = await get('/groups', county);
  assert.equal(list.status, 200);
  const item = list.json.items.find((g) => g.id === group.id);
  assert.equal(item.member_count, 3);
  assert.ok(!('members' in item));
  const page = await get(`/groups/${group.id}`, county);
  assert.equal(page.status, 403);
  assert.equal(page.json.code, 'out_of_role');
  assert.equal((await post('/groups', { name: 'x', focus: 'mixed', region: VILLAGE }, county)).status, 403);
  // The township's center admin manages the groups of its villages.
  assert.equal((await get(`/groups/${group.id}`, town01)).status, 200);
  const other = await post('/groups', { name: '外镇小组', focus: 'mixed', region: '511524102001' }, town01);
  assert.equal(other.status, 403);
  assert.equal(other.json.field, 'region');
});

test('writes and reads of members are in the audit chain', async () => {
  assert.equal(sqlite(`SELECT count(*) FROM audit_log WHERE resource = 'group' AND action = 'join' AND resource_id = '${group.id}'`), '4');
  assert.equal(sqlite(`SELECT count(*) FROM audit_log WHERE resource = 'group_activity' AND action = 'attend'`), '3');
  // Reads go through the asynchronous auditor; GET /audit flushes it.
  await s.request('GET', '/api/v1/audit', { token: town01 });
  const reads = Number(sqlite(`SELECT count(DISTINCT resident_id) FROM audit_log WHERE resource = 'group' AND action = 'read' AND resource_id = '${group.id}'`));
  assert.equal(reads, 3);
});
