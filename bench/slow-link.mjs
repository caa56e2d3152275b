// A village doctor's link (400 kbit/s, 400 ms latency, Chromium's network throttling):
// first load of the app and a reload, logged in on the residents page, with the server's
// gzip and ETag revalidation, against the same page fetched without compression in the
// same run (the reference: what the link carried before).
// Usage: node bench/slow-link.mjs BIN [--residents N]   (prints times and bytes; goals:
// reload <= 1 s, first load <= 4 s). The first load starts with nothing on the device (HTTP
// cache, service worker and its caches cleared); the reload is the next visit, with the service
// worker installed. The service worker's own requests are throttled like the page's (CDP on its
// target), so what it fetches on the page's behalf crosses the same slow link.
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const BIN = resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : join(ROOT, 'build/jiayi'));
const residentsArg = process.argv.indexOf('--residents');
const RESIDENTS = residentsArg > 0 ? process.argv[residentsArg + 1] : '3000';
const webArg = process.argv.indexOf('--web'); // another UI tree (e.g. an older commit's, for "before")
const WEB = webArg > 0 ? resolve(process.argv[webArg + 1]) : join(ROOT, 'web');
const dir = mkdtempSync(join(tmpdir(), 'jiayi-slow-'));
const db = join(dir, 'demo.sqlite');
spawnSync(BIN, ['demo', '--db', db, '--residents', RESIDENTS, '--password', 'Bench-pass-1']);
spawnSync(join(ROOT, 'scripts/compress-web'));
const server = spawn(BIN, ['serve', '--db', db, '--port', '0', '--web', WEB], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((res) => server.stdout.on('data', (d) => { const m = /listening on port (\d+)/.exec(String(d)); if (m) res(m[1]); }));
const base = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });

/* The moment the list's first row is on the page, checked every animation frame in the page
 * (a locator's waitFor polls at growing intervals, up to 500 ms: it measured its own waits). */
const rowsShown = (page) => page.waitForFunction(() => document.querySelector('[data-testid=resident-row]'), null, { polling: 'raf', timeout: 120000 });

const LINK = { offline: false, latency: 400, downloadThroughput: 50000, uploadThroughput: 50000 };

/* Throttles every service worker target as the page is throttled, through the browser's CDP
 * session (Target.sendMessageToTarget on a non-flat attachment). */
async function throttleWorkers(bcdp, seen, onBytes) {
  const { targetInfos } = await bcdp.send('Target.getTargets');
  for (const info of targetInfos) {
    if (info.type !== 'service_worker' || seen.has(info.targetId)) continue;
    seen.add(info.targetId);
    const { sessionId } = await bcdp.send('Target.attachToTarget', { targetId: info.targetId, flatten: false });
    let id = 0;
    const send = (method, params) => bcdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++id, method, params }) });
    await send('Network.enable', {});
    await send('Network.emulateNetworkConditions', LINK);
  }
}

async function measure(compressed) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const bcdp = await browser.newBrowserCDPSession();
  await bcdp.send('Target.setDiscoverTargets', { discover: true });
  const seen = new Set();
  const workerWatch = setInterval(() => throttleWorkers(bcdp, seen).catch(() => {}), 50);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', LINK);
  if (!compressed) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  // Log in first (untimed); then a reload with the cache cleared is the first load.
  await page.goto(`${base}/#/login`);
  await page.getByTestId('login-username').fill('doctor01');
  await page.getByTestId('login-password').fill('Bench-pass-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('resident-row').first().waitFor({ timeout: 120000 });
  // First load: a cold cache, no service worker.
  await page.evaluate(async () => {
    for (const r of (await navigator.serviceWorker?.getRegistrations?.()) || []) await r.unregister();
    for (const k of await caches.keys()) await caches.delete(k);
  });
  await cdp.send('Network.clearBrowserCache');
  bytes = 0;
  let t = Date.now();
  await page.reload();
  await rowsShown(page);
  const first = (Date.now() - t) / 1000, firstBytes = bytes;
  // The service worker installs in the background after the first load (it copies the shell);
  // the reload is the next visit, once it is in place.
  const hasWorker = await page.evaluate(() => fetch('/sw.js', { method: 'HEAD' }).then((r) => r.ok));
  if (hasWorker) {
    await page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 120000 });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  }
  await new Promise((r) => setTimeout(r, 500));
  bytes = 0;
  t = Date.now();
  await page.reload();
  await rowsShown(page);
  const reload = (Date.now() - t) / 1000;
  clearInterval(workerWatch);
  await context.close();
  return { first, firstBytes, reload, reloadBytes: bytes };
}

try {
  const plain = await measure(false);
  const gz = await measure(true);
  const line = (name, m) => console.log(`${name}: first load ${m.first.toFixed(1)} s (${Math.round(m.firstBytes / 1024)} KB), reload ${m.reload.toFixed(1)} s (${Math.round(m.reloadBytes / 1024)} KB)`);
  line('without compression (reference)', plain);
  line('gzip + lazy views + service worker', gz);
  console.log(`ratio first load ${(gz.first / plain.first).toFixed(2)}x, reload ${(gz.reload / plain.reload).toFixed(2)}x (goals: first load <= 4 s, reload <= 1 s)`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
