// Bulk imports (issue 18): a residents file through POST /api/v1/imports and `jiayi import`,
// every row checked as POST /residents checks one, households formed from the file's own
// keys, population classes, a re-sent file that changes nothing, all-or-nothing, GB18030
// with Chinese headers; the indicator counters and the audit chain stay exact throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, startServer, cleanup, idNumber, dbJson, jiayi, digestPii } from '../lib/server.mjs';

let demo, s, town01, doctor01, admin;
const CELL = '51152410100101'; // township 511524101, doctor01's team's first cell
const OTHER_TOWN_CELL = '51152410200101';
const count = (sql) => dbJson(demo.db, sql)[0].n;
const residents = () => count('SELECT count(*) AS n FROM residents');

function csv(rows, header = 'name,id_number,region,phone,address,household,relation,disabled') {
  return [header, ...rows.map((r) => r.join(','))].join('\r\n') + '\r\n';
}
const upload = (text, query = 'kind=residents', token = town01, headers = { 'Content-Type': 'text/csv' }) =>
  s.request('POST', `/api/v1/imports?${query}`, { token, raw: text, headers });
const kpiExact = () => assert.match(jiayi(['kpi', 'check', '--db', demo.db]).stdout, /indicators exact/);
const auditIntact = () => assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /^audit chain intact/);

before(async () => {
  demo = makeDemo({ residents: 0, name: 'imports' });
  s = await startServer(demo.db);
  [town01, doctor01, admin] = await Promise.all(['town01', 'doctor01', 'admin'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

const good = [
  ['王大山', idNumber('1948-05-02', 11), CELL, '13800001111', '梅华1组8号', 'HH-A', '户主', '否'],
  ['李秀英', idNumber('1952-09-30', 12), CELL, '', '梅华1组8号', 'HH-A', '配偶', '否'],
  ['王小明', idNumber('1990-01-15', 13), CELL, '', '', 'HH-A', '子女', '否'],
  ['赵刚', idNumber('1985-07-07', 15), CELL, '13900002222', '梅华2组1号', 'HH-B', '', '是'],
  ['赵小丽', idNumber('2015-03-03', 16), CELL, '', '', 'HH-B', 'child', '否'],
  ['孙平', idNumber('1979-11-11', 17), CELL, '', '', '', '', ''],
];
const bad = [
  ['外乡人', idNumber('1970-01-01', 21), OTHER_TOWN_CELL, '', '', '', '', ''], // another township
  ['错号', idNumber('1970-01-01', 23).slice(0, 17) + (idNumber('1970-01-01', 23).endsWith('1') ? '2' : '1'), CELL, '', '', '', '', ''],
  ['重复', idNumber('1948-05-02', 11), CELL, '', '', '', '', ''], // row 2's number again
  ['无村', idNumber('1970-01-01', 25), '511524101999', '', '', '', '', ''],
  ['关系错', idNumber('1970-01-01', 27), CELL, '', '', 'HH-C', '邻居', ''],
  ['', idNumber('1970-01-01', 29), CELL, '', '', '', '', ''],
  ['电话错', idNumber('1970-01-01', 31), CELL, '12ab', '', '', '', ''],
];

test('a residents file: good rows kept with their households and classes, every bad row named', async () => {
  const before = residents();
  const r = await upload(csv([...good, ...bad]));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'complete');
  assert.deepEqual([r.json.rows, r.json.accepted, r.json.unchanged, r.json.rejected], [13, 6, 0, 7]);
  assert.deepEqual(r.json.errors.map((e) => [e.row, e.field, e.code]), [
    [8, 'region', 'out_of_scope'], [9, 'id_number', 'invalid_id_number'], [10, 'id_number', 'duplicate_in_file'],
    [11, 'region', 'invalid_region'], [12, 'relation', 'invalid_field'], [13, 'name', 'missing_field'],
    [14, 'phone', 'invalid_field'],
  ]);
  assert.match(r.json.errors[0].message, /管辖范围/);
  assert.equal(residents(), before + 6);
  // households from the file's keys, headed by their 户主; a row without a key heads its own
  const rows = dbJson(demo.db, `SELECT r.name, r.relation, r.population_class AS class, h.import_key AS hkey, CASE WHEN h.head_id = r.id THEN 1 ELSE 0 END AS head, h.family_type
    FROM residents r JOIN households h ON h.id = r.household_id WHERE r.id_digest IN (${good.map((g) => `'${digestPii(demo.db, 'id', g[1])}'`).join(',')}) ORDER BY r.id`);
  assert.deepEqual(rows.map((x) => [x.name, x.relation, x.class, x.hkey, x.head, x.family_type]), [
    ['王大山', 'head', 1, 'HH-A', 1, 'healthy'],   // 78: elderly, a key person
    ['李秀英', 'spouse', 1, 'HH-A', 0, 'healthy'],
    ['王小明', 'child', 2, 'HH-A', 0, 'healthy'],   // a key person's household
    ['赵刚', 'head', 1, 'HH-B', 1, 'disabled'],     // registered disability
    ['赵小丽', 'child', 2, 'HH-B', 0, 'disabled'],  // 11: not a child under 7
    ['孙平', 'head', 3, null, 1, 'healthy'],
  ]);
  kpiExact();
  auditIntact();
  // one audit entry names every person the file registered
  const id = dbJson(demo.db, `SELECT id FROM residents WHERE id_digest = '${digestPii(demo.db, 'id', good[2][1])}'`)[0].id;
  const trail = await s.request('GET', `/api/v1/audit?resident=${id}`, { token: admin });
  assert.ok(trail.json.items.some((e) => e.action === 'import' && e.resource === 'resident'), trail.text);
  // the import's own record, also as the importer reads it later
  const got = await s.request('GET', `/api/v1/imports/${r.json.import_id}`, { token: town01 });
  assert.equal(got.status, 200, got.text);
  assert.deepEqual([got.json.status, got.json.accepted, got.json.rejected, got.json.stored_to_row], ['complete', 6, 7, 14]);
  assert.deepEqual(got.json.errors.map((e) => e.row), [8, 9, 10, 11, 12, 13, 14]);
  assert.equal((await s.request('GET', `/api/v1/imports/${r.json.import_id}`, { token: doctor01 })).status, 404, 'another user\'s import');
  const mine = await s.request('GET', '/api/v1/imports', { token: town01 });
  assert.ok(mine.json.items.some((x) => x.id === r.json.import_id));
});

test('a file sent again doubles nothing; a changed person is refused, not overwritten', async () => {
  const before = [residents(), count('SELECT count(*) AS n FROM households')];
  const again = await upload(csv(good));
  assert.deepEqual([again.json.accepted, again.json.unchanged, again.json.rejected], [0, 6, 0]);
  assert.deepEqual([residents(), count('SELECT count(*) AS n FROM households')], before);
  const renamed = await upload(csv([[...good[0].slice(0, 0), '王大三', ...good[0].slice(1)]]));
  assert.deepEqual(renamed.json.errors.map((e) => [e.row, e.field, e.code]), [[2, 'id_number', 'duplicate_id_number']]);
  // a later file joins the household its key names
  const newborn = await upload(csv([['王小宝', idNumber('2026-02-01', 19), CELL, '', '', 'HH-A', '孙子', '否']]));
  assert.equal(newborn.json.accepted, 1);
  const hh = dbJson(demo.db, `SELECT count(*) AS n, min(population_class) AS best FROM residents WHERE household_id = (SELECT id FROM households WHERE import_key = 'HH-A')`)[0];
  assert.deepEqual([hh.n, hh.best], [4, 1]);
  const baby = dbJson(demo.db, `SELECT population_class AS c FROM residents WHERE id_digest = '${digestPii(demo.db, 'id', idNumber('2026-02-01', 19))}'`)[0];
  assert.equal(baby.c, 1, 'a child under 7 is a key person');
  kpiExact();
  auditIntact();
});

test('all-or-nothing: one bad row and nothing is stored; all good and everything is', async () => {
  const before = residents();
  const rows = [['钱一', idNumber('1960-06-06', 41), CELL, '', '', 'HH-D', '户主', ''], ['钱二', idNumber('1960-06-06', 43), CELL, '', '', 'HH-D', '配偶', '']];
  const refused = await upload(csv([...rows, bad[1]]), 'kind=residents&mode=all');
  assert.equal(refused.status, 200, refused.text);
  assert.deepEqual([refused.json.status, refused.json.accepted, refused.json.rejected], ['rejected', 0, 1]);
  assert.equal(residents(), before);
  assert.equal(count("SELECT count(*) AS n FROM households WHERE import_key = 'HH-D'"), 0);
  const got = await s.request('GET', `/api/v1/imports/${refused.json.import_id}`, { token: town01 });
  assert.deepEqual([got.json.status, got.json.errors.map((e) => e.code)], ['rejected', ['invalid_id_number']]);
  const kept = await upload(csv(rows), 'kind=residents&mode=all');
  assert.deepEqual([kept.json.status, kept.json.accepted], ['complete', 2]);
  assert.equal(residents(), before + 2);
  kpiExact();
});

test('a GB18030 file with Chinese headers, and a doctor limited to their team\'s cells', async () => {
  const text = csv([['周芳', idNumber('1966-12-12', 52), CELL, '', '', '', '户主', '否'], ['吴军', idNumber('1967-01-01', 53), '51152410100201', '', '', '', '', '']],
    '姓名,身份证号码,行政区划代码,联系电话,现住址,户编号,与户主关系,是否残疾');
  const gb = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: text });
  assert.equal(gb.status, 0);
  assert.ok(!gb.stdout.equals(Buffer.from(text)), 'the bytes are GB18030, not UTF-8');
  const r = await s.request('POST', '/api/v1/imports?kind=residents', { token: doctor01, raw: gb.stdout, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(r.status, 200, r.text);
  const inTeam = dbJson(demo.db, "SELECT count(*) AS n FROM team_cells tc JOIN team_members tm ON tm.team_id = tc.team_id JOIN staff st ON st.id = tm.staff_id JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor01' AND '51152410100201' LIKE tc.region_code || '%'")[0].n;
  assert.equal(r.json.accepted, inTeam ? 2 : 1);
  assert.equal(dbJson(demo.db, `SELECT name FROM residents WHERE id_digest = '${digestPii(demo.db, 'id', idNumber('1966-12-12', 52))}'`)[0].name, '周芳');
  const broken = await upload('name,id_number\r\n"a,b\r\n');
  assert.equal(broken.status, 422);
  assert.equal(broken.json.code, 'missing_field');
  assert.equal(broken.json.field, 'region');
  const badKind = await upload(csv(good), 'kind=vaccines');
  assert.deepEqual([badKind.status, badKind.json.field], [422, 'kind']);
  kpiExact();
});

test('jiayi import: the same engine from the command line, with progress and a summary', async () => {
  const file = join(demo.dir, 'census.csv');
  const rows = Array.from({ length: 40 }, (_, i) => [`批量${i}`, idNumber('1955-04-04', 101 + 2 * i), CELL, '', '', `HH-E${Math.floor(i / 4)}`, i % 4 ? '子女' : '户主', '']);
  writeFileSync(file, csv([...rows, bad[3]]));
  const before = residents();
  const out = jiayi(['import', '--db', demo.db, '--kind', 'residents', '--file', file, '--username', 'town01']);
  const summary = JSON.parse(out.stdout);
  assert.deepEqual([summary.status, summary.accepted, summary.rejected, summary.errors[0].code], ['complete', 40, 1, 'invalid_region']);
  assert.match(out.stderr, /41 of 41 rows/);
  assert.equal(residents(), before + 40);
  const none = jiayi(['import', '--db', demo.db, '--kind', 'residents', '--file', file, '--username', 'town01', '--mode', 'all'], { check: false });
  assert.equal(none.status, 3, 'an all-or-nothing import that kept nothing');
  assert.equal(JSON.parse(none.stdout).status, 'rejected');
  kpiExact();
  auditIntact();
});

test('a file of several chunks: each kept as it goes, and an Idempotency-Key replays the whole answer', async () => {
  const small = await startServer(demo.db, { env: { JIAYI_IMPORT_CHUNK_ROWS: '3' } });
  try {
    const token = await small.login('town01');
    const rows = Array.from({ length: 8 }, (_, i) => [`分块${i}`, idNumber('1958-08-08', 301 + 2 * i), CELL, '', '', '', '', '']);
    const text = csv([...rows, bad[3]]);
    const send = () => small.request('POST', '/api/v1/imports?kind=residents', { token, raw: text, headers: { 'Content-Type': 'text/csv', 'Idempotency-Key': 'census-2026-12-chunked' } });
    const before = residents();
    const first = await send();
    assert.equal(first.status, 200, first.text);
    assert.deepEqual([first.json.status, first.json.accepted, first.json.rejected, first.json.stored_to_row], ['complete', 8, 1, 10]);
    assert.equal(residents(), before + 8);
    // Three chunks of three rows: three audit entries, each naming its chunk's people.
    const entries = dbJson(demo.db, `SELECT resource_id FROM audit_log WHERE action = 'import' AND resource_id LIKE 'import:${first.json.import_id};%' ORDER BY id`);
    assert.deepEqual(entries.map((e) => e.resource_id.match(/;n=(\d+);/)[1]), ['3', '3', '2']);
    const again = await send();
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(again.json, first.json, 'the first answer, not a second import');
    assert.equal(count(`SELECT count(*) AS n FROM imports WHERE file_sha256 = (SELECT file_sha256 FROM imports WHERE id = ${first.json.import_id})`), 1);
    assert.equal(residents(), before + 8);
    // The same key with another file is refused; nothing is imported.
    const other = await small.request('POST', '/api/v1/imports?kind=residents', { token, raw: csv(rows.slice(0, 2)), headers: { 'Content-Type': 'text/csv', 'Idempotency-Key': 'census-2026-12-chunked' } });
    assert.deepEqual([other.status, other.json.code], [422, 'idempotency_key_reused']);
    kpiExact();
    auditIntact();
  } finally {
    await small.stop();
  }
});
