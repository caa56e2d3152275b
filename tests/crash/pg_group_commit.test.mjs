// Group commit on PostgreSQL (issue 17, docs/scale.md "Several servers on one database"):
// sixteen writers record follow-ups for the same three residents, so most batches hold two
// requests for one resident. The indicator tracker reads a resident's "before" from the
// committed state, which a batch's earlier requests have not reached; it must take it from
// what the batch carried instead. The requests share commits, and the counters stay exact.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startCluster } from '../lib/pg.mjs';
import { DEMO_BIN, jiayi, startServer } from '../lib/server.mjs';
import { daysAgo } from '../lib/clock.mjs';

let cluster, server;

after(async () => {
  if (server) await server.stop();
  if (cluster) cluster.stop('immediate');
});

test('batched writes to the same residents keep the counters exact', async () => {
  cluster = await startCluster();
  const env = {
    JIAYI_AUDIT_KEY_FILE: join(cluster.dir, 'audit-key'),
    JIAYI_AUDIT_CHECKPOINTS: join(cluster.dir, 'audit-checkpoints'),
    JIAYI_OUTBOX: `file:${join(cluster.dir, 'outbox.jsonl')}`,
  };
  cluster.psql('postgres', 'CREATE DATABASE county');
  const db = cluster.uri('county');
  jiayi(['demo', '--db', db, '--residents', '300', '--password', 'Test-pass-1'], { env: { ...process.env, ...env }, bin: DEMO_BIN });
  // doctor01's team takes over every grid cell (as bench/followups.sh does), so that she has
  // hypertension patients enough; the counters are rebuilt after.
  const team = `(SELECT t.id FROM teams t JOIN staff s ON s.id = t.doctor_id JOIN users u ON u.id = s.user_id
    WHERE u.username = 'doctor01')`;
  cluster.psql('county', `UPDATE team_cells SET team_id = ${team}`);
  jiayi(['kpi', 'rebuild', '--db', db], { env: { ...process.env, ...env } });
  server = await startServer(db, { env });
  const doctor = await server.login('doctor01');
  const patients = cluster.psql('county', `SELECT e.resident_id FROM enrolments e JOIN residents r ON r.id = e.resident_id
    WHERE e.program = 'hypertension' AND e.end_date IS NULL AND r.status = 'alive' ORDER BY 1 LIMIT 3`).split('\n').map(Number);
  assert.equal(patients.length, 3);
  let acknowledged = 0;
  await Promise.all(Array.from({ length: 16 }, async (_, writer) => {
    for (let i = 0; i < 12; i++) {
      const r = await server.request('POST', '/api/v1/followups', {
        token: doctor,
        body: { resident_id: patients[(writer + i) % 3], program: 'hypertension', visit_date: daysAgo(1 + ((writer * 12 + i) % 300)),
          sbp: 118 + ((writer + i) % 50), dbp: 78, findings: [], mode: 'clinic', confirm_duplicate: true },
      });
      assert.equal(r.status, 201, r.text);
      acknowledged++;
    }
  }));
  await server.stop();
  const [, writes, commits] = server.log().match(/group commit: (\d+) writes in (\d+) commits/).map(Number);
  server = null;
  console.log(`pg group commit: ${acknowledged} follow-ups, ${writes} writes in ${commits} commits`);
  assert.ok(writes >= acknowledged && commits < writes, 'requests shared commits');
  const check = jiayi(['kpi', 'check', '--db', db], { env: { ...process.env, ...env }, check: false });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /indicators exact/);
});
