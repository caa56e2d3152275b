// Reads on a standby (issue 17, docs/scale.md "Reads on a standby"): `serve --read-db` sends
// dashboard and list reads to a synchronous standby, and a session that wrote reads its own
// write at once. With the standby's replay paused, the writer's list still shows its new
// resident (read from the primary) while another user's list, read from the standby, does not
// yet; after the replay resumes it does. Every dashboard and list route answers on the
// standby, where nothing can be written. When the standby stops, reads fall back to the
// primary.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { psql } from '../lib/pg.mjs';
import { startReplicatedCounty } from '../lib/replica.mjs';
import { idNumber, startServer } from '../lib/server.mjs';
import { YEAR } from '../lib/clock.mjs';

const CELL = '51152410100101';
const clusters = [];
let server;

after(async () => {
  if (server) await server.kill();
  for (const c of clusters) c.stop('immediate');
});

const until = async (what, check) => {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting until ${what}`);
};

test('lists from the standby, read-your-writes for the writer, fallback to the primary', async () => {
  const { primary, standby, env } = await startReplicatedCounty(clusters, { residents: 200 });
  const db = primary.uri('county');
  server = await startServer(db, { env, args: ['--read-db', standby.uri('county')] });
  const doctor = await server.login('doctor01');
  const town = await server.login('town01');
  const county = await server.login('county');
  const found = async (token, name) => {
    const r = await server.request('GET', `/api/v1/residents?q=${encodeURIComponent(name)}`, { token });
    assert.equal(r.status, 200, r.text);
    return r.json.items.length;
  };

  standby.psql('county', 'SELECT pg_wal_replay_pause()');
  await until('the standby has paused', () => standby.psql('county', 'SELECT pg_get_wal_replay_pause_state()') === 'paused');

  // Every dashboard and list route answers from the standby, which can write nothing.
  const reads = [
    [county, `/api/v1/indicators?scope=region:511524&period=${YEAR}`],
    [county, `/api/v1/indicators/breakdown?scope=region:511524&by=team&codes=signing_rate`],
    [county, `/api/v1/indicators/trend?scope=region:511524&code=signing_rate`],
    [county, `/api/v1/reports/fees?period=${YEAR}`],
    [county, '/api/v1/census-rates?region=511524'],
    [town, '/api/v1/households?region=511524101'],
    [town, '/api/v1/residents?limit=20'],
    [doctor, '/api/v1/worklist?doctor=me'],
    [doctor, '/api/v1/contracts?doctor=me&limit=100'],
    [doctor, '/api/v1/flags?status=open'],
    [doctor, '/api/v1/fulfilment?doctor=me'],
    [doctor, '/api/v1/referrals'],
  ];
  for (const [token, path] of reads) {
    const r = await server.request('GET', path, { token });
    assert.equal(r.status, 200, `${path} on the standby: ${r.text}`);
  }

  // The doctor registers a resident: the write commits on the primary (the standby has it on
  // disk, not yet replayed).
  const name = `备库读${process.pid}`;
  const created = await server.request('POST', '/api/v1/residents',
    { token: doctor, body: { name, id_number: idNumber('1960-05-05', 300 + (process.pid % 300) * 2 + 1), region: CELL } });
  assert.equal(created.status, 201, created.text);
  assert.equal(psql(db, `SELECT count(*) FROM residents WHERE name = '${name}'`), '1');
  assert.equal(standby.psql('county', `SELECT count(*) FROM residents WHERE name = '${name}'`), '0', 'not replayed yet');

  assert.equal(await found(doctor, name), 1, 'the writer reads its own write at once');
  assert.equal(await found(town, name), 0, "another session's list comes from the standby, a moment behind");
  // A record page is not a list: it is read from the primary.
  const page = await server.request('GET', `/api/v1/residents/${created.json.id}`, { token: town });
  assert.equal(page.status, 200, page.text);

  standby.psql('county', 'SELECT pg_wal_replay_resume()');
  await until("the standby has replayed the doctor's write", async () => (await found(town, name)) === 1);
  assert.equal(await found(doctor, name), 1);

  // The standby stops: reads go to the primary. Its operator also stops waiting for it (the
  // primary would hold every commit, even the audit entries of the reads, until it is back).
  standby.stop('immediate');
  clusters.splice(clusters.indexOf(standby), 1);
  primary.psql('postgres', "ALTER SYSTEM SET synchronous_standby_names = ''");
  primary.psql('postgres', 'SELECT pg_reload_conf()');
  assert.equal(await found(town, name), 1, 'read from the primary once the standby is gone');
  for (const [token, path] of reads) {
    const r = await server.request('GET', path, { token });
    assert.equal(r.status, 200, `${path} without the standby: ${r.text}`);
  }
  await server.stop();
  server = null;
});
