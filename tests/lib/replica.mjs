// A PostgreSQL primary with a synchronous streaming standby holding a demo county, for the
// tests of failover and of reads on a standby (issue 17, docs/scale.md).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { freePort, startCluster } from './pg.mjs';
import { DEMO_BIN, jiayi } from './server.mjs';

/* Returns { primary, standby, env }: env names the audit key, checkpoints and outbox files a
 * jiayi process on the county needs. Both clusters are pushed to `clusters` as they start,
 * for the caller to stop. */
export async function startReplicatedCounty(clusters, { residents = 300 } = {}) {
  const primary = await startCluster({
    fast: false,
    settings: { wal_level: 'replica', max_wal_senders: 4, synchronous_commit: 'on', fsync: 'off' },
  });
  clusters.push(primary);
  primary.psql('postgres', 'CREATE DATABASE county');
  const env = {
    JIAYI_AUDIT_KEY_FILE: join(primary.dir, 'audit-key'),
    JIAYI_AUDIT_CHECKPOINTS: join(primary.dir, 'audit-checkpoints'),
    JIAYI_OUTBOX: `file:${join(primary.dir, 'outbox.jsonl')}`,
  };
  // Built by the release build when there is one, as the other tests' counties are.
  jiayi(['demo', '--db', primary.uri('county'), '--residents', String(residents), '--password', 'Test-pass-1'],
    { env: { ...process.env, ...env }, bin: DEMO_BIN });

  // The standby: a base backup of the primary that follows it under the name it waits for.
  const standby = await startCluster({
    fast: false,
    baseBackupOf: { primary, application: 'standby1' },
    port: await freePort(),
    settings: { fsync: 'off' },
  });
  clusters.push(standby);
  // From now on the primary waits for the standby's flush before it acknowledges a commit.
  primary.psql('postgres', "ALTER SYSTEM SET synchronous_standby_names = 'standby1'");
  primary.psql('postgres', 'SELECT pg_reload_conf()');
  const state = () => primary.psql('postgres', 'SELECT sync_state FROM pg_stat_replication');
  for (let i = 0; i < 100 && state() !== 'sync'; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(state(), 'sync', 'the standby is synchronous');
  return { primary, standby, env };
}
