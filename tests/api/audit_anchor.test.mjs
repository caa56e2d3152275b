// The audit trail cannot be rewritten by whoever holds only the database file (issue 13).
// A server does real work on a real SQLite file; then, on copies, an attacker edits an entry
// and recomputes the chain with plain SHA-256 (keeping or dropping the key ids), deletes an
// entry and renumbers, cuts the tail, recomputes with a key of their own, and even with the
// stolen key but without the checkpoint file: `jiayi audit verify` fails each time, naming
// the first bad entry or the missing tail, while an untouched copy verifies. A rotated key
// keeps the old entries verifiable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, startServer, cleanup, idNumber, jiayi, ON_POSTGRESQL } from '../lib/server.mjs';
import { TODAY, addDays } from '../lib/clock.mjs';

const CELL = '51152410100101';
let demo, KEY, CHECKPOINTS, entries;

function sqlite(db, sql, { json = false } = {}) {
  const r = spawnSync('sqlite3', json ? ['-cmd', '.timeout 5000', '-json', db] : ['-cmd', '.timeout 5000', db], { input: sql, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', r.stderr);
  return json ? JSON.parse(r.stdout || '[]') : r.stdout.trim();
}

const checkpointLines = () => readFileSync(CHECKPOINTS, 'utf8').split('\n').filter(Boolean);
const keyLines = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => /^\d/.test(l));

// The text an entry's hash covers, as auth/audit.c builds it: every field length-prefixed
// (in bytes), and the key id last for a keyed entry.
const field = (s) => `${Buffer.byteLength(s)}:${s}|`;
function entryText(r) {
  let text = `${r.id}|` + field(r.prev_hash) + field(r.at) + field(r.username) + field(r.role) +
    field(r.action) + field(r.resource) + field(r.resource_id) + `${r.resident_id ?? 0}|` + field(r.request_id);
  if (r.key_id) text += `k${r.key_id}|`;
  return text;
}
// The hash functions an attacker can use: the old unkeyed one, or a MAC with some key.
const plainSha256 = (r) => createHash('sha256').update(entryText({ ...r, key_id: null })).digest('hex');
// A key line is "ID HEX [MAC]": HMAC-SM3 by default, HMAC-SHA-256 when it says so or says nothing.
const macOf = (line) => (line.split(/\s+/)[2] === 'hmac-sm3' ? 'sm3' : 'sha256');
const macWith = (key, mac = 'sha256') => (r) => createHmac(mac, key).update(entryText(r)).digest('hex');

const COLUMNS = 'id, at, username, role, action, resource, resource_id, resident_id, request_id, prev_hash, hash, key_id';
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

/* The attacker's rewrite of a copy: from entry `from` on (edited there when asked), every
 * prev_hash and hash recomputed with `hash`, the key id set to `keyId` when given. */
function rechain(db, from, hash, { edit = true, keyId } = {}) {
  const rows = sqlite(db, `SELECT ${COLUMNS} FROM audit_log ORDER BY id`, { json: true });
  const sql = ['BEGIN;'];
  let prev = '0'.repeat(64);
  for (const r of rows) {
    if (r.id >= from) {
      if (edit && r.id === from) r.username = 'someone-else';
      if (keyId !== undefined) r.key_id = keyId;
      r.prev_hash = prev;
      r.hash = hash(r);
      sql.push(`UPDATE audit_log SET username = ${q(r.username)}, prev_hash = ${q(r.prev_hash)},` +
        ` hash = ${q(r.hash)}, key_id = ${r.key_id ?? 'NULL'} WHERE id = ${r.id};`);
    }
    prev = r.hash;
  }
  sql.push('COMMIT;');
  sqlite(db, sql.join('\n'));
}

/* A copy of the database (the key and checkpoint files stay where they are, as an attacker
 * who took only the database would leave them), its append-only triggers dropped. */
let copies = 0;
function attackableCopy() {
  const copy = join(demo.dir, `copy${++copies}.sqlite`);
  jiayi(['backup', '--db', demo.db, '--to', copy]);
  sqlite(copy, 'DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
  return copy;
}

const verify = (db) => jiayi(['audit', 'verify', '--db', db, '--audit-key', KEY, '--audit-checkpoints', CHECKPOINTS], { check: false });

function assertBrokenAt(db, id, reason) {
  const r = verify(db);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^audit chain broken at entry ${id}: .*${reason}`), r.stdout);
}

before(() => {
  demo = makeDemo({ residents: 0, name: 'anchor' });
  KEY = demo.db + '.audit-key';
  CHECKPOINTS = demo.db + '.audit-checkpoints';
});
after(() => cleanup(demo.dir));

test('serving keys every entry and signs checkpoints: at start, every 1,000 entries, at a clean stop', { skip: ON_POSTGRESQL && 'SQLite only: the key files beside the database file, and tampering with copies of it' }, async () => {
  assert.ok(existsSync(KEY), 'the demo created the key file next to the database');
  assert.equal(statSync(KEY).mode & 0o777, 0o600);
  assert.equal(keyLines(KEY).length, 1);
  const atDemo = checkpointLines().length;
  assert.equal(atDemo, 1, 'the demo anchored its (empty) chain');

  const s = await startServer(demo.db);
  try {
    assert.equal(checkpointLines().length, atDemo + 1, 'a checkpoint at start');
    const [doctor01, admin] = [await s.login('doctor01'), await s.login('admin')];
    const ids = [];
    for (let i = 0; i < 5; i++) {
      const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '审计' + i, id_number: idNumber(addDays(TODAY, -365 * 40 - i), 301 + 2 * i), region: CELL } });
      assert.equal(r.status, 201, r.text);
      ids.push(r.json.id);
    }
    for (let round = 0; round < 21; round++)
      await Promise.all(Array.from({ length: 50 }, (_, i) => s.request('GET', `/api/v1/residents/${ids[i % ids.length]}`, { token: doctor01 })));
    assert.equal((await s.request('GET', `/api/v1/audit?resident=${ids[0]}`, { token: admin })).status, 200); // flushes the auditor
    assert.ok(checkpointLines().length >= atDemo + 2, 'a checkpoint after 1,000 entries, written by the auditor');
  } finally {
    await s.stop();
  }
  entries = Number(sqlite(demo.db, 'SELECT count(*) FROM audit_log'));
  assert.ok(entries >= 1055, `${entries} entries`);
  assert.equal(sqlite(demo.db, 'SELECT count(*) FROM audit_log WHERE key_id IS NOT 1'), '0', 'every entry keyed with key 1');
  const last = checkpointLines().at(-1).split(' ');
  assert.deepEqual(last.slice(0, 4), ['v1', '1', String(entries), String(entries)], 'the clean stop anchored the head');
  assert.equal(last[4], sqlite(demo.db, `SELECT hash FROM audit_log WHERE id = ${entries}`));
});

test('the database and an untouched copy verify intact, with the files named by option or environment', { skip: ON_POSTGRESQL && 'SQLite only: the key files beside the database file, and tampering with copies of it' }, () => {
  const own = jiayi(['audit', 'verify', '--db', demo.db]);
  assert.equal(own.stdout.split('\n')[0], `audit chain intact: ${entries} entries, ${checkpointLines().length} checkpoints`);
  const copy = join(demo.dir, 'untouched.sqlite');
  jiayi(['backup', '--db', demo.db, '--to', copy]);
  assert.match(verify(copy).stdout, /^audit chain intact: /);
  const env = { ...process.env, JIAYI_AUDIT_KEY_FILE: KEY, JIAYI_AUDIT_CHECKPOINTS: CHECKPOINTS };
  assert.match(jiayi(['audit', 'verify', '--db', copy], { env }).stdout, /^audit chain intact: /);
  // Without the key file the keyed entries cannot be checked: that is a failure, not a pass.
  const keyless = jiayi(['audit', 'verify', '--db', copy], { check: false });
  assert.equal(keyless.status, 1);
});

test('(a) an entry edited and the rest recomputed with plain SHA-256 is named', { skip: ON_POSTGRESQL && 'SQLite only: the key files beside the database file, and tampering with copies of it' }, () => {
  const k = Math.floor(entries / 2);
  const keptIds = attackableCopy();
  rechain(keptIds, k, plainSha256);
  assertBrokenAt(keptIds, k, 'MAC does not match');
  // The same, the key ids dropped as if the entries predated keying.
  const unkeyed = attackableCopy();
  rechain(unkeyed, k, plainSha256, { keyId: null });
  assertBrokenAt(unkeyed, k, 'unkeyed entry after keyed ones');
  // The whole chain made unkeyed: the first checkpoint (written before any entry) tells.
  const all = attackableCopy();
  rechain(all, 1, plainSha256, { keyId: null });
  assertBrokenAt(all, 1, 'unkeyed entry after the first checkpoint');
});

test('(b) an entry deleted, the later ones renumbered and recomputed, is named', { skip: ON_POSTGRESQL && 'SQLite only: the key files beside the database file, and tampering with copies of it' }, () => {
  const k = Math.floor(entries / 3);
  const copy = attackableCopy();
  sqlite(copy, `DELETE FROM audit_log WHERE id = ${k};` +
    ` UPDATE audit_log SET id = id + 1000000 WHERE id > ${k};` +
    ` UPDATE audit_log SET id = id - 1000001 WHERE id > 1000000;`);
  rechain(copy, k, plainSha256, { edit: false });
  assertBrokenAt(copy, k, 'MAC does not match');
});

test('(c) a cut tail is reported missing against the last checkpoint', { skip: ON_POSTGRESQL && 'SQLite only: the key files beside the database file, and tampering with copies of it' }, () => {
  const copy = attackableCopy();
  sqlite(copy, `DELETE FROM audit_log WHERE id > ${entries - 3}`);
  const r = verify(copy);
  assert.equal(r.status, 1);
  assert.equal(r.stdout.trim(), `audit chain broken: missing tail: checkpoint says ${entries} entries up to id ${entries}, database ends at id ${entries - 3}`);
});

test('(d) an entry changed and the chain recomputed with a key of the attacker\'s own is named', { skip: ON_POSTGRESQL && 'SQLite only: the key files beside the database file, and tampering with copies of it' }, () => {
  const k = entries - 10;
  const copy = attackableCopy();
  rechain(copy, k, macWith(randomBytes(32)));
  assertBrokenAt(copy, k, 'MAC does not match');
});

test('with the stolen key but not the checkpoint file, the rewrite is caught at the next checkpoint', { skip: ON_POSTGRESQL && 'SQLite only: the key files beside the database file, and tampering with copies of it' }, () => {
  const k = Math.floor(entries / 2);
  const stolen = Buffer.from(keyLines(KEY)[0].split(/\s+/)[1], 'hex');
  assert.equal(macOf(keyLines(KEY)[0]), 'sm3', 'new key files key the chain with HMAC-SM3');
  const copy = attackableCopy();
  rechain(copy, k, macWith(stolen, macOf(keyLines(KEY)[0])));
  const anchoredAt = checkpointLines().map((l) => Number(l.split(' ')[2])).filter((id) => id >= k);
  assertBrokenAt(copy, Math.min(...anchoredAt), 'rewritten');
});

test('a rotated key keeps the old entries verifiable; without the old key they are not', { skip: ON_POSTGRESQL && 'SQLite only: the key files beside the database file, and tampering with copies of it' }, async () => {
  // A second site: its own database, key and checkpoint files, next to each other.
  const db = join(demo.dir, 'rotated.sqlite');
  jiayi(['backup', '--db', demo.db, '--to', db]);
  copyFileSync(KEY, db + '.audit-key');
  copyFileSync(CHECKPOINTS, db + '.audit-checkpoints');
  const rotated = jiayi(['audit', 'rotate-key', '--db', db]);
  assert.match(rotated.stdout, /added audit key 2 \(hmac-sm3\)/);
  assert.equal(keyLines(db + '.audit-key').length, 2);
  assert.equal(macOf(keyLines(db + '.audit-key')[1]), 'sm3');
  assert.equal(jiayi(['audit', 'rotate-key', '--db', db, '--mac', 'md5'], { check: false }).status, 2);
  const s = await startServer(db);
  try {
    const doctor01 = await s.login('doctor01');
    const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '轮换', id_number: idNumber(addDays(TODAY, -365 * 60), 401), region: CELL } });
    assert.equal(r.status, 201, r.text);
  } finally {
    await s.stop();
  }
  assert.equal(sqlite(db, 'SELECT group_concat(DISTINCT key_id) FROM audit_log'), '1,2');
  assert.match(jiayi(['audit', 'verify', '--db', db]).stdout, /^audit chain intact: /);
  // Drop key 1 from the file: what it MACed and signed no longer verifies.
  writeFileSync(db + '.audit-key', keyLines(db + '.audit-key')[1] + '\n', { mode: 0o600 });
  const without = jiayi(['audit', 'verify', '--db', db], { check: false });
  assert.equal(without.status, 1);
  assert.match(without.stdout, /key 1, which is not in the key file/);
});
