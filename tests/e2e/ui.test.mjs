// ui.test.mjs - the browser UI end to end, in headless Chromium (playwright-core).
//
// The test builds its own demo county in a temporary directory, starts
// `jiayi serve --port 0 --web <repo>/web`, reads the port from the server's
// "listening on port N" line and drives the UI like a user. Every screen is saved
// as a full-page PNG, at desk width and at phone width (375x812), under
// test-output/e2e/ for people to look at.
//
// Run from the repository root:  node --test tests/e2e/
// JIAYI_BIN names another binary (default build/jiayi).
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, openPage, closePage, shoot, noSideways, login, switchLanguage } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';

useCounty({ residents: 1000, seed: 3, name: 'ui' });

test('a doctor finds a resident, files a first-discovery flag, confirms it and sees the task', { timeout: 40000 }, async () => {
  const page = await openPage();
  await page.goto(`${base}/`);
  await page.getByTestId('login-card').waitFor();
  assert.match(page.url(), /#\/login$/, 'not logged in → log-in page');
  await shoot(page, 'login-desktop');

  // A wrong password shows the server's message.
  await page.getByTestId('login-username').fill('doctor01');
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await assert.doesNotReject(page.getByTestId('login-error').getByText('用户名或密码错误').waitFor());

  await login(page, 'doctor01');
  assert.match(page.url(), /#\/residents$/);
  await page.getByTestId('user-name').waitFor();
  assert.equal(await page.getByTestId('user-role').textContent(), '家庭医生');
  const rows = page.getByTestId('resident-row');
  await rows.first().waitFor();
  await shoot(page, 'residents-desktop');

  // Pick a resident of the doctor's grid and find them again by the last 4 digits of the ID.
  const row = rows.nth(2);
  const residentId = await row.getAttribute('data-id');
  const name = (await row.getByTestId('resident-link').textContent()).trim();
  const masked = (await row.getByTestId('id-masked').textContent()).trim();
  assert.match(masked, /^\d{3}\*+[\dX]{4}$/, 'the list shows a masked ID number');
  await page.getByTestId('search-input').fill(masked.slice(-4));
  await page.getByTestId('search-submit').click();
  await page.waitForURL((url) => url.hash.includes('q='));
  const found = page.locator(`[data-testid=resident-row][data-id="${residentId}"]`);
  await found.waitFor();
  assert.equal((await found.getByTestId('resident-link').textContent()).trim(), name);
  await shoot(page, 'residents-search-desktop');

  // The resident's page.
  await found.getByTestId('resident-link').click();
  await page.waitForURL(`**/#/residents/${residentId}`);
  await page.getByTestId('resident-page').waitFor();
  assert.equal((await page.getByTestId('resident-name').textContent()).trim(), name);
  await page.getByTestId('card-members').getByTestId('member-row').first().waitFor();
  await page.getByTestId('card-team').getByTestId('team-link').first().waitFor();
  // The record card says whether a record exists and whether it is open to the resident.
  assert.ok(await page.getByTestId('card-record').isVisible(), 'the record state is shown');
  // It says what the server holds: no record, or a record opened to the resident or not.
  const record = await page.evaluate(async (id) => (await (await fetch(`/api/v1/residents/${id}`)).json()).record, residentId);
  if (!record) await page.getByTestId('card-record').getByTestId('record-none').waitFor();
  else assert.equal(await page.getByTestId('record-opened').getAttribute('data-opened'), String(Boolean(record.opened_to_resident)));

  // File a flag: it shows on the page as open.
  const note = `E2E 行走不稳 ${Date.now()}`;
  await page.getByTestId('file-flag').click();
  const dialog = page.getByTestId('flag-dialog');
  await dialog.waitFor();
  await dialog.getByTestId('flag-reason').selectOption('fall_risk');
  await dialog.getByTestId('flag-note').fill(note);
  await shoot(page, 'flag-dialog-desktop', { full: false });
  await dialog.getByTestId('dialog-submit').click();
  await dialog.waitFor({ state: 'detached' });
  const flagItem = page.locator('[data-testid=flag-item][data-status=open][data-reason=fall_risk]', { hasText: note });
  await flagItem.waitFor();
  assert.equal((await flagItem.getByTestId('flag-status').textContent()).trim(), '待处理');
  await shoot(page, 'resident-desktop');

  // The household, from the resident page.
  await page.getByTestId('household-link').click();
  await page.getByTestId('household-page').waitFor();
  await page.locator(`[data-testid=member-row][data-id="${residentId}"]`).waitFor();
  await shoot(page, 'household-desktop');

  // Confirm the flag on the flags page.
  await page.getByTestId('nav-flags').click();
  await page.getByTestId('flags-page').waitFor();
  const flagRow = page.locator('[data-testid=flag-row]', { hasText: note });
  await flagRow.waitFor();
  await shoot(page, 'flags-desktop');
  await flagRow.getByTestId('flag-confirm').click();
  const confirm = page.getByTestId('confirm-dialog');
  await confirm.waitFor();
  await confirm.getByTestId('decision-note').fill('E2E 已电话核实');
  await confirm.getByTestId('dialog-submit').click();
  await confirm.waitFor({ state: 'detached' });
  await page.getByTestId('toast').first().waitFor();
  await flagRow.waitFor({ state: 'detached' });
  await page.getByTestId('flags-tab-confirmed').click();
  await page.locator('[data-testid=flag-row]', { hasText: note }).waitFor();

  // The task is on the doctor's own work list, due.
  await page.getByTestId('nav-worklist').click();
  await page.getByTestId('worklist-page').waitFor();
  assert.ok(Number(await page.getByTestId('worklist-count-due').textContent()) >= 1, 'at least one task is due');
  await page.getByTestId('worklist-tab-due').click();
  await page.waitForURL((url) => url.hash.includes('status=due'));
  const task = page.locator('[data-testid=task-row]', { hasText: 'E2E 已电话核实' });
  await task.waitFor();
  assert.equal((await task.getByTestId('task-resident').textContent()).trim(), name);
  assert.equal((await task.getByTestId('task-status').textContent()).trim(), '待办');
  await shoot(page, 'worklist-desktop');

  // The doctor's team, its members and its work list.
  await page.getByTestId('nav-teams').click();
  await page.getByTestId('teams-page').waitFor();
  await page.getByTestId('team-row').first().waitFor();
  await shoot(page, 'teams-desktop');
  await page.getByTestId('my-team').first().click();
  await page.getByTestId('team-page').waitFor();
  assert.ok(await page.getByTestId('team-member-row').count() >= 2, 'the team has members');
  await page.getByTestId('grid-cell-row').first().waitFor();
  await shoot(page, 'team-desktop');
  await page.getByTestId('team-worklist').click();
  await page.waitForURL((url) => url.hash.includes('team='));
  await page.locator('[data-testid=task-row]', { hasText: 'E2E 已电话核实' }).waitFor();

  // Census rates of the doctor's township.
  await page.getByTestId('nav-census').click();
  await page.getByTestId('census-page').waitFor();
  await page.getByTestId('census-row').first().waitFor();
  await shoot(page, 'census-desktop');

  // Tapping a row of the resident list opens the resident (not only the name link).
  await page.getByTestId('nav-residents').click();
  await page.getByTestId('resident-row').first().locator('td').nth(3).click();
  await page.getByTestId('resident-page').waitFor();

  await page.getByTestId('logout').click();
  await page.getByTestId('login-card').waitFor();
  await page.goto(`${base}/#/worklist`);
  await page.getByTestId('login-card').waitFor();
  assert.match(page.url(), /#\/login\?next=/, 'after logging out the work list asks for a log-in');
  await closePage(page);
});

test('a village doctor opens a record, adds a diagnosis, records a census visit and dismisses a flag', { timeout: 30000 }, async () => {
  const page = await openPage();
  await login(page, 'village01');
  // The first resident with a health record; if it is already open to them, close it first.
  await page.getByTestId('resident-row').first().waitFor();
  const residentRows = await page.getByTestId('resident-row').count();
  let opened = null;
  for (let i = 0; i < residentRows && !opened; i++) {
    await page.getByTestId('resident-row').nth(i).getByTestId('resident-link').click();
    await page.getByTestId('resident-page').waitFor();
    if (await page.getByTestId('record-opened').count()) opened = page.url();
    else await page.goBack();
  }
  assert.ok(opened, 'some resident in scope has a health record');
  if (await page.getByTestId('close-record').count()) {
    await page.getByTestId('close-record').click();
    await page.getByTestId('record-close-dialog').getByTestId('dialog-submit').click();
    await page.locator('[data-testid=record-opened][data-opened=false]').waitFor();
  }
  await page.getByTestId('open-record').click();
  const recordDialog = page.getByTestId('record-dialog');
  await recordDialog.waitFor();
  assert.match(await recordDialog.getByTestId('consent-date').inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'consent date defaults to today');
  await recordDialog.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=record-opened][data-opened=true]').waitFor();

  // A malformed ICD-10 code is refused with the server's message; a good one is listed.
  await page.getByTestId('add-diagnosis').click();
  const diagnosis = page.getByTestId('diagnosis-dialog');
  await diagnosis.getByTestId('diagnosis-icd10').fill('hypertension');
  await diagnosis.getByTestId('dialog-submit').click();
  await diagnosis.getByTestId('dialog-error').getByText('字段取值无效').waitFor();
  await diagnosis.getByTestId('diagnosis-icd10').fill('I10');
  await diagnosis.getByTestId('diagnosis-note').fill('E2E 诊断');
  await diagnosis.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=diagnosis-row]', { hasText: 'E2E 诊断' }).waitFor();

  // A census visit on the household.
  await page.getByTestId('household-link').click();
  await page.getByTestId('household-page').waitFor();
  const visitsBefore = await page.getByTestId('census-item').count();
  await page.getByTestId('add-census').click();
  const census = page.getByTestId('census-dialog');
  await census.getByTestId('census-card').check();
  await census.getByTestId('census-plan').fill('E2E 入户计划');
  await census.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=census-item]', { hasText: 'E2E 入户计划' }).waitFor();
  assert.equal(await page.getByTestId('census-item').count(), visitsBefore + 1);

  // File a flag, then dismiss it: the reason is required.
  await page.goto(opened);
  await page.getByTestId('file-flag').click();
  const flag = page.getByTestId('flag-dialog');
  await flag.getByTestId('flag-reason').selectOption('frailty');
  await flag.getByTestId('flag-note').fill('E2E 待排除');
  await flag.getByTestId('dialog-submit').click();
  await page.locator('[data-testid=flag-item][data-status=open]', { hasText: 'E2E 待排除' }).waitFor();
  await page.getByTestId('nav-flags').click();
  const row = page.locator('[data-testid=flag-row]', { hasText: 'E2E 待排除' });
  await row.getByTestId('flag-dismiss').click();
  const dismiss = page.getByTestId('dismiss-dialog');
  await dismiss.getByTestId('dialog-submit').click();
  await dismiss.getByTestId('dialog-error').getByText('请填写排除原因').waitFor();
  await dismiss.getByTestId('decision-note').fill('E2E 已核实无风险');
  await dismiss.getByTestId('dialog-submit').click();
  await row.waitFor({ state: 'detached' });
  await page.getByTestId('flags-tab-dismissed').click();
  await page.locator('[data-testid=flag-row]', { hasText: 'E2E 已核实无风险' }).waitFor();
  await closePage(page);
});

test('the language switch turns the UI and the server messages into English, and sticks', { timeout: 20000 }, async () => {
  const page = await openPage();
  await login(page, 'doctor01');
  await page.getByTestId('resident-row').first().waitFor();
  assert.equal((await page.getByTestId('nav-residents').textContent()).trim(), '居民档案');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');

  await switchLanguage(page, 'en');
  await page.getByTestId('nav-residents').getByText('Residents').waitFor();
  assert.equal((await page.getByTestId('page-title').textContent()).trim(), 'Residents');
  assert.equal((await page.getByTestId('user-role').textContent()).trim(), 'Doctor');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByTestId('resident-row').first().waitFor();
  await shoot(page, 'residents-en-desktop');

  // The choice survives a reload.
  await page.reload();
  await page.getByTestId('nav-residents').getByText('Residents').waitFor();

  // A resident page in English.
  await page.getByTestId('resident-link').first().click();
  await page.getByTestId('resident-page').waitFor();
  await page.getByTestId('card-basic').getByText('Basic data').waitFor();
  await shoot(page, 'resident-en-desktop');

  // Errors show the server's own (translated) detail.
  await page.goto(`${base}/#/residents/99999999`);
  await page.getByTestId('error').getByText('Not found').waitFor();

  await switchLanguage(page, 'zh-CN');
  await page.getByTestId('nav-residents').getByText('居民档案').waitFor();
  await closePage(page);
});

/* A place on the phone's bottom bar, or behind its 更多 (More) when the bar is full. */
async function tapNav(page, nav) {
  if (await page.getByTestId(nav).isVisible()) return page.getByTestId(nav).click();
  await page.getByTestId('nav-more').click();
  await page.getByTestId(nav.replace('nav-', 'nav-more-')).click();
}

test('at phone width (375x812) every screen fits and stays usable', { timeout: 40000 }, async () => {
  const page = await openPage(PHONE);
  await page.goto(`${base}/#/login`);
  await page.getByTestId('login-card').waitFor();
  await noSideways(page, 'login');
  await shoot(page, 'login-phone');
  await login(page, 'doctor01');

  await page.getByTestId('resident-row').first().waitFor();
  await noSideways(page, 'residents');
  await shoot(page, 'residents-phone');

  // The resident page, then the flag form on a phone.
  await page.getByTestId('resident-link').first().click();
  await page.getByTestId('resident-page').waitFor();
  await page.getByTestId('card-members').getByTestId('member-row').first().waitFor();
  await noSideways(page, 'resident');
  const button = await page.getByTestId('file-flag').boundingBox();
  assert.ok(button.height >= 44, `the flag button is a large tap target (${button.height}px)`);
  assert.ok(await page.getByTestId('nav-worklist').isVisible(), 'the bottom navigation is on screen');
  await shoot(page, 'resident-phone');
  await page.getByTestId('file-flag').click();
  await page.getByTestId('flag-dialog').waitFor();
  await page.getByTestId('flag-dialog').getByTestId('dialog-submit').click();
  await page.getByTestId('dialog-error').getByText('请选择原因').waitFor();
  await shoot(page, 'flag-dialog-phone', { full: false });
  await page.getByTestId('dialog-cancel').click();
  await page.getByTestId('flag-dialog').waitFor({ state: 'detached' });

  await page.getByTestId('household-link').click();
  await page.getByTestId('household-page').waitFor();
  await noSideways(page, 'household');
  await shoot(page, 'household-phone');

  for (const [nav, testid, shot] of [
    ['nav-flags', 'flags-page', 'flags-phone'],
    ['nav-worklist', 'worklist-page', 'worklist-phone'],
    ['nav-teams', 'teams-page', 'teams-phone'],
    ['nav-census', 'census-page', 'census-phone'],
  ]) {
    await tapNav(page, nav);
    await page.getByTestId(testid).waitFor();
    await page.locator('main .loading').waitFor({ state: 'detached' });
    await noSideways(page, testid);
    await shoot(page, shot);
  }
  await tapNav(page, 'nav-teams');
  await page.getByTestId('my-team').first().click();
  await page.getByTestId('team-page').waitFor();
  await noSideways(page, 'team');
  await shoot(page, 'team-phone');
  await closePage(page);
});

test('a resident logs in and lands on their own record, with nothing else to reach', { timeout: 20000 }, async () => {
  const page = await openPage(PHONE);
  await login(page, 'resident01');
  await page.waitForURL(/#\/residents\/\d+$/);
  const id = page.url().match(/#\/residents\/(\d+)$/)[1];
  const view = page.getByTestId('resident-page');
  await view.waitFor();
  assert.equal(await view.getAttribute('data-id'), id);
  // The portal (tests/e2e/resident.test.mjs looks at it closely): the record if it is
  // opened to them, else the kind message; the family doctor either way.
  await page.getByTestId('portal-card-doctor').waitFor();
  const opened = await view.getAttribute('data-opened');
  assert.equal(await page.getByTestId(opened === 'true' ? 'portal-card-next' : 'portal-not-opened').count(), 1);
  assert.equal(await page.getByTestId('nav-my-record').count(), 1);
  assert.equal(await page.getByTestId('nav-residents').count(), 0, 'no resident search for a resident');
  assert.equal(await page.getByTestId('nav-flags').count(), 0);
  assert.equal(await page.getByTestId('file-flag').count(), 0, 'a resident files no flags');
  assert.equal(await page.getByTestId('open-record').count(), 0);
  assert.equal(await page.getByTestId('back-link').count(), 0);
  await noSideways(page, 'portal');
  await shoot(page, 'resident-home-phone');
  await page.setViewportSize(DESK);
  await shoot(page, 'resident-home-desktop');

  // Their team is open to them.
  await page.getByTestId('team-link').first().click();
  await page.getByTestId('team-page').waitFor();
  assert.equal(await page.getByTestId('team-worklist').count(), 0, 'no work list for a resident');

  // Staff screens send a resident back to their record.
  await page.goto(`${base}/#/flags`);
  await page.waitForURL(new RegExp(`#/residents/${id}$`));
  await page.getByTestId('resident-page').waitFor();
  await closePage(page);
});

test('the health commission sees teams, scores, evaluation and census rates only', { timeout: 20000 }, async () => {
  const page = await openPage();
  await login(page, 'county');
  await page.waitForURL(/#\/dashboard/); // the commission lands on 指挥中心
  await page.getByTestId('dashboard-page').waitFor();
  await page.getByTestId('nav-census').click();
  await page.waitForURL(/#\/census$/);
  await page.getByTestId('census-row').first().waitFor();
  const navs = await page.locator('[data-testid^=nav-]').evaluateAll((els) => els.map((e) => e.dataset.testid));
  assert.deepEqual(navs, ['nav-dashboard', 'nav-teams', 'nav-scores', 'nav-evaluation', 'nav-census']);
  await shoot(page, 'census-county-desktop');
  // The county view adds villages up by township; a township opens its villages.
  const townships = await page.getByTestId('census-row').count();
  assert.ok(townships >= 10, `one row per township (${townships})`);
  await page.getByTestId('census-drill').first().click();
  await page.waitForURL(/region=\d{9}$/);
  await page.getByTestId('back-link').waitFor();
  await page.getByTestId('census-row').first().waitFor();
  await shoot(page, 'census-township-desktop');
  await closePage(page);
});

test('a signing campaign: the residents list narrowed to the unsigned of a programme, kept in the address', { timeout: 30000 }, async () => {
  for (const viewport of [DESK, PHONE]) {
    const page = await openPage(viewport);
    await login(page, 'town01');
    await page.goto(`${base}/#/residents`);
    await page.getByTestId('resident-row').first().waitFor();
    await page.getByTestId('search-signed').selectOption('false');
    await page.waitForURL((url) => url.hash.includes('signed=false'));
    await page.getByTestId('search-program').selectOption('elderly');
    await page.waitForURL((url) => url.hash.includes('program=elderly') && url.hash.includes('signed=false'));
    await page.getByTestId('resident-row').first().waitFor();
    // The rows are the server's unsigned elderly (checked against the API with the same login).
    const shown = await page.getByTestId('resident-row').evaluateAll((rows) => rows.map((r) => Number(r.dataset.id)));
    const expected = await page.evaluate(async () => {
      const r = await fetch('/api/v1/residents?signed=false&program=elderly&limit=50', { credentials: 'same-origin' });
      return (await r.json()).items.map((x) => x.id);
    });
    assert.deepEqual(shown, expected);
    // A reload keeps the campaign's filters.
    await page.reload();
    await page.getByTestId('resident-row').first().waitFor();
    assert.equal(await page.getByTestId('search-signed').inputValue(), 'false');
    assert.equal(await page.getByTestId('search-program').inputValue(), 'elderly');
    if (viewport === PHONE) await noSideways(page, 'unsigned residents at 375 px');
    await shoot(page, viewport === PHONE ? 'residents-unsigned-phone' : 'residents-unsigned-desktop');
    await closePage(page);
  }
});

test('the campaign\'s list downloads as Excel and CSV, every row, and the dashboard\'s table too', { timeout: 30000 }, async () => {
  const page = await openPage();
  await login(page, 'town01');
  await page.goto(`${base}/#/residents?signed=false&program=elderly`);
  await page.getByTestId('resident-row').first().waitFor();
  const href = await page.getByTestId('residents-export-csv').getAttribute('href');
  assert.match(href, /^\/api\/v1\/residents\?.*signed=false/);
  assert.match(href, /program=elderly/);
  assert.match(await page.getByTestId('residents-export-xlsx').getAttribute('href'), /format=xlsx/);
  // A click saves the file: the campaign's whole list, not the page on screen.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('residents-export-csv').click()]);
  assert.match(download.suggestedFilename(), /^residents-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = (await import('node:fs')).readFileSync(await download.path(), 'utf8');
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0].split(',')[1], '"姓名"');
  const total = await page.evaluate(async () => (await (await fetch('/api/v1/residents?signed=false&program=elderly&limit=1')).json()).total);
  assert.equal(lines.length - 1, total);
  await shoot(page, 'residents-downloads', { full: false });
  // The dashboard offers its table: every indicator by village.
  await page.goto(`${base}/#/dashboard`);
  await page.getByTestId('dashboard-page').waitFor();
  const dash = await page.getByTestId('dash-export-xlsx').getAttribute('href');
  assert.match(dash, /^\/api\/v1\/indicators\/breakdown\?scope=region%3A\d+&period=\d{4}.*&by=\w+&format=xlsx$/);
  const got = await page.evaluate(async (u) => { const r = await fetch(u); return [r.status, r.headers.get('content-type')]; }, dash);
  assert.equal(got[0], 200);
  assert.match(got[1], /spreadsheetml/);
  await closePage(page);
});

test('a township imports a register from the residents page: the kept rows, every returned row, the import in its history', { timeout: 30000 }, async () => {
  const page = await openPage();
  await login(page, 'town01');
  await page.goto(`${base}/#/residents`);
  await page.getByTestId('open-imports').click();
  await page.getByTestId('imports-page').waitFor();
  // Only the kinds a centre administrator may write one by one: residents, not diagnoses.
  const kinds = await page.getByTestId('import-kind').locator('option').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(kinds, ['residents']);
  assert.match(await page.getByTestId('import-help').textContent(), /户编号/);
  const cell = '51152410100101';
  const text = ['姓名,身份证号,行政区划代码,户编号,与户主关系',
    `界面导入甲,${idNumber('1951-02-03', 711)},${cell},UI-1,户主`,
    `界面导入乙,${idNumber('1953-04-05', 712)},${cell},UI-1,配偶`,
    `错号,${idNumber('1953-04-05', 713).slice(0, 17)}0,${cell},,`].join('\r\n') + '\r\n';
  await page.getByTestId('import-file').setInputFiles({ name: '花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.getByTestId('import-submit').click();
  await page.getByTestId('import-summary').waitFor();
  assert.match(await page.getByTestId('import-summary').textContent(), /共 3 行：导入 2 行.*退回 1 行/);
  const errors = await page.getByTestId('import-error').allTextContents();
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^4id_number/);
  // The history lists it; opening it shows its returned rows again.
  await page.getByTestId('import-row').first().waitFor();
  assert.match(await page.getByTestId('import-row').first().textContent(), /花名册\.csv完成32?01?/);
  await shoot(page, 'imports');
  await page.goto(`${base}/#/residents?q=界面导入`);
  await page.getByTestId('resident-row').first().waitFor();
  assert.equal(await page.getByTestId('resident-row').count(), 2);
  await closePage(page);
});

test('a village doctor\'s work list opens on the tasks of the cells they serve, not an empty "mine"', { timeout: 20000 }, async () => {
  const page = await openPage();
  await login(page, 'village01');
  await page.goto(`${base}/#/worklist`);
  await page.getByTestId('task-row').first().waitFor();
  const shown = Number(await page.getByTestId('worklist-count-all').textContent());
  // The same number the API gives for the whole scope of village01.
  const expected = await page.evaluate(async () => (await (await fetch('/api/v1/worklist?limit=1', { credentials: 'same-origin' })).json()).total);
  assert.ok(shown > 0, `village01 sees ${shown} tasks`);
  assert.equal(shown, expected);
  await shoot(page, 'worklist-village-desktop');
  await closePage(page);
});

test('the work list for outreach: a number to dial and the last readings, filtered by programme and name, kept across tabs', { timeout: 30000 }, async () => {
  for (const viewport of [DESK, PHONE]) {
    const page = await openPage(viewport);
    await login(page, 'doctor01');
    await page.goto(`${base}/#/worklist`);
    await page.getByTestId('task-row').first().waitFor();
    await page.getByTestId('worklist-program').selectOption('hypertension');
    await page.waitForURL((url) => url.hash.includes('program=hypertension'));
    await page.getByTestId('task-row').first().waitFor();
    const phone = page.getByTestId('task-phone').first();
    assert.match(await phone.getAttribute('href'), /^tel:\d{7,}$/);
    assert.match(await page.getByTestId('task-readings').first().textContent(), /(血压|空腹血糖) [\d./]+ \(/);
    // A tab keeps the filter; a name narrows it.
    await page.getByTestId('worklist-tab-upcoming').click();
    await page.waitForURL((url) => url.hash.includes('status=upcoming') && url.hash.includes('program=hypertension'));
    await page.getByTestId('worklist-tab-all').click();
    await page.waitForURL((url) => !url.hash.includes('status=') && url.hash.includes('program=hypertension'));
    // the list drawn again for the tab (not the old one about to go: typing there is lost)
    await page.locator('[data-testid=worklist-tab-all][aria-selected=true]').waitFor();
    await page.getByTestId('task-row').first().waitFor();
    const name = (await page.getByTestId('task-resident').first().textContent()).trim();
    await page.getByTestId('worklist-search').fill(name);
    await page.getByTestId('worklist-search').press('Enter');
    await page.waitForURL((url) => url.hash.includes('q='));
    await page.getByTestId('task-resident').filter({ hasText: name }).first().waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=worklist-search]')?.value !== '');
    const names = await page.getByTestId('task-resident').allTextContents();
    assert.ok(names.length > 0 && names.every((n) => n.includes(name)), names.join(','));
    if (viewport === PHONE) await noSideways(page, 'outreach work list at 375 px');
    await shoot(page, viewport === PHONE ? 'worklist-outreach-phone' : 'worklist-outreach-desktop');
    await closePage(page);
  }
});

test('each role lands on its own home: the commission and a centre on their dashboards, a doctor on residents', { timeout: 30000 }, async () => {
  for (const [username, hash, scope] of [['county', /#\/dashboard/, 'region:511524'], ['town01', /#\/dashboard/, 'region:511524101'], ['doctor01', /#\/residents$/, null]]) {
    const page = await openPage();
    await login(page, username);
    await page.waitForURL(hash);
    if (scope) {
      await page.getByTestId('dashboard-page').waitFor();
      await page.locator(`[data-testid=dashboard-page][data-scope="${scope}"]`).waitFor();
    }
    await closePage(page);
  }
});
