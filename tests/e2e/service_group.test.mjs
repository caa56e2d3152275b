// service_group.test.mjs - the team's side of the resident in the loop (issue 16) in the
// browser: doctor01 publishes an item from 服务群 to the team's signed residents and sees
// it reach them and a resident's read counted; then answers a resident's question from 咨询
// (the open one listed first with its waiting time), the thread showing the reply; both
// screens at desk width (1280 px) and on a phone (375 px) without sideways scrolling. Then the
// trust scale by telephone call-back (refused for the rated team), and the centre admin's
// points catalogue (an item added, restocked, its stock seen by a resident).
//
// Run from the repository root:  node --test tests/e2e/service_group.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login, demoDatabase } from '../lib/browser.mjs';
import { idNumber, jiayi } from '../lib/server.mjs';
import { TODAY } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'service-group' });

async function call(method, path, token, body) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}
const tokenOf = async (username) => (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username, password: PASSWORD }) })).json()).token;

let resident, residentToken;

/* Two residents signed with doctor01's team; the first asks a question from the portal. */
async function setUp() {
  const doctor = await tokenOf('doctor01');
  const me = (await call('GET', '/session', doctor)).json.user;
  const ids = [];
  for (const [i, name] of ['周秀兰', '吴建华'].entries()) {
    const p = await call('POST', '/residents', doctor, { name, id_number: idNumber(`195${i}-03-1${i}`, 411 + 2 * i), region: '51152410100101', phone: `1391111000${i}` });
    assert.equal(p.status, 201, p.text);
    const c = await call('POST', '/contracts', doctor, { resident_id: p.json.id, team_id: me.teams[0], doctor_id: me.staff_id, packages: ['BASIC'], start_date: TODAY, channel: 'clinic' });
    assert.equal(c.status, 201, c.text);
    ids.push(p.json.id);
  }
  resident = ids[0];
  jiayi(['user', 'add', '--db', demoDatabase(), '--username', 'zhouxl', '--role', 'resident', '--name', '周秀兰', '--resident', String(resident), '--password', PASSWORD]);
  residentToken = await tokenOf('zhouxl');
  const asked = await call('POST', `/residents/${resident}/consultations`, residentToken, { subject: '降压药饭前还是饭后吃', body: '医生您好，氨氯地平饭前吃还是饭后吃？' });
  assert.equal(asked.status, 201, asked.text);
}

test('doctor01 publishes to the service group and sees it reached and read', { timeout: 40000 }, async () => {
  await setUp();
  const page = await openPage();
  await login(page, 'doctor01');
  await page.getByTestId('nav-service-group').click();
  await page.getByTestId('service-group-page').waitFor();
  assert.equal((await page.getByTestId('nav-service-group').textContent()).trim(), '服务群');
  await page.getByTestId('empty').waitFor();

  await page.getByTestId('sg-new').click();
  await page.getByTestId('sg-dialog').waitFor();
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('dialog-error').getByText('请填写标题').waitFor();
  await page.getByTestId('sg-kind').selectOption('notice');
  await page.getByTestId('sg-title').fill('冬季流感疫苗接种通知');
  await page.getByTestId('sg-body').fill('本周二、周四上午在卫生院为65岁以上老人和慢性病患者免费接种流感疫苗，请携带身份证。');
  await page.getByTestId('dialog-submit').click();
  const row = page.getByTestId('sg-row').filter({ hasText: '冬季流感疫苗接种通知' });
  await row.waitFor();
  assert.equal((await row.getByTestId('sg-recipients').textContent()).trim(), '2');
  assert.equal((await row.getByTestId('sg-read').textContent()).trim(), '0');

  // The resident reads it in the portal; the team's screen counts the receipt.
  const item = (await call('GET', `/residents/${resident}/content`, residentToken)).json.items[0];
  assert.equal(item.title, '冬季流感疫苗接种通知');
  assert.equal((await call('POST', `/content/${item.id}/read`, residentToken, { resident_id: resident })).status, 204);
  await page.reload();
  await page.getByTestId('sg-row').first().waitFor();
  assert.equal((await page.getByTestId('sg-row').first().getByTestId('sg-read').textContent()).trim(), '1');
  assert.equal((await page.getByTestId('sg-row').first().getByTestId('sg-rate').textContent()).trim(), '50.0%');
  await noSideways(page, 'service group at 1280');
  await shoot(page, 'service-group-desk');
  // Who read it: the unread first, to remind by phone.
  await page.getByTestId('sg-row').first().getByTestId('sg-receipts-open').click();
  const receipts = page.getByTestId('sg-receipts').getByTestId('sg-receipt');
  await receipts.first().waitFor();
  assert.deepEqual(await receipts.evaluateAll((rows) => rows.map((r) => r.dataset.read)), ['false', 'true']);
  await shoot(page, 'service-group-receipts');
  await page.getByTestId('sg-receipts').getByTestId('dialog-submit').click();
  await closePage(page);
});

test('doctor01 answers a consultation: the open one first with its wait, then the reply in the thread', { timeout: 40000 }, async () => {
  const page = await openPage();
  await login(page, 'doctor01');
  await page.getByTestId('nav-consultations').click();
  await page.getByTestId('consultations-page').waitFor();
  const first = page.getByTestId('cons-item').first();
  assert.match(await first.textContent(), /降压药饭前还是饭后吃/);
  assert.match(await first.textContent(), /待回复/);
  assert.match(await first.textContent(), /已等待/);
  assert.equal((await page.getByTestId('cons-open-count').locator('dd').textContent()).trim(), '1');
  await page.getByTestId('cons-msg').filter({ hasText: '氨氯地平' }).waitFor();
  await shoot(page, 'consultations-desk-open');

  await page.getByTestId('cons-reply').fill('氨氯地平饭前饭后都可以，每天固定时间服用就好。');
  await page.getByTestId('cons-send').click();
  await page.getByTestId('cons-msg').filter({ hasText: '每天固定时间' }).waitFor();
  assert.match(await page.getByTestId('cons-item').first().textContent(), /已回复/);
  assert.equal((await page.getByTestId('cons-open-count').locator('dd').textContent()).trim(), '0');
  assert.notEqual((await page.getByTestId('cons-median').locator('dd').textContent()).trim(), '—');
  await noSideways(page, 'consultations at 1280');
  await shoot(page, 'consultations-desk');
  await closePage(page);

  // The reply is on the resident's page.
  const mine = (await call('GET', `/residents/${resident}/consultations`, residentToken)).json.items[0];
  assert.equal(mine.status, 'answered');
  assert.equal(mine.last_message, '氨氯地平饭前饭后都可以，每天固定时间服用就好。');
});

test('both screens fit a 375 px phone', { timeout: 40000 }, async () => {
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/service-group`);
  await page.getByTestId('sg-row').first().waitFor();
  await noSideways(page, 'service group at 375');
  await shoot(page, 'service-group-phone');
  await page.getByTestId('sg-new').click();
  await page.getByTestId('sg-dialog').waitFor();
  await noSideways(page, 'publish dialog at 375');
  await shoot(page, 'service-group-phone-dialog', { full: false });
  await page.getByTestId('dialog-cancel').click();
  await page.goto(`${base}/#/consultations`);
  await page.getByTestId('cons-msg').first().waitFor();
  await noSideways(page, 'consultations at 375');
  await shoot(page, 'consultations-phone');
  await closePage(page);
});

test('the trust scale by telephone call-back: refused for the rated team, saved by a caller outside it', { timeout: 40000 }, async () => {
  // The rated team may not collect its own score: doctor01 is told which field is wrong.
  const page = await openPage();
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${resident}`);
  await page.getByTestId('record-survey-callback').click();
  await page.getByTestId('callback-questionnaire').selectOption('wake_forest_trust_10');
  for (let n = 1; n <= 10; n++) await page.getByTestId(`callback-item-${n}`).selectOption('4');
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('error-team_id').waitFor();
  await closePage(page);

  // A village doctor of the resident's village who is on no team calls back and saves it.
  jiayi(['user', 'add', '--db', demoDatabase(), '--username', 'phcall', '--role', 'village_doctor', '--name', '村卫生室回访', '--region', '51152410100101', '--password', PASSWORD]);
  const caller = await openPage();
  await login(caller, 'phcall');
  await caller.goto(`${base}/#/residents/${resident}`);
  await caller.getByTestId('record-survey-callback').click();
  await caller.getByTestId('callback-questionnaire').selectOption('wake_forest_trust_10');
  await caller.getByTestId('dialog-submit').click();
  await caller.getByTestId('error-answers[0]').waitFor();
  for (let n = 1; n <= 10; n++) await caller.getByTestId(`callback-item-${n}`).selectOption(n === 3 ? '2' : '4');
  await shoot(caller, 'survey-callback', { full: false });
  await caller.getByTestId('dialog-submit').click();
  await caller.locator('[data-testid=saved-notice][data-kind=survey]').waitFor();
  await closePage(caller);
  const answered = (await call('GET', `/residents/${resident}/surveys`, residentToken)).json.answered
    .find((a) => a.questionnaire === 'wake_forest_trust_10');
  assert.equal(answered.channel, 'phone_callback');
  assert.equal(answered.total, 36, 'items 2, 3 and 8 are reverse-scored: 7 × 4 + (6 − 4) + (6 − 2) + (6 − 4)');
});

test('the centre admin adds an item to the points catalogue and restocks it; residents see the stock', { timeout: 40000 }, async () => {
  const page = await openPage();
  await login(page, 'town01');
  await page.getByTestId('nav-points-catalogue').click();
  await page.getByTestId('points-catalogue-page').waitFor();
  await page.getByTestId('pc-add').click();
  await page.getByTestId('pc-name').fill('穴位贴敷（三伏贴）');
  await page.getByTestId('pc-kind').selectOption('tcm_therapy');
  await page.getByTestId('pc-cost').fill('80');
  await page.getByTestId('pc-stock-input').fill('-1');
  await page.getByTestId('pc-institution').selectOption({ label: '长宁镇卫生院' });
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('error-stock').waitFor();
  await page.getByTestId('pc-stock-input').fill('3');
  await page.getByTestId('dialog-submit').click();
  const row = page.getByTestId('pc-row').filter({ hasText: '穴位贴敷（三伏贴）' });
  await row.waitFor();
  assert.equal((await row.getByTestId('pc-stock').textContent()).trim(), '3');
  await row.getByTestId('pc-restock-open').click();
  await page.getByTestId('pc-restock').fill('5');
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('pc-row').filter({ hasText: '穴位贴敷（三伏贴）' }).getByTestId('pc-stock').getByText('8').waitFor();
  await noSideways(page, 'points catalogue at 1280');
  await shoot(page, 'points-catalogue');
  await closePage(page);
  const seen = (await call('GET', '/points/catalogue', residentToken)).json.items.find((x) => x.name === '穴位贴敷（三伏贴）');
  assert.equal(seen.stock, 8, 'the resident sees the new stock');
});
