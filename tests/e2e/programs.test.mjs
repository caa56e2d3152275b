// programs.test.mjs - the national programmes of issue 19 in the browser: a child's
// vaccinations on the child's schedule page (each dose with its status, 记录接种 for the next,
// the work list's task leading back), and a tuberculosis patient (the notice registered, the
// first home visit due within 72 hours on the work list, a visit with missed doses and an
// adverse reaction saying what it set in motion), at phone and desk width.
//
// Run from the repository root:  node --test tests/e2e/programs.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login, switchLanguage, demoDatabase } from '../lib/browser.mjs';
import { idNumber, jiayi } from '../lib/server.mjs';
import { TODAY as today, addDays, daysAgo } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'programs' });

let token;
async function call(method, path, body) {
  if (!token) token = (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'doctor01', password: PASSWORD }) })).json()).token;
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, JSON.stringify(json));
  return json;
}

let seq = 600;
async function person(name, birth) {
  seq += 2;
  return (await call('POST', '/api/v1/residents', { name, id_number: idNumber(birth, seq + 1), region: '51152410100101' })).id;
}

test('a child\'s vaccinations on the schedule page: each dose with its status, 记录接种 records the next, the work list follows', { timeout: 60000 }, async () => {
  const born = daysAgo(75);
  const id = await person('接种儿童', born);
  await call('POST', `/api/v1/residents/${id}/vaccinations`, { vaccine: 'hepb', dose: 1, date: born, lot: 'HB2026A' });
  await call('POST', `/api/v1/residents/${id}/vaccinations`, { vaccine: 'bcg', dose: 1, date: born });
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}/schedule/child`);
  const card = page.getByTestId('immunisation');
  await card.waitFor();
  const rows = card.getByTestId('dose-row');
  assert.equal(await rows.count(), 22);
  const status = async () => Object.fromEntries(await rows.evaluateAll((trs) => trs.map((tr) => [tr.dataset.dose, tr.dataset.status])));
  let s = await status();
  assert.deepEqual([s['hepb:1'], s['bcg:1'], s['hepb:2'], s['ipv:1'], s['dtap:1']], ['done', 'done', 'overdue', 'due', 'upcoming']);
  assert.match(await card.getByTestId('immunisation-next').textContent(), /下一剂：乙肝疫苗 第2剂/);
  await noSideways(page, 'vaccinations');
  await card.scrollIntoViewIfNeeded();
  await shoot(page, 'immunisation-phone');
  // 记录接种: the next dose, today, a lot number.
  await card.getByTestId('vaccination-record').click();
  const dialog = page.getByTestId('vaccination-dialog');
  await dialog.waitFor();
  assert.equal(await dialog.getByTestId('vaccination-dose').inputValue(), 'hepb:2');
  assert.equal(await dialog.getByTestId('vaccination-date').inputValue(), today);
  await dialog.getByTestId('vaccination-lot').fill('HB2026B');
  await dialog.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=dose-row][data-dose="hepb:2"][data-status=done]').waitFor();
  s = await status();
  assert.equal(s['hepb:2'], 'done');
  assert.match(await page.getByTestId('immunisation-next').textContent(), /脊灰灭活疫苗 第1剂/);
  await page.setViewportSize(DESK);
  await shoot(page, 'immunisation-desktop');
  // The work list's vaccination task names the next dose and leads back here.
  // (On the work list a task is overdue once its due date has passed: IPV 1 fell due at 2 months.)
  await page.goto(`${base}/#/worklist?status=overdue`);
  const task = page.locator('[data-testid=task-row]', { hasText: '接种儿童' });
  await task.waitFor();
  assert.match(await task.textContent(), /预防接种/);
  assert.match(await task.textContent(), /脊灰灭活疫苗 第1剂/);
  await task.getByTestId('task-vaccination').click();
  await page.waitForURL(`**/#/residents/${id}/schedule/child`);
  await page.getByTestId('immunisation').waitFor();
  await closePage(page);
});

test('a tuberculosis patient: the notice, the first home visit within 72 hours, a visit that reports missed doses and refers an adverse reaction', { timeout: 60000 }, async () => {
  const id = await person('结核患者', '1972-03-18');
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  await page.getByTestId('open-tb').click();
  await page.waitForURL(`**/#/residents/${id}/tb`);
  await page.getByTestId('tb-none').waitFor();
  // 登记通知: notified three days ago, treatment started four days ago, a family supervisor.
  await page.getByTestId('tb-notice').click();
  const notice = page.getByTestId('tb-notice-dialog');
  await notice.getByTestId('tb-notified').fill(daysAgo(3));
  await notice.getByTestId('tb-start').fill(daysAgo(4));
  await notice.getByTestId('tb-notified-by').fill('县疾控中心结核病防治所');
  await notice.getByTestId('dialog-submit').click();
  const open = page.getByTestId('tb-case-open');
  await open.waitFor();
  assert.equal((await page.getByTestId('tb-next-due').textContent()).trim(), addDays(daysAgo(3), 3));
  assert.equal((await page.getByTestId('tb-status').textContent()).trim(), '管理中');
  // The first home visit is on the work list, due three days after the notice (today).
  await page.goto(`${base}/#/worklist?status=due`);
  const task = page.locator('[data-testid=task-row]', { hasText: '结核患者' });
  await task.waitFor();
  assert.match(await task.textContent(), /肺结核患者访视/);
  await task.getByTestId('task-tb').click();
  await page.waitForURL(`**/#/residents/${id}/tb`);
  // The first visit: 4 doses due, 4 taken.
  await page.getByTestId('tb-record-visit').click();
  let dialog = page.getByTestId('tb-visit-dialog');
  await dialog.getByTestId('tb-doses-due').fill('4');
  await dialog.getByTestId('tb-doses-taken').fill('4');
  await dialog.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=tb-visit]').first().waitFor();
  assert.equal((await page.getByTestId('tb-next-due').textContent()).trim(), addDays(today, 10));
  // Today again: 9 doses missed of 10, and an adverse reaction.
  await page.getByTestId('tb-record-visit').click();
  dialog = page.getByTestId('tb-visit-dialog');
  await dialog.getByTestId('tb-visit-mode').selectOption('clinic');
  await dialog.getByTestId('tb-doses-due').fill('10');
  await dialog.getByTestId('tb-doses-taken').fill('1');
  await dialog.getByTestId('tb-adverse').check();
  await dialog.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=tb-visit]').nth(1).waitFor();
  assert.match(await page.locator('.toast').last().textContent(), /紧急转诊/);
  assert.deepEqual(await page.getByTestId('tb-visit-action').allTextContents(), ['继续管理', '紧急转诊']);
  assert.equal((await page.getByTestId('tb-missed-reported').textContent()).trim(), today);
  assert.match(await page.getByTestId('tb-adherence').textContent(), /35\.7%/);
  await noSideways(page, 'tb case');
  await shoot(page, 'tb-phone');
  await page.setViewportSize(DESK);
  await shoot(page, 'tb-desktop');
  await switchLanguage(page, 'en');
  await page.locator('[data-testid=tb-status]', { hasText: 'Under care' }).waitFor();
  await closePage(page);
});

test('a COPD patient: enrolled on the resident page, a visit from the work list, a severe exacerbation referred at once', { timeout: 60000 }, async () => {
  const id = await person('慢阻肺患者', '1950-07-21');
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  await page.getByTestId('enrol').click();
  await page.getByTestId('enrol-program').selectOption('copd');
  await page.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=program-item][data-program=copd]').waitFor();
  // The first visit is on the work list two weeks on; it opens the COPD screen.
  await page.goto(`${base}/#/worklist?status=open`);
  const task = page.locator('[data-testid=task-row]', { hasText: '慢阻肺患者' });
  await task.waitFor();
  assert.match(await task.textContent(), /慢阻肺随访/);
  assert.match(await task.textContent(), /纳入管理后的首次评估/);
  await task.getByTestId('task-copd').click();
  await page.waitForURL(`**/#/residents/${id}/copd`);
  await page.getByTestId('copd-no-visits').waitFor();
  // Breathless at rest, worse now, SpO2 87%: referred at once, seen again in two weeks.
  await page.getByTestId('copd-record').click();
  const dialog = page.getByTestId('copd-visit-dialog');
  await dialog.getByTestId('copd-mode').selectOption('home_visit');
  await dialog.getByTestId('copd-mmrc').selectOption('3');
  await dialog.getByTestId('copd-cat').fill('26');
  await dialog.getByTestId('copd-hospitalised').fill('1');
  await dialog.getByTestId('copd-spo2').fill('87');
  await dialog.getByTestId('copd-acute').check();
  await dialog.getByTestId('copd-smoking').check();
  await dialog.getByTestId('copd-inhaler').selectOption('false');
  await shoot(page, 'copd-visit-desktop', { full: false });
  await dialog.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=copd-visit]').first().waitFor();
  assert.match(await page.locator('.toast').last().textContent(), /立即转诊/);
  assert.deepEqual(await page.getByTestId('copd-visit-action').allTextContents(), ['紧急转诊']);
  assert.equal((await page.getByTestId('copd-next-due').textContent()).trim(), addDays(today, 14));
  assert.match(await page.getByTestId('copd-group').textContent(), /^E/);
  await page.getByTestId('copd-spirometry-due').waitFor();
  const referrals = await call('GET', `/api/v1/residents/${id}/referrals`);
  assert.deepEqual(referrals.items.map((r) => [r.reason, r.urgent]), [['copd_exacerbation', true]]);
  await shoot(page, 'copd-desktop');
  await page.setViewportSize(PHONE);
  await noSideways(page, 'copd page');
  await shoot(page, 'copd-phone');
  await switchLanguage(page, 'en');
  await page.locator('[data-testid=copd-visit-action]', { hasText: 'Urgent referral' }).waitFor();
  await closePage(page);
});

test('a hospital stay recorded on the resident page puts a post-visit call on the work list; the call keeps what the patient said', { timeout: 60000 }, async () => {
  const id = await person('出院患者', '1950-06-06');
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  await page.getByTestId('record-encounter').click();
  await page.getByTestId('encounter-institution').selectOption({ index: 1 });
  await page.getByTestId('encounter-kind').selectOption('inpatient');
  await page.getByTestId('encounter-date').fill(daysAgo(10));
  await page.getByTestId('encounter-discharge').fill(daysAgo(3));
  await page.getByTestId('encounter-diagnoses').fill('i63.9，I10');
  await page.getByTestId('dialog-submit').click();
  const item = page.locator('[data-testid=encounter-item]').first();
  await item.locator('[data-testid=new-mark]').waitFor();
  assert.match(await item.textContent(), /住院/);
  assert.match(await item.textContent(), /I63\.9 I10/);
  // Due three days after the discharge: today.
  await page.goto(`${base}/#/worklist?status=due`);
  const task = page.locator('[data-testid=task-row]', { hasText: '出院患者' });
  await task.waitFor();
  assert.match(await task.textContent(), /诊后回访/);
  await task.getByTestId('task-close').click();
  const dialog = page.getByTestId('task-close-dialog');
  await dialog.getByTestId('call-effect').selectOption('better');
  await dialog.getByTestId('call-adherence').selectOption('partial');
  await dialog.getByTestId('call-revisit').fill(addDays(today, 14));
  await dialog.getByTestId('task-close-note').fill('偶有漏服，已再次宣教');
  await shoot(page, 'post-visit-call-desktop');
  await dialog.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=task-row]', { hasText: '出院患者' }).waitFor({ state: 'detached' });
  const answers = await page.evaluate(async (resident) => {
    const r = await fetch(`/api/v1/worklist?status=due&q=${encodeURIComponent('出院患者')}`);
    return { status: r.status, items: (await r.json()).items.filter((t) => t.resident_id === resident) };
  }, id);
  assert.deepEqual([answers.status, answers.items.length], [200, 0]);
  await closePage(page);
});

test('this visit on the resident page: a diagnosis not managed is enrolled in place, a contract offered and declined for now', { timeout: 60000 }, async () => {
  const id = await person('就诊提示患者', '1952-11-11');
  await call('POST', `/api/v1/residents/${id}/diagnoses`, { icd10: 'I10', diagnosed_on: daysAgo(200) });
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  const visit = page.getByTestId('card-visit');
  await visit.waitFor();
  const offers = visit.getByTestId('visit-offer');
  assert.deepEqual(await offers.evaluateAll((li) => li.map((x) => `${x.dataset.kind}:${x.dataset.program}`)), ['enrol:hypertension', 'sign:']);
  assert.match(await offers.first().textContent(), /高血压诊断（I10）尚未纳入管理/);
  await noSideways(page, 'visit card');
  await shoot(page, 'visit-card-phone');
  await offers.first().getByTestId('visit-offer-accept').click();
  await page.locator('[data-testid=visit-offer]').first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=visit-offer]')].every((x) => x.dataset.kind === 'sign'));
  await page.locator('[data-testid=program-item][data-program=hypertension]').waitFor();
  // Not now: the contract offer leaves this page, and is counted.
  await page.getByTestId('visit-offer-decline').click();
  await page.getByTestId('visit-offer').first().waitFor({ state: 'detached' });
  const counts = await call('GET', `/api/v1/residents/${id}/visit-prompts`);
  assert.deepEqual(counts.offers.map((o) => o.kind), ['sign'], 'offered again at the next visit');
  await closePage(page);
});

test("today's visits: the people the team expects, with why and their colour, from the work list", { timeout: 60000 }, async () => {
  const id = await person('今日来诊', '1957-07-07');
  await call('POST', '/api/v1/enrolments', { resident_id: id, program: 'hypertension', start_date: daysAgo(200) });
  await call('POST', '/api/v1/followups', { resident_id: id, program: 'hypertension', visit_date: daysAgo(30), sbp: 185, dbp: 112 });
  await call('POST', '/api/v1/tb-cases', { resident_id: id, notified_on: daysAgo(3), treatment_start: daysAgo(4), supervision: 'medical' });
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/worklist`);
  await page.getByTestId('open-visit-day').click();
  await page.getByTestId('visit-day-page').waitFor();
  const row = page.locator('[data-testid=visit-day-row]', { hasText: '今日来诊' });
  await row.waitFor();
  assert.match(await row.textContent(), /肺结核患者访视/);
  assert.equal(await row.getByTestId('visit-day-colour').getAttribute('data-colour'), 'red');
  await shoot(page, 'visit-day-desktop');
  await row.getByTestId('visit-day-name').click();
  await page.getByTestId('card-visit').waitFor();
  await closePage(page);
});

test('a family sickbed: admitted, a round from the work list, discharged', { timeout: 60000 }, async () => {
  const id = await person('家庭病床患者', '1939-04-04');
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  await page.getByTestId('open-sickbed').click();
  await page.getByTestId('sickbed-none').waitFor();
  await page.getByTestId('sickbed-admit').click();
  const admit = page.getByTestId('sickbed-admit-dialog');
  await admit.getByTestId('sickbed-admitted').fill(daysAgo(2));
  await admit.getByTestId('sickbed-diagnosis').fill('i63.9');
  await admit.getByTestId('sickbed-days').fill('2');
  await admit.getByTestId('dialog-submit').click();
  await page.getByTestId('sickbed-open').waitFor();
  assert.equal((await page.getByTestId('sickbed-next').textContent()).trim(), today);
  // The round due today is on the work list and leads back here.
  await page.goto(`${base}/#/worklist?status=due`);
  const task = page.locator('[data-testid=task-row]', { hasText: '家庭病床患者' });
  await task.waitFor();
  await task.getByTestId('task-sickbed').click();
  await page.getByTestId('sickbed-round').click();
  const round = page.getByTestId('sickbed-round-dialog');
  await round.getByTestId('sickbed-round-note').fill('神志清，翻身拍背，压疮无');
  await round.getByTestId('dialog-submit').click();
  await page.getByTestId('sickbed-round-row').waitFor();
  assert.equal((await page.getByTestId('sickbed-next').textContent()).trim(), addDays(today, 2));
  await noSideways(page, 'sickbed');
  await shoot(page, 'sickbed-phone');
  await page.getByTestId('sickbed-discharge').click();
  const discharge = page.getByTestId('sickbed-discharge-dialog');
  await discharge.getByTestId('sickbed-outcome').selectOption('improved');
  await discharge.getByTestId('dialog-submit').click();
  await page.getByTestId('sickbed-closed').waitFor();
  assert.match(await page.getByTestId('sickbed-closed').textContent(), /好转/);
  await closePage(page);
});

test('a chronic-disease certificate from the resident page: screened, notified, pre-reviewed, granted', { timeout: 60000 }, async () => {
  const id = await person('慢病证患者', '1955-09-09');
  await call('POST', `/api/v1/residents/${id}/diagnoses`, { icd10: 'E11.9', diagnosed_on: daysAgo(500) });
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  const cardEl = page.getByTestId('card-certificates');
  await cardEl.waitFor();
  await cardEl.getByTestId('cert-screen').click();
  await page.getByTestId('cert-disease').selectOption('diabetes');
  await page.getByTestId('dialog-submit').click();
  for (const to of ['notified', 'pre_reviewed']) {
    await page.getByTestId(`cert-to-${to}`).click();
    await page.getByTestId('dialog-submit').click();
    await page.locator(`[data-testid=cert-item][data-status=${to}]`).waitFor();
  }
  await page.getByTestId('cert-to-granted').click();
  await page.getByTestId('cert-number').fill('MB2026-0088');
  await page.getByTestId('dialog-submit').click();
  const granted = page.locator('[data-testid=cert-item][data-status=granted]');
  await granted.waitFor();
  assert.match(await granted.textContent(), /证号 MB2026-0088/);
  await cardEl.scrollIntoViewIfNeeded();
  await shoot(page, 'certificate-desktop');
  await closePage(page);
});

test('results recognised across the county on the resident page: a valid result spares the repeat', { timeout: 60000 }, async () => {
  const id = await person('互认居民', '1963-03-03');
  await call('POST', `/api/v1/residents/${id}/test-results`, { item: 'lipids', taken_on: daysAgo(5), value: 'TC 6.1 mmol/L', source: '县人民医院 LIS' });
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${id}`);
  const cardEl = page.getByTestId('card-results');
  await cardEl.waitFor();
  assert.equal(await cardEl.getByTestId('result-valid').getAttribute('data-valid'), 'true');
  await cardEl.getByTestId('result-check-item').selectOption('lipids');
  await page.waitForFunction(() => document.querySelector('[data-testid=result-check-answer]').textContent.includes('无需重复检查'));
  await cardEl.getByTestId('result-check-item').selectOption('cbc');
  await page.waitForFunction(() => document.querySelector('[data-testid=result-check-answer]').textContent.includes('需要检查'));
  await cardEl.scrollIntoViewIfNeeded();
  await shoot(page, 'results-desktop');
  await closePage(page);
});

test('income shared in the team: the centre administrator shares a pool by weight on the team page', { timeout: 60000 }, async () => {
  const page = await openPage(DESK);
  await login(page, 'town01');
  const teams = await page.evaluate(async () => (await (await fetch('/api/v1/teams')).json()).items);
  const tm = teams[0];
  await page.goto(`${base}/#/teams/${tm.id}`);
  const cardEl = page.getByTestId('card-allocations');
  await cardEl.waitFor();
  await cardEl.getByTestId('alloc-new').click();
  const dialog = page.getByTestId('alloc-dialog');
  await dialog.getByTestId('alloc-period').fill('2026-Q4');
  await dialog.getByTestId('alloc-pool').fill('100');
  const weights = dialog.getByTestId('alloc-weight');
  const n = await weights.count();
  assert.ok(n >= 3);
  await dialog.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=alloc][data-period="2026-Q4"]').waitFor();
  const amounts = await page.locator('[data-testid=alloc][data-period="2026-Q4"] [data-testid=alloc-amount]').allTextContents();
  const fen = amounts.map((x) => Math.round(Number(x.replace(/[^0-9.]/g, '')) * 100));
  assert.equal(fen.reduce((a, b) => a + b, 0), 10000, `the amounts add up to the pool: ${amounts}`);
  await cardEl.scrollIntoViewIfNeeded();
  await shoot(page, 'allocation-desktop');
  await closePage(page);
});

test('an assessment round: the centre draws its teams\' records, calls them, signs off; the coefficient reaches the team scores', { timeout: 90000 }, async () => {
  // Three hypertension follow-ups by doctor01 today: the records a spot check may draw.
  for (const name of ['抽查甲', '抽查乙', '抽查丙']) {
    const id = await person(name, '1958-05-05');
    await call('POST', '/api/v1/enrolments', { resident_id: id, program: 'hypertension', start_date: daysAgo(60) });
    await call('POST', '/api/v1/followups', { resident_id: id, program: 'hypertension', visit_date: today, mode: 'clinic', sbp: 132, dbp: 84 });
  }
  const page = await openPage(DESK);
  await login(page, 'town01');
  await page.goto(`${base}/#/team-scores`);
  await page.getByTestId('scores-assessments').click();
  await page.getByTestId('assess-none').waitFor();
  await page.getByTestId('assess-new').click();
  const dialog = page.getByTestId('assess-dialog');
  await dialog.getByTestId('assess-sample').fill('5');
  await dialog.getByTestId('dialog-submit').click();
  await page.getByTestId('assess-round-page').waitFor();
  // The round draws every team's records of the quarter: ours among them (earlier tests of
  // this file may have recorded more).
  const rows = page.locator('[data-testid=assess-check]');
  const n = await rows.count();
  assert.equal(await rows.filter({ hasText: '抽查' }).count(), 3, 'doctor01\'s three follow-ups are drawn');
  // One resident denies the visit; every other call confirms its record.
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const denied = /抽查甲/.test(await row.textContent());
    if (denied) await row.getByTestId('assess-finding').fill('居民称当天未见医生');
    await row.getByTestId(denied ? 'assess-not_confirmed' : 'assess-confirmed').click();
    await page.waitForFunction((k) => document.querySelectorAll('[data-testid=assess-check]')[k]?.querySelector('.btn-primary'), i);
  }
  assert.equal((await page.getByTestId('assess-progress').textContent()).trim(), `${n} / ${n}`);
  await shoot(page, 'assessment-checks-desktop');
  await page.getByTestId('assess-sign-off').click();
  await page.locator('[data-testid=assess-status]', { hasText: '已签署' }).waitFor();
  const round = await page.evaluate(async () => {
    const [latest] = (await (await fetch('/api/v1/assessment-rounds')).json()).items;
    return (await fetch(`/api/v1/assessment-rounds/${latest.id}`)).json();
  });
  const team = round.teams.find((x) => x.not_confirmed === 1);
  const reached = team.confirmed + team.not_confirmed;
  assert.ok(reached >= 3);
  const permille = (reached - 1) * 100 >= round.full_rate * reached ? 1000 : Math.floor(((reached - 1) * 1000) / reached);
  const shown = `${(permille / 10).toFixed(1)}%`;
  const cell = page.locator('[data-testid=assess-team]', { hasText: team.team }).getByTestId('assess-coefficient');
  assert.equal((await cell.textContent()).trim(), shown);
  await shoot(page, 'assessment-signed-desktop');
  // The team's score on the scores page carries the coefficient.
  await page.goto(`${base}/#/team-scores`);
  const verified = page.locator('[data-testid=score-row]', { hasText: team.team }).getByTestId('score-verification');
  await verified.waitFor();
  assert.equal((await verified.textContent()).trim(), shown);
  await page.setViewportSize(PHONE);
  await page.goto(`${base}/#/assessments`);
  await page.getByTestId('assess-round').first().waitFor();
  await noSideways(page, 'assessments');
  await closePage(page);
});

test('a cancer screening invitation: the package asks for it, the work list shows it, recording the screening answers it', { timeout: 60000 }, async () => {
  const year = Number(today.slice(0, 4));
  seq += 2;
  const id = (await call('POST', '/api/v1/residents', { name: '筛查邀请', id_number: idNumber(`${year - 56}-12-31`, seq + 2), region: '51152410100101' })).id;
  const session = await call('GET', '/api/v1/session');
  const team = session.user.teams[0];
  const contract = await call('POST', '/api/v1/contracts', { resident_id: id, team_id: team, doctor_id: session.user.staff_id, start_date: today, channel: 'clinic', packages: ['BASIC', 'CANCER-80'] });
  jiayi(['daily', '--db', demoDatabase()]);
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/worklist`);
  const task = page.locator('[data-testid=task-row]', { hasText: '筛查邀请' }).filter({ hasText: '结直肠癌筛查' });
  await task.waitFor();
  assert.match(await task.textContent(), /癌症筛查邀请/);
  assert.match(await task.textContent(), /已向居民发出邀请/);
  await shoot(page, 'screening-worklist-desktop', { full: false });
  await task.getByTestId('task-screening').click();
  await page.waitForURL(`**/#/contracts/${contract.id}`);
  await page.locator('[data-testid=entitlement-row][data-service=colorectal_screening]').getByTestId('record-service').click();
  await page.getByTestId('delivery-note').fill('FIT 阴性');
  await page.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=entitlement-row][data-service=colorectal_screening][data-remaining="0"]').waitFor();
  const left = await call('GET', `/api/v1/worklist?limit=200`);
  assert.ok(!left.items.some((t) => t.resident_id === id && t.program === 'colorectal_screening'), 'the invitation is answered');
  assert.ok(left.items.some((t) => t.resident_id === id && t.program === 'cervical_screening'), 'the others stay');
  await closePage(page);
});
