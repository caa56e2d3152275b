// records.test.mjs - results that reach the record without re-typing, in the browser: a
// doctor loads an exam centre's file from the work list, sees what was written and which
// rows came back and why; the resident's page then shows the exam with its abnormal
// findings (and a conclusion nobody recognised waits on the work list for a doctor), this year's standardised management, and a home monitor bound to the resident
// whose out-of-range reading raised a task on the work list. Desk and phone widths.
//
// Run from the repository root:  node --test tests/e2e/records.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { TODAY as today } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'records' });


async function call(token, method, path, body, headers = {}) {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, JSON.stringify(json));
  return json;
}

test('a doctor imports an exam file, reads the returned rows, and finds the results on the record', { timeout: 60000 }, async () => {
  const token = (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: PASSWORD }) })).json()).token;
  const idNo = idNumber('1951-02-03', 411);
  const p = await call(token, 'POST', '/api/v1/residents', { name: '体检测试', id_number: idNo, region: '51152410100101' });
  const reviewIdNo = idNumber('1952-03-04', 413);
  await call(token, 'POST', '/api/v1/residents', { name: '结论待读', id_number: reviewIdNo, region: '51152410100101' });
  await call(token, 'POST', '/api/v1/enrolments', { resident_id: p.id, program: 'hypertension', start_date: `${today.slice(0, 4)}-01-02` });
  const device = await call(token, 'POST', '/api/v1/devices', { resident_id: p.id, kind: 'bp_monitor', label: '家用血压计' });
  const reading = await fetch(`${base}/api/v1/observations`, { method: 'POST', headers: { 'X-Device-Token': device.token, 'Content-Type': 'application/json' }, body: JSON.stringify({ observed_at: `${today}T07:10`, sbp: 168, dbp: 96 }) });
  assert.equal(reading.status, 201);

  const dir = mkdtempSync(join(tmpdir(), 'jiayi-exam-'));
  const file = join(dir, '长宁镇体检.csv');
  writeFileSync(file, `身份证号,体检日期,收缩压,舒张压,空腹血糖,总胆固醇,身高,体重,心电图,B超\n${idNo},${today},156,92,7.8,6.4,160,72,窦性心律,脂肪肝\n${idNumber('1960-01-01', 999)},${today},120,80,,,,,,\n${reviewIdNo},${today},120,76,,,,,窦性心律 顺钟向转位,\n`);

  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/worklist`);
  await page.getByTestId('open-exam-import').click();
  await page.getByTestId('exams-page').waitFor();
  await page.getByTestId('exam-file').setInputFiles(file);
  await page.getByTestId('exam-submit').click();
  await page.getByTestId('exam-summary').waitFor();
  const summary = await page.getByTestId('exam-summary').textContent();
  assert.match(summary, /共 3 行：写入 2 行，退回 1 行；异常 1 人，结论待判读 1 人/);
  assert.equal(await page.getByTestId('exam-error').count(), 1);
  assert.match(await page.getByTestId('exam-error').textContent(), /3.*id_number.*没有登记/);
  await shoot(page, 'records-exam-import');

  // A file refused whole (a broken quote) says where; nothing of it is written.
  const broken = join(dir, 'broken.csv');
  writeFileSync(broken, `身份证号,体检日期,收缩压,舒张压\n${reviewIdNo},${today},150,90\n${idNo},${today},"150,90\n`);
  await page.getByTestId('exam-file').setInputFiles(broken);
  await page.getByTestId('exam-submit').click();
  await page.waitForFunction(() => /CSV 格式错误.*第 3 行第 3 列/.test(document.querySelector('[data-testid=exam-result]')?.textContent || ''));

  // The work list shows both warnings with their reasons in words.
  await page.goto(`${base}/#/worklist`);
  await page.getByTestId('worklist-page').waitFor();
  const text = await page.getByTestId('worklist-page').textContent();
  assert.match(text, /体检异常/);
  assert.match(text, /居家监测预警/);
  assert.match(text, /血压偏高/);
  assert.match(text, /体检结论待判读/);
  assert.match(text, /心电图结论待判读：顺钟向转位/);
  await shoot(page, 'records-worklist');

  await page.goto(`${base}/#/residents/${p.id}`);
  await page.getByTestId('card-exams').waitFor();
  assert.match(await page.getByTestId('exam-abnormal').first().textContent(), /血压偏高.*空腹血糖偏高.*总胆固醇偏高.*B超异常/);
  assert.match(await page.getByTestId('exam-item').first().textContent(), /心电图 窦性心律 · B超 脂肪肝/);
  const htn = page.locator('[data-testid=management-item][data-program=hypertension]');
  assert.match(await htn.textContent(), /已随访 0 \/ 应随访 \d 次/);
  assert.equal(await htn.getByTestId('management-status').textContent(), '尚未达标');
  assert.equal(await page.getByTestId('reading-level').first().textContent(), '预警');
  await shoot(page, 'records-resident');
  await closePage(page);

  const phone = await openPage(PHONE);
  await login(phone, 'doctor01');
  await phone.goto(`${base}/#/residents/${p.id}`);
  await phone.getByTestId('card-devices').waitFor();
  await noSideways(phone);
  // Binding a second device shows its token once.
  await phone.getByTestId('device-add').click();
  await phone.getByTestId('device-kind').selectOption('glucometer');
  await phone.getByTestId('dialog-submit').click();
  await phone.getByTestId('device-token').waitFor();
  assert.match(await phone.getByTestId('device-token').textContent(), /^dev_[0-9a-f]{48}$/);
  await shoot(phone, 'records-device-token-phone');
  await closePage(phone);
});
