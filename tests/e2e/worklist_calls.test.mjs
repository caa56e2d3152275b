// worklist_calls.test.mjs - the work list as an outreach tool in the browser (issue 14): a
// doctor on the overdue hypertension tab records call outcomes row by row; each row is
// redrawn in place (the tab, the filters and the page itself stay), a refused field is
// named in the dialog, an ended task leaves its tab's count; the list exports to XLSX and a
// follow-up opened from it returns to the same tab and filters. Desk (1280 px) and phone
// (375 px), with screenshots.
//
// Run from the repository root:  node --test tests/e2e/worklist_calls.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { daysAgo, daysAhead } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'worklist-calls' });

const CELL = '51152410100101';
const LIST = '#/worklist?doctor=me&status=overdue&program=hypertension';

async function call(token, method, path, body) {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, JSON.stringify(json));
  return json;
}

/* Overdue patients: enrolled 300 days ago, last seen 150 days ago (next visit long due). */
let made = null;
const setup = () => (made ||= makePatients());
async function makePatients() {
  const token = (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: PASSWORD }) })).json()).token;
  const people = [['王秀英', 'hypertension'], ['李建国', 'hypertension'], ['张桂兰', 'hypertension'], ['刘德明', 'hypertension'],
    ['陈玉珍', 'hypertension'], ['杨志强', 'hypertension'], ['赵淑芬', 'diabetes']];
  for (const [i, [name, program]] of people.entries()) {
    const r = await call(token, 'POST', '/api/v1/residents', { name, id_number: idNumber('1956-05-05', 2 * i + 301), region: CELL, phone: `1380000${String(1000 + i)}` });
    await call(token, 'POST', '/api/v1/enrolments', { resident_id: r.id, program, start_date: daysAgo(300) });
    await call(token, 'POST', '/api/v1/followups', { resident_id: r.id, program, visit_date: daysAgo(150), sbp: 134, dbp: 84, fbg: 6.2, findings: [], mode: 'clinic' });
  }
}

const rows = (page) => page.getByTestId('task-row');
const count = async (page, s) => Number((await page.getByTestId(`worklist-count-${s}`).textContent()).trim());

async function record(page, row, outcome, { agreed, statusDate } = {}) {
  await row.getByTestId('task-call-button').click();
  const dialog = page.getByTestId('call-dialog');
  await dialog.waitFor();
  await dialog.getByTestId(`call-outcome-${outcome}`).check();
  if (agreed) await dialog.getByTestId('call-agreed-date').fill(agreed);
  if (statusDate) await dialog.getByTestId('call-status-date').fill(statusDate);
  return dialog;
}

test('desk: call outcomes are recorded row by row, the list keeps its tab and filters, and exports to XLSX', { timeout: 60000 }, async () => {
  await setup();
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/${LIST}`);
  await page.getByTestId('worklist-page').waitFor();
  assert.equal(await rows(page).count(), 6);
  assert.equal(await count(page, 'overdue'), 6);
  assert.equal(await page.getByTestId('worklist-program').inputValue(), 'hypertension');
  // The page node is marked: a full re-render would replace it.
  await page.getByTestId('worklist-page').evaluate((el) => { el.dataset.marker = 'kept'; });

  // Reached: the visit agreed a week on shows on the row.
  const first = rows(page).nth(0);
  const firstName = (await first.getByTestId('task-resident').textContent()).trim();
  let dialog = await record(page, first, 'reached', { agreed: daysAhead(7) });
  assert.ok(await dialog.getByTestId('call-agreed-date').isVisible());
  await shoot(page, 'worklist-call-dialog-desktop');
  await dialog.getByTestId('dialog-submit').click();
  await dialog.waitFor({ state: 'detached' });
  const agreedRow = rows(page).nth(0);
  await agreedRow.getByTestId('task-agreed').waitFor();
  assert.equal((await agreedRow.getByTestId('task-resident').textContent()).trim(), firstName, 'the same row, in place');
  assert.match(await agreedRow.getByTestId('task-agreed').textContent(), /约定/);
  assert.match(await agreedRow.getByTestId('task-call-attempts').textContent(), /1/);

  // No answer, twice: the attempts count.
  for (let i = 1; i <= 2; i++) {
    dialog = await record(page, rows(page).nth(1), 'no_answer');
    await dialog.getByTestId('dialog-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=task-row]')[1]?.querySelector('[data-testid=task-call-attempts]')?.textContent.includes(String(n)), i);
  }
  assert.match(await rows(page).nth(1).getByTestId('task-call-last').textContent(), /无人接听/);

  // A date before today is refused, naming the field in the dialog; nothing changes.
  dialog = await record(page, rows(page).nth(2), 'reached', { agreed: daysAgo(1) });
  await dialog.getByTestId('dialog-submit').click();
  await dialog.getByTestId('dialog-error').locator('.alert').waitFor();
  const error = await dialog.getByTestId('dialog-error').textContent();
  assert.match(error, /不能早于今天/);
  assert.match(error, /约定随访日期/);
  assert.equal(await dialog.getByTestId('call-agreed-date').getAttribute('aria-invalid'), 'true');
  await dialog.getByTestId('dialog-cancel').click();
  assert.match(await rows(page).nth(2).getByTestId('task-call').textContent(), /未呼叫/);

  // Died: the dialog warns that the record closes; the row says the task ended, the count drops.
  dialog = await record(page, rows(page).nth(2), 'died');
  assert.match(await dialog.getByTestId('call-warning').textContent(), /档案将注销/);
  assert.ok(!(await dialog.getByTestId('call-agreed-date').isVisible()));
  await dialog.getByTestId('dialog-submit').click();
  await dialog.waitFor({ state: 'detached' });
  await rows(page).nth(2).getByText('任务已结束：死亡').waitFor();
  assert.equal(await rows(page).nth(2).getByTestId('task-call-button').count(), 0);
  assert.equal(await count(page, 'overdue'), 5);

  // The tab, the filters and the page itself stayed.
  assert.equal(new URL(page.url()).hash, LIST);
  assert.equal(await page.getByTestId('worklist-tab-overdue').getAttribute('aria-selected'), 'true');
  assert.equal(await page.getByTestId('worklist-program').inputValue(), 'hypertension');
  assert.equal(await page.getByTestId('worklist-page').getAttribute('data-marker'), 'kept');
  assert.equal(await rows(page).count(), 6);
  await shoot(page, 'worklist-calls-desktop');

  // The export: the same filters, a real XLSX.
  const href = await page.getByTestId('worklist-export').getAttribute('href');
  assert.match(href, /status=overdue/);
  assert.match(href, /program=hypertension/);
  assert.match(href, /format=xlsx/);
  const file = await page.request.get(base + href);
  assert.equal(file.status(), 200);
  const bytes = await file.body();
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');

  // A follow-up opened from the list returns to this tab and these filters.
  const follow = rows(page).nth(3).getByTestId('task-followup');
  await follow.click();
  await page.getByTestId('followup-page').waitFor();
  assert.equal(await page.locator(`a[href="${LIST}"]`).count() > 0, true, 'the way back keeps the tab and filters');
  await closePage(page);
});

test('phone: the outcome control fits 375 px, and a refusal ends the task in place', { timeout: 45000 }, async () => {
  await setup();
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/${LIST}`);
  await page.getByTestId('worklist-page').waitFor();
  await noSideways(page, 'work list on a phone');
  const before = await count(page, 'overdue');
  const row = rows(page).nth(3);
  await row.getByTestId('task-call-button').scrollIntoViewIfNeeded();
  const dialog = await record(page, row, 'refused');
  await noSideways(page, 'call dialog on a phone');
  const box = await dialog.getByTestId('call-outcomes').boundingBox();
  assert.ok(box.width <= 375, `outcomes ${box.width}px wide`);
  await shoot(page, 'worklist-call-dialog-phone', { full: false });
  await dialog.getByTestId('dialog-submit').click();
  await dialog.waitFor({ state: 'detached' });
  await rows(page).nth(3).getByText('任务已结束：失访').waitFor();
  assert.equal(await count(page, 'overdue'), before - 1);
  assert.equal(new URL(page.url()).hash, LIST);
  await noSideways(page, 'work list after a save');
  await shoot(page, 'worklist-calls-phone');
  await closePage(page);
});
