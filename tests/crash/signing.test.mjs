// Crash safety of signing: kill -9 the server while 8 clients sign contracts, twice over
// (often two at once for the same resident). Afterwards every acknowledged contract is there
// with its packages, entitlements and shares summing to the fee, no resident has two
// active contracts, and the database and audit chain are intact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, cleanup, jiayi } from '../lib/server.mjs';
import { sqlite, killWhileWriting } from '../lib/crash.mjs';
import { TODAY as today } from '../lib/clock.mjs';

test('no acknowledged signing is lost and no resident ends with two active contracts', { timeout: 240000 }, async () => {
  const demo = makeDemo({ residents: 3000, seed: 5 });
  // Unsigned residents of township 101, signed by its center admin at a centralised event
  // (cells outside the team's need the cross-grid reason), so every attempt is legitimate.
  const team = sqlite(demo.db, "SELECT t.id || '|' || t.doctor_id FROM teams t JOIN staff s ON s.id = t.doctor_id JOIN users u ON u.id = s.user_id WHERE u.username = 'doctor01'").split('|').map(Number);
  const candidates = sqlite(demo.db, "SELECT r.id FROM residents r WHERE r.region LIKE '511524101%' AND r.status = 'alive' AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = r.id) ORDER BY r.id").split('\n').map(Number);
  // About a hundred, more or less with the day the demo is built for: enough for the writers
  // of two rounds of a few hundred milliseconds each.
  assert.ok(candidates.length >= 50, `${candidates.length} candidates`);
  const acknowledged = new Map();
  try {
    // Each resident twice in a row: two clients race for the same signing.
    await killWhileWriting(demo.db, {
      username: 'town01',
      write: async (s, token, n) => {
        if (n >= candidates.length * 2) return false;
        const resident = candidates[Math.floor(n / 2) % candidates.length];
        const r = await s.request('POST', '/api/v1/contracts', { token, body: { resident_id: resident, team_id: team[0], doctor_id: team[1], packages: ['BASIC'], start_date: today, channel: 'centralised', cross_grid_reason: '集中签约' } });
        if (r.status === 201) acknowledged.set(r.json.id, resident);
        else if (r.status !== 409) throw new Error(`unexpected ${r.status} ${r.text}`);
        return true;
      },
    });
    assert.ok(acknowledged.size > 10, `only ${acknowledged.size} signings acknowledged`);
    for (const [id, resident] of acknowledged) {
      const row = sqlite(demo.db, `SELECT resident_id || '|' || status || '|' || fee_fen || '|' || (SELECT count(*) FROM entitlements e WHERE e.contract_id = c.id) || '|' || (SELECT coalesce(sum(amount_fen), -1) FROM contract_shares s WHERE s.contract_id = c.id) FROM contracts c WHERE id = ${id}`);
      assert.ok(row, `acknowledged contract ${id} is missing`);
      const [res, status, fee, entitlements, shares] = row.split('|');
      assert.equal(Number(res), resident);
      assert.equal(status, 'active');
      assert.ok(Number(entitlements) > 0);
      assert.equal(Number(shares), Number(fee));
    }
    assert.equal(sqlite(demo.db, "SELECT count(*) FROM (SELECT resident_id FROM contracts WHERE status = 'active' GROUP BY resident_id HAVING count(*) > 1) sub"), '0');
    assert.equal(sqlite(demo.db, "SELECT count(*) FROM contracts c WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.resource = 'contract' AND a.action = 'sign' AND a.resource_id = CAST(c.id AS TEXT)) AND c.signed_by IS NOT NULL"), '0');
    assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /intact/);
    console.log(`signing crash test: ${acknowledged.size} acknowledged signings, 2 kills`);
  } finally {
    cleanup(demo.dir);
  }
});
