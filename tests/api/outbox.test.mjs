// The outbox and the one-time-code login (docs/resident-loop.md): a resident asks for a code,
// reads it from the file channel (the default, <db>.outbox.jsonl) and logs in with it exactly
// as with a password; a code is single-use, dies after five wrong tries, and a phone gets one
// a minute; an unknown phone gets the very same answers; a channel's receipts need its token;
// the admins' list keeps to their area and never shows a code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { makeDemo, startServer, cleanup, idNumber, dbSql, openPii, digestPii } from '../lib/server.mjs';

const RECEIPT_TOKEN = 'receipt-token-for-the-test-0123456789';
const CELL_101 = '51152410100101';
const phones = { a: '13700000101', b: '13700000102', shared: '13700000103', unknown: '13700000199' };
let demo, s, admin, town01, doctor01;
const people = {}; // name -> resident id

const sql = (q) => dbSql(demo.db, q);

function assertProblem(r, status, code, field) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.json.code, code);
  if (field) assert.equal(r.json.field, field);
}

// The newest code the file channel wrote for a phone (the worker sends within a moment).
async function codeFor(phone, after = 0) {
  const file = demo.outbox;
  for (let i = 0; i < 100; i++) {
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const mine = lines.filter((m) => m.kind === 'otp' && m.to === phone);
      if (mine.length > after) {
        const m = mine[mine.length - 1];
        for (const k of ['key', 'kind', 'to', 'subject', 'body', 'at']) assert.ok(k in m, `the line has ${k}`);
        return { code: /(\d{6})/.exec(m.body)[1], count: mine.length, key: m.key };
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no code for ${phone} in ${file}`);
}

async function register(token, name, seq, phone, region) {
  const r = await s.request('POST', '/api/v1/residents', { token, body: { name, id_number: idNumber('1958-04-01', seq), phone, region } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

before(async () => {
  demo = makeDemo({ residents: 0, name: 'outbox' });
  s = await startServer(demo.db, { env: { JIAYI_OUTBOX_RECEIPT_TOKEN: RECEIPT_TOKEN } });
  [admin, town01, doctor01] = await Promise.all(['admin', 'town01', 'doctor01'].map((u) => s.login(u)));
  const cell102 = sql("SELECT code FROM regions WHERE level = 'grid' AND code LIKE '511524102%' ORDER BY code LIMIT 1");
  people.a = await register(doctor01, '张桂兰', 11, phones.a, CELL_101);
  people.b = await register(admin, '李建国', 13, phones.b, cell102);
  people.c = await register(doctor01, '王淑芬', 22, phones.shared, CELL_101);
  people.d = await register(doctor01, '王志强', 15, phones.shared, CELL_101);
  // Their portal accounts, with the demo resident account's password (its hash: no argon2id
  // work per account under the sanitizer).
  for (const [user, who] of [['res-a', 'a'], ['res-b', 'b'], ['res-c', 'c'], ['res-d', 'd']])
    sql(`INSERT INTO users (username, password_hash, role, display_name, resident_id)
      SELECT '${user}', password_hash, 'resident', '${user}', ${people[who]} FROM users WHERE username = 'resident01'`);
});
after(async () => { if (process.env.OUTBOX_LOG) console.log(s.log()); if (s) await s.stop(); if (demo) cleanup(demo.dir); });

test('a code from the file channel logs the resident in as a password does, once', async () => {
  const asked = await s.request('POST', '/api/v1/session/code', { body: { phone: phones.a } });
  assert.equal(asked.status, 202, asked.text);
  assert.deepEqual(asked.json, { expires_in: 300 });
  const { code, key } = await codeFor(phones.a);
  const r = await s.request('POST', '/api/v1/session', { body: { phone: phones.a, code } });
  assert.equal(r.status, 200, r.text);
  for (const k of ['token', 'user', 'csrf_token', 'expires_in', 'today']) assert.ok(k in r.json, `answer has ${k}`);
  assert.equal(r.json.user.username, 'res-a');
  assert.equal(r.json.user.role, 'resident');
  assert.equal(r.json.user.resident_id, people.a);
  assert.match(r.headers.get('set-cookie'), /HttpOnly; SameSite=Strict/);
  const me = await s.request('GET', `/api/v1/residents/${people.a}`, { token: r.json.token });
  assert.equal(me.status, 200, me.text);
  // Single use: the same code again is refused like a wrong password.
  assertProblem(await s.request('POST', '/api/v1/session', { body: { phone: phones.a, code } }), 401, 'invalid_credentials');
  // Only a keyed hash is stored; the SMS's text is blanked once sent; the login is audited.
  // The phone a code was asked for is kept only as its keyed digest (migration 046).
  assert.equal(sql(`SELECT count(*) FROM login_codes WHERE phone = '${phones.a}'`), '0');
  const stored = sql(`SELECT code_hash FROM login_codes WHERE phone = '${digestPii(demo.db, 'phone', phones.a)}' AND code_hash IS NOT NULL`);
  assert.match(stored, /^[0-9a-f]{64}$/);
  assert.ok(!stored.includes(code));
  assert.equal(sql(`SELECT status || '|' || body || '|' || urgent FROM outbox WHERE key = '${key}'`), 'sent||1');
  assert.equal(sql(`SELECT count(*) FROM audit_log WHERE action = 'login_code' AND username = 'res-a' AND resident_id = ${people.a}`), '1');
});

test('a wrong code is refused; five wrong tries kill the code, the right one included', async () => {
  assert.equal((await s.request('POST', '/api/v1/session/code', { body: { phone: phones.b } })).status, 202);
  const { code } = await codeFor(phones.b);
  const wrong = String((Number(code) + 1) % 1000000).padStart(6, '0');
  for (let i = 0; i < 5; i++)
    assertProblem(await s.request('POST', '/api/v1/session', { body: { phone: phones.b, code: wrong } }), 401, 'invalid_credentials');
  assertProblem(await s.request('POST', '/api/v1/session', { body: { phone: phones.b, code } }), 401, 'invalid_credentials');
  assertProblem(await s.request('POST', '/api/v1/session', { body: { phone: phones.b, code: '12345' } }), 422, 'invalid_field', 'code');
  assertProblem(await s.request('POST', '/api/v1/session', { body: { phone: 'abc', code } }), 422, 'invalid_field', 'phone');
});

test('a phone gets one code a minute, and an unknown phone gets the very same answers', async () => {
  const known = await s.request('POST', '/api/v1/session/code', { body: { phone: phones.a } });
  assertProblem(known, 429, 'too_many_requests', 'phone');
  assert.ok(known.headers.get('retry-after'));
  const first = await s.request('POST', '/api/v1/session/code', { body: { phone: phones.unknown } });
  const registered = await s.request('POST', '/api/v1/session/code', { body: { phone: phones.shared } });
  assert.equal(first.status, 202);
  assert.equal(registered.status, 202);
  assert.equal(first.text, registered.text);
  const again = await s.request('POST', '/api/v1/session/code', { body: { phone: phones.unknown } });
  assertProblem(again, 429, 'too_many_requests', 'phone');
  assert.equal(again.json.detail, known.json.detail);
  // Nothing was sent to the unknown phone, and a code for it logs nobody in.
  const addresses = sql("SELECT address FROM outbox WHERE address <> ''").split('\n').filter(Boolean);
  assert.ok(addresses.length > 0 && addresses.every((a) => a.startsWith('v1.')), 'addresses sealed at rest');
  assert.equal(addresses.filter((a) => openPii(demo.db, a) === phones.unknown).length, 0);
  assertProblem(await s.request('POST', '/api/v1/session', { body: { phone: phones.unknown, code: '000000' } }), 401, 'invalid_credentials');
  assertProblem(await s.request('POST', '/api/v1/session/code', { body: {} }), 422, 'missing_field', 'phone');
});

test('a phone two residents share needs the username, and the code still works with it', async () => {
  const { code } = await codeFor(phones.shared);
  assertProblem(await s.request('POST', '/api/v1/session', { body: { phone: phones.shared, code } }), 422, 'missing_field', 'username');
  assertProblem(await s.request('POST', '/api/v1/session', { body: { phone: phones.shared, code, username: 'res-a' } }), 401, 'invalid_credentials');
  const r = await s.request('POST', '/api/v1/session', { body: { phone: phones.shared, code, username: 'RES-D' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.user.username, 'res-d');
  assert.equal(r.json.user.resident_id, people.d);
});

test('receipts need the channel\'s token and mark the message delivered', async () => {
  const key = sql(`SELECT key FROM outbox WHERE resident_id = ${people.a} AND kind = 'otp' LIMIT 1`);
  const body = { key, status: 'delivered' };
  assertProblem(await s.request('POST', '/api/v1/outbox/receipts', { body }), 401, 'unauthorized');
  assertProblem(await s.request('POST', '/api/v1/outbox/receipts', { body, headers: { Authorization: 'Bearer wrong' } }), 401, 'unauthorized');
  assertProblem(await s.request('POST', '/api/v1/outbox/receipts', { body, token: admin }), 401, 'unauthorized');
  assertProblem(await s.request('POST', '/api/v1/outbox/receipts', { body, headers: { Authorization: `Bearer ${RECEIPT_TOKEN}x` } }), 401, 'unauthorized');
  const auth = { Authorization: `Bearer ${RECEIPT_TOKEN}` };
  assertProblem(await s.request('POST', '/api/v1/outbox/receipts', { body: { key: 'otp:999999', status: 'delivered' }, headers: auth }), 404, 'not_found');
  assertProblem(await s.request('POST', '/api/v1/outbox/receipts', { body: { key, status: 'read' }, headers: auth }), 422, 'invalid_field', 'status');
  const r = await s.request('POST', '/api/v1/outbox/receipts', { body, headers: auth });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { key, status: 'delivered' });
  assert.equal(sql(`SELECT status || '|' || CASE WHEN delivered_at > 0 THEN 1 ELSE 0 END FROM outbox WHERE key = '${key}'`), 'delivered|1');
  const failed = sql(`SELECT key FROM outbox WHERE resident_id = ${people.b} AND kind = 'otp' LIMIT 1`);
  const f = await s.request('POST', '/api/v1/outbox/receipts', { body: { key: failed, status: 'failed', error: 'handset off' }, headers: auth });
  assert.equal(f.status, 200, f.text);
  assert.equal(sql(`SELECT status || '|' || last_error FROM outbox WHERE key = '${failed}'`), 'failed|handset off');
});

test('the outbox list: admins within their area, counts by status, never a code', async () => {
  const all = await s.request('GET', '/api/v1/outbox', { token: admin });
  assert.equal(all.status, 200, all.text);
  const residents = new Set(all.json.items.map((m) => m.resident_id));
  assert.ok(residents.has(people.a) && residents.has(people.b), 'the system admin sees both townships');
  for (const m of all.json.items) {
    assert.equal(m.body, null, 'a one-time code\'s text is never listed');
    assert.match(m.to, /^\d{3}\*{4}\d{4}$/);
  }
  for (const k of ['pending', 'sent', 'delivered', 'failed', 'dead', 'cancelled']) assert.equal(typeof all.json.counts[k], 'number');
  assert.ok(all.json.counts.delivered >= 1 && all.json.counts.failed >= 1);
  assert.equal(all.json.total, Object.values(all.json.counts).reduce((a, b) => a + b, 0));
  const town = await s.request('GET', '/api/v1/outbox?kind=otp', { token: town01 });
  assert.equal(town.status, 200, town.text);
  const seen = new Set(town.json.items.map((m) => m.resident_id));
  assert.ok(seen.has(people.a), 'town01 sees its township');
  assert.ok(!seen.has(people.b), 'town01 does not see township 102');
  const delivered = await s.request('GET', '/api/v1/outbox?status=delivered', { token: town01 });
  assert.deepEqual(delivered.json.items.map((m) => m.status), ['delivered']);
  assert.equal(delivered.json.total, 1);
  assertProblem(await s.request('GET', '/api/v1/outbox?region=511524102', { token: town01 }), 403, 'out_of_scope');
  assertProblem(await s.request('GET', '/api/v1/outbox?status=lost', { token: admin }), 422, 'invalid_field', 'status');
  assertProblem(await s.request('GET', '/api/v1/outbox', { token: doctor01 }), 403, 'out_of_role');
  const resident = await s.login('res-c');
  assertProblem(await s.request('GET', '/api/v1/outbox', { token: resident }), 403, 'out_of_role');
});
