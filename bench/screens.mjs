// screens.mjs - every screen's requests, as each demo role makes them (issue 23). Headless
// Chromium (Debian's) logs in as each role, opens every entry of its navigation and the
// first row of the lists that lead somewhere (a resident, a study, a group), and records the
// API reads each screen makes. Then each recorded read is replayed REPEAT times, one at a
// time, with the role's token, and also with eight at once for the doctor's work list; a
// static file of the same server is the reference of the same run. Prints the slowest reads
// with p50/p99 and the ratio of their rate to the static file's; exits 1 when a read's p99 is
// over its goal (50 ms, the doctor's own work list 10 ms alone and 30 ms with eight at once).
//
// Usage: node bench/screens.mjs BIN DEMO_DB WORKDIR [PASSWORD]
//   (bench/run-all passes the 300,000-resident demo of bench/demo.sh; JSON of every read
//   goes to WORKDIR/screens.json.)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';

const [bin, db, work, password = 'Bench-pass-1'] = process.argv.slice(2);
if (!bin || !db || !work) {
  console.error('usage: node bench/screens.mjs BIN DEMO_DB WORKDIR [PASSWORD]');
  process.exit(2);
}
const ROLES = ['county', 'town01', 'doctor01', 'village01', 'resident01', 'hospital01', 'admin'];
const REPEAT = Number(process.env.SCREENS_REPEAT || 40);
const GOAL_MS = 50;
const WORKLIST_GOAL = { alone: 10, eight: 30 };
const PORT = 18391;
const base = `http://127.0.0.1:${PORT}`;
const web = new URL('../web', import.meta.url).pathname;

const server = spawn(bin, ['serve', '--db', db, '--port', String(PORT), '--web', web], { stdio: ['ignore', 'ignore', 'pipe'] });
let serverLog = '';
server.stderr.on('data', (d) => { serverLog = (serverLog + d).slice(-20000); });
const stop = () => new Promise((resolve) => { server.once('exit', resolve); server.kill('SIGTERM'); });

async function waitHealthy() {
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${base}/api/v1/health`)).ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start:\n${serverLog}`);
}

async function login(username) {
  const r = await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error(`login ${username}: ${r.status}`);
  return (await r.json()).token;
}

/* The API reads the screens of a role make, in the browser: path -> screen. */
async function recordScreens(browser, username) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const reads = new Map();
  let screen = 'login';
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (req.method() === 'GET' && url.pathname.startsWith('/api/v1/') && !url.searchParams.has('format'))
      if (!reads.has(url.pathname + url.search)) reads.set(url.pathname + url.search, screen);
  });
  await page.goto(`${base}/#/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !location.hash.startsWith('#/login'), null, { timeout: 20000 });
  const settle = async () => {
    await page.waitForLoadState('networkidle', { timeout: 20000 }).catch(() => {});
    await page.waitForTimeout(300);
  };
  await settle();
  const navs = await page.locator('[data-testid^=nav-]').evaluateAll((els) => els.map((e) => e.getAttribute('href')).filter(Boolean));
  for (const href of [...new Set(navs)]) {
    screen = href;
    await page.goto(`${base}/${href}`);
    await settle();
    // One step further where a list leads somewhere: its first row.
    const row = page.locator('tr[data-href], a[data-testid$=-row], [data-testid=resident-row] a, [data-testid=eval-study]').first();
    if (await row.count()) {
      screen = `${href} → first row`;
      await row.click({ timeout: 5000 }).catch(() => {});
      await settle();
    }
  }
  await page.close();
  return reads;
}

function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function timeOne(path, token) {
  const t0 = performance.now();
  const r = await fetch(base + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  await r.arrayBuffer();
  return { ms: performance.now() - t0, status: r.status };
}

async function measure(path, token, { repeat = REPEAT, parallel = 1 } = {}) {
  const times = [];
  let status = 0;
  await timeOne(path, token); // warm
  const started = performance.now();
  for (let i = 0; i < repeat; i++) {
    const round = await Promise.all(Array.from({ length: parallel }, () => timeOne(path, token)));
    for (const x of round) { times.push(x.ms); status = x.status; }
  }
  const wall = performance.now() - started;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), rate: times.length / (wall / 1000), status };
}

await waitHealthy();
// The server's first minutes: the daily pass recomputes classes; let it finish first.
await new Promise((r) => setTimeout(r, Number(process.env.SCREENS_SETTLE_MS || 8000)));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const recorded = [];
for (const username of ROLES) {
  const reads = await recordScreens(browser, username).catch((e) => { console.error(`${username}: ${e.message}`); return new Map(); });
  for (const [path, screen] of reads) recorded.push({ username, path, screen });
}
await browser.close();

const tokens = Object.fromEntries(await Promise.all(ROLES.map(async (u) => [u, await login(u)])));
const reference = await measure('/index.html', tokens.doctor01);
const results = [];
for (const r of recorded) {
  const m = await measure(r.path, tokens[r.username]);
  results.push({ ...r, ...m, ratio: m.rate / reference.rate });
}
const worklist = '/api/v1/worklist?doctor=me';
const alone = await measure(worklist, tokens.doctor01);
const eight = await measure(worklist, tokens.doctor01, { repeat: Math.ceil(REPEAT / 2), parallel: 8 });
await stop();

results.sort((a, b) => b.p99 - a.p99);
const pad = (s, n) => String(s).padEnd(n);
const ms = (x) => x.toFixed(1).padStart(7);
console.log(`static file /index.html (reference): p50 ${reference.p50.toFixed(2)} ms, p99 ${reference.p99.toFixed(2)} ms, ${reference.rate.toFixed(0)} req/s one at a time`);
console.log(`${recorded.length} reads recorded on ${new Set(recorded.map((r) => r.screen)).size} screens of ${ROLES.length} roles; the slowest (p50, p99 in ms, rate vs static):`);
for (const r of results.slice(0, Number(process.env.SCREENS_SHOW || 25)))
  console.log(`${pad(r.username, 11)}${ms(r.p50)}${ms(r.p99)}  ${r.ratio.toFixed(3)}x  ${r.status} ${r.path.slice(0, 90)}  [${r.screen}]`);
console.log(`doctor01's work list alone: p50 ${alone.p50.toFixed(1)} ms, p99 ${alone.p99.toFixed(1)} ms (goal ${WORKLIST_GOAL.alone}); eight at once: p50 ${eight.p50.toFixed(1)} ms, p99 ${eight.p99.toFixed(1)} ms (goal ${WORKLIST_GOAL.eight})`);
mkdirSync(work, { recursive: true });
writeFileSync(join(work, 'screens.json'), JSON.stringify({ reference, worklist: { alone, eight }, results }, null, 1));
const over = results.filter((r) => r.p99 > GOAL_MS);
const failed = over.length > 0 || alone.p99 > WORKLIST_GOAL.alone || eight.p99 > WORKLIST_GOAL.eight;
console.log(failed
  ? `GOAL MISSED: ${over.length} of ${results.length} reads over ${GOAL_MS} ms at p99${alone.p99 > WORKLIST_GOAL.alone || eight.p99 > WORKLIST_GOAL.eight ? '; the work list over its goal' : ''}`
  : `every read within ${GOAL_MS} ms at p99; the work list within its goals`);
process.exit(failed ? 1 : 0);
