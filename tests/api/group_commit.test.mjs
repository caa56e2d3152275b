// Sixteen writers record follow-ups for the same three patients at once, so that batches hold
// several requests for one resident. On SQLite each request reads its patient's indicator
// facts before it takes the writer (kpi_prefetch); the writer uses them only when no batch
// changed the patient since, and reads them again otherwise. Both happen here, and the
// counters stay exact (`jiayi kpi check`), as they must on PostgreSQL too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, jiayi, dbSql, dbJson, ON_POSTGRESQL } from '../lib/server.mjs';
import { daysAgo } from '../lib/clock.mjs';

let demo, s;
before(() => {
  demo = makeDemo({ residents: 300, seed: 3 });
  // doctor01's team serves every grid cell (as bench/followups.sh does), so that she has
  // patients enough; the counters are rebuilt after the move.
  dbSql(demo.db, `UPDATE team_cells SET team_id = (SELECT t.id FROM teams t JOIN staff st ON st.id = t.doctor_id
    JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor01')`);
  jiayi(['kpi', 'rebuild', '--db', demo.db]);
});
after(async () => { if (s) await s.stop(); cleanup(demo.dir); });

test('concurrent follow-ups of the same patients keep the counters exact', async () => {
  s = await startServer(demo.db);
  const token = await s.login('doctor01');
  const patients = dbJson(demo.db, `SELECT e.resident_id AS id FROM enrolments e JOIN residents r ON r.id = e.resident_id
    WHERE e.program = 'hypertension' AND e.end_date IS NULL AND r.status = 'alive' ORDER BY 1 LIMIT 3`).map((p) => Number(p.id));
  assert.equal(patients.length, 3);
  await Promise.all(Array.from({ length: 16 }, async (_, writer) => {
    for (let i = 0; i < 8; i++) {
      const r = await s.request('POST', '/api/v1/followups', {
        token,
        body: { resident_id: patients[(writer + i) % 3], program: 'hypertension', visit_date: daysAgo(1 + ((writer * 8 + i) % 200)),
          sbp: 118 + ((writer + i) % 50), dbp: 78, mode: 'clinic', confirm_duplicate: true },
      });
      assert.equal(r.status, 201, r.text);
    }
  }));
  await s.stop();
  const [, used, again] = s.log().match(/facts read before the writer: (\d+) used, (\d+) read again/).map(Number);
  s = null;
  console.log(`facts read before the writer: ${used} used, ${again} read again`);
  if (!ON_POSTGRESQL) {
    assert.ok(used > 0, `the writer used facts read before it (${used})`);
    assert.ok(again > 0, `the writer read again facts a batch changed (${again})`);
    assert.ok(used + again <= 16 * 8 + 8, `at most one prefetch per follow-up (${used} + ${again})`);
  }
  const check = jiayi(['kpi', 'check', '--db', demo.db], { check: false });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /indicators exact/);
});
