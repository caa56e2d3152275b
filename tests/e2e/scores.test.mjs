// scores.test.mjs - the county health commission's team appraisal screen: every team with
// its rank, score and income split, the weights in force, and the CSV / Excel downloads;
// then in English.
//
// Run from the repository root:  node --test tests/e2e/scores.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, openPage, closePage, shoot, login } from '../lib/browser.mjs';

useCounty({ residents: 600, seed: 3, name: 'scores' });

test('the health commission sees the teams ranked by score with their income split and can download them', { timeout: 45000 }, async () => {
  const page = await openPage();
  await login(page, 'county');
  await page.getByTestId('nav-scores').click();
  await page.getByTestId('scores-page').waitFor();
  assert.equal((await page.getByTestId('page-title').textContent()).trim(), '家庭医生团队绩效考核');
  await page.getByTestId('score-row').first().waitFor();
  const ranks = (await page.getByTestId('score-rank').allTextContents()).map(Number);
  assert.ok(ranks.length >= 2);
  assert.equal(ranks[0], 1);
  const scores = (await page.getByTestId('score-value').allTextContents()).map(Number);
  for (let i = 1; i < scores.length; i++) assert.ok(scores[i - 1] >= scores[i]);
  assert.match(await page.getByTestId('scores-weights').textContent(), /签约率 25/);
  assert.match(await page.getByTestId('scores-shares').textContent(), /机构 20% \/ 团队 80%/);
  const href = await page.getByTestId('scores-csv').getAttribute('href');
  const csv = await page.evaluate(async (u) => { const r = await fetch(u); return [r.status, (await r.text()).slice(0, 8)]; }, href);
  assert.equal(csv[0], 200);
  assert.match(csv[1], /排名/);
  assert.match(await page.getByTestId('scores-xlsx').getAttribute('href'), /format=xlsx/);
  await shoot(page, 'team-scores');
  await shoot(page, 'team-scores-top', { full: false });
  await page.evaluate(() => localStorage.setItem('jiayi.lang', 'en'));
  await page.reload();
  await page.getByTestId('score-row').first().waitFor();
  assert.equal((await page.getByTestId('page-title').textContent()).trim(), 'Family-doctor team appraisal');
  await shoot(page, 'team-scores-en');
  await closePage(page);
  assert.ok(base);
});
