// dashboard_targets.test.mjs - the dashboard reads true (issue 14) in the browser, on a demo
// county: cards and tiles coloured against each indicator's own target (as the API judges
// it) with a legend; counts shown as counts and per-capita numbers as plain numbers; the
// period and indicator choosers show what is displayed, and scope, period, indicator and
// drill trail live in the address (reload and back keep them); sparklines are the year to
// date at each month end with the open month marked; the hypertension and diabetes care
// cascade drawn as bars. Desk (1280 px) and phone (375 px), with screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, drawn, base, DESK, PHONE, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';
import { TODAY, YEAR } from '../lib/clock.mjs';

useCounty({ residents: 1500, seed: 11, name: 'dashboard-targets' });

const TOWN = '511524101';
const quarter = `${YEAR}-Q${Math.ceil(Number(TODAY.slice(5, 7)) / 3)}`;

async function settled(page) {
  await drawn(page, { timeout: 20000 });
  await page.getByTestId('dashboard-page').waitFor({ timeout: 20000 });
  await page.locator('main .loading').waitFor({ state: 'detached', timeout: 20000 });
}

const apiGet = (page, path) => page.evaluate(async (p) => (await fetch(`/api/v1${p}`, { credentials: 'same-origin' })).json(), path);

async function choosers(page) {
  return {
    period: await page.getByTestId('dash-period').evaluate((e) => e.value),
    code: await page.getByTestId('dash-indicator').evaluate((e) => e.value),
    periodShown: await page.getByTestId('dash-period').evaluate((e) => e.options[e.selectedIndex].textContent),
  };
}

test('desk: colours against targets, units, the address keeps the state, year-to-date sparklines, the cascade', { timeout: 60000 }, async () => {
  const page = await openPage(DESK);
  await login(page, 'county');
  const url = `${base}/#/dashboard?scope=region:${TOWN}&trail=region:511524&period=${quarter}&code=htn_control_rate`;
  await page.goto(url);
  await settled(page);

  // the choosers show what is displayed
  let c = await choosers(page);
  assert.equal(c.period, quarter);
  assert.equal(c.code, 'htn_control_rate');
  assert.match(c.periodShown, new RegExp(`${YEAR} 年第 \\d 季度`));
  assert.equal(await page.getByTestId('crumb').count(), 1, 'the trail from the address');

  // each tile's colour is the API's judgement of its own value against the target
  const breakdown = await apiGet(page, `/indicators/breakdown?scope=region:${TOWN}&period=${quarter}&codes=htn_control_rate`);
  const tiles = await page.getByTestId('dash-tile').evaluateAll((els) => els.map((e) => ({ name: e.querySelector('.dash-tile-name').textContent, status: e.dataset.status, bg: e.style.background })));
  assert.equal(tiles.length, breakdown.items.length);
  for (const [k, child] of breakdown.items.entries()) {
    assert.equal(tiles[k].status, child.items[0].value === null ? 'none' : child.items[0].status, child.name);
  }
  const colour = { met: 'rgb(46, 125, 50)', near: 'rgb(180, 95, 6)', below: 'rgb(198, 40, 40)', none: 'rgb(225, 231, 237)' };
  for (const tile of tiles) assert.equal(tile.bg, colour[tile.status], `${tile.name} ${tile.status}`);
  // the legend explains the colours and names the target
  await page.getByTestId('dash-map').getByTestId('dash-legend').waitFor();
  assert.match(await page.getByTestId('dash-map-target').textContent(), /目标 ≥ 60\.0%/);
  assert.match(await page.getByTestId('dash-map').textContent(), /达标.*接近目标.*未达标/);
  // cards: the value judged too
  const current = await apiGet(page, `/indicators?scope=region:${TOWN}&period=${quarter}&codes=signing_rate`);
  const signing = page.getByTestId('dash-card-signing_rate');
  assert.equal(await signing.getAttribute('data-status'), current.items[0].status);
  assert.match(await signing.getByTestId('card-target').textContent(), /目标 ≥ 75\.0%/);

  // year-to-date sparklines, the open month marked
  const spark = page.locator('[data-testid=spark-signing_rate][data-drawn=true]');
  await spark.waitFor({ timeout: 30000 });
  assert.equal(Number(await spark.getAttribute('data-points')), Number(TODAY.slice(5, 7)));
  const monthEnd = new Date(Date.UTC(Number(YEAR), Number(TODAY.slice(5, 7)), 0)).toISOString().slice(0, 10);
  assert.equal(await spark.getAttribute('data-partial'), TODAY === monthEnd ? null : TODAY);
  await page.getByText('趋势为年内累计').waitFor();

  // the care cascade: bars, registered >= under care >= visited >= controlled
  for (const program of ['hypertension', 'diabetes']) {
    await page.locator(`[data-testid=cascade-chart-${program}][data-drawn=true]`).waitFor({ timeout: 20000 });
    const counts = (await page.getByTestId(`cascade-${program}`).getAttribute('data-counts')).split(',').map(Number);
    const api = await apiGet(page, `/indicators/cascade?scope=region:${TOWN}&program=${program}&period=${quarter}`);
    assert.deepEqual(counts, api.steps.map((x) => x.count));
    for (let i = 1; i < 4; i++) assert.ok(counts[i] <= counts[i - 1], `${program} ${counts}`);
    assert.ok(counts[0] > 0, `${program} has patients`);
  }
  await shoot(page, 'dashboard-targets-desktop');

  // counts as counts: the referral tiles and their legend have no percent sign
  await page.getByTestId('dash-indicator').selectOption('referrals_up');
  await page.waitForURL(/code=referrals_up/);
  await settled(page);
  assert.equal((await choosers(page)).code, 'referrals_up');
  const counts = await page.getByTestId('dash-tile').evaluateAll((els) => els.map((e) => e.querySelector('.dash-tile-value').textContent));
  for (const v of counts) assert.match(v, /^(\d+|—)$/, `a count: ${v}`);
  assert.doesNotMatch(await page.getByTestId('dash-map-target').textContent(), /%/);
  // per capita as a plain number
  await page.getByTestId('dash-indicator').selectOption('fd_visits_per_capita');
  await page.waitForURL(/code=fd_visits_per_capita/);
  await settled(page);
  const perCapita = await page.getByTestId('dash-tile').evaluateAll((els) => els.map((e) => e.querySelector('.dash-tile-value').textContent));
  for (const v of perCapita) assert.match(v, /^(\d+\.\d\d|—)$/, `a number per person: ${v}`);
  await shoot(page, 'dashboard-targets-per-capita-desktop', { full: false });

  // reload keeps everything; back returns to the previous indicator and period
  await page.getByTestId('dash-period').selectOption(YEAR);
  await page.waitForURL(new RegExp(`period=${YEAR}&`));
  await settled(page);
  await page.reload();
  await settled(page);
  c = await choosers(page);
  assert.deepEqual([c.period, c.code], [YEAR, 'fd_visits_per_capita']);
  assert.equal(await page.getByTestId('crumb').count(), 1);
  await page.goBack();
  await page.waitForURL(new RegExp(`period=${quarter}`));
  await settled(page);
  c = await choosers(page);
  assert.deepEqual([c.period, c.code], [quarter, 'fd_visits_per_capita']);
  await page.goBack();
  await page.waitForURL(/code=referrals_up/);
  await settled(page);
  assert.equal((await choosers(page)).code, 'referrals_up');
  // drilling down and back keeps the trail
  await page.getByTestId('dash-tile').first().click();
  await page.waitForURL(/scope=region%3A\d{12}&/);
  await settled(page);
  assert.equal(await page.getByTestId('crumb').count(), 2);
  assert.equal((await choosers(page)).code, 'referrals_up');
  await page.goBack();
  await page.waitForURL(new RegExp(`scope=region%3A${TOWN}&`));
  await settled(page);
  assert.equal(await page.getByTestId('crumb').count(), 1);
  await closePage(page);
});

test('phone: the same dashboard at 375 px without sideways scrolling, legend and cascade included', { timeout: 60000 }, async () => {
  const page = await openPage(PHONE);
  await login(page, 'county');
  await page.goto(`${base}/#/dashboard?scope=region:${TOWN}&trail=region:511524&period=${YEAR}&code=htn_missed_visit`);
  await settled(page);
  assert.equal((await choosers(page)).code, 'htn_missed_visit');
  // a lower-is-better indicator: the legend says so and the target reads "at most"
  await page.getByTestId('dash-legend-lower').first().waitFor();
  assert.match(await page.getByTestId('dash-map-target').textContent(), /目标 ≤ 25\.0%/);
  await page.locator('[data-testid=spark-signing_rate][data-drawn=true]').waitFor({ timeout: 30000 });
  await page.locator('[data-testid=cascade-chart-hypertension][data-drawn=true]').waitFor({ timeout: 20000 });
  await noSideways(page, 'dashboard with targets and cascade');
  await shoot(page, 'dashboard-targets-phone');
  await page.getByTestId('dash-cascade').scrollIntoViewIfNeeded();
  await shoot(page, 'dashboard-targets-cascade-phone', { full: false });
  await page.reload();
  await settled(page);
  assert.equal((await choosers(page)).code, 'htn_missed_visit');
  await closePage(page);
});
