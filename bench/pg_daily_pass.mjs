// Writes beside the daily pass on PostgreSQL (issue 17): follow-ups/s and p99 from 8 wrk
// connections while a server's daily pass runs, then 10 s once it is over, on a durable
// throwaway cluster; each binary in turn on a fresh copy of one template of the county, two
// rounds. Not part of `make bench` (it needs a built county):
//   JIAYI_TODAY=<the county's day> node bench/pg_daily_pass.mjs COUNTY.sqlite WORKDIR BIN [BIN...]
// (a county from `jiayi demo --password Bench-pass-1`, e.g. bench/postgresql.mjs's
// pg-bench.sqlite).
import { spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster } from '../tests/lib/pg.mjs';
const [src, work, ...bins] = process.argv.slice(2);
const today = process.env.JIAYI_TODAY;
if (!src || !work || !bins.length || !today) throw new Error('usage: JIAYI_TODAY=DAY node bench/pg_daily_pass.mjs COUNTY.sqlite WORKDIR BIN [BIN...]');
const here = new URL('.', import.meta.url).pathname;
spawnSync('mkdir', ['-p', work]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cluster = await startCluster({ fast: false, settings: { shared_buffers: "'1GB'" } });
const env = { ...process.env, JIAYI_TODAY: today, JIAYI_AUDIT_KEY_FILE: `${src}.audit-key`, JIAYI_AUDIT_CHECKPOINTS: join(work, 'cp'), JIAYI_OUTBOX: `file:${join(work, 'o.jsonl')}` };
cluster.psql('postgres', 'CREATE DATABASE tpl');
let t = Date.now();
let r = spawnSync(bins[0], ['copy', '--db', src, '--to', cluster.uri('tpl')], { env, encoding: 'utf8' });
if (r.status) throw new Error(r.stderr);
console.log('copy s', (Date.now() - t) / 1000);
cluster.psql('tpl', "DELETE FROM settings WHERE key = 'daily_pass_claimed'");
cluster.psql('tpl', 'CHECKPOINT');
const ids = join(work, 'ids.txt');
writeFileSync(ids, cluster.psql('tpl', `SELECT e.resident_id FROM enrolments e JOIN residents r ON r.id = e.resident_id JOIN team_cells tc ON tc.region_code = r.region JOIN teams t ON t.id = tc.team_id JOIN staff s ON s.id = t.doctor_id JOIN users u ON u.id = s.user_id WHERE u.username = 'doctor01' AND e.program = 'hypertension' AND e.end_date IS NULL AND r.status = 'alive'`) + '\n');
for (const round of [1, 2]) for (const [k, bin] of bins.entries()) {
  const db = `r${round}_${k}`;
  cluster.psql('postgres', `CREATE DATABASE ${db} TEMPLATE tpl`);
  const logPath = join(work, `${db}.log`);
  const server = spawn(bin, ['serve', '--db', cluster.uri(db), '--port', '18500', '--threads', '32', '--web', join(here, '../web')], { env, stdio: ['ignore', 'ignore', openSync(logPath, 'w')] });
  const base = 'http://127.0.0.1:18500';
  for (let i = 0; i < 100; i++) { try { if ((await fetch(base + '/api/v1/health')).ok) break; } catch { /* not listening yet */ } await sleep(100); }
  const started = Date.now();
  const token = (await (await fetch(base + '/api/v1/session', { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: 'Bench-pass-1' }) })).json()).token;
  const before = Number(cluster.psql(db, 'SELECT count(*) FROM followups'));
  const w = spawnSync('wrk', ['-t2', '-c8', '-d20s', '--timeout', '60s', '--latency', '-s', join(here, 'followup.lua'), base], { env: { ...env, TOKEN: token, TODAY: today, IDS_FILE: ids }, encoding: 'utf8' });
  const n = Number(cluster.psql(db, 'SELECT count(*) FROM followups')) - before;
  const p99 = (w.stdout.match(/99%\s+(\S+)/) || [])[1];
  for (let i = 0; i < 3000 && !/the pass is done|indicators failed|job failed/.test(readFileSync(logPath, 'utf8')); i++) await sleep(100);
  const log = readFileSync(logPath, 'utf8');
  const pass = (log.match(/daily recompute[^\n]*/) || [''])[0];
  const quiet0 = Number(cluster.psql(db, 'SELECT count(*) FROM followups'));
  spawnSync('wrk', ['-t2', '-c8', '-d10s', '--timeout', '60s', '-s', join(here, 'followup.lua'), base], { env: { ...env, TOKEN: token, TODAY: today, IDS_FILE: ids }, encoding: 'utf8' });
  const quiet = (Number(cluster.psql(db, 'SELECT count(*) FROM followups')) - quiet0) / 10;
  const steps = [...log.matchAll(/T(\d\d:\d\d:\d\d)\.\d+Z INFO daily (recompute: \d+ population|job: \d+ (enrolments|contracts|reminders)|job: the pass)/g)]
    .map((m) => `${m[1]} ${m[3] || (m[2].startsWith('recompute') ? 'recompute' : 'done')}`).join(', ');
  console.log(`${bin} round ${round}: follow-ups/s ${(n / 20).toFixed(0)} p99 ${p99}; pass done after ${((Date.now() - started) / 1000).toFixed(0)} s; ${pass}; quiet ${quiet}/s; ${steps}`);
  server.kill('SIGTERM'); await new Promise((res) => server.on('exit', res));
  cluster.psql('postgres', `DROP DATABASE ${db}`);
}
cluster.stop();
