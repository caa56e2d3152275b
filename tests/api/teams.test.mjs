// Team management by center admins within their township: staff, teams, members, the
// responsible doctor and the grid cells; the scope of team members follows at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, PASSWORD } from '../lib/server.mjs';

let demo, s, town01;

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  town01 = await s.login('town01');
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('a center admin builds a team in its township; members and cells decide who sees whom', async () => {
  const inst = (await s.request('GET', '/api/v1/institutions?region=511524101', { token: town01 })).json.items.find((i) => i.kind === 'township_center');
  const other = (await s.request('GET', '/api/v1/institutions?region=511524102', { token: town01 })).json.items.find((i) => i.kind === 'township_center');
  const gp = await s.request('POST', '/api/v1/staff', { token: town01, body: { name: '新医生', profession: 'gp', institution_id: inst.id, phone: '13700000001' } });
  assert.equal(gp.status, 201, gp.text);
  assert.equal(gp.json.max_contracts, 1000);
  const nurse = await s.request('POST', '/api/v1/staff', { token: town01, body: { name: '新护士', profession: 'nurse', institution_id: inst.id } });
  assert.equal((await s.request('POST', '/api/v1/staff', { token: town01, body: { name: 'x', profession: 'gp', institution_id: other.id } })).status, 403);
  assert.equal((await s.request('POST', '/api/v1/staff', { token: town01, body: { name: 'x', profession: 'wizard', institution_id: inst.id } })).json.field, 'profession');

  const team = await s.request('POST', '/api/v1/teams', { token: town01, body: { name: '新团队', model: '1+1+X', institution_id: inst.id } });
  assert.equal(team.status, 201, team.text);
  const id = team.json.id;
  assert.equal((await s.request('PATCH', `/api/v1/teams/${id}`, { token: town01, body: { doctor_id: gp.json.id } })).json.field, 'doctor_id');
  assert.equal((await s.request('POST', `/api/v1/teams/${id}/members`, { token: town01, body: { staff_id: gp.json.id, role: 'lead' } })).status, 200);
  assert.equal((await s.request('POST', `/api/v1/teams/${id}/members`, { token: town01, body: { staff_id: gp.json.id, role: 'gp' } })).status, 409);
  await s.request('POST', `/api/v1/teams/${id}/members`, { token: town01, body: { staff_id: nurse.json.id, role: 'nurse' } });
  const led = await s.request('PATCH', `/api/v1/teams/${id}`, { token: town01, body: { doctor_id: gp.json.id, name: '梅华新团队' } });
  assert.equal(led.status, 200);
  assert.equal(led.json.doctor_id, gp.json.id);
  assert.equal(led.json.members.length, 2);
  assert.equal((await s.request('DELETE', `/api/v1/teams/${id}/members/${gp.json.id}`, { token: town01 })).status, 422);
  const cells = await s.request('PUT', `/api/v1/teams/${id}/cells`, { token: town01, body: { cells: ['51152410100201', '511524101003'] } });
  assert.equal(cells.status, 200, cells.text);
  assert.deepEqual(cells.json.grid_cells.map((c) => c.code), ['51152410100201', '511524101003']);
  assert.equal((await s.request('PUT', `/api/v1/teams/${id}/cells`, { token: town01, body: { cells: ['51152410200101'] } })).status, 403);
  assert.equal((await s.request('PUT', `/api/v1/teams/${id}/cells`, { token: town01, body: { cells: ['511524101'] } })).json.code, 'invalid_region');

  // The new GP logs in and sees residents of the team's cells only.
  jiayi(['user', 'add', '--db', demo.db, '--username', 'newgp', '--role', 'doctor', '--name', '新医生', '--staff', String(gp.json.id), '--password', PASSWORD]);
  const newgp = await s.login('newgp');
  const mine = await s.request('POST', '/api/v1/residents', { token: newgp, body: { name: '新居民', id_number: idNumber('1950-10-10', 61), region: '51152410100201' } });
  assert.equal(mine.status, 201, mine.text);
  assert.equal((await s.request('POST', '/api/v1/residents', { token: newgp, body: { name: '别处', id_number: idNumber('1950-10-11', 61), region: '51152410100101' } })).status, 403);
  // The nurse leaves the team; staff lists show team membership.
  const removed = await s.request('DELETE', `/api/v1/teams/${id}/members/${nurse.json.id}`, { token: town01 });
  assert.equal(removed.json.members.length, 1);
  const staff = await s.request('GET', `/api/v1/staff?institution=${inst.id}&limit=500`, { token: town01 });
  assert.deepEqual(staff.json.items.find((x) => x.id === gp.json.id).teams, [id]);
  assert.equal((await s.request('POST', '/api/v1/teams', { token: await s.login('doctor01'), body: { name: 'x', model: 'basic', institution_id: inst.id } })).status, 403);
});
