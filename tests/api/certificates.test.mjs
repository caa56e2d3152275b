// The chronic-disease outpatient certificate (门诊慢特病证, issue 19): screened for a patient
// with a qualifying diagnosis, notified, pre-reviewed, granted with its number and term (the
// renewal on the work list before the end), or rejected and completed; the daily pass expires
// a lapsed one and the renewal starts again; the team's list; bad input, scope and roles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbJson, jiayi } from '../lib/server.mjs';
import { TODAY, addDays, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, county, admin;
const CELL = '51152410100101';
const sql = (q) => dbJson(demo.db, q);
const one = (q) => { const rows = sql(q); return rows.length ? Object.values(rows[0])[0] : null; };

before(async () => {
  demo = makeDemo({ residents: 0, name: 'certificates' });
  s = await startServer(demo.db);
  [doctor01, county, admin] = await Promise.all(['doctor01', 'county', 'admin'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function patient(icd10) {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '慢病证' + ++seq, id_number: idNumber('1958-06-06', 2 * seq + 851), region: CELL } });
  assert.equal(r.status, 201, r.text);
  if (icd10) assert.equal((await s.request('POST', `/api/v1/residents/${r.json.id}/diagnoses`, { token: doctor01, body: { icd10, diagnosed_on: daysAgo(400) } })).status, 201);
  return r.json.id;
}
/* The same day two years on; a 29th of February falls on the 28th. */
const twoYearsOn = (iso) => {
  const [y, m, d] = iso.split('-').map(Number);
  const last = new Date(Date.UTC(y + 2, m, 0)).getUTCDate();
  return `${y + 2}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
};
const screen = (id, disease, token = doctor01) => s.request('POST', `/api/v1/residents/${id}/certificates`, { token, body: { disease } });
const move = (id, body, token = doctor01) => s.request('POST', `/api/v1/certificates/${id}/transition`, { token, body });

test('screened, notified, pre-reviewed, granted for a term; the renewal on the work list; expired; renewed', async () => {
  const id = await patient('E11.9');
  let r = await screen(id, 'diabetes');
  assert.equal(r.status, 201, r.text);
  const cert = r.json;
  assert.deepEqual([cert.status, cert.diagnosis, cert.events.map((e) => e.to)], ['screened', 'E11.9', ['screened']]);
  assert.deepEqual([(await screen(id, 'diabetes')).json.code], ['certificate_exists']);
  // Out of order: refused.
  r = await move(cert.id, { to: 'granted', date: TODAY, number: 'MB2026001' });
  assert.deepEqual([r.status, r.json.code], [409, 'invalid_state']);
  assert.equal((await move(cert.id, { to: 'notified', date: daysAgo(20) })).status, 200);
  assert.equal((await move(cert.id, { to: 'pre_reviewed', date: daysAgo(10), note: '病历、化验单齐全' })).status, 200);
  r = await move(cert.id, { to: 'granted', date: daysAgo(5) });
  assert.deepEqual([r.status, r.json.field], [422, 'number']);
  r = await move(cert.id, { to: 'granted', date: daysAgo(5), number: 'MB2026001' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.status, r.json.number, r.json.valid_from, r.json.valid_to], ['granted', 'MB2026001', daysAgo(5), addDays(twoYearsOn(daysAgo(5)), -1)]);
  const task = sql(`SELECT due_date, next_due, note, status FROM tasks WHERE resident_id = ${id} AND kind = 'certificate_renewal'`);
  assert.deepEqual(task.map((t) => [t.due_date, t.next_due, t.status]), [[addDays(r.json.valid_to, -30), r.json.valid_to, 'open']]);
  // A term that has ended: the daily pass expires it; the renewal's papers start again.
  const short = await patient('I10');
  const c2 = (await screen(short, 'hypertension')).json;
  await move(c2.id, { to: 'notified', date: daysAgo(400) });
  await move(c2.id, { to: 'pre_reviewed', date: daysAgo(390) });
  r = await move(c2.id, { to: 'granted', date: daysAgo(380), number: 'MB2025099', valid_to: daysAgo(1) });
  assert.deepEqual([r.status, r.json.valid_to], [200, daysAgo(1)]);
  assert.equal(one(`SELECT due_date FROM tasks WHERE resident_id = ${short} AND kind = 'certificate_renewal'`), TODAY, 'already inside the window: due today');
  jiayi(['daily', '--db', demo.db]);
  r = await s.request('GET', `/api/v1/residents/${short}/certificates`, { token: doctor01 });
  assert.equal(r.json.items[0].status, 'expired');
  assert.equal((await move(c2.id, { to: 'pre_reviewed', date: TODAY })).status, 200);
  assert.equal((await move(c2.id, { to: 'granted', date: TODAY, number: 'MB2026100' })).status, 200);
  assert.deepEqual(sql(`SELECT status FROM tasks WHERE resident_id = ${short} AND kind = 'certificate_renewal' ORDER BY id`).map((t) => t.status), ['done', 'open']);
  // The team's list, by status.
  const team = one(`SELECT team_id FROM team_cells WHERE region_code = '${CELL}' LIMIT 1`);
  r = await s.request('GET', `/api/v1/certificates?team=${team}&status=granted`, { token: doctor01 });
  assert.deepEqual(r.json.items.map((c) => c.id).sort(), [cert.id, c2.id].sort());
  const audit = await s.request('GET', `/api/v1/audit?resident=${id}&limit=500`, { token: admin });
  assert.equal(audit.json.items.filter((e) => e.resource === 'certificate').length, 4);
});

test('a rejection with its reason, then the papers completed; eligibility, bad input, scope and roles', async () => {
  const id = await patient('I10');
  const cert = (await screen(id, 'hypertension')).json;
  await move(cert.id, { to: 'notified', date: TODAY });
  await move(cert.id, { to: 'pre_reviewed', date: TODAY });
  let r = await move(cert.id, { to: 'rejected', date: TODAY });
  assert.deepEqual([r.status, r.json.field], [422, 'reason']);
  r = await move(cert.id, { to: 'rejected', date: TODAY, reason: '缺少二级以上医院诊断证明' });
  assert.deepEqual([r.status, r.json.status, r.json.reason], [200, 'rejected', '缺少二级以上医院诊断证明']);
  assert.equal((await move(cert.id, { to: 'pre_reviewed', date: TODAY })).status, 200, 'papers completed');
  for (const [body, status, code, field] of [
    [{ to: 'granted', date: addDays(TODAY, 1), number: 'X' }, 422, 'invalid_date', 'date'],
    [{ to: 'granted', date: TODAY, number: 'X', valid_to: TODAY }, 422, 'invalid_field', 'valid_to'],
    [{ to: 'expired', date: TODAY }, 422, 'invalid_field', 'to'],
  ]) {
    r = await move(cert.id, body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [status, code, field], JSON.stringify(body));
  }
  const none = await patient(null);
  assert.deepEqual([(await screen(none, 'hypertension')).json.code], ['not_eligible']);
  assert.deepEqual([(await screen(id, 'cancer')).json.field], ['disease']);
  assert.equal((await screen(id, 'diabetes', county)).status, 403);
  const foreign = (await s.request('POST', '/api/v1/residents', { token: admin, body: { name: '外镇', id_number: idNumber('1958-06-06', 997), region: '51152410200101' } })).json.id;
  assert.equal((await screen(foreign, 'hypertension')).status, 403);
  assert.equal((await s.request('GET', '/api/v1/certificates', { token: doctor01 })).json.field, 'team');
});
