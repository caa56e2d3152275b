// The national immunisation schedule (issue 19, PROTOCOLS.md §13, API.md): the dry run in
// the shape API.md gives it, vaccinations recorded on a child's record (scope, role, audit,
// health points, a dose recorded once), the child's schedule from them, the vaccination task
// on the work list that moves to the next dose owed, the county's inactivated vaccines, and
// bad input that names its field and writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbJson, jiayi } from '../lib/server.mjs';
import { TODAY, addDays, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, admin, county;
const CELL = '51152410100101';       // doctor01's
const FOREIGN_CELL = '51152410200101'; // another township: doctor01 may not see it
const sql = (q) => dbJson(demo.db, q);
const one = (q) => { const rows = sql(q); return rows.length ? Object.values(rows[0])[0] : null; };
const monthsAgo = (n) => { const d = new Date(TODAY + 'T00:00:00Z'); d.setUTCMonth(d.getUTCMonth() - n); return d.toISOString().slice(0, 10); };

before(async () => {
  demo = makeDemo({ residents: 0, name: 'immunisation' });
  s = await startServer(demo.db);
  [doctor01, admin, county] = await Promise.all(['doctor01', 'admin', 'county'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function child(birth, region = CELL, token = doctor01) {
  const r = await s.request('POST', '/api/v1/residents', { token, body: { name: '接种' + ++seq, id_number: idNumber(birth, 2 * seq + 301), region } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
const evaluate = (body, token = doctor01) => s.request('POST', '/api/v1/protocols/immunisation/evaluate', { token, body });
const vaccinate = (id, body, token = doctor01) => s.request('POST', `/api/v1/residents/${id}/vaccinations`, { token, body });
const schedule = (id, token = doctor01) => s.request('GET', `/api/v1/residents/${id}/schedule/immunisation`, { token });
const byDose = (items) => Object.fromEntries(items.map((i) => [`${i.vaccine}${i.dose}`, i]));

test('evaluate: every dose owed before the 7th birthday, in the shape of API.md', async () => {
  const r = await evaluate({ birth_date: '2024-01-15', as_of: '2024-03-20', doses: [
    { vaccine: 'hepb', dose: 1, date: '2024-01-15' }, { vaccine: 'bcg', dose: 1, date: '2024-01-16' },
    { vaccine: 'hepb', dose: 2, date: '2024-02-20' }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 22);
  for (const item of r.json.items) {
    for (const key of ['vaccine', 'dose', 'due_date', 'status']) assert.ok(key in item, `${key} in ${JSON.stringify(item)}`);
    assert.ok(['done', 'due', 'overdue', 'upcoming'].includes(item.status));
  }
  const d = byDose(r.json.items);
  assert.deepEqual([d.hepb1.status, d.bcg1.status, d.hepb2.status], ['done', 'done', 'done']);
  assert.equal(d.hepb3.due_date, '2024-07-15'); // 6 months; dose 2 + 60 days is earlier
  assert.deepEqual([d.ipv1.due_date, d.ipv1.status], ['2024-03-15', 'due']);
  assert.deepEqual([d.dtap1.due_date, d.dtap1.status], ['2024-04-15', 'upcoming']);
  assert.deepEqual([d.dt1.due_date, d.mpsv_ac2.due_date], ['2030-01-15', '2030-01-15']);
  assert.deepEqual(Object.keys(d).filter((k) => k.startsWith('je')), ['je_live1', 'je_live2']);
  // Overdue once the next age point has passed: IPV 1 (2 months) from 3 months.
  assert.equal(byDose((await evaluate({ birth_date: '2024-01-15', as_of: '2024-04-15' })).json.items).ipv1.status, 'overdue');
  // From the 7th birthday nothing is owed: only what was given.
  const seven = await evaluate({ birth_date: '2017-01-15', as_of: '2024-01-15', doses: [{ vaccine: 'bcg', dose: 1, date: '2017-01-15' }] });
  assert.deepEqual(seven.json.items.map((i) => [i.vaccine, i.status]), [['bcg', 'done']]);
  // Any staff role may run it; a resident may not.
  assert.equal((await evaluate({ birth_date: '2024-01-15', as_of: '2024-03-20' }, county)).status, 200);
});

test('evaluate: bad input is refused naming the field', async () => {
  const cases = [
    [{ as_of: '2024-01-15' }, 'missing_field', 'birth_date'],
    [{ birth_date: '2024-02-30' }, 'invalid_date', 'birth_date'],
    [{ birth_date: '2024-01-15', doses: [{ vaccine: 'hepb', dose: 1, date: '2024-13-01' }] }, 'invalid_date', 'doses[0].date'],
    [{ birth_date: '2024-01-15', as_of: '2023-12-31' }, 'invalid_field', 'as_of'],
    [{ birth_date: '2024-01-15', doses: {} }, 'invalid_field', 'doses'],
    [{ birth_date: '2024-01-15', doses: [{ vaccine: 'flu', dose: 1, date: '2024-02-01' }] }, 'invalid_field', 'doses[0].vaccine'],
    [{ birth_date: '2024-01-15', doses: [{ vaccine: 'je_inact', dose: 1, date: '2024-09-15' }] }, 'invalid_field', 'doses[0].vaccine'],
    [{ birth_date: '2024-01-15', doses: [{ vaccine: 'hepb', dose: 1, date: '2024-01-15' }, { vaccine: 'bcg', dose: 2, date: '2024-02-01' }] }, 'invalid_field', 'doses[1].dose'],
    [{ birth_date: '2024-01-15', doses: [{ vaccine: 'hepb', dose: 1, date: '2024-01-14' }] }, 'invalid_field', 'doses[0].date'],
    [{ birth_date: '2024-01-15', doses: [{ vaccine: 'hepb', dose: 1 }] }, 'missing_field', 'doses[0].date'],
  ];
  for (const [body, code, field] of cases) {
    const r = await evaluate(body);
    assert.equal(r.status, 422, JSON.stringify(body));
    assert.match(r.headers.get('content-type'), /application\/problem\+json/);
    assert.deepEqual([r.json.code, r.json.field], [code, field], JSON.stringify(body));
  }
});

test('a vaccination recorded: the schedule shows it, the task moves to the next dose, points are earned, the audit names it', async () => {
  const born = monthsAgo(2);
  const id = await child(born);
  let r = await schedule(id);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.program, 'immunisation');
  assert.equal(r.json.birth_date, born);
  assert.deepEqual([r.json.next.vaccine, r.json.next.dose], ['hepb', 1]);
  assert.equal(r.json.given.length, 0);
  r = await vaccinate(id, { vaccine: 'hepb', dose: 1, date: born, lot: '202401A', place: '县妇幼保健院' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.json.vaccine, r.json.dose, r.json.date, r.json.resident_id], ['hepb', 1, born, id]);
  assert.deepEqual([r.json.next.vaccine, r.json.next.dose], ['bcg', 1]);
  r = await vaccinate(id, { vaccine: 'bcg', dose: 1, date: born });
  assert.equal(r.status, 201, r.text);
  r = await schedule(id);
  const d = byDose(r.json.items);
  assert.deepEqual([d.hepb1.status, d.hepb1.date, d.bcg1.status], ['done', born, 'done']);
  assert.deepEqual(r.json.given.map((g) => [g.vaccine, g.dose, g.lot, g.place]), [['hepb', 1, '202401A', '县妇幼保健院'], ['bcg', 1, null, null]]);
  assert.deepEqual([r.json.next.vaccine, r.json.next.dose], ['hepb', 2]);
  // One open vaccination task, on the next dose owed, for the grid cell's team.
  const tasks = sql(`SELECT note, due_date, status FROM tasks WHERE resident_id = ${id} AND kind = 'vaccination' ORDER BY id`);
  assert.deepEqual(tasks.map((t) => [t.note, t.status]), [['bcg:1', 'done'], ['hepb:2', 'open']]);
  assert.equal(tasks[1].due_date, r.json.next.due_date);
  const list = await s.request('GET', '/api/v1/worklist?doctor=me&status=overdue&limit=500', { token: doctor01 });
  const mine = await s.request('GET', `/api/v1/worklist?doctor=me&limit=500`, { token: doctor01 });
  assert.equal(list.status, 200);
  assert.ok([...list.json.items, ...mine.json.items].every((t) => t.kind !== 'vaccination' || t.resident_id !== id || t.note === 'hepb:2'));
  // Health points for the two doses, each once.
  const points = await s.request('GET', `/api/v1/residents/${id}/points`, { token: doctor01 });
  assert.equal(points.json.items.filter((p) => p.event === 'vaccination').length, 2);
  // The audit trail names each dose recorded and the schedule read.
  const audit = await s.request('GET', `/api/v1/audit?resident=${id}&limit=500`, { token: admin });
  assert.equal(audit.json.items.filter((e) => e.resource === 'vaccination' && e.action === 'create').length, 2);
  assert.ok(audit.json.items.some((e) => e.resource === 'schedule'));
});

test('a dose is recorded once; bad input names its field; nothing half-written', async () => {
  const born = monthsAgo(7);
  const id = await child(born);
  assert.equal((await vaccinate(id, { vaccine: 'hepb', dose: 1, date: born })).status, 201);
  const before = one(`SELECT count(*) FROM vaccinations WHERE resident_id = ${id}`);
  const tasksBefore = JSON.stringify(sql(`SELECT id, status FROM tasks WHERE resident_id = ${id} ORDER BY id`));
  let r = await vaccinate(id, { vaccine: 'hepb', dose: 1, date: addDays(born, 3) });
  assert.deepEqual([r.status, r.json.code, r.json.field], [409, 'duplicate_dose', 'dose']);
  const cases = [
    [{ dose: 1, date: born }, 422, 'missing_field', 'vaccine'],
    [{ vaccine: 'flu', dose: 1, date: born }, 422, 'invalid_field', 'vaccine'],
    [{ vaccine: 'bcg', dose: 2, date: born }, 422, 'invalid_field', 'dose'],
    [{ vaccine: 'bcg', dose: 'one', date: born }, 422, 'invalid_field', 'dose'],
    [{ vaccine: 'bcg', dose: 1, date: addDays(born, -1) }, 422, 'invalid_field', 'date'],
    [{ vaccine: 'bcg', dose: 1, date: addDays(TODAY, 1) }, 422, 'invalid_field', 'date'],
    [{ vaccine: 'bcg', dose: 1, date: born, lot: 'x'.repeat(41) }, 422, 'invalid_field', 'lot'],
  ];
  for (const [body, status, code, field] of cases) {
    r = await vaccinate(id, body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [status, code, field], JSON.stringify(body));
  }
  assert.equal(one(`SELECT count(*) FROM vaccinations WHERE resident_id = ${id}`), before);
  assert.equal(JSON.stringify(sql(`SELECT id, status FROM tasks WHERE resident_id = ${id} ORDER BY id`)), tasksBefore);
});

test('scope and role: outside the caller\'s grid or role nothing is read or written', async () => {
  const born = daysAgo(40);
  const foreign = await child(born, FOREIGN_CELL, admin);
  let r = await vaccinate(foreign, { vaccine: 'hepb', dose: 1, date: born });
  assert.equal(r.status, 403);
  assert.ok(!r.text.includes('接种'), 'the refusal names nobody');
  assert.equal((await schedule(foreign)).status, 403);
  assert.equal(one(`SELECT count(*) FROM vaccinations WHERE resident_id = ${foreign}`), 0);
  const mine = await child(born);
  // The health commission steers by counts: it records nothing.
  r = await vaccinate(mine, { vaccine: 'hepb', dose: 1, date: born }, county);
  assert.deepEqual([r.status, r.json.code], [403, 'out_of_role']);
  assert.equal((await vaccinate(999999, { vaccine: 'hepb', dose: 1, date: born })).status, 404);
  assert.equal((await s.request('GET', `/api/v1/residents/${mine}/schedule/vaccines`, { token: doctor01 })).status, 404);
});

test('a county that uses the inactivated JE and hepatitis A vaccines', async () => {
  const put = (values) => s.request('PUT', '/api/v1/protocol-settings', { token: admin, body: { values } });
  assert.equal((await put({ immunisation_je_inactivated: 2 })).status, 422);
  assert.equal((await put({ immunisation_je_inactivated: 1, immunisation_hepa_inactivated: 1 })).status, 200);
  try {
    const r = await evaluate({ birth_date: '2024-01-15', as_of: '2024-09-20', doses: [{ vaccine: 'je_inact', dose: 1, date: '2024-09-15' }] });
    assert.equal(r.status, 200, r.text);
    const d = byDose(r.json.items);
    assert.ok(!d.je_live1 && !d.hepa_live1);
    assert.deepEqual([d.je_inact2.due_date, d.je_inact3.due_date, d.je_inact4.due_date], ['2024-09-22', '2026-01-15', '2030-01-15']);
    assert.deepEqual([d.hepa_inact1.due_date, d.hepa_inact2.due_date], ['2025-07-15', '2026-01-15']);
    assert.equal((await evaluate({ birth_date: '2024-01-15', doses: [{ vaccine: 'je_live', dose: 1, date: '2024-09-15' }] })).json.field, 'doses[0].vaccine');
  } finally {
    assert.equal((await put({ immunisation_je_inactivated: 0, immunisation_hepa_inactivated: 0 })).status, 200);
  }
});

test('immunisation_timely_rate: the doses due in the period and those given by the month\'s end, kept exact as doses are recorded', async () => {
  const born = monthsAgo(30);
  const id = await child(born);
  assert.equal((await vaccinate(id, { vaccine: 'hepb', dose: 1, date: born })).status, 201);
  assert.equal((await vaccinate(id, { vaccine: 'bcg', dose: 1, date: addDays(born, 40) })).status, 201); // the next month: late
  const read = async () => (await s.request('GET', `/api/v1/indicators?scope=region:${CELL}&period=${born.slice(0, 7)}&codes=immunisation_timely_rate`, { token: county })).json.items[0];
  const item = await read();
  assert.equal(item.code, 'immunisation_timely_rate');
  assert.equal(item.name, '疫苗及时接种率');
  assert.deepEqual([item.numerator, item.denominator], [1, 2]);
  // The counters agree with a recount from scratch.
  jiayi(['kpi', 'check', '--db', demo.db]);
});
