// webhook.mjs - a local SMS-gateway stand-in for the outbox's webhook channel (the crash test
// and bench/outbox.sh): it fails a share of requests with 500 (a deterministic pseudo-random
// draw, so runs compare), accepts the rest and, as a real gateway does, drops a repeat of a
// key it already accepted (answering 200 again) and counts it.
import { createServer } from 'node:http';

export function startReceiver({ failRate = 0.3, seed = 1, onRequest } = {}) {
  let state = seed >>> 0 || 1;
  const draw = () => { // xorshift32
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 4294967296;
  };
  const accepted = new Map(); // key -> the message's JSON
  const stats = { requests: 0, failed: 0, duplicates: 0, missingKey: 0, keyMismatch: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      stats.requests++;
      if (onRequest) onRequest(stats);
      const key = req.headers['idempotency-key'];
      if (!key) { stats.missingKey++; res.writeHead(400).end(); return; }
      if (draw() < failRate) { stats.failed++; res.writeHead(500).end('try later'); return; }
      let message = null;
      try { message = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { /* counted below */ }
      if (!message || message.key !== key) stats.keyMismatch++;
      if (accepted.has(key)) stats.duplicates++;
      else accepted.set(key, message);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"accepted":true}');
    });
  });
  server.keepAliveTimeout = 30000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/sms`, port, accepted, stats,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}
