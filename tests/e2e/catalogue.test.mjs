// catalogue.test.mjs - the service-package catalogue screen (服务包) in the browser, end
// to end: the system administrator lists the demo catalogue, publishes a new version
// of HTN-120 at a new price, is refused a fee split whose percentages add up to 90%
// (the error shown, the fee rules highlighted), creates a package, and the same
// screens at phone width; a doctor gets no 服务包 navigation item nor the screen.
//
// Run from the repository root:  node --test tests/e2e/catalogue.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, openPage, closePage, shoot, noSideways, login, switchLanguage } from '../lib/browser.mjs';

useCounty({ residents: 0, seed: 1, name: 'catalogue' });

async function ready(page) {
  await page.locator('main .loading').waitFor({ state: 'detached' });
}

const row = (page, code) => page.locator(`[data-testid=package-row][data-code="${code}"]`);

test('the system administrator lists, versions and creates service packages', { timeout: 30000 }, async () => {
  const page = await openPage(DESK);
  await login(page, 'admin');
  const nav = page.getByTestId('nav-packages');
  assert.equal((await nav.textContent()).trim(), '服务包');
  await nav.click();
  await page.waitForURL('**/#/packages');
  await page.getByTestId('catalogue-page').waitFor();
  const codes = await page.getByTestId('package-code').allTextContents();
  for (const code of ['BASIC', 'ELDERLY-50', 'HTN-120', 'DM-120', 'BUTLER-800']) assert.ok(codes.includes(code), `${code} is listed`);
  const htn = row(page, 'HTN-120');
  assert.equal(await htn.getByTestId('package-version').textContent(), 'v1');
  assert.equal(await htn.getByTestId('package-price').getAttribute('data-fen'), '12000');
  const htnItems = Number(await htn.getByTestId('package-items').textContent());
  assert.ok(htnItems > 0, 'HTN-120 has services');
  await shoot(page, 'packages-desktop');

  // Edit HTN-120: the form is filled with version 1; the price goes to ¥150.
  await htn.getByTestId('package-edit').click();
  await page.waitForURL('**/#/packages/HTN-120/edit');
  await page.getByTestId('package-edit-page').waitFor();
  assert.equal(await page.getByTestId('pkg-code').isDisabled(), true, 'the code is fixed');
  assert.equal(await page.getByTestId('pkg-item').count(), htnItems, 'one row per service');
  assert.equal(await page.getByTestId('pkg-rule').count(), 3);
  assert.match(await page.getByTestId('pkg-version-note').textContent(), /新版本/);
  // The split is the server's (POST /fee-split): wait for the answer to each change.
  const previewReady = () => page.locator('[data-testid=pkg-preview][data-state=ready]').waitFor();
  await page.getByTestId('pkg-price').fill('150');
  await previewReady();
  const shares = page.getByTestId('pkg-share');
  assert.deepEqual(await shares.evaluateAll((els) => els.map((e) => [e.dataset.payer, Number(e.dataset.amount)])),
    [['resident', 1500], ['city', 3750], ['district', 9750]], 'the live split of ¥150');
  assert.equal(await page.getByTestId('pkg-preview-check').getAttribute('data-ok'), 'true');

  // Percentages adding up to 90%: flagged live, and the server's refusal is shown.
  await page.getByTestId('rule-value').nth(2).fill('55');
  await previewReady();
  assert.equal(await page.getByTestId('pkg-preview-check').getAttribute('data-ok'), 'false');
  assert.match(await page.getByTestId('pkg-preview-check').textContent(), /90%/);
  await page.getByTestId('pkg-submit').click();
  const error = page.getByTestId('pkg-error-message');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-field'), 'fee_rules');
  assert.ok((await error.textContent()).trim().length > 0, 'the problem detail is shown');
  assert.equal(await page.getByTestId('pkg-rules-card').getAttribute('data-invalid'), 'true', 'the fee rules are highlighted');
  await shoot(page, 'package-edit-error-desktop');

  // Fixed: version 2 is published and listed.
  await page.getByTestId('rule-value').nth(2).fill('65');
  await page.getByTestId('pkg-submit').click();
  await page.waitForURL('**/#/packages');
  await page.getByTestId('catalogue-page').waitFor();
  await page.getByTestId('toast').first().waitFor();
  assert.equal(await row(page, 'HTN-120').getByTestId('package-version').textContent(), 'v2');
  assert.equal(await row(page, 'HTN-120').getByTestId('package-price').getAttribute('data-fen'), '15000');

  // A new package: two services (one added, one removed again), a fixed and a percent rule.
  await page.getByTestId('package-new').click();
  await page.waitForURL('**/#/packages/new');
  await page.getByTestId('package-new-page').waitFor();
  await page.getByTestId('pkg-code').fill('MH-80');
  await page.getByTestId('pkg-name').fill('心理健康服务包');
  await page.getByTestId('pkg-name-en').fill('Mental health package');
  await page.getByTestId('pkg-tier').selectOption('primary');
  await page.getByTestId('pkg-type').selectOption('mental_health');
  await page.getByTestId('pkg-payment').selectOption('negotiated');
  await page.getByTestId('pkg-price').fill('80');
  await page.getByTestId('pkg-min-age').fill('18');
  const fillItem = async (i, values) => {
    const item = page.getByTestId('pkg-item').nth(i);
    await item.getByTestId('item-service').fill(values[0]);
    await item.getByTestId('item-name').fill(values[1]);
    await item.getByTestId('item-name-en').fill(values[2]);
    await item.getByTestId('item-quantity').fill(String(values[3]));
  };
  await fillItem(0, ['counselling', '心理咨询', 'Counselling', 4]);
  await page.getByTestId('item-add').click();
  await page.getByTestId('item-add').click();
  assert.equal(await page.getByTestId('pkg-item').count(), 3);
  await page.getByTestId('item-remove').nth(2).click();
  assert.equal(await page.getByTestId('pkg-item').count(), 2);
  await fillItem(1, ['screening', '心理筛查', 'Screening', 1]);
  // resident pays a fixed ¥20, insurance 100% of the rest.
  await page.getByTestId('rule-kind').first().selectOption('fixed');
  await page.getByTestId('rule-value').first().fill('20');
  await page.getByTestId('rule-add').click();
  await page.getByTestId('rule-payer').nth(1).selectOption('insurance');
  await page.getByTestId('rule-value').nth(1).fill('100');
  await previewReady();
  assert.deepEqual(await shares.evaluateAll((els) => els.map((e) => [e.dataset.payer, Number(e.dataset.amount)])),
    [['resident', 2000], ['insurance', 6000]]);
  assert.equal(await page.getByTestId('pkg-preview-check').getAttribute('data-ok'), 'true');
  await shoot(page, 'package-new-desktop');
  await page.getByTestId('pkg-submit').click();
  await page.waitForURL('**/#/packages');
  await page.getByTestId('catalogue-page').waitFor();
  const mh = row(page, 'MH-80');
  await mh.waitFor();
  assert.equal(await mh.getByTestId('package-version').textContent(), 'v1');
  assert.equal(await mh.getByTestId('package-items').textContent(), '2');
  assert.equal(await mh.getByTestId('package-price').getAttribute('data-fen'), '8000');

  // The same code again: 409, shown with the code highlighted.
  await page.getByTestId('package-new').click();
  await page.getByTestId('package-new-page').waitFor();
  await page.getByTestId('pkg-code').fill('MH-80');
  await page.getByTestId('pkg-name').fill('重复');
  await page.getByTestId('pkg-name-en').fill('Duplicate');
  const first = page.getByTestId('pkg-item').first();
  await first.getByTestId('item-service').fill('x');
  await first.getByTestId('item-name').fill('x');
  await first.getByTestId('item-name-en').fill('x');
  await page.getByTestId('pkg-submit').click();
  await page.getByTestId('pkg-error-message').waitFor();

  // English: the screen speaks it.
  await page.goto(`${base}/#/packages`);
  await page.getByTestId('catalogue-page').waitFor();
  await switchLanguage(page, 'en');
  await page.getByTestId('catalogue-page').waitFor();
  assert.equal((await page.getByTestId('nav-packages').textContent()).trim(), 'Packages');
  assert.equal((await page.getByTestId('package-new').textContent()).trim(), 'New package');
  await switchLanguage(page, 'zh-CN');
  await page.getByTestId('catalogue-page').waitFor();
  await closePage(page);
});

test('a center admin publishes a package for their own center; the county catalogue is read-only', { timeout: 30000 }, async () => {
  const page = await openPage(DESK);
  await login(page, 'town01');
  await page.getByTestId('nav-packages').click();
  await page.getByTestId('catalogue-page').waitFor();
  const basic = row(page, 'BASIC');
  assert.equal((await basic.getByTestId('package-institution').textContent()).trim(), '全县通用');
  assert.equal(await basic.getByTestId('package-edit').count(), 0, 'the county catalogue is not theirs to edit');
  await page.getByTestId('package-new').click();
  await page.getByTestId('package-new-page').waitFor();
  const owner = page.getByTestId('pkg-institution');
  assert.equal(await owner.locator('option:checked').textContent(), '长宁镇卫生院', 'their center by default');
  await page.getByTestId('pkg-code').fill('TOWN-REHAB-60');
  await page.getByTestId('pkg-name').fill('长宁镇康复指导包');
  await page.getByTestId('pkg-name-en').fill('Changning town rehabilitation');
  await page.getByTestId('pkg-price').fill('60');
  const first = page.getByTestId('pkg-item').first();
  await first.getByTestId('item-service').fill('rehab_guidance');
  await first.getByTestId('item-name').fill('康复指导');
  await first.getByTestId('item-name-en').fill('Rehabilitation guidance');
  await page.getByTestId('rule-value').first().fill('100');
  await page.getByTestId('pkg-submit').click();
  await page.waitForURL('**/#/packages');
  const mine = row(page, 'TOWN-REHAB-60');
  await mine.waitFor();
  assert.equal((await mine.getByTestId('package-institution').textContent()).trim(), '长宁镇卫生院');
  assert.equal(await mine.getByTestId('package-edit').count(), 1, 'their own package can be versioned');
  await shoot(page, 'packages-center-admin');
  await closePage(page);
});

test('the catalogue at phone width', { timeout: 20000 }, async () => {
  const page = await openPage(PHONE);
  await login(page, 'admin');
  await page.goto(`${base}/#/packages`);
  await page.getByTestId('catalogue-page').waitFor();
  await ready(page);
  assert.ok(await page.getByTestId('nav-packages').isVisible(), 'the tab bar offers 服务包');
  await noSideways(page, 'packages list');
  await shoot(page, 'packages-phone');
  await row(page, 'DM-120').getByTestId('package-edit').click();
  await page.getByTestId('package-edit-page').waitFor();
  await noSideways(page, 'package form');
  await page.getByTestId('rule-value').first().fill('5');
  await page.getByTestId('pkg-submit').click();
  await page.getByTestId('pkg-error-message').waitFor();
  await noSideways(page, 'package form with an error');
  await shoot(page, 'package-edit-phone');
  await closePage(page);
});

test('a doctor has no 服务包 navigation item and cannot open the screen', { timeout: 15000 }, async () => {
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.getByTestId('nav-residents').waitFor();
  assert.equal(await page.getByTestId('nav-packages').count(), 0);
  const navText = await page.locator('.app-nav').textContent();
  assert.ok(!navText.includes('服务包'), 'no 服务包 in the navigation');
  await page.goto(`${base}/#/packages`);
  await page.waitForURL((url) => url.hash === '#/residents');
  assert.equal(await page.getByTestId('catalogue-page').count(), 0);
  await closePage(page);
});
