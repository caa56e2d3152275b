// offline.test.mjs - a village doctor without a network (issue 14): the work list is opened
// online, the link drops, follow-ups are recorded from the work list (queued in IndexedDB,
// each with its Idempotency-Key, the 待同步 badge counting them), the page is reloaded
// offline (the service worker serves the app shell, the session and the work list), and
// when the link returns the queue syncs: exactly the queued follow-ups are stored once, their
// tasks closed, and the one whose task a colleague closed meanwhile is listed as a conflict,
// not lost. At 375 px (the village doctor's phone) and at 1280 px.
//
// Run from the repository root:  node --test tests/e2e/offline.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { daysAgo } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'offline', offline: true });

const tokens = {};
async function token(username) {
  if (!tokens[username]) {
    const r = await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username, password: PASSWORD }) });
    tokens[username] = (await r.json()).token;
  }
  return tokens[username];
}
async function call(username, method, path, body) {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${await token(username)}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, `${method} ${path}: ${JSON.stringify(json)}`);
  return json;
}

let seq = 0;
/* A hypertension patient of doctor01's team with a follow-up a month ago: one open task. */
async function patient(name) {
  const r = await call('doctor01', 'POST', '/api/v1/residents', { name, id_number: idNumber('1956-03-03', 401 + 2 * seq++), region: '51152410100101' });
  await call('doctor01', 'POST', '/api/v1/enrolments', { resident_id: r.id, program: 'hypertension', start_date: daysAgo(200) });
  const f = await call('doctor01', 'POST', '/api/v1/followups', { resident_id: r.id, program: 'hypertension', visit_date: daysAgo(30), sbp: 150, dbp: 95 });
  return { id: r.id, name, task: f.next_task.id };
}

const followups = async (id) => (await call('doctor01', 'GET', `/api/v1/residents/${id}/followups?program=hypertension`)).items;
const taskStatus = async (p) => {
  const list = await call('doctor01', 'GET', `/api/v1/worklist?doctor=me&q=${encodeURIComponent(p.name)}`);
  return list.items.some((t) => t.id === p.task) ? 'open' : 'closed';
};

async function badge(page) {
  const el = page.getByTestId('sync-badge');
  return { pending: Number(await el.getAttribute('data-pending')), conflicts: Number(await el.getAttribute('data-conflicts')), text: (await el.textContent()).trim() };
}

async function recordOffline(page, p, sbp) {
  await page.locator(`a[data-testid=task-followup][href*="task=${p.task}"]`).click();
  await page.getByTestId('followup-page').waitFor();
  await page.getByTestId('fu-offline').waitFor(); // no live evaluation offline: said so
  await page.getByTestId('fu-sbp').fill(String(sbp));
  await page.getByTestId('fu-dbp').fill('82');
  await page.getByTestId('fu-submit').click();
  await page.getByTestId('worklist-page').waitFor();
  await page.locator(`[data-testid=task-row]:has-text("${p.name}") [data-testid=task-queued]`).waitFor();
}

async function flow(viewport, tag, count) {
  const people = [];
  for (let i = 0; i < count + 1; i++) people.push(await patient(`离线${tag}${i}`));
  const [late] = people.slice(-1);
  const page = await openPage(viewport);
  await login(page, 'doctor01');
  // Online: the service worker takes over; the work list read through it is kept.
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 20000 });
  await page.goto(`${base}/#/worklist?doctor=me&q=${encodeURIComponent('离线' + tag)}`);
  await page.reload();
  await page.getByTestId('task-row').first().waitFor();
  assert.equal(await page.getByTestId('task-row').count(), count + 1);
  assert.equal(await page.getByTestId('sync-badge').isHidden(), true, 'no badge online with nothing queued');

  // Offline as a phone is: nothing reaches the server, also what the service worker sends
  // (the browser's offline emulation may not hold its requests back).
  await page.context().route('**/api/**', (route) => route.abort('internetdisconnected'));
  await page.context().setOffline(true);
  await page.getByTestId('sync-badge').waitFor();
  for (const [i, p] of people.entries()) await recordOffline(page, p, 128 + i);
  assert.deepEqual(await badge(page).then((b) => [b.pending, b.conflicts]), [count + 1, 0]);
  assert.match((await badge(page)).text, new RegExp(`待同步 ${count + 1}`));
  await noSideways(page, `${tag} work list offline`);
  await shoot(page, `offline-${tag}-queued`);

  // A colleague records the last patient's visit meanwhile: its task closes on the server.
  await call('village01', 'POST', '/api/v1/followups', { resident_id: late.id, program: 'hypertension', visit_date: daysAgo(1), sbp: 126, dbp: 80 });

  // Reload offline: the shell, the session and the list come from the service worker.
  await page.reload();
  await page.getByTestId('worklist-page').waitFor();
  await page.getByTestId('task-queued').first().waitFor();
  assert.equal(await page.getByTestId('task-queued').count(), count + 1);
  assert.equal((await badge(page)).pending, count + 1);
  for (const p of people) assert.equal((await followups(p.id)).length, p === late ? 2 : 1, 'nothing sent while offline');

  // Online again: the queue syncs by itself, even when the link, back, still drops the first
  // request (a phone's network often says "online" before it carries): it tries again.
  let dropped = 0;
  await page.route('**/api/v1/followups', (route) => (dropped++ === 0 ? route.abort('internetdisconnected') : route.continue()));
  await page.context().unroute('**/api/**');
  await page.context().setOffline(false);
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid=sync-badge]');
    return el && el.dataset.pending === '0' && el.dataset.conflicts === '1';
  }, null, { timeout: 20000 });
  await page.unroute('**/api/v1/followups');
  assert.ok(dropped >= 2, 'the first try was dropped and the queue was sent on a later one');
  for (const p of people.slice(0, count)) {
    const items = await followups(p.id);
    assert.equal(items.length, 2, `${p.name}: exactly one follow-up added`);
    assert.equal(await taskStatus(p), 'closed', `${p.name}: its task is closed`);
  }
  assert.equal((await followups(late.id)).length, 2, 'the conflicting visit is not stored twice');

  // The conflict is listed with the server's reason, not lost.
  await page.getByTestId('sync-badge').click();
  await page.getByTestId('offline-page').waitFor();
  const item = page.getByTestId('sync-conflicts').getByTestId('sync-item');
  assert.equal(await item.count(), 1);
  assert.equal((await item.getByTestId('sync-item-name').textContent()).trim(), late.name);
  assert.equal(await item.getByTestId('sync-item-reason').getAttribute('data-code'), 'task_closed');
  assert.match(await item.getByTestId('sync-item-reason').textContent(), /已被关闭/);
  await noSideways(page, `${tag} conflicts`);
  await shoot(page, `offline-${tag}-conflict`);
  // Saved anyway, it becomes a new follow-up; then nothing is left to sync.
  await item.getByTestId('sync-item-resend').click();
  await page.getByTestId('sync-empty').waitFor({ timeout: 10000 });
  assert.equal((await followups(late.id)).length, 3);
  assert.equal(await page.getByTestId('sync-badge').isHidden(), true);

  // Log-out deletes the kept reads: nobody else finds this user's data on the device.
  await page.getByTestId('logout').click();
  await page.getByTestId('login-username').waitFor();
  await page.waitForFunction(async () => !(await caches.keys()).includes('jiayi-data'));
  await closePage(page);
}

test('offline at 375 px: three follow-ups queued, reload offline, synced once each; a closed task is a conflict', { timeout: 60000 }, async () => {
  await flow(PHONE, 'phone', 3);
});

test('offline at 1280 px: the same flow on a desk', { timeout: 60000 }, async () => {
  await flow(DESK, 'desk', 1);
});
