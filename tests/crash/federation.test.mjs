// Counties on several PostgreSQL nodes (issue 17, docs/scale.md "Counties on several nodes"):
// three local instances, two of them holding one county each (one of them moved there from
// its SQLite file by `jiayi copy`, exact counters and audit chain intact), the third the city's
// coordinator that sees them through postgres_fdw (`jiayi federate`). The city's indicators
// at the coordinator are the sum of its counties' as their own servers report them; a
// county's work list and follow-up writes touch only its node; the coordinator reads one
// county's rows from that county's node only and writes none.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startCluster } from '../lib/pg.mjs';
import { DEMO_BIN, dbSql, jiayi, startServer } from '../lib/server.mjs';
import { YEAR, daysAgo } from '../lib/clock.mjs';

const clusters = [];
const servers = [];

after(async () => {
  for (const s of servers) await s.stop();
  for (const c of clusters) c.stop('immediate');
});

/* A PostgreSQL site names its audit key, checkpoints and outbox (docs/scale.md). */
const siteEnv = (cluster) => ({
  JIAYI_AUDIT_KEY_FILE: join(cluster.dir, 'audit-key'),
  JIAYI_AUDIT_CHECKPOINTS: join(cluster.dir, 'audit-checkpoints'),
  JIAYI_OUTBOX: `file:${join(cluster.dir, 'outbox.jsonl')}`,
});
const run = (cluster, args, bin) => jiayi(args, { env: { ...process.env, ...siteEnv(cluster) }, bin });
/* The counties are built by the release build when there is one, as the other tests' are
 * (tests/lib/server.mjs); everything else here runs under the sanitizers. */
const demo = (cluster, args) => run(cluster, ['demo', ...args], DEMO_BIN);

/* The indicators that are sums of per-resident parts: the ones a roll-up adds up. The
 * direct ones (a median, and slots, which belong to hospitals) are counted from rows. */
const NOT_SUMS = new Set(['referral_seen_days_median', 'slot_use_rate']);

/* What a node's database has done so far, from its statistics. */
const activity = (cluster) => cluster.psql('postgres',
  "SELECT xact_commit + xact_rollback, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database WHERE datname = 'county'");

test('two counties on two nodes, the city on a coordinator', async () => {
  const [node1, node2, coordinator] = await Promise.all([startCluster(), startCluster(), startCluster()]);
  clusters.push(node1, node2, coordinator);
  const counties = [[node1, '511524', 200, 1], [node2, '511502', 150, 7]];
  for (const [node, county, residents, seed] of counties) {
    node.psql('postgres', 'CREATE DATABASE county');
    const options = ['--county', county, '--residents', String(residents), '--seed', String(seed), '--password', 'Test-pass-1'];
    if (node === node1) {
      demo(node, ['--db', node.uri('county'), ...options]);
      continue;
    }
    // The second county grew up on a SQLite file and moves onto its node with `jiayi copy`.
    const file = join(node.dir, 'county.sqlite');
    demo(node, ['--db', file, ...options]);
    run(node, ['copy', '--db', file, '--to', node.uri('county')]);
    for (const table of ['residents', 'contracts', 'followups', 'tasks', 'kpi_counters', 'audit_log']) {
      assert.equal(node.psql('county', `SELECT count(*) FROM ${table}`), dbSql(file, `SELECT count(*) FROM ${table}`), table);
    }
    assert.match(run(node, ['kpi', 'check', '--db', node.uri('county')]).stdout, /indicators exact/);
    assert.match(run(node, ['audit', 'verify', '--db', node.uri('county')]).stdout, /audit chain intact/);
    assert.throws(() => run(node, ['copy', '--db', file, '--to', node.uri('county')]), /already holds a county/);
  }
  coordinator.psql('postgres', 'CREATE DATABASE city');
  const city = coordinator.uri('city');
  run(coordinator, ['migrate', '--db', city]);
  run(coordinator, ['federate', '--db', city, '--node', 'a', '--node-db', node1.uri('county'), '--counties', '511524']);
  run(coordinator, ['federate', '--db', city, '--node', 'b', '--node-db', node2.uri('county'), '--counties', '511502']);
  // Attaching again replaces the node's partition; a county already on a node is refused.
  run(coordinator, ['federate', '--db', city, '--node', 'b', '--node-db', node2.uri('county'), '--counties', '511502']);
  assert.throws(() => run(coordinator, ['federate', '--db', city, '--node', 'c', '--node-db', node2.uri('county'),
    '--counties', '511502']), /overlap/);
  run(coordinator, ['user', 'add', '--db', city, '--username', 'city', '--role', 'health_commission',
    '--name', '宜宾市卫生健康委员会', '--region', '511500', '--password', 'Test-pass-1']);

  // Every large table is partitioned by county, each partition on its node.
  assert.equal(coordinator.psql('city',
    'SELECT county_code, count(*) FROM federation.residents GROUP BY county_code ORDER BY county_code'),
  '511502|150\n511524|200');

  const countyServers = [];
  for (const [node] of counties) countyServers.push(await startServer(node.uri('county'), { env: siteEnv(node) }));
  const cityServer = await startServer(city, { env: siteEnv(coordinator) });
  servers.push(...countyServers, cityServer);
  // Each county's daily pass writes its reminders (reminder_completion_rate counts them):
  // compare the city with its counties once both passes are done, not while one still writes.
  const passDone = /daily job: (the pass is done|another server has run)/;
  for (const s of countyServers) {
    for (let i = 0; i < 600 && !passDone.test(s.log()); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(s.log(), passDone, 'the county server\'s daily pass ended');
  }
  const indicators = async (server, user, region) => {
    const r = await server.request('GET', `/api/v1/indicators?scope=region:${region}&period=${YEAR}`,
      { token: await server.login(user) });
    assert.equal(r.status, 200, r.text);
    return Object.fromEntries(r.json.items.map((i) => [i.code, i]));
  };

  // The city's roll-up is the sum of its counties, indicator by indicator.
  const [a, b] = [await indicators(countyServers[0], 'county', '511524'), await indicators(countyServers[1], 'county', '511502')];
  const whole = await indicators(cityServer, 'city', '511500');
  let compared = 0;
  for (const [code, item] of Object.entries(whole)) {
    if (NOT_SUMS.has(code)) continue;
    assert.equal(item.numerator, a[code].numerator + b[code].numerator, `${code} numerator`);
    // A count (referrals up, say) is its numerator; its denominator is always 1.
    const counted = item.unit === 'count';
    assert.equal(item.denominator, counted ? 1 : a[code].denominator + b[code].denominator, `${code} denominator`);
    compared++;
  }
  assert.ok(compared >= 20, `${compared} indicators compared`);
  console.log(`federation: the city's ${compared} summed indicators are its two counties' sums`);
  assert.ok(whole.signing_rate.denominator === 350 && a.signing_rate.numerator !== b.signing_rate.numerator,
    'two different counties');
  // The city breaks down into its two counties, each as its own server reports it.
  const breakdown = await cityServer.request('GET',
    '/api/v1/indicators/breakdown?scope=region:511500&by=region&codes=signing_rate',
    { token: await cityServer.login('city') });
  assert.equal(breakdown.status, 200, breakdown.text);
  assert.deepEqual(breakdown.json.items.map((i) => [i.scope, i.items[0].numerator]).sort(),
    [['region:511502', b.signing_rate.numerator], ['region:511524', a.signing_rate.numerator]]);

  // A county's work list and follow-up writes touch its node only: with its neighbour's
  // server stopped, the neighbour's database does nothing while the county works.
  await servers.splice(1, 1)[0].stop();
  const county1 = countyServers[0];
  const doctor = await county1.login('doctor01');
  const quiet = activity(node2);
  const work = await county1.request('GET', '/api/v1/worklist?doctor=me', { token: doctor });
  assert.equal(work.status, 200, work.text);
  const task = work.json.items.find((t) => t.program === 'hypertension');
  assert.ok(task, `a hypertension follow-up is on the work list: ${work.text.slice(0, 300)}`);
  const followup = await county1.request('POST', '/api/v1/followups', {
    token: doctor,
    body: { resident_id: task.resident_id, program: 'hypertension', visit_date: daysAgo(1), sbp: 128, dbp: 82,
      findings: [], mode: 'clinic' },
  });
  assert.equal(followup.status, 201, followup.text);
  await new Promise((r) => setTimeout(r, 1200)); // statistics are flushed about once a second
  assert.equal(activity(node2), quiet, 'the other county\'s node did nothing');
  assert.equal(node1.psql('county', `SELECT count(*) FROM followups WHERE id = ${followup.json.id}`), '1');

  // The coordinator reads one county's rows from that county's node only, and writes none.
  const plan = coordinator.psql('city', "EXPLAIN (VERBOSE) SELECT count(*) FROM federation.followups WHERE county_code = '511524'");
  assert.deepEqual(plan.match(/Foreign Scan on \S+/g), ['Foreign Scan on jiayi_node_a.followups'], plan);
  assert.equal(coordinator.psql('city', "SELECT count(*) FROM federation.followups WHERE county_code = '511524'"),
    node1.psql('county', 'SELECT count(*) FROM followups'));
  assert.throws(() => coordinator.psql('city', "DELETE FROM federation.followups WHERE county_code = '511524'"),
    /does not allow deletes/);
});
