// visit_requests.test.mjs - the team's 预约上门 screen in the browser (issue 16): doctor01
// finds it in the navigation, sees an 80-year-old's home visit first with its priority mark,
// confirms it with a day and a half-day (the confirmation and the reminder are in the outbox),
// opens the slot picker of a specialist request and books one of the demo's released slots, and cancels a clinic visit.
// Desk (1280 px) and phone (375 px), with screenshots, no sideways scrolling.
//
// Run from the repository root:  node --test tests/e2e/visit_requests.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { TODAY, daysAgo, daysAhead } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'visits' });

const CELL = '51152410100101';
const tokens = {};
async function call(who, method, path, body) {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${tokens[who]}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, `${method} ${path}: ${JSON.stringify(json)}`);
  return json;
}
const token = async (username) => (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username, password: PASSWORD }) })).json()).token;

let seq = 0;
async function resident(name, birth) {
  const me = (await call('doctor', 'GET', '/api/v1/session')).user;
  const p = await call('doctor', 'POST', '/api/v1/residents', { name, id_number: idNumber(birth, 511 + 2 * seq++), region: CELL, phone: `1370000${String(seq).padStart(4, '0')}`, address: `梅华社区${seq}组` });
  await call('doctor', 'POST', '/api/v1/contracts', { resident_id: p.id, team_id: me.teams[0], doctor_id: me.staff_id, packages: ['BASIC'], start_date: daysAgo(30), channel: 'clinic' });
  return { id: p.id, name, team: me.teams[0] };
}

let ready = null;
let old, young, spec;
const setup = () => (ready ||= (async () => {
  tokens.doctor = await token('doctor01');
  const eighty = `${Number(TODAY.slice(0, 4)) - 82}${TODAY.slice(4)}`;
  old = await resident('高龄甲', eighty);
  young = await resident('门诊乙', '1970-05-05');
  spec = await resident('专科丙', '1965-07-07');
  await call('doctor', 'POST', `/api/v1/residents/${young.id}/visit-requests`, { kind: 'clinic', preferred_date: daysAhead(1), preferred_time: 'pm', reason: '复查血糖' });
  await call('doctor', 'POST', `/api/v1/residents/${old.id}/visit-requests`, { kind: 'home', preferred_date: daysAhead(3), preferred_time: 'am', reason: '行动不便，需上门测血压' });
  await call('doctor', 'POST', `/api/v1/residents/${spec.id}/visit-requests`, { kind: 'specialist', preferred_date: daysAhead(2), reason: '胸闷，想看心内科' });
})());

const item = (page, who) => page.locator(`[data-testid=visit-item]`, { hasText: who.name });

test('doctor01 confirms an 80-year-old\'s home visit first in the list, books a specialist slot, cancels a clinic visit (desk)', { timeout: 30000 }, async () => {
  await setup();
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.locator('a[href="#/visit-requests"]').first().click();
  await page.getByTestId('visits-page').waitFor();
  await page.getByTestId('visit-item').first().waitFor();
  // High priority first, marked.
  const first = page.getByTestId('visit-item').first();
  assert.match(await first.textContent(), /高龄甲/);
  assert.equal(await first.getAttribute('data-priority'), 'high');
  assert.match(await first.getByTestId('visit-priority').textContent(), /80岁及以上/);
  await shoot(page, 'visits-desk-list');
  await noSideways(page, 'visit requests at 1280 px');

  // Confirm the home visit: a day and a half-day.
  await item(page, old).getByTestId('visit-confirm').click();
  const dialog = page.getByTestId('visit-confirm-dialog');
  await dialog.getByTestId('confirm-date').fill(daysAhead(4));
  await dialog.getByTestId('confirm-time').selectOption('pm');
  await shoot(page, 'visits-desk-confirm', { full: false });
  await dialog.getByTestId('dialog-submit').click();
  await dialog.waitFor({ state: 'detached' });
  await item(page, old).getByTestId('visit-confirmed').waitFor();
  assert.match(await item(page, old).getByTestId('visit-confirmed').textContent(), new RegExp(`${daysAhead(4)} 下午`));
  assert.equal(await item(page, old).getByTestId('visit-status').getAttribute('data-status'), 'confirmed');
  const mine = await call('doctor', 'GET', `/api/v1/residents/${old.id}/visit-requests`);
  assert.deepEqual([mine.items[0].status, mine.items[0].confirmed_date, mine.items[0].confirmed_time], ['confirmed', daysAhead(4), 'pm']);

  // The specialist request: the slot picker offers the cardiology slot; booking confirms it.
  await item(page, spec).getByTestId('visit-confirm').click();
  const picker = page.getByTestId('visit-confirm-dialog');
  await picker.getByTestId('visit-slot').first().waitFor();
  await shoot(page, 'visits-desk-slots', { full: false });
  const chosen = (await picker.getByTestId('visit-slot').first().locator('.visit-slot-when').textContent()).trim();
  await picker.getByTestId('visit-slot').first().locator('input').check();
  await picker.getByTestId('dialog-submit').click();
  await picker.waitFor({ state: 'detached' });
  await item(page, spec).getByTestId('visit-confirmed').waitFor();
  assert.ok((await item(page, spec).getByTestId('visit-confirmed').textContent()).endsWith(chosen.slice(-5)), chosen);

  // Cancel the clinic visit: it leaves the open list.
  await item(page, young).getByTestId('visit-cancel').click();
  await page.getByTestId('cancel-reason').fill('居民已自行就诊');
  await page.getByTestId('visit-cancel-dialog').getByTestId('dialog-submit').click();
  await item(page, young).waitFor({ state: 'detached' });
  await page.getByTestId('visit-tab-cancelled').click();
  await item(page, young).waitFor();
  await closePage(page);
});

test('the screen on a phone (375 px): the list and the confirm dialog fit', { timeout: 20000 }, async () => {
  await setup();
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/visit-requests?status=all`);
  await page.getByTestId('visit-item').first().waitFor();
  await noSideways(page, 'visit requests at 375 px');
  await shoot(page, 'visits-phone-list');
  assert.ok(await page.getByTestId('visit-item').count() >= 3);
  await page.getByTestId('visit-tab-confirmed').click();
  await item(page, old).waitFor();
  await item(page, old).getByTestId('visit-cancel').click();
  await page.getByTestId('visit-cancel-dialog').waitFor();
  await noSideways(page, 'the cancel dialog at 375 px');
  await shoot(page, 'visits-phone-cancel', { full: false });
  await page.getByTestId('dialog-cancel').click();
  await closePage(page);
});
