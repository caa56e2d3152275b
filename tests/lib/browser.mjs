// browser.mjs - what every browser test shares: its own demo county and server, one
// headless Chromium driven by playwright-core, pages at desk and phone width, screenshots
// under test-output/e2e/, and logging in through the UI.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import './clock.mjs'; // fixes JIAYI_TODAY for the demo and the server

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.resolve(REPO, process.env.JIAYI_BIN || 'build/jiayi');
const WEB = path.join(REPO, 'web');
export const SHOTS = path.join(REPO, 'test-output', 'e2e');
export const PASSWORD = 'E2e-pass-1';
export const DESK = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 812 };

let workDir;
let server;
let serverLog = '';
export let base; // set once the server runs (a live binding for the importing tests)
let browser;

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--db', db, '--port', '0', '--web', WEB], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => reject(new Error(`server did not report its port:\n${serverLog}`)), 10000);
    const onData = (chunk) => {
      serverLog += chunk.toString();
      const m = serverLog.match(/listening on port (\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      serverLog += chunk.toString();
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${serverLog}`));
    });
  });
}

/* Registers the file's before/after hooks: a demo county in a temporary directory, a
 * server on a free port, and one headless Chromium (Debian's, never a downloaded one). */
export function useCounty({ residents, seed, name }) {
  before(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), `jiayi-e2e-${name}-`));
    mkdirSync(SHOTS, { recursive: true });
    const db = path.join(workDir, 'e2e.sqlite');
    execFileSync(BIN, ['demo', '--db', db, '--residents', String(residents), '--seed', String(seed), '--password', PASSWORD], { stdio: 'pipe' });
    const started = await startServer(db);
    server = started.child;
    base = `http://127.0.0.1:${started.port}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      let timer;
      await Promise.race([exited, new Promise((resolve) => {
        timer = setTimeout(resolve, 5000);
      })]);
      clearTimeout(timer);
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });
}

export async function openPage(viewport = DESK) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  return page;
}

export async function closePage(page) {
  const errors = page.errors;
  await page.context().close();
  assert.deepEqual(errors, [], 'the page threw no script errors');
}

export async function shoot(page, name, { full = true } = {}) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready);
  const viewport = page.viewportSize();
  const height = full ? await page.evaluate(() => Math.ceil(document.documentElement.scrollHeight)) : 0;
  if (height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  if (height > viewport.height) await page.setViewportSize(viewport);
}

export async function noSideways(page, what) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${what}: page is ${scroll}px wide in a ${width}px window`);
}

export async function login(page, username) {
  await page.goto(`${base}/#/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => url.hash !== '' && !url.hash.startsWith('#/login'));
}

