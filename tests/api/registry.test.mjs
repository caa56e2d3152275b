// Registry workflows end to end over HTTP: households and class recomputation, census
// visits and rates, first discovery (flag -> confirm -> work list), enrolments, record
// opening, the audit trail, and the audit chain after all of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, jiayi, PASSWORD } from '../lib/server.mjs';

let demo, s, admin, doctor01, doctor02, village01, town01;
const CELL = '51152410100101';

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  [admin, doctor01, doctor02, village01, town01] = await Promise.all(
    ['admin', 'doctor01', 'doctor02', 'village01', 'town01'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

async function register(token, fields) {
  const r = await s.request('POST', '/api/v1/residents', { token, body: { region: CELL, ...fields } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

test('class II follows a class I household member; recomputed on every change', async () => {
  const head = await register(doctor01, { name: '户主甲', id_number: idNumber('1980-04-04', 31) });
  assert.equal(head.population_class, 3);
  assert.equal(head.relation, 'head');
  const grandma = await register(doctor01, { name: '奶奶甲', id_number: idNumber('1950-04-04', 32), household_id: head.household_id, relation: 'parent' });
  assert.equal(grandma.population_class, 1);
  const again = await s.request('GET', `/api/v1/residents/${head.id}`, { token: doctor01 });
  assert.equal(again.json.population_class, 2);
  const hh = await s.request('GET', `/api/v1/households/${head.household_id}`, { token: doctor01 });
  assert.equal(hh.status, 200);
  assert.equal(hh.json.members.length, 2);
  assert.equal(hh.json.family_type, 'healthy');
  // the elderly member dies: the head goes back to class III
  const died = await s.request('PATCH', `/api/v1/residents/${grandma.id}`, { token: doctor01, body: { status: 'deceased' } });
  assert.equal(died.status, 200, died.text);
  assert.equal(died.json.status, 'deceased');
  assert.equal((await s.request('GET', `/api/v1/residents/${head.id}`, { token: doctor01 })).json.population_class, 3);
});

test('enrolment: hypertension under 35 is not eligible; enrolled makes class I and a chronic household', async () => {
  const young = await register(doctor01, { name: '青年乙', id_number: idNumber('2000-01-05', 33) });
  const r = await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: young.id, program: 'hypertension', start_date: '2026-01-10' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.code, 'not_eligible');
  const older = await register(doctor01, { name: '中年乙', id_number: idNumber('1970-01-05', 35) });
  const e = await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: older.id, program: 'hypertension', start_date: '2026-01-10' } });
  assert.equal(e.status, 201, e.text);
  assert.deepEqual(Object.keys(e.json).sort(), ['id', 'program', 'resident_id', 'start_date']);
  const dup = await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: older.id, program: 'hypertension', start_date: '2026-02-10' } });
  assert.equal(dup.status, 409);
  const g = await s.request('GET', `/api/v1/residents/${older.id}`, { token: doctor01 });
  assert.deepEqual(g.json.programs, ['hypertension']);
  assert.equal(g.json.population_class, 1);
  const hh = await s.request('GET', `/api/v1/households/${older.household_id}`, { token: doctor01 });
  assert.equal(hh.json.family_type, 'chronic');
});

test('first discovery: staff of the area flag, the grid team confirms, the task reaches its work list', async () => {
  const p = await register(doctor01, { name: '独居丙', id_number: idNumber('1948-08-08', 37) });
  // doctor02 works in another township: a person of this one is not theirs to name, even to
  // flag (an id would let anyone probe another township's people and reach its work list).
  const probe = await s.request('POST', '/api/v1/flags', { token: doctor02, body: { resident_id: p.id, reason: 'elderly_living_alone', note: '赶集时发现独居' } });
  assert.equal(probe.status, 403);
  assert.ok(!probe.text.includes('独居丙'));
  // The township centre flags; the grid team decides.
  const f = await s.request('POST', '/api/v1/flags', { token: town01, body: { resident_id: p.id, reason: 'elderly_living_alone', note: '赶集时发现独居' } });
  assert.equal(f.status, 201, f.text);
  assert.equal(f.json.status, 'open');
  const denied = await s.request('POST', `/api/v1/flags/${f.json.id}/confirm`, { token: doctor02, body: {} });
  assert.equal(denied.status, 403);
  assert.equal(denied.json.code, 'out_of_scope');
  const page = await s.request('GET', `/api/v1/residents/${p.id}`, { token: doctor01 });
  assert.ok(page.json.flags.some((x) => x.id === f.json.id && x.status === 'open'));
  const hh = await s.request('GET', `/api/v1/households/${p.household_id}`, { token: doctor01 });
  assert.equal(hh.json.family_type, 'high_risk');
  const open = await s.request('GET', '/api/v1/flags?status=open', { token: doctor01 });
  assert.ok(open.json.items.some((x) => x.id === f.json.id));
  const c = await s.request('POST', `/api/v1/flags/${f.json.id}/confirm`, { token: doctor01, body: { note: '已电话核实' } });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.status, 'confirmed');
  assert.ok(c.json.task_id > 0);
  const again = await s.request('POST', `/api/v1/flags/${f.json.id}/dismiss`, { token: doctor01, body: { note: 'x' } });
  assert.equal(again.status, 409);
  const wl = await s.request('GET', '/api/v1/worklist?doctor=me&status=due', { token: doctor01 });
  assert.equal(wl.status, 200);
  const task = wl.json.items.find((t) => t.id === c.json.task_id);
  assert.ok(task, 'the confirmed flag is on the doctor\'s work list');
  assert.equal(task.kind, 'first_discovery');
  assert.equal(task.status, 'due');
  assert.ok(wl.json.counts.due >= 1);
  // a week later it is overdue, 91 days after the due date missed
  const due = new Date(task.due_date + 'T00:00:00Z');
  const later = (days) => new Date(due.getTime() + days * 86400000).toISOString().slice(0, 10);
  const overdue = await s.request('GET', `/api/v1/worklist?doctor=me&status=overdue&as_of=${later(1)}`, { token: doctor01 });
  assert.ok(overdue.json.items.some((t) => t.id === task.id));
  const missed = await s.request('GET', `/api/v1/worklist?doctor=me&status=missed&as_of=${later(91)}`, { token: doctor01 });
  assert.ok(missed.json.items.some((t) => t.id === task.id));
  const other = await s.request('GET', '/api/v1/worklist?doctor=me', { token: doctor02 });
  assert.ok(!other.json.items.some((t) => t.id === task.id));
});

test('dismissing needs a reason', async () => {
  const p = await register(doctor01, { name: '丁某', id_number: idNumber('1960-09-09', 39) });
  const f = await s.request('POST', '/api/v1/flags', { token: village01, body: { resident_id: p.id, reason: 'suspected_hypertension' } });
  assert.equal(f.status, 201);
  const noNote = await s.request('POST', `/api/v1/flags/${f.json.id}/dismiss`, { token: doctor01, body: {} });
  assert.equal(noNote.status, 422);
  assert.equal(noNote.json.field, 'note');
  const bad = await s.request('POST', '/api/v1/flags', { token: village01, body: { resident_id: p.id, reason: 'bored' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'reason');
});

test('census visits and the census rate per village', async () => {
  const a = await register(village01, { name: '入户甲', id_number: idNumber('1977-03-03', 41) });
  await register(village01, { name: '入户乙', id_number: idNumber('1977-03-04', 43) });
  const v = await s.request('POST', '/api/v1/census-visits', { token: village01, body: { household_id: a.household_id, visit_date: '2026-06-01', contact_card: true, services_explained: true, plan: '每季度随访' } });
  assert.equal(v.status, 201, v.text);
  const future = await s.request('POST', '/api/v1/census-visits', { token: village01, body: { household_id: a.household_id, visit_date: '2999-01-01' } });
  assert.equal(future.status, 422);
  const rates = await s.request('GET', '/api/v1/census-rates?region=511524101', { token: town01 });
  assert.equal(rates.status, 200);
  const village = rates.json.items.find((x) => x.region === '511524101001');
  assert.ok(village.households >= 2);
  assert.ok(village.visited >= 1);
  assert.equal(village.rate, village.visited / village.households);
  const hh = await s.request('GET', `/api/v1/households/${a.household_id}`, { token: village01 });
  assert.equal(hh.json.census_visits[0].plan, '每季度随访');
  const out = await s.request('GET', '/api/v1/census-rates?region=511524102', { token: town01 });
  assert.equal(out.status, 403);
});

test('opening the record to the resident needs a consent date', async () => {
  const p = await register(doctor01, { name: '开放戊', id_number: idNumber('1982-12-12', 45) });
  assert.equal(p.record.opened_to_resident, false);
  const missing = await s.request('PUT', `/api/v1/residents/${p.id}/record`, { token: doctor01, body: { opened_to_resident: true } });
  assert.equal(missing.status, 422);
  assert.equal(missing.json.field, 'consent_date');
  const ok = await s.request('PUT', `/api/v1/residents/${p.id}/record`, { token: doctor01, body: { opened_to_resident: true, consent_date: '2026-10-01' } });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.record.opened_to_resident, true);
  assert.equal(ok.json.record.consent_date, '2026-10-01');
});

test('diagnoses are validated ICD-10 codes', async () => {
  const p = await register(doctor01, { name: '诊断己', id_number: idNumber('1965-05-05', 47) });
  const bad = await s.request('POST', `/api/v1/residents/${p.id}/diagnoses`, { token: doctor01, body: { icd10: 'hypertension', diagnosed_on: '2025-01-01' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.field, 'icd10');
  const ok = await s.request('POST', `/api/v1/residents/${p.id}/diagnoses`, { token: doctor01, body: { icd10: 'E11.9', diagnosed_on: '2025-01-01' } });
  assert.equal(ok.status, 201);
  const g = await s.request('GET', `/api/v1/residents/${p.id}`, { token: doctor01 });
  assert.equal(g.json.diagnoses[0].icd10, 'E11.9');
});

test('ID numbers are masked for roles that do not need them', async () => {
  const p = await register(doctor01, { name: '掩码庚', id_number: idNumber('1969-02-02', 49) });
  const asDoctor = await s.request('GET', `/api/v1/residents/${p.id}`, { token: doctor01 });
  assert.equal(asDoctor.json.id_number, idNumber('1969-02-02', 49));
  const asCenter = await s.request('GET', `/api/v1/residents/${p.id}`, { token: town01 });
  assert.equal(asCenter.status, 200);
  assert.equal(asCenter.json.id_number, undefined);
  assert.match(asCenter.json.id_number_masked, /^511\*{11}\d{3}[0-9X]$/);
});

test('every read and write of a person is in the audit trail; the chain verifies', async () => {
  const p = await register(doctor01, { name: '审计辛', id_number: idNumber('1971-07-07', 51) });
  await s.request('GET', `/api/v1/residents/${p.id}`, { token: doctor01 });
  await s.request('GET', `/api/v1/residents/${p.id}`, { token: town01 });
  const trail = await s.request('GET', `/api/v1/audit?resident=${p.id}`, { token: admin });
  assert.equal(trail.status, 200);
  const actions = trail.json.items.map((x) => `${x.username}:${x.action}`);
  assert.ok(actions.includes('doctor01:create'));
  assert.ok(actions.includes('doctor01:read'));
  assert.ok(actions.includes('town01:read'));
  assert.equal((await s.request('GET', `/api/v1/audit?resident=${p.id}`, { token: doctor01 })).status, 403);
  const verify = jiayi(['audit', 'verify', '--db', demo.db]);
  assert.match(verify.stdout, /intact/);
});

test('households: list in scope, change the head; possible duplicates are pointed out', async () => {
  const a = await register(doctor01, { name: '同名壬', id_number: idNumber('1955-05-05', 53) });
  const b = await register(doctor01, { name: '同名壬', id_number: idNumber('1955-05-05', 55, '511526') });
  assert.deepEqual(b.possible_duplicates, [a.id]);
  assert.equal(a.possible_duplicates, undefined);
  // A namesake registered in another township is not pointed out: it is not theirs to know.
  const far = await register(doctor02, { name: '同名壬', id_number: idNumber('1955-05-05', 57), region: '51152410200101' });
  assert.equal(far.possible_duplicates, undefined);
  const wife = await register(doctor01, { name: '妻癸', id_number: idNumber('1957-01-01', 58), household_id: a.household_id, relation: 'spouse' });
  const list = await s.request('GET', '/api/v1/households?region=51152410100101&limit=500', { token: doctor01 });
  assert.equal(list.status, 200);
  const hh = list.json.items.find((h) => h.id === a.household_id);
  assert.equal(hh.members, 2);
  assert.equal(hh.head_name, '同名壬');
  assert.equal((await s.request('GET', '/api/v1/households?region=511524102', { token: doctor01 })).status, 403);
  const notMember = await s.request('PATCH', `/api/v1/households/${a.household_id}`, { token: doctor01, body: { head_id: b.id } });
  assert.equal(notMember.status, 422);
  const changed = await s.request('PATCH', `/api/v1/households/${a.household_id}`, { token: doctor01, body: { head_id: wife.id, address: '一组3号' } });
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.json.head_id, wife.id);
  assert.equal(changed.json.address, '一组3号');
  const flag = await s.request('POST', '/api/v1/flags', { token: doctor01, body: { resident_id: a.id, reason: 'other' } });
  assert.equal((await s.request('GET', `/api/v1/flags/${flag.json.id}`, { token: doctor01 })).json.reason, 'other');
  assert.equal((await s.request('GET', `/api/v1/flags/${flag.json.id}`, { token: doctor02 })).status, 403);
});

test('census rates count only households in the caller\'s scope, by child region', async () => {
  await register(doctor02, { name: '二镇户', id_number: idNumber('1962-02-02', 63), region: '51152410200101' });
  const county = await s.request('GET', '/api/v1/census-rates?region=511524', { token: town01 });
  assert.equal(county.status, 200);
  assert.deepEqual(county.json.items.map((x) => x.region), ['511524101'], 'township 102 is outside town01');
  const asAdmin = await s.request('GET', '/api/v1/census-rates', { token: admin });
  assert.equal(asAdmin.json.region, '511524');
  assert.ok(asAdmin.json.items.some((x) => x.region === '511524102'));
  assert.ok(asAdmin.json.items.every((x) => x.region.length === 9));
  const villages = await s.request('GET', '/api/v1/census-rates?region=511524101', { token: town01 });
  assert.ok(villages.json.items.every((x) => x.region.length === 12));
});

test('a resident sees their record only once opened, never the team\'s flags, and only their own teams', async () => {
  const resident01 = await s.login('resident01');
  const me = (await s.request('GET', '/api/v1/session', { token: resident01 })).json.user;
  assert.ok(!me.resident_id, 'the demo with no residents links resident01 to nobody');
  // Give resident01 a person: register one and link a new resident login to it.
  const p = await register(doctor01, { name: '居民本人', id_number: idNumber('1960-06-06', 65) });
  await s.request('POST', `/api/v1/residents/${p.id}/diagnoses`, { token: doctor01, body: { icd10: 'I10', diagnosed_on: '2024-01-01' } });
  await s.request('POST', '/api/v1/flags', { token: doctor01, body: { resident_id: p.id, reason: 'frailty' } });
  jiayi(['user', 'add', '--db', demo.db, '--username', 'self1', '--role', 'resident', '--name', '居民', '--resident', String(p.id), '--password', PASSWORD]);
  const login = await s.request('POST', '/api/v1/session', { body: { username: 'self1', password: PASSWORD } });
  assert.equal(login.json.user.resident_id, p.id, 'login returns the same user as GET /session');
  const self = login.json.token;
  let mine = await s.request('GET', `/api/v1/residents/${p.id}`, { token: self });
  assert.equal(mine.status, 200);
  assert.equal(mine.json.diagnoses, undefined, 'record not opened yet');
  assert.equal(mine.json.flags, undefined);
  await s.request('PUT', `/api/v1/residents/${p.id}/record`, { token: doctor01, body: { opened_to_resident: true, consent_date: '2026-11-01' } });
  mine = await s.request('GET', `/api/v1/residents/${p.id}`, { token: self });
  assert.equal(mine.json.diagnoses[0].icd10, 'I10');
  assert.equal(mine.json.flags, undefined);
  const teams = await s.request('GET', '/api/v1/teams', { token: self });
  assert.ok(teams.json.items.length >= 1 && teams.json.items.length < 5, `${teams.json.items.length} teams`);
  assert.ok(teams.json.items.every((t) => t.grid_cells.some((c) => c.code === CELL)));
  assert.ok(teams.json.items.every((t) => t.members.every((m) => !('username' in m))));
});

test('the work list carries the reason the person was flagged for', async () => {
  const p = await register(doctor01, { name: '跌倒子', id_number: idNumber('1944-04-04', 67) });
  const f = await s.request('POST', '/api/v1/flags', { token: village01, body: { resident_id: p.id, reason: 'fall_risk', note: '上月跌倒' } });
  const c = await s.request('POST', `/api/v1/flags/${f.json.id}/confirm`, { token: doctor01, body: { note: '安排上门' } });
  assert.notEqual(c.json.decided_by, 'doctor01', 'the decider is named like the raiser: by staff name');
  const wl = await s.request('GET', '/api/v1/worklist?doctor=me&limit=500', { token: doctor01 });
  const task = wl.json.items.find((t) => t.id === c.json.task_id);
  assert.equal(task.flag_reason, 'fall_risk');
  assert.equal(task.flag_note, '上月跌倒');
  assert.equal(task.note, '安排上门');
  const hh = await s.request('GET', `/api/v1/households/${p.household_id}`, { token: doctor01 });
  assert.ok(hh.json.members[0].age >= 82);
});

test('Chinese error messages carry no English technical detail', async () => {
  const zh = await s.request('POST', `/api/v1/residents/1/diagnoses`, { token: doctor01, body: { icd10: 'bad', diagnosed_on: '2024-01-01' } });
  assert.ok(!/[a-z]{4,}/i.test(zh.json.detail.replace('icd10', '')), zh.json.detail);
  const en = await s.request('POST', `/api/v1/residents/1/diagnoses`, { token: doctor01, body: { icd10: 'bad', diagnosed_on: '2024-01-01' }, headers: { 'Accept-Language': 'en' } });
  assert.match(en.json.detail, /ICD-10/);
});
