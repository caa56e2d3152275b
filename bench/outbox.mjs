// bench/outbox.sh: N messages put straight into the outbox, delivered by `jiayi serve` (the
// delivery worker: batches of 256 read from SQLite, 16 libcurl transfers in flight, every
// result recorded durably through the shared writer) to a local receiver that fails 30 % of
// requests with 500; then the same N messages sent by a plain node HTTP client (16 keep-alive
// sockets, a failure retried at once, nothing recorded) to a fresh receiver with the same
// failure draws. Both are timed at the receiver, first request to last message accepted.
import { spawn, spawnSync } from 'node:child_process';
import { request, Agent } from 'node:http';
import { join } from 'node:path';
import { startReceiver } from '../tests/lib/webhook.mjs';

const [bin, work] = process.argv.slice(2);
const N = Number(process.env.OUTBOX_BENCH_MESSAGES || 10000);
const CONCURRENCY = 16;
const db = join(work, 'outbox.sqlite');
const sql = (q) => {
  const r = spawnSync('sqlite3', [db, q], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};

spawnSync(bin, ['demo', '--db', db, '--residents', '0', '--password', 'Bench-pass-1'], { stdio: 'ignore' });
sql(`UPDATE settings SET value = '0' WHERE key = 'outbox_backoff_seconds';
  UPDATE settings SET value = '40' WHERE key = 'outbox_max_attempts';
  UPDATE settings SET value = '00:00' WHERE key IN ('outbox_quiet_start', 'outbox_quiet_end');
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
  INSERT INTO outbox (key, kind, address, subject, body, status, next_attempt_at, created_at)
  SELECT 'bench:' || i, 'notice', '138' || printf('%08d', i), '通知',
    '【家医】流感疫苗接种通知：本周六上午在卫生院接种，请携带身份证。', 'pending', 0, strftime('%s', 'now') FROM n;`);

function timed(receiver) {
  let first = 0;
  return new Promise((resolve) => {
    const started = setInterval(() => { if (!first && receiver.stats.requests) first = performance.now(); }, 1);
    const check = setInterval(() => {
      if (receiver.accepted.size >= N) {
        clearInterval(started);
        clearInterval(check);
        resolve((performance.now() - first) / 1000);
      }
    }, 5);
  });
}

// The outbox.
const r1 = await startReceiver({ failRate: 0.3, seed: 42 });
const done1 = timed(r1);
const server = spawn(bin, ['serve', '--db', db, '--port', '0', '--outbox', r1.url], { stdio: ['ignore', 'ignore', 'pipe'] });
server.stderr.resume();
const outboxSeconds = await done1;
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
const dup1 = r1.stats.duplicates, req1 = r1.stats.requests;
await r1.close();
const recorded = sql("SELECT count(*) FROM outbox WHERE status = 'sent'");

// The plain client: the same JSON, the same header, the same concurrency.
const r2 = await startReceiver({ failRate: 0.3, seed: 42 });
const done2 = timed(r2);
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const post = (i) => new Promise((resolve) => {
  const body = JSON.stringify({ key: `bench:${i}`, kind: 'notice', to: `138${String(i).padStart(8, '0')}`, subject: '通知',
    body: '【家医】流感疫苗接种通知：本周六上午在卫生院接种，请携带身份证。', at: new Date().toISOString() });
  const req = request(r2.url, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `bench:${i}`, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  });
  req.on('error', () => resolve(0));
  req.end(body);
});
let next = 1;
const worker = async () => {
  while (next <= N) {
    const i = next++;
    while ((await post(i)) !== 200) { /* retry at once */ }
  }
};
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const plainSeconds = await done2;
agent.destroy();
const req2 = r2.stats.requests;
await r2.close();

const rate1 = N / outboxSeconds, rate2 = N / plainSeconds;
console.log(`outbox to a webhook failing 30 %: ${N} messages in ${outboxSeconds.toFixed(2)} s = ${Math.round(rate1)} messages/s (${req1} requests, ${dup1} repeats, ${recorded} recorded sent) (goal >= 1,000/s)`);
console.log(`plain HTTP client, same messages, 16 keep-alive sockets: ${plainSeconds.toFixed(2)} s = ${Math.round(rate2)} messages/s (${req2} requests) (reference)`);
console.log(`ratio outbox / plain client: ${(rate1 / rate2).toFixed(2)}x`);
