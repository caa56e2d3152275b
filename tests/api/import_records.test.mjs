// Files of records about registered people (issue 18): diagnoses, programme enrolments and a
// hospital system's encounters through POST /api/v1/imports and `jiayi import`. Each row
// names its person by ID number (and name, when given, must agree); checked as the API
// checks the same write; a person outside the importer's grants reads as unknown; a file
// sent again doubles nothing; the role is the one the single write needs; indicators exact,
// audit chain intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, startServer, cleanup, idNumber, dbJson, jiayi, digestPii } from '../lib/server.mjs';
import { daysAgo, daysAhead } from '../lib/clock.mjs';

let demo, s, town01, doctor01, admin;
const CELL = '51152410100101'; // doctor01's team's first cell, in town01's township
const OTHER_TOWN_CELL = '51152410200101';
const count = (sql) => dbJson(demo.db, sql)[0].n;
const kpiExact = () => assert.match(jiayi(['kpi', 'check', '--db', demo.db]).stdout, /indicators exact/);
const auditIntact = () => assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /^audit chain intact/);
const csv = (header, rows) => [header, ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
const upload = (kind, text, token = doctor01, mode = 'good') =>
  s.request('POST', `/api/v1/imports?kind=${kind}&mode=${mode}`, { token, raw: text, headers: { 'Content-Type': 'text/csv' } });
const codes = (r) => r.json.errors.map((e) => [e.row, e.field, e.code]);

// People registered first (by a residents file), one of them in another township.
const P = {
  old: ['孔德明', idNumber('1950-03-03', 211)],
  mid: ['韩桂英', idNumber('1972-08-08', 212)],
  young: ['钱小溪', idNumber('2001-05-05', 213)],
  away: ['远方', idNumber('1960-01-01', 215)],
};
const UNREGISTERED = idNumber('1965-07-07', 217);

before(async () => {
  demo = makeDemo({ residents: 0, name: 'import-records' });
  s = await startServer(demo.db);
  [town01, doctor01, admin] = await Promise.all(['town01', 'doctor01', 'admin'].map((u) => s.login(u)));
  const people = csv('name,id_number,region', [
    [...P.old, CELL], [...P.mid, CELL], [...P.young, CELL], [...P.away, OTHER_TOWN_CELL]]);
  const r = await upload('residents', people, admin);
  assert.equal(r.json.accepted, 4, r.text);
});
after(async () => { await s.stop(); cleanup(demo.dir); });

const idOf = (p) => dbJson(demo.db, `SELECT id FROM residents WHERE id_digest = '${digestPii(demo.db, 'id', p[1])}'`)[0].id;

test('diagnoses: good rows filed on their people, every bad row named, a re-sent file unchanged', async () => {
  const rows = [
    [P.old[1], P.old[0], 'I10', daysAgo(400), '原发性高血压'],
    [P.mid[1], '', 'E11.9', daysAgo(30), ''],
    [P.old[1].toLowerCase(), '孔德明', 'E78.5', daysAgo(10), '"高脂血症, 轻度"'],
    [UNREGISTERED, '', 'I10', daysAgo(5), ''],           // not registered
    [P.away[1], '', 'I10', daysAgo(5), ''],               // registered, outside doctor01's cells
    [P.mid[1], '韩桂兰', 'I10', daysAgo(5), ''],           // the name disagrees
    [P.mid[1], '', 'i10', daysAgo(5), ''],                // not an ICD-10 code
    [P.mid[1], '', 'I10', daysAhead(3), ''],              // in the future
    [P.mid[1], '', '', daysAgo(5), ''],                   // no code
  ];
  const text = csv('身份证号,姓名,诊断编码,诊断日期,备注', rows);
  const r = await upload('diagnoses', text);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.rows, r.json.accepted, r.json.unchanged, r.json.rejected], [9, 3, 0, 6]);
  assert.deepEqual(codes(r), [
    [5, 'id_number', 'unknown_resident'], [6, 'id_number', 'unknown_resident'], [7, 'name', 'name_mismatch'],
    [8, 'icd10', 'invalid_field'], [9, 'diagnosed_on', 'invalid_date'], [10, 'icd10', 'missing_field'],
  ]);
  const stored = dbJson(demo.db, `SELECT r.name, d.icd10, d.diagnosed_on AS on_, d.note FROM diagnoses d JOIN residents r ON r.id = d.resident_id ORDER BY d.id`);
  assert.deepEqual(stored.map((d) => [d.name, d.icd10, d.on_, d.note]), [
    ['孔德明', 'I10', daysAgo(400), '原发性高血压'], ['韩桂英', 'E11.9', daysAgo(30), null], ['孔德明', 'E78.5', daysAgo(10), '高脂血症, 轻度']]);
  // The same rows in the API's own list of the person's record.
  const got = await s.request('GET', `/api/v1/residents/${idOf(P.old)}`, { token: doctor01 });
  assert.equal(got.status, 200);
  const again = await upload('diagnoses', text);
  assert.deepEqual([again.json.accepted, again.json.unchanged, again.json.rejected], [0, 3, 6]);
  assert.equal(count('SELECT count(*) AS n FROM diagnoses'), 3);
  // One entry per chunk names the people written; the chain holds; the counters are exact.
  const trail = await s.request('GET', `/api/v1/audit?resident=${idOf(P.mid)}`, { token: admin });
  assert.ok(trail.json.items.some((e) => e.action === 'import' && e.resource === 'diagnosis'), trail.text);
  kpiExact();
  auditIntact();
});

test('enrolments: eligibility, a programme already open, a programme without a protocol; the indicators follow', async () => {
  const rows = [
    [P.old[1], '高血压', daysAgo(300)],
    [P.mid[1], '2型糖尿病', daysAgo(20)],
    [P.young[1], 'hypertension', daysAgo(20)],  // 25: under 35
    [P.mid[1], 'tb', daysAgo(20)],              // enrolled by the TB notice only
    [P.mid[1], '肺炎', daysAgo(20)],             // not a programme
    [P.away[1], '高血压', daysAgo(20)],
  ];
  const text = csv('id_number,program,start_date', rows);
  const r = await upload('enrolments', text);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(codes(r), [
    [4, 'program', 'not_eligible'], [5, 'program', 'no_protocol'], [6, 'program', 'invalid_field'], [7, 'id_number', 'unknown_resident'],
  ]);
  assert.equal(r.json.accepted, 2);
  const open = dbJson(demo.db, 'SELECT resident_id AS id, program, start_date FROM enrolments WHERE end_date IS NULL ORDER BY id');
  assert.deepEqual(open.map((e) => [e.id, e.program, e.start_date]), [[idOf(P.old), 'hypertension', daysAgo(300)], [idOf(P.mid), 'diabetes', daysAgo(20)]]);
  // Now a hypertension patient: class I, and in the enrolled count (the counters checked exact).
  assert.equal(dbJson(demo.db, `SELECT population_class AS c FROM residents WHERE id = ${idOf(P.mid)}`)[0].c, 1);
  const again = await upload('enrolments', text);
  assert.deepEqual([again.json.accepted, again.json.unchanged], [0, 2]);
  const moved = await upload('enrolments', csv('id_number,program,start_date', [[P.old[1], '高血压', daysAgo(100)]]));
  assert.deepEqual(codes(moved), [[2, 'program', 'already_enrolled']]);
  // The enrolled patients appear in the follow-up's eligibility as if enrolled by hand.
  const fu = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: idOf(P.old), program: 'hypertension', visit_date: daysAgo(1), sbp: 132, dbp: 82, findings: [] } });
  assert.equal(fu.status, 201, fu.text);
  kpiExact();
  auditIntact();
});

test('encounters from a hospital system: by institution code or in/out of county, re-sent unchanged', async () => {
  const inst = dbJson(demo.db, "SELECT code, level FROM institutions WHERE level = 'secondary' AND region LIKE '511524%' ORDER BY id LIMIT 1")[0];
  const rows = [
    [P.old[1], P.old[0], daysAgo(60), inst.code, '', '高血压'],
    [P.mid[1], '', daysAgo(40), '', '否', 'diabetes'],
    [P.mid[1], '', daysAgo(20), 'NO-SUCH-CODE', '', ''],
    [P.young[1], '', daysAgo(20), '', '', ''],  // neither institution nor in/out of county
    [P.young[1], '', daysAgo(20), '', '也许', ''],
    [P.young[1], '', daysAgo(20), '', '是', '感冒'],
  ];
  const text = csv('身份证号,姓名,就诊日期,机构编码,是否县域内,慢病', rows);
  const r = await upload('encounters', text);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(codes(r), [
    [4, 'institution', 'invalid_field'], [5, 'in_county', 'missing_field'], [6, 'in_county', 'invalid_field'], [7, 'chronic_program', 'invalid_field'],
  ]);
  const stored = dbJson(demo.db, 'SELECT resident_id AS id, encounter_date AS d, primary_care AS pc, in_county AS ic, chronic_program AS p FROM encounters ORDER BY id');
  assert.deepEqual(stored.map((e) => [e.id, e.d, e.pc, e.ic, e.p]), [
    [idOf(P.old), daysAgo(60), 0, 1, 'hypertension'], [idOf(P.mid), daysAgo(40), 0, 0, 'diabetes']]);
  const again = await upload('encounters', text);
  assert.deepEqual([again.json.accepted, again.json.unchanged], [0, 2]);
  kpiExact();
  auditIntact();
});

test('a hospital\'s stays: kind, admission and discharge, ICD-10 diagnoses in one column', async () => {
  const inst = dbJson(demo.db, "SELECT code FROM institutions WHERE level = 'secondary' AND region LIKE '511524%' ORDER BY id LIMIT 1")[0];
  const rows = [
    [P.old[1], daysAgo(30), inst.code, '住院', daysAgo(22), 'I63.9；i10'],
    [P.mid[1], daysAgo(12), inst.code, '门诊', '', 'E11.9'],
    [P.mid[1], daysAgo(11), inst.code, '门诊', daysAgo(10), ''],        // a discharge of an outpatient visit
    [P.mid[1], daysAgo(11), inst.code, '住院', daysAgo(14), ''],        // discharged before the admission
    [P.young[1], daysAgo(9), inst.code, '挂号', '', ''],
    [P.young[1], daysAgo(9), inst.code, '门诊', '', 'I10;高血压'],
  ];
  const r = await upload('encounters', csv('身份证号,入院日期,机构编码,就诊类型,出院日期,诊断编码', rows));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(codes(r), [
    [4, 'discharge_date', 'invalid_field'], [5, 'discharge_date', 'invalid_date'], [6, 'kind', 'invalid_field'], [7, 'diagnoses', 'invalid_field'],
  ]);
  const stored = dbJson(demo.db, `SELECT kind, discharge_date AS out, diagnoses FROM encounters WHERE encounter_date IN ('${daysAgo(30)}', '${daysAgo(12)}') ORDER BY encounter_date`);
  assert.deepEqual(stored.map((e) => [e.kind, e.out, JSON.parse(e.diagnoses)]), [
    ['inpatient', daysAgo(22), ['I63.9', 'I10']], ['outpatient', null, ['E11.9']]]);
  kpiExact();
});

test('the importer\'s role is the single write\'s; the command line imports every kind as its user', async () => {
  // A centre administrator registers people but does not diagnose or enrol them.
  for (const kind of ['diagnoses', 'enrolments']) {
    const r = await upload(kind, csv('id_number,icd10,diagnosed_on', [[P.mid[1], 'I10', daysAgo(3)]]), town01);
    assert.deepEqual([r.status, r.json.code, r.json.field], [403, 'out_of_role', 'kind'], kind);
  }
  const file = join(demo.dir, 'dx.csv');
  writeFileSync(file, csv('id_number,icd10,diagnosed_on', [[P.young[1], 'J45.9', daysAgo(3)], [UNREGISTERED, 'J45.9', daysAgo(3)]]));
  const out = jiayi(['import', '--db', demo.db, '--kind', 'diagnoses', '--file', file]);
  const summary = JSON.parse(out.stdout);
  assert.deepEqual([summary.status, summary.accepted, summary.rejected, summary.errors[0].code], ['complete', 1, 1, 'unknown_resident']);
  const badKind = jiayi(['import', '--db', demo.db, '--kind', 'vaccines', '--file', file], { check: false });
  assert.equal(badKind.status, 2);
  assert.match(badKind.stderr, /residents, diagnoses, enrolments, encounters/);
  kpiExact();
  auditIntact();
});

test('follow-ups from another system: evaluated as on their day, in a row, the next task left open; out of order refused', async () => {
  const header = '身份证号,姓名,随访类别,随访日期,收缩压,舒张压,空腹血糖,糖化血红蛋白,随访方式,服药依从性,备注';
  const rows = [
    [P.mid[1], P.mid[0], '糖尿病', daysAgo(15), 128, 78, 8.2, 7.9, '入户', '间断', '饮食控制差'],
    [P.mid[1], '', 'diabetes', daysAgo(8), 126, 80, 8.5, '', '门诊', '规律', ''],
    [P.mid[1], '', '糖尿病', daysAgo(8), 126, 80, 8.5, '', '', '', ''],          // the same day again
    [P.young[1], '', '高血压', daysAgo(8), 150, 95, '', '', '', '', ''],         // not enrolled
    [P.old[1], '', '高血压', daysAgo(30), 150, 95, '', '', '', '', ''],          // before the visit recorded by hand
    [P.mid[1], '', '严重精神障碍', daysAgo(8), '', '', '', '', '', '', ''],       // not by file
    [P.mid[1], '', '糖尿病', daysAgo(5), 400, 80, 6.0, '', '', '', ''],           // the engine's range
    [UNREGISTERED, '', '糖尿病', daysAgo(5), 120, 80, 6.0, '', '', '', ''],
    [P.mid[1], '', '糖尿病', daysAgo(4), 120, 80, 6.0, 'nan', '', '', ''],        // not a number
  ];
  const text = csv(header, rows);
  const r = await upload('followups', text);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.accepted, r.json.unchanged, r.json.rejected], [2, 1, 6], r.text);
  assert.deepEqual(codes(r), [
    [5, 'program', 'not_enrolled'],
    [6, 'visit_date', 'earlier_than_recorded'], [7, 'program', 'invalid_field'], [8, 'sbp', 'invalid_field'],
    [9, 'id_number', 'unknown_resident'], [10, 'hba1c', 'invalid_field'],
  ]);
  assert.match(r.json.errors[1].message, /按日期先后/);
  const stored = dbJson(demo.db, `SELECT visit_date AS d, classification AS c, action AS a, next_due AS n, mode, medication_adherence AS adh, hba1c, note, fbg FROM followups WHERE resident_id = ${idOf(P.mid)} AND program = 'diabetes' ORDER BY visit_date`);
  assert.deepEqual(stored.map((f) => [f.d, f.mode, f.adh, f.hba1c, f.note, f.fbg]), [
    [daysAgo(15), 'home_visit', 'intermittent', 7.9, '饮食控制差', 8.2], [daysAgo(8), 'clinic', 'regular', null, null, 8.5]]);
  // The engine's verdicts are the dry run's for the same facts: the second is "in a row".
  const age = dbJson(demo.db, `SELECT birth_date AS b FROM residents WHERE id = ${idOf(P.mid)}`)[0].b;
  const years = (day) => Number(day.slice(0, 4)) - Number(age.slice(0, 4)) - (day.slice(5) < age.slice(5) ? 1 : 0);
  for (const [i, f] of stored.entries()) {
    const dry = await s.request('POST', '/api/v1/protocols/diabetes/evaluate', { token: doctor01, body: { visit_date: f.d, age: years(f.d), sbp: [128, 126][i], dbp: [78, 80][i], fbg: f.fbg, findings: [], previous_uncontrolled: i } });
    assert.equal(dry.status, 200, dry.text);
    assert.deepEqual([f.c, f.a, f.n], [dry.json.classification, dry.json.action, dry.json.next_due], `visit ${i + 1}`);
  }
  assert.equal(stored[1].c, 'consecutive_uncontrolled');
  // One open follow-up task for the programme: the one the latest visit set.
  const tasks = dbJson(demo.db, `SELECT due_date AS due FROM tasks WHERE resident_id = ${idOf(P.mid)} AND kind = 'followup' AND program = 'diabetes' AND status = 'open'`);
  assert.deepEqual(tasks.map((t) => t.due), [stored[1].n]);
  // Shown by the API as a visit recorded by hand, HbA1c included.
  const list = await s.request('GET', `/api/v1/residents/${idOf(P.mid)}/followups?program=diabetes`, { token: doctor01 });
  assert.deepEqual(list.json.items.map((f) => f.hba1c), [null, 7.9]);
  const again = await upload('followups', text);
  assert.deepEqual([again.json.accepted, again.json.unchanged, again.json.rejected], [0, 3, 6]);
  kpiExact();
  auditIntact();
});
