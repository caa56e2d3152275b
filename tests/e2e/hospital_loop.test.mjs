// hospital_loop.test.mjs - the hospital in the loop in the browser (issue 15), both sides:
// a family doctor books a released specialist slot for a signed resident (a taken slot and an
// unsigned resident answered at their fields) and sees it on the resident page; refers up
// with the summary of the record; the county hospital's referral office (hospital01) lands on
// its incoming referrals, accepts, records the visit and returns the patient with a plan; the
// doctor sees the return on #/referrals and closes it. A long prescription is refused with its
// reasons for an uncontrolled patient and issued for a controlled one; the office edits its
// slot release rule. Desk and 375 px, and one pass in English.
//
// Run from the repository root:  node --test tests/e2e/hospital_loop.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { useCounty, base, DESK, PHONE, PASSWORD, openPage, closePage, shoot, noSideways, login, switchLanguage } from '../lib/browser.mjs';
import { idNumber } from '../lib/server.mjs';
import { daysAgo, daysAhead } from '../lib/clock.mjs';

useCounty({ residents: 0, seed: 1, name: 'hospital-loop' });

const CELL = '51152410100101';
const DAY = daysAhead(16); // inside the family doctors' window, before the public's
const tokens = {};
async function call(who, method, path, body) {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${tokens[who]}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  const json = await r.json();
  assert.ok(r.ok, `${method} ${path}: ${JSON.stringify(json)}`);
  return json;
}
const token = async (username) => (await (await fetch(`${base}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username, password: PASSWORD }) })).json()).token;

let hospital, slotA, slotB, slotC, A, B, C, referralId;
let seq = 0;
async function resident(name, { signed = true, sbp, adherence } = {}) {
  const me = (await call('doctor', 'GET', '/api/v1/session')).user;
  const p = await call('doctor', 'POST', '/api/v1/residents', { name, id_number: idNumber('1958-04-04', 431 + 2 * seq++), region: CELL });
  if (signed) await call('doctor', 'POST', '/api/v1/contracts', { resident_id: p.id, team_id: me.teams[0], doctor_id: me.staff_id, packages: ['BASIC'], start_date: daysAgo(30), channel: 'clinic' });
  if (sbp) {
    await call('doctor', 'POST', '/api/v1/enrolments', { resident_id: p.id, program: 'hypertension', start_date: daysAgo(300) });
    await call('doctor', 'POST', '/api/v1/followups', { resident_id: p.id, program: 'hypertension', visit_date: daysAgo(10), sbp, dbp: sbp > 140 ? 98 : 80, medication_adherence: adherence, medications: [{ name: '氨氯地平片', dose: '5mg qd' }] });
  }
  return { id: p.id, name };
}
// A one-place session of the county hospital's cardiology, published by its office.
async function slot(start) {
  const s = await call('hospital', 'POST', `/api/v1/hospitals/${hospital}/schedules`, { department: 'cardiology', doctor_name: '罗建华', date: DAY, start, end: start.replace(':00', ':15'), slot_minutes: 15, capacity: 1 });
  return s.slots[0].id;
}

// The fixtures, once, when the first test starts (the server is up by then).
let ready = null;
const setup = () => (ready ||= (async () => {
  tokens.doctor = await token('doctor01');
  tokens.hospital = await token('hospital01');
  hospital = (await call('hospital', 'GET', '/api/v1/session')).user.institution_id;
  assert.ok(hospital, 'the session names the desk\'s hospital');
  [slotA, slotB, slotC] = [await slot('07:00'), await slot('08:00'), await slot('06:00')];
  A = await resident('转诊甲', { sbp: 128, adherence: 'regular' });
  B = await resident('控制差乙', { sbp: 166 });
  C = await resident('未签约丙', { signed: false });
})());

const slotsUrl = (who) => `${base}/#/slots?resident=${who.id}&hospital=${hospital}&department=cardiology&from=${DAY}&to=${DAY}`;
const row = (page, id) => page.locator(`[data-testid=slot-row][data-id="${id}"]`);

test('the doctor books, refers up; the hospital accepts, sees and returns; the doctor closes the return', { timeout: 60000 }, async () => {
  await setup();
  const page = await openPage(DESK);
  await login(page, 'doctor01');

  // A slot taken while the list was on screen: slot_taken at the slot, the list refreshed.
  await page.goto(slotsUrl(B));
  await row(page, slotB).waitFor();
  await call('doctor', 'POST', '/api/v1/bookings', { slot_id: slotB, resident_id: A.id });
  await row(page, slotB).getByTestId('slot-book').click();
  await page.getByTestId('book-dialog').getByTestId('dialog-submit').click();
  await page.getByTestId('error-slot_id').waitFor();
  assert.match(await page.getByTestId('error-slot_id').textContent(), /约满/);
  await page.getByTestId('dialog-cancel').click();
  await row(page, slotB).waitFor({ state: 'detached' }); // the list, refreshed, no longer offers it

  // An unsigned resident: not_signed at the resident.
  await page.goto(slotsUrl(C));
  await row(page, slotA).getByTestId('slot-book').click();
  await page.getByTestId('book-dialog').getByTestId('dialog-submit').click();
  await page.getByTestId('error-resident_id').waitFor();
  await page.getByTestId('dialog-cancel').click();

  // From the resident page: 预约专家号, the filters in the address, book.
  await page.goto(`${base}/#/residents/${A.id}`);
  await page.getByTestId('book-slot').click();
  await page.getByTestId('slots-for').waitFor();
  await page.getByTestId('slots-hospital').selectOption(String(hospital));
  await page.waitForURL(/hospital=/);
  await page.getByTestId('slots-department').selectOption('cardiology');
  await page.waitForURL(/department=cardiology/);
  await page.getByTestId('slots-from').fill(DAY);
  await page.getByTestId('slots-to').fill(DAY);
  await page.getByTestId('slots-search').click();
  await page.waitForURL(new RegExp(`to=${DAY}`));
  await row(page, slotA).waitFor();
  assert.equal(await row(page, slotA).getAttribute('data-kind'), 'family_doctors');
  await noSideways(page, 'slot finder');
  await shoot(page, 'hospital-slots-desktop');
  await row(page, slotA).getByTestId('slot-book').click();
  await page.getByTestId('book-resident-name').getByText(A.name).waitFor();
  await page.getByTestId('book-dialog').getByTestId('dialog-submit').click();
  await page.waitForURL(new RegExp(`#/residents/${A.id}$`));
  const booking = page.getByTestId('booking-item').filter({ hasText: '07:00' });
  await booking.waitFor();
  assert.equal(await booking.getAttribute('data-status'), 'booked');

  // Reschedule: the slot finder for this booking; the old one is cancelled.
  await booking.getByTestId('booking-reschedule').click();
  await page.getByTestId('slots-for').getByText('改约').waitFor();
  await page.getByTestId('slots-from').fill(DAY);
  await page.getByTestId('slots-to').fill(DAY);
  await page.getByTestId('slots-search').click();
  await row(page, slotC).getByTestId('slot-book').click();
  await page.getByTestId('book-dialog').getByTestId('dialog-submit').click();
  await page.waitForURL(new RegExp(`#/residents/${A.id}$`));
  await page.getByTestId('booking-item').filter({ hasText: '06:00' }).waitFor();
  assert.equal(await page.getByTestId('booking-item').filter({ hasText: '07:00' }).getAttribute('data-status'), 'cancelled');

  // Refer up with the summary shown before it goes.
  await page.getByTestId('refer-up').click();
  const dialog = page.getByTestId('refer-dialog');
  await dialog.waitFor();
  await page.getByTestId('refer-category').selectOption('treatment_adjustment');
  await page.getByTestId('refer-reasons').getByText('控制不满意').click();
  await page.getByTestId('refer-hospital').selectOption(String(hospital));
  await page.locator('[data-testid=refer-department] option[value=cardiology]').waitFor({ state: 'attached' });
  await page.getByTestId('refer-department').selectOption('cardiology');
  await dialog.getByTestId('summary-followups').getByText('128/80').waitFor();
  await shoot(page, 'hospital-refer-desktop', { full: false });
  await dialog.getByTestId('dialog-submit').click();
  await page.getByTestId('tracked-referral').first().waitFor();
  referralId = Number(await page.getByTestId('tracked-referral').first().getAttribute('data-id'));
  await shoot(page, 'hospital-resident-desktop');

  // The hospital's referral office: lands on its incoming referrals, moves it along.
  const desk = await openPage(DESK);
  await login(desk, 'hospital01');
  await desk.waitForURL(/#\/referrals$/);
  assert.equal(await desk.getByTestId('nav-residents').count(), 0, 'no resident search for a hospital desk');
  await desk.getByTestId('nav-release-rules').waitFor();
  const incoming = desk.locator('[data-testid=referral-row]', { hasText: A.name });
  await incoming.waitFor();
  assert.match(await incoming.textContent(), /待接收/);
  await shoot(desk, 'hospital-incoming-desktop');
  await incoming.getByTestId('referral-link').click();
  await desk.getByTestId('referral-page').waitFor();
  await desk.getByTestId('card-summary').getByText('128/80').waitFor();
  await desk.getByTestId('ref-accept').click();
  await desk.locator('[data-testid=referral-page][data-status=accepted]').waitFor();
  await desk.getByTestId('ref-seen').click();
  await desk.getByTestId('seen-dialog').getByTestId('dialog-submit').click();
  await desk.locator('[data-testid=referral-page][data-status=seen]').waitFor();
  await desk.getByTestId('ref-return').click();
  await desk.getByTestId('return-dialog').getByTestId('dialog-submit').click();
  await desk.getByTestId('error-summary').waitFor(); // required, at the field
  await desk.getByTestId('return-summary').fill('冠脉CTA未见明显狭窄，血压波动与用药不规律有关');
  await desk.getByTestId('return-plan-input').fill('氨氯地平 5mg 每日一次；两周后社区复测血压');
  await desk.getByTestId('return-dialog').getByTestId('dialog-submit').click();
  await desk.locator('[data-testid=referral-page][data-status=returned]').waitFor();
  assert.equal(await desk.getByTestId('referral-event').count(), 4, 'sent, accepted, seen, returned');
  await noSideways(desk, 'referral page');
  await shoot(desk, 'hospital-referral-desktop');
  await closePage(desk);

  // The doctor sees the return with its plan and closes it.
  await page.goto(`${base}/#/referrals`);
  const ret = page.locator(`[data-testid=return-item][data-id="${referralId}"]`);
  await ret.getByTestId('return-plan').getByText('两周后社区复测血压').waitFor();
  await shoot(page, 'hospital-returns-desktop');
  await ret.getByTestId('return-close').click();
  await page.getByTestId('close-dialog').getByTestId('dialog-submit').click();
  await page.getByTestId('returns-empty').waitFor();
  const closed = await call('doctor', 'GET', `/api/v1/referrals/${referralId}`);
  assert.equal(closed.status, 'closed');
  await closePage(page);
});

test('a long prescription: refused with reasons for an uncontrolled patient, issued for a controlled one', { timeout: 40000 }, async () => {
  await setup();
  const page = await openPage(DESK);
  await login(page, 'doctor01');
  await page.goto(`${base}/#/residents/${B.id}`);
  await page.getByTestId('prescribe').click();
  await page.getByTestId('rx-kind').selectOption('long');
  await page.locator('[data-testid=rx-verdict][data-allowed=false]').waitFor();
  await page.locator('[data-testid=rx-reason][data-code=not_controlled]').waitFor();
  await page.getByTestId('rx-drug-q').fill('氨氯地平');
  await page.getByTestId('rx-drug-option').first().click();
  await page.getByTestId('rx-dialog').getByTestId('dialog-submit').click();
  await page.getByTestId('error-program').waitFor();
  await shoot(page, 'hospital-rx-refused-desktop', { full: false });
  await page.getByTestId('dialog-cancel').click();

  await page.goto(`${base}/#/residents/${A.id}`);
  await page.getByTestId('prescribe').click();
  await page.getByTestId('rx-kind').selectOption('long');
  await page.locator('[data-testid=rx-verdict][data-allowed=true]').waitFor();
  await page.getByTestId('rx-drug-q').fill('aldp');
  await page.getByTestId('rx-drug-option').first().click();
  assert.ok(await page.getByTestId('rx-dose').inputValue(), 'the dose comes from the strength');
  await shoot(page, 'hospital-rx-long-desktop', { full: false });
  await page.getByTestId('rx-dialog').getByTestId('dialog-submit').click();
  const rx = page.locator('[data-testid=rx-row][data-kind=long]');
  await rx.waitFor();
  assert.match(await rx.textContent(), /28 天/);

  // The next follow-up names the prescribed medicine instead of typing it.
  await page.goto(`${base}/#/residents/${A.id}/followup/hypertension`);
  await page.getByTestId('fu-sbp').fill('126');
  await page.getByTestId('fu-dbp').fill('78');
  const med = page.getByTestId('fu-med').first();
  await med.getByTestId('fu-med-rx').selectOption({ index: 1 });
  assert.match(await med.getByTestId('fu-med-name').inputValue(), /氨氯地平/);
  assert.equal(await med.getByTestId('fu-med-name').getAttribute('readonly'), '');
  await page.getByTestId('fu-adherence').selectOption('regular');
  await page.getByTestId('fu-submit').click();
  await page.waitForURL(`**/#/residents/${A.id}`);
  const [latest] = (await call('doctor', 'GET', `/api/v1/residents/${A.id}/followups?program=hypertension`)).items;
  const items = (await call('doctor', 'GET', `/api/v1/residents/${A.id}/prescriptions`)).items.flatMap((p) => p.items);
  assert.ok(items.some((item) => item.id === latest.medications[0].prescription_item_id), JSON.stringify(latest.medications));
  await closePage(page);
});

test('the referral office edits its release rule: a plain preview, errors at the field', { timeout: 30000 }, async () => {
  await setup();
  const page = await openPage(DESK);
  await login(page, 'hospital01');
  await page.getByTestId('nav-release-rules').click();
  await page.getByTestId('release-page').waitFor();
  await page.getByTestId('rule-hospital-share').fill('20');
  await page.getByTestId('rule-hospital-family-days').fill('14');
  await page.getByTestId('rule-hospital-public-days').fill('7');
  assert.match(await page.getByTestId('rule-hospital-preview').textContent(), /20% 的号源.*早 7 天/);
  // Family doctors may not book later than the public: refused at the field.
  await page.getByTestId('rule-hospital-family-days').fill('5');
  await page.getByTestId('rules-save').click();
  await page.locator('[data-field=family_lead_days].field-invalid').waitFor();
  await page.getByTestId('rule-hospital-family-days').fill('14');
  await page.getByTestId('rules-save').click();
  await page.getByTestId('toast').filter({ hasText: '已保存' }).waitFor();
  const rules = await call('hospital', 'GET', `/api/v1/hospitals/${hospital}/release-rules`);
  assert.deepEqual([rules.rule.family_share, rules.rule.family_lead_days, rules.rule.public_lead_days], [20, 14, 7]);
  await noSideways(page, 'release rules');
  await shoot(page, 'hospital-release-desktop');
  await closePage(page);
});

test('at 375 px both sides fit, and the desk reads in English', { timeout: 50000 }, async () => {
  await setup();
  const page = await openPage(PHONE);
  await login(page, 'doctor01');
  for (const [url, testid, shot] of [
    [slotsUrl(B), 'slots-page', 'hospital-slots-phone'],
    [`${base}/#/residents/${A.id}`, 'card-prescriptions', 'hospital-resident-phone'],
    [`${base}/#/referrals`, 'referrals-page', 'hospital-referrals-phone'],
    [`${base}/#/referrals/${referralId}`, 'referral-page', 'hospital-referral-doctor-phone'],
  ]) {
    await page.goto(url);
    await page.getByTestId(testid).waitFor();
    await page.locator('main .loading').waitFor({ state: 'detached' });
    await noSideways(page, testid);
    await shoot(page, shot);
  }
  await page.goto(`${base}/#/residents/${A.id}`);
  await page.getByTestId('prescribe').click();
  await page.getByTestId('rx-kind').selectOption('extended');
  await page.getByTestId('rx-extended').waitFor();
  await noSideways(page, 'prescription form');
  await shoot(page, 'hospital-rx-extended-phone', { full: false });
  await page.getByTestId('dialog-cancel').click();
  await closePage(page);

  const desk = await openPage(PHONE);
  await login(desk, 'hospital01');
  await desk.waitForURL(/#\/referrals$/);
  await desk.getByTestId('ref-tab-returned').click();
  await desk.locator('[data-testid=referral-row]', { hasText: A.name }).waitFor({ state: 'detached' }); // closed, not returned
  await desk.getByTestId('ref-tab-closed').click();
  await desk.locator('[data-testid=referral-row]', { hasText: A.name }).waitFor();
  await noSideways(desk, 'incoming at 375');
  await shoot(desk, 'hospital-incoming-phone');
  await switchLanguage(desk, 'en');
  await desk.getByTestId('page-title').getByText('Referral desk').waitFor();
  assert.match(await desk.getByTestId('user-role').textContent(), /Referral office/);
  await shoot(desk, 'hospital-incoming-en-phone');
  await desk.goto(`${base}/#/hospital/release-rules`);
  await desk.getByTestId('release-page').waitFor();
  assert.match(await desk.getByTestId('rule-hospital-preview').textContent(), /20% of slots, 7 days before the public/);
  await noSideways(desk, 'release rules at 375');
  await shoot(desk, 'hospital-release-en-phone');
  await closePage(desk);
});
