// dashboard.test.mjs - the command dashboard (指挥中心) in the browser on a demo county of a
// few thousand residents: the county user finds it first in the navigation, sees the
// headline cards with their monthly lines, the townships as a table and as coloured tiles,
// drills to a township's villages, a village's teams and a team's doctors, where a polite
// note replaces the resident list; the township centre opens the residents behind a
// numerator (as many as the card says); a doctor lands on the team view with its work-list
// counts and rank; desk and 375 px, zh-CN and English.
//
// Run from the repository root:  node --test tests/e2e/dashboard.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, drawn, base, DESK, PHONE, openPage, closePage, shoot, noSideways, login, switchLanguage } from '../lib/browser.mjs';
import { YEAR } from '../lib/clock.mjs';

useCounty({ residents: 3000, seed: 5, name: 'dashboard' });

/* The numbers on a card: "12.3%" and "45 / 365". */
async function cardNumbers(page, code) {
  const c = page.getByTestId(`dash-card-${code}`);
  const fraction = (await c.getByTestId('card-fraction').textContent()).split('/').map((s) => Number(s.trim()));
  return { value: await c.getByTestId('card-value').textContent(), num: fraction[0], den: fraction[1] };
}

async function settled(page) {
  await drawn(page);
  await page.getByTestId('dashboard-page').waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
}

test('the county drills from townships to villages, teams and doctors; names stay hidden', { timeout: 60000 }, async () => {
  const page = await openPage(DESK);
  await login(page, 'county');
  const navs = await page.locator('[data-testid^=nav-]').evaluateAll((els) => els.map((e) => e.dataset.testid));
  assert.equal(navs[0], 'nav-dashboard', 'the dashboard leads the county user\'s navigation');
  await page.getByTestId('nav-dashboard').click();
  await settled(page);
  assert.equal(await page.getByTestId('dashboard-page').getAttribute('data-scope'), 'region:511524');
  assert.equal(await page.locator('.dash-card').count(), 10);
  await page.locator('[data-testid=spark-signing_rate][data-drawn=true]').waitFor();
  const county = await cardNumbers(page, 'signing_rate');
  assert.ok(county.den > 2000, `the county's population (${county.den})`);

  // the townships' tiles and rows: their numerators add up to the county's
  const rows = page.getByTestId('child-row');
  const townships = await rows.count();
  assert.ok(townships >= 10, `${townships} townships`);
  assert.equal(await page.getByTestId('dash-tile').count(), townships);
  // tiles coloured by their value against the indicator's target (one colour per status)
  const tiles = await page.getByTestId('dash-tile').evaluateAll((els) => els.map((e) => [e.dataset.status, e.style.background]));
  const byStatus = new Map();
  for (const [status, colour] of tiles) {
    assert.ok(['met', 'near', 'below', 'none'].includes(status), status);
    if (byStatus.has(status)) assert.equal(byStatus.get(status), colour, 'one colour per status');
    byStatus.set(status, colour);
  }
  await shoot(page, 'dashboard-county-desktop');

  // choosing another indicator moves the tiles and the highlighted card
  await page.getByTestId('dash-indicator').selectOption('htn_standard_rate');
  await page.waitForURL(/code=htn_standard_rate/);
  await settled(page);
  assert.equal(await page.getByTestId('dash-card-htn_standard_rate').getAttribute('aria-current'), 'true');

  // township → villages → teams → doctors
  await page.getByTestId('dash-tile').first().click();
  await page.waitForURL(/scope=region%3A\d{9}&/);
  await settled(page);
  assert.equal(await page.getByTestId('crumb').count(), 1);
  await page.getByTestId('child-link').first().click();
  await page.waitForURL(/scope=region%3A\d{12}&/);
  await settled(page);
  await page.getByTestId('child-link').first().click();
  await page.waitForURL(/scope=team%3A\d+&/);
  await settled(page);
  assert.equal(await page.getByTestId('crumb').count(), 3);
  await page.getByTestId('dash-patients-note').waitFor();
  assert.equal(await page.getByTestId('patients-numerator').count(), 0, 'no list for the health commission');
  await page.getByTestId('child-link').first().click();
  await page.waitForURL(/scope=doctor%3A\d+&/);
  await settled(page);
  await page.getByTestId('dash-patients-note').waitFor();
  await shoot(page, 'dashboard-county-doctor-desktop');

  // the breadcrumbs lead back to the county
  await page.getByTestId('crumb').first().click();
  await page.waitForURL(/scope=region%3A511524&/);
  await settled(page);
  assert.equal(await page.getByTestId('crumb').count(), 0);
  await closePage(page);
});

test('the township centre opens the residents behind a numerator, as many as the card says', { timeout: 60000 }, async () => {
  const page = await openPage(DESK);
  await login(page, 'town01');
  await page.getByTestId('nav-dashboard').click();
  await settled(page);
  assert.equal(await page.getByTestId('dashboard-page').getAttribute('data-scope'), 'region:511524101');
  // a village, then its first team
  await page.getByTestId('child-link').first().click();
  await page.waitForURL(/scope=region%3A\d{12}&/);
  await settled(page);
  await page.getByTestId('child-link').first().click();
  await page.waitForURL(/scope=team%3A\d+&/);
  await settled(page);
  const team = await cardNumbers(page, 'signing_rate');
  await page.getByTestId('patients-numerator').click();
  await page.waitForURL(/part=numerator/);
  await settled(page);
  if (team.num === 0) {
    await page.getByTestId('patients-empty').waitFor();
  } else {
    await page.getByTestId('patient-row').first().waitFor();
    while (await page.getByTestId('load-more').count()) {
      const before = await page.getByTestId('patient-row').count();
      await page.getByTestId('load-more').click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=patient-row]').length > n, before);
    }
    assert.equal(await page.getByTestId('patient-row').count(), team.num, 'one row per resident in the numerator');
  }
  await shoot(page, 'dashboard-team-patients-desktop', { full: false });
  await closePage(page);
});

test('a doctor lands on the team view: indicators, work-list counts and rank, at 375 px and in English', { timeout: 60000 }, async () => {
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/dashboard`);
  await settled(page);
  assert.match(await page.getByTestId('dashboard-page').getAttribute('data-scope'), /^team:\d+$/);
  await page.getByTestId('team-rank').waitFor();
  assert.match(await page.getByTestId('team-rank').textContent(), /第 \d+ 名 \/ 共 \d+ 个团队/);
  await page.getByTestId('work-due').waitFor();
  await page.locator('[data-testid=spark-signing_rate][data-drawn=true]').waitFor();
  await noSideways(page, 'team dashboard');
  await shoot(page, 'dashboard-team-phone');

  await switchLanguage(page, 'en');
  await settled(page);
  await page.getByTestId('team-rank').waitFor();
  assert.match(await page.getByTestId('team-rank').textContent(), /No\. \d+ of \d+ teams/);
  assert.match(await page.getByTestId('dash-card-signing_rate').textContent(), /Signing rate/);
  await switchLanguage(page, 'zh-CN');
  await closePage(page);
});

test('the county dashboard at 375 px: cards two a row, tiles and table without sideways scrolling', { timeout: 60000 }, async () => {
  const page = await openPage(PHONE);
  await login(page, 'county');
  await page.goto(`${base}/#/dashboard?scope=region:511524&period=${YEAR}&code=signing_rate`);
  await settled(page);
  await page.locator('[data-testid=spark-signing_rate][data-drawn=true]').waitFor();
  await noSideways(page, 'county dashboard');
  await shoot(page, 'dashboard-county-phone-top', { full: false });
  await shoot(page, 'dashboard-county-phone');
  // a quarter from the period chooser
  const options = await page.getByTestId('dash-period').locator('option').evaluateAll((els) => els.map((e) => e.value));
  const quarter = options.find((o) => /-Q1$/.test(o));
  await page.getByTestId('dash-period').selectOption(quarter);
  await page.waitForURL(new RegExp(`period=${quarter}`));
  await settled(page);
  assert.match(await page.getByTestId('page-title').textContent(), /县级指挥中心/);
  await closePage(page);
});
