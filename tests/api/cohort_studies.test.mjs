// Before-and-after cohort studies (issue 22, docs/evaluation.md): a cohort drawn by kind (a
// team's service group, a package's signers, a team's patients of a program, a list), each
// member's measures snapshot in both periods and equal to what the raw records say, the
// report's tests equal to `jiayi stats` on the exported data set (which equals SciPy and
// statsmodels, tests/api/stats_command.test.mjs), exports, the audit entry naming every
// member, scope, roles and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDemo, startServer, cleanup, dbJson, jiayi, openPii, idNumber } from '../lib/server.mjs';
import { TODAY, daysAgo } from '../lib/clock.mjs';
import { readSheet } from '../lib/xlsx.mjs';

let demo, s, county, town, admin, doctor;
const dir = mkdtempSync(join(tmpdir(), 'jiayi-cohort-'));
const sql = (q) => dbJson(demo.db, q);
const req = (method, path, token, body) => s.request(method, `/api/v1${path}`, { token, body });
const BEFORE = { from: daysAgo(365), to: daysAgo(183) };
const AFTER = { from: daysAgo(182), to: daysAgo(1) };
const TEAM = 1; // doctor01's, at 长宁镇卫生院 (town01's centre)

before(async () => {
  demo = makeDemo({ residents: 3000, name: 'cohort' });
  s = await startServer(demo.db);
  [county, town, admin, doctor] = await Promise.all(['county', 'town01', 'admin', 'doctor01'].map((u) => s.login(u)));
});
after(async () => {
  await s.stop();
  cleanup(demo.dir);
  rmSync(dir, { recursive: true, force: true });
});

const study = (body, token = town) => req('POST', '/cohort-studies', token, { name: '测试研究', before: BEFORE, after: AFTER, ...body });

test('bad input is named; the cohort must lie in the caller\'s scope and role', async () => {
  const otherTeam = sql('SELECT t.id FROM teams t WHERE t.institution_id <> (SELECT institution_id FROM teams WHERE id = 1) ORDER BY t.id LIMIT 1')[0].id;
  const outsider = sql(`SELECT p.id FROM residents p WHERE p.region NOT LIKE '511524101%' ORDER BY p.id LIMIT 1`)[0].id;
  for (const [body, status, code, field] of [
    [{ kind: 'service_group', team_id: TEAM, before: undefined }, 422, 'missing_field', 'before'],
    [{ kind: 'service_group', team_id: TEAM, before: { from: BEFORE.from } }, 422, 'missing_field', 'before.to'],
    [{ kind: 'service_group', team_id: TEAM, after: { from: 'soon', to: AFTER.to } }, 422, 'invalid_date', 'after.from'],
    [{ kind: 'service_group', team_id: TEAM, after: { from: AFTER.from, to: TODAY } }, 422, 'invalid_field', 'after.to'],
    [{ kind: 'service_group', team_id: TEAM, after: { from: BEFORE.to, to: AFTER.to } }, 422, 'invalid_field', 'after.from'],
    [{ kind: 'service_group', team_id: TEAM, before: { from: BEFORE.to, to: BEFORE.from } }, 422, 'invalid_field', 'before.to'],
    [{ kind: 'cohort', team_id: TEAM }, 422, 'invalid_field', 'kind'],
    [{ kind: 'service_group' }, 422, 'missing_field', 'team_id'],
    [{ kind: 'service_group', team_id: 99999 }, 422, 'invalid_field', 'team_id'],
    [{ kind: 'program', team_id: TEAM }, 422, 'missing_field', 'program'],
    [{ kind: 'program', team_id: TEAM, program: 'flu' }, 422, 'invalid_field', 'program'],
    [{ kind: 'package', package_id: 1 }, 422, 'missing_field', 'region'],
    [{ kind: 'package', region: '511524101' }, 422, 'missing_field', 'package_id'],
    [{ kind: 'package', region: '511524101', package_id: 99999 }, 422, 'invalid_field', 'package_id'],
    [{ kind: 'list', region: '511524101' }, 422, 'missing_field', 'resident_ids'],
    [{ kind: 'list', region: '511524101', resident_ids: [] }, 422, 'invalid_field', 'resident_ids'],
    [{ kind: 'list', region: '511524101', resident_ids: ['1'] }, 422, 'invalid_field', 'resident_ids'],
    [{ kind: 'service_group', team_id: otherTeam }, 403, 'out_of_scope', undefined],
    [{ kind: 'list', region: '511524101', resident_ids: [outsider] }, 403, 'out_of_scope', undefined],
    [{ kind: 'package', region: '511524', package_id: 1 }, 403, 'out_of_scope', 'region'],
  ]) {
    const r = await study(body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [status, code, field], JSON.stringify(body));
  }
  assert.equal((await study({ kind: 'service_group', team_id: TEAM }, doctor)).status, 403, 'a doctor does not run studies');
  assert.equal(sql('SELECT count(*) AS n FROM cohort_studies WHERE name = \'测试研究\'')[0].n, 0, 'nothing half-written');
});

let group;

test('a service group: the cohort as of the first day after, each measure as the records say', async () => {
  const r = await study({ kind: 'service_group', team_id: TEAM, name: '服务团评估' });
  assert.equal(r.status, 201, r.text);
  group = r.json;
  assert.deepEqual([group.kind, group.team_id, group.before, group.after], ['service_group', TEAM, BEFORE, AFTER]);
  const want = sql(`SELECT DISTINCT c.resident_id AS id FROM contracts c JOIN residents p ON p.id = c.resident_id
    WHERE c.team_id = ${TEAM} AND c.start_date <= '${AFTER.from}' AND coalesce(c.ended_on, c.end_date) >= '${AFTER.from}'
    AND (p.status = 'alive' OR p.status_date IS NULL OR p.status_date >= '${AFTER.from}') ORDER BY 1`).map((x) => x.id);
  assert.ok(want.length >= 10, `team 1 has ${want.length} signers`);
  assert.equal(group.members, want.length);
  const members = sql(`SELECT member, resident_id FROM cohort_members WHERE study_id = ${group.id} ORDER BY member`);
  assert.deepEqual(members.map((m) => m.resident_id), want);

  // Each member's values, recomputed here from the raw rows.
  const ids = members.map((m) => m.resident_id).join(',');
  const enc = sql(`SELECT resident_id, encounter_date AS day, team_id, primary_care FROM encounters WHERE resident_id IN (${ids})`);
  const con = sql(`SELECT resident_id, team_id, start_date, coalesce(ended_on, end_date) AS last FROM contracts WHERE resident_id IN (${ids})`);
  const trust = sql(`SELECT id, resident_id, answered_on AS day, total FROM survey_responses WHERE questionnaire_id = 2 AND resident_id IN (${ids})`);
  const fol = sql(`SELECT id, resident_id, visit_date AS day, program, classification FROM followups WHERE resident_id IN (${ids})`);
  const values = sql(`SELECT member, measure, before_value AS b, after_value AS a FROM cohort_values WHERE study_id = ${group.id}`);
  const stored = new Map(values.map((v) => [`${v.member}/${v.measure}`, [v.b, v.a]]));
  const within = (day, p) => day >= p.from && day <= p.to;
  const latest = (rows, p) => rows.filter((x) => within(x.day, p)).sort((x, y) => (x.day < y.day ? 1 : x.day > y.day ? -1 : y.id - x.id))[0];
  let checked = 0;
  for (const m of members) {
    const mine = enc.filter((e) => e.resident_id === m.resident_id);
    const own = (e) => con.some((c) => c.resident_id === e.resident_id && c.team_id === e.team_id && c.start_date <= e.day && c.last >= e.day);
    const expect = (p) => {
      const inP = mine.filter((e) => within(e.day, p));
      const last = latest(trust.filter((t) => t.resident_id === m.resident_id), p);
      const chronic = latest(fol.filter((f) => f.resident_id === m.resident_id && ['hypertension', 'diabetes'].includes(f.program)), p);
      return {
        encounters: inP.length,
        primary_visits: inP.filter((e) => e.primary_care === 1).length,
        fd_visits: inP.filter(own).length,
        fd_share: inP.length ? inP.filter(own).length / inP.length : null,
        followups: fol.filter((f) => f.resident_id === m.resident_id && within(f.day, p)).length,
        trust_total: last ? last.total : null,
        controlled: chronic ? (chronic.classification === 'controlled' ? 1 : 0) : null,
        signed: con.some((c) => c.resident_id === m.resident_id && c.start_date <= p.to && c.last >= p.to) ? 1 : 0,
      };
    };
    const [b, a] = [expect(BEFORE), expect(AFTER)];
    for (const k of Object.keys(b)) {
      const [sb, sa] = stored.get(`${m.member}/${k}`);
      const same = (x, y) => (x === null ? y === null : Math.abs(x - y) < 1e-12);
      assert.ok(same(b[k], sb) && same(a[k], sa), `member ${m.member} ${k}: stored ${sb}/${sa}, records ${b[k]}/${a[k]}`);
      checked++;
    }
  }
  assert.ok(checked >= 80);
  // The creation is in the audit chain, naming every member.
  await req('GET', '/audit', admin);
  const audit = await req('GET', `/audit?resident=${members[0].resident_id}&limit=500`, admin);
  assert.ok(audit.json.items.some((e) => e.resource === 'cohort_study' && e.action === 'create' && e.resource_id.split(';')[0] === String(group.id)), audit.text.slice(0, 300));
});

// The members' data set, every page.
async function dataSet(id, token = town) {
  let cursor = '', items = [];
  for (;;) {
    const r = await req('GET', `/cohort-studies/${id}/members?limit=7${cursor}`, token);
    assert.equal(r.status, 200, r.text);
    items = items.concat(r.json.items);
    if (!r.json.next_cursor) return { items, total: r.json.total };
    cursor = `&cursor=${r.json.next_cursor}`;
  }
}
const csvOf = (name, rows, columns) => {
  const file = join(dir, name);
  writeFileSync(file, [columns.join(','), ...rows.map((r) => columns.map((c) => r[c]).join(','))].join('\n') + '\n');
  return file;
};
const stats = (args) => JSON.parse(jiayi(['stats', ...args]).stdout);

test('the report\'s tests equal `jiayi stats` on the exported data set', async () => {
  const r = await req('GET', `/cohort-studies/${group.id}`, town);
  assert.equal(r.status, 200, r.text);
  const report = r.json;
  assert.equal(report.items.length, 25);
  const { items, total } = await dataSet(group.id);
  assert.equal(total, group.members);
  assert.deepEqual(items.map((m) => m.member), Array.from({ length: total }, (_, i) => i + 1));
  assert.ok(!('resident_id' in items[0]) && !('name' in items[0]), 'members are numbered, never named');
  for (const code of ['fd_visits_per_month', 'encounters', 'trust_total', 'fd_share']) {
    const m = report.items.find((x) => x.code === code);
    const pairs = items.filter((x) => x[`${code}_before`] !== null && x[`${code}_after`] !== null);
    assert.equal(m.n, pairs.length, code);
    if (pairs.length < 2) continue;
    const file = csvOf(`${code}.csv`, pairs, [`${code}_after`, `${code}_before`]);
    const cols = `${code}_after,${code}_before`;
    assert.ok(!m.paired_t.error, `${code}: ${m.paired_t.error}`);
    const t = stats(['paired-t', '--csv', file, '--columns', cols]);
    assert.deepEqual([m.paired_t.statistic, m.paired_t.df, m.paired_t.p], [t.statistic, t.df, t.p], code);
    const w = stats(['wilcoxon', '--csv', file, '--columns', cols]);
    assert.deepEqual([m.wilcoxon.statistic, m.wilcoxon.p, m.wilcoxon.method], [w.statistic, w.p, w.method], code);
    const mean = (k) => pairs.reduce((sum, x) => sum + x[k], 0) / pairs.length;
    assert.ok(Math.abs(m.before_mean - mean(`${code}_before`)) < 1e-9 && Math.abs(m.after_mean - mean(`${code}_after`)) < 1e-9);
  }
  const yes = report.items.find((x) => x.code === 'any_fd_visit');
  assert.equal(yes.kind, 'binary');
  const file = csvOf('any.csv', items, ['any_fd_visit_before', 'any_fd_visit_after']);
  const mc = stats(['mcnemar', '--csv', file, '--columns', 'any_fd_visit_before,any_fd_visit_after']);
  assert.deepEqual([yes.b, yes.c, yes.mcnemar.statistic, yes.mcnemar.p, yes.mcnemar.method], [mc.b, mc.c, mc.statistic, mc.p, mc.method]);
  // The regression: the change of monthly visits to the family doctor on the factors.
  const g = report.regression;
  assert.equal(g.outcome, 'fd_visits_per_month');
  const factors = ['age', 'male', 'chronic_conditions'];
  const narrow = await req('GET', `/cohort-studies/${group.id}?outcome=encounters&factors=${factors.join(',')}`, town);
  const reg = narrow.json.regression;
  const rows = items.map((x) => ({ ...x, change: x.encounters_after - x.encounters_before }));
  assert.ok(!reg.error, reg.error);
  {
    const o = stats(['ols', '--csv', csvOf('ols.csv', rows, ['change', ...factors]), '--columns', ['change', ...factors].join(',')]);
    assert.deepEqual(reg.coefficients.map((c) => c.name), ['const', ...factors]);
    reg.coefficients.forEach((c, i) => assert.deepEqual([c.estimate, c.se, c.t, c.p], [o.coefficients[i].estimate, o.coefficients[i].se, o.coefficients[i].t, o.coefficients[i].p]));
    assert.deepEqual([reg.n, reg.r2, reg.adj_r2, reg.f, reg.f_p], [o.n, o.r2, o.adj_r2, o.f, o.f_p]);
  }
  for (const [q, field] of [['outcome=signed', 'outcome'], ['outcome=nope', 'outcome'], ['factors=age,age', 'factors'], ['factors=height', 'factors']]) {
    const bad = await req('GET', `/cohort-studies/${group.id}?${q}`, town);
    assert.deepEqual([bad.status, bad.json.field], [422, field], q);
  }
  // The members' read is audited too.
  const someone = sql(`SELECT resident_id FROM cohort_members WHERE study_id = ${group.id} AND member = 1`)[0].resident_id;
  await req('GET', '/audit', admin);
  const audit = await req('GET', `/audit?resident=${someone}&limit=500`, admin);
  assert.ok(audit.json.items.some((e) => e.resource === 'cohort_members'), audit.text.slice(0, 300));
});

test('exports: the report, the regression and the data set as CSV and XLSX', async () => {
  const get = async (path, headers = {}) => {
    const res = await fetch(`${s.base}/api/v1${path}`, { headers: { Authorization: `Bearer ${town}`, ...headers } });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const csv = await get(`/cohort-studies/${group.id}?format=csv`);
  assert.equal(csv.status, 200);
  const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\n');
  assert.equal(lines.length, 26);
  assert.match(lines[0], /指标代码.*配对t检验P值.*McNemar P值/);
  assert.match(lines[1], /^"?encounters"?,/);
  const x = await get(`/cohort-studies/${group.id}/members?format=xlsx`);
  assert.equal(x.status, 200);
  const rows = readSheet(x.bytes);
  assert.equal(rows.length, group.members + 1);
  assert.ok(rows[0].some((c) => c[1] === 'fd_visits_per_month_after'));
  const reg = await get(`/cohort-studies/${group.id}/regression?format=csv&factors=age,male`, { 'Accept-Language': 'en' });
  assert.equal(reg.status, 200);
  const regLines = reg.bytes.toString('utf8').replace(/^\uFEFF/, '').trim().split('\n');
  assert.match(regLines[0], /Outcome \(change\)"?,"?Variable/);
  assert.equal(regLines.length, 4, 'a header, the intercept and two factors');
});

test('other kinds: a package\'s signers, a team\'s patients of a program, a list', async () => {
  const pkg = sql(`SELECT cp.package_id AS id, count(*) AS n FROM contract_packages cp JOIN contracts c ON c.id = cp.contract_id
    WHERE c.start_date <= '${AFTER.from}' AND coalesce(c.ended_on, c.end_date) >= '${AFTER.from}' GROUP BY 1 ORDER BY 2 DESC LIMIT 1`)[0];
  const p = await study({ kind: 'package', package_id: pkg.id, region: '511524' }, county);
  assert.equal(p.status, 201, p.text);
  const signers = sql(`SELECT count(DISTINCT c.resident_id) AS n FROM contracts c JOIN contract_packages cp ON cp.contract_id = c.id
    JOIN residents r ON r.id = c.resident_id
    WHERE cp.package_id IN (SELECT id FROM packages WHERE code = (SELECT code FROM packages WHERE id = ${pkg.id}))
    AND c.start_date <= '${AFTER.from}' AND coalesce(c.ended_on, c.end_date) >= '${AFTER.from}'
    AND (r.status = 'alive' OR r.status_date IS NULL OR r.status_date >= '${AFTER.from}')`)[0].n;
  assert.equal(p.json.members, signers);
  const h = await study({ kind: 'program', team_id: TEAM, program: 'hypertension' });
  assert.equal(h.status, 201, h.text);
  const patients = sql(`SELECT count(DISTINCT e.resident_id) AS n FROM enrolments e JOIN residents r ON r.id = e.resident_id
    WHERE e.program = 'hypertension' AND e.start_date <= '${AFTER.from}' AND (e.end_date IS NULL OR e.end_date > '${AFTER.from}')
    AND (r.status = 'alive' OR r.status_date IS NULL OR r.status_date >= '${AFTER.from}')
    AND EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = e.resident_id AND c.team_id = ${TEAM}
      AND c.start_date <= '${AFTER.from}' AND coalesce(c.ended_on, c.end_date) >= '${AFTER.from}')`)[0].n;
  assert.equal(h.json.members, patients);
  const report = (await req('GET', `/cohort-studies/${h.json.id}`, town)).json;
  const sbp = report.items.find((x) => x.code === 'sbp');
  assert.ok(sbp.n > 0, 'patients of hypertension have blood pressures in both periods');
  const some = sql(`SELECT id FROM residents WHERE region LIKE '511524101%' ORDER BY id LIMIT 5`).map((x) => x.id);
  const l = await study({ kind: 'list', region: '511524101', resident_ids: [...some, some[0]] });
  assert.equal(l.status, 201, l.text);
  assert.equal(l.json.members, 5, 'each resident once');
  // A list as a spreadsheet has it: ID numbers, found by their digest.
  const numbers = sql(`SELECT id_number FROM residents WHERE region LIKE '511524101%' ORDER BY id LIMIT 3`).map((x) => openPii(demo.db, x.id_number));
  const byNumber = await study({ kind: 'list', region: '511524101', id_numbers: numbers });
  assert.equal(byNumber.status, 201, byNumber.text);
  assert.equal(byNumber.json.members, 3);
  for (const [list, code] of [[['123'], 'invalid_id_number'], [[idNumber('1931-02-03', 997)], 'invalid_field'], ['x', 'invalid_field']]) {
    const r = await study({ kind: 'list', region: '511524101', id_numbers: list });
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, 'id_numbers'], JSON.stringify(list));
  }
  // Who sees which: the county every study, the centre its own; a doctor none.
  const mine = (await req('GET', '/cohort-studies', town)).json.items.map((x) => x.id);
  const all = (await req('GET', '/cohort-studies', county)).json.items.map((x) => x.id);
  assert.ok(mine.includes(group.id) && mine.includes(l.json.id) && !mine.includes(p.json.id), JSON.stringify([mine, group.id, l.json.id, p.json.id]));
  assert.ok([group.id, p.json.id, h.json.id, l.json.id].every((id) => all.includes(id)));
  assert.equal((await req('GET', `/cohort-studies/${p.json.id}`, town)).status, 403);
  assert.equal((await req('GET', `/cohort-studies/${group.id}`, doctor)).status, 403);
  assert.equal((await req('GET', '/cohort-studies/999999', town)).status, 404);
});
