// The resident's own record (档案开放, issue 12): a resident reads their own follow-ups,
// exams, measurements, schedules and the plain-language summary, and those of household
// members who gave proxy consent, only once that person's record is opened to them (403
// record_not_opened before, and nothing else said); a person outside their household stays
// out_of_scope; writes stay refused; every read is audited. The summary speaks the
// request's language and carries no staff code: no population class, poverty tag, family
// type, engine classification or action, task status, staff note or ID number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, dbSql } from '../lib/server.mjs';
import { TODAY, daysAgo, addDays } from '../lib/clock.mjs';

let demo, s, doctor01, admin, me;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);
const get = (path, token = doctor01, headers = {}) => s.request('GET', `/api/v1${path}`, { token, headers });
const send = (method, path, body, token = doctor01) => s.request(method, `/api/v1${path}`, { token, body });

// The routes a resident may read of a person's record (ACT_RECORD_READ).
const RECORD_ROUTES = (id) => [
  `/residents/${id}/followups`, `/residents/${id}/management`, `/residents/${id}/exams`,
  `/residents/${id}/observations`, `/residents/${id}/schedule/child`, `/residents/${id}/measurements`,
  `/residents/${id}/health-summary`,
];

let seq = 0;
async function register(fields) {
  const r = await send('POST', '/residents', { region: CELL, ...fields, id_number: idNumber(fields.birth, 401 + 2 * seq++) });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const openRecord = (id) => send('PUT', `/residents/${id}/record`, { opened_to_resident: true, consent_date: TODAY });
const closeRecord = (id) => send('PUT', `/residents/${id}/record`, { opened_to_resident: false });

let self, proxy, child, noProxy, other;

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, admin] = await Promise.all(['doctor01', 'admin'].map((u) => s.login(u)));
  // One household: the resident (registered as poor, 建档立卡), a spouse and a baby who
  // consent to being seen by proxy, and a son who does not. Another household down the road.
  self = await register({ name: '赵德明', birth: '1956-03-04', poverty: true });
  const household = self.household_id;
  proxy = await register({ name: '钱玉兰', birth: '1958-07-21', household_id: household, relation: 'spouse', proxy_consent: true });
  child = await register({ name: '赵小宝', birth: daysAgo(100), household_id: household, relation: 'grandchild', proxy_consent: true });
  noProxy = await register({ name: '赵建国', birth: '1984-11-02', household_id: household, relation: 'child' });
  other = await register({ name: '孙志强', birth: '1960-01-15' });

  // The doctor's work on the resident: hypertension and diabetes follow-ups, an exam.
  for (const program of ['hypertension', 'diabetes']) {
    const r = await send('POST', '/enrolments', { resident_id: self.id, program, start_date: daysAgo(400) });
    assert.equal(r.status, 201, r.text);
  }
  const followup = async (body) => {
    const r = await send('POST', '/followups', { resident_id: self.id, ...body });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  await followup({ program: 'diabetes', visit_date: daysAgo(200), fbg: 6.1 }); // controlled: due long ago
  await followup({ program: 'hypertension', visit_date: daysAgo(100), sbp: 132, dbp: 82 });
  await followup({
    program: 'hypertension', visit_date: daysAgo(10), sbp: 156, dbp: 96, note: '家属反映漏服药-仅医生可见',
    medications: [{ name: '氨氯地平', dose: '5mg', frequency: '每日一次' }],
  });
  const csv = `id_number,exam_date,sbp,dbp,tc,ecg\n${idNumber('1956-03-04', 401)},${daysAgo(30)},152,95,6.5,ST段改变\n`;
  const imported = await s.request('POST', '/api/v1/exams/import', { token: doctor01, raw: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(imported.status, 200, imported.text);
  assert.equal(imported.json.accepted, 1, imported.text);

  // resident01 becomes the resident (a --residents 0 county has no residents of its own).
  sqlite(`UPDATE users SET resident_id = ${self.id} WHERE username = 'resident01'`);
  me = await s.login('resident01');
});
after(async () => {
  const code = await s.stop();
  assert.equal(code, 0, `the server stopped cleanly (no sanitizer report):\n${s.log().slice(-4000)}`);
  cleanup(demo.dir);
});

const problem = (r, status, code, what) => {
  assert.equal(r.status, status, `${what}: ${r.text}`);
  assert.equal(r.json.code, code, `${what}: ${r.text}`);
  // A refusal says why and nothing else.
  for (const key of Object.keys(r.json)) assert.ok(['type', 'title', 'status', 'code', 'detail', 'field'].includes(key), `${what}: ${key}`);
};

test('while the record is not opened: 403 record_not_opened on every record route, the basic page still readable', async () => {
  for (const path of RECORD_ROUTES(self.id)) problem(await get(path, me), 403, 'record_not_opened', path);
  const english = await get(`/residents/${self.id}/health-summary`, me, { 'Accept-Language': 'en' });
  problem(english, 403, 'record_not_opened', 'en');
  assert.match(english.json.detail, /not been opened to you/);
  const page = await get(`/residents/${self.id}`, me);
  assert.equal(page.status, 200, page.text);
  assert.equal(page.json.record.opened_to_resident, false);
  // Staff behaviour is unchanged: the doctor reads a record that is not opened.
  for (const path of RECORD_ROUTES(self.id)) {
    const r = await get(path);
    assert.ok(r.status === 200 || (path.endsWith('/schedule/child') && r.status === 422), `${path} as doctor01: ${r.status} ${r.text}`);
  }
});

test('once the doctor opens it, the resident reads every record route; closing it shuts them again', async () => {
  const opened = await openRecord(self.id);
  assert.equal(opened.status, 200, opened.text);
  for (const path of RECORD_ROUTES(self.id)) {
    const r = await get(path, me);
    if (path.endsWith('/schedule/child')) problem(r, 422, 'not_eligible', path); // past the scope check: not a child
    else assert.equal(r.status, 200, `${path}: ${r.text}`);
  }
  const followups = (await get(`/residents/${self.id}/followups`, me)).json.items;
  assert.equal(followups.length, 3);
  assert.equal((await get(`/residents/${self.id}/exams`, me)).json.items.length, 1);
  assert.equal((await closeRecord(self.id)).status, 200);
  problem(await get(`/residents/${self.id}/health-summary`, me), 403, 'record_not_opened', 'closed again');
  assert.equal((await openRecord(self.id)).status, 200);
});

test('household members: a proxy-consenting one once opened, a non-consenting one never, another household never', async () => {
  problem(await get(`/residents/${proxy.id}/followups`, me), 403, 'record_not_opened', 'proxy, not opened');
  assert.equal((await openRecord(proxy.id)).status, 200);
  for (const path of RECORD_ROUTES(proxy.id)) {
    const r = await get(path, me);
    assert.ok(r.status === 200 || (path.endsWith('/schedule/child') && r.status === 422), `${path}: ${r.status} ${r.text}`);
  }
  // No consent: out of scope, opened or not.
  assert.equal((await openRecord(noProxy.id)).status, 200);
  for (const path of RECORD_ROUTES(noProxy.id)) problem(await get(path, me), 403, 'out_of_scope', path);
  problem(await get(`/residents/${noProxy.id}`, me), 403, 'out_of_scope', 'basic page');
  // Another household: out of scope, and the opened record changes nothing.
  assert.equal((await openRecord(other.id)).status, 200);
  for (const path of RECORD_ROUTES(other.id)) problem(await get(path, me), 403, 'out_of_scope', path);
  problem(await get('/residents/999999/health-summary', me), 404, 'not_found', 'unknown person');
  // The household as the resident sees it: the consenting members only, no staff labels.
  const house = await get(`/households/${self.household_id}`, me);
  assert.equal(house.status, 200, house.text);
  assert.deepEqual(house.json.members.map((m) => m.id).sort(), [self.id, proxy.id, child.id].sort());
  assert.equal(house.json.family_type, undefined);
  assert.equal(house.json.census_visits, undefined);
  assert.ok(house.json.members.every((m) => m.population_class === undefined));
  const mine = await get(`/residents/${self.id}`, me);
  assert.equal(mine.json.poverty, undefined, 'no 建档立卡 tag for the resident');
  assert.equal((await get(`/residents/${self.id}`, doctor01)).json.poverty, true, 'the team still sees it');
});

test('the summary in plain Chinese: programmes, results as sentences, what is due, exam findings, trends', async () => {
  const r = await get(`/residents/${self.id}/health-summary`, me);
  assert.equal(r.status, 200, r.text);
  const h = r.json;
  assert.equal(h.language, 'zh-CN');
  assert.equal(h.name, '赵德明');
  assert.equal(h.as_of, TODAY);
  assert.deepEqual(h.programmes.map((p) => p.name), ['高血压健康管理', '糖尿病健康管理']);

  // Follow-ups newest first, each result a sentence; the medicines as lines.
  const [latest, earlier, diabetes] = h.followups;
  assert.equal(latest.date, daysAgo(10));
  assert.equal(latest.title, '高血压随访');
  assert.equal(latest.result, '血压偏高，医生调整了用药，请两周内复查');
  assert.equal(latest.tone, 'attention');
  assert.deepEqual([latest.sbp, latest.dbp], [156, 96]);
  assert.deepEqual(latest.medicines, ['氨氯地平 5mg 每日一次']);
  assert.equal(earlier.result, '血压控制良好，请继续按医嘱服药');
  assert.equal(earlier.tone, 'good');
  assert.equal(diabetes.title, '糖尿病随访');
  assert.equal(diabetes.result, '血糖控制良好，请继续按医嘱服药');

  // What is due: the hypertension recheck in two weeks (due now), the diabetes one long past.
  const recheck = h.next_steps.find((n) => n.title === '高血压随访');
  assert.equal(recheck.due_date, addDays(daysAgo(10), 14));
  assert.equal(recheck.text, `高血压随访：现在就可以去做，请在 ${recheck.due_date} 前完成`);
  const late = h.next_steps.find((n) => n.title === '糖尿病随访');
  assert.match(late.text, /^糖尿病随访：已过期（应在 \d{4}-\d{2}-\d{2} 前），请尽快联系家庭医生$/);
  assert.equal(late.tone, 'urgent');
  const exam = h.next_steps.find((n) => n.title === '体检结果复查');
  assert.ok(exam, 'the abnormal exam asks for a recheck');

  // The latest readings with their verdicts, and the points of the trend chart.
  assert.equal(h.latest.blood_pressure.date, daysAgo(10));
  assert.equal(h.latest.blood_pressure.text, '血压偏高，请按医嘱服药并按时复查');
  assert.equal(h.latest.glucose.text, '血糖控制良好');
  assert.deepEqual(h.measurements.map((m) => m.date), [daysAgo(200), daysAgo(100), daysAgo(30), daysAgo(10)]);
  assert.deepEqual(h.targets, { sbp: 150, dbp: 90, fbg: 7 }, 'the chart\'s lines: 150 mmHg systolic at 70');

  // The exam: its results by name, the abnormal ones in words.
  assert.equal(h.exams.length, 1);
  assert.equal(h.exams[0].date, daysAgo(30));
  assert.deepEqual(h.exams[0].findings, ['血压偏高', '总胆固醇偏高', '心电图异常，请遵医嘱复查']);
  assert.equal(h.exams[0].summary, '有 3 项结果需要注意');
  assert.deepEqual(h.exams[0].results.find((x) => x.name === '血压'), { name: '血压', value: '152/95', unit: 'mmHg' });
  assert.deepEqual(h.exams[0].results.find((x) => x.name === '心电图'), { name: '心电图', value: 'ST段改变' });
  assert.deepEqual(h.schedules, [], 'no child, no pregnancy');
  assert.equal(h.doctor, null, 'not signed');
});

test('the summary carries no staff code, tag, id or note', async () => {
  for (const lang of ['zh-CN', 'en']) {
    const r = await get(`/residents/${self.id}/health-summary`, me, { 'Accept-Language': lang });
    assert.equal(r.status, 200, r.text);
    const text = r.text;
    for (const code of ['population_class', 'poverty', 'family_type', 'id_number', 'classification', 'action',
      'first_uncontrolled', 'consecutive_uncontrolled', 'adjust_medication', 'urgent_refer', 'emergency',
      '"controlled"', '"missed"', '"overdue"', '"upcoming"', '"status"', 'staff_id', 'task_id', 'team_id',
      'doctor_id', 'household_id', 'reasons', 'sbp_above_target', '"source"', '"followup"', 'exam_abnormal',
      'bp_high', 'tc_high', 'ecg_abnormal', '建档立卡', '贫困', '重点人群', '漏服药', '"note"', '"program"', 'hypertension']) {
      assert.ok(!text.includes(code), `${lang}: the summary says ${code}`);
    }
    assert.ok(!text.includes(idNumber('1956-03-04', 401)), 'no ID number');
  }
});

test('the summary in English', async () => {
  const r = await get(`/residents/${self.id}/health-summary`, me, { 'Accept-Language': 'en' });
  assert.equal(r.status, 200, r.text);
  const h = r.json;
  assert.equal(h.language, 'en');
  assert.deepEqual(h.programmes.map((p) => p.name), ['Blood pressure care', 'Diabetes care']);
  assert.equal(h.followups[0].title, 'Blood pressure check-up');
  assert.equal(h.followups[0].result, 'Your blood pressure was high. The doctor changed your medicine; please come back within two weeks.');
  assert.equal(h.followups[1].result, 'Your blood pressure is well controlled. Keep taking your medicine as prescribed.');
  const recheck = h.next_steps.find((n) => n.title === 'Blood pressure check-up');
  assert.equal(recheck.text, `Blood pressure check-up: due now, please go by ${recheck.due_date}`);
  assert.deepEqual(h.exams[0].findings, ['Blood pressure high', 'Total cholesterol high', 'Heart tracing (ECG) not normal: have it checked again as your doctor advises']);
  assert.equal(h.latest.blood_pressure.text, 'Blood pressure high: take your medicine and keep your check-ups');
});

test('a proxy reads the baby\'s checks: the schedule with the next one in words', async () => {
  problem(await get(`/residents/${child.id}/health-summary`, me), 403, 'record_not_opened', 'baby, not opened');
  assert.equal((await openRecord(child.id)).status, 200);
  const r = await get(`/residents/${child.id}/health-summary`, me);
  assert.equal(r.status, 200, r.text);
  const [schedule] = r.json.schedules;
  assert.equal(schedule.title, '孩子的健康检查');
  assert.equal(schedule.points[0].name, '新生儿家庭访视');
  assert.equal(schedule.points[0].text, '未按时完成');
  assert.equal(schedule.points[0].tone, 'normal', 'a passed point is noted, not alarmed');
  // At 100 days the 3-month check's window (91 days -14 .. +30) is open.
  assert.equal(schedule.next.name, '3月龄健康检查');
  assert.equal(schedule.next.due_now, true);
  assert.equal(schedule.next.text, `现在该做：3月龄健康检查，请在 ${schedule.next.to} 前完成`);
  const en = (await get(`/residents/${child.id}/health-summary`, me, { 'Accept-Language': 'en' })).json;
  assert.equal(en.schedules[0].next.text, `Due now: 3-month check, by ${schedule.next.to}`);
  // The raw schedule route is open to the proxy too.
  assert.equal((await get(`/residents/${child.id}/schedule/child`, me)).status, 200);
});

test('writes stay refused to the resident', async () => {
  const writes = [
    ['PUT', `/residents/${self.id}/record`, { opened_to_resident: false }],
    ['POST', '/followups', { resident_id: self.id, program: 'hypertension', visit_date: TODAY, sbp: 120, dbp: 80 }],
    ['PATCH', `/residents/${self.id}`, { phone: '13800000000' }],
    ['POST', `/residents/${self.id}/diagnoses`, { icd10: 'I10', diagnosed_on: TODAY }],
    ['POST', '/enrolments', { resident_id: self.id, program: 'elderly', start_date: TODAY }],
    ['POST', '/exams/import', {}],
  ];
  for (const [method, path, body] of writes) problem(await send(method, path, body, me), 403, 'out_of_role', `${method} ${path}`);
  assert.equal((await get(`/residents/${self.id}`)).json.record.opened_to_resident, true, 'nothing changed');
});

test('every read of the record is audited under the resident\'s name', async () => {
  await get('/audit', admin); // flushes the asynchronous auditor
  const reads = sqlite(`SELECT DISTINCT resource FROM audit_log WHERE username = 'resident01' AND action = 'read' AND resident_id = ${self.id} ORDER BY resource`).split('\n');
  for (const resource of ['exam_results', 'followups', 'health_summary', 'management', 'measurements', 'observations'])
    assert.ok(reads.includes(resource), `${resource} read audited: ${reads}`);
  assert.ok(Number(sqlite(`SELECT count(*) FROM audit_log WHERE username = 'resident01' AND resource = 'health_summary' AND resident_id = ${child.id}`)) >= 1);
  const audit = await get(`/audit?resident=${self.id}&limit=200`, admin);
  assert.ok(audit.json.items.some((a) => a.resource === 'health_summary' && a.username === 'resident01'));
  assert.equal(jiayi(['audit', 'verify', '--db', demo.db], { check: false }).status, 0, 'the chain is intact');
});
