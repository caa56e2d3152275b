// Specialist slots and bookings (issue 15, docs/hospital-loop.md): a family doctor sees the
// county hospital's family-doctor slots inside the family window (21 days, Shanghai's rule)
// and its public slots only inside the public one (14 days); books for a signed resident
// (not for an unsigned one, not a slot not yet released), using up priority_booking and
// booking all the same when nothing is left; cancels, reschedules; the hospital desk
// records a no-show and cannot manage another hospital; 50 concurrent bookings of the last
// place give one 201 and 49 × 409 slot_taken, and the slot never holds more than its capacity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbSql } from '../lib/server.mjs';
import { TODAY, daysAgo, daysAhead } from '../lib/clock.mjs';

let demo, s, doctor01, hospital01, county, team, gp, countyHospital, tcmHospital;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);
const post = (path, body, token = doctor01) => s.request('POST', `/api/v1${path}`, { token, body });
const get = (path, token = doctor01) => s.request('GET', `/api/v1${path}`, { token });

before(async () => {
  demo = makeDemo({ residents: 0, name: 'slots' });
  s = await startServer(demo.db);
  [doctor01, hospital01, county] = await Promise.all(['doctor01', 'hospital01', 'county'].map((u) => s.login(u)));
  const me = (await get('/session')).json.user;
  team = me.teams[0];
  gp = me.staff_id;
  countyHospital = Number(sqlite("SELECT id FROM institutions WHERE kind = 'county_hospital'"));
  tcmHospital = Number(sqlite("SELECT id FROM institutions WHERE kind = 'tcm_hospital'"));
});
after(async () => {
  assert.equal(await s.stop(), 0);
  cleanup(demo.dir);
});

let seq = 0;
async function resident(signed = true) {
  const p = await post('/residents', { name: '预约' + ++seq, id_number: idNumber('1960-03-15', 401 + 2 * seq), region: CELL });
  assert.equal(p.status, 201, p.text);
  if (signed) {
    const c = await post('/contracts', { resident_id: p.json.id, team_id: team, doctor_id: gp, packages: ['BASIC'], start_date: daysAgo(10), channel: 'clinic' });
    assert.equal(c.status, 201, c.text);
    return { id: p.json.id, contract: c.json.id };
  }
  return { id: p.json.id };
}
const search = async (query, token = doctor01) => {
  const r = await get(`/slots?${query}`, token);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
};
// A one-slot session of the county hospital on `day` (the desk publishes it).
async function session(day, start = '07:00', capacity = 1) {
  const r = await post(`/hospitals/${countyHospital}/schedules`, { department: 'cardiology', doctor_name: '罗建华', date: day, start, end: start.replace(':00', ':15'), slot_minutes: 15, capacity }, hospital01);
  assert.equal(r.status, 201, r.text);
  return r.json.slots[0];
}

test('a family doctor sees family-doctor slots in the family window and public ones only in the public window', async () => {
  const early = await search(`hospital=${countyHospital}&from=${daysAhead(15)}&to=${daysAhead(20)}&limit=500`);
  assert.ok(early.length > 0);
  assert.ok(early.every((x) => x.released_to === 'family_doctors' && !x.open_to_public), 'only family-doctor slots before the public window');
  for (const k of ['id', 'hospital_id', 'department', 'doctor_name', 'starts_at', 'capacity', 'booked', 'released_to'])
    assert.ok(k in early[0], k);
  const near = await search(`hospital=${countyHospital}&from=${daysAhead(1)}&to=${daysAhead(7)}&limit=500`);
  assert.ok(near.some((x) => x.released_to === 'public') && near.some((x) => x.released_to === 'family_doctors' && x.open_to_public));
  assert.equal((await search(`hospital=${countyHospital}&from=${daysAhead(22)}&to=${daysAhead(27)}`)).length, 0);
  // Filters: the department and the hospital.
  const eyes = await search(`hospital=${countyHospital}&department=ophthalmology&from=${TODAY}&to=${daysAhead(27)}&limit=500`);
  assert.ok(eyes.length > 0 && eyes.every((x) => x.department === 'ophthalmology'));
  // The eye clinic keeps Changning's rule: family doctors 14 days ahead, nothing later.
  assert.ok(eyes.every((x) => x.starts_at.slice(0, 10) <= daysAhead(14)));
  const tcm = await search(`hospital=${tcmHospital}&limit=500`);
  assert.ok(tcm.length > 0 && tcm.every((x) => x.hospital_id === tcmHospital && x.starts_at.slice(0, 10) <= daysAhead(10)));
  // The desk sees all of its hospital's slots, the far ones too.
  assert.ok((await search(`from=${daysAhead(22)}&to=${daysAhead(27)}`, hospital01)).length > 0);
  assert.equal((await get(`/slots?hospital=abc`)).json.field, 'hospital');
  assert.equal((await get(`/slots?from=2026-02-30`)).json.field, 'from');
});

test('booking: signed resident 201 with the entitlement used, then none left and booked all the same; not_signed; not_released', async () => {
  const p = await resident();
  const slots = await search(`hospital=${countyHospital}&department=neurology&from=${daysAhead(1)}&to=${daysAhead(7)}`);
  // slot_use_rate (PROTOCOLS.md §15): the hospital's places released to family doctors in the
  // year the first one's were, and those booked (a public slot open to all is not counted)
  slots.sort((a, b) => (b.released_to === 'family_doctors') - (a.released_to === 'family_doctors'));
  assert.equal(slots[0].released_to, 'family_doctors');
  const year = slots[0].family_from.slice(0, 4);
  const use = async () => (await get(`/indicators?scope=institution:${countyHospital}&period=${year}&codes=slot_use_rate`, county)).json.items[0];
  const before = await use();
  assert.ok(before.denominator > 0, 'the county hospital has released places this year');
  const b = await post('/bookings', { slot_id: slots[0].id, resident_id: p.id });
  assert.equal(b.status, 201, b.text);
  const after = await use();
  assert.deepEqual([after.numerator, after.denominator], [before.numerator + 1, before.denominator]);
  assert.deepEqual({ slot_id: b.json.slot_id, resident_id: b.json.resident_id, status: b.json.status }, { slot_id: slots[0].id, resident_id: p.id, status: 'booked' });
  assert.deepEqual(b.json.entitlements_used.map((u) => u.service), ['priority_booking']);
  const c = (await get(`/contracts/${p.contract}`)).json;
  assert.equal(c.entitlements.find((e) => e.service === 'priority_booking').used, 1);
  const again = await post('/bookings', { slot_id: slots[1].id, resident_id: p.id });
  assert.equal(again.status, 201, again.text);
  assert.deepEqual(again.json.entitlements_used, []);
  const dup = await post('/bookings', { slot_id: slots[1].id, resident_id: p.id });
  assert.equal(dup.status, 409);
  const unsigned = await resident(false);
  const r = await post('/bookings', { slot_id: slots[2].id, resident_id: unsigned.id });
  assert.equal(r.status, 422);
  assert.deepEqual([r.json.code, r.json.field], ['not_signed', 'resident_id']);
  const publicLater = (await search(`from=${daysAhead(15)}&to=${daysAhead(20)}&limit=500`, hospital01)).find((x) => x.released_to === 'public');
  const early = await post('/bookings', { slot_id: publicLater.id, resident_id: p.id });
  assert.equal(early.status, 422);
  assert.deepEqual([early.json.code, early.json.field], ['not_released', 'slot_id']);
  assert.equal((await post('/bookings', { slot_id: 'x', resident_id: p.id })).json.field, 'slot_id');
  assert.equal((await post('/bookings', { slot_id: slots[3].id, resident_id: p.id, referral_id: 999999 })).json.field, 'referral_id');
  // The list is the doctor's, with the booking in it.
  const list = await get(`/bookings?resident=${p.id}`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((x) => x.id).sort(), [b.json.id, again.json.id].sort());
});

test('cancel and reschedule give the place and the entitlement back; the desk records a no-show of the day', async () => {
  const p = await resident();
  const [a, b2] = await search(`hospital=${countyHospital}&department=endocrinology&from=${daysAhead(2)}&to=${daysAhead(8)}`);
  const first = (await post('/bookings', { slot_id: a.id, resident_id: p.id })).json;
  const moved = await post(`/bookings/${first.id}/reschedule`, { slot_id: b2.id });
  assert.equal(moved.status, 201, moved.text);
  assert.equal(moved.json.rescheduled_from, first.id);
  assert.deepEqual(moved.json.entitlements_used.map((u) => u.service), ['priority_booking']);
  assert.equal(sqlite(`SELECT status FROM bookings WHERE id = ${first.id}`), 'cancelled');
  assert.equal(sqlite(`SELECT booked FROM slots WHERE id = ${a.id}`), '0');
  const cancel = await post(`/bookings/${moved.json.id}/cancel`, {});
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal(cancel.json.status, 'cancelled');
  assert.equal(sqlite(`SELECT booked FROM slots WHERE id = ${b2.id}`), '0');
  assert.equal(sqlite(`SELECT used FROM entitlements WHERE contract_id = ${p.contract} AND service = 'priority_booking'`), '0');
  assert.equal((await post(`/bookings/${moved.json.id}/cancel`, {})).status, 409);
  // Today's session: booked, then the desk says the patient did not come.
  const todays = await session(TODAY, '06:00');
  const t = await post('/bookings', { slot_id: todays.id, resident_id: p.id });
  assert.equal(t.status, 201, t.text);
  assert.equal((await post(`/bookings/${t.json.id}/attendance`, { status: 'no_show' }, doctor01)).status, 403);
  assert.equal((await post(`/bookings/${t.json.id}/attendance`, { status: 'late' }, hospital01)).json.field, 'status');
  const ns = await post(`/bookings/${t.json.id}/attendance`, { status: 'no_show' }, hospital01);
  assert.equal(ns.status, 200, ns.text);
  assert.equal(ns.json.status, 'no_show');
  // A future booking cannot be attended yet.
  const f = await post('/bookings', { slot_id: a.id, resident_id: p.id });
  assert.equal((await post(`/bookings/${f.json.id}/attendance`, { status: 'attended' }, hospital01)).status, 409);
  const u = await get(`/slots/utilisation?hospital=${countyHospital}&by=department&from=${TODAY}&to=${daysAhead(27)}`, hospital01);
  assert.equal(u.status, 200, u.text);
  const cardio = u.json.items.find((x) => x.department === 'cardiology');
  assert.ok(cardio.released > 0 && cardio.no_show === 1);
  const byTeam = await get(`/slots/utilisation?by=team&from=${TODAY}&to=${daysAhead(27)}`);
  assert.ok(byTeam.json.items.some((x) => x.team_id === team && x.booked >= 2));
});

test('the hospital desk manages its own hospital only', async () => {
  assert.equal((await post(`/hospitals/${tcmHospital}/schedules`, { department: 'acupuncture', doctor_name: '吴', date: daysAhead(3), start: '08:00', end: '09:00', slot_minutes: 15, capacity: 1 }, hospital01)).status, 403);
  assert.equal((await get(`/hospitals/${tcmHospital}/release-rules`, hospital01)).status, 403);
  assert.equal((await s.request('PUT', `/api/v1/hospitals/${tcmHospital}/release-rules`, { token: hospital01, body: { family_share: 10, family_lead_days: 7, public_lead_days: 7 } })).status, 403);
  assert.equal((await post(`/hospitals/${tcmHospital}/departments`, { code: 'x', name_zh: '某科', name_en: 'X' }, hospital01)).status, 403);
  assert.equal((await get(`/slots?hospital=${tcmHospital}`, hospital01)).status, 403);
  const rules = await get(`/hospitals/${countyHospital}/release-rules`, hospital01);
  assert.equal(rules.status, 200);
  assert.deepEqual(rules.json.rule, { family_share: 50, family_lead_days: 21, public_lead_days: 14 });
  assert.equal(rules.json.departments[0].department, 'ophthalmology');
  const bad = await s.request('PUT', `/api/v1/hospitals/${countyHospital}/release-rules`, { token: hospital01, body: { family_share: 50, family_lead_days: 7, public_lead_days: 14 } });
  assert.deepEqual([bad.status, bad.json.field], [422, 'family_lead_days']);
  const badDept = await s.request('PUT', `/api/v1/hospitals/${countyHospital}/release-rules`, { token: hospital01, body: { family_share: 50, family_lead_days: 21, public_lead_days: 14, departments: [{ department: 'ophthalmology', family_share: 120, family_lead_days: 14, public_lead_days: 7 }] } });
  assert.deepEqual([badDept.status, badDept.json.field], [422, 'departments[0].family_share']);
  const d = await post(`/hospitals/${countyHospital}/departments`, { code: 'dermatology', name_zh: '皮肤科', name_en: 'Dermatology' }, hospital01);
  assert.equal(d.status, 201, d.text);
  assert.equal((await post(`/hospitals/${countyHospital}/departments`, { code: 'dermatology', name_zh: '皮肤科', name_en: 'Dermatology' }, hospital01)).status, 409);
  const put = await s.request('PUT', `/api/v1/hospitals/${countyHospital}/release-rules`, { token: hospital01, body: { family_share: 50, family_lead_days: 21, public_lead_days: 14, departments: [{ department: 'dermatology', family_share: 100, family_lead_days: 10, public_lead_days: 10 }] } });
  assert.equal(put.status, 200, put.text);
  const sc = await post(`/hospitals/${countyHospital}/schedules`, { department: 'dermatology', doctor_name: '皮肤科医生', date: daysAhead(5), start: '08:00', end: '09:00', slot_minutes: 15, capacity: 2 }, hospital01);
  assert.equal(sc.status, 201, sc.text);
  assert.equal(sc.json.slots.length, 4);
  assert.ok(sc.json.slots.every((x) => x.released_to === 'family_doctors'));
  assert.equal((await post(`/hospitals/${countyHospital}/schedules`, { department: 'dermatology', doctor_name: '医生', date: daysAhead(5), start: '09:00', end: '08:00', slot_minutes: 15, capacity: 2 }, hospital01)).json.field, 'end');
  assert.equal((await post(`/hospitals/${countyHospital}/schedules`, { department: 'nope', doctor_name: '医生', date: daysAhead(5), start: '08:00', end: '09:00', slot_minutes: 15, capacity: 2 }, hospital01)).json.field, 'department');
  assert.equal((await post(`/hospitals/${countyHospital}/schedules`, { department: 'dermatology', doctor_name: '医生', date: daysAgo(1), start: '08:00', end: '09:00', slot_minutes: 15, capacity: 2 }, hospital01)).json.field, 'date');
  assert.equal((await get(`/bookings?hospital=${tcmHospital}`, hospital01)).status, 403);
  assert.equal((await get(`/bookings`, county)).status, 403);
});

test('50 concurrent bookings of a single-capacity slot: exactly one 201, 49 × 409 slot_taken', async () => {
  const people = [];
  for (let i = 0; i < 5; i++) people.push(await resident());
  const slot = await session(daysAhead(3));
  const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post('/bookings', { slot_id: slot.id, resident_id: people[i % 5].id })));
  const codes = answers.map((a) => a.status);
  assert.equal(codes.filter((c) => c === 201).length, 1, JSON.stringify(codes));
  assert.equal(codes.filter((c) => c === 409).length, 49);
  assert.ok(answers.filter((a) => a.status === 409).every((a) => a.json.code === 'slot_taken'));
  assert.equal(sqlite(`SELECT booked || '/' || (SELECT count(*) FROM bookings WHERE slot_id = ${slot.id} AND status = 'booked') FROM slots WHERE id = ${slot.id}`), '1/1');
});
