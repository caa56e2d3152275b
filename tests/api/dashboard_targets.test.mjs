// The dashboard reads true (issue 14), over HTTP on an exact fixture built through the API
// on `--residents 0`: indicator targets (national defaults; GET/PUT /indicator-targets for
// the system admin and the health commission only, validated naming the field, audited);
// every indicator item carries its unit, direction, target and status; the year-to-date
// trend (?cumulative=true); and the hypertension and diabetes care cascade
// (GET /indicators/cascade), scope-checked like the indicators.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbSql } from '../lib/server.mjs';
import { TODAY, YEAR, daysAgo } from '../lib/clock.mjs';

const CELL = '51152410100101';
const VILLAGE = CELL.slice(0, 12);
let demo, s, county, town01, doctor01, doctor02, admin, team;
const get = (path, token = county) => s.request('GET', `/api/v1${path}`, { token });
const put = (body, token = county) => s.request('PUT', '/api/v1/indicator-targets', { token, body });
const sqlite = (sql) => dbSql(demo.db, sql);
const item = (items, code) => items.find((i) => i.code === code);

let seq = 0;
async function patient(program, enrolled, visits) {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '级联' + seq, id_number: idNumber('1960-03-03', 301 + 2 * seq++), region: CELL } });
  assert.equal(r.status, 201, r.text);
  const e = await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: r.json.id, program, start_date: enrolled } });
  assert.equal(e.status, 201, e.text);
  for (const v of visits) {
    const f = await s.request('POST', '/api/v1/followups', { token: doctor01, body: { resident_id: r.json.id, program, visit_date: v.date, ...v.values } });
    assert.equal(f.status, 201, f.text);
  }
  return r.json.id;
}

// Hypertension (all aged 66: controlled below 150/90, PROTOCOLS.md §3):
//   A seen 30 days ago, controlled          -> registered, under care, visited, controlled
//   B seen 30 days ago, 160/95              -> registered, under care, visited
//   C seen 150 days ago, controlled         -> registered, under care (missed the 3 months)
//   D enrolled 400 days ago, never seen     -> registered (lost to follow-up)
//   E enrolled and seen 20 days ago         -> registered, under care, visited (not yet in the control base)
// Diabetes: F seen 30 days ago, FBG 6.2     -> every step.
const HTN = [
  { enrolled: daysAgo(400), visits: [{ date: daysAgo(30), values: { sbp: 130, dbp: 80 } }] },
  { enrolled: daysAgo(400), visits: [{ date: daysAgo(30), values: { sbp: 160, dbp: 95 } }] },
  { enrolled: daysAgo(400), visits: [{ date: daysAgo(150), values: { sbp: 128, dbp: 78 } }] },
  { enrolled: daysAgo(400), visits: [] },
  { enrolled: daysAgo(20), visits: [{ date: daysAgo(20), values: { sbp: 132, dbp: 82 } }] },
];

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [county, town01, doctor01, doctor02, admin] = await Promise.all(['county', 'town01', 'doctor01', 'doctor02', 'admin'].map((u) => s.login(u)));
  team = (await get('/session', doctor01)).json.user.teams[0];
  for (const p of HTN) await patient('hypertension', p.enrolled, p.visits);
  await patient('diabetes', daysAgo(400), [{ date: daysAgo(30), values: { fbg: 6.2 } }]);
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('the cascade of an exact fixture: registered -> under care -> visited in 3 months -> controlled', async () => {
  for (const [scope, token] of [[`region:${VILLAGE}`, town01], ['region:511524', county], [`team:${team}`, doctor01]]) {
    const r = await get(`/indicators/cascade?scope=${scope}&program=hypertension`, token);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.as_of, TODAY);
    assert.deepEqual(r.json.steps.map((x) => [x.step, x.count]),
      [['registered', 5], ['under_care', 4], ['visited_3_months', 3], ['controlled', 1]], scope);
    assert.equal(r.json.steps[1].share, 4 / 5);
    assert.equal(r.json.lost_to_follow_up, 1);
    assert.equal(r.json.missed_visit, 2);
    assert.equal(r.json.control_base, 4);
    assert.equal(r.json.control_rate, 1 / 4);
    assert.ok(r.json.steps.every((x) => typeof x.name === 'string' && x.name));
  }
  const dm = await get(`/indicators/cascade?scope=region:${VILLAGE}&program=diabetes`);
  assert.deepEqual(dm.json.steps.map((x) => x.count), [1, 1, 1, 1]);
  // a date in the past is computed from the raw rows: ten days ago nothing had changed yet
  const back = await get(`/indicators/cascade?scope=region:${VILLAGE}&program=hypertension&as_of=${daysAgo(10)}`);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.as_of, daysAgo(10));
  assert.deepEqual(back.json.steps.map((x) => x.count), [5, 4, 3, 1]);
  // and 25 days ago E was not enrolled yet
  const before = await get(`/indicators/cascade?scope=region:${VILLAGE}&program=hypertension&as_of=${daysAgo(25)}`);
  assert.deepEqual(before.json.steps.map((x) => x.count), [4, 3, 2, 1]);
  // the same numbers as the cascade indicators
  const ind = await get(`/indicators?scope=region:${VILLAGE}&codes=htn_under_care,htn_missed_visit,htn_cascade_controlled`);
  assert.equal(item(ind.json.items, 'htn_under_care').denominator, 5);
  assert.equal(item(ind.json.items, 'htn_under_care').numerator, 4);
  assert.equal(item(ind.json.items, 'htn_missed_visit').numerator, 2);
  assert.equal(item(ind.json.items, 'htn_cascade_controlled').numerator, 1);
});

test('the cascade refuses a scope outside the login and bad input names its field', async () => {
  const other = await get('/indicators/cascade?scope=region:511524102&program=hypertension', town01);
  assert.equal(other.status, 403);
  assert.equal(other.json.code, 'out_of_scope');
  assert.equal((await get(`/indicators/cascade?scope=team:${team}&program=hypertension`, doctor02)).status, 403);
  assert.equal((await get(`/indicators/cascade?scope=region:${VILLAGE}&program=smd`)).json.field, 'program');
  assert.equal((await get(`/indicators/cascade?scope=region:${VILLAGE}`)).json.field, 'program');
  assert.equal((await get(`/indicators/cascade?scope=region:${VILLAGE}&program=diabetes&as_of=2099-01-01`)).json.field, 'as_of');
  assert.equal((await get(`/indicators/cascade?scope=region:${VILLAGE}&program=diabetes&as_of=yesterday`)).json.field, 'as_of');
  assert.equal((await get(`/indicators/cascade?scope=nowhere&program=diabetes`)).json.field, 'scope');
});

test('every indicator item says its unit, direction, target and status (added fields only)', async () => {
  const r = await get(`/indicators?scope=region:${VILLAGE}&period=${YEAR}`);
  assert.equal(r.status, 200, r.text);
  for (const i of r.json.items) {
    for (const k of ['code', 'name', 'numerator', 'denominator', 'value']) assert.ok(k in i, `${i.code}.${k}`);
    assert.ok(['percent', 'count', 'per_capita'].includes(i.unit), i.code);
    assert.ok(['higher_is_better', 'lower_is_better'].includes(i.direction), i.code);
    assert.ok(i.target === null || typeof i.target === 'number', i.code);
    assert.ok(['met', 'near', 'below', 'none'].includes(i.status), i.code);
    if (i.value === null || i.target === null) assert.equal(i.status, 'none', i.code);
  }
  assert.equal(item(r.json.items, 'referrals_up').unit, 'count');
  assert.equal(item(r.json.items, 'fd_visits_per_capita').unit, 'per_capita');
  assert.equal(item(r.json.items, 'signing_rate').unit, 'percent');
  assert.equal(item(r.json.items, 'signing_rate').target, 0.75);
  assert.equal(item(r.json.items, 'referrals_up').target, null);
  assert.equal(item(r.json.items, 'htn_missed_visit').direction, 'lower_is_better');
  assert.equal(item(r.json.items, 'htn_control_rate').direction, 'higher_is_better');
  // no contract at all: 0% against 75% is below
  assert.equal(item(r.json.items, 'signing_rate').status, 'below');
  const b = await get(`/indicators/breakdown?scope=region:511524101&codes=signing_rate,referrals_down`, town01);
  assert.equal(b.status, 200, b.text);
  for (const c of b.json.items) {
    assert.equal(item(c.items, 'referrals_down').unit, 'count');
    assert.equal(item(c.items, 'signing_rate').target, 0.75);
  }
});

test('targets: defaults, validation naming the field, managers only, audited, colours follow', async () => {
  let r = await get('/indicator-targets', town01);
  assert.equal(r.status, 200, r.text);
  const signing = item(r.json.items, 'signing_rate');
  assert.deepEqual([signing.target, signing.default_target, signing.changed, signing.unit], [0.75, 0.75, false, 'percent']);
  assert.equal(item(r.json.items, 'referrals_up').target, null);
  assert.equal(r.json.near_margin, 0.1);

  assert.equal((await put({ targets: { signing_rate: 0.8 } }, town01)).status, 403);
  assert.equal((await put({ targets: { signing_rate: 0.8 } }, doctor01)).status, 403);
  r = await put({});
  assert.deepEqual([r.status, r.json.code, r.json.field], [422, 'missing_field', 'targets']);
  r = await put({ targets: [] });
  assert.equal(r.json.field, 'targets');
  r = await put({ targets: { signing_rate: 75 } });
  assert.deepEqual([r.status, r.json.code, r.json.field], [422, 'out_of_range', 'targets.signing_rate']);
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  r = await put({ targets: { nope: 0.5 } });
  assert.deepEqual([r.status, r.json.field], [422, 'targets.nope']);
  r = await put({ targets: { signing_rate: 'high' } });
  assert.deepEqual([r.status, r.json.code, r.json.field], [422, 'invalid_field', 'targets.signing_rate']);
  r = await put({ targets: { key_signing_rate: 0.9, htn_control_rate: -1 } });
  assert.equal(r.json.field, 'targets.htn_control_rate');
  assert.equal(item((await get('/indicator-targets')).json.items, 'key_signing_rate').target, 0.85, 'nothing half-written');

  // htn_under_care is 4/5 = 0.8 and htn_missed_visit 2/5 = 0.4 (lower is better)
  const status = async (code) => item((await get(`/indicators?scope=region:${VILLAGE}&codes=${code}`)).json.items, code);
  for (const [code, target, expected] of [
    ['htn_under_care', 0.8, 'met'], ['htn_under_care', 0.85, 'near'], ['htn_under_care', 0.95, 'below'],
    ['htn_missed_visit', 0.4, 'met'], ['htn_missed_visit', 0.37, 'near'], ['htn_missed_visit', 0.2, 'below'],
    ['htn_missed_visit', 0.5, 'met']]) {
    r = await put({ targets: { [code]: target } });
    assert.equal(r.status, 200, r.text);
    const now = item(r.json.items, code);
    assert.deepEqual([now.target, now.changed], [target, true]);
    const i = await status(code);
    assert.equal(i.target, target);
    assert.equal(i.status, expected, `${code} ${i.value} against ${target}`);
  }
  r = await put({ targets: { htn_missed_visit: null, referrals_up: 600 }, }, admin);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([item(r.json.items, 'htn_missed_visit').target, item(r.json.items, 'htn_missed_visit').changed], [0.25, false]);
  assert.equal(item(r.json.items, 'referrals_up').target, 600);
  assert.equal((await status('referrals_up')).status, 'below');
  let audited = 0;
  for (let i = 0; i < 50 && !audited; i++) {
    audited = Number(sqlite("SELECT count(*) FROM audit_log WHERE resource = 'indicator_target'"));
    if (!audited) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(audited >= 8, `each change audited: ${audited}`);
});

test('the trend to date: each month is the year from January to its end, the current month partial', async () => {
  const codes = 'htn_control_rate,htn_standard_rate';
  const r = await get(`/indicators/trend?scope=region:${VILLAGE}&year=${YEAR}&codes=${codes}&cumulative=true`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.cumulative, true);
  const month = Number(TODAY.slice(5, 7));
  assert.equal(r.json.months.length, month);
  const last = r.json.months[month - 1];
  assert.equal(last.as_of, TODAY);
  assert.equal(last.from, `${YEAR}-01-01`);
  assert.deepEqual(last.items, r.json.total.items, 'the current month is the year so far');
  const monthEnd = (m) => new Date(Date.UTC(Number(YEAR), m, 0)).toISOString().slice(0, 10);
  assert.equal(last.partial, TODAY !== monthEnd(month));
  // htn_control_rate to date: latest follow-up since January controlled / patients enrolled by then
  const start = `${YEAR}-01-01`;
  for (const [k, entry] of r.json.months.entries()) {
    const end = k === month - 1 ? TODAY : monthEnd(k + 1);
    assert.equal(entry.as_of, end);
    if (k < month - 1) assert.equal(entry.partial, false);
    let num = 0, den = 0;
    for (const p of HTN) {
      if (p.enrolled > end) continue;
      den++;
      const seen = p.visits.filter((v) => v.date >= start && v.date <= end).sort((a, b) => a.date.localeCompare(b.date));
      const latest = seen[seen.length - 1];
      if (latest && latest.values.sbp < 150 && latest.values.dbp < 90) num++;
    }
    const i = item(entry.items, 'htn_control_rate');
    assert.deepEqual([i.numerator, i.denominator], [num, den], `${entry.period} as of ${end}`);
  }
  // without ?cumulative the months stay the months themselves (unchanged answer)
  const plain = await get(`/indicators/trend?scope=region:${VILLAGE}&year=${YEAR}&codes=${codes}`);
  assert.equal(plain.json.cumulative, false);
  const direct = await get(`/indicators?scope=region:${VILLAGE}&period=${plain.json.months[0].period}&codes=${codes}`);
  assert.deepEqual(plain.json.months[0].items, direct.json.items);
  assert.equal((await get(`/indicators/trend?scope=region:${VILLAGE}&cumulative=yes`)).json.field, 'cumulative');
  assert.equal((await get('/indicators/trend?scope=region:511524102&cumulative=true', town01)).status, 403);
});
