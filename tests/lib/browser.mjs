// browser.mjs - what every browser test shares: its own demo county and server, one
// headless Chromium driven by playwright-core, pages at desk and phone width, screenshots
// under test-output/e2e/, and logging in through the UI.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import './clock.mjs'; // fixes JIAYI_TODAY for the demo and the server
import { makeDemo, startServer, cleanup } from './server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHOTS = path.join(REPO, 'test-output', 'e2e');
export const PASSWORD = 'E2e-pass-1';
export const DESK = { width: 1280, height: 860 };
export const PHONE = { width: 375, height: 812 };

let demo;
let server;
export let base; // set once the server runs (a live binding for the importing tests)
let browser;
let serviceWorkers = 'block';

/* Registers the file's before/after hooks: a demo county in a temporary directory, a
 * server on a free port (tests/lib/server.mjs, whose stop() fails the file on a non-zero
 * exit or a sanitizer report), and one headless Chromium (Debian's, never a downloaded one).
 * `offline: true` lets pages install the app's service worker (web/sw.js), which the offline
 * work needs; other files block it, since each new page would install it and fetch every
 * file of the app into its cache again (about a tenth of a browser file's CPU). */
export function useCounty({ residents, seed, name, offline = false }) {
  serviceWorkers = offline ? 'allow' : 'block';
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    demo = makeDemo({ residents, seed, password: PASSWORD, name: `e2e-${name}` });
    server = await startServer(demo.db);
    base = server.base;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });

  after(async () => {
    if (browser) await browser.close();
    if (server) await server.stop();
    if (demo) cleanup(demo.dir);
  });
}

/* Waits until the screen drawn is the one for the address: after a click changes the URL,
 * the old screen stays until the hashchange event redraws (web/js/app.js markRendered). */
export async function drawn(page, { timeout } = {}) {
  await page.waitForFunction(() => document.documentElement.dataset.rendered === location.hash, null, { timeout });
}

/* The demo database's path, for a test that adds a login with `jiayi user add`. */
export const demoDatabase = () => demo && demo.db;

export async function openPage(viewport = DESK) {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
  // An address opened or waited for is also waited for on the screen: the URL changes a
  // moment before the app draws it, and a busy machine makes that moment long.
  const goto = page.goto.bind(page);
  page.goto = async (...args) => {
    const response = await goto(...args);
    await drawn(page);
    return response;
  };
  const waitForURL = page.waitForURL.bind(page);
  page.waitForURL = async (...args) => {
    await waitForURL(...args);
    await drawn(page);
  };
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

/* The switch loads the English tables on first use, so the page turns a moment after the
 * click: wait until the document says the new language before reading any text. */
export async function switchLanguage(page, code) {
  await page.getByTestId('lang-switch').click();
  await page.locator(`html[lang="${code}"]`).waitFor({ state: 'attached' });
}
