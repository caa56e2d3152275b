// HTTP latency at 300k residents: a doctor's resident page, resident search and work list,
// against a static file served by the same libmicrohttpd server in the same run.
// Closed loop, 8 concurrent keep-alive clients, bounded request count, loopback only.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const [bin, db] = process.argv.slice(2);
const ROOT = resolve(new URL('..', import.meta.url).pathname);
const N = Number(process.env.REQUESTS || 2000), CONCURRENCY = 8;

const server = spawn(bin, ['serve', '--db', db, '--port', '0', '--web', `${ROOT}/web`], { stdio: ['ignore', 'pipe', 'ignore'] });
const port = await new Promise((res) => {
  let out = '';
  server.stdout.on('data', (d) => { out += d; const m = out.match(/listening on port (\d+)/); if (m) res(Number(m[1])); });
});
const base = `http://127.0.0.1:${port}`;
await new Promise((r) => setTimeout(r, 8000)); // let the start-up daily job finish
const login = await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: 'Bench-pass-1' }) })).json();
const headers = { Authorization: `Bearer ${login.token}` };
const list = await (await fetch(`${base}/api/v1/residents?limit=500`, { headers })).json();
const ids = list.items.map((x) => x.id);

async function measure(name, pathFor) {
  const times = [];
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      const r = await fetch(base + pathFor(i), { headers });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`${name}: ${r.status}`);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  const t0 = Date.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (Date.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const p = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { name, p50: p(0.5), p99: p(0.99), rps: N / seconds };
}

const results = [await measure('static file (reference)', () => '/index.html')];
results.push(await measure('resident page (audited read)', (i) => `/api/v1/residents/${ids[i % ids.length]}`));
results.push(await measure('resident search', (i) => `/api/v1/residents?q=${encodeURIComponent('张李王刘陈'[i % 5])}&limit=20`));
results.push(await measure('work list', () => '/api/v1/worklist?doctor=me&limit=50'));
const ref = results[0];
for (const r of results)
  console.log(`${r.name.padEnd(30)} p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  ${r.rps.toFixed(0)} req/s  ratio p50 ${(r.p50 / ref.p50).toFixed(1)}x`);
server.kill('SIGTERM');
