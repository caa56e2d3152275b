// groups.test.mjs - a village doctor's self-management group in the browser, end to end:
// from the 自管小组 tab a new hypertension group, members found through the resident
// search, an activity recorded with attendance ticks, the history and the list showing
// the attendance rate; then the same pages at phone width (375 px), and in English.
//
// Run from the repository root:  node --test tests/e2e/groups.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login, switchLanguage } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { daysAgo } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'groups' });

const NAMES = ['赵德明', '钱淑芬', '孙志强'];
const SEQUENCE = [301, 302, 305]; // odd: a man, even: a woman (GB 11643)

async function registerPatients() {
  const session = await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: PASSWORD }) })).json();
  for (const [i, name] of NAMES.entries()) {
    const r = await fetch(`${base}/api/v1/residents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, id_number: idNumber(`195${i}-06-1${i}`, SEQUENCE[i]), region: '51152410100101' }),
    });
    assert.equal(r.status, 201, await r.text());
  }
}

let groupUrl;

test('a doctor starts a group, adds members from the resident search and records an activity with attendance', { timeout: 45000 }, async () => {
  await registerPatients();
  const page = await openPage();
  await login(page, 'doctor01');
  await page.getByTestId('nav-groups').click();
  await page.getByTestId('groups-page').waitFor();
  assert.equal((await page.getByTestId('nav-groups').textContent()).trim(), '自管小组');
  assert.equal((await page.getByTestId('page-title').textContent()).trim(), '自我管理小组');
  await page.getByTestId('empty').waitFor();

  await page.getByTestId('group-new').click();
  await page.getByTestId('group-dialog').waitFor();
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('dialog-error').getByText('请填写小组名称').waitFor();
  await page.getByTestId('group-name').fill('梅华社区高血压自我管理小组');
  assert.ok(await page.getByTestId('group-village').locator('option').count() >= 1, 'the villages the team serves');
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('group-page').waitFor();
  groupUrl = page.url();
  await page.getByTestId('card-group-members').getByText('还没有成员').waitFor();

  for (const name of NAMES) {
    await page.getByTestId('member-search').fill(name);
    await page.getByTestId('member-search-submit').click();
    await page.getByTestId('member-result').filter({ hasText: name }).getByTestId('member-add').click();
    await page.getByTestId('group-member-row').filter({ hasText: name }).waitFor();
  }
  assert.equal(await page.getByTestId('group-member-row').count(), 3);
  // Searching again shows the member as already in the group.
  await page.getByTestId('member-search').fill(NAMES[0]);
  await page.getByTestId('member-search-submit').click();
  assert.equal(await page.getByTestId('member-result').filter({ hasText: NAMES[0] }).getByTestId('member-add').isDisabled(), true);

  await page.getByTestId('activity-new').click();
  await page.getByTestId('activity-dialog').waitFor();
  assert.equal(await page.getByTestId('attendance-check').count(), 3, 'every member on the day is listed');
  await page.getByTestId('activity-topic').fill('低盐饮食与家庭血压测量');
  await page.getByTestId('attendance-all').check();
  await page.getByTestId('attendance-list').locator('label', { hasText: NAMES[2] }).locator('input').uncheck();
  await shoot(page, 'group-activity-dialog-desktop', { full: false });
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('activity-row').waitFor();
  assert.equal((await page.getByTestId('activity-attended').textContent()).trim(), '出勤 2/3 · 66.7%');
  assert.equal((await page.getByTestId('card-group-info').getByTestId('group-rate').textContent()).trim(), '66.7%');
  await shoot(page, 'group-desktop');

  // A member leaves; the history keeps their row, marked.
  await page.getByTestId('group-member-row').filter({ hasText: NAMES[2] }).getByTestId('member-leave').click();
  await page.getByTestId('leave-dialog').getByTestId('dialog-submit').click();
  await page.getByTestId('group-member-row').filter({ hasText: NAMES[2] }).getByText('退出').waitFor();

  await page.getByTestId('back-link').click();
  await page.getByTestId('group-row').waitFor();
  assert.equal((await page.getByTestId('group-row').getByTestId('group-members').textContent()).trim(), '2 人');
  assert.equal((await page.getByTestId('group-row').getByTestId('group-rate').textContent()).trim(), '66.7%');
  await shoot(page, 'groups-desktop');
  await closePage(page);
});

test('the group pages at phone width, and in English', { timeout: 30000 }, async () => {
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  assert.ok(await page.getByTestId('nav-groups').isVisible(), 'the groups tab is in the bottom bar');
  await page.getByTestId('nav-groups').click();
  await page.getByTestId('group-row').waitFor();
  await noSideways(page, 'groups');
  await shoot(page, 'groups-phone');
  await page.goto(groupUrl);
  await page.getByTestId('activity-row').waitFor();
  await noSideways(page, 'group');
  await shoot(page, 'group-phone');
  await page.getByTestId('activity-new').click();
  await page.getByTestId('activity-dialog').waitFor();
  // The tick list follows the date: one who left today was still a member today; nobody
  // had joined yesterday.
  assert.equal(await page.getByTestId('attendance-check').count(), 3);
  const yesterday = daysAgo(1);
  await page.getByTestId('activity-date').fill(yesterday);
  await page.getByTestId('attendance-list').getByText('该日期没有在组成员').waitFor();
  assert.equal(await page.getByTestId('attendance-check').count(), 0);
  await shoot(page, 'group-activity-dialog-phone', { full: false });
  await page.getByTestId('dialog-cancel').click();

  await switchLanguage(page, 'en');
  await page.getByTestId('card-group-activities').getByText('Activities').waitFor();
  assert.equal((await page.getByTestId('activity-attended').textContent()).trim(), 'Attended 2/3 · 66.7%');
  await switchLanguage(page, 'zh-CN');
  await closePage(page);
});

test('the health commission has no groups screen', { timeout: 20000 }, async () => {
  const page = await openPage();
  await login(page, 'county');
  assert.equal(await page.getByTestId('nav-groups').count(), 0);
  await page.goto(`${base}/#/groups`);
  await page.waitForURL(/#\/dashboard/); // sent home: the command dashboard
  await closePage(page);
});
