// Crash safety of the outbox (docs/resident-loop.md, "exactly once"): a few hundred notices
// (and the demo county's own pushed content and reminders)
// go to a local webhook that fails 30 % of requests with 500; the server is killed with
// SIGKILL three times in the middle of delivering them and started again each time. At the
// end every message must have reached the receiver accepted exactly once by its
// Idempotency-Key (a repeat after a kill - sent, acknowledged, not yet recorded - is dropped
// by key, as a real gateway does, and counted), none lost, none dead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, cleanup, jiayi, startServer } from '../lib/server.mjs';
import { sqlite } from '../lib/crash.mjs';
import { startReceiver } from '../lib/webhook.mjs';

test('kill -9 while delivering: every message accepted exactly once by key, none lost, none dead', { timeout: 120000 }, async () => {
  const demo = makeDemo({ residents: 300, seed: 3, name: 'outbox-crash' });
  const receiver = await startReceiver({ failRate: 0.3, seed: 16 });
  try {
    // Retries at once (no back-off: the test is about crashes, not waiting), far from the
    // dead-letter limit, and no quiet hours whatever the time of day of the run.
    sqlite(demo.db, `UPDATE settings SET value = '0' WHERE key = 'outbox_backoff_seconds';
      UPDATE settings SET value = '40' WHERE key = 'outbox_max_attempts';
      UPDATE settings SET value = '00:00' WHERE key IN ('outbox_quiet_start', 'outbox_quiet_end')`);
    for (const tag of ['flu', 'exam', 'heat']) {
      const out = jiayi(['notice', '--db', demo.db, '--region', '511524', '--key', tag, '--subject', '通知', '--body', `【家医】${tag} 通知：请按时参加社区健康服务。`]).stdout;
      assert.match(out, /signed residents/);
    }
    // The same tag again writes nothing twice.
    const before = Number(sqlite(demo.db, "SELECT count(*) FROM outbox WHERE kind = 'notice'"));
    jiayi(['notice', '--db', demo.db, '--region', '511524', '--key', 'flu', '--body', '重复']);
    assert.equal(Number(sqlite(demo.db, "SELECT count(*) FROM outbox WHERE kind = 'notice'")), before);
    // Every message waiting: the notices and what the demo county already had (its pushed
    // content and the day's reminders).
    const expected = sqlite(demo.db, "SELECT key FROM outbox WHERE status = 'pending'").split('\n').filter(Boolean);
    assert.ok(expected.length >= 200, `${expected.length} messages to send`);
    const args = ['--outbox', receiver.url];
    let kills = 0;
    for (const share of [0.15, 0.35, 0.6]) {
      const s = await startServer(demo.db, { args });
      // Kill when the receiver has seen this share of the messages (mid-batch: a batch's
      // results are recorded only after all of it was sent).
      const target = receiver.stats.requests + Math.max(20, Math.floor(expected.length * share / 2));
      for (let i = 0; i < 400 && receiver.stats.requests < target; i++) await new Promise((r) => setTimeout(r, 5));
      await s.kill();
      kills++;
      assert.equal(sqlite(demo.db, 'PRAGMA integrity_check'), 'ok');
    }
    const s = await startServer(demo.db, { args });
    // Until the start's daily pass has written its reminders and the outbox has sent them all.
    for (let i = 0; i < 600; i++) {
      if (s.log().includes('daily job: the pass is done') &&
          sqlite(demo.db, "SELECT count(*) FROM outbox WHERE status = 'pending'") === '0') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await s.stop(); // SIGTERM: exit 0, no sanitizer report
    // (Residents without a phone were written dead, 'no_address', and are not expected.)
    const left = sqlite(demo.db, "SELECT status, count(*) FROM outbox WHERE last_error IS NOT 'no_address' GROUP BY status");
    // (Starting, the server's daily pass may add the day's newest reminders: they count too.)
    const sent = sqlite(demo.db, "SELECT key FROM outbox WHERE status = 'sent'").split('\n').filter(Boolean);
    assert.equal(left, `sent|${sent.length}`, 'every message sent, none dead or pending');
    for (const key of expected) assert.ok(sent.includes(key), `${key} was sent`);
    expected.splice(0, expected.length, ...sent);
    const lost = expected.filter((k) => !receiver.accepted.has(k));
    assert.deepEqual(lost, [], 'messages the receiver never accepted');
    const unknown = [...receiver.accepted.keys()].filter((k) => !expected.includes(k));
    assert.deepEqual(unknown, [], 'keys the receiver accepted that were not in the outbox');
    assert.equal(receiver.stats.missingKey, 0);
    assert.equal(receiver.stats.keyMismatch, 0);
    for (const [key, m] of receiver.accepted) assert.ok(m.to && m.body && m.kind, `${key} carries the message`);
    const retried = Number(sqlite(demo.db, "SELECT count(*) FROM outbox WHERE attempts > 1"));
    assert.ok(receiver.stats.failed > 0 && retried > 0, 'failures were retried');
    console.log(`outbox crash test: ${expected.length} messages, ${kills} kills, ${receiver.stats.requests} requests, ` +
      `${receiver.stats.failed} failed (500), ${receiver.accepted.size} accepted once, ${receiver.stats.duplicates} repeats dropped by key`);
  } finally {
    await receiver.close();
    cleanup(demo.dir);
  }
});
