// ECG and ultrasound conclusions read finding by finding (issue 12): "窦性心律 ST-T改变
// 房性早搏" is abnormal although it mentions 窦性心律; text the term lists do not know opens a
// review task on the work list instead of passing as normal; the term lists are versioned
// settings that only the system admin changes (checked item by item, audited), and a change
// takes effect at the next import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbSql } from '../lib/server.mjs';
import { TODAY as today, addDays, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, admin;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, admin] = await Promise.all(['doctor01', 'admin'].map((u) => s.login(u)));
});
after(async () => {
  assert.equal(await s.stop(), 0);
  cleanup(demo.dir);
});

let seq = 0;
async function person(birth) {
  const id_number = idNumber(birth, 2 * seq++ + 501);
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '心电' + seq, id_number, region: CELL } });
  assert.equal(r.status, 201, r.text);
  return { ...r.json, id_number };
}
const upload = (rows) => s.request('POST', '/api/v1/exams/import?source=ecg.csv', {
  token: doctor01,
  raw: ['id_number,exam_date,sbp,dbp,ecg,ultrasound', ...rows].join('\r\n') + '\r\n',
  headers: { 'Content-Type': 'text/csv' },
});
const exams = async (p) => (await s.request('GET', `/api/v1/residents/${p.id}/exams`, { token: doctor01 })).json.items;
const tasksOf = async (p, kind) => {
  const r = await s.request('GET', '/api/v1/worklist?limit=500', { token: doctor01 });
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((t) => t.resident_id === p.id && t.kind === kind);
};
const lists = async (token = doctor01) => {
  const r = await s.request('GET', '/api/v1/protocol-lists', { token });
  assert.equal(r.status, 200, r.text);
  return Object.fromEntries(r.json.items.map((i) => [i.key, i]));
};
const putList = (key, values, token = admin) =>
  s.request('PUT', `/api/v1/protocol-lists/${key}`, { token, body: values === undefined ? {} : { values } });

test('the issue example is abnormal; an unknown conclusion is reviewed, never read as normal', async () => {
  const [example, unknown, both, normal] = await Promise.all(
    ['1951-02-03', '1952-04-05', '1953-06-07', '1954-08-09'].map((b) => person(b)));
  const day = daysAgo(5);
  const rows = [
    `${example.id_number},${day},120,78,窦性心律 ST-T改变 房性早搏,肝胆胰脾未见明显异常`,
    `${unknown.id_number},${day},120,78,1.窦性心律 2.顺钟向转位,肝胆胰脾双肾未见明显异常`,
    `${both.id_number},${day},150,95,心电图：请结合临床,`,
    `${normal.id_number},${day},120,78,"Sinus rhythm, normal ECG",肝胆胰脾未见异常`,
  ];
  const r = await upload(rows);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 4);
  assert.equal(r.json.abnormal, 2, 'the example (ECG) and both (BP)');
  assert.equal(r.json.review, 2, 'unknown and both');
  assert.equal(r.json.tasks, 3);

  // The example: ecg_abnormal and the warning task, as any abnormal result.
  const [e] = await exams(example);
  assert.deepEqual(e.abnormal, ['ecg_abnormal']);
  const [warning] = await tasksOf(example, 'exam_abnormal');
  assert.equal(warning.id, e.task_id);
  assert.equal(warning.note, 'ecg_abnormal');
  assert.equal(warning.due_date, addDays(today, 14));

  // Unknown text: ecg_review and a review task naming the text nobody recognised.
  const [u] = await exams(unknown);
  assert.deepEqual(u.abnormal, ['ecg_review']);
  assert.equal(u.ecg, '1.窦性心律 2.顺钟向转位');
  const [review] = await tasksOf(unknown, 'exam_review');
  assert.equal(review.id, u.task_id);
  assert.equal(review.note, 'ecg_review:顺钟向转位');
  assert.equal(review.due_date, addDays(today, 14));
  assert.deepEqual(await tasksOf(unknown, 'exam_abnormal'), []);

  // With another abnormal result the warning task carries the review; no second task.
  const [b] = await exams(both);
  assert.deepEqual(b.abnormal, ['bp_high', 'ecg_review']);
  assert.equal((await tasksOf(both, 'exam_abnormal'))[0].note, 'bp_high,ecg_review');
  assert.deepEqual(await tasksOf(both, 'exam_review'), []);

  const [n] = await exams(normal);
  assert.deepEqual(n.abnormal, []);
  assert.equal(n.task_id, undefined);

  // The same file again opens nothing new: one open review task per resident.
  const again = await upload(rows);
  assert.equal(again.json.tasks, 0);
  assert.equal(sqlite(`SELECT count(*) FROM tasks WHERE resident_id = ${unknown.id} AND kind = 'exam_review' AND status = 'open'`), '1');
});

test('term lists: read by staff, changed by the system admin only, checked, versioned, audited, used by the next import', async () => {
  let all = await lists();
  assert.deepEqual(Object.keys(all).sort(), ['ecg_abnormal', 'ecg_normal', 'service_entitlements', 'ultrasound_abnormal', 'ultrasound_normal']);
  const ecgNormal = all.ecg_normal;
  assert.equal(ecgNormal.version, 0);
  assert.equal(ecgNormal.changed_at, null);
  assert.deepEqual(ecgNormal.value, ecgNormal.default);
  assert.ok(ecgNormal.value.includes('窦性心律') && ecgNormal.value.includes('窦性心律不齐'));
  assert.ok(all.ecg_abnormal.value.includes('ST-T改变'));

  // Only the system admin; bad input names the field; an unknown key is 404.
  let r = await putList('ecg_normal', [...ecgNormal.value, '顺钟向转位'], doctor01);
  assert.equal(r.status, 403);
  const bad = [
    [undefined, 'missing_field', 'values'],
    ['窦性心律', 'invalid_field', 'values'],
    [{ a: 1 }, 'invalid_field', 'values'],
    [['窦性心律', ''], 'invalid_field', 'values[1]'],
    [['窦性心律', 5], 'invalid_field', 'values[1]'],
    [['窦性心律', 'ST-T 改变'], 'invalid_field', 'values[1]'], // two findings: could never match
    [['窦性心律，正常心电图'], 'invalid_field', 'values[0]'],
    [['normal ECG', '窦性心律', 'Normal ecg'], 'invalid_field', 'values[2]'],
    [['窦性心律', '字'.repeat(41)], 'too_long', 'values[1]'],
    [Array.from({ length: 501 }, (_, i) => `结论${i}`), 'too_long', 'values'],
  ];
  for (const [values, code, field] of bad) {
    r = await putList('ecg_normal', values);
    assert.equal(r.status, 422, `${JSON.stringify(values)?.slice(0, 60)}: ${r.text}`);
    assert.equal(r.json.code, code);
    assert.equal(r.json.field, field);
  }
  assert.equal((await putList('no_such_list', ['x'])).status, 404);
  assert.equal((await lists()).ecg_normal.version, 0, 'nothing stored by a refused change');
  assert.equal(sqlite('SELECT count(*) FROM protocol_lists'), '0');

  // Before any change, clockwise rotation is unknown and sinus arrhythmia is normal.
  const [rotation, arrhythmia] = await Promise.all(['1960-01-02', '1961-03-04'].map((b) => person(b)));
  const day = daysAgo(3);
  const rows = [
    `${rotation.id_number},${day},120,78,窦性心律 顺钟向转位,`,
    `${arrhythmia.id_number},${day},120,78,窦性心律不齐,`,
  ];
  r = await upload(rows);
  assert.equal(r.json.review, 1);
  assert.deepEqual((await exams(rotation))[0].abnormal, ['ecg_review']);
  assert.deepEqual((await exams(arrhythmia))[0].abnormal, []);

  // Version 1: the site reads clockwise rotation as normal. The next import follows it.
  r = await putList('ecg_normal', [...ecgNormal.value, '顺钟向转位']);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.key, 'ecg_normal');
  assert.equal(r.json.version, 1);
  assert.ok(r.json.value.includes('顺钟向转位'));
  assert.deepEqual(r.json.default, ecgNormal.default);
  const later = await person('1962-05-06');
  r = await upload([rows[0], `${later.id_number},${day},120,78,窦性心律 顺钟向转位,`]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.review, 0);
  assert.equal(r.json.tasks, 0);
  assert.deepEqual((await exams(rotation))[0].abnormal, []);
  assert.deepEqual((await exams(later))[0].abnormal, []);
  assert.deepEqual(await tasksOf(later, 'exam_review'), [], 'normal now: no review task');

  // Version 2: sinus arrhythmia taken off the normal list becomes an arrhythmia again.
  const withoutArrhythmia = (terms) => terms.filter((t) => t !== '窦性心律不齐');
  r = await putList('ecg_normal', withoutArrhythmia([...ecgNormal.value, '顺钟向转位']));
  assert.equal(r.json.version, 2);
  r = await upload([rows[1]]);
  assert.deepEqual((await exams(arrhythmia))[0].abnormal, ['ecg_abnormal']);
  assert.equal((await tasksOf(arrhythmia, 'exam_abnormal')).length, 1);

  // Sending the list in force again adds no version.
  r = await putList('ecg_normal', withoutArrhythmia([...ecgNormal.value, '顺钟向转位']));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);

  all = await lists(admin);
  assert.equal(all.ecg_normal.version, 2);
  assert.ok(!all.ecg_normal.value.includes('窦性心律不齐'));
  assert.ok(all.ecg_normal.default.includes('窦性心律不齐'));
  assert.match(all.ecg_normal.changed_at, /^\d{4}-\d{2}-\d{2}T/);
  assert.equal(typeof all.ecg_normal.changed_by, 'number');
  assert.equal(all.ecg_abnormal.version, 0);
  assert.equal(sqlite("SELECT group_concat(version) FROM (SELECT version FROM protocol_lists WHERE key = 'ecg_normal' ORDER BY version) sub"), '1,2');

  // Every change is in the audit chain, by the admin.
  assert.equal(sqlite("SELECT count(*) || ' ' || group_concat(DISTINCT username) FROM audit_log WHERE action = 'update' AND resource = 'protocol_list'"), '2 admin');
});
