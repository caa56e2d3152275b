// Lists as files (issue 18): ?format=csv|xlsx on the residents, contracts, follow-ups, work
// list, indicators and their breakdown; every page of the list in one attachment, written as
// it comes (the file equals the JSON list row for row), in the caller's data scope and
// language, audited per page; GET /followups as a list of its own; `jiayi export`, the
// county's whole data set for the provincial platform.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemo, startServer, cleanup, dbJson, jiayi, openPii } from '../lib/server.mjs';
import { YEAR, daysAgo } from '../lib/clock.mjs';
import { readSheets } from '../lib/xlsx.mjs';

let demo, s, county, town01, doctor01, admin; // admin reads every resident of the county
const TOWN = '511524101';
const OTHER_TOWN = '511524102';
const SINCE = daysAgo(365);

before(async () => {
  demo = makeDemo({ residents: 800, name: 'scope' });
  s = await startServer(demo.db);
  [county, town01, doctor01, admin] = await Promise.all(['county', 'town01', 'doctor01', 'admin'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

/* RFC 4180: quoted fields with doubled quotes, CRLF rows; numbers and empty cells bare. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false, i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    field += c; i++;
  }
  assert.equal(field, '', 'the file ends with a full row');
  return rows;
}

async function download(path, token, headers = {}) {
  const res = await fetch(`${s.base}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes };
}

async function csvOf(path, token, headers) {
  const d = await download(path, token, headers);
  assert.equal(d.status, 200, d.bytes.toString());
  assert.match(d.type, /^text\/csv/);
  assert.deepEqual([...d.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a byte-order mark, for Excel');
  return { ...d, rows: parseCsv(d.bytes.subarray(3).toString('utf8')) };
}

/* Every item of a JSON list, following next_cursor. */
async function everything(path, token) {
  const items = [];
  let cursor = null, total = null;
  do {
    const r = await s.request('GET', `${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${cursor}` : ''}`, { token });
    assert.equal(r.status, 200, r.text);
    total ??= r.json.total;
    items.push(...r.json.items);
    cursor = r.json.next_cursor;
  } while (cursor);
  return { items, total };
}

test('residents as CSV: the whole list across pages, the same rows as the JSON list, codes as words', async () => {
  const list = await everything('/api/v1/residents', admin);
  assert.ok(list.total > 500, 'more than one page');
  const f = await csvOf('/api/v1/residents?format=csv', admin);
  assert.match(f.disposition, /^attachment; filename="residents-\d{4}-\d{2}-\d{2}\.csv"$/);
  const [header, ...rows] = f.rows;
  assert.equal(header[0], '居民编号');
  assert.ok(header.includes('身份证号(脱敏)') && header.includes('与户主关系'));
  assert.equal(rows.length, list.total);
  assert.deepEqual(rows.map((r) => Number(r[0])), list.items.map((p) => p.id));
  const col = (name) => header.indexOf(name);
  for (const [i, p] of list.items.entries()) {
    assert.equal(rows[i][col('姓名')], p.name);
    assert.equal(rows[i][col('身份证号(脱敏)')], p.id_number_masked);
    assert.equal(rows[i][col('性别')], p.sex === 'M' ? '男' : '女');
    assert.equal(Number(rows[i][col('年龄')]), p.age);
  }
  assert.ok(rows.some((r) => r[col('与户主关系')] === '户主'));
  // English headers and words on request; filters as the list takes them.
  const en = await csvOf(`/api/v1/residents?format=csv&region=${TOWN}&program=hypertension`, admin, { 'Accept-Language': 'en' });
  const filtered = await everything(`/api/v1/residents?region=${TOWN}&program=hypertension`, admin);
  assert.equal(en.rows[0][0], 'Resident ID');
  assert.deepEqual(en.rows.slice(1).map((r) => Number(r[0])), filtered.items.map((p) => p.id));
  assert.ok(en.rows.slice(1).every((r) => r[2] === 'Male' || r[2] === 'Female'));
});

test('a file keeps to the caller\'s scope, names a bad format, and is audited for everyone in it', async () => {
  const mine = await everything('/api/v1/residents', doctor01);
  const f = await csvOf('/api/v1/residents?format=csv', doctor01);
  assert.deepEqual(f.rows.slice(1).map((r) => Number(r[0])), mine.items.map((p) => p.id));
  const refused = await download(`/api/v1/residents?format=csv&region=${OTHER_TOWN}`, town01);
  assert.equal(refused.status, 403);
  assert.match(refused.type, /problem\+json/);
  const bad = await s.request('GET', '/api/v1/residents?format=pdf', { token: town01 });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'format');
  const badClass = await s.request('GET', '/api/v1/contracts?format=csv&status=nonsense', { token: town01 });
  assert.equal(badClass.status, 422, 'the list\'s own checks run first');
  assert.equal(badClass.json.field, 'status');
  // The last resident of the county file (on its last page) has the read in their trail.
  const list = await everything('/api/v1/residents', admin);
  const last = list.items.at(-1).id;
  await csvOf('/api/v1/residents?format=csv', admin);
  // The health commission steers by counts: no file of names for it either.
  assert.equal((await download('/api/v1/residents?format=csv', county)).status, 403);
  const trail = await s.request('GET', `/api/v1/audit?resident=${last}&limit=500`, { token: admin });
  assert.equal(trail.status, 200, trail.text);
  assert.ok(trail.json.items.some((e) => e.resource === 'resident_search'), 'the export is in the trail');
  assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /^audit chain intact/);
});

test('residents as XLSX: one sheet, header then every row, numbers as numbers', async () => {
  const list = await everything(`/api/v1/residents?region=${TOWN}`, admin);
  const d = await download(`/api/v1/residents?format=xlsx&region=${TOWN}`, admin);
  assert.equal(d.status, 200);
  assert.match(d.type, /spreadsheetml/);
  assert.match(d.disposition, /residents-\d{4}-\d{2}-\d{2}\.xlsx/);
  const sheets = readSheets(d.bytes);
  assert.equal(sheets.length, 1);
  const [header, ...rows] = sheets[0];
  assert.equal(header[1][1], '姓名');
  assert.equal(rows.length, list.total);
  const cell = (row, c) => (row.find((x) => x[0] === c) || [])[1];
  assert.deepEqual(rows.map((r) => Number(cell(r, 'A'))), list.items.map((p) => p.id));
  assert.deepEqual(rows.map((r) => cell(r, 'B')), list.items.map((p) => p.name));
  assert.deepEqual(rows.map((r) => Number(cell(r, 'E'))), list.items.map((p) => p.age));
});

test('GET /followups lists the follow-ups in scope with filters, and exports them', async () => {
  const all = await everything(`/api/v1/followups?program=hypertension&from=${SINCE}`, town01);
  assert.ok(all.items.length > 0);
  assert.equal(all.items.length, all.total);
  const ids = all.items.map((f) => f.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'by id');
  const inScope = new Set(dbJson(demo.db, `SELECT id FROM residents WHERE region LIKE '${TOWN}%'`).map((r) => r.id));
  assert.ok(all.items.every((f) => f.program === 'hypertension' && f.visit_date >= SINCE && inScope.has(f.resident_id)));
  const stored = dbJson(demo.db, `SELECT count(*) AS n FROM followups f JOIN residents r ON r.id = f.resident_id
    WHERE r.region LIKE '${TOWN}%' AND f.program = 'hypertension' AND f.visit_date >= '${SINCE}'`)[0].n;
  assert.equal(all.total, stored);
  const one = all.items[0];
  assert.ok('sbp' in one && 'evaluation' in one && 'resident_name' in one);
  for (const [q, field] of [['program=flu', 'program'], ['from=2026-13-01', 'from'], ['team=x', 'team'], ['doctor=0', 'doctor']]) {
    const r = await s.request('GET', `/api/v1/followups?${q}`, { token: town01 });
    assert.equal(r.status, 422, q);
    assert.equal(r.json.field, field, q);
  }
  assert.equal((await s.request('GET', `/api/v1/followups?region=${OTHER_TOWN}`, { token: town01 })).status, 403);
  assert.equal((await s.request('GET', '/api/v1/followups', { token: (await s.login('resident01')) })).status, 403);
  const f = await csvOf(`/api/v1/followups?format=csv&program=hypertension&from=${SINCE}`, town01);
  const [header, ...rows] = f.rows;
  assert.deepEqual(rows.map((r) => Number(r[0])), ids);
  const cls = header.indexOf('评估分类');
  assert.ok(rows.every((r) => r[header.indexOf('项目')] === '高血压'));
  assert.ok(rows.some((r) => ['控制满意', '首次控制不满意', '连续两次控制不满意'].includes(r[cls])));
  // A note Excel would run as a formula is written as text after an apostrophe.
  const mine = dbJson(demo.db, `SELECT e.resident_id AS id FROM enrolments e JOIN residents r ON r.id = e.resident_id WHERE e.program = 'hypertension' AND e.end_date IS NULL AND r.region LIKE '51152410100101%' ORDER BY e.resident_id DESC LIMIT 1`)[0].id;
  const fu = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: mine, program: 'hypertension', visit_date: daysAgo(3), sbp: 130, dbp: 80, findings: [], note: '=HYPERLINK("http://x","y")', confirm_duplicate: true } });
  assert.equal(fu.status, 201, fu.text);
  const again = await csvOf(`/api/v1/followups?format=csv&from=${daysAgo(3)}&program=hypertension`, doctor01);
  const row = again.rows.find((r) => Number(r[0]) === fu.json.id);
  assert.equal(row[again.rows[0].indexOf('备注')], `'=HYPERLINK("http://x","y")`);
});

test('contracts, the work list, indicators and their breakdown as files', async () => {
  const contracts = await everything('/api/v1/contracts', town01);
  const c = await csvOf('/api/v1/contracts?format=csv', town01);
  assert.deepEqual(c.rows.slice(1).map((r) => Number(r[0])), contracts.items.map((x) => x.id));
  assert.ok(c.rows.slice(1).every((r) => ['有效', '待生效'].includes(r[c.rows[0].indexOf('状态')])));
  const tasks = await everything('/api/v1/worklist?doctor=me', doctor01);
  const w = await csvOf('/api/v1/worklist?doctor=me&format=csv', doctor01);
  assert.equal(w.rows[0][0], '应随访日期');
  assert.deepEqual(w.rows.slice(1).map((r) => r[2]), tasks.items.map((t) => t.resident_name));
  const scope = `scope=region:${TOWN}&period=${YEAR}`;
  const ind = (await s.request('GET', `/api/v1/indicators?${scope}`, { token: town01 })).json;
  const i = await csvOf(`/api/v1/indicators?${scope}&format=csv`, town01, { 'Accept-Language': 'en' });
  assert.deepEqual(i.rows[0].slice(0, 5), ['Scope', 'Period', 'As of', 'Code', 'Indicator']);
  assert.deepEqual(i.rows.slice(1).map((r) => r[3]), ind.items.map((x) => x.code));
  const value = i.rows[0].indexOf('Value');
  for (const [k, x] of ind.items.entries()) {
    assert.equal(i.rows[k + 1][0], `region:${TOWN}`);
    if (x.value === null) assert.equal(i.rows[k + 1][value], '');
    else assert.equal(Number(i.rows[k + 1][value]), x.value, 'the shortest decimal that reads back');
  }
  const bd = (await s.request('GET', `/api/v1/indicators/breakdown?${scope}`, { token: town01 })).json;
  const b = await csvOf(`/api/v1/indicators/breakdown?${scope}&format=csv`, town01);
  assert.equal(b.rows.length - 1, bd.items.reduce((n, x) => n + x.items.length, 0), 'a row per place and indicator');
  assert.deepEqual(b.rows[1].slice(2, 5), [bd.items[0].scope, bd.items[0].name, bd.items[0].items[0].code]);
  const x = await download(`/api/v1/indicators/breakdown?${scope}&format=xlsx`, town01);
  assert.equal(readSheets(x.bytes)[0].length, b.rows.length);
});

test('jiayi export: the county\'s data set, a file per table equal to the database, a manifest that proves it, audited', async () => {
  // A follow-up whose note needs quoting, written through the API while the server runs.
  const someone = dbJson(demo.db, "SELECT e.resident_id AS id FROM enrolments e JOIN residents r ON r.id = e.resident_id WHERE e.program = 'hypertension' AND e.end_date IS NULL AND r.region LIKE '51152410100101%' ORDER BY e.resident_id LIMIT 1")[0].id;
  const note = '复查 "血压", 下周\n再来';
  const fu = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: someone, program: 'hypertension', visit_date: daysAgo(2), sbp: 150, dbp: 95, findings: [], note } });
  assert.equal(fu.status, 201, fu.text);
  const dir = join(demo.dir, 'data-set');
  const out = jiayi(['export', '--db', demo.db, '--county', '511524', '--to', dir]);
  assert.equal(out.stdout.trim(), join(dir, 'manifest.json'));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.county, '511524');
  assert.equal(manifest.exported_by, 'admin');
  const names = manifest.files.map((f) => f.file);
  for (const t of ['residents', 'households', 'contracts', 'diagnoses', 'enrolments', 'followups', 'exam_results', 'encounters', 'referrals'])
    assert.ok(names.includes(`${t}.csv`), t);
  for (const f of manifest.files) {
    const bytes = readFileSync(join(dir, f.file));
    assert.equal(bytes.length, f.bytes, f.file);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), f.sha256, f.file);
    const rows = parseCsv(bytes.toString('utf8'));
    assert.deepEqual(rows[0], f.columns, f.file);
    assert.equal(rows.length - 1, f.rows, f.file);
    assert.ok(!existsSync(join(dir, `${f.file}.part`)));
    assert.equal(statSync(join(dir, f.file)).mode & 0o777, 0o600, 'full ID numbers: readable by the owner only');
  }
  const table = (name) => parseCsv(readFileSync(join(dir, `${name}.csv`), 'utf8'));
  // Every resident of the county, with the full ID number, in id order, equal to the database.
  const [rh, ...residents] = table('residents');
  const stored = dbJson(demo.db, "SELECT id, name, id_number, phone FROM residents WHERE county_code = '511524' ORDER BY id");
  assert.equal(residents.length, stored.length);
  for (const [i, p] of stored.entries()) {
    assert.equal(Number(residents[i][rh.indexOf('id')]), p.id);
    // Sealed in the database (util/seal.h), in the clear in the file for the platform that keeps them.
    assert.match(p.id_number, /^v1\./);
    assert.equal(residents[i][rh.indexOf('id_number')], openPii(demo.db, p.id_number));
    assert.equal(residents[i][rh.indexOf('phone')], openPii(demo.db, p.phone) ?? '');
  }
  const [fh, ...followups] = table('followups');
  assert.equal(followups.length, dbJson(demo.db, "SELECT count(*) AS n FROM followups WHERE county_code = '511524'")[0].n);
  const mine = followups.find((r) => Number(r[0]) === fu.json.id);
  assert.ok(mine, 'the follow-up written before the export is in it');
  assert.equal(mine[fh.indexOf('note')], note, 'quotes, commas and line breaks survive');
  assert.equal(mine[fh.indexOf('sbp')], '150');
  // The people in it have the export in their trail; the chain holds.
  const trail = await s.request('GET', `/api/v1/audit?resident=${stored.at(-1).id}&limit=500`, { token: admin });
  assert.ok(trail.json.items.some((e) => e.action === 'export' && e.resource === 'residents'), trail.text);
  assert.match(jiayi(['audit', 'verify', '--db', demo.db]).stdout, /^audit chain intact/);
  // Only a user who reads every resident of the county; only a county.
  const refused = jiayi(['export', '--db', demo.db, '--county', '511524', '--to', join(demo.dir, 'no'), '--username', 'town01'], { check: false });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /may not read every resident/);
  assert.ok(!existsSync(join(demo.dir, 'no', 'manifest.json')));
  const notCounty = jiayi(['export', '--db', demo.db, '--county', TOWN, '--to', join(demo.dir, 'no')], { check: false });
  assert.equal(notCounty.status, 1);
  assert.match(notCounty.stderr, /invalid_region/);
});

test('more lists offer their file: households, flags, referrals, bookings, the people behind a number, census rates, staff, institutions', async () => {
  const lists = [
    ['/api/v1/households', 'households', 0, (x) => x.id],
    ['/api/v1/flags', 'flags', 0, (x) => x.id],
    ['/api/v1/referrals', 'referrals', 0, (x) => x.id],
    ['/api/v1/bookings', 'bookings', 0, (x) => x.id], // a numeric cursor
    ['/api/v1/staff', 'staff', 0, (x) => x.id],
    ['/api/v1/institutions', 'institutions', 0, (x) => x.id],
  ];
  for (const [path, file, idColumn, key] of lists) {
    const list = await everything(path, town01);
    const f = await csvOf(`${path}${path.includes('?') ? '&' : '?'}format=csv`, town01);
    assert.match(f.disposition, new RegExp(`filename="${file}-\\d{4}-\\d{2}-\\d{2}\\.csv"`), path);
    assert.deepEqual(f.rows.slice(1).map((r) => Number(r[idColumn])), list.items.map(key), path);
  }
  // The people behind a county's number, over more than one page: the same as the list.
  const people = `/api/v1/indicators/patients?scope=region:511524&period=${YEAR}&code=signing_rate&part=denominator`;
  const behind = await everything(people, admin);
  assert.ok(behind.items.length > 500, 'more than one page');
  const p = await csvOf(`${people}&format=csv`, admin);
  assert.deepEqual(p.rows.slice(1).map((r) => Number(r[4])), behind.items.map((x) => x.id));
  assert.ok(p.rows.slice(1).every((r) => r[3] === '分母' && r[2] === 'signing_rate'));
  const census = await s.request('GET', '/api/v1/census-rates', { token: town01 });
  const c = await csvOf('/api/v1/census-rates?format=csv', town01);
  assert.deepEqual(c.rows.slice(1).map((r) => r[0]), census.json.items.map((x) => x.region));
  // The referrals page newest first, by a cursor; their codes as words.
  const page1 = await s.request('GET', '/api/v1/referrals?limit=2', { token: town01 });
  assert.equal(page1.json.items.length, 2);
  const page2 = await s.request('GET', `/api/v1/referrals?limit=2&cursor=${page1.json.next_cursor}`, { token: town01 });
  const all = (await s.request('GET', '/api/v1/referrals', { token: town01 })).json.items;
  assert.deepEqual([...page1.json.items, ...page2.json.items].map((x) => x.id), all.slice(0, 4).map((x) => x.id));
  const r = await csvOf('/api/v1/referrals?format=csv', town01);
  assert.ok(r.rows.slice(1).every((row) => ['上转', '下转'].includes(row[r.rows[0].indexOf('方向')])));
  // Codes as words: a household's type.
  const h = await csvOf('/api/v1/households?format=csv', town01, { 'Accept-Language': 'en' });
  assert.ok(h.rows.slice(1).every((row) => ['Ordinary', 'High-risk', 'Chronic illness', 'Disability'].includes(row[h.rows[0].indexOf('Family type')])));
});
