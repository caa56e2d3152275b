// followup_form.test.mjs - the follow-up form when a save fails, and the other field-ready
// details of issue 14, in Chromium at desk width and at 375 px: an empty save, an SBP of 400
// and a future date are told at the field (highlighted, the message under it, the field's
// label in a summary at the top); no network says "not saved" and keeps what was typed; the
// evaluation is in view when Save is pressed; an urgent_refer result offers the referral and
// the save makes exactly one, shown done; a second visit of the day warns and may be
// confirmed; Back after a save does not reopen a blank form; Cancel asks only when something
// was typed. Also: a paid renewal shows the fee and asks, a free one does not; the phone's
// bottom bar holds at most five places plus 更多, which opens the rest, for every role.
// No test passes with a script error on the page (pageerror) or a console error.
//
// Run from the repository root:  node --test tests/e2e/followup_form.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { TODAY as today, daysAgo, daysAhead } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'followup-form', offline: true });

const CELL = '51152410100101';
let token = null;
let seq = 0;

async function call(method, path, body) {
  if (!token) token = (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: PASSWORD }) })).json()).token;
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, `${method} ${path}: ${JSON.stringify(json)}`);
  return json;
}

async function patient(name, programs = ['hypertension'], birth = '1958-04-04') {
  const r = await call('POST', '/api/v1/residents', { name, id_number: idNumber(birth, 2 * seq++ + 501), region: CELL });
  for (const program of programs) await call('POST', '/api/v1/enrolments', { resident_id: r.id, program, start_date: daysAgo(200) });
  return r.id;
}

/* A page that also fails on console errors other than the browser's own line for an
 * answered request (a 4xx it logs by itself) or a refused connection (offline). */
async function strictPage(viewport) {
  const page = await openPage(viewport);
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.errors.push(`console: ${m.text()}`);
  });
  return page;
}

async function openForm(page, id, query = '') {
  await page.goto(`${base}/#/residents/${id}`);
  await page.getByTestId('card-followups').waitFor();
  await page.goto(`${base}/#/residents/${id}/followup/hypertension${query}`);
  await page.getByTestId('followup-page').waitFor();
  await page.locator('[data-testid=fu-result][data-state]').waitFor();
}

const fieldError = (page, field) => page.locator(`[data-testid=fu-field-error][data-field="${field}"]`);
const saveState = (page) => page.getByTestId('fu-save-state').getAttribute('data-state');

const stored = async (id) => ((await call('GET', `/api/v1/residents/${id}/followups`)).items || []).length;
/* The queue syncs on the browser's online event: wait (up to 15 s) for the server to hold n. */
async function untilStored(id, n) {
  for (let i = 0; i < 75 && (await stored(id)) < n; i++) await new Promise((r) => setTimeout(r, 200));
  assert.equal(await stored(id), n, 'the queued follow-up reached the server once');
}

/* The evaluation card is on screen (at least its top 80 px) while the Save button is. */
async function evaluationInView(page) {
  await page.getByTestId('fu-submit').scrollIntoViewIfNeeded();
  const view = page.viewportSize();
  const card = await page.getByTestId('fu-result-card').boundingBox();
  const save = await page.getByTestId('fu-submit').boundingBox();
  assert.ok(save.y >= 0 && save.y + save.height <= view.height, 'Save is on screen');
  assert.ok(card.y >= 0 && card.y + Math.min(80, card.height) <= view.height, `the evaluation is on screen when Save is (card at ${card.y}, viewport ${view.height})`);
  return { card, save };
}

test('desk: failed saves are told at the field, offline is kept on the device and synced, then saved; Back does not reopen the form; a second visit of the day asks', { timeout: 60000 }, async () => {
  const id = await patient('表单测试');
  const page = await strictPage(DESK);
  await login(page, 'doctor01');
  await openForm(page, id);
  assert.equal(await saveState(page), 'draft');

  // Empty: both pressures are wanted, at their fields and in the summary at the top.
  await page.getByTestId('fu-submit').click();
  await fieldError(page, 'sbp').waitFor();
  await fieldError(page, 'dbp').waitFor();
  assert.equal(await saveState(page), 'not_saved');
  const summary = await page.getByTestId('fu-error-summary').textContent();
  assert.match(summary, /未保存/);
  assert.match(summary, /收缩压/);
  assert.match(summary, /舒张压/);
  assert.equal(await page.getByTestId('fu-sbp').getAttribute('aria-invalid'), 'true');
  assert.ok(await page.locator('[data-field=sbp].field-invalid').isVisible(), 'the field is highlighted');
  await shoot(page, 'fu-form-empty-desktop');

  // SBP 400: the server's problem at the field, its label in Chinese.
  await page.getByTestId('fu-sbp').fill('400');
  assert.equal(await fieldError(page, 'sbp').count(), 0, 'typing clears the field\'s message');
  await page.getByTestId('fu-dbp').fill('90');
  await page.getByTestId('fu-submit').click();
  await fieldError(page, 'sbp').waitFor();
  assert.equal(await fieldError(page, 'dbp').count(), 0);
  assert.match(await page.getByTestId('fu-error-summary').textContent(), /收缩压 \(mmHg\)：/);
  assert.ok((await fieldError(page, 'sbp').textContent()).trim().length > 0);
  assert.equal(await saveState(page), 'not_saved');
  await shoot(page, 'fu-form-sbp400-desktop');

  // A future date: refused by the server at the date.
  await page.getByTestId('fu-sbp').fill('150');
  await page.getByTestId('fu-date').fill(daysAhead(3));
  await page.getByTestId('fu-submit').click();
  await fieldError(page, 'visit_date').waitFor();
  assert.match(await page.getByTestId('fu-error-summary').textContent(), /随访日期/);
  await page.getByTestId('fu-date').fill(today);

  // No network: kept on this device with its Idempotency-Key (待同步) and sent when the link
  // returns. Yesterday's visit, controlled, so that today's below is neither a second one of
  // its day nor a second uncontrolled one in a row (which would refer).
  await page.getByTestId('fu-date').fill(daysAgo(1));
  await page.getByTestId('fu-sbp').fill('132');
  await page.getByTestId('fu-dbp').fill('84');
  await page.context().setOffline(true);
  await page.getByTestId('fu-submit').click();
  await page.waitForURL(`**/#/residents/${id}`);
  await shoot(page, 'fu-form-offline-desktop');
  assert.equal(await stored(id), 0, 'nothing reaches the server while offline');
  await page.context().setOffline(false);
  await untilStored(id, 1);
  await page.reload(); // the resident page was drawn offline
  await openForm(page, id);
  await page.getByTestId('fu-sbp').fill('150');
  await page.getByTestId('fu-dbp').fill('90');

  // Cancel with typed data asks; staying keeps the form.
  await page.getByTestId('fu-cancel').click();
  await page.getByTestId('fu-discard-dialog').waitFor();
  await shoot(page, 'fu-form-cancel-desktop', { full: false });
  await page.getByTestId('fu-discard-dialog').getByTestId('dialog-cancel').click();
  assert.match(page.url(), /followup\/hypertension/);

  // The evaluation (sticky beside the form) is in view when Save is pressed.
  await page.locator('[data-testid=fu-classification][data-code]').waitFor();
  await evaluationInView(page);
  await shoot(page, 'fu-form-sticky-desktop', { full: false });
  await page.getByTestId('fu-submit').click();
  await page.waitForURL(`**/#/residents/${id}`);
  await page.locator('[data-testid=followup-item][data-program=hypertension]').first().waitFor();
  // Back goes where the form was opened from, not to a blank form.
  await page.goBack();
  await page.waitForTimeout(300);
  assert.doesNotMatch(page.url(), /followup/, 'Back does not reopen the form');

  // A second visit of the same day: warned, and saved once confirmed.
  await openForm(page, id);
  await page.getByTestId('fu-sbp').fill('132');
  await page.getByTestId('fu-dbp').fill('84');
  // 服药依从性, which a long prescription needs (issue 15)
  await page.getByTestId('fu-adherence').selectOption('regular');
  await page.getByTestId('fu-submit').click();
  await page.getByTestId('fu-duplicate').waitFor();
  assert.match(await page.getByTestId('fu-duplicate').textContent(), /已有一次高血压随访记录/);
  assert.equal(await saveState(page), 'not_saved');
  assert.equal(await stored(id), 2, 'the synced one and today\'s');
  await shoot(page, 'fu-form-duplicate-desktop');
  await page.getByTestId('fu-confirm-duplicate').click();
  await page.waitForURL(`**/#/residents/${id}`);
  assert.equal(await stored(id), 3);
  const latest = (await call('GET', `/api/v1/residents/${id}/followups`)).items.find((f) => f.sbp === 132);
  assert.equal(latest.medication_adherence, 'regular');
  await closePage(page);
});

test('desk: an urgent_refer result offers the referral, the save makes exactly one and shows it done', { timeout: 40000 }, async () => {
  const id = await patient('紧急转诊');
  const page = await strictPage(DESK);
  await login(page, 'doctor01');
  await openForm(page, id, '?from=worklist');
  await page.getByTestId('fu-sbp').fill('186');
  await page.getByTestId('fu-dbp').fill('112');
  await page.locator('[data-testid=fu-action][data-code=urgent_refer]').waitFor();
  const offer = page.locator('[data-testid=fu-referral-offer][data-urgent=true]');
  await offer.waitFor();
  assert.equal((await page.getByTestId('fu-submit').textContent()).trim(), '保存并转诊');
  await shoot(page, 'fu-urgent-offer-desktop', { full: false });
  await offer.getByTestId('fu-refer').click();
  const done = page.locator('[data-testid=fu-referral-done][data-urgent=true]');
  await done.waitFor();
  assert.match(await done.textContent(), /已紧急转诊/);
  assert.equal(await saveState(page), 'saved');
  assert.ok(await page.getByTestId('fu-result-card').isVisible(), 'the evaluation stays in view');
  const referrals = (await call('GET', `/api/v1/residents/${id}/referrals`)).items;
  assert.equal(referrals.length, 1, 'exactly one referral');
  assert.equal(referrals[0].urgent, true);
  assert.match(await done.textContent(), new RegExp(referrals[0].to_institution_name));
  await shoot(page, 'fu-urgent-done-desktop');
  // Leaving for the work list replaces the form: Back does not reopen it.
  await page.getByTestId('fu-saved-worklist').click();
  await page.waitForURL('**/#/worklist');
  await page.getByTestId('worklist-page').waitFor();
  await page.goBack();
  await page.waitForTimeout(300);
  assert.doesNotMatch(page.url(), /followup/);
  await closePage(page);
});

test('375 px: errors at the field, the evaluation just above Save, offline, urgent referral, Cancel without typing', { timeout: 50000 }, async () => {
  const id = await patient('手机随访');
  const page = await strictPage(PHONE);
  await login(page, 'doctor01');
  await openForm(page, id);
  // Nothing typed: Cancel just goes.
  await page.getByTestId('fu-cancel').click();
  await page.waitForURL(`**/#/residents/${id}`);
  await openForm(page, id);

  // The evaluation sits in the form, right above the Save card.
  const order = await page.evaluate(() => {
    const slot = document.querySelector('.fu-phone-slot');
    return { inSlot: Boolean(slot && slot.querySelector('[data-testid=fu-result-card]')), next: slot && slot.nextElementSibling && slot.nextElementSibling.contains(document.querySelector('[data-testid=fu-submit]')) };
  });
  assert.deepEqual(order, { inSlot: true, next: true });

  await page.getByTestId('fu-submit').click();
  await fieldError(page, 'sbp').waitFor();
  await noSideways(page, 'follow-up form with errors');
  await shoot(page, 'fu-form-empty-phone');
  await page.getByTestId('fu-sbp').fill('400');
  await page.getByTestId('fu-dbp').fill('90');
  await page.getByTestId('fu-submit').click();
  await fieldError(page, 'sbp').waitFor();
  await page.getByTestId('fu-date').fill(daysAhead(2));
  await page.getByTestId('fu-sbp').fill('188');
  await page.getByTestId('fu-submit').click();
  await fieldError(page, 'visit_date').waitFor();
  // Offline: kept on the phone and sent when the link returns (yesterday's, not urgent).
  await page.getByTestId('fu-date').fill(daysAgo(1));
  await page.getByTestId('fu-sbp').fill('150');
  await page.context().setOffline(true);
  await page.getByTestId('fu-submit').click();
  await page.waitForURL(`**/#/residents/${id}`);
  await noSideways(page, 'offline, back on the resident');
  await shoot(page, 'fu-form-offline-phone');
  await page.context().setOffline(false);
  await untilStored(id, 1);
  await page.reload(); // the resident page was drawn offline
  await openForm(page, id);
  await page.getByTestId('fu-sbp').fill('188');
  await page.getByTestId('fu-dbp').fill('90');

  await page.locator('[data-testid=fu-action][data-code=urgent_refer]').waitFor();
  await evaluationInView(page);
  await shoot(page, 'fu-form-above-save-phone', { full: false });
  await page.getByTestId('fu-submit').click();
  await page.getByTestId('fu-referral-done').waitFor();
  assert.equal((await call('GET', `/api/v1/residents/${id}/referrals`)).items.length, 1);
  await noSideways(page, 'saved with a referral');
  await shoot(page, 'fu-urgent-done-phone');
  await closePage(page);
});

async function contractFor(name, packages, programs) {
  const me = (await call('GET', '/api/v1/session')).user;
  const id = await patient(name, programs, '1960-05-05');
  return call('POST', '/api/v1/contracts', { resident_id: id, team_id: me.teams[0], doctor_id: me.staff_id, packages, start_date: daysAgo(340), channel: 'clinic' });
}

test('a paid renewal shows the fee and asks; a free one does not', { timeout: 40000 }, async () => {
  const paid = await contractFor('续约自付', ['BASIC', 'HTN-120'], ['hypertension']);
  const free = await contractFor('续约免费', ['BASIC'], []);
  const listed = await contractFor('清单续约', ['BASIC', 'HTN-120'], ['hypertension']);
  const catalogue = (await call('GET', '/api/v1/packages')).items;
  const htn = catalogue.find((p) => p.code === 'HTN-120');
  const own = htn.fee_rules.filter((r) => r.payer === 'resident');
  assert.ok(own.length && htn.price_fen > 0, 'HTN-120 has a resident share');

  const page = await strictPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/contracts/${paid.id}`);
  await page.getByTestId('contract-renew').click();
  await page.getByTestId('renew-dialog').waitFor();
  await page.getByTestId('renew-fee-line').waitFor();
  await page.getByTestId('renew-dialog').getByTestId('dialog-submit').click();
  const ask = page.getByTestId('renew-fee-dialog');
  await ask.waitFor();
  const fen = Number(await ask.getByTestId('renew-fee-own').getAttribute('data-fen'));
  assert.ok(fen > 0, 'the resident\'s share is shown');
  assert.match(await ask.getByTestId('renew-fee-own').textContent(), /¥|元/);
  assert.match(await ask.getByTestId('dialog-submit').textContent(), /确认续约/);
  await shoot(page, 'renew-fee-confirm-desktop', { full: false });
  // Not confirmed: nothing renewed, the renewal dialog still open.
  await ask.getByTestId('dialog-cancel').click();
  await page.getByTestId('renew-dialog').waitFor();
  let contracts = await call('GET', `/api/v1/contracts?status=scheduled&limit=500`);
  assert.ok(!contracts.items.some((x) => x.previous_id === paid.id), 'not renewed without confirming');
  await page.getByTestId('renew-dialog').getByTestId('dialog-submit').click();
  await page.getByTestId('renew-fee-dialog').getByTestId('dialog-submit').click();
  await page.waitForURL((url) => /^#\/contracts\/\d+$/.test(url.hash) && url.hash !== `#/contracts/${paid.id}`); // the renewal's page
  contracts = await call('GET', `/api/v1/contracts?status=scheduled&limit=500`);
  const renewal = contracts.items.find((x) => x.previous_id === paid.id);
  assert.ok(renewal, 'renewed once confirmed');

  // Free: no question.
  await page.goto(`${base}/#/contracts/${free.id}`);
  await page.getByTestId('contract-renew').click();
  await page.getByTestId('renew-dialog').getByTestId('dialog-submit').click();
  await page.waitForURL((url) => /^#\/contracts\/\d+$/.test(url.hash) && url.hash !== `#/contracts/${free.id}`);
  assert.equal(await page.getByTestId('renew-fee-dialog').count(), 0);
  contracts = await call('GET', `/api/v1/contracts?status=scheduled&limit=500`);
  assert.ok(contracts.items.some((x) => x.previous_id === free.id), 'renewed at once');

  // The renewal list at 375 px asks too.
  const phone = page;
  await phone.setViewportSize(PHONE);
  await phone.goto(`${base}/#/contracts/expiring?scope=all&within=30`);
  const row = phone.locator('[data-testid=expiring-row]', { hasText: '清单续约' });
  await row.getByTestId('renew-button').click();
  await phone.getByTestId('renew-fee-dialog').waitFor();
  await noSideways(phone, 'renewal fee confirmation');
  await shoot(phone, 'renew-fee-confirm-phone', { full: false });
  await phone.getByTestId('renew-fee-dialog').getByTestId('dialog-submit').click();
  await row.getByTestId('renewed-link').waitFor();
  contracts = await call('GET', `/api/v1/contracts?status=scheduled&limit=500`);
  assert.ok(contracts.items.some((x) => x.previous_id === listed.id));
  await closePage(phone);
});

test('the phone bottom bar holds at most five places plus 更多, and nothing is lost, for every role', { timeout: 120000 }, async () => {
  for (const user of ['admin', 'county', 'town01', 'doctor01', 'village01']) {
    // Desk first: every place in the bar, no 更多; then the same page at 375 px.
    const page = await strictPage(DESK);
    await login(page, user);
    await page.locator('.app-nav').waitFor();
    const visibleLinks = () => page.locator('.app-nav a.nav-link').evaluateAll((links) => links.filter((a) => a.offsetParent !== null).map((a) => a.dataset.testid));
    const all = await visibleLinks();
    assert.equal(await page.getByTestId('nav-more').isVisible(), false, `${user}: no 更多 at desk width`);
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(100);
    const bar = await visibleLinks();
    assert.ok(bar.length <= 5, `${user}: ${bar.length} places in the bar`);
    let more = [];
    if (all.length > 5) {
      assert.equal(bar.length, 5);
      await page.getByTestId('nav-more').click();
      await page.getByTestId('nav-more-sheet').waitFor();
      more = await page.locator('[data-testid=nav-more-sheet] a').evaluateAll((links) => links.map((a) => a.dataset.testid.replace('nav-more-', 'nav-')));
      await shoot(page, `nav-more-${user}-phone`, { full: false });
      // A place in the sheet opens, and the sheet closes.
      await page.locator('[data-testid=nav-more-sheet] a').last().click();
      await page.getByTestId('nav-more-sheet').waitFor({ state: 'hidden' });
    } else {
      assert.equal(await page.getByTestId('nav-more').count(), 0, `${user}: no 更多 for ${all.length} places`);
      await shoot(page, `nav-bar-${user}-phone`, { full: false });
    }
    assert.deepEqual([...bar, ...more].sort(), [...all].sort(), `${user}: every place is in the bar or behind 更多`);
    await noSideways(page, `${user} bottom bar`);
    await closePage(page);
  }
});
