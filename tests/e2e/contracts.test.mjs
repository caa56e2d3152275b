// contracts.test.mjs - family-doctor contracts in the browser, end to end, in headless
// Chromium (playwright-core): signing a resident, the contract page with its shares
// and entitlements, recording a service, the printable agreement (also as a PDF),
// the renewal list with its one-click renewal, and the same screens at phone width.
//
// Like ui.test.mjs it builds its own demo county (3000 residents, seed 7: a year of
// contracts, some ending within 30 days) in a temporary directory, starts
// `jiayi serve --port 0 --web <repo>/web` and saves every screen under
// test-output/e2e/ (desk width and 375x812), plus test-output/e2e/agreement.pdf.
//
// Run from the repository root:  node --test tests/e2e/contracts.test.mjs
// JIAYI_BIN names another binary (default build/jiayi).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { useCounty, base, DESK, PHONE, SHOTS, openPage, closePage, shoot, noSideways, login, switchLanguage } from '../lib/browser.mjs';

useCounty({ residents: 3000, seed: 7, name: 'contracts' });

/* What the desk test leaves for the phone test. */
let signedContractId = null;
let renewedContractId = null;

async function ready(page) {
  await page.locator('main .loading').waitFor({ state: 'detached' });
}

const sumOf = async (locator, attr) => (await locator.evaluateAll((els, a) => els.map((e) => Number(e.getAttribute(a))), attr)).reduce((a, b) => a + b, 0);

/* A resident in the caller's scope with no contract, found through the API (the phone
 * test needs one without walking the list again). */
async function unsignedResident(page, skip = []) {
  return page.evaluate(async (skipIds) => {
    const list = await (await fetch('/api/v1/residents?limit=60', { headers: { Accept: 'application/json' } })).json();
    for (const r of list.items) {
      if (skipIds.includes(r.id)) continue;
      const one = await (await fetch(`/api/v1/residents/${r.id}`, { headers: { Accept: 'application/json' } })).json();
      if (!one.contract && one.status === 'alive') return one.id;
    }
    return null;
  }, skip);
}

test('a doctor signs a resident, records a service, prints the agreement and renews an expiring contract', { timeout: 45000 }, async () => {
  const page = await openPage();
  await login(page, 'doctor01');
  assert.equal((await page.getByTestId('nav-contracts').textContent()).trim(), '签约');

  // Walk the doctor's residents until one has no contract: the contract card offers 签约.
  const rows = page.getByTestId('resident-row');
  await rows.first().waitFor();
  const count = await rows.count();
  let residentId = null;
  for (let i = 0; i < count && !residentId; i++) {
    await rows.nth(i).getByTestId('resident-link').click();
    await page.getByTestId('resident-page').waitFor();
    await page.getByTestId('card-contract').waitFor();
    if (await page.getByTestId('sign-contract').count()) residentId = await page.getByTestId('resident-page').getAttribute('data-id');
    else {
      await page.goBack();
      await rows.first().waitFor();
    }
  }
  assert.ok(residentId, 'some resident of the team has no contract');
  assert.equal(await page.getByTestId('record-sign').count(), await page.getByTestId('record-opened').count(), 'the record card offers 签约 too');
  await shoot(page, 'resident-unsigned-desktop');

  // The signing screen: the serving team and its doctor, BASIC chosen, a live total.
  await page.getByTestId('sign-contract').click();
  await page.waitForURL(`**/#/residents/${residentId}/sign`);
  const sign = page.getByTestId('sign-page');
  await sign.waitFor();
  assert.ok(await page.getByTestId('sign-team').inputValue(), 'a team is chosen');
  assert.ok(await page.getByTestId('sign-doctor').inputValue(), 'a responsible doctor is chosen');
  assert.match(await page.getByTestId('sign-start').inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'the start date defaults to today');
  const basic = page.locator('[data-testid=package-option][data-code=BASIC]');
  assert.equal(await basic.getByTestId('package-check').isChecked(), true, 'BASIC is chosen by default');
  // Packages the resident may not sign are disabled with the reason.
  const refused = page.locator('[data-testid=package-option][data-eligible=false]');
  for (let i = 0; i < await refused.count(); i++) {
    assert.equal(await refused.nth(i).getByTestId('package-check').isDisabled(), true);
    assert.ok((await refused.nth(i).getByTestId('package-reason').textContent()).trim().length > 2, 'a disabled package says why');
  }
  // Add the first eligible package with a price; the total and the shares follow.
  const extra = page.locator('[data-testid=package-option][data-eligible=true]:not([data-code=BASIC])')
    .filter({ has: page.locator('.pkg-price:not([data-fen="0"])') })
    .filter({ hasNot: page.getByTestId('package-warning') }).first();
  const extraCode = await extra.getAttribute('data-code');
  const extraPrice = Number(await extra.locator('.pkg-price').getAttribute('data-fen'));
  const basicPrice = Number(await basic.locator('.pkg-price').getAttribute('data-fen'));
  await extra.getByTestId('package-check').check();
  await page.locator(`[data-testid=sign-total][data-fen="${basicPrice + extraPrice}"]`).waitFor();
  const shownTotal = basicPrice + extraPrice;
  assert.equal(await sumOf(page.getByTestId('sign-share'), 'data-amount'), shownTotal, 'the payers\' shares add up to the total');
  assert.match(await page.getByTestId('sign-total').textContent(), /^¥[\d,]+\.\d{2}$/, 'the total is shown in yuan with two decimals');
  const district = page.getByTestId('sign-district-hospital');
  if (await district.isEnabled()) await district.selectOption({ index: 1 });
  await shoot(page, 'sign-desktop');

  // Sign: the contract page, active, with the server's shares summing to the fee.
  await page.getByTestId('sign-submit').click();
  await page.waitForURL(/#\/contracts\/\d+$/);
  const contract = page.getByTestId('contract-page');
  await contract.waitFor();
  signedContractId = await contract.getAttribute('data-id');
  assert.equal((await page.getByTestId('contract-status').textContent()).trim(), '履约中');
  const fee = Number(await page.getByTestId('contract-fee').getAttribute('data-fen'));
  assert.equal(fee, shownTotal, 'the server charged what the signing screen showed');
  assert.equal(await sumOf(page.getByTestId('contract-share'), 'data-amount'), fee, 'the shares sum to the fee');
  assert.equal(await page.locator(`[data-testid=contract-packages] [data-code="${extraCode}"]`).count(), 1);
  // Nothing delivered yet, unless the resident's services recorded today already counted.
  if (await page.locator('[data-testid=delivery-row][data-automatic=true]').count() === 0)
    assert.equal((await page.getByTestId('fulfilment-rate').textContent()).trim(), '0.0%');
  await shoot(page, 'contract-desktop');

  // Record a service: used grows by one, remaining shrinks by one.
  const line = page.locator('[data-testid=entitlement-row]:not([data-remaining="0"])').first();
  const entitlementId = await line.getAttribute('data-id');
  const row = page.locator(`[data-testid=entitlement-row][data-id="${entitlementId}"]`);
  const used = Number(await row.getByTestId('ent-used').textContent());
  const remaining = Number(await row.getByTestId('ent-remaining').textContent());
  await row.getByTestId('record-service').click();
  const delivery = page.getByTestId('delivery-dialog');
  await delivery.waitFor();
  await delivery.getByTestId('delivery-note').fill('E2E 门诊测量');
  await shoot(page, 'delivery-dialog-desktop', { full: false });
  await delivery.getByTestId('dialog-submit').click();
  await delivery.waitFor({ state: 'detached' });
  await page.locator(`[data-testid=entitlement-row][data-id="${entitlementId}"][data-used="${used + 1}"]`).waitFor();
  assert.equal(Number(await row.getByTestId('ent-remaining').textContent()), remaining - 1);
  assert.notEqual((await page.getByTestId('fulfilment-rate').textContent()).trim(), '0.0%', 'the fulfilment rate moved');
  // The delivery is listed as recorded by hand, with its note.
  const manual = page.locator('[data-testid=delivery-row][data-automatic=false]', { hasText: 'E2E 门诊测量' });
  assert.equal(await manual.count(), 1);
  assert.equal((await manual.getByTestId('delivery-source').textContent()).trim(), '手工登记');
  assert.match(await row.getByTestId('ent-used-split').textContent(), /手工 1/);
  assert.ok(await page.getByTestId('history-item').count() >= 1, 'the history shows the signing');

  // The printable agreement, on screen, on paper and as a PDF.
  await page.getByTestId('print-agreement').click();
  await page.waitForURL(`**/#/contracts/${signedContractId}/agreement`);
  await page.getByTestId('agreement').waitFor();
  assert.equal((await page.getByTestId('agreement-title').textContent()).trim(), '家庭医生签约服务协议书');
  assert.match(await page.getByTestId('agreement-id').textContent(), /\*{4,}/, 'the ID number is masked');
  assert.ok(await page.getByTestId('agreement-item').count() >= 3, 'the services are listed');
  assert.equal(await sumOf(page.getByTestId('agreement-share'), 'data-amount'), fee);
  await page.getByTestId('agreement-signatures').getByText('居民签字').waitFor();
  await page.getByTestId('agreement-signatures').getByText('家庭医生签字').waitFor();
  await shoot(page, 'agreement-desktop');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('app-header').isVisible(), false, 'print hides the header');
  assert.equal(await page.getByTestId('agreement-toolbar').isVisible(), false, 'print hides the toolbar');
  // As on paper: A4 less the 16 mm margins of @page is 178 mm, about 673 CSS pixels wide.
  await page.setViewportSize({ width: 673, height: 1009 });
  await shoot(page, 'agreement-print');
  await page.setViewportSize(DESK);
  const pdf = path.join(SHOTS, 'agreement.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
  await page.emulateMedia({ media: null });
  assert.ok(statSync(pdf).size > 10000, 'the PDF has content');
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  const pages = (readFileSync(pdf).toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 2, `the agreement prints on one or two A4 pages (${pages})`);
  // The server-rendered PDF behind the toolbar's link, fetched with the page's own cookie.
  const href = await page.getByTestId('agreement-pdf').getAttribute('href');
  const served = await page.evaluate(async (u) => {
    const r = await fetch(u, { credentials: 'same-origin' });
    return { status: r.status, type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
  }, href);
  assert.deepEqual(served, { status: 200, type: 'application/pdf', head: '%PDF-' });

  // The resident page now shows the contract in short and links to it.
  await page.goto(`${base}/#/residents/${residentId}`);
  await page.getByTestId('card-contract').getByTestId('open-contract').waitFor();
  assert.equal((await page.getByTestId('contract-summary-status').textContent()).trim(), '履约中');
  assert.equal(await page.getByTestId('sign-contract').count(), 0, 'no 签约 once signed');
  await shoot(page, 'resident-contract-desktop');

  // The renewal list: contracts of the team ending soon; renew one with one click.
  await page.getByTestId('nav-contracts').click();
  const expiring = page.getByTestId('expiring-page');
  await expiring.waitFor();
  await ready(page);
  if (!await page.getByTestId('renew-button').count()) {
    await page.getByTestId('expiring-tab-90').click();
    await page.locator('[data-testid=expiring-page][data-within="90"]').waitFor();
    await ready(page);
  }
  const candidate = page.locator('[data-testid=expiring-row]', { has: page.getByTestId('renew-button') }).first();
  await candidate.waitFor();
  renewedContractId = await candidate.getAttribute('data-id');
  const renewable = page.locator(`[data-testid=expiring-row][data-id="${renewedContractId}"]`);
  await renewable.getByTestId('renew-button').click();
  // A renewal with a fee for the resident shows it and asks first (issue 14); free: at once.
  await page.locator(`[data-testid=renew-fee-dialog], [data-testid=expiring-row][data-id="${renewedContractId}"] [data-testid=renewed-link]`).first().waitFor();
  if (await page.getByTestId('renew-fee-dialog').count()) await page.getByTestId('renew-fee-dialog').getByTestId('dialog-submit').click();
  const done = renewable.getByTestId('renewed-link');
  await done.waitFor();
  const nextId = await done.getAttribute('data-id');
  await page.getByTestId('toast').first().waitFor();
  await shoot(page, 'expiring-desktop');

  // The renewal is scheduled; the renewed contract says so and offers no second renewal.
  await done.click();
  await page.waitForURL(`**/#/contracts/${nextId}`);
  await page.locator(`[data-testid=contract-page][data-id="${nextId}"]`).waitFor();
  assert.equal((await page.getByTestId('contract-status').textContent()).trim(), '待生效');
  assert.equal(await page.getByTestId('contract-previous').textContent(), `#${renewedContractId}`);
  await page.getByTestId('contract-previous').click();
  await page.locator(`[data-testid=contract-page][data-id="${renewedContractId}"]`).waitFor();
  await page.getByTestId('renewal-notice').waitFor();
  assert.equal(await page.getByTestId('contract-renew').count(), 0, 'no second renewal');

  // The same contract page in English.
  await switchLanguage(page, 'en');
  await page.getByTestId('page-title').getByText('Contract ·').waitFor();
  await page.getByTestId('card-fee').getByText('Total fee').waitFor();
  await shoot(page, 'contract-en-desktop');
  await switchLanguage(page, 'zh-CN');
  await page.getByTestId('nav-contracts').getByText('签约').waitFor();
  await closePage(page);
});

test('a contract shows the services its resident\'s records used up by themselves, and those recorded by hand', { timeout: 30000 }, async () => {
  const page = await openPage();
  await login(page, 'doctor01');
  // A demo contract with deliveries of both kinds (the county's records use up their
  // entitlements as they would through the API; what it does not record is by hand).
  const id = await page.evaluate(async () => {
    const list = await (await fetch('/api/v1/contracts?doctor=me&limit=100', { headers: { Accept: 'application/json' } })).json();
    for (const c of list.items) {
      const one = await (await fetch(`/api/v1/contracts/${c.id}`, { headers: { Accept: 'application/json' } })).json();
      const all = one.entitlements.flatMap((e) => e.deliveries);
      if (all.some((d) => d.automatic) && all.some((d) => !d.automatic)) return one.id;
    }
    return null;
  });
  assert.ok(id, 'doctor01 has a contract with recorded and manual deliveries');
  await page.goto(`${base}/#/contracts/${id}`);
  await page.getByTestId('card-deliveries').waitFor();
  await ready(page);
  const automatic = page.locator('[data-testid=delivery-row][data-automatic=true]');
  assert.ok(await automatic.count() >= 1);
  assert.match(await automatic.first().getByTestId('delivery-source').textContent(), /^自动 · (随访记录|体检结果|就诊记录|小组活动|专家号预约)$/);
  assert.ok(await page.locator('[data-testid=delivery-row][data-automatic=false]').count() >= 1);
  assert.match(await page.getByTestId('ent-used-split').first().textContent(), /自动|手工/);
  await shoot(page, 'contract-deliveries-desktop');
  // In English too.
  await page.evaluate(() => { localStorage.setItem('jiayi.lang', 'en'); });
  await page.reload();
  await page.getByTestId('card-deliveries').waitFor();
  await ready(page);
  assert.match(await page.getByTestId('card-deliveries').textContent(), /Services delivered/);
  assert.match(await automatic.first().getByTestId('delivery-source').textContent(), /^Recorded · (follow-up|exam|visit|group activity|specialist booking)$/);
  await page.evaluate(() => { localStorage.setItem('jiayi.lang', 'zh-CN'); });
  await closePage(page);
});

test('at phone width (375x812) the contract screens fit and stay usable', { timeout: 30000 }, async () => {
  assert.ok(signedContractId, 'the desk test signed a contract');
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.getByTestId('resident-row').first().waitFor();

  // The contract page: stats, the services as cards, a large "record" button.
  await page.goto(`${base}/#/contracts/${signedContractId}`);
  await page.getByTestId('contract-page').waitFor();
  await noSideways(page, 'contract');
  assert.ok(await page.getByTestId('nav-contracts').isVisible(), 'the bottom navigation has 签约');
  const record = await page.getByTestId('record-service').first().boundingBox();
  assert.ok(record.height >= 40, `the record button is a large tap target (${record.height}px)`);
  await shoot(page, 'contract-phone');

  // Record a service on the phone.
  const row = page.locator('[data-testid=entitlement-row]:not([data-remaining="0"])').first();
  const id = await row.getAttribute('data-id');
  const used = Number(await row.getAttribute('data-used'));
  await row.getByTestId('record-service').click();
  const delivery = page.getByTestId('delivery-dialog');
  await delivery.waitFor();
  await shoot(page, 'delivery-dialog-phone', { full: false });
  await delivery.getByTestId('dialog-submit').click();
  await page.locator(`[data-testid=entitlement-row][data-id="${id}"][data-used="${used + 1}"]`).waitFor();

  // The terminate dialog (cancelled) and the transfer dialog (cancelled).
  await page.getByTestId('contract-terminate').click();
  const terminate = page.getByTestId('terminate-dialog');
  await terminate.waitFor();
  await terminate.getByTestId('dialog-submit').click();
  await terminate.getByTestId('dialog-error').getByText('请选择解约原因').waitFor();
  await shoot(page, 'terminate-dialog-phone', { full: false });
  await terminate.getByTestId('dialog-cancel').click();
  await terminate.waitFor({ state: 'detached' });
  await page.getByTestId('contract-transfer').click();
  const transfer = page.getByTestId('transfer-dialog');
  await transfer.waitFor();
  assert.ok(await transfer.getByTestId('transfer-doctor').locator('option').count() >= 2, 'the team\'s members are offered');
  await shoot(page, 'transfer-dialog-phone', { full: false });
  await transfer.getByTestId('dialog-cancel').click();
  await transfer.waitFor({ state: 'detached' });

  // The agreement at phone width.
  await page.getByTestId('print-agreement').click();
  await page.getByTestId('agreement').waitFor();
  await noSideways(page, 'agreement');
  await shoot(page, 'agreement-phone');

  // The resident with the contract card.
  const residentId = await page.evaluate(async (cid) => (await (await fetch(`/api/v1/contracts/${cid}`)).json()).resident_id, signedContractId);
  await page.goto(`${base}/#/residents/${residentId}`);
  await page.getByTestId('card-contract').getByTestId('open-contract').waitFor();
  await noSideways(page, 'resident');
  await shoot(page, 'resident-contract-phone');

  // The signing screen for another unsigned resident.
  const other = await unsignedResident(page, [residentId]);
  assert.ok(other, 'another resident has no contract');
  await page.goto(`${base}/#/residents/${other}/sign`);
  await page.getByTestId('sign-page').waitFor();
  await noSideways(page, 'sign');
  const submit = await page.getByTestId('sign-submit').boundingBox();
  assert.ok(submit.height >= 44, `the sign button is a large tap target (${submit.height}px)`);
  await shoot(page, 'sign-phone');

  // The server has the last word: a package it refuses is disabled with its reason.
  const option = page.locator('[data-testid=package-option][data-eligible=true]:not([data-code=BASIC])').first();
  const code = await option.getAttribute('data-code');
  await option.getByTestId('package-check').check();
  await page.route('**/api/v1/contracts', (route) => route.fulfill({
    status: 422,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type: '/problems/package_not_eligible', title: '不符合该服务包的签约条件', status: 422, code: 'package_not_eligible', detail: '不符合该服务包的签约条件', field: 'packages', value: code }),
  }));
  await page.getByTestId('sign-submit-bar').click();
  await page.getByTestId('sign-error').getByText('不符合该服务包的签约条件').first().waitFor();
  const refusedOption = page.locator(`[data-testid=package-option][data-code="${code}"]`);
  assert.equal(await refusedOption.getAttribute('data-eligible'), 'false');
  assert.equal(await refusedOption.getByTestId('package-check').isChecked(), false, 'the refused package is no longer chosen');
  assert.match(await refusedOption.getByTestId('package-reason').textContent(), /不符合/);
  await page.unroute('**/api/v1/contracts');

  // The renewal list, over 90 days.
  await page.getByTestId('nav-contracts').click();
  await page.getByTestId('expiring-page').waitFor();
  await page.getByTestId('expiring-tab-90').click();
  await page.locator('[data-testid=expiring-page][data-within="90"]').waitFor();
  await ready(page);
  await page.getByTestId('expiring-row').first().waitFor();
  const renew = page.getByTestId('renew-button').first();
  if (await renew.count()) {
    const box = await renew.boundingBox();
    assert.ok(box.height >= 40, `the renew button is a large tap target (${box.height}px)`);
  }
  await noSideways(page, 'expiring');
  await shoot(page, 'expiring-phone');
  await closePage(page);
});
