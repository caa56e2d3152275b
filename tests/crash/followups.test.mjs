// Crash safety of follow-ups: kill -9 the server while 8 clients record hypertension
// follow-ups (several for the same patients, so "in a row" and the task chain are exercised).
// Afterwards every acknowledged follow-up is there with the task it created, each patient
// has exactly one open follow-up task (the latest visit's), and the database and audit
// chain are intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, cleanup, jiayi } from '../lib/server.mjs';
import { sqlite, killWhileWriting } from '../lib/crash.mjs';
import { TODAY as today } from '../lib/clock.mjs';

test('no acknowledged follow-up is lost and each patient keeps one open follow-up task', { timeout: 240000 }, async () => {
  const demo = makeDemo({ residents: 1000, seed: 6 });
  const doctorTeam = sqlite(demo.db, "SELECT t.id FROM teams t JOIN staff s ON s.id = t.doctor_id JOIN users u ON u.id = s.user_id WHERE u.username = 'doctor01'");
  // Adults of doctor01's cells; those not yet in the hypertension program are enrolled first.
  const patients = sqlite(demo.db, `SELECT r.id FROM residents r JOIN team_cells tc ON r.region = tc.region_code WHERE r.status = 'alive' AND r.birth_date < date('now', '-40 years') AND tc.team_id = ${doctorTeam} ORDER BY r.id LIMIT 30`).split('\n').filter(Boolean).map(Number);
  assert.ok(patients.length >= 5, `${patients.length} patients`);
  const acknowledged = new Map();
  try {
    await killWhileWriting(demo.db, {
      username: 'doctor01',
      prepare: async (s, token) => {
        for (const resident of patients) {
          const r = await s.request('POST', '/api/v1/enrolments', { token, body: { resident_id: resident, program: 'hypertension', start_date: today } });
          assert.ok(r.status === 201 || r.status === 409, r.text);
        }
      },
      write: async (s, token, n) => {
        const resident = patients[n % patients.length];
        // Many visits of one patient a day, on purpose (the writes under test): each confirmed.
        const r = await s.request('POST', '/api/v1/followups', { token, body: { resident_id: resident, program: 'hypertension', visit_date: today, sbp: 130 + (n % 30), dbp: 80, confirm_duplicate: true } });
        if (r.status !== 201) throw new Error(`unexpected ${r.status} ${r.text}`);
        acknowledged.set(r.json.id, { resident, task: r.json.next_task.id });
        return true;
      },
    });
    assert.ok(acknowledged.size > 10, `only ${acknowledged.size} follow-ups acknowledged`);
    for (const [id, { resident, task }] of acknowledged) {
      const row = sqlite(demo.db, `SELECT f.resident_id || '|' || f.task_id || '|' || (SELECT count(*) FROM tasks t WHERE t.id = f.task_id) FROM followups f WHERE f.id = ${id}`);
      assert.ok(row, `acknowledged follow-up ${id} is missing`);
      assert.deepEqual(row.split('|').map(Number), [resident, task, 1]);
    }
    const open = sqlite(demo.db, `SELECT count(*) FROM (SELECT resident_id FROM tasks WHERE kind = 'followup' AND program = 'hypertension' AND status = 'open' AND resident_id IN (${patients.join(',')}) GROUP BY resident_id HAVING count(*) <> 1) sub`);
    assert.equal(open, '0', 'a patient with more or fewer than one open follow-up task');
    assert.equal(sqlite(demo.db, "SELECT count(*) FROM followups f WHERE f.recorded_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.resource = 'followup' AND a.action = 'create' AND a.resource_id = CAST(f.id AS TEXT))"), '0');
    assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /intact/);
    console.log(`follow-up crash test: ${acknowledged.size} acknowledged follow-ups, 2 kills`);
  } finally {
    cleanup(demo.dir);
  }
});
