// Runs one lane of the node suites (API, crash, browser) for ctest: `node tests/lib/lane.mjs
// LANE LANES`. The API files run twice, the second time (`postgresql:api/...`) on a
// PostgreSQL cluster (issue 17) that ctest's fixture starts for all lanes (`--start-cluster
// FILE`, `--stop-cluster FILE`); `node tests/lib/lane.mjs --postgresql
// [api/FILE ...]` runs only those. `make test` runs ctest -j2, so the lanes are as many as the cores and as long
// as each other: what they take is known from tests/durations.json (seconds per file, measured
// with the sanitizer build; `node tests/lib/lane.mjs --durations LastTest.log` rewrites it
// from a run). Every browser file runs in lane 1, because two Chromiums at once starve each
// other on two cores; the other files fill the lanes longest first, each into the lane that
// is shortest so far. A file not listed yet counts as 30 s. Files run one at a time in a lane.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, stopCluster } from './pg.mjs';
import { ROOT } from './server.mjs';

const DURATIONS = join(ROOT, 'tests/durations.json');
const UNKNOWN_SECONDS = 30;
const SUITES = ['e2e', 'api', 'crash'];

const PG = 'postgresql:';
/* API files `make test` runs on SQLite only, to keep within its 15 minutes: three of the
 * longest on PostgreSQL (30 to 60 s each in a lane: demo counties built there, `kpi check`).
 * With all 47 the lanes took 823 and 843 s on a warm build (session 7), about 16.5 min from a
 * fresh clone. `dates` runs on both since session 9: its demo counties on 1 January, 31
 * December and 29 February are where the engines' date arithmetic could part.
 * `make check-postgresql` runs the whole API suite on PostgreSQL. */
const PG_LONG = ['grid_admin', 'operations', 'kpi_property'].map((f) => `api/${f}.test.mjs`);

/* Every file, and the API files again as `postgresql:api/...` (run on PostgreSQL). */
function testFiles() {
  const files = SUITES.flatMap((suite) => readdirSync(join(ROOT, 'tests', suite))
    .filter((f) => f.endsWith('.test.mjs'))
    .sort()
    .map((f) => `${suite}/${f}`));
  return [...files, ...files.filter((f) => f.startsWith('api/') && !PG_LONG.includes(f)).map((f) => PG + f)];
}

/* The PostgreSQL cluster: the one ctest's fixture started for all lanes (its address in the
 * file JIAYI_LANE_CLUSTER names), so that each demo county is built on it once, or else one
 * this process starts for its first PostgreSQL file. */
let cluster = null;
async function pgEnv() {
  const shared = process.env.JIAYI_LANE_CLUSTER;
  cluster ??= shared && existsSync(shared) ? { ...JSON.parse(readFileSync(shared, 'utf8')), stop() {} } : await startCluster();
  const env = { JIAYI_TEST_DB: 'postgresql', JIAYI_TEST_PG: cluster.base };
  if (process.env.JIAYI_RELEASE_BIN) env.JIAYI_BIN = process.env.JIAYI_RELEASE_BIN;
  return env;
}

async function runEntry(entry) {
  if (!entry.startsWith(PG)) return runFile(entry);
  return runFile(entry.slice(PG.length), await pgEnv(), entry);
}

export function assignLanes(files, durations, lanes) {
  const cost = (f) => durations[f] ?? UNKNOWN_SECONDS;
  const plan = Array.from({ length: lanes }, () => ({ files: [], seconds: 0 }));
  const add = (lane, f) => { lane.files.push(f); lane.seconds += cost(f); };
  for (const f of files.filter((f) => f.startsWith('e2e/'))) add(plan[0], f);
  const rest = files.filter((f) => !f.startsWith('e2e/'))
    .sort((a, b) => cost(b) - cost(a) || (a < b ? -1 : 1));
  for (const f of rest) add(plan.reduce((min, lane) => (lane.seconds < min.seconds ? lane : min)), f);
  return plan;
}

/* Reads the times this runner printed into ctest's log (`lane-time <file> <seconds>` lines)
 * and writes them to tests/durations.json. */
function writeDurations(logPath) {
  const found = {};
  for (const m of readFileSync(logPath, 'utf8').matchAll(/^lane-time (\S+) (\d+)$/gm)) found[m[1]] = Number(m[2]);
  const sorted = Object.fromEntries(Object.entries(found).sort(([a], [b]) => (a < b ? -1 : 1)));
  writeFileSync(DURATIONS, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`${Object.keys(sorted).length} files written to ${DURATIONS}`);
}

/* The failed tests of a file's TAP output, each with the head of its error: repeated at the
 * end of the lane, where a CI page that shows only the tail of a long log still shows them. */
const failures = [];
function keepFailures(label, tap) {
  const lines = tap.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*not ok /.test(lines[i])) continue;
    const block = [lines[i]];
    for (let j = i + 1; j < lines.length && block.length < 16 && !/^\s*\.\.\.$/.test(lines[j]); j++) block.push(lines[j]);
    failures.push(`${label}:\n${block.join('\n')}`);
  }
}

/* One file in its own node test runner, so that its time is its own. */
function runFile(file, env = {}, label = file) {
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--test', '--test-concurrency=1', join(ROOT, 'tests', file)],
      { stdio: ['ignore', 'pipe', 'inherit'], cwd: ROOT, env: { ...process.env, ...env } });
    let tap = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tap += chunk;
    });
    child.on('close', (code, signal) => {
      console.log(`lane-time ${label} ${Math.round((Date.now() - started) / 1000)}`);
      if (code !== 0 || signal) keepFailures(label, tap);
      resolvePromise(code === 0 && !signal);
    });
  });
}

function reportFailures(prefix, failed) {
  if (!failed.length) return;
  console.log(`${prefix}: failed: ${failed.join(' ')}`);
  for (const f of failures) console.log(f);
}

if (process.argv[2] === '--durations') {
  writeDurations(process.argv[3]);
} else if (process.argv[2] === '--start-cluster') {
  // ctest's fixture: one cluster for every lane, left running for them (and a cluster an
  // interrupted run left behind stopped first).
  if (existsSync(process.argv[3])) stopCluster(JSON.parse(readFileSync(process.argv[3], 'utf8')).dir, 'immediate');
  const started = await startCluster({ keep: true });
  writeFileSync(process.argv[3], JSON.stringify({ base: started.base, dir: started.dir }));
} else if (process.argv[2] === '--stop-cluster') {
  if (existsSync(process.argv[3])) {
    stopCluster(JSON.parse(readFileSync(process.argv[3], 'utf8')).dir);
    rmSync(process.argv[3]);
  }
} else if (process.argv[2] === '--postgresql') {
  // The API suite (or the files named) on PostgreSQL only.
  const only = process.argv.slice(3);
  const files = only.length ? only : testFiles().filter((f) => f.startsWith('api/'));  // all of them
  const failed = [];
  for (const f of files) if (!(await runEntry(PG + f))) failed.push(f);
  cluster?.stop();
  reportFailures('postgresql', failed);
  process.exit(failed.length ? 1 : 0);
} else {
  const lane = Number(process.argv[2]);
  const lanes = Number(process.argv[3]);
  const durations = JSON.parse(readFileSync(DURATIONS, 'utf8'));
  const { files, seconds } = assignLanes(testFiles(), durations, lanes)[lane - 1];
  console.log(`lane ${lane} of ${lanes}: ${files.length} files, about ${seconds} s`);
  const failed = [];
  for (const f of files) if (!(await runEntry(f))) failed.push(f);
  cluster?.stop();
  reportFailures(`lane ${lane}`, failed);
  process.exit(failed.length ? 1 : 0);
}
