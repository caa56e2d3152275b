// followups.test.mjs - a doctor's day of follow-ups in the browser, end to end: from the
// resident page a hypertension follow-up whose live evaluation says "not controlled, in two
// weeks"; the saved visit shows on the record and its task on the work list; from the
// work list the recheck, now controlled, moves the task three months on. The elderly
// self-care form and the phone width too.
//
// Run from the repository root:  node --test tests/e2e/followups.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { daysAhead as plusDays } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'followups' });


async function call(token, method, path, body) {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, JSON.stringify(json));
  return json;
}

async function patient(name, birth, programs) {
  const token = (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: PASSWORD }) })).json()).token;
  const r = await call(token, 'POST', '/api/v1/residents', { name, id_number: idNumber(birth, 311), region: '51152410100101' });
  for (const program of programs) await call(token, 'POST', '/api/v1/enrolments', { resident_id: r.id, program, start_date: '2026-01-05' });
  return r.id;
}

const waitFor = async (page, testid, attr, value) => {
  await page.locator(`[data-testid=${testid}][${attr}="${value}"]`).waitFor();
};

test('a doctor records a hypertension follow-up, sees the live evaluation, and works the recheck from the work list', { timeout: 45000 }, async () => {
  const id = await patient('随访测试', '1958-04-04', ['hypertension']);
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  await page.getByTestId('card-followups').waitFor();
  await page.getByTestId('record-followup-hypertension').click();
  await page.getByTestId('followup-page').waitFor();
  // Live: nothing to judge yet, then 152/94 at 68 years old is not controlled (first time).
  await page.getByTestId('fu-sbp').fill('152');
  await page.getByTestId('fu-dbp').fill('94');
  await waitFor(page, 'fu-classification', 'data-code', 'first_uncontrolled');
  assert.equal((await page.getByTestId('fu-classification').textContent()).trim(), '控制不满意（首次）');
  assert.equal(await page.getByTestId('fu-action').getAttribute('data-code'), 'adjust_medication');
  assert.equal((await page.getByTestId('fu-next-due').textContent()).trim(), plusDays(14));
  // A severe headache makes it an emergency at once; unticked, back to the first result.
  await page.getByTestId('fu-finding-severe_headache').check();
  await waitFor(page, 'fu-classification', 'data-code', 'emergency');
  await page.getByTestId('fu-finding-severe_headache').uncheck();
  await waitFor(page, 'fu-classification', 'data-code', 'first_uncontrolled');
  await page.getByTestId('fu-med-name').first().fill('氨氯地平片');
  await page.getByTestId('fu-med-dose').first().fill('5 mg');
  await page.getByTestId('fu-med-frequency').first().fill('每日一次');
  await page.getByTestId('fu-mode').selectOption('home_visit');
  await shoot(page, 'followup-hypertension-desktop');
  await page.getByTestId('fu-submit').click();
  await page.waitForURL(`**/#/residents/${id}`);
  await page.locator('[data-testid=followup-item][data-program=hypertension]').first().waitFor();
  assert.equal(await page.getByTestId('followup-item').count(), 1);
  await shoot(page, 'resident-followups-desktop');

  // The work list: the recheck is due; its button opens the form with last visit's medicine.
  await page.goto(`${base}/#/worklist?status=due`);
  await page.getByTestId('worklist-page').waitFor();
  const row = page.locator('[data-testid=task-row]', { hasText: '随访测试' });
  await row.waitFor();
  await row.getByTestId('task-followup').click();
  await page.getByTestId('followup-page').waitFor();
  assert.equal(await page.getByTestId('fu-med-name').first().inputValue(), '氨氯地平片');
  await page.getByTestId('fu-sbp').fill('128');
  await page.getByTestId('fu-dbp').fill('80');
  await waitFor(page, 'fu-classification', 'data-code', 'controlled');
  await page.getByTestId('fu-submit').click();
  // The recheck is recorded the same day here: a second visit of the day is confirmed.
  await page.getByTestId('fu-confirm-duplicate').click();
  await page.waitForURL('**/#/worklist?status=due'); // back to the same tab (issue 14)
  await page.getByTestId('worklist-page').waitFor();
  // The task moved three months on: no longer due, now upcoming.
  await page.goto(`${base}/#/worklist?status=upcoming`);
  await page.locator('[data-testid=task-row]', { hasText: '随访测试' }).waitFor();
  await page.goto(`${base}/#/worklist?status=due`);
  await page.getByTestId('worklist-page').waitFor();
  assert.equal(await page.locator('[data-testid=task-row]', { hasText: '随访测试' }).count(), 0);
  await closePage(page);
});

test('the elderly self-care form at phone width', { timeout: 30000 }, async () => {
  const id = await patient('老年评估', '1950-02-02', []);
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}/followup/elderly`);
  await page.getByTestId('followup-page').waitFor();
  await waitFor(page, 'fu-classification', 'data-code', 'green');
  await page.getByTestId('fu-care-toileting').selectOption('2'); // 5 points: mild, yellow
  await waitFor(page, 'fu-classification', 'data-code', 'yellow');
  await page.getByTestId('fu-care-activity').selectOption('2'); // 10: moderate, red
  await waitFor(page, 'fu-classification', 'data-code', 'red');
  await noSideways(page, 'elderly follow-up');
  await shoot(page, 'followup-elderly-phone');
  await page.getByTestId('fu-submit').click();
  await page.waitForURL(`**/#/residents/${id}`);
  await page.locator('[data-testid=followup-item][data-program=elderly]').waitFor();
  await closePage(page);
});
