// trends.test.mjs - the resident's trend charts and the schedule screens in the browser: a
// hypertensive diabetic with a year of follow-ups shows a blood-pressure and a glucose chart
// (ECharts canvases, fetched only on that screen) at desk and phone width, in Chinese and
// in English; a child's check schedule with its due point leading to the follow-up form;
// a pregnancy's schedule with its weeks and risk colour; and a woman with no pregnancy yet.
//
// Run from the repository root:  node --test tests/e2e/trends.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { useCounty, base, DESK, PHONE, PASSWORD, SHOTS, openPage, closePage, shoot, noSideways, login, switchLanguage } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { daysAgo } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'trends' });


let token;
async function call(method, path, body) {
  if (!token) token = (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: PASSWORD }) })).json()).token;
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, JSON.stringify(json));
  return json;
}

let seq = 400;
async function person(name, birth, { female = false, programs = [] } = {}) {
  seq += 2;
  const r = await call('POST', '/api/v1/residents', { name, id_number: idNumber(birth, female ? seq : seq + 1), region: '51152410100101' });
  for (const program of programs) await call('POST', '/api/v1/enrolments', { resident_id: r.id, program, start_date: daysAgo(500) });
  return r.id;
}

/* The chart in `testid` is drawn: an ECharts instance with `points` points in its first
 * series, and a canvas that is not blank. */
async function chartDrawn(page, testid, points) {
  await page.locator(`[data-testid=${testid}][data-drawn=true]`).waitFor();
  const info = await page.evaluate((id) => {
    const el = document.querySelector(`[data-testid=${id}]`);
    const chart = window.echarts.getInstanceByDom(el);
    const canvas = el.querySelector('canvas');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i + 3] > 0) inked++;
    return { series: chart.getOption().series.map((s) => ({ name: s.name, n: s.data.length })), width: canvas.width, inked };
  }, testid);
  assert.equal(info.series[0].n, points, `${testid}: points drawn`);
  assert.ok(info.width > 200, `${testid}: canvas ${info.width}px wide`);
  assert.ok(info.inked > 1000, `${testid}: the canvas has ink (${info.inked} pixels)`);
  return info;
}

test('a year of follow-ups: blood pressure and glucose charts with their target lines, desk and phone, zh and en', { timeout: 60000 }, async () => {
  const id = await person('趋势患者', '1956-07-07', { programs: ['hypertension', 'diabetes'] });
  const visits = [[340, 162, 98, 9.1], [250, 152, 94, 8.2], [160, 146, 90, 7.6], [70, 136, 86, 6.8], [12, 128, 80, 6.2]];
  for (const [ago, sbp, dbp, fbg] of visits) {
    await call('POST', '/api/v1/followups', { resident_id: id, program: 'hypertension', visit_date: daysAgo(ago), sbp, dbp });
    await call('POST', '/api/v1/followups', { resident_id: id, program: 'diabetes', visit_date: daysAgo(ago), fbg });
  }
  const page = await openPage(DESK);
  const vendor = [];
  page.on('request', (req) => { if (req.url().includes('/vendor/')) vendor.push(req.url()); });
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents`);
  await page.getByTestId('app-header').waitFor();
  assert.deepEqual(vendor, [], 'the chart library is not fetched by screens without charts');
  await page.goto(`${base}/#/residents/${id}`);
  await page.getByTestId('card-trends').waitFor();
  const bp = await chartDrawn(page, 'trend-bp', 5);
  assert.deepEqual(bp.series.map((s) => s.name), ['收缩压', '舒张压']);
  await chartDrawn(page, 'trend-fbg', 5);
  assert.equal(vendor.length, 1);
  assert.match(vendor[0], /\/vendor\/echarts\.min\.js\?v=/);
  // The target lines: 140 and 90 on blood pressure, 7.0 on glucose.
  const lines = await page.evaluate(() => ['trend-bp', 'trend-fbg'].map((id) => window.echarts.getInstanceByDom(document.querySelector(`[data-testid=${id}]`))
    .getOption().series.map((s) => s.markLine.data[0].yAxis)));
  assert.deepEqual(lines, [[140, 90], [7]]);
  assert.match(await page.getByTestId('card-trends').textContent(), /最近 128\/80 mmHg/);
  await shoot(page, 'trends-resident-desktop');

  await switchLanguage(page, 'en');
  await page.locator('[data-testid=card-trends] .card-title', { hasText: 'Health trends' }).waitFor();
  const en = await chartDrawn(page, 'trend-bp', 5);
  assert.deepEqual(en.series.map((s) => s.name), ['Systolic', 'Diastolic']);
  await switchLanguage(page, 'zh-CN');
  await page.locator('[data-testid=card-trends] .card-title', { hasText: '健康指标趋势' }).waitFor();
  await closePage(page);

  const phone = await openPage(PHONE);
  await login(phone, 'doctor01');
  await phone.goto(`${base}/#/residents/${id}`);
  await chartDrawn(phone, 'trend-bp', 5);
  await chartDrawn(phone, 'trend-fbg', 5);
  await noSideways(phone, 'resident page with trends');
  await phone.getByTestId('card-trends').scrollIntoViewIfNeeded();
  await shoot(phone, 'trends-resident-phone');
  // The card alone, at the phone's own scale, to read the axis labels and legend.
  await phone.getByTestId('card-trends').screenshot({ path: path.join(SHOTS, 'trends-card-phone.png') });
  await phone.getByTestId('card-followups').screenshot({ path: path.join(SHOTS, 'trends-followups-phone.png') });
  await closePage(phone);
});

test('no measurements, no trend card', { timeout: 30000 }, async () => {
  const id = await person('无测量', '1970-01-01');
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  await page.getByTestId('card-followups').waitFor();
  assert.equal(await page.getByTestId('card-trends').count(), 0);
  await closePage(page);
});

test('a child\'s check schedule: every point, the due one leads to the follow-up form', { timeout: 45000 }, async () => {
  const id = await person('儿童时间表', daysAgo(100));
  await call('POST', '/api/v1/followups', { resident_id: id, program: 'child', visit_date: daysAgo(97), weight_kg: 3.6 });
  await call('POST', '/api/v1/followups', { resident_id: id, program: 'child', visit_date: daysAgo(71), weight_kg: 4.9 });
  for (const viewport of [DESK, PHONE]) {
    const page = await openPage(viewport);
    await login(page, 'doctor01');
    await page.goto(`${base}/#/residents/${id}`);
    await page.getByTestId('open-schedule-child').click();
    await page.waitForURL(`**/#/residents/${id}/schedule/child`);
    await page.getByTestId('schedule-page').waitFor();
    assert.equal((await page.getByTestId('page-title').textContent()).trim(), '儿童健康检查时间表');
    const rows = page.getByTestId('schedule-point');
    assert.equal(await rows.count(), 13);
    const statuses = await rows.evaluateAll((trs) => trs.map((tr) => [tr.dataset.point, tr.dataset.status]));
    assert.deepEqual(statuses.slice(0, 4), [['newborn', 'done'], ['month_1', 'done'], ['m3', 'due'], ['m6', 'upcoming']]);
    assert.match(await rows.first().textContent(), new RegExp(daysAgo(97)));
    assert.equal(await page.getByTestId('schedule-record').count(), 1, 'one due point, one 记录随访');
    const wide = viewport === PHONE ? 'phone' : 'desktop';
    if (viewport === PHONE) await noSideways(page, 'child schedule');
    await shoot(page, `schedule-child-${wide}`);
    await page.getByTestId('schedule-record').click();
    await page.waitForURL(`**/#/residents/${id}/followup/child`);
    await page.getByTestId('followup-page').waitFor();
    await closePage(page);
  }
});

test('a pregnancy\'s schedule: weeks, the assessed colour, the first visit done; no pregnancy yet says how to register', { timeout: 45000 }, async () => {
  const id = await person('孕产时间表', '1994-09-09', { female: true });
  await call('POST', '/api/v1/followups', { resident_id: id, program: 'maternal', visit_date: daysAgo(40), lmp: daysAgo(110), risk_factors: [{ code: 'hypertension', color: 'orange' }] });
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  await page.getByTestId('open-schedule-maternal').click();
  await page.getByTestId('schedule-page').waitFor();
  assert.equal((await page.getByTestId('schedule-weeks').textContent()).trim(), '孕 15 周');
  assert.equal(await page.locator('[data-testid=schedule-colors] [data-color]').getAttribute('data-color'), 'orange');
  const statuses = await page.getByTestId('schedule-point').evaluateAll((trs) => trs.map((tr) => [tr.dataset.point, tr.dataset.status]));
  assert.deepEqual(statuses, [['first_visit', 'done'], ['w16_20', 'upcoming'], ['w21_24', 'upcoming'], ['w28_36', 'upcoming'], ['w37_40', 'upcoming']]);
  await noSideways(page, 'pregnancy schedule');
  await shoot(page, 'schedule-maternal-phone');
  await page.setViewportSize(DESK);
  await shoot(page, 'schedule-maternal-desktop');
  await switchLanguage(page, 'en');
  await page.locator('[data-testid=page-title]', { hasText: 'Pregnancy care schedule' }).waitFor();
  assert.equal((await page.getByTestId('schedule-weeks').textContent()).trim(), '15 weeks pregnant');
  await shoot(page, 'schedule-maternal-desktop-en');
  await switchLanguage(page, 'zh-CN');
  await page.locator('[data-testid=page-title]', { hasText: '孕产期保健时间表' }).waitFor();

  const none = await person('未建册', '1996-02-02', { female: true });
  await page.goto(`${base}/#/residents/${none}/schedule/maternal`);
  await page.getByTestId('schedule-none').waitFor();
  assert.equal(await page.getByTestId('schedule-register').getAttribute('href'), `#/residents/${none}/followup/maternal`);
  await closePage(page);
});
