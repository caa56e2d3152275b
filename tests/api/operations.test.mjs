// Operating the server: online backup while serving, clean stop on SIGTERM, the log line
// per request, user administration from the command line, and a deterministic demo.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeDemo, startServer, cleanup, idNumber, jiayi, PASSWORD, dbSql, ON_POSTGRESQL, openPii, dbJson } from '../lib/server.mjs';

const sqlite = (db, sql) => dbSql(db, sql);

test('backup while serving is consistent; SIGTERM stops cleanly; one log line per request', { skip: ON_POSTGRESQL && 'SQLite only: PostgreSQL is backed up by its own tools' }, async () => {
  const demo = makeDemo({ residents: 300 });
  try {
    const s = await startServer(demo.db);
    const token = await s.login('doctor01');
    const writes = [];
    for (let i = 0; i < 20; i++)
      writes.push(s.request('POST', '/api/v1/residents', { token, body: { name: '备份' + i, id_number: idNumber('1960-01-' + String(i + 1).padStart(2, '0'), 301), region: '51152410100101' } }));
    const copy = join(demo.dir, 'copy.sqlite');
    const backup = jiayi(['backup', '--db', demo.db, '--to', copy]);
    assert.match(backup.stdout, /backed up/);
    await Promise.all(writes);
    assert.equal(sqlite(copy, 'PRAGMA integrity_check'), 'ok');
    assert.ok(Number(sqlite(copy, 'SELECT count(*) FROM residents')) >= 300);
    // The audit key and checkpoints are not in the database (nor in its backup): name them.
    assert.match(jiayi(['audit', 'verify', '--db', copy, '--audit-key', demo.db + '.audit-key',
      '--audit-checkpoints', demo.db + '.audit-checkpoints']).stdout, /intact/);
    assert.equal(await s.stop(), 0, 'exit code after SIGTERM');
    const log = s.log();
    assert.match(log, /received SIGTERM, stopping/);
    assert.match(log, /POST \/api\/v1\/residents 201 [\d.]+ms doctor01 /);
    assert.match(log, /POST \/api\/v1\/session 200 [\d.]+ms doctor01 /);
  } finally {
    cleanup(demo.dir);
  }
});

test('every read is in the audit chain after a clean stop, even when answered before it was written', async () => {
  const demo = makeDemo({ residents: 100 });
  try {
    const s = await startServer(demo.db);
    const token = await s.login('doctor01');
    const list = await s.request('GET', '/api/v1/residents?limit=1', { token });
    const id = list.json.items[0].id;
    await Promise.all(Array.from({ length: 60 }, () => s.request('GET', `/api/v1/residents/${id}`, { token })));
    assert.equal(await s.stop(), 0);
    assert.equal(sqlite(demo.db, `SELECT count(*) FROM audit_log WHERE action = 'read' AND resource = 'resident' AND resource_id = '${id}'`), '60');
    assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /intact/);
  } finally {
    cleanup(demo.dir);
  }
});

test('user add, passwd (ends sessions) and disable from the command line', async () => {
  const demo = makeDemo({ residents: 0 });
  try {
    jiayi(['user', 'add', '--db', demo.db, '--username', 'nurse7', '--role', 'nurse', '--name', '护士七', '--password', PASSWORD]);
    const weak = jiayi(['user', 'add', '--db', demo.db, '--username', 'weak', '--role', 'nurse', '--name', 'x', '--password', 'short'], { check: false });
    assert.equal(weak.status, 2);
    const badRole = jiayi(['user', 'add', '--db', demo.db, '--username', 'x1', '--role', 'king', '--name', 'x', '--password', PASSWORD], { check: false });
    assert.equal(badRole.status, 2);
    const s = await startServer(demo.db);
    const token = await s.login('nurse7');
    assert.equal((await s.request('GET', '/api/v1/session', { token })).json.user.role, 'nurse');
    jiayi(['user', 'passwd', '--db', demo.db, '--username', 'nurse7', '--password', 'Other-pass-2']);
    assert.equal((await s.request('GET', '/api/v1/session', { token })).status, 401, 'old session ended');
    assert.equal((await s.request('POST', '/api/v1/session', { body: { username: 'nurse7', password: PASSWORD } })).status, 401);
    assert.equal((await s.request('POST', '/api/v1/session', { body: { username: 'nurse7', password: 'Other-pass-2' } })).status, 200);
    jiayi(['user', 'disable', '--db', demo.db, '--username', 'nurse7']);
    assert.equal((await s.request('POST', '/api/v1/session', { body: { username: 'nurse7', password: 'Other-pass-2' } })).status, 401);
    await s.stop();
  } finally {
    cleanup(demo.dir);
  }
});

test('the same seed gives the same county; the daily job finds nothing to change after the demo', () => {
  // ID numbers are sealed with each county's own key (util/seal.h): compared opened.
  const dump = (db) => dbJson(db, "SELECT name, id_number, region, population_class, household_id FROM residents ORDER BY id")
    .map((r) => r.name + openPii(db, r.id_number) + r.region + r.population_class + (r.household_id ?? '')).join(',')
    + sqlite(db, "SELECT group_concat(program || start_date, ',') FROM (SELECT * FROM enrolments ORDER BY id) x");
  const a = makeDemo({ residents: 800, seed: 7 });
  const b = makeDemo({ residents: 800, seed: 7, fresh: true }); // built again, not the cached copy
  const c = makeDemo({ residents: 800, seed: 8 });
  try {
    assert.equal(dump(a.db), dump(b.db));
    assert.notEqual(dump(a.db), dump(c.db));
    assert.equal(sqlite(a.db, 'SELECT count(*) FROM residents'), '800');
    const before = sqlite(a.db, 'SELECT group_concat(population_class) FROM residents');
    const daily = jiayi(['daily', '--db', a.db]);
    assert.match(daily.stderr, /0 population classes changed/);
    assert.match(daily.stdout, / 0 contracts expired, started or proposed for renewal/, 'the demo proposed the renewals due');
    assert.equal(sqlite(a.db, 'SELECT group_concat(population_class) FROM residents'), before);
  } finally {
    [a, b, c].forEach((d) => cleanup(d.dir));
  }
});
