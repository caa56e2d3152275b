// A list read is a read of every person it returns: each is found by GET /audit?resident=N
// (one entry per list, its people in audit_subjects), and the keyed chain covers who they
// were, so removing or adding a name breaks `jiayi audit verify`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { makeDemo, startServer, cleanup, jiayi, dbSql, ON_POSTGRESQL, dbJson } from '../lib/server.mjs';

let demo, s, admin, doctor, town;
const sql = (q) => dbSql(demo.db, q);
const get = async (path, token) => {
  const r = await s.request('GET', `/api/v1${path}`, { token });
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  return r.json;
};

// Every id must appear in its GET /audit?resident=N answer as a read of `resource`.
async function attributable(ids, resource) {
  assert.ok(ids.length > 0, `${resource}: someone was returned`);
  await get('/audit?resident=' + ids[0], admin); // flushes the auditor
  const missing = [];
  for (let i = 0; i < ids.length; i += 25) {
    const pages = await Promise.all(ids.slice(i, i + 25).map((id) => get(`/audit?resident=${id}&limit=50`, admin)));
    pages.forEach((page, k) => {
      if (!page.items.some((e) => e.resource === resource && e.action === 'read')) missing.push(ids[i + k]);
    });
  }
  assert.deepEqual(missing, [], `${resource}: people returned but not attributable`);
}

before(async () => {
  demo = makeDemo({ residents: 1500, name: 'readaudit' });
  s = await startServer(demo.db);
  [admin, doctor, town] = await Promise.all(['admin', 'doctor01', 'town01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('a search of 500 names all 500 (not the first 49)', async () => {
  const page = await get('/residents?limit=500', town);
  assert.ok(page.items.length > 100, `town01 sees ${page.items.length}`);
  await attributable(page.items.map((x) => x.id), 'resident_search');
  const [entry] = dbJson(demo.db, "SELECT id, resource_id FROM audit_log WHERE resource = 'resident_search' ORDER BY id DESC LIMIT 1");
  assert.match(entry.resource_id, new RegExp(`;n=${page.items.length};h=[0-9a-f]{32}$`));
  assert.equal(Number(sql(`SELECT count(*) FROM audit_subjects WHERE audit_id = ${entry.id}`)), page.items.length);
});

test('households, a household, contracts and the work list name who they showed', async () => {
  const households = await get('/households?limit=100', doctor);
  await attributable(households.items.map((h) => h.head_id).filter(Boolean), 'household_list');
  const one = await get(`/households/${households.items[0].id}`, doctor);
  await attributable(one.members.map((m) => m.id), 'household');
  const contracts = await get('/contracts?limit=100', doctor);
  await attributable(contracts.items.map((c) => c.resident_id), 'contract_list');
  const work = await get('/worklist?limit=100', doctor);
  await attributable(work.items.map((t) => t.resident_id), 'worklist');
});

test('the chain covers who a list returned: a name removed or added breaks audit verify', { skip: ON_POSTGRESQL && 'SQLite only: the tampering is done on copies of the database file' }, async () => {
  const verify = (db) => jiayi(['audit', 'verify', '--db', db, '--audit-key', `${demo.db}.audit-key`, '--audit-checkpoints', `${demo.db}.audit-checkpoints`], { check: false });
  await s.stop(); // the last checkpoint then names the last entry
  const copy = demo.db;
  let r = verify(copy);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const entry = execFileSync('sqlite3', ['-cmd', '.timeout 5000', copy, "SELECT audit_id FROM audit_subjects ORDER BY audit_id DESC LIMIT 1"], { encoding: 'utf8' }).trim();
  const removed = `${demo.db}.removed`, added = `${demo.db}.added`;
  copyFileSync(copy, removed);
  copyFileSync(copy, added);
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', removed, `DELETE FROM audit_subjects WHERE audit_id = ${entry} AND resident_id = (SELECT min(resident_id) FROM audit_subjects WHERE audit_id = ${entry})`]);
  r = verify(removed);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`broken at entry ${entry}`));
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', added, `INSERT INTO audit_subjects (audit_id, resident_id) VALUES (${entry}, 999999)`]);
  r = verify(added);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`broken at entry ${entry}`));
});
