// grid_admin.test.mjs - a county keeps its grid and its teams from the browser (issue 14), at
// desk width and on a 375 px phone: the centre admin of township 511524101 adds a village and
// a grid cell (a bad code is refused at the code field), moves a household into the new cell,
// registers a health hut (a duplicate code is refused at the field), creates a team (no
// institution: refused at that field), and on a team's page sets a member's cap (a negative
// cap refused at the field), adds a new staff member and a grid cell. A doctor gets neither
// the navigation item nor the screen. Screenshots under test-output/e2e/grid-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';

useCounty({ residents: 300, seed: 3, name: 'grid' });

async function ready(page) {
  await page.locator('main .loading').waitFor({ state: 'detached' });
}
async function go(page, hash, testid) {
  await page.goto(`${base}/${hash}`);
  await page.getByTestId(testid).waitFor();
  await ready(page);
}
/* The error shown under a field after a refused submit. */
async function fieldError(form, field) {
  const message = form.locator(`[data-testid=field-error][data-field="${field}"]`);
  await message.waitFor({ state: 'visible' });
  assert.equal(await form.locator(`[data-field="${field}"].input, [data-field="${field}"][data-kind]`).first().getAttribute('aria-invalid'), 'true');
  return (await message.textContent()).trim();
}
async function toastSays(page, text) {
  await page.locator('[data-testid=toast]', { hasText: text }).first().waitFor();
}

test('desk: regions, a redraw and institutions on #/grid; team administration on the team page', { timeout: 90000 }, async () => {
  const page = await openPage(DESK);
  await login(page, 'town01');
  const nav = page.getByTestId('nav-grid');
  assert.equal((await nav.textContent()).trim(), '网格维护');
  await nav.click();
  await page.getByTestId('grid-page').waitFor();
  await ready(page);
  assert.equal(await page.getByTestId('grid-page').getAttribute('data-region'), '511524101');
  assert.ok(await page.getByTestId('region-row').count() >= 5, 'the villages of the township');
  assert.equal(await page.getByTestId('card-rename').count(), 0, 'a centre admin does not rename its own township');

  // A village: a malformed code is refused at the code field, then it is added.
  const child = page.getByTestId('child-form');
  await page.getByTestId('child-code').fill('5115241019AB');
  await page.getByTestId('child-name').fill('新村');
  await page.getByTestId('child-form-submit').click();
  assert.match(await fieldError(child, 'code'), /区划代码/);
  await shoot(page, 'grid-township-error-desktop');
  await page.getByTestId('child-code').fill('511524101901');
  await page.getByTestId('child-form-submit').click();
  await toastSays(page, '已新增 新村');
  await page.locator('[data-testid=region-row]', { hasText: '511524101901' }).waitFor();

  // Village 001: a new cell, then one household moved into it.
  await go(page, '#/grid?region=511524101001', 'card-redraw');
  await page.getByTestId('child-code').fill('51152410100191');
  await page.getByTestId('child-name').fill('新划网格');
  await page.getByTestId('child-form-submit').click();
  await page.locator('[data-testid=region-row]', { hasText: '51152410100191' }).waitFor();
  await go(page, '#/grid?region=51152410100191', 'card-redraw');
  assert.match(await page.getByTestId('grid-current').textContent(), /新划网格 · 网格/);
  const redraw = page.getByTestId('redraw-form');
  await page.getByTestId('redraw-form-submit').click();
  assert.match(await fieldError(redraw, 'household_ids'), /缺少/);
  const first = page.getByTestId('redraw-households').locator('input[type=checkbox]').first();
  await first.check();
  await page.getByTestId('redraw-form-submit').click();
  await toastSays(page, '已划入 1 户');
  await ready(page);
  await page.getByTestId('rename-name').fill('新划第一网格');
  await page.getByTestId('rename-form-submit').click();
  await page.locator('[data-testid=grid-current]', { hasText: '新划第一网格' }).waitFor();
  await shoot(page, 'grid-cell-desktop');

  // Institutions of the village: a health hut; a duplicate code is refused at the code field.
  await go(page, '#/grid?region=511524101001', 'card-add-institution');
  const inst = page.getByTestId('inst-form');
  await page.getByTestId('inst-code').fill('V511524101001');
  await page.getByTestId('inst-name').fill('一村健康小屋');
  await page.getByTestId('inst-kind').selectOption('health_hut');
  await page.getByTestId('inst-form-submit').click();
  assert.match(await fieldError(inst, 'code'), /已存在/);
  await page.getByTestId('inst-code').fill('HH511524101001');
  await page.getByTestId('inst-form-submit').click();
  await toastSays(page, '机构已保存');
  const hut = page.locator('[data-testid=inst-row]', { hasText: '一村健康小屋' });
  await hut.waitFor();
  assert.equal((await hut.getByTestId('inst-kind-label').textContent()).trim(), '健康小屋');
  await hut.getByTestId('inst-edit').click();
  await page.getByTestId('inst-edit-form').waitFor();
  await page.getByTestId('inst-edit-form').getByTestId('inst-kind').selectOption('private_hospital');
  await page.getByTestId('inst-edit-form-submit').click();
  await page.locator('[data-testid=inst-row]', { hasText: '民营医院' }).waitFor();
  await shoot(page, 'grid-village-desktop');

  // A new team: without an institution the server's refusal shows at that field.
  await go(page, '#/teams?region=511524101', 'teams-page');
  await page.getByTestId('card-new-team').locator('summary').click();
  await page.getByTestId('new-team-name').fill('梅花新团队');
  await page.getByTestId('new-team-form-submit').click();
  assert.ok((await fieldError(page.getByTestId('new-team-form'), 'institution_id')).length > 0);
  const centre = await page.getByTestId('new-team-institution').locator('option', { hasText: '卫生院' }).first().getAttribute('value');
  await page.getByTestId('new-team-institution').selectOption(centre);
  await page.getByTestId('new-team-form-submit').click();
  await page.waitForURL(/#\/teams\/\d+$/);
  await page.getByTestId('card-team-admin').waitFor();
  await ready(page);

  // The new team: a new GP, who becomes a member; a negative cap refused at the field.
  const staff = page.getByTestId('new-staff-form');
  await page.getByTestId('new-staff-form-submit').click();
  assert.match(await fieldError(staff, 'name'), /缺少/);
  await page.getByTestId('new-staff-name').fill('周医生');
  await page.getByTestId('new-staff-phone').fill('13900000001');
  await page.getByTestId('new-staff-form-submit').click();
  const member = page.locator('[data-testid=admin-member]', { hasText: '周医生' });
  await member.waitFor();
  await member.getByTestId('member-make-doctor').click();
  await page.locator('[data-testid=admin-member]', { hasText: '周医生' }).locator('.badge-ok').waitFor();
  const doc = page.locator('[data-testid=admin-member]', { hasText: '周医生' });
  await doc.getByTestId('member-cap').fill('-3');
  await doc.getByTestId('member-cap-form-submit').click();
  assert.ok((await fieldError(doc.getByTestId('member-cap-form'), 'max_contracts')).length > 0);
  await doc.getByTestId('member-cap').fill('800');
  await doc.getByTestId('member-cap-form-submit').click();
  await page.locator('[data-testid=admin-member]', { hasText: '0 / 800' }).waitFor();

  // The new cell goes to the new team.
  await page.getByTestId('team-cells').locator('label', { hasText: '新划第一网格' }).locator('input').check();
  await page.getByTestId('team-cells-form-submit').click();
  await page.locator('[data-testid=grid-cell-row]', { hasText: '51152410100191' }).waitFor();
  await shoot(page, 'grid-team-admin-desktop');
  await closePage(page);
});

test('phone: the grid, a cell and a team page fit 375 px with the errors at their fields', { timeout: 60000 }, async () => {
  const page = await openPage(PHONE);
  await login(page, 'town01');
  await go(page, '#/grid', 'grid-page');
  await noSideways(page, 'grid at 375 px');
  await page.getByTestId('child-code').fill('1');
  await page.getByTestId('child-name').fill('短码');
  await page.getByTestId('child-form-submit').click();
  await fieldError(page.getByTestId('child-form'), 'code');
  await noSideways(page, 'grid with an error at 375 px');
  await shoot(page, 'grid-township-phone');
  await go(page, '#/grid?region=511524101001', 'card-redraw');
  await noSideways(page, 'village at 375 px');
  await shoot(page, 'grid-village-phone');
  const team = await page.evaluate(async () => (await (await fetch('/api/v1/teams?region=511524101&limit=1')).json()).items[0].id);
  await go(page, `#/teams/${team}`, 'card-team-admin');
  await noSideways(page, 'team administration at 375 px');
  await shoot(page, 'grid-team-admin-phone');
  await page.getByTestId('card-team-admin').scrollIntoViewIfNeeded();
  await shoot(page, 'grid-team-admin-phone-members', { full: false });
  await page.getByTestId('card-team-cells').scrollIntoViewIfNeeded();
  await shoot(page, 'grid-team-admin-phone-cells', { full: false });
  await closePage(page);
});

test('a doctor has no grid maintenance', { timeout: 30000 }, async () => {
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  assert.equal(await page.getByTestId('nav-grid').count(), 0);
  await page.goto(`${base}/#/grid`);
  await ready(page);
  assert.equal(await page.getByTestId('grid-page').count(), 0);
  const team = await page.evaluate(async () => (await (await fetch('/api/v1/session')).json()).user.teams[0]);
  await go(page, `#/teams/${team}`, 'team-page');
  assert.equal(await page.getByTestId('card-team-admin').count(), 0);
  await closePage(page);
});
