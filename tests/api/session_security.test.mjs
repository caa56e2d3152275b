// Session fixation, CSRF and IDOR from an attacker's side (issue 21, docs/security.md).
// - Fixation: a session value planted in the victim's browser never becomes the victim's
//   session; a login ends whatever session the browser presented and draws a new token.
// - CSRF: a cookie-authenticated write of every method needs the session's own X-CSRF-Token;
//   another session's token, an empty one or none is 403 csrf_failed, and nothing is written.
// - IDOR: walking ids next to one's own (residents, contracts, households, follow-ups) yields
//   only what the scope allows; every refusal is a bare 403/404 with no name in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, PASSWORD, dbSql, idNumber } from '../lib/server.mjs';

let demo, s;
const CELL = '51152410100101';

before(async () => {
  demo = makeDemo({ residents: 400 });
  s = await startServer(demo.db);
});

after(async () => {
  await s?.stop();
  cleanup(demo?.dir);
});

const cookieOf = (r) => r.headers.get('set-cookie')?.split(';')[0];
const loginWith = (username, headers = {}) => s.request('POST', '/api/v1/session', { body: { username, password: PASSWORD }, headers });
const asCookie = (cookie, method, path, { body, csrf } = {}) =>
  s.request(method, path, { body, headers: { Cookie: cookie, ...(csrf !== undefined ? { 'X-CSRF-Token': csrf } : {}) } });

test('session fixation: a planted value never becomes a session; a login ends the one presented', async () => {
  // An attacker's made-up value, planted as the cookie: the login answers a token of its own.
  const planted = 'a'.repeat(64);
  const victim = await loginWith('doctor01', { Cookie: `jiayi_session=${planted}` });
  assert.equal(victim.status, 200);
  const issued = cookieOf(victim);
  assert.notEqual(issued, `jiayi_session=${planted}`);
  assert.equal(issued, `jiayi_session=${victim.json.token}`);
  assert.equal((await asCookie(`jiayi_session=${planted}`, 'GET', '/api/v1/session')).status, 401);
  // The attacker's own valid session, planted: the victim's login ends it, and the attacker's
  // token never reads as the victim.
  const attacker = await loginWith('village01');
  const attackerCookie = cookieOf(attacker);
  const victim2 = await loginWith('doctor01', { Cookie: attackerCookie });
  assert.equal(victim2.status, 200);
  assert.notEqual(cookieOf(victim2), attackerCookie);
  assert.equal((await asCookie(attackerCookie, 'GET', '/api/v1/session')).status, 401, 'the presented session ended');
  assert.equal((await s.request('GET', '/api/v1/session', { token: attacker.json.token })).status, 401);
  const me = await asCookie(cookieOf(victim2), 'GET', '/api/v1/session');
  assert.equal(me.json.user.username, 'doctor01');
  // A failed login ends nothing and issues nothing.
  const before = await loginWith('doctor02');
  const failed = await s.request('POST', '/api/v1/session', { body: { username: 'doctor02', password: 'wrong-pass-9' }, headers: { Cookie: cookieOf(before) } });
  assert.equal(failed.status, 401);
  assert.equal(failed.headers.get('set-cookie'), null);
  assert.equal((await asCookie(cookieOf(before), 'GET', '/api/v1/session')).status, 200);
  // Tokens are long and unpredictable: 256 bits drawn per login, all different.
  const tokens = new Set();
  for (let i = 0; i < 5; i++) tokens.add((await loginWith('doctor02')).json.token);
  assert.equal(tokens.size, 5);
  for (const t of tokens) assert.match(t, /^[0-9a-f]{64}$/);
  // Logging out ends the session on the server, not only in the browser.
  const out = await loginWith('doctor02');
  assert.equal((await asCookie(cookieOf(out), 'DELETE', '/api/v1/session', { csrf: out.json.csrf_token })).status, 200);
  assert.equal((await s.request('GET', '/api/v1/session', { token: out.json.token })).status, 401);
});

test('CSRF: every cookie-authenticated write needs its own session\'s token; nothing is written without it', async () => {
  const mine = await loginWith('doctor01');
  const other = await loginWith('doctor02');
  const cookie = cookieOf(mine);
  const residents = () => dbSql(demo.db, 'SELECT count(*) FROM residents');
  const count = residents();
  const body = { name: '跨站', id_number: idNumber('1971-03-04', 77), region: CELL };
  for (const csrf of [undefined, '', other.json.csrf_token, mine.json.csrf_token.slice(0, -1) + '0']) {
    if (csrf === mine.json.csrf_token) continue;
    const r = await asCookie(cookie, 'POST', '/api/v1/residents', { body, csrf });
    assert.equal(r.status, 403, `csrf ${JSON.stringify(csrf)}`);
    assert.equal(r.json.code, 'csrf_failed');
  }
  assert.equal(residents(), count, 'nothing written');
  // PUT, PATCH and DELETE are guarded the same way (the check comes before the handler).
  const id = Number(dbSql(demo.db, `SELECT id FROM residents WHERE region = '${CELL}' ORDER BY id LIMIT 1`));
  for (const [method, path] of [['PATCH', `/api/v1/residents/${id}`], ['PUT', `/api/v1/residents/${id}/record`], ['DELETE', '/api/v1/session']]) {
    const r = await asCookie(cookie, method, path, { body: method === 'DELETE' ? undefined : { phone: '13900000000' } });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.equal(r.json.code, 'csrf_failed');
  }
  assert.equal((await asCookie(cookie, 'GET', '/api/v1/session')).status, 200, 'the session still stands');
  const ok = await asCookie(cookie, 'POST', '/api/v1/residents', { body, csrf: mine.json.csrf_token });
  assert.equal(ok.status, 201, ok.text);
  // A bearer token is never sent by a browser on its own: no CSRF token needed.
  const bearer = await s.request('POST', '/api/v1/residents', { token: mine.json.token, body: { ...body, id_number: idNumber('1971-03-05', 77) } });
  assert.equal(bearer.status, 201, bearer.text);
  // The cookie is never readable by page script nor sent by another site.
  assert.match(mine.headers.get('set-cookie'), /HttpOnly/);
  assert.match(mine.headers.get('set-cookie'), /SameSite=Strict/);
});

test('IDOR: walking the ids next to one\'s own yields only what the scope allows, with no name in a refusal', async () => {
  const resident = await s.login('resident01');
  const me = (await s.request('GET', '/api/v1/session', { token: resident })).json.user.resident_id;
  const household = new Set(dbSql(demo.db, `SELECT m.id FROM residents me JOIN residents m ON m.id = me.id OR (m.household_id = me.household_id AND m.proxy_consent = 1) WHERE me.id = ${me}`).split('\n').map(Number));
  const names = new Set(dbSql(demo.db, 'SELECT name FROM residents').split('\n'));
  const leaks = (text) => [...names].some((n) => n && text.includes(n));
  let refused = 0;
  const first = Math.max(1, me - 25);
  for (let id = first; id <= first + 50; id++) {
    const r = await s.request('GET', `/api/v1/residents/${id}`, { token: resident });
    if (household.has(id)) {
      assert.equal(r.status, 200, `own household member ${id}`);
      continue;
    }
    assert.ok(r.status === 403 || r.status === 404, `resident ${id}: ${r.status}`);
    assert.ok(!leaks(r.text), `the refusal for ${id} names someone: ${r.text}`);
    refused++;
  }
  assert.ok(refused > 40);
  // A village doctor walks contracts, households and follow-up lists by id: outside the
  // village, refused.
  const village = await s.login('village01');
  const cells = dbSql(demo.db, "SELECT s.code FROM user_scope s JOIN users u ON u.id = s.user_id WHERE u.username = 'village01'").split('\n');
  const inScope = (region) => cells.some((c) => region.startsWith(c));
  const walks = [
    ['SELECT c.id, r.region FROM contracts c JOIN residents r ON r.id = c.resident_id', (id) => `/api/v1/contracts/${id}`],
    ['SELECT id, region FROM households', (id) => `/api/v1/households/${id}`],
    ['SELECT id, region FROM residents', (id) => `/api/v1/residents/${id}/followups`],
  ];
  for (const [query, path] of walks) {
    let outside = 0;
    const rows = dbSql(demo.db, `SELECT id || '|' || region FROM (${query}) x ORDER BY id LIMIT 60`).split('\n').filter(Boolean).map((l) => l.split('|'));
    for (const [id, region] of rows) {
      if (inScope(region)) continue; // the village's own people: may be read
      const r = await s.request('GET', path(id), { token: village });
      assert.ok(r.status === 403 || r.status === 404, `${path(id)}: ${r.status}`);
      assert.ok(!leaks(r.text), `${path(id)} names someone`);
      outside++;
    }
    assert.ok(outside > 0, `some of ${query} lie outside the village`);
  }
});
