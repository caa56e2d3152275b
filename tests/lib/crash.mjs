// crash.mjs - kill -9 a real server while clients write, for the crash tests: each round
// starts the server on the same database, lets `clients` workers call write() for a few
// hundred milliseconds, kills it with SIGKILL mid-stream and checks SQLite's integrity.
// write(server, token, n) records what was acknowledged and throws an Error whose message
// starts with 'unexpected' for an answer that is wrong (a lost connection just ends a worker).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer } from './server.mjs';

export function sqlite(db, sql) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

export async function killWhileWriting(db, { username, rounds = 2, clients = 8, prepare, write }) {
  let n = 0;
  for (let round = 0; round < rounds; round++) {
    const s = await startServer(db);
    const token = await s.login(username);
    if (round === 0 && prepare) await prepare(s, token);
    const stopAt = Date.now() + 3000;
    const worker = async () => {
      while (Date.now() < stopAt) {
        try {
          if ((await write(s, token, n++)) === false) return;
        } catch (e) {
          if (String(e).includes('unexpected')) throw e;
          return;
        }
      }
    };
    const writing = Promise.all(Array.from({ length: clients }, worker));
    await new Promise((r) => setTimeout(r, 700 + 500 * round));
    const killed = s.kill();
    await writing;
    await killed;
    assert.equal(sqlite(db, 'PRAGMA integrity_check'), 'ok');
  }
}
