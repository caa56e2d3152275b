// record_forms.test.mjs - every resident-side record from a screen (issue 14), in headless
// Chromium at desk width and at 375 px: register a resident (search first; the same ID
// number answered at its field with a link to the existing record; the same name and birth
// date a warning to confirm), edit, enrol and end a programme, record a visit, a referral
// and a satisfaction answer, and record a death and a move. The server's problem+json is
// shown at the field it names, and every save says so. Screenshots: test-output/e2e/forms-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login } from '../lib/browser.mjs';
import { TODAY, addDays } from '../lib/clock.mjs';
import { idNumber } from '../lib/server.mjs';

useCounty({ residents: 150, seed: 14, name: 'record-forms' });

async function call(method, path, token, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}

async function token(username) {
  const r = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  assert.equal(r.status, 200);
  return (await r.json()).token;
}

/* An adult (40-70) visible to doctor01, with the full page (id_number included). */
async function someone(doctor, skip = []) {
  const list = await call('GET', '/residents?limit=200&status=alive', doctor);
  const pick = list.json.items.find((r) => r.age >= 40 && r.age <= 70 && !skip.includes(r.id));
  assert.ok(pick, 'doctor01 sees an adult');
  return (await call('GET', `/residents/${pick.id}`, doctor)).json;
}

async function residentPage(page, id) {
  await page.locator(`[data-testid=resident-page][data-id="${id}"]`).waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
}

const saved = (page, kind) => page.locator(`[data-testid=saved-notice][data-kind=${kind}]`).waitFor();

test('desk: search before register, the duplicate warnings, then every record of the resident page', { timeout: 60000 }, async () => {
  const doctor = await token('doctor01');
  const existing = await someone(doctor);
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents`);
  await page.getByTestId('register-resident').click();
  await page.getByTestId('register-page').waitFor();
  assert.ok(await page.getByTestId('reg-form-card').isHidden(), 'the form waits for a search');

  // 1. The search finds the person already registered: open their record instead.
  await page.getByTestId('reg-search-q').fill(existing.name);
  await page.getByTestId('reg-search').click();
  await page.locator(`[data-testid=match-row][data-id="${existing.id}"]`).waitFor();
  await shoot(page, 'forms-register-search-desktop');

  // 2. Not found: the form, with the name typed in the search.
  await page.getByTestId('reg-search-q').fill('新登记测试人');
  await page.getByTestId('reg-search').click();
  await page.getByTestId('reg-search-none').waitFor();
  await page.getByTestId('reg-new').click();
  assert.equal(await page.getByTestId('reg-name').inputValue(), '新登记测试人');

  // 3. The same ID number: the server's 409 at the ID field, with a link to the record.
  await page.getByTestId('reg-id').fill(existing.id_number);
  await page.getByTestId('reg-phone').fill('13912345678');
  await page.getByTestId('reg-submit').click();
  const idError = page.getByTestId('error-id_number');
  await idError.waitFor();
  assert.match(await idError.textContent(), /该身份证号码已登记/);
  assert.equal(await page.getByTestId('reg-dup-id-link').getAttribute('href'), `#/residents/${existing.id}`);
  assert.equal(await page.getByTestId('save-state').getAttribute('data-state'), 'error');
  assert.equal(await page.locator('[data-field=id_number] .field-label').textContent(), '身份证号 *');
  await shoot(page, 'forms-register-dup-id-desktop');

  // 4. An invalid number: 422 at the same field.
  await page.getByTestId('reg-id').fill('511524198013011234');
  await page.getByTestId('reg-submit').click();
  await page.waitForFunction(() => /身份证号码无效/.test(document.querySelector('[data-testid=error-id_number]').textContent));

  // 5. The same name and birth date: a warning to confirm, then the record.
  const twinId = idNumber(existing.birth_date, 997);
  await page.getByTestId('reg-name').fill(existing.name);
  await page.getByTestId('reg-id').fill(twinId);
  await page.getByTestId('reg-address').fill('一组 18 号');
  await page.getByTestId('reg-submit').click();
  await page.getByTestId('reg-dup-warning').waitFor();
  await page.locator(`[data-testid=reg-dup-warning] [data-testid=match-row][data-id="${existing.id}"]`).waitFor();
  await shoot(page, 'forms-register-dup-name-desktop');
  await page.getByTestId('reg-dup-confirm').check();
  await page.getByTestId('reg-submit').click();
  await page.waitForURL(/#\/residents\/\d+$/);
  const newId = Number(page.url().split('/').pop());
  assert.notEqual(newId, existing.id);
  await residentPage(page, newId);
  const created = (await call('GET', `/residents/${newId}`, doctor)).json;
  assert.deepEqual([created.name, created.phone, created.relation, created.birth_date], [existing.name, '13912345678', 'head', existing.birth_date]);

  // Edit: a bad phone is answered at the phone field, then saved.
  await page.getByTestId('edit-resident').click();
  await page.getByTestId('edit-phone').fill('12ab');
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('error-phone').waitFor();
  assert.match(await page.getByTestId('error-phone').textContent(), /字段取值无效/);
  await shoot(page, 'forms-edit-error-desktop', { full: false });
  await page.getByTestId('edit-phone').fill('13900001111');
  await page.getByTestId('edit-address').fill('二组 3 号');
  await page.getByTestId('dialog-submit').click();
  await saved(page, 'edit');
  assert.equal((await call('GET', `/residents/${newId}`, doctor)).json.phone, '13900001111');

  // Enrol, then end with a date in the future (the server names end_date), then for real.
  await page.getByTestId('enrol').click();
  await page.getByTestId('enrol-program').selectOption('hypertension');
  await page.getByTestId('dialog-submit').click();
  await saved(page, 'enrol');
  await page.locator('[data-testid=program-item][data-program=hypertension]').waitFor();
  await page.getByTestId('end-hypertension').click();
  await page.getByTestId('end-reason').selectOption('excluded');
  await page.getByTestId('end-date').fill(addDays(TODAY, 3));
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('error-end_date').waitFor();
  assert.match(await page.getByTestId('error-end_date').textContent(), /日期/);
  await page.getByTestId('end-date').fill(TODAY);
  await page.getByTestId('dialog-submit').click();
  await saved(page, 'end');
  assert.equal(await page.locator('[data-testid=program-item][data-program=hypertension]').count(), 0);

  // A visit, a referral and a satisfaction answer, each marked saved in place.
  await page.getByTestId('record-encounter').click();
  await page.getByTestId('encounter-institution').selectOption({ index: 1 });
  await page.getByTestId('encounter-program').selectOption('hypertension');
  await page.getByTestId('dialog-submit').click();
  await saved(page, 'encounter');
  await page.locator('[data-testid=encounter-item] [data-testid=new-mark]').waitFor();
  await page.getByTestId('record-referral').click();
  await page.getByTestId('referral-to').selectOption({ index: 1 });
  await page.getByTestId('referral-reason').fill('血压控制不佳');
  await page.getByTestId('dialog-submit').click();
  await saved(page, 'referral');
  await page.locator('[data-testid=referral-item] [data-testid=new-mark]').waitFor();
  await page.getByTestId('record-satisfaction').click();
  await page.getByTestId('satisfaction-score').selectOption('5');
  await page.getByTestId('satisfaction-knows').selectOption('true');
  await page.getByTestId('satisfaction-date').fill(addDays(TODAY, 1));
  await page.getByTestId('dialog-submit').click();
  await page.getByTestId('error-answered_on').waitFor();
  await shoot(page, 'forms-satisfaction-error-desktop', { full: false });
  await page.getByTestId('satisfaction-date').fill(TODAY);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/satisfaction') && r.status() === 201);
  await page.getByTestId('dialog-submit').click();
  await saved(page, 'satisfaction');
  assert.equal((await (await answered).json()).knows_doctor, true, 'the survey asked, and the resident knows the doctor');
  await shoot(page, 'forms-resident-saved-desktop');
  const [enc, ref] = await Promise.all([call('GET', `/residents/${newId}/encounters`, doctor), call('GET', `/residents/${newId}/referrals`, doctor)]);
  assert.equal(enc.json.items.length, 1);
  assert.equal(ref.json.items[0].reason, '血压控制不佳');

  // Death: the record closes; its programmes and tasks end with it.
  await page.getByTestId('status-resident').click();
  await page.getByTestId('status-kind-deceased').check();
  await page.getByTestId('status-date').fill(TODAY);
  await page.getByTestId('dialog-submit').click();
  await saved(page, 'status');
  await page.locator('.resident-sub .status-other').waitFor();
  assert.equal(await page.getByTestId('status-resident').count(), 0, 'nothing more to record on a closed record');
  assert.equal((await call('GET', `/residents/${newId}`, doctor)).json.status, 'deceased');
  await closePage(page);
});

test('phone: register into an existing household, move out of the county, at 375 px', { timeout: 60000 }, async () => {
  const doctor = await token('doctor01');
  const member = await someone(doctor);
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/new`);
  await page.getByTestId('reg-search-q').fill('13700007777');
  await page.getByTestId('reg-search').click();
  await page.getByTestId('reg-new').click();
  assert.equal(await page.getByTestId('reg-phone').inputValue(), '13700007777');
  await page.getByTestId('reg-name').fill('手机登记');
  await page.getByTestId('reg-id').fill(idNumber('1990-06-15', 415));
  await page.getByTestId('reg-household-existing').check();
  await page.getByTestId('reg-household-q').fill(member.name);
  await page.getByTestId('reg-household-search').click();
  await page.locator(`[data-testid=reg-household-pick][data-id="${member.household_id}"]`).first().click();
  await page.getByTestId('reg-relation').selectOption('child');
  await noSideways(page, 'register (phone)');
  await shoot(page, 'forms-register-phone');
  await page.getByTestId('reg-submit').click();
  await page.waitForURL(/#\/residents\/\d+$/);
  const id = Number(page.url().split('/').pop());
  await residentPage(page, id);
  const r = (await call('GET', `/residents/${id}`, doctor)).json;
  assert.deepEqual([r.household_id, r.relation, r.region], [member.household_id, 'child', member.region]);
  await noSideways(page, 'resident page (phone)');

  // The visit form on a phone, then a move out of the county.
  await page.getByTestId('record-encounter').click();
  await page.getByTestId('encounter-dialog').waitFor();
  await noSideways(page, 'visit form (phone)');
  await shoot(page, 'forms-encounter-phone', { full: false });
  await page.getByTestId('dialog-cancel').click();
  await page.getByTestId('status-resident').click();
  await page.getByTestId('status-kind-moved_out').check();
  await shoot(page, 'forms-status-phone', { full: false });
  await page.getByTestId('dialog-submit').click();
  await saved(page, 'status');
  await noSideways(page, 'resident page after the move (phone)');
  await shoot(page, 'forms-moved-phone');
  assert.equal((await call('GET', `/residents/${id}`, doctor)).json.status, 'moved_out');
  await closePage(page);
});
