// The contract of ../shared/API.md as outside tests see it: login, errors, residents,
// regions, teams, scope, pagination. A real server on a demo county with no residents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, PASSWORD } from '../lib/server.mjs';

let demo, s, admin, doctor01, doctor02, town01;
const TOWN101_CELL = '51152410100101';

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [admin, doctor01, doctor02, town01] = await Promise.all(['admin', 'doctor01', 'doctor02', 'town01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

function assertProblem(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  for (const k of ['type', 'title', 'status', 'code', 'detail']) assert.ok(k in r.json, `problem has ${k}`);
  assert.equal(r.json.code, code);
  assert.equal(r.json.status, status);
  if (field) assert.equal(r.json.field, field);
}

test('health answers ok without login', async () => {
  const r = await s.request('GET', '/api/v1/health');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok' });
});

test('login returns token, user, csrf token and a strict HttpOnly cookie', async () => {
  const r = await s.request('POST', '/api/v1/session', { body: { username: 'doctor01', password: PASSWORD } });
  assert.equal(r.status, 200);
  assert.match(r.json.token, /^[0-9a-f]{64}$/);
  assert.equal(r.json.user.username, 'doctor01');
  assert.equal(r.json.user.role, 'doctor');
  assert.ok(r.json.user.display_name);
  assert.ok(r.json.csrf_token);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
});

test('wrong password and unknown user get the same 401', async () => {
  const a = await s.request('POST', '/api/v1/session', { body: { username: 'county', password: 'Wrong-pass-1' } });
  const b = await s.request('POST', '/api/v1/session', { body: { username: 'nobody-here', password: 'Wrong-pass-1' } });
  assertProblem(a, 401, 'invalid_credentials');
  assertProblem(b, 401, 'invalid_credentials');
  assert.equal(a.json.detail, b.json.detail);
});

test('too many failed logins for one user are throttled with 429, even with the right password', async () => {
  for (let i = 0; i < 5; i++)
    assertProblem(await s.request('POST', '/api/v1/session', { body: { username: 'village01', password: 'Nope-pass-' + i } }), 401, 'invalid_credentials');
  assertProblem(await s.request('POST', '/api/v1/session', { body: { username: 'village01', password: PASSWORD } }), 429, 'too_many_attempts');
});

test('no token is 401; logout ends the session', async () => {
  assertProblem(await s.request('GET', '/api/v1/residents'), 401, 'unauthorized');
  const token = await s.login('county');
  assert.equal((await s.request('GET', '/api/v1/session', { token })).status, 200);
  assert.equal((await s.request('DELETE', '/api/v1/session', { token })).status, 200);
  assertProblem(await s.request('GET', '/api/v1/session', { token }), 401, 'unauthorized');
});

test('cookie clients must send X-CSRF-Token on writes', async () => {
  const login = await s.request('POST', '/api/v1/session', { body: { username: 'doctor01', password: PASSWORD } });
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const body = { name: '张三', id_number: idNumber('1980-05-06', 11), region: TOWN101_CELL };
  assert.equal((await s.request('GET', '/api/v1/session', { headers: { Cookie: cookie } })).status, 200);
  assertProblem(await s.request('POST', '/api/v1/residents', { headers: { Cookie: cookie }, body }), 403, 'csrf_failed');
  const ok = await s.request('POST', '/api/v1/residents', { headers: { Cookie: cookie, 'X-CSRF-Token': login.json.csrf_token }, body });
  assert.equal(ok.status, 201, ok.text);
});

test('malformed JSON is 400, a body over the limit 413, unknown route 404, wrong method 405', async () => {
  assertProblem(await s.request('POST', '/api/v1/residents', { token: doctor01, raw: '{"name":', headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
  assertProblem(await s.request('POST', '/api/v1/residents', { token: doctor01, raw: 'x'.repeat(2 * 1024 * 1024) }), 413, 'body_too_large');
  assertProblem(await s.request('GET', '/api/v1/nothing', { token: doctor01 }), 404, 'not_found');
  assertProblem(await s.request('DELETE', '/api/v1/regions', { token: doctor01 }), 405, 'method_not_allowed');
  assertProblem(await s.request('GET', '/api/v1/residents/999999', { token: admin }), 404, 'not_found');
  assertProblem(await s.request('GET', '/api/v1/residents/abc', { token: admin }), 404, 'not_found');
});

test('registering derives sex and birth date; GET has the API.md fields', async () => {
  const id = idNumber('1958-03-09', 23);
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '王秀英', id_number: id, phone: '13800001111', region: TOWN101_CELL } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.sex, 'M');
  assert.equal(r.json.birth_date, '1958-03-09');
  const g = await s.request('GET', `/api/v1/residents/${r.json.id}`, { token: doctor01 });
  assert.equal(g.status, 200);
  for (const k of ['id', 'name', 'sex', 'birth_date', 'age', 'id_number_masked', 'region', 'household_id', 'population_class', 'programs', 'contract'])
    assert.ok(k in g.json, `resident has ${k}`);
  assert.equal(g.json.id_number_masked, id.slice(0, 3) + '*'.repeat(11) + id.slice(14));
  assert.equal(g.json.population_class, 1); // 68 years old
  assert.deepEqual(g.json.programs, []);
  assert.equal(g.json.contract, null);
  assert.ok(g.json.age >= 67);
});

test('invalid ID numbers, mismatched sex and duplicates are rejected naming the field', async () => {
  const bad = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '李四', id_number: '511524198001011235', region: TOWN101_CELL } });
  assertProblem(bad, 422, 'invalid_id_number', 'id_number');
  const id = idNumber('1990-07-01', 40);
  assertProblem(await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '李四', id_number: id, sex: 'M', region: TOWN101_CELL } }), 422, 'sex_mismatch', 'sex');
  assertProblem(await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '李四', id_number: id, birth_date: '1990-07-02', region: TOWN101_CELL } }), 422, 'birth_date_mismatch', 'birth_date');
  assertProblem(await s.request('POST', '/api/v1/residents', { token: doctor01, body: { id_number: id, region: TOWN101_CELL } }), 422, 'missing_field', 'name');
  assertProblem(await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '李四', id_number: id, region: '999999999' } }), 422, 'invalid_region', 'region');
  assertProblem(await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '李四', id_number: id, region: TOWN101_CELL, phone: 'abc' } }), 422, 'invalid_field', 'phone');
  const lower = id.slice(0, 17) + id.slice(17).toLowerCase();
  assert.equal((await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '李四', id_number: lower, region: TOWN101_CELL } })).status, 201);
  assertProblem(await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '李四', id_number: id, region: TOWN101_CELL } }), 409, 'duplicate_id_number', 'id_number');
});

test('English messages with Accept-Language: en, Chinese by default', async () => {
  const body = { name: 'x', id_number: '123', region: TOWN101_CELL };
  const zh = await s.request('POST', '/api/v1/residents', { token: doctor01, body });
  const en = await s.request('POST', '/api/v1/residents', { token: doctor01, body, headers: { 'Accept-Language': 'en' } });
  assert.match(zh.json.title, /身份证/);
  assert.match(en.json.title, /identity card number/);
});

test('a doctor reading a resident outside the scope gets 403 out_of_scope', async () => {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '赵六', id_number: idNumber('1975-01-02', 55), region: TOWN101_CELL } });
  assert.equal(r.status, 201);
  assertProblem(await s.request('GET', `/api/v1/residents/${r.json.id}`, { token: doctor02 }), 403, 'out_of_scope');
  assert.equal((await s.request('GET', `/api/v1/residents/${r.json.id}`, { token: town01 })).status, 200);
  // writes outside scope too
  assertProblem(await s.request('POST', '/api/v1/residents', { token: doctor02, body: { name: '赵七', id_number: idNumber('1975-01-03', 55), region: TOWN101_CELL } }), 403, 'out_of_scope', 'region');
});

test('the health commission sees counts, not names', async () => {
  const county = await s.login('county');
  assertProblem(await s.request('GET', '/api/v1/residents', { token: county }), 403, 'out_of_role');
  assert.equal((await s.request('GET', '/api/v1/census-rates?region=511524', { token: county })).status, 200);
});

test('regions: the county at top level, 13 townships, 124 villages', async () => {
  const top = await s.request('GET', '/api/v1/regions', { token: doctor01 });
  assert.deepEqual(top.json.items.map((r) => r.code), ['511524']);
  const towns = await s.request('GET', '/api/v1/regions?parent=511524', { token: doctor01 });
  assert.equal(towns.json.items.length, 13);
  assert.equal(towns.json.items[0].code, '511524101');
  assert.equal(towns.json.items[12].code, '511524113');
  for (const k of ['code', 'name', 'level', 'parent']) assert.ok(k in towns.json.items[0]);
  let villages = 0;
  for (const t of towns.json.items)
    villages += (await s.request('GET', `/api/v1/regions?parent=${t.code}`, { token: doctor01 })).json.items.length;
  assert.equal(villages, 124);
});

test('teams: 227 in the county with members and a responsible doctor', async () => {
  const r = await s.request('GET', '/api/v1/teams?limit=500', { token: admin });
  assert.equal(r.status, 200);
  assert.equal(r.json.total, 227);
  assert.equal(r.json.items.length, 227);
  const staff = r.json.items.reduce((n, t) => n + t.members.length, 0);
  assert.equal(staff, 1456);
  const t = r.json.items[0];
  for (const k of ['id', 'name', 'model', 'institution', 'doctor_id', 'members']) assert.ok(k in t);
  for (const k of ['id', 'username', 'name', 'role']) assert.ok(k in t.members[0]);
  assert.ok(t.members.some((m) => m.id === t.doctor_id));
  const mine = await s.request('GET', '/api/v1/teams?region=511524101001', { token: doctor01 });
  assert.ok(mine.json.items.some((x) => x.members.some((m) => m.username === 'doctor01')));
});

test('lists paginate with limit and cursor and report the total', async () => {
  for (let i = 0; i < 5; i++)
    await s.request('POST', '/api/v1/residents', { token: town01, body: { name: '分页' + i, id_number: idNumber('1985-02-0' + (i + 1), 71), region: '511524101002' } });
  const seen = new Set();
  let cursor = null, pages = 0, total;
  do {
    const r = await s.request('GET', `/api/v1/residents?q=分页&limit=2${cursor ? '&cursor=' + cursor : ''}`, { token: town01 });
    assert.equal(r.status, 200);
    total = r.json.total;
    r.json.items.forEach((x) => seen.add(x.id));
    cursor = r.json.next_cursor;
    pages++;
  } while (cursor && pages < 10);
  assert.equal(total, 5);
  assert.equal(seen.size, 5);
  assert.equal(pages, 3);
  assertProblem(await s.request('GET', '/api/v1/residents?limit=0', { token: town01 }), 422, 'invalid_field', 'limit');
  assertProblem(await s.request('GET', '/api/v1/residents?limit=501', { token: town01 }), 422, 'invalid_field', 'limit');
});

test('search finds by name, phone, masked ID and last four of the ID', async () => {
  const id = idNumber('1966-06-16', 97);
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '欧阳寻', id_number: id, phone: '13912345678', region: TOWN101_CELL } });
  const masked = id.slice(0, 3) + '*'.repeat(11) + id.slice(14);
  for (const q of ['阳寻', '13912345678', masked, id.slice(14), id]) {
    const found = await s.request('GET', `/api/v1/residents?q=${encodeURIComponent(q)}`, { token: doctor01 });
    assert.ok(found.json.items.some((x) => x.id === r.json.id), `search by ${q}`);
  }
});
