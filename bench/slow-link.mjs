// A village doctor's link (400 kbit/s, 400 ms latency, Chromium's network throttling):
// first load of the app and a reload, logged in on the residents page, with the server's
// gzip and ETag revalidation, against the same page fetched without compression in the
// same run (the reference: what the link carried before).
// Usage: node bench/slow-link.mjs BIN   (prints times and bytes; goals: reload <= 1 s,
// first load <= 4 s)
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const BIN = resolve(process.argv[2] || join(ROOT, 'build/jiayi'));
const dir = mkdtempSync(join(tmpdir(), 'jiayi-slow-'));
const db = join(dir, 'demo.sqlite');
spawnSync(BIN, ['demo', '--db', db, '--residents', '3000', '--password', 'Bench-pass-1']);
spawnSync(join(ROOT, 'scripts/compress-web'));
const server = spawn(BIN, ['serve', '--db', db, '--port', '0', '--web', join(ROOT, 'web')], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((res) => server.stdout.on('data', (d) => { const m = /listening on port (\d+)/.exec(String(d)); if (m) res(m[1]); }));
const base = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });

async function measure(compressed) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 50000, uploadThroughput: 50000 });
  if (!compressed) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  // Log in first (untimed); then a reload with the cache cleared is the first load.
  await page.goto(`${base}/#/login`);
  await page.getByTestId('login-username').fill('doctor01');
  await page.getByTestId('login-password').fill('Bench-pass-1');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('resident-row').first().waitFor({ timeout: 120000 });
  // First load: a cold cache.
  await cdp.send('Network.clearBrowserCache');
  bytes = 0;
  let t = Date.now();
  await page.reload();
  await page.getByTestId('resident-row').first().waitFor({ timeout: 120000 });
  const first = (Date.now() - t) / 1000, firstBytes = bytes;
  bytes = 0;
  t = Date.now();
  await page.reload();
  await page.getByTestId('resident-row').first().waitFor({ timeout: 120000 });
  const reload = (Date.now() - t) / 1000;
  await context.close();
  return { first, firstBytes, reload, reloadBytes: bytes };
}

try {
  const plain = await measure(false);
  const gz = await measure(true);
  const line = (name, m) => console.log(`${name}: first load ${m.first.toFixed(1)} s (${Math.round(m.firstBytes / 1024)} KB), reload ${m.reload.toFixed(1)} s (${Math.round(m.reloadBytes / 1024)} KB)`);
  line('without compression (reference)', plain);
  line('gzip + ETag revalidation       ', gz);
  console.log(`ratio first load ${(gz.first / plain.first).toFixed(2)}x, reload ${(gz.reload / plain.reload).toFixed(2)}x (goals: first load <= 4 s, reload <= 1 s)`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
