// A real jiayi server for a test file: its own demo database in a temp dir, a random
// port, logins, and a clean SIGTERM stop. Shared by the API, crash and browser tests.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import './clock.mjs'; // fixes JIAYI_TODAY for every process started here
import { isPostgresUri, psql, psqlJson, startCluster } from './pg.mjs';
import { piiOpen, piiDigest } from './pii.mjs';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const BIN = process.env.JIAYI_BIN || join(ROOT, 'build/jiayi');
export const PASSWORD = 'Test-pass-1';
/* Every account a test makes gets argon2id's cheapest cost (OWASP's 5 passes over 7 MiB,
 * auth/password.h): the suite logs in thousands of times, and at the default cost those
 * checks were half the API suite's time. A test of the cost itself sets its own. */
process.env.JIAYI_PASSWORD_COST ??= 'minimum';

/* The engine the suite runs on: SQLite files by default; PostgreSQL when JIAYI_TEST_DB is
 * `postgresql`, in the cluster JIAYI_TEST_PG names (the lane runner starts one for all its
 * files) or else in one this process starts. */
export const ENGINE = process.env.JIAYI_TEST_DB === 'postgresql' ? 'postgresql' : 'sqlite';
export const ON_POSTGRESQL = ENGINE === 'postgresql';
let pgBase = process.env.JIAYI_TEST_PG || null;
if (ON_POSTGRESQL && !pgBase) pgBase = (await startCluster()).base;

/* What a jiayi process on a PostgreSQL database needs besides --db: there is no file to keep
 * the audit key, its checkpoints and the outbox next to. */
const pgFiles = new Map();
function engineEnv(args) {
  const i = args.indexOf('--db');
  const files = i >= 0 ? pgFiles.get(args[i + 1]) : null;
  return files ? { JIAYI_AUDIT_KEY_FILE: files.key, JIAYI_AUDIT_CHECKPOINTS: files.checkpoints, JIAYI_OUTBOX: `file:${files.outbox}` } : {};
}

/* SQL against a test database, whichever the engine: rows as the sqlite3 CLI prints them. */
export function dbSql(db, sql) {
  if (isPostgresUri(db)) return psql(db, sql);
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return r.stdout.trim();
}

/* The PII key file of a test database (util/seal.h): beside a SQLite file, beside the audit
 * key of a PostgreSQL one. piiOpen / piiDigest (tests/lib/pii.mjs) with it. */
export function piiKeyFile(db) {
  const files = pgFiles.get(db);
  return files ? `${files.key}.pii` : `${db}.pii-key`;
}
export const openPii = (db, text) => piiOpen(piiKeyFile(db), text);
export const digestPii = (db, label, value) => piiDigest(piiKeyFile(db), label, value);

/* Rows as objects (sqlite3 -json). */
export function dbJson(db, sql) {
  if (isPostgresUri(db)) return psqlJson(db, sql);
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', '-json', db, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`);
  return JSON.parse(r.stdout || '[]');
}

/* The first report of AddressSanitizer, LeakSanitizer or UndefinedBehaviorSanitizer in a
 * process's output (the sanitizer build's verdict), or null. Such a report fails the test
 * that produced it, whatever the exit status says. */
export function sanitizerReport(text) {
  const m = /(==\d+==ERROR: (Address|Leak)Sanitizer|runtime error:|SUMMARY: (Address|Leak|UndefinedBehavior)Sanitizer)/.exec(text || '');
  return m ? text.slice(Math.max(0, m.index - 200), m.index + 6000) : null;
}

/* Runs a jiayi command; throws when it fails (unless options.check === false) or when a
 * sanitizer reported anything, even with check off. */
export function jiayi(args, options = {}) {
  const env = { ...process.env, ...engineEnv(args), ...(options.env || {}) };
  const r = spawnSync(options.bin || BIN, args, { encoding: 'utf8', ...options, env });
  const report = sanitizerReport(r.stderr);
  if (report) throw new Error(`jiayi ${args.join(' ')}: sanitizer report:\n${report}`);
  if (options.check !== false && r.status !== 0)
    throw new Error(`jiayi ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r;
}

/* A demo county in a fresh temp dir. Building one takes seconds (under the sanitizers, and
 * mostly hashing passwords and writing the county), and most test files ask for the same few
 * (residents 0, seed 1), so each kind is built once per binary and day and copied: the
 * database with its audit key and checkpoints, the files `jiayi demo` writes beside it.
 * The cached counties are built by the release binary when there is one (JIAYI_RELEASE_BIN,
 * set by `make test`): a county is the same whichever build writes it, and the sanitizer
 * build takes four times as long. The builder itself still runs under the sanitizers in the
 * tests that ask for `fresh: true` and in api/demo. */
const DEMO_CACHE = join(tmpdir(), 'jiayi-demo-cache');
export const DEMO_BIN = process.env.JIAYI_RELEASE_BIN || BIN;
/* The same release build for a check a test repeats after every step of a walk (`kpi
 * check` recomputing every counter): an oracle, not the code under test, which the
 * sanitizer build still runs where a test checks once. */
export const ORACLE_BIN = DEMO_BIN;

function demoCacheDir(args) {
  const bin = statSync(DEMO_BIN);
  const key = createHash('sha256')
    .update(JSON.stringify([DEMO_BIN, bin.mtimeMs, bin.size, process.env.JIAYI_TODAY, process.env.JIAYI_PASSWORD_COST, args]))
    .digest('hex').slice(0, 24);
  return join(DEMO_CACHE, key);
}

/* Runs `build` unless another process holds the lock of `cached`, in which case it waits for
 * that one to finish: the lanes of `make test` run at once and often want the same county.
 * A lock older than ten minutes is a crashed builder's and is taken over. */
function onceAcrossProcesses(cached, isDone, build) {
  mkdirSync(DEMO_CACHE, { recursive: true });
  const lock = `${cached}.lock`;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    if (isDone()) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      } catch { /* released meanwhile */ }
      Atomics.wait(pause, 0, 0, 200);
    }
  }
  try {
    if (!isDone()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function buildCachedDemo(args) {
  const cached = demoCacheDir(args);
  onceAcrossProcesses(cached, () => existsSync(join(cached, 'done')), () => {
    // Built aside and renamed into place, so no test process sees half a demo.
    const building = mkdtempSync(join(DEMO_CACHE, 'building-'));
    jiayi(['demo', '--db', join(building, 'test.sqlite'), ...args], { bin: DEMO_BIN });
    writeFileSync(join(building, 'done'), '');
    renameSync(building, cached);
  });
  return cached;
}

/* On PostgreSQL a built county is a template database (demo_<key>) with its key and
 * checkpoint files in the cache dir; each test gets a copy made by CREATE DATABASE ...
 * TEMPLATE, which copies files and is fast. The template is the cached SQLite county moved
 * there by `jiayi copy` (a county built on PostgreSQL takes ten times as long); the builder
 * itself runs on PostgreSQL in the tests that ask for `fresh: true`. */
function makePgDemo(args, dir, fresh) {
  const files = { key: join(dir, 'test.audit-key'), checkpoints: join(dir, 'test.audit-checkpoints'), outbox: join(dir, 'test.outbox.jsonl') };
  const name = `t_${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`;
  const db = `${pgBase}/${name}`;
  pgFiles.set(db, files);
  if (fresh) {
    psql(`${pgBase}/postgres`, `CREATE DATABASE ${name}`);
    jiayi(['demo', '--db', db, ...args]);
    return { dir, db, ...files };
  }
  const cached = demoCacheDir([pgBase, ...args]);
  const template = `demo_${cached.slice(-24)}`;
  const ready = () => existsSync(join(cached, 'done'))
    // A cache entry outlives its cluster: trust it only while the template is there.
    && (psql(`${pgBase}/postgres`, `SELECT 1 FROM pg_database WHERE datname = '${template}'`)
      || (rmSync(cached, { recursive: true, force: true }), false));
  onceAcrossProcesses(cached, ready, () => {
    const building = mkdtempSync(join(DEMO_CACHE, 'building-'));
    const scratch = `b_${createHash('sha256').update(building).digest('hex').slice(0, 16)}`;
    const uri = `${pgBase}/${scratch}`;
    pgFiles.set(uri, { key: join(building, 'test.audit-key'), checkpoints: join(building, 'test.audit-checkpoints'), outbox: join(building, 'outbox.jsonl') });
    psql(`${pgBase}/postgres`, `DROP DATABASE IF EXISTS ${template}`);
    psql(`${pgBase}/postgres`, `CREATE DATABASE ${scratch}`);
    const county = buildCachedDemo(args);
    for (const [from, to] of [['test.sqlite', 'county.sqlite'], ['test.sqlite.audit-key', 'test.audit-key'],
      ['test.sqlite.audit-checkpoints', 'test.audit-checkpoints'], ['test.sqlite.pii-key', 'test.audit-key.pii']]) copyFileSync(join(county, from), join(building, to));
    jiayi(['copy', '--db', join(building, 'county.sqlite'), '--to', uri, '--pii-key', join(building, 'test.audit-key.pii')], { bin: DEMO_BIN });
    rmSync(join(building, 'county.sqlite'));
    psql(`${pgBase}/postgres`, `ALTER DATABASE ${scratch} RENAME TO ${template}`);
    writeFileSync(join(building, 'done'), '');
    renameSync(building, cached);
  });
  psql(`${pgBase}/postgres`, `CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY`);
  copyFileSync(join(cached, 'test.audit-key'), files.key);
  chmodSync(files.key, 0o600);
  copyFileSync(join(cached, 'test.audit-key.pii'), `${files.key}.pii`);
  chmodSync(`${files.key}.pii`, 0o600);
  copyFileSync(join(cached, 'test.audit-checkpoints'), files.checkpoints);
  return { dir, db, ...files };
}

/* `fresh: true` builds the county anew instead of copying the cached one (a test of the demo
 * builder itself: two builds with one seed must agree). Returns { dir, db, key, checkpoints,
 * outbox }: db is a file, or a postgresql:// URI (ON_POSTGRESQL). */
export function makeDemo({ residents = 0, seed = 1, password = PASSWORD, name = 'test', fresh = false } = {}) {
  const args = ['--residents', String(residents), '--seed', String(seed), '--password', password];
  const dir = mkdtempSync(join(tmpdir(), `jiayi-${name}-`));
  if (ON_POSTGRESQL) return makePgDemo(args, dir, fresh);
  const sideFiles = (db) => ({ key: `${db}.audit-key`, checkpoints: `${db}.audit-checkpoints`, outbox: `${db}.outbox.jsonl` });
  if (fresh) {
    jiayi(['demo', '--db', join(dir, 'test.sqlite'), ...args]);
    return { dir, db: join(dir, 'test.sqlite'), ...sideFiles(join(dir, 'test.sqlite')) };
  }
  const cached = buildCachedDemo(args);
  for (const f of readdirSync(cached)) {
    if (!f.startsWith('test.sqlite')) continue;
    copyFileSync(join(cached, f), join(dir, f));
    chmodSync(join(dir, f), statSync(join(cached, f)).mode & 0o777);
  }
  return { dir, db: join(dir, 'test.sqlite'), ...sideFiles(join(dir, 'test.sqlite')) };
}

/* On PostgreSQL every server reads its dashboards and lists through `--read-db`: the same
 * database, on connections that refuse to write (default_transaction_read_only), as a hot
 * standby would. A list that wrote would fail its test. */
const readOnlyTwin = (db) => `${db}${db.includes('?') ? '&' : '?'}options=-c%20default_transaction_read_only%3Don`;

/* `args` are more `serve` options (`--secure-cookies`, `--trusted-proxy ...`). */
export function startServer(db, { env = {}, args = [] } = {}) {
  const readDb = isPostgresUri(db) && !args.includes('--read-db') ? ['--read-db', readOnlyTwin(db)] : [];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(BIN, ['serve', '--db', db, '--port', '0', '--bind', '127.0.0.1', '--web', join(ROOT, 'web'), ...readDb, ...args], {
      env: { ...process.env, ...engineEnv(['--db', db]), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (d) => { log += d; });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on port (\d+)/);
      if (m) resolvePromise(makeClient(child, Number(m[1]), () => log));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${log}`)));
  });
}

function makeClient(child, port, logText) {
  const base = `http://127.0.0.1:${port}`;
  const client = {
    child, port, base, log: logText,
    async request(method, path, { token, body, headers = {}, raw } = {}) {
      const h = { ...headers };
      if (token) h.Authorization = `Bearer ${token}`;
      let payload;
      if (raw !== undefined) payload = raw;
      else if (body !== undefined) { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
      const res = await fetch(base + path, { method, headers: h, body: payload });
      const text = await res.text();
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { json = null; }
      return { status: res.status, headers: res.headers, json, text };
    },
    async login(username, password = PASSWORD) {
      const r = await client.request('POST', '/api/v1/session', { body: { username, password } });
      if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
      return r.json.token;
    },
    /* SIGTERM, then the verdict: a clean stop exits 0 with no sanitizer report in its log;
     * anything else throws (so the after hook, and the test file, fail). Returns 0. */
    async stop() {
      if (process.env.JIAYI_TEST_SERVER_LOG) appendFileSync(process.env.JIAYI_TEST_SERVER_LOG, logText());
      const code = child.exitCode !== null || child.signalCode
        ? child.exitCode
        : await new Promise((res) => { child.on('exit', (c) => res(c)); child.kill('SIGTERM'); });
      const report = sanitizerReport(logText());
      if (report) throw new Error(`server on port ${port}: sanitizer report:\n${report}`);
      if (code !== 0) throw new Error(`server on port ${port} exited ${code ?? child.signalCode}:\n${logText().slice(-4000)}`);
      return code;
    },
    /* kill -9 (the crash tests): no exit status to judge, but its log must hold no report. */
    async kill() {
      if (child.exitCode === null && !child.signalCode) {
        await new Promise((res) => { child.on('exit', res); child.kill('SIGKILL'); });
      }
      const report = sanitizerReport(logText());
      if (report) throw new Error(`server on port ${port}: sanitizer report:\n${report}`);
    },
  };
  return client;
}

export function cleanup(dir) {
  rmSync(dir, { recursive: true, force: true });
}

// A valid GB 11643 number for a birth date and sequence (odd = male).
export function idNumber(birth, seq, division = '511524') {
  const body = division + birth.replaceAll('-', '') + String(seq).padStart(3, '0');
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}
