// Throwaway PostgreSQL clusters for the tests (issue 17): initdb and pg_ctl from Debian's
// postgresql package, in a temp dir, on a free port, stopped when the process exits. As root
// (CI), the cluster runs as the `postgres` user, since PostgreSQL refuses to run as root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin'];
/* The programs themselves, not Debian's pg_wrapper on PATH (a Perl script: it doubled the
 * time of every psql call, 76 ms against 38). */
const found = new Map();
const pgBin = (name) => {
  if (!found.has(name)) found.set(name, BIN_DIRS.map((d) => join(d, name)).find((p) => existsSync(p)) ?? name);
  return found.get(name);
};
const asRoot = process.getuid?.() === 0;
let postgresIds = null;

export function runPg(cmd, args, options = {}) {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', pgBin(cmd), ...args]] : [pgBin(cmd), args];
  return execFileSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/* A new cluster. `settings` are extra postgresql.conf lines (name -> value). Returns
 * { dir, port, base, uri(db), psql(db, sql), stop() }. */
/* `baseBackupOf: { primary, application }` makes the cluster a streaming standby of
 * `primary` (pg_basebackup -R), connecting under that application name. */
/* `keep: true` leaves the cluster running when this process exits (one process starts it
 * for others, and another stops it by its data directory: stopCluster). */
export async function startCluster({ settings = {}, fast = true, baseBackupOf = null, port: wanted = 0, keep = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'jiayi-pg-'));
  if (asRoot) {
    if (!postgresIds) {
      const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
      postgresIds = { uid: id('-u'), gid: id('-g') };
    }
    chownSync(dir, postgresIds.uid, postgresIds.gid);
  }
  const data = join(dir, 'data');
  if (baseBackupOf) {
    const { primary, application } = baseBackupOf;
    runPg('pg_basebackup', ['-D', data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync', '-d',
      `host=127.0.0.1 port=${primary.port} user=jiayi application_name=${application}`]);
  } else {
    runPg('initdb', ['-D', data, '-A', 'trust', '-U', 'jiayi', '-E', 'UTF8', '--locale=C.UTF-8', ...(fast ? ['--no-sync'] : [])]);
  }
  const port = wanted || await freePort();
  const conf = {
    port, listen_addresses: "'127.0.0.1'", unix_socket_directories: `'${dir}'`,
    max_connections: 200, shared_buffers: "'64MB'", ...(fast ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {}),
    ...settings,
  };
  const opts = Object.entries(conf).map(([k, v]) => `-c ${k}=${v}`).join(' ');
  runPg('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  const base = `postgresql://jiayi@127.0.0.1:${port}`;
  const cluster = {
    dir, data, port, base,
    uri: (db) => `${base}/${db}`,
    psql: (db, sql) => psql(`${base}/${db}`, sql),
    stop(mode = 'fast') { stopCluster(dir, mode); },
  };
  if (!keep) process.on('exit', () => { try { cluster.stop('immediate'); } catch { /* ignore */ } });
  return cluster;
}

/* Stops the cluster in `dir` (what startCluster made) and removes it. */
export function stopCluster(dir, mode = 'fast') {
  try { runPg('pg_ctl', ['-D', join(dir, 'data'), '-m', mode, '-w', 'stop']); } catch { /* already down */ }
  rmSync(dir, { recursive: true, force: true });
}

/* Runs SQL with psql; rows as SQLite's CLI prints them (fields joined by |, one per line). */
export function psql(uri, sql) {
  const r = spawnSync(pgBin('psql'), ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', 'SET client_min_messages = warning', '-c', sql, uri], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  return r.stdout.trim();
}

/* Rows as objects, as `sqlite3 -json` gives them. */
export function psqlJson(uri, sql) {
  const query = sql.trim().replace(/;$/, '');
  if (!/^(SELECT|WITH)\b/i.test(query)) { // a write: its RETURNING rows, if any
    if (!/\bRETURNING\b/i.test(query)) { psql(uri, query); return []; }
    return JSON.parse(psql(uri, `WITH q AS (${query}) SELECT coalesce(json_agg(q), '[]') FROM q`) || '[]');
  }
  const out = psql(uri, `SELECT coalesce(json_agg(q), '[]') FROM (${query}) q`);
  return JSON.parse(out || '[]');
}

export const isPostgresUri = (db) => typeof db === 'string' && /^postgres(ql)?:\/\//.test(db);
