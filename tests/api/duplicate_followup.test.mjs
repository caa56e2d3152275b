// A second follow-up of the same resident, program and day is most often the same visit
// entered twice (API.md, issue 14): 409 `duplicate_followup` naming `visit_date`, with the
// message in Chinese and English, and nothing stored; with `"confirm_duplicate": true` it is
// recorded. Another day or another program is no duplicate, and two at once cannot both pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbSql } from '../lib/server.mjs';
import { daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01;
const CELL = '51152410100101';
const sqlite = (sql) => dbSql(demo.db, sql);

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db);
  doctor01 = await s.login('doctor01');
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let seq = 0;
async function patient(programs) {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: '重复' + seq, id_number: idNumber('1956-03-03', 2 * seq++ + 401), region: CELL } });
  assert.equal(r.status, 201, r.text);
  for (const program of programs) {
    const e = await post('/enrolments', { resident_id: r.json.id, program, start_date: daysAgo(200) });
    assert.equal(e.status, 201, e.text);
  }
  return r.json.id;
}
const post = (path, body, headers = {}) => s.request('POST', `/api/v1${path}`, { token: doctor01, body, headers });
const stored = (id, program) => Number(sqlite(`SELECT count(*) FROM followups WHERE resident_id = ${id} AND program = '${program}'`));

test('a second follow-up of the same program and day is refused until confirmed', async () => {
  const id = await patient(['hypertension']);
  const visit = { resident_id: id, program: 'hypertension', visit_date: daysAgo(1), sbp: 132, dbp: 84 };
  assert.equal((await post('/followups', visit)).status, 201);
  let r = await post('/followups', { ...visit, sbp: 134 });
  assert.equal(r.status, 409, r.text);
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  assert.equal(r.json.code, 'duplicate_followup');
  assert.equal(r.json.field, 'visit_date');
  assert.match(r.json.detail, /当天已有/);
  r = await post('/followups', { ...visit, sbp: 134 }, { 'Accept-Language': 'en' });
  assert.equal(r.json.code, 'duplicate_followup');
  assert.match(r.json.detail, /already has a follow-up/);
  assert.equal(stored(id, 'hypertension'), 1, 'the refused one stored nothing');
  // false is no confirmation; a confirmation that is not a boolean is a bad field.
  assert.equal((await post('/followups', { ...visit, confirm_duplicate: false })).status, 409);
  r = await post('/followups', { ...visit, confirm_duplicate: 'yes' });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.field, 'confirm_duplicate');
  r = await post('/followups', { ...visit, sbp: 134, confirm_duplicate: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(stored(id, 'hypertension'), 2);
});

test('another day or another program is no duplicate', async () => {
  const id = await patient(['hypertension', 'diabetes']);
  assert.equal((await post('/followups', { resident_id: id, program: 'hypertension', visit_date: daysAgo(3), sbp: 128, dbp: 80 })).status, 201);
  let r = await post('/followups', { resident_id: id, program: 'hypertension', visit_date: daysAgo(2), sbp: 128, dbp: 80 });
  assert.equal(r.status, 201, r.text);
  r = await post('/followups', { resident_id: id, program: 'diabetes', visit_date: daysAgo(2), fbg: 6.1 });
  assert.equal(r.status, 201, r.text);
  // Another resident on the same day and program is of course no duplicate either.
  const other = await patient(['hypertension']);
  r = await post('/followups', { resident_id: other, program: 'hypertension', visit_date: daysAgo(2), sbp: 128, dbp: 80 });
  assert.equal(r.status, 201, r.text);
});

test('two identical follow-ups sent at once: exactly one is stored', async () => {
  const id = await patient(['hypertension']);
  const visit = { resident_id: id, program: 'hypertension', visit_date: daysAgo(1), sbp: 130, dbp: 82 };
  const answers = await Promise.all([1, 2, 3, 4].map(() => post('/followups', visit)));
  const statuses = answers.map((a) => a.status).sort();
  assert.deepEqual(statuses, [201, 409, 409, 409], answers.map((a) => a.text).join('\n'));
  assert.equal(stored(id, 'hypertension'), 1);
});
