// PostgreSQL against SQLite (issue 17), one run, same machine, same county: the time to build
// the demo county (on PostgreSQL: the SQLite build moved there by `jiayi copy`), the county's
// indicators (p50/p99), a doctor's work list (p99), durable follow-ups per second with 8 and
// 32 concurrent writers, the server's memory and the size on disk; then the county as a node
// of a city's coordinator (postgres_fdw, docs/scale.md) and the city's indicators read there.
// PostgreSQL runs durable (fsync on, synchronous_commit on) in a throwaway cluster.
// `node bench/postgresql.mjs BIN WORKDIR` (bench/run-all); BENCH_PG_RESIDENTS sets the size
// (default 300,000, a county). BENCH_PG_CITY=1 measures the demo city instead (default
// 10,000,000 residents in ten counties, about an hour to build; not part of `make bench`): the
// city's indicators besides one county's, on both engines; an existing WORKDIR/pg-bench.sqlite
// of the same size is reused (its build time is kept beside it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { psql, startCluster } from '../tests/lib/pg.mjs';

const [bin, work] = process.argv.slice(2);
const here = new URL('.', import.meta.url).pathname;
const city = process.env.BENCH_PG_CITY === '1';
const residents = process.env.BENCH_PG_RESIDENTS || (city ? '10000000' : '300000');
const password = 'Bench-pass-1';
const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  if (cmd === 'wrk' && r.stderr) process.stderr.write(r.stderr); // a script's unexpected answers
  return r.stdout;
}

/* wrk's requests/s and latency percentiles (ms). */
function wrk(script, url, connections, env) {
  // A city's answers can take seconds: wrk's default timeout (2 s) would drop them uncounted.
  const out = run('wrk', [`-t${Math.min(2, connections)}`, `-c${connections}`, '-d4s', '--timeout', '60s', '--latency', '-s', join(here, script), url], env);
  const ms = (label) => {
    const m = out.match(new RegExp(`^\\s+${label}%\\s+([\\d.]+)(us|ms|s)`, 'm'));
    return m ? Number(m[1]) * { us: 1e-3, ms: 1, s: 1e3 }[m[2]] : NaN;
  };
  return { rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]), p50: ms(50), p99: ms(99) };
}

/* Reads one after the other for about 4 s, each to its end (wrk stops at 4 s and leaves a
 * slower answer running in the server, where it would slow what is measured next): at
 * least one, however long it takes. p50/p99 over the answers, ms. */
async function timedReads(url, token, seconds = 4) {
  const times = [];
  const start = Date.now();
  do {
    const t = process.hrtime.bigint();
    const r = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(900e3) });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`${url}: ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  } while (Date.now() - start < seconds * 1000);
  times.sort((x, y) => x - y);
  const at = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
  return { n: times.length, p50: at(0.5), p99: at(0.99) };
}

/* Starts `jiayi serve` and waits for its daily pass; returns { base, login, stop, rss }. */
async function serve(name, db, env, port) {
  // The log goes to a file: a pipe would fill while wrk runs (spawnSync blocks this process's
  // reading) and stall the server's threads on their log lines.
  const logPath = join(work, `serve-${name}.log`);
  const logFd = openSync(logPath, 'w');
  const server = spawn(bin, ['serve', '--db', db, '--port', String(port), '--threads', '32', '--web', join(here, '../web')],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', logFd] });
  const log = () => readFileSync(logPath, 'utf8');
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/api/v1/health`)).ok) break; } catch { /* not yet */ }
    await sleep(100);
  }
  // The daily pass at start (a coordinator has none). Over a city it takes longer than the
  // wait: then the measurements run alongside it, the worst case a user meets at 02:00.
  for (let i = 0; i < 1200 && !/reminders written|coordinator/.test(log()); i++) await sleep(100);
  const login = async (username) => (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username, password }) })).json()).token;
  return {
    base, login,
    passDone: () => /reminders written|coordinator/.test(log()),
    rss: () => Number(run('ps', ['-o', 'rss=', '-p', String(server.pid)]).trim()),
    async stop() { server.kill('SIGTERM'); await new Promise((r) => server.on('exit', r)); },
  };
}

async function measure(engine, db, env, sql) {
  const server = await serve(engine, db, env, 18390 + (engine === 'sqlite' ? 0 : 1));
  const { base } = server;
  const county = await server.login('county'), doctor = await server.login('doctor01');
  const year = today.slice(0, 4);
  const indicators = await timedReads(`${base}/api/v1/indicators?scope=region:511524&period=${year}`, county);
  const cityIndicators = city
    ? await timedReads(`${base}/api/v1/indicators?scope=region:511500&period=${year}`, await server.login('city'))
    : null;
  const worklist = wrk('read.lua', `${base}/api/v1/worklist?doctor=me`, 1, { TOKEN: doctor });
  const worklists = wrk('read.lua', `${base}/api/v1/worklist?doctor=me`, 8, { TOKEN: doctor }); // a node's read capacity
  const ids = join(work, `${engine}-patients.txt`);
  // The hypertension patients living in the grid cells of doctor01's team.
  const patients = sql(`SELECT e.resident_id FROM enrolments e JOIN residents r ON r.id = e.resident_id
    JOIN team_cells tc ON tc.region_code = r.region JOIN teams t ON t.id = tc.team_id
    JOIN staff s ON s.id = t.doctor_id JOIN users u ON u.id = s.user_id
    WHERE u.username = 'doctor01' AND e.program = 'hypertension' AND e.end_date IS NULL AND r.status = 'alive'`);
  writeFileSync(ids, `${patients}\n`);
  const writes = {};
  for (const writers of [8, 32]) {
    const before = Number(sql('SELECT count(*) FROM followups'));
    wrk('followup.lua', base, writers, { TOKEN: doctor, TODAY: today, IDS_FILE: ids });
    writes[writers] = Math.round((Number(sql('SELECT count(*) FROM followups')) - before) / 4);
  }
  const rss = server.rss(), passDone = server.passDone();
  await server.stop();
  return { indicators, cityIndicators, worklist, worklists, writes, rss, passDone };
}

function timed(f) {
  const start = Date.now();
  f();
  return (Date.now() - start) / 1000;
}

/* The province simulation (docs/scale.md): a province's load is its counties' load, and a
 * node's capacity is what this run measured on one node; the sizing table follows. The
 * county's load is read from the demo county itself: the services it recorded in the last
 * year, over 250 working days of 8 hours, five times the average at the morning peak. */
function province(pg, pgBytes, cityRead) {
  const n = Number(residents);
  const recorded = Number(run('sqlite3', [sqliteDb, `SELECT
    (SELECT count(*) FROM followups WHERE visit_date > date('${today}', '-365 days'))
    + (SELECT count(*) FROM encounters WHERE encounter_date > date('${today}', '-365 days'))
    + (SELECT count(*) FROM contracts WHERE start_date > date('${today}', '-365 days'))
    + (SELECT count(*) FROM referrals WHERE referred_on > date('${today}', '-365 days'))
    + (SELECT count(*) FROM exam_results WHERE exam_date > date('${today}', '-365 days'))`]).trim());
  const staff = Number(run('sqlite3', [sqliteDb, 'SELECT count(*) FROM staff']).trim());
  const peakWritesPerResident = (recorded / (250 * 8 * 3600)) * 5 / n;
  // Every staff member at the peak: one screen every 20 s, a tenth of them at once.
  const peakReadsPerResident = (staff / n) * 0.1 / 20;
  const bytesPerResident = pgBytes / n;
  const writeCapacity = Math.min(pg.writes[8], pg.writes[32]) * 0.5; // half, for headroom
  const readCapacity = pg.worklists.rps * 0.5;
  console.log(`  province simulation from this node: ${(recorded / n).toFixed(2)} recorded services per resident`
    + ` a year, ${(peakWritesPerResident * 1e6).toFixed(2)} peak writes/s per million residents,`
    + ` ${(peakReadsPerResident * 1e6).toFixed(0)} peak reads/s per million, ${(bytesPerResident / 1024).toFixed(1)} KB`
    + ` per resident on disk; a node takes ${Math.round(writeCapacity)} writes/s and ${Math.round(readCapacity)} reads/s at half load`);
  console.log('  | platform | residents | counties | peak writes/s | peak reads/s | disk | nodes (2 vCPU) | nodes (8 vCPU, 32 GB) | expected p99 |');
  for (const [name, people, counties] of [['a city (Yibin)', 4.6e6, 10], ['a city (Chengdu)', 21e6, 23], ['a province (Sichuan)', 84e6, 183]]) {
    const writes = people * peakWritesPerResident, reads = people * peakReadsPerResident, disk = people * bytesPerResident;
    // Writes are one writer per node: more cores do not add write capacity, more nodes do.
    const small = Math.max(Math.ceil(writes / writeCapacity), Math.ceil(reads / readCapacity), Math.ceil(disk / 200e9));
    const large = Math.max(Math.ceil(writes / writeCapacity), Math.ceil(reads / (readCapacity * 4)), Math.ceil(disk / 1e12));
    console.log(`  | ${name} | ${(people / 1e6).toFixed(1)} M | ${counties} | ${Math.round(writes)} | ${Math.round(reads)} |`
      + ` ${(disk / 1e9).toFixed(0)} GB | ${Math.min(small, counties)} | ${Math.min(large, counties)} |`
      + ` county ${f(pg.indicators.p99)} ms, work list ${f(pg.worklist.p99)} ms, roll-up ${f(cityRead.p99)} ms + the slowest node |`);
  }
}
const f = (x) => (Number.isFinite(x) ? x.toFixed(2) : '?');

const sqliteDb = join(work, 'pg-bench.sqlite');
const buildTimeFile = `${sqliteDb}.build-seconds`;
const built = () => existsSync(sqliteDb) && existsSync(buildTimeFile)
  && run('sqlite3', [sqliteDb, 'SELECT count(*) FROM residents']).trim() === residents;
let sqliteBuild;
if (city && built()) {
  sqliteBuild = Number(readFileSync(buildTimeFile, 'utf8'));
} else {
  rmSync(sqliteDb, { force: true });
  // A county is filed under its city (--county), so that a coordinator can roll the city up.
  // (A city of a million or fewer is its first county alone, still filed under the city.)
  const shape = city && Number(residents) > 1e6 ? ['--seed', '1'] : ['--county', '511524'];
  sqliteBuild = timed(() => run(bin, ['demo', '--db', sqliteDb, '--residents', residents, ...shape, '--password', password]));
  writeFileSync(buildTimeFile, String(sqliteBuild));
}
if (city && run('sqlite3', [sqliteDb, "SELECT count(*) FROM users WHERE username = 'city'"]).trim() === '0') {
  // The city's health commission (an area user of the whole city).
  run(bin, ['user', 'add', '--db', sqliteDb, '--username', 'city', '--role', 'health_commission', '--name', 'city',
    '--region', '511500', '--password', password]);
}
const counties = run('sqlite3', [sqliteDb, "SELECT group_concat(code) FROM regions WHERE level = 'county'"]).trim();
// doctor01's team takes over every grid cell of the township (as bench/followups.sh does),
// so that she has patients enough for 32 writers; the counters are rebuilt after. Done once,
// before the county is copied, so both engines start from the same data. In the city, a
// county of a million, her own cells hold enough.
if (!city) {
  run('sqlite3', [sqliteDb, `UPDATE team_cells SET team_id = (SELECT t.id FROM teams t JOIN staff s ON s.id = t.doctor_id
    JOIN users u ON u.id = s.user_id WHERE u.username = 'doctor01') WHERE region_code LIKE '511524101%'`]);
  run(bin, ['kpi', 'rebuild', '--db', sqliteDb]);
}

const cluster = await startCluster({ fast: false, settings: { synchronous_commit: 'on', shared_buffers: "'256MB'" } });
try {
  cluster.psql('postgres', 'CREATE DATABASE county');
  const pgDb = cluster.uri('county');
  // The same audit key as the file's: the chain is copied as it is.
  const env = { JIAYI_AUDIT_KEY_FILE: `${sqliteDb}.audit-key`, JIAYI_AUDIT_CHECKPOINTS: join(work, 'pg.audit-checkpoints'), JIAYI_OUTBOX: `file:${join(work, 'pg.outbox.jsonl')}` };
  const pgCopy = timed(() => run(bin, ['copy', '--db', sqliteDb, '--to', pgDb], env));
  // The copy leaves the cluster's buffers dirty: flushed now, not by a checkpoint that
  // stalls the commits measured below (8 writers once waited 5 s for one).
  psql(pgDb, 'CHECKPOINT');
  const sqlite = await measure('sqlite', sqliteDb, {}, (q) => run('sqlite3', [sqliteDb, q]).trim());
  const sqliteBytes = statSync(sqliteDb).size;
  const pg = await measure('postgresql', pgDb, env, (q) => psql(pgDb, q));
  const pgBytes = Number(psql(pgDb, "SELECT pg_database_size('county')"));

  // The county as the one node of a city's coordinator (another database of the cluster,
  // reached through postgres_fdw on loopback): the city's indicators read there against the
  // county's read on its own node.
  cluster.psql('postgres', 'CREATE DATABASE city');
  const cityDb = cluster.uri('city');
  const cityEnv = { JIAYI_AUDIT_KEY_FILE: join(work, 'city.audit-key'), JIAYI_AUDIT_CHECKPOINTS: join(work, 'city.audit-checkpoints'), JIAYI_OUTBOX: `file:${join(work, 'city.outbox.jsonl')}` };
  run(bin, ['migrate', '--db', cityDb], cityEnv);
  run(bin, ['federate', '--db', cityDb, '--node', 'a', '--node-db', pgDb, '--counties', counties], cityEnv);
  run(bin, ['user', 'add', '--db', cityDb, '--username', 'city', '--role', 'health_commission', '--name', 'city',
    '--region', '511500', '--password', password], cityEnv);
  const coordinator = await serve('coordinator', cityDb, cityEnv, 18392);
  const year = today.slice(0, 4);
  const cityRead = await timedReads(`${coordinator.base}/api/v1/indicators?scope=region:511500&period=${year}`,
    await coordinator.login('city'));
  await coordinator.stop();

  const ratio = (a, b) => (b ? (a / b).toFixed(2) : '?');
  console.log(`postgresql vs sqlite, ${residents} residents (PostgreSQL durable, one local cluster):`);
  console.log(`  build the county: ${sqliteBuild.toFixed(1)} s on SQLite, then jiayi copy to PostgreSQL ${pgCopy.toFixed(1)} s`);
  const reads = (a, b) => `p50 ${f(a.p50)} ms, p99 ${f(a.p99)} ms (${a.n} answers) vs p50 ${f(b.p50)} ms, p99 ${f(b.p99)} ms (${b.n})`;
  console.log(`  county indicators: ${reads(pg.indicators, sqlite.indicators)}`);
  if (city) console.log(`  city indicators: ${reads(pg.cityIndicators, sqlite.cityIndicators)}`);
  console.log(`  the daily pass at start had finished before the end of the measurements: ${pg.passDone ? 'yes' : 'no'} vs ${sqlite.passDone ? 'yes' : 'no'}`);
  console.log(`  work list p99: ${f(pg.worklist.p99)} ms vs ${f(sqlite.worklist.p99)} ms`);
  for (const w of [8, 32]) console.log(`  durable follow-ups/s, ${w} writers: ${pg.writes[w]} vs ${sqlite.writes[w]} (ratio ${ratio(pg.writes[w], sqlite.writes[w])})`);
  console.log(`  server memory: ${Math.round(pg.rss / 1024)} MB vs ${Math.round(sqlite.rss / 1024)} MB; on disk: ${Math.round(pgBytes / 2 ** 20)} MB vs ${Math.round(sqliteBytes / 2 ** 20)} MB`);
  console.log(`  the city's indicators at a coordinator of one node: p50 ${f(cityRead.p50)} ms, p99 ${f(cityRead.p99)} ms (${cityRead.n} answers)`
    + ` (the county's on its node: p99 ${f(pg.indicators.p99)} ms)`);
  console.log(`  work lists/s, 8 clients: ${Math.round(pg.worklists.rps)} vs ${Math.round(sqlite.worklists.rps)}`);
  province(pg, pgBytes, cityRead);
} finally {
  cluster.stop();
}
