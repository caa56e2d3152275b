// Trends and schedules (issue 5, UI part): a resident's measurements over time from the
// follow-ups, ordered by date and bounded by ?from=&to=; the child and pregnancy schedules
// built from the record (birth date, the latest pregnancy, the visits recorded); scope,
// role, audit and the errors that name their field. Also the one npm file the UI loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makeDemo, startServer, cleanup, idNumber, ROOT } from '../lib/server.mjs';
import { TODAY as today, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, doctor02, admin, resident01;
const CELL = '51152410100101';

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [doctor01, doctor02, admin, resident01] = await Promise.all(['doctor01', 'doctor02', 'admin', 'resident01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function person(birth, { female = false } = {}) {
  const n = seq++;
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '趋势' + n, id_number: idNumber(birth, female ? 2 * n + 200 : 2 * n + 201), region: CELL } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
const get = (path, token = doctor01) => s.request('GET', `/api/v1${path}`, { token });
async function followup(body) {
  const r = await s.request('POST', '/api/v1/followups', { token: doctor01, body });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('measurements: the follow-ups\' blood pressure, glucose, weight and heart rate, oldest first, nulls left out', async () => {
  const p = await person('1958-05-05');
  for (const program of ['hypertension', 'diabetes']) {
    assert.equal((await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: p.id, program, start_date: daysAgo(400) } })).status, 201);
  }
  await followup({ resident_id: p.id, program: 'hypertension', visit_date: daysAgo(30), sbp: 148, dbp: 92, heart_rate: 76, weight_kg: 70.5 });
  await followup({ resident_id: p.id, program: 'hypertension', visit_date: daysAgo(300), sbp: 156, dbp: 96 });
  await followup({ resident_id: p.id, program: 'diabetes', visit_date: daysAgo(120), fbg: 7.8 });
  // An elderly assessment measures nothing: it is no point on a chart.
  await followup({ resident_id: p.id, program: 'elderly', visit_date: daysAgo(10), self_care: { eating: 0, grooming: 0, dressing: 0, toileting: 0, activity: 0 } });

  let r = await get(`/residents/${p.id}/measurements`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items, [
    { date: daysAgo(300), source: 'followup', sbp: 156, dbp: 96 },
    { date: daysAgo(120), source: 'followup', fbg: 7.8 },
    { date: daysAgo(30), source: 'followup', sbp: 148, dbp: 92, weight_kg: 70.5, heart_rate: 76 },
  ]);
  r = await get(`/residents/${p.id}/measurements?from=${daysAgo(200)}&to=${daysAgo(60)}`);
  assert.deepEqual(r.json.items.map((m) => m.date), [daysAgo(120)]);
  r = await get(`/residents/${p.id}/measurements?from=${daysAgo(200)}`);
  assert.deepEqual(r.json.items.map((m) => m.date), [daysAgo(120), daysAgo(30)]);

  // Bad bounds name the parameter.
  r = await get(`/residents/${p.id}/measurements?from=2026-02-30`);
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'from');
  r = await get(`/residents/${p.id}/measurements?from=${daysAgo(10)}&to=${daysAgo(20)}`);
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'to');
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);

  // Scope, role, unknown ids; the read is audited.
  r = await get(`/residents/${p.id}/measurements`, doctor02);
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'out_of_scope');
  assert.equal((await get(`/residents/${p.id}/measurements`, resident01)).status, 403);
  assert.equal((await get('/residents/999999/measurements', admin)).status, 404);
  assert.equal((await s.request('GET', `/api/v1/residents/${p.id}/measurements`)).status, 401);
  const audit = await get(`/audit?resident=${p.id}&limit=200`, admin);
  assert.ok(audit.json.items.some((a) => a.resource === 'measurements' && a.username === 'doctor01'), 'the read is audited');
});

test('a resident with no measurements gets an empty list', async () => {
  const p = await person('1990-01-01');
  const r = await get(`/residents/${p.id}/measurements`);
  assert.deepEqual(r.json, { items: [] });
});

test('child schedule: from the birth date and the checks recorded, as of today', async () => {
  const birth = daysAgo(100);
  const p = await person(birth);
  await followup({ resident_id: p.id, program: 'child', visit_date: daysAgo(97), weight_kg: 3.6 });
  await followup({ resident_id: p.id, program: 'child', visit_date: daysAgo(71), weight_kg: 4.8 });
  const r = await get(`/residents/${p.id}/schedule/child`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.program, 'child');
  assert.equal(r.json.as_of, today);
  assert.equal(r.json.birth_date, birth);
  const points = Object.fromEntries(r.json.schedule.map((x) => [x.point, x]));
  assert.deepEqual(Object.keys(points), ['newborn', 'month_1', 'm3', 'm6', 'm8', 'm12', 'm18', 'm24', 'm30', 'm36', 'y4', 'y5', 'y6']);
  assert.deepEqual([points.newborn.status, points.newborn.visit_date], ['done', daysAgo(97)]);
  assert.deepEqual([points.month_1.status, points.month_1.visit_date], ['done', daysAgo(71)]);
  assert.equal(points.m3.status, 'due');
  assert.equal(points.m6.status, 'upcoming');
  assert.equal(r.json.next_due, points.m3.window_end);
  // The same answer as the dry run given the same facts.
  const dry = await s.request('POST', '/api/v1/protocols/child/evaluate', { token: doctor01, body: { birth_date: birth, visits: [daysAgo(97), daysAgo(71)], as_of: today } });
  assert.deepEqual(dry.json.schedule, r.json.schedule);
  // A child's weights are measurements too.
  assert.deepEqual((await get(`/residents/${p.id}/measurements`)).json.items.map((m) => m.weight_kg), [3.6, 4.8]);
});

test('pregnancy schedule: the latest pregnancy, its visits, gestational weeks and the last assessed colours', async () => {
  const p = await person('1995-03-03', { female: true });
  let r = await get(`/residents/${p.id}/schedule/maternal`);
  assert.equal(r.status, 404, 'no pregnancy registered yet');
  assert.equal(r.json.field, 'pregnancy');
  const lmp = daysAgo(75);
  await followup({ resident_id: p.id, program: 'maternal', visit_date: daysAgo(10), lmp, risk_factors: [{ code: 'hypertension', color: 'orange' }] });
  r = await get(`/residents/${p.id}/schedule/maternal`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.lmp, lmp);
  assert.equal(r.json.delivery_date, null);
  assert.equal(r.json.gestational_weeks, 10);
  assert.deepEqual(r.json.colors, ['orange']);
  const first = r.json.schedule[0];
  assert.deepEqual([first.point, first.status, first.visit_date], ['first_visit', 'done', daysAgo(10)]);
  assert.equal(r.json.schedule.find((x) => x.point === 'w16_20').status, 'upcoming');
  assert.ok(!r.json.schedule.some((x) => x.point.startsWith('postpartum')), 'no postpartum points before a delivery');
});

test('schedules: not eligible, unknown programs, scope, role, audit', async () => {
  const man = await person('1980-06-06');
  let r = await get(`/residents/${man.id}/schedule/maternal`);
  assert.equal(r.status, 422);
  assert.deepEqual([r.json.code, r.json.field], ['not_eligible', 'program']);
  r = await get(`/residents/${man.id}/schedule/child`);
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'not_eligible');
  assert.equal((await get(`/residents/${man.id}/schedule/hypertension`)).status, 404);
  assert.equal((await get(`/residents/${man.id}/schedule/tb`)).status, 404);
  const child = await person(daysAgo(40));
  r = await get(`/residents/${child.id}/schedule/child`, doctor02);
  assert.equal(r.status, 403);
  assert.equal(r.json.code, 'out_of_scope');
  assert.equal((await get(`/residents/${child.id}/schedule/child`, resident01)).status, 403);
  assert.equal((await get('/residents/999999/schedule/child', admin)).status, 404);
  assert.equal((await get(`/residents/${child.id}/schedule/child`, admin)).status, 200);
  const audit = await get(`/audit?resident=${child.id}&limit=200`, admin);
  assert.ok(audit.json.items.some((a) => a.resource === 'schedule' && a.resource_id === `${child.id}/child`), 'the read is audited');
});

test('the chart library: exactly the whitelisted npm file, cached for a year; nothing else under /vendor', async () => {
  const version = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).dependencies.echarts;
  const r = await fetch(`${s.base}/vendor/echarts.min.js?v=${version}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/javascript/);
  assert.match(r.headers.get('cache-control'), /max-age=31536000/);
  const body = await r.text();
  assert.equal(body.length, readFileSync(`${ROOT}/node_modules/echarts/dist/echarts.min.js`, 'utf8').length);
  for (const path of ['/vendor/echarts.js', '/vendor/../package.json', '/vendor/echarts/dist/echarts.min.js', '/vendor/%2e%2e/package.json', '/vendor/']) {
    assert.equal((await fetch(s.base + path)).status, 404, path);
  }
  assert.equal((await fetch(`${s.base}/vendor/echarts.min.js`, { method: 'POST' })).status, 405);
  // The page asks for the version package.json installs, so the year's cache is safe.
  const charts = readFileSync(`${ROOT}/web/js/charts.js`, 'utf8');
  assert.ok(charts.includes(`ECHARTS_VERSION = '${version}'`), 'web/js/charts.js names the installed ECharts version');
});
