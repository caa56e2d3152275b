// Crash safety of a bulk import: kill -9 `jiayi import` part-way through a census file read in
// small chunks. Every chunk it reported done (the progress line comes after the chunk's
// commit) is there, whole: its residents, its households, its audit entry, the import's row
// saying how far it got; nothing of the chunk it was writing is; the indicator counters equal
// a recount. Sent again, the file finishes: the rows already in are unchanged, none doubled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, cleanup, jiayi, idNumber, BIN, openPii } from '../lib/server.mjs';
import { sqlite } from '../lib/crash.mjs';

const CELL = '51152410100101';
const ROWS = 2400;
const CHUNK = 150;

/* Runs the import and kills it once `killAfter` rows are reported done; the last count it
 * reported, and whether it was killed. */
function importUntil(db, file, killAfter) {
  return new Promise((resolve) => {
    const child = spawn(BIN, ['import', '--db', db, '--kind', 'residents', '--file', file], {
      env: { ...process.env, JIAYI_IMPORT_CHUNK_ROWS: String(CHUNK) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let reported = 0, killed = false, err = '';
    child.stderr.on('data', (d) => {
      err += d;
      for (const m of String(d).matchAll(/jiayi import: (\d+) of (\d+) rows/g)) {
        reported = Math.max(reported, Number(m[1]));
        if (!killed && killAfter && reported >= killAfter) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.on('exit', (code, signal) => resolve({ reported, killed, code, signal, err }));
  });
}

test('a killed import keeps every chunk it reported and nothing else; sent again it finishes without doubling', { timeout: 240000 }, async () => {
  const demo = makeDemo({ residents: 0, name: 'crash-import' });
  try {
    assert.ok(!demo.db.startsWith('postgresql'), 'a SQLite file (the crash suite runs on SQLite)');
    const people = Array.from({ length: ROWS }, (_, i) => [`断点${i}`, idNumber(`19${40 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`, 101 + 2 * Math.floor(i / 450)), CELL, `CR-${Math.floor(i / 3)}`, i % 3 ? '子女' : '户主']);
    assert.equal(new Set(people.map((p) => p[1])).size, ROWS, 'distinct ID numbers');
    const file = join(demo.dir, 'census.csv');
    writeFileSync(file, ['姓名,身份证号,行政区划代码,户编号,与户主关系', ...people.map((p) => p.join(','))].join('\r\n') + '\r\n');

    const first = await importUntil(demo.db, file, 6 * CHUNK);
    assert.ok(first.killed, `the import ended before it was killed: ${first.err.slice(-300)}`);
    assert.equal(first.signal, 'SIGKILL');
    assert.equal(sqlite(demo.db, 'PRAGMA integrity_check'), 'ok');
    // The import's row says how far it got: a whole number of chunks, at least what it reported.
    const [status, storedTo, accepted] = sqlite(demo.db, "SELECT status || '|' || stored_to_row || '|' || accepted FROM imports ORDER BY id DESC LIMIT 1").split('|');
    assert.equal(status, 'running');
    const kept = Number(storedTo) - 1;
    assert.ok(kept >= first.reported && kept < ROWS, `kept ${kept}, reported ${first.reported}`);
    assert.equal(kept % CHUNK, 0, 'whole chunks only');
    assert.equal(Number(accepted), kept);
    // Exactly the file's first `kept` people, each with their household, and no one else.
    const ids = sqlite(demo.db, "SELECT id_number FROM residents WHERE name LIKE '断点%' ORDER BY id").split('\n').filter(Boolean).map((n) => openPii(demo.db, n));
    assert.deepEqual(ids, people.slice(0, kept).map((p) => p[1]));
    assert.equal(sqlite(demo.db, "SELECT count(*) FROM residents WHERE name LIKE '断点%' AND household_id IS NULL"), '0');
    assert.equal(Number(sqlite(demo.db, "SELECT count(*) FROM households WHERE import_key LIKE 'CR-%'")), Math.ceil(kept / 3));
    // One audit entry per kept chunk, naming its people; the chain holds; the counters are exact.
    assert.equal(Number(sqlite(demo.db, "SELECT count(*) FROM audit_log WHERE action = 'import' AND resource = 'resident'")), kept / CHUNK);
    assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /intact/);
    assert.match(jiayi(['kpi', 'check', '--db', demo.db]).stdout, /indicators exact/);

    // The same file again: the rest comes in, nothing twice.
    const again = await importUntil(demo.db, file, 0);
    assert.equal(again.code, 0, again.err.slice(-300));
    const summary = JSON.parse(jiayi(['import', '--db', demo.db, '--kind', 'residents', '--file', file]).stdout);
    assert.deepEqual([summary.accepted, summary.unchanged], [0, ROWS], 'a third time: all there already');
    assert.equal(Number(sqlite(demo.db, "SELECT count(*) FROM residents WHERE name LIKE '断点%'")), ROWS);
    assert.equal(Number(sqlite(demo.db, "SELECT count(*) FROM households WHERE import_key LIKE 'CR-%'")), ROWS / 3);
    assert.match(jiayi(['kpi', 'check', '--db', demo.db]).stdout, /indicators exact/);
    assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /intact/);
    console.log(`import crash test: killed after ${first.reported} reported rows, ${kept} kept`);
  } finally {
    cleanup(demo.dir);
  }
});
