// Cancer screening invitations where a package asks for them (issue 19,
// domain/cancer_screening.h): the daily pass invites a signed resident whose package includes
// a screening they are of the age and sex for, puts the invitation on the team's work list and
// in the resident's messages, and does not invite again; delivering the screening answers it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbJson, jiayi } from '../lib/server.mjs';
import { TODAY } from '../lib/clock.mjs';

let demo, s, doctor01, team, gp;
const CELL = '51152410100101';
const YEAR = Number(TODAY.slice(0, 4));
const sql = (q) => dbJson(demo.db, q);
const one = (q) => { const rows = sql(q); return rows.length ? Object.values(rows[0])[0] : null; };

before(async () => {
  demo = makeDemo({ residents: 0, name: 'screening' });
  s = await startServer(demo.db);
  doctor01 = await s.login('doctor01');
  team = one(`SELECT team_id FROM team_cells WHERE region_code = '${CELL}' LIMIT 1`);
  gp = one(`SELECT st.id FROM staff st JOIN users u ON u.id = st.user_id WHERE u.username = 'doctor01'`);
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
// Someone of `age` (born on the last day of a year: `age` until this year's last day).
async function signed(age, sex, packages) {
  const birth = `${YEAR - age - 1}-12-31`; // `age` on every day of this year
  const serial = 2 * ++seq + 701 + (sex === 'F' ? 1 : 0); // the sex digit: odd male, even female
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: `筛查${seq}`, id_number: idNumber(birth, serial), region: CELL } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.sex, sex);
  const c = await s.request('POST', '/api/v1/contracts', { token: doctor01, body: { resident_id: r.json.id, team_id: team, doctor_id: gp, start_date: TODAY, channel: 'clinic', packages } });
  assert.equal(c.status, 201, c.text);
  return { id: r.json.id, contract: c.json.id };
}
const invitations = (id) => sql(`SELECT program, status, due_date, contract_id FROM tasks WHERE resident_id = ${id} AND kind = 'screening_invite' ORDER BY program`);

test('the daily pass invites by package, age and sex, once; the resident gets the invitation', async () => {
  const woman60 = await signed(60, 'F', ['BASIC', 'CANCER-80']);
  const man55 = await signed(55, 'M', ['BASIC', 'CANCER-80']);
  const woman40 = await signed(40, 'F', ['BASIC', 'CANCER-80']);
  const basicOnly = await signed(60, 'F', ['BASIC']);
  jiayi(['daily', '--db', demo.db]);
  assert.deepEqual(invitations(woman60.id).map((t) => t.program), ['breast_screening', 'cervical_screening', 'colorectal_screening']);
  assert.deepEqual(invitations(man55.id).map((t) => t.program), ['colorectal_screening'], 'a man: the colorectal screening only');
  assert.deepEqual(invitations(woman40.id).map((t) => t.program), ['breast_screening', 'cervical_screening'], 'colorectal from 50');
  assert.deepEqual(invitations(basicOnly.id), [], 'no package asks for it');
  assert.ok(invitations(woman60.id).every((t) => t.status === 'open' && t.contract_id === woman60.contract));
  // The invitation is in the resident's messages the day it is made.
  const bodies = sql(`SELECT o.body FROM outbox o JOIN tasks t ON t.id = o.source_id AND o.source_kind = 'task' WHERE t.resident_id = ${man55.id}`).map((x) => x.body);
  assert.equal(bodies.length, 1);
  assert.match(bodies[0], /家庭医生邀请.*结直肠癌筛查/);
  // The work list shows it with its contract.
  const list = await s.request('GET', `/api/v1/worklist?team=${team}&limit=200`, { token: doctor01 });
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.some((t) => t.kind === 'screening_invite' && t.resident_id === man55.id && t.contract_id === man55.contract));
  // Another day's pass invites nobody again.
  jiayi(['daily', '--db', demo.db]);
  assert.equal(invitations(woman60.id).length, 3);
});

test('delivering the screening answers its invitation, and a screened resident is not invited again', async () => {
  const man = await signed(62, 'M', ['BASIC', 'CANCER-80']);
  jiayi(['daily', '--db', demo.db]);
  assert.deepEqual(invitations(man.id).map((t) => t.status), ['open']);
  const r = await s.request('POST', `/api/v1/contracts/${man.contract}/deliveries`, { token: doctor01, body: { service: 'colorectal_screening', note: 'FIT 阴性' } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(invitations(man.id).map((t) => t.status), ['done']);
  jiayi(['daily', '--db', demo.db]);
  assert.equal(invitations(man.id).length, 1);
  // A screening delivered before any invitation spares the invitation.
  const other = await signed(58, 'M', ['BASIC', 'CANCER-80']);
  assert.equal((await s.request('POST', `/api/v1/contracts/${other.contract}/deliveries`, { token: doctor01, body: { service: 'colorectal_screening' } })).status, 201);
  jiayi(['daily', '--db', demo.db]);
  assert.deepEqual(invitations(other.id), []);
});
