// evaluation.test.mjs - 效果评估 (issue 22): a centre's administrator opens the demo's
// before-and-after study of doctor01's team, sees the headline changes, the charts, every
// measure with its tests and the regression (re-run on fewer factors in place), downloads the
// report and the data set, makes a new study through the dialog (a bad period named on its
// field first), then runs the QCA example: the truth table and both solutions; the report in
// English and on a phone.
//
// Run from the repository root:  node --test tests/e2e/evaluation.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, openPage, closePage, shoot, login, drawn, noSideways, PHONE } from '../lib/browser.mjs';

useCounty({ residents: 3000, seed: 1, name: 'evaluation' });

test('a centre reads the demo study\'s report, re-runs its regression and downloads it', { timeout: 60000 }, async () => {
  const page = await openPage();
  await login(page, 'town01');
  await page.getByTestId('nav-evaluation').click();
  await page.getByTestId('eval-page').waitFor();
  await page.getByTestId('eval-study').filter({ hasText: '家庭医生服务团干预前后评估' }).click();
  await page.getByTestId('eval-report').waitFor();
  await drawn(page);
  assert.equal((await page.getByTestId('page-title').textContent()).trim(), '家庭医生服务团干预前后评估');
  const members = Number(await page.getByTestId('eval-members').textContent());
  assert.ok(members > 10, `members ${members}`);
  // seed 000's shape in the demo: monthly visits to the family doctor and trust rise.
  const tile = await page.getByTestId('eval-tile-trust_total').textContent();
  const [before, after] = tile.match(/(\d+\.\d+) → (\d+\.\d+)/).slice(1).map(Number);
  assert.ok(after > before, tile);
  assert.match(tile, /P <0\.001\*\*\*/);
  assert.equal(await page.getByTestId('eval-score-row').count(), 21);
  assert.equal(await page.getByTestId('eval-binary-row').count(), 4);
  await page.locator('[data-testid=eval-trust-chart] canvas').waitFor();
  await page.locator('[data-testid=eval-rates-chart] canvas').waitFor();
  // By default the factors that vary among the members (the demo's team may have no disabled
  // member); then age and sex only, chosen in place.
  const coefficients = await page.getByTestId('eval-coefficient').count();
  assert.ok(coefficients >= 4, `coefficients ${coefficients}`);
  for (const f of ['chronic_conditions', 'key_population', 'poverty', 'disabled']) await page.getByTestId(`eval-factor-${f}`).uncheck();
  await page.getByTestId('eval-factor-age').check();
  await page.getByTestId('eval-factor-male').check();
  await page.getByTestId('eval-regress').click();
  await page.waitForURL(/factors=age,male$/);
  await drawn(page);
  await page.getByTestId('eval-report').waitFor();
  assert.equal(await page.getByTestId('eval-coefficient').count(), 3);
  assert.match(await page.getByTestId('eval-fit').textContent(), /R² = 0\.\d{3}/);
  const csv = await page.evaluate(async (u) => { const r = await fetch(u); return [r.status, await r.text()]; },
    await page.getByTestId('eval-report-csv').getAttribute('href'));
  assert.equal(csv[0], 200);
  assert.match(csv[1], /指标代码.*配对t检验P值/);
  const data = await page.evaluate(async (u) => (await fetch(u)).status, await page.getByTestId('eval-members-xlsx').getAttribute('href'));
  assert.equal(data, 200);
  await shoot(page, 'evaluation-report');
  await page.emulateMedia({ media: 'print' });
  await shoot(page, 'evaluation-report-print');
  assert.ok(!(await page.getByTestId('eval-regress').isVisible()), 'the controls are not printed');
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => localStorage.setItem('jiayi.lang', 'en'));
  await page.reload();
  await page.getByTestId('eval-report').waitFor();
  assert.match(await page.getByTestId('eval-scores').textContent(), /Paired t|Physician trust/);
  await shoot(page, 'evaluation-report-en');
  await page.evaluate(() => localStorage.setItem('jiayi.lang', 'zh-CN'));
  await closePage(page);
});

test('a new study through the dialog; the periods are checked on their field', { timeout: 60000 }, async () => {
  const page = await openPage();
  await login(page, 'town01');
  await page.goto(`${new URL(page.url()).origin}/#/evaluation`);
  await page.getByTestId('eval-page').waitFor();
  const before = await page.getByTestId('eval-study').count();
  await page.getByTestId('eval-new').click();
  await page.getByTestId('eval-dialog').waitFor();
  await page.getByTestId('eval-name').fill('高血压患者管理评估');
  await page.getByTestId('eval-kind').selectOption('program');
  await page.getByTestId('eval-team').selectOption({ index: 1 });
  const afterTo = await page.getByTestId('eval-after-to').inputValue();
  // The "after" period may not reach today.
  const today = await page.evaluate(() => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
  await page.getByTestId('eval-after-to').fill(today);
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('error-after.to').waitFor();
  assert.equal(await page.getByTestId('eval-after-to').getAttribute('aria-invalid'), 'true');
  await page.getByTestId('eval-after-to').fill(afterTo);
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('eval-report').waitFor();
  await drawn(page);
  assert.equal((await page.getByTestId('page-title').textContent()).trim(), '高血压患者管理评估');
  assert.ok(await page.getByTestId('eval-score-row').filter({ hasText: '收缩压' }).count());
  await page.getByTestId('back-link').click();
  await page.getByTestId('eval-page').waitFor();
  assert.equal(await page.getByTestId('eval-study').count(), before + 1);
  await closePage(page);
});

test('QCA on the example of 14 institutions: the truth table and both solutions', { timeout: 45000 }, async () => {
  const page = await openPage();
  await login(page, 'county');
  await page.getByTestId('nav-evaluation').click();
  await page.getByTestId('eval-qca').click();
  await page.getByTestId('qca-page').waitFor();
  await page.getByTestId('qca-example').click();
  await page.getByTestId('qca-file').filter({ hasText: '9' }).waitFor();
  assert.equal(await page.getByTestId('qca-outcome').inputValue(), '融合效果');
  await page.getByTestId('qca-run').click();
  await page.getByTestId('qca-truth').waitFor();
  assert.equal(await page.getByTestId('qca-row').count(), 11);
  assert.equal(await page.getByTestId('qca-complex-term').count(), 4);
  assert.match(await page.getByTestId('qca-complex-fit').textContent(), /覆盖度 0\.857，一致性 1\.000/);
  assert.equal(await page.getByTestId('qca-parsimonious').count(), 2, 'two equally simple solutions');
  await shoot(page, 'evaluation-qca');
  // A cutoff of 0.5 lets the contradictory configuration in.
  await page.getByTestId('qca-cutoff').fill('0.5');
  await page.getByTestId('qca-run').click();
  await page.getByTestId('qca-complex-fit').filter({ hasText: '覆盖度 1.000' }).first().waitFor();
  await closePage(page);
});

test('the report on a phone', { timeout: 45000 }, async () => {
  const page = await openPage(PHONE);
  await login(page, 'town01');
  await page.goto(`${new URL(page.url()).origin}/#/evaluation`);
  await page.getByTestId('eval-study').filter({ hasText: '家庭医生服务团干预前后评估' }).click();
  await page.getByTestId('eval-report').waitFor();
  await page.getByTestId('eval-tile-trust_total').waitFor();
  await noSideways(page, 'evaluation report');
  await shoot(page, 'evaluation-report-phone');
  await closePage(page);
});
