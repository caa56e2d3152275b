// portal_loop.test.mjs - the resident in the loop (issue 16) on a 360 px phone in headless
// Chromium: a resident logs in with a one-time code read from the file channel (the
// server's default outbox, <db>.outbox.jsonl), reads what the team pushed (the 消息 badge
// counts it, the read receipt clears it), books a home visit, asks the doctor and reads the
// reply, redeems health points (and is told kindly when they do not suffice), answers the
// Wake Forest trust scale one question a screen, and turns on 大字, which stays after a
// reload. Screenshots of every screen go to test-output/e2e/portal-loop-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { makeDemo, startServer, cleanup, idNumber, jiayi, PASSWORD } from '../lib/server.mjs';
import { TODAY, daysAgo } from '../lib/clock.mjs';

const SHOTS = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'test-output', 'e2e');
const PHONE = { width: 360, height: 740 };
const MOBILE = '13912345678';

let demo, s, browser, page, me, doctor, team, gp;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  demo = makeDemo({ residents: 0, name: 'portal-loop' });
  s = await startServer(demo.db);
  doctor = await s.login('doctor01');
  const session = (await s.request('GET', '/api/v1/session', { token: doctor })).json.user;
  team = session.teams[0];
  gp = session.staff_id;
  // A woman of 72 in doctor01's village, signed with the team, her record opened to her.
  const r = await s.request('POST', '/api/v1/residents', {
    token: doctor, body: { name: '李桂兰', id_number: idNumber('1954-02-02', 311), region: '51152410100101', phone: MOBILE },
  });
  assert.equal(r.status, 201, r.text);
  me = r.json;
  const c = await s.request('POST', '/api/v1/contracts', {
    token: doctor, body: { resident_id: me.id, team_id: team, doctor_id: gp, packages: ['BASIC'], start_date: daysAgo(200), channel: 'clinic' },
  });
  assert.equal(c.status, 201, c.text);
  assert.equal((await s.request('PUT', `/api/v1/residents/${me.id}/record`, { token: doctor, body: { opened_to_resident: true, consent_date: TODAY } })).status, 200);
  jiayi(['user', 'add', '--db', demo.db, '--username', 'ligl', '--role', 'resident', '--name', '李桂兰', '--resident', String(me.id), '--password', PASSWORD]);

  // Points: 50 for a follow-up attended, 2 for reading what the team sent; a follow-up recorded; an item for 30 with stock.
  const county = await s.login('county');
  const rules = await s.request('PUT', '/api/v1/points/rules', { token: county, body: { items: [{ event: 'followup_attended', points: 50 }, { event: 'content_read', points: 2 }] } });
  assert.equal(rules.status, 200, rules.text);
  assert.equal((await s.request('POST', '/api/v1/enrolments', { token: doctor, body: { resident_id: me.id, program: 'hypertension', start_date: daysAgo(100) } })).status, 201);
  const f = await s.request('POST', '/api/v1/followups', { token: doctor, body: { resident_id: me.id, program: 'hypertension', visit_date: daysAgo(3), sbp: 136, dbp: 84 } });
  assert.equal(f.status, 201, f.text);
  const admin = await s.login('admin');
  const item = await s.request('POST', '/api/v1/points/catalogue', { token: admin, body: { name: '血压计一台', kind: 'goods', cost: 30, stock: 5, county_code: '511524' } });
  assert.equal(item.status, 201, item.text);

  // The team pushes an article to its signed residents.
  const pushed = await s.request('POST', `/api/v1/teams/${team}/content`, {
    token: doctor, body: { kind: 'article', title: '冬季高血压注意事项', body: '天冷血管收缩，血压容易升高。\n每天早晚各量一次血压，按时吃药。' },
  });
  assert.equal(pushed.status, 201, pushed.text);
  assert.ok(pushed.json.recipients >= 1, pushed.text);

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  page.setDefaultTimeout(8000);
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(error.message));
});

after(async () => {
  if (browser) await browser.close();
  if (s) await s.stop();
  if (demo) cleanup(demo.dir);
});

async function settle() {
  await page.locator('main .loading').waitFor({ state: 'detached' });
  await page.evaluate(() => document.fonts.ready);
}

async function shoot(name) {
  await settle();
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= width, `${name}: the page is ${scroll}px wide in a ${width}px window`);
  const height = await page.evaluate(() => Math.ceil(document.documentElement.scrollHeight));
  if (height > PHONE.height) await page.setViewportSize({ width: PHONE.width, height });
  await page.screenshot({ path: path.join(SHOTS, `portal-loop-${name}.png`) });
  if (height > PHONE.height) await page.setViewportSize(PHONE);
}

/* The newest one-time code the file channel wrote for the phone. */
async function codeFor(phone) {
  const file = demo.outbox;
  for (let i = 0; i < 100; i++) {
    if (existsSync(file)) {
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const otp = lines.filter((m) => m.kind === 'otp' && m.to === phone).pop();
      const code = otp && /\b(\d{6})\b/.exec(`${otp.body} ${otp.subject || ''}`);
      if (code) return code[1];
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`no code for ${phone} in ${file}`);
}

test('a resident on a phone: code login, pushed content, a home visit, a question, points, the trust scale, 大字', { timeout: 60000 }, async () => {
  // 验证码登录: the phone, a code from the file channel, in.
  await page.goto(`${s.base}/#/login`);
  await page.getByTestId('login-tab-code').click();
  await page.getByTestId('code-phone').fill(MOBILE);
  await page.getByTestId('code-ask').click();
  await page.getByTestId('code-sent').getByText(MOBILE).waitFor();
  assert.equal(await page.getByTestId('code-ask').isDisabled(), true, 'a new code waits for the countdown');
  const code = await codeFor(MOBILE);
  await page.getByTestId('code-code').fill(code);
  await shoot('login-code');
  await page.getByTestId('code-submit').click();
  await page.waitForURL(new RegExp(`#/residents/${me.id}$`));
  await page.getByTestId('portal-card-next').waitFor();
  await page.getByTestId('nav-unread').getByText('1').waitFor();
  await shoot('home');

  // 消息: the article, unread, then read (the receipt clears the badge).
  await page.getByTestId('nav-portal-messages').click();
  const item = page.getByTestId('portal-message').first();
  await item.waitFor();
  assert.equal(await item.getAttribute('data-read'), 'false');
  await shoot('messages');
  await item.click();
  await page.getByTestId('portal-article').getByText('每天早晚各量一次血压').waitFor();
  await shoot('message');
  await page.getByTestId('nav-unread').waitFor({ state: 'detached' });
  const content = await s.request('GET', `/api/v1/teams/${team}/content`, { token: doctor });
  assert.equal(content.json.items[0].read, 1, 'the team sees the read receipt');

  // 预约: a home visit, the afternoon.
  await page.getByTestId('nav-portal-visits').click();
  await page.getByTestId('visit-kind-home').click();
  await page.getByTestId('visit-time-pm').click();
  await page.getByTestId('visit-reason').fill('腿脚不方便，想请医生上门量血压');
  await page.getByTestId('visit-submit').click();
  const visit = page.locator('[data-testid=visit-item][data-kind=home][data-status=requested]');
  await visit.waitFor();
  assert.match(await visit.textContent(), /下午/);
  await shoot('visits');
  const asked = await s.request('GET', `/api/v1/residents/${me.id}/visit-requests`, { token: doctor });
  assert.equal(asked.json.items.filter((v) => v.kind === 'home' && v.preferred_time === 'pm').length, 1);

  // 咨询 (from 我的): a question, the doctor's reply on the thread.
  await page.getByTestId('nav-portal-me').click();
  await shoot('me');
  await page.getByTestId('portal-me-consult').click();
  await page.getByTestId('consult-subject').fill('降压药');
  await page.getByTestId('consult-body').fill('早上忘了吃降压药，中午补吃可以吗？');
  await page.getByTestId('consult-submit').click();
  await page.getByTestId('consult-thread').waitFor();
  const cid = Number(page.url().match(/consult\/(\d+)$/)[1]);
  const reply = await s.request('POST', `/api/v1/consultations/${cid}/messages`, { token: doctor, body: { body: '可以补吃，下午不要再吃第二次。' } });
  assert.equal(reply.status, 201, reply.text);
  await page.reload();
  await page.locator('[data-testid=consult-message][data-from=team]').getByText('可以补吃').waitFor();
  await shoot('consultation');

  // 积分: 50 + 2 earned (the follow-up, the article read), a blood-pressure monitor for 30,
  // then not enough for a second.
  await page.getByTestId('nav-portal-points').click();
  await page.getByTestId('points-balance').getByText('52').waitFor();
  await shoot('points');
  await page.getByTestId('points-redeem').first().click();
  await page.getByTestId('redeem-dialog').getByTestId('dialog-submit').click();
  await page.getByTestId('points-balance').getByText('22').waitFor();
  await page.getByTestId('points-redeem').first().click();
  await page.getByTestId('redeem-dialog').getByTestId('dialog-submit').click();
  await page.getByTestId('redeem-dialog').getByText('您的积分还不够兑换这一项').waitFor();
  await shoot('points-short');
  await page.getByTestId('redeem-dialog').getByTestId('dialog-cancel').click();
  assert.equal((await s.request('GET', `/api/v1/residents/${me.id}/points`, { token: doctor })).json.balance, 22);

  // 问卷: the Wake Forest trust scale, one question a screen, answers in words.
  await page.getByTestId('nav-portal-me').click();
  await page.getByTestId('portal-me-surveys').click();
  await page.locator('[data-testid=survey-open][data-code=wake_forest_trust_10]').click();
  await page.getByTestId('survey-question').waitFor();
  await shoot('survey-question');
  for (let i = 0; i < 10; i++) {
    const n = await page.getByTestId('survey-question').getAttribute('data-n');
    await page.locator('[data-testid=survey-answer][data-value="4"]').getByText('同意').click();
    if (i < 9) await page.locator(`[data-testid=survey-question]:not([data-n="${n}"])`).waitFor();
  }
  await page.getByTestId('survey-review').waitFor();
  await page.getByTestId('survey-submit').click();
  await page.getByTestId('survey-done').waitFor();
  await shoot('survey-done');
  const surveys = await s.request('GET', `/api/v1/residents/${me.id}/surveys`, { token: doctor });
  assert.ok(surveys.json.answered.some((a) => a.questionnaire === 'wake_forest_trust_10' && a.channel === 'portal'), surveys.text);

  // 签约: what is left of the contract.
  await page.goto(`${s.base}/#/portal/${me.id}/contract`);
  await page.getByTestId('portal-entitlement').first().waitFor();
  await shoot('contract');

  // 大字: every text larger, remembered after a reload.
  await page.goto(`${s.base}/#/residents/${me.id}`);
  await page.getByTestId('portal-card-next').waitFor();
  const before = await page.getByTestId('resident-name').boundingBox();
  await page.getByTestId('large-text-switch').click();
  await page.locator('html.large-text').waitFor({ state: 'attached' });
  await page.reload();
  await page.getByTestId('portal-card-next').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large-text')), true, '大字 is remembered');
  const larger = await page.getByTestId('resident-name').boundingBox();
  assert.ok(larger.height > before.height * 1.15, `the title grew from ${before.height} to ${larger.height}px`);
  await shoot('home-large');
  assert.deepEqual(page.errors, [], 'the page threw no script errors');
});
