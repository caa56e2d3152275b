// Failover (issue 17, docs/scale.md): a PostgreSQL primary with a synchronous streaming
// standby; jiayi serves through a URI naming both (target_session_attrs=read-write). Eight
// writers record follow-ups; the primary is killed with kill -9 mid-load and the standby
// promoted; jiayi carries on without a restart. Every follow-up acknowledged before, during or
// after is on the new primary, each resident has at most one active contract, and
// `kpi check` and `audit verify` pass there.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { psql, runPg } from '../lib/pg.mjs';
import { startReplicatedCounty } from '../lib/replica.mjs';
import { cleanup, jiayi, startServer } from '../lib/server.mjs';
import { TODAY } from '../lib/clock.mjs';

const WRITERS = 8;
const clusters = [];
let server;

after(async () => {
  if (server) await server.kill();
  for (const c of clusters) c.stop('immediate');
});

test('kill -9 of the primary mid-load, standby promoted: nothing acknowledged is lost', async () => {
  const { primary, standby, env } = await startReplicatedCounty(clusters);

  const uri = `postgresql://jiayi@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/county?target_session_attrs=read-write&connect_timeout=2`;
  server = await startServer(uri, { env });
  const token = await server.login('doctor01');
  const people = [];
  for (const p of (await server.request('GET', '/api/v1/residents?limit=100', { token })).json.items) {
    const r = await server.request('POST', '/api/v1/enrolments', { token, body: { resident_id: p.id, program: 'hypertension', start_date: TODAY } });
    if (r.status === 201 || r.status === 409) people.push(p.id);
    if (people.length === 30) break;
  }
  assert.ok(people.length >= 10, `${people.length} patients to visit`);

  // Each writer records follow-ups, retrying a failed one with the same key until it is
  // acknowledged: a key acknowledged once is what must survive.
  const acknowledged = [];
  let stop = false, failures = 0;
  const writer = async (w) => {
    for (let n = 0; !stop; n++) {
      const resident = people[(w * 37 + n) % people.length];
      const key = randomUUID();
      const body = { resident_id: resident, program: 'hypertension', visit_date: TODAY, sbp: 120 + (n % 20), dbp: 80, confirm_duplicate: true };
      for (let attempt = 0; attempt < 200 && !stop; attempt++) {
        let r;
        try {
          r = await server.request('POST', '/api/v1/followups', { token, body, headers: { 'Idempotency-Key': key } });
        } catch { r = { status: 0 }; }
        if (r.status === 201) { acknowledged.push(r.json.id); break; }
        failures++;
        await new Promise((res) => setTimeout(res, 50));
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  await new Promise((r) => setTimeout(r, 1500));
  const before = acknowledged.length;
  assert.ok(before > 0, 'writes acknowledged before the crash');

  // kill -9 the primary's postmaster, then promote the standby.
  const pid = Number(readFileSync(join(primary.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  execFileSync('kill', ['-9', String(pid)]);
  await new Promise((r) => setTimeout(r, 300));
  runPg('pg_ctl', ['-D', standby.data, '-w', 'promote']);
  await new Promise((r) => setTimeout(r, 3000));
  stop = true;
  await Promise.all(writers);
  console.log(`failover: ${before} follow-ups acknowledged before the kill, ${acknowledged.length} in all, ${failures} failed tries retried`);
  assert.ok(acknowledged.length > before, `writes acknowledged after the promotion (${before} before, ${acknowledged.length} in all, ${failures} retries)`);

  // On the new primary: everything acknowledged, one active contract each, exact counters,
  // an intact audit chain.
  const db = standby.uri('county');
  const found = Number(psql(db, `SELECT count(*) FROM followups WHERE id IN (${acknowledged.join(',')})`));
  assert.equal(found, new Set(acknowledged).size, 'every acknowledged follow-up is on the new primary');
  assert.equal(psql(db, "SELECT count(*) FROM (SELECT resident_id FROM contracts WHERE status = 'active' GROUP BY resident_id HAVING count(*) > 1) twice"), '0');
  await server.stop();
  server = null;
  assert.match(jiayi(['kpi', 'check', '--db', db], { env: { ...process.env, ...env } }).stdout, /exact/);
  assert.match(jiayi(['audit', 'verify', '--db', db], { env: { ...process.env, ...env } }).stdout, /intact/);
  cleanup(primary.dir);
});
