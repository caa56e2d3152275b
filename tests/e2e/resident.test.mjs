// resident.test.mjs - the resident portal (档案开放, issue 12) in headless Chromium: what
// resident01 sees while their record is not opened, and once the doctor opens it - what to
// do next, the latest blood pressure with its verdict, the trend chart, follow-ups and an
// exam in plain words - at 375 px and at desk width, in Chinese and in English; and as a
// proxy, the household member who consented, with a baby's checks.
//
// The doctor's side is set up through the API (doctor01 serves resident01's household);
// screenshots go to test-output/e2e/portal-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login, switchLanguage } from '../lib/browser.mjs';
import { TODAY, daysAgo } from '../lib/clock.mjs';

useCounty({ residents: 300, seed: 12, name: 'resident' });

async function call(method, path, token, body) {
  const headers = { Authorization: `Bearer ${token}`, 'Accept-Language': 'zh-CN' };
  if (body !== undefined) headers['Content-Type'] = typeof body === 'string' ? 'text/csv' : 'application/json';
  const r = await fetch(`${base}/api/v1${path}`, { method, headers, body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}

async function token(username) {
  const r = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  assert.equal(r.status, 200);
  return (await r.json()).token;
}

let doctor, me, person;

async function setRecord(id, opened) {
  const r = await call('PUT', `/residents/${id}/record`, doctor, opened ? { opened_to_resident: true, consent_date: TODAY } : { opened_to_resident: false });
  assert.equal(r.status, 200, r.text);
}

async function portal(page, id) {
  await page.goto(`${base}/#/residents/${id}`);
  const view = page.locator(`[data-testid=resident-page][data-id="${id}"]`);
  await view.waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
  return view;
}

test('while the record is not opened the resident is told kindly, and whom to ask', { timeout: 30000 }, async () => {
  doctor = await token('doctor01');
  me = (await call('GET', '/session', await token('resident01'))).json.user.resident_id;
  assert.ok(me, 'resident01 is linked to a person');
  person = (await call('GET', `/residents/${me}`, doctor)).json;
  await setRecord(me, false);

  const page = await openPage(PHONE);
  await login(page, 'resident01');
  await page.waitForURL(new RegExp(`#/residents/${me}$`));
  const view = await portal(page, me);
  assert.equal(await view.getAttribute('data-opened'), 'false');
  const closed = page.getByTestId('portal-not-opened');
  await closed.waitFor();
  assert.match(await closed.textContent(), /您的健康档案还没有开放.*请找您的家庭医生办理/);
  await page.getByTestId('portal-card-doctor').waitFor();
  assert.equal(await page.getByTestId('portal-card-next').count(), 0, 'nothing of the record shows');
  await noSideways(page, 'portal (not opened)');
  await shoot(page, 'portal-closed-phone');
  await page.setViewportSize(DESK);
  await shoot(page, 'portal-closed-desktop');
  await closePage(page);
});

test('once opened: what to do next, the latest reading, the trend, follow-ups and the exam, in large type', { timeout: 40000 }, async () => {
  await setRecord(me, true);
  const enrol = await call('POST', '/enrolments', doctor, { resident_id: me, program: 'hypertension', start_date: daysAgo(300) });
  assert.ok(enrol.status === 201 || enrol.status === 409, enrol.text);
  for (const f of [
    { visit_date: daysAgo(185), sbp: 138, dbp: 84 },
    { visit_date: daysAgo(95), sbp: 134, dbp: 82 },
    { visit_date: daysAgo(8), sbp: 158, dbp: 96, medications: [{ name: '氨氯地平', dose: '5mg', frequency: '每日一次' }] },
  ]) {
    const r = await call('POST', '/followups', doctor, { resident_id: me, program: 'hypertension', ...f });
    assert.equal(r.status, 201, r.text);
  }
  const csv = `id_number,exam_date,sbp,dbp,fbg,tc,ldl,height_cm,weight_kg,ecg\n${person.id_number},${daysAgo(40)},150,92,6.2,6.4,3.2,168,71,ST段改变\n`;
  const imported = await call('POST', '/exams/import', doctor, csv);
  assert.equal(imported.status, 200, imported.text);

  const page = await openPage(PHONE);
  await login(page, 'resident01');
  const view = await portal(page, me);
  assert.equal(await view.getAttribute('data-opened'), 'true');
  assert.match(await page.getByTestId('resident-name').textContent(), /您好/);
  const next = page.getByTestId('portal-next');
  assert.match(await next.textContent(), /高血压随访：现在就可以去做，请在 \d{4}-\d{2}-\d{2} 前完成/);
  const bp = page.getByTestId('portal-latest-bp');
  assert.match(await bp.textContent(), /158\/96/);
  assert.match(await bp.textContent(), /血压偏高，请按医嘱服药并按时复查/);
  assert.equal(await bp.getAttribute('data-tone'), 'attention');
  const results = page.getByTestId('portal-followup-result');
  assert.equal((await results.first().textContent()).trim().replace(/^!/, ''), '血压偏高，医生调整了用药，请两周内复查');
  assert.match(await page.getByTestId('portal-followups').textContent(), /氨氯地平 5mg 每日一次/);
  assert.match(await page.getByTestId('portal-exam-findings').first().textContent(), /血压偏高.*总胆固醇偏高.*心电图异常，请遵医嘱复查/);
  await page.locator('[data-testid=trend-bp][data-drawn=true]').waitFor();
  // No staff code or tag on the resident's screen.
  const text = await page.locator('main').textContent();
  for (const word of ['重点人群', '建档立卡', '贫困', 'first_uncontrolled', 'adjust_medication', 'hypertension', 'I 类', '人群分类'])
    assert.ok(!text.includes(word), `the portal says ${word}`);
  // The body text is large: at least 18 px.
  const size = await page.locator('.portal').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 18, `portal text ${size}px`);
  await noSideways(page, 'portal');
  await shoot(page, 'portal-phone');
  await page.setViewportSize(DESK);
  await page.locator('[data-testid=trend-bp][data-drawn=true]').waitFor();
  await shoot(page, 'portal-desktop');

  // In English: the server's words change with the UI's language.
  await page.setViewportSize(PHONE);
  await switchLanguage(page, 'en');
  await page.getByText('What to do next').waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
  assert.match(await page.getByTestId('portal-followup-result').first().textContent(), /Your blood pressure was high\. The doctor changed your medicine/);
  assert.match(await page.getByTestId('portal-latest-bp').textContent(), /Blood pressure high/);
  await page.locator('[data-testid=trend-bp][data-drawn=true]').waitFor();
  await noSideways(page, 'portal (en)');
  await shoot(page, 'portal-en-phone');
  await page.setViewportSize(DESK);
  await page.locator('[data-testid=trend-bp][data-drawn=true]').waitFor();
  await shoot(page, 'portal-en-desktop');
  await switchLanguage(page, 'zh-CN');
  await page.getByText('接下来要做的事').waitFor();
  await closePage(page);
});

test('a proxy looks at the baby who consented: closed first, then the checks with the next one', { timeout: 40000 }, async () => {
  // A grandchild of 100 days registered into resident01's household, consenting to proxy reading.
  const seq = 300 + (Number(TODAY.slice(8, 10)) % 50) * 2;
  const birth = daysAgo(100);
  const digits = `511524${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const idNumber = digits + '10X98765432'[[...digits].reduce((s, c, i) => s + Number(c) * w[i], 0) % 11];
  const baby = await call('POST', '/residents', doctor, {
    name: '朱小宝', id_number: idNumber, region: person.region, household_id: person.household_id, relation: 'grandchild', proxy_consent: true,
  });
  assert.equal(baby.status, 201, baby.text);

  const page = await openPage(PHONE);
  await login(page, 'resident01');
  await portal(page, me);
  const link = page.locator(`[data-testid=portal-family-link][data-id="${baby.json.id}"]`);
  await link.waitFor();
  await link.click();
  await portal(page, baby.json.id);
  assert.match(await page.getByTestId('portal-not-opened').textContent(), /朱小宝的健康档案还没有开放/);
  await page.getByTestId('portal-back').waitFor();
  await shoot(page, 'portal-member-closed-phone');

  await setRecord(baby.json.id, true);
  await page.reload();
  await portal(page, baby.json.id);
  const schedule = page.getByTestId('portal-card-schedule-0');
  await schedule.waitFor();
  assert.match(await schedule.textContent(), /孩子的健康检查/);
  assert.match(await page.getByTestId('portal-schedule-next').textContent(), /现在该做：3月龄健康检查，请在 \d{4}-\d{2}-\d{2} 前完成/);
  assert.match(await page.getByTestId('portal-next').textContent(), /3月龄健康检查/);
  await noSideways(page, 'portal (baby)');
  await shoot(page, 'portal-member-phone');
  await page.setViewportSize(DESK);
  await shoot(page, 'portal-member-desktop');

  // Back to their own record; a staff screen sends them home.
  await page.getByTestId('portal-back').click();
  await portal(page, me);
  await page.goto(`${base}/#/flags`);
  await page.waitForURL(new RegExp(`#/residents/${me}$`));
  await closePage(page);
});
