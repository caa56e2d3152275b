// Crash safety of Idempotency-Key: kill -9 the server while 8 clients record follow-ups and
// flags, each request with its own key. Then, on a fresh server, every request is sent again
// with its key, as an offline client's queue does after a lost answer. Exactly one record per
// key must exist afterwards (a write that committed before the kill is not written again; one
// that did not commit is written by the retry), and every answer acknowledged before the kill
// is answered again identically (nothing acknowledged lost).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { makeDemo, cleanup, jiayi, startServer } from '../lib/server.mjs';
import { sqlite, killWhileWriting } from '../lib/crash.mjs';
import { daysAgo } from '../lib/clock.mjs';

test('after kill -9, retrying every keyed write leaves exactly one record per key', { timeout: 240000 }, async () => {
  const demo = makeDemo({ residents: 1000, seed: 7, name: 'idem-crash' });
  const team = sqlite(demo.db, "SELECT t.id FROM teams t JOIN staff s ON s.id = t.doctor_id JOIN users u ON u.id = s.user_id WHERE u.username = 'doctor01'");
  const patients = sqlite(demo.db, `SELECT r.id FROM residents r JOIN team_cells tc ON r.region = tc.region_code WHERE r.status = 'alive' AND r.birth_date < date('now', '-40 years') AND tc.team_id = ${team} ORDER BY r.id LIMIT 40`).split('\n').filter(Boolean).map(Number);
  assert.ok(patients.length >= 10, `${patients.length} patients`);
  const sent = new Map(); // key -> {path, body, answer?}
  const request = (n) => {
    const resident = patients[n % patients.length];
    const key = randomUUID();
    // Distinct days per patient: never the same resident, program and day twice.
    const r = n % 2 === 0
      ? { path: '/api/v1/followups', body: { resident_id: resident, program: 'hypertension', visit_date: daysAgo(Math.floor(n / patients.length) % 300), sbp: 130 + (n % 30), dbp: 80, note: key } }
      : { path: '/api/v1/flags', body: { resident_id: resident, reason: 'fall_risk', note: key } };
    sent.set(key, r);
    return [key, r];
  };
  const post = (s, token, key, r) => s.request('POST', r.path, { token, body: r.body, headers: { 'Idempotency-Key': key } });
  try {
    await killWhileWriting(demo.db, {
      username: 'doctor01',
      prepare: async (s, token) => {
        for (const resident of patients) {
          const r = await s.request('POST', '/api/v1/enrolments', { token, body: { resident_id: resident, program: 'hypertension', start_date: daysAgo(330) } });
          assert.ok(r.status === 201 || r.status === 409, r.text);
        }
      },
      write: async (s, token, n) => {
        const [key, r] = request(n);
        const a = await post(s, token, key, r);
        if (a.status !== 201) throw new Error(`unexpected ${a.status} ${a.text}`);
        r.answer = a.text;
        return true;
      },
    });
    const acknowledged = [...sent.values()].filter((r) => r.answer).length;
    assert.ok(acknowledged > 10, `only ${acknowledged} writes acknowledged`);
    let replayed = 0;
    const s = await startServer(demo.db);
    try {
      const token = await s.login('doctor01');
      for (const [key, r] of sent) {
        const a = await post(s, token, key, r);
        assert.equal(a.status, 201, `${key}: ${a.text}`);
        if (r.answer) assert.equal(a.text, r.answer, 'an acknowledged answer is answered again identically');
        if (a.headers.get('idempotent-replayed')) replayed++;
      }
      assert.ok(replayed >= acknowledged, `${replayed} replayed, ${acknowledged} acknowledged`);
    } finally {
      await s.stop();
    }
    const keys = [...sent.keys()];
    const counted = new Map(sqlite(demo.db, "SELECT note, count(*) FROM (SELECT note FROM followups WHERE note LIKE '%-%-%' UNION ALL SELECT note FROM flags WHERE note LIKE '%-%-%') sub GROUP BY note").split('\n').filter(Boolean).map((l) => { const [k, c] = l.split('|'); return [k, Number(c)]; }));
    for (const key of keys) assert.equal(counted.get(key), 1, `records for key ${key}`);
    assert.equal(counted.size, keys.length);
    assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /intact/);
    console.log(`idempotency crash test: ${keys.length} keyed writes sent, ${acknowledged} acknowledged before the kills, ${replayed} already stored (replayed), each stored exactly once after the retries`);
  } finally {
    cleanup(demo.dir);
  }
});
