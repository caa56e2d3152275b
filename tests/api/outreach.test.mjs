// The work list as an outreach tool: each row carries the number to call and the last
// readings to talk about; the list filters by programme and by name, phone or ID number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, dbJson, openPii } from '../lib/server.mjs';

let demo, s, doctor;
const sql = (q) => dbJson(demo.db, q);
const worklist = async (query) => {
  const r = await s.request('GET', `/api/v1/worklist?doctor=me&limit=500&${query}`, { token: doctor });
  assert.equal(r.status, 200, r.text);
  return r.json;
};

before(async () => {
  demo = makeDemo({ residents: 1500, name: 'outreach' });
  s = await startServer(demo.db);
  doctor = await s.login('doctor01');
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('each row has the phone and the latest blood pressure and glucose of its resident', async () => {
  const list = await worklist('');
  assert.ok(list.items.length > 10);
  let withBp = 0;
  for (const task of list.items) {
    const [r] = sql(`SELECT phone FROM residents WHERE id = ${task.resident_id}`);
    assert.equal(task.phone, openPii(demo.db, r.phone));
    const [bp] = sql(`SELECT visit_date, sbp, dbp FROM followups WHERE resident_id = ${task.resident_id} AND sbp IS NOT NULL ORDER BY visit_date DESC LIMIT 1`);
    if (bp) {
      withBp++;
      assert.deepEqual(task.last_bp, { date: bp.visit_date, sbp: bp.sbp, dbp: bp.dbp });
    } else assert.equal(task.last_bp, null);
    const [fbg] = sql(`SELECT visit_date, fbg FROM followups WHERE resident_id = ${task.resident_id} AND fbg IS NOT NULL ORDER BY visit_date DESC LIMIT 1`);
    if (fbg) assert.deepEqual(task.last_fbg, { date: fbg.visit_date, fbg: fbg.fbg });
    else assert.equal(task.last_fbg, null);
  }
  assert.ok(withBp > 0, 'some rows have a blood pressure');
});

test('filters: a programme, and a name, phone or ID number; counts follow the filter', async () => {
  const all = await worklist('');
  const htn = await worklist('program=hypertension');
  assert.ok(htn.items.length > 0 && htn.items.length < all.items.length);
  assert.ok(htn.items.every((x) => x.program === 'hypertension'));
  assert.equal(htn.total, htn.items.length);
  const someone = all.items.find((x) => x.phone);
  const byPhone = await worklist(`q=${someone.phone}`);
  assert.ok(byPhone.items.length >= 1 && byPhone.items.every((x) => x.phone === someone.phone));
  const [{ id_number: idNumber }] = sql(`SELECT id_number FROM residents WHERE id = ${someone.resident_id}`);
  const byId = await worklist(`q=${openPii(demo.db, idNumber)}`);
  assert.ok(byId.items.length >= 1 && byId.items.every((x) => x.resident_id === someone.resident_id));
  const byName = await worklist(`q=${encodeURIComponent(someone.resident_name)}`);
  assert.ok(byName.items.some((x) => x.resident_id === someone.resident_id));
  for (const bad of ['program=flu', `q=${'张'.repeat(51)}`]) {
    const r = await s.request('GET', `/api/v1/worklist?${encodeURI(bad)}`, { token: doctor });
    assert.equal(r.status, 422, bad);
  }
});
