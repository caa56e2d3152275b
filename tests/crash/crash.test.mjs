// Crash safety: kill -9 the server in the middle of a stream of concurrent resident
// registrations, three times over. After each restart every acknowledged (201) write must
// be there, the database must pass PRAGMA integrity_check, the audit chain must verify,
// and every resident must have exactly its one "create" audit entry (no half-written record).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { makeDemo, startServer, cleanup, idNumber, jiayi, openPii } from '../lib/server.mjs';

const WORKERS = 6;
const CELL = '51152410100101';

function sqlite(db, sql) {
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

async function writeUntilKilled(s, token, acknowledged, startSeq, ms) {
  let seq = startSeq;
  const stopAt = Date.now() + ms;
  const worker = async (w) => {
    while (Date.now() < stopAt) {
      const n = seq++;
      const birth = `19${String(40 + (n % 50)).padStart(2, '0')}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
      const id = idNumber(birth, (Math.floor(n / 1400) % 500) * 2 + 1);
      try {
        const r = await s.request('POST', '/api/v1/residents', { token, body: { name: `压测${w}-${n}`, id_number: id, region: CELL } });
        if (r.status === 201) acknowledged.set(r.json.id, id);
        else if (r.status !== 409) throw new Error(`unexpected ${r.status} ${r.text}`);
      } catch (e) {
        if (String(e).includes('unexpected')) throw e;
        return; // connection refused / reset: the server is gone
      }
    }
  };
  return Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w))).then(() => seq);
}

test('nothing acknowledged is lost when the server is killed during writes', { timeout: 240000 }, async () => {
  const demo = makeDemo({ residents: 0 });
  const acknowledged = new Map();
  let seq = 0;
  try {
    for (let round = 0; round < 3; round++) {
      const s = await startServer(demo.db);
      const token = await s.login('doctor01');
      const writing = writeUntilKilled(s, token, acknowledged, seq, 4000);
      await new Promise((r) => setTimeout(r, 800 + round * 400));
      const killed = s.kill();
      seq = await writing;
      await killed;
      assert.equal(sqlite(demo.db, 'PRAGMA integrity_check'), 'ok');
    }
    assert.ok(acknowledged.size > 20, `only ${acknowledged.size} writes were acknowledged`);
    const s = await startServer(demo.db);
    const admin = await s.login('admin');
    for (const [id] of acknowledged) {
      const r = await s.request('GET', `/api/v1/residents/${id}`, { token: admin });
      assert.equal(r.status, 200, `acknowledged resident ${id} is missing`);
    }
    await s.stop();
    const stored = new Map(sqlite(demo.db, 'SELECT id, id_number FROM residents').split('\n').filter(Boolean).map((l) => {
      const [id, n] = l.split('|');
      return [Number(id), openPii(demo.db, n)];
    }));
    for (const [id, idNum] of acknowledged) assert.equal(stored.get(id), idNum);
    const residents = Number(sqlite(demo.db, 'SELECT count(*) FROM residents'));
    const creates = Number(sqlite(demo.db, "SELECT count(*) FROM audit_log WHERE action = 'create' AND resource = 'resident'"));
    const records = Number(sqlite(demo.db, 'SELECT count(*) FROM health_records'));
    assert.equal(creates, residents, 'each resident has exactly one create entry');
    assert.equal(records, residents, 'each resident has its record: no half-written registration');
    assert.equal(sqlite(demo.db, 'SELECT count(*) FROM residents r WHERE NOT EXISTS (SELECT 1 FROM households h WHERE h.id = r.household_id)'), '0');
    assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /intact/);
    console.log(`crash test: ${acknowledged.size} acknowledged writes, ${residents} stored, 3 kills`);
  } finally {
    cleanup(demo.dir);
  }
});
