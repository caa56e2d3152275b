// loop.test.mjs - the clinical loop in the browser (issue 12): a second uncontrolled blood
// pressure recorded from the follow-up form refers the patient; the work list then holds a
// task to confirm the patient was seen, and its button closes it. A red pregnancy risk
// reaches the county's high-risk pregnancy report, opened from the command dashboard, with
// counts and no names for the health commission; the township centre sees the names.
//
// Run from the repository root:  node --test tests/e2e/loop.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { daysAgo } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'loop' });

async function call(token, method, path, body) {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, JSON.stringify(json));
  return json;
}
const doctorToken = async () => (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: PASSWORD }) })).json()).token;

test('a second uncontrolled blood pressure refers, and the work list confirms the patient was seen', { timeout: 45000 }, async () => {
  const token = await doctorToken();
  const p = await call(token, 'POST', '/api/v1/residents', { name: '转诊测试', id_number: idNumber('1960-03-03', 411), region: '51152410100101' });
  await call(token, 'POST', '/api/v1/enrolments', { resident_id: p.id, program: 'hypertension', start_date: daysAgo(200) });
  await call(token, 'POST', '/api/v1/followups', { resident_id: p.id, program: 'hypertension', visit_date: daysAgo(20), sbp: 154, dbp: 92 });

  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${p.id}/followup/hypertension`);
  await page.getByTestId('followup-page').waitFor();
  await page.getByTestId('fu-sbp').fill('158');
  await page.getByTestId('fu-dbp').fill('96');
  await page.locator('[data-testid=fu-classification][data-code=consecutive_uncontrolled]').waitFor();
  assert.equal(await page.getByTestId('fu-action').getAttribute('data-code'), 'refer');
  await page.getByTestId('fu-will-refer').waitFor();
  await shoot(page, 'loop-refer-form-desktop');
  await page.getByTestId('fu-submit').click();
  await page.getByTestId('toast').filter({ hasText: '转诊单' }).waitFor();

  await page.goto(`${base}/#/worklist?status=due`);
  const row = page.locator('[data-testid=task-row]', { hasText: '转诊测试' }).filter({ hasText: '确认转诊就诊' });
  await row.waitFor();
  assert.match(await row.textContent(), /连续两次控制不满意/);
  await shoot(page, 'loop-worklist-desktop');
  await row.getByTestId('task-referral-seen').click();
  await page.getByTestId('toast').filter({ hasText: '已确认' }).waitFor();
  await row.waitFor({ state: 'detached' });
  const referrals = await call(token, 'GET', `/api/v1/residents/${p.id}/referrals`);
  assert.equal(referrals.items.length, 1);
  assert.ok(referrals.items[0].seen_on, 'marked seen');

  // A confirmed first discovery closes by the doctor's decision, with a note.
  const flag = await call(token, 'POST', '/api/v1/flags', { resident_id: p.id, reason: 'fall_risk' });
  await call(token, 'POST', `/api/v1/flags/${flag.id}/confirm`, {});
  await page.goto(`${base}/#/worklist`);
  const discovery = page.locator('[data-testid=task-row]', { hasText: '转诊测试' }).filter({ hasText: '首获核实' });
  await discovery.getByTestId('task-close').click();
  await page.getByTestId('task-close-dialog').waitFor();
  await page.getByTestId('task-close-note').fill('已上门评估，加装扶手');
  await shoot(page, 'loop-task-close-desktop');
  await page.getByTestId('task-close-dialog').locator('button[type=submit]').click();
  await page.getByTestId('toast').filter({ hasText: '已处理' }).waitFor();
  await discovery.waitFor({ state: 'detached' });
  await closePage(page);
});

test('a red pregnancy reaches the county report: counts for the commission, names for the township', { timeout: 45000 }, async () => {
  const token = await doctorToken();
  const w = await call(token, 'POST', '/api/v1/residents', { name: '孕妇测试', id_number: idNumber('1996-06-06', 412), region: '51152410100101' });
  await call(token, 'POST', '/api/v1/followups', { resident_id: w.id, program: 'maternal', visit_date: daysAgo(2), lmp: daysAgo(90), risk_factors: [{ code: 'heart_disease', color: 'red' }] });

  const page = await openPage(DESK);
  await login(page, 'county');
  await page.goto(`${base}/#/dashboard`);
  await page.getByTestId('open-hrp').click();
  await page.getByTestId('hrp-page').waitFor();
  assert.equal((await page.getByTestId('hrp-red').getByTestId('hrp-count').textContent()).trim(), '1');
  assert.equal(await page.getByTestId('hrp-row').count(), 1);
  assert.equal(await page.getByTestId('hrp-resident').count(), 0, 'no names for the health commission');
  assert.equal(await page.getByTestId('hrp-color').getAttribute('data-color'), 'red');
  await shoot(page, 'loop-hrp-county-desktop');
  await closePage(page);

  const phone = await openPage(PHONE);
  await login(phone, 'town01');
  await phone.goto(`${base}/#/reports/high-risk-pregnancies`);
  await phone.getByTestId('hrp-resident').filter({ hasText: '孕妇测试' }).waitFor();
  await noSideways(phone, 'the report at 375 px');
  await shoot(phone, 'loop-hrp-town-phone');
  await closePage(phone);
});
