// Crash cycles (issue 21, `make check-long`): CYCLES times, start the server on the same
// county, let 8 clients write a mix of registrations, signings, follow-ups, bookings and
// small imports for 0.4 to 2 s, and kill -9 it mid-stream. After each kill the database passes
// PRAGMA integrity_check (SQLite), `kpi check` finds the indicators exact and `audit verify`
// finds the chain intact; at the end every acknowledged write is there, as acknowledged.
//
//   node tests/long/crash_cycles.mjs [CYCLES]            SQLite (JIAYI_BIN, default build/jiayi)
//   node tests/long/crash_cycles.mjs [CYCLES] --postgresql   a PostgreSQL primary with a
//       synchronous standby (the server reads lists from it); at the end the standby holds
//       every acknowledged write too.
// Prints one line per cycle and a summary; exits 1 on the first failure.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { makeDemo, startServer, cleanup, jiayi, idNumber, dbSql } from '../lib/server.mjs';
import { piiOpen, piiDigest } from '../lib/pii.mjs';
import { startReplicatedCounty } from '../lib/replica.mjs';
import { psql } from '../lib/pg.mjs';
import { TODAY, daysAhead } from '../lib/clock.mjs';

const CYCLES = Number(process.argv[2] || 100);
const POSTGRESQL = process.argv.includes('--postgresql');
const CLIENTS = 8;
const CELL = '51152410100101';

const clusters = [];
let demo, db, env = {}, standbyUri = null;
if (POSTGRESQL) {
  const county = await startReplicatedCounty(clusters, { residents: 3000 });
  db = county.primary.uri('county');
  standbyUri = county.standby.uri('county');
  env = county.env;
} else {
  demo = makeDemo({ residents: 3000, seed: 5, fresh: true, name: 'cycles' });
  db = demo.db;
}
const sql = (q) => (POSTGRESQL ? psql(db, q) : dbSql(db, q));
// ID numbers are sealed (util/seal.h): the key file beside the audit key, or the database.
const piiFile = POSTGRESQL ? `${env.JIAYI_AUDIT_KEY_FILE}.pii` : `${db}.pii-key`;
const openPii = (_db, text) => piiOpen(piiFile, text);
const digestPii = (_db, label, value) => piiDigest(piiFile, label, value);
const cli = (args) => jiayi([...args, '--db', db], { env: { ...process.env, ...env } }).stdout;
const serverArgs = POSTGRESQL ? { env, args: ['--read-db', standbyUri] } : {};

// What the clients work on, read once from the county.
const team = sql("SELECT t.id || '|' || t.doctor_id FROM teams t JOIN staff s ON s.id = t.doctor_id JOIN users u ON u.id = s.user_id WHERE u.username = 'doctor01'").split('|').map(Number);
const unsigned = sql("SELECT r.id FROM residents r WHERE r.region LIKE '511524101%' AND r.status = 'alive' AND NOT EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = r.id) ORDER BY r.id").split('\n').filter(Boolean).map(Number);
const signed = sql(`SELECT resident_id FROM contracts WHERE team_id = ${team[0]} AND status = 'active' ORDER BY resident_id LIMIT 60`).split('\n').filter(Boolean).map(Number);
const patients = sql(`SELECT r.id FROM residents r JOIN team_cells tc ON r.region = tc.region_code WHERE r.status = 'alive' AND r.birth_date < '${Number(TODAY.slice(0, 4)) - 40}-01-01' AND tc.team_id = ${team[0]} ORDER BY r.id LIMIT 40`).split('\n').filter(Boolean).map(Number);
assert.ok(unsigned.length > 20 && signed.length > 10 && patients.length > 10, 'the county has people to work on');

const acknowledged = { resident: new Map(), contract: new Map(), followup: new Map(), booking: new Map(), imported: new Set() };
let seq = 0, signIndex = 0, slots = [];
const counts = () => Object.fromEntries(Object.entries(acknowledged).map(([k, v]) => [k, v.size]));
const unexpected = (r, what) => new Error(`unexpected ${what}: ${r.status} ${r.text.slice(0, 300)}`);
const birth = (n) => `19${String(40 + (n % 50)).padStart(2, '0')}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
// Ids of registrations and imports never collide: registrations use odd sequence numbers
// below 500, imports those from 501 (both unique per birth date by n).
const regId = (n) => idNumber(birth(n), (Math.floor(n / 1400) % 240) * 2 + 1);
const importId = (n) => idNumber(birth(n), 501 + (Math.floor(n / 1400) % 240) * 2);

const OPS = [
  async function register(s, t) {
    const n = seq++, id = regId(n);
    const r = await s.request('POST', '/api/v1/residents', { token: t.doctor, body: { name: `循环${n}`, id_number: id, region: CELL } });
    if (r.status === 201) acknowledged.resident.set(r.json.id, id);
    else if (r.status !== 409) throw unexpected(r, 'registration');
  },
  async function sign(s, t) {
    // The county's unsigned people first, then those registered during the run.
    const fresh = [...acknowledged.resident.keys()];
    const i = signIndex++;
    const resident = i < unsigned.length ? unsigned[i] : fresh.length ? fresh[(i * 7919) % fresh.length] : unsigned[0];
    const r = await s.request('POST', '/api/v1/contracts', { token: t.town, body: { resident_id: resident, team_id: team[0], doctor_id: team[1], packages: ['BASIC'], start_date: TODAY, channel: 'centralised', cross_grid_reason: '集中签约' } });
    if (r.status === 201) acknowledged.contract.set(r.json.id, resident);
    // signed already, or the doctor has reached the cap of PROTOCOLS.md §10
    else if (r.status !== 409 && r.json?.code !== 'doctor_at_capacity') throw unexpected(r, 'signing');
  },
  async function followup(s, t) {
    const n = seq++, resident = patients[n % patients.length];
    const r = await s.request('POST', '/api/v1/followups', { token: t.doctor, body: { resident_id: resident, program: 'hypertension', visit_date: TODAY, sbp: 120 + (n % 40), dbp: 80, confirm_duplicate: true } });
    if (r.status !== 201) throw unexpected(r, 'follow-up');
    acknowledged.followup.set(r.json.id, resident);
  },
  async function book(s, t) {
    if (!slots.length) return;
    const n = seq++;
    const r = await s.request('POST', '/api/v1/bookings', { token: t.doctor, body: { slot_id: slots[n % slots.length], resident_id: signed[n % signed.length] } });
    if (r.status === 201) acknowledged.booking.set(r.json.id, r.json.slot_id);
    else if (r.status !== 409) throw unexpected(r, 'booking');
  },
  async function importFive(s, t) {
    const first = seq;
    seq += 5;
    const ids = Array.from({ length: 5 }, (_, i) => importId(first + i));
    const csv = ['姓名,身份证号,行政区划代码,户编号,与户主关系', ...ids.map((id, i) => `导入${first + i},${id},${CELL},CY-${first},${i ? '子女' : '户主'}`)].join('\r\n') + '\r\n';
    const r = await s.request('POST', '/api/v1/imports?kind=residents&mode=all', { token: t.town, raw: csv, headers: { 'Content-Type': 'text/csv' } });
    if (r.status === 201 || r.status === 200) {
      if (r.json.accepted === 5) for (const id of ids) acknowledged.imported.add(id);
    } else if (r.status !== 409 && r.status !== 422) throw unexpected(r, 'import');
  },
];
const WEIGHTS = [0, 0, 0, 1, 2, 2, 3, 3, 4, 0]; // registrations, follow-ups and bookings most

async function prepare(s, t) {
  for (const resident of patients) {
    const r = await s.request('POST', '/api/v1/enrolments', { token: t.doctor, body: { resident_id: resident, program: 'hypertension', start_date: TODAY } });
    assert.ok(r.status === 201 || r.status === 409, r.text);
  }
  const r = await s.request('GET', `/api/v1/slots?from=${daysAhead(1)}&to=${daysAhead(14)}&limit=500`, { token: t.doctor });
  assert.equal(r.status, 200, r.text);
  slots = r.json.items.filter((x) => x.released_to === 'family_doctors').map((x) => x.id);
}

function checkAfterKill(cycle) {
  if (!POSTGRESQL) assert.equal(dbSql(db, 'PRAGMA integrity_check'), 'ok', `cycle ${cycle}: integrity`);
  assert.match(cli(['kpi', 'check']), /indicators exact/, `cycle ${cycle}: kpi check`);
  assert.match(cli(['audit', 'verify']), /intact/, `cycle ${cycle}: audit verify`);
}

function checkAcknowledged(on, where) {
  const query = (q) => (on === db ? sql(q) : psql(on, q)).split('\n').filter(Boolean).map((l) => l.split('|'));
  // In chunks: a statement naming 16,000 ids is past a command line's length.
  const rows = (keys, q) => {
    const out = [];
    for (let i = 0; i < keys.length; i += 500) out.push(...query(q(keys.slice(i, i + 500).join(','))));
    return out;
  };
  const stored = (m, table, column) => new Map(rows([...m.keys()], (ids) => `SELECT id || '|' || ${column} FROM ${table} WHERE id IN (${ids})`).map(([id, v]) => [Number(id), v]));
  const residents = stored(acknowledged.resident, 'residents', 'id_number');
  for (const [id, n] of acknowledged.resident) assert.equal(openPii(db, residents.get(id)), n, `${where}: resident ${id}`);
  for (const [kind, table, column] of [['contract', 'contracts', 'resident_id'], ['followup', 'followups', 'resident_id'], ['booking', 'bookings', 'slot_id']]) {
    const found = stored(acknowledged[kind], table, column);
    for (const [id, v] of acknowledged[kind]) assert.equal(Number(found.get(id)), v, `${where}: ${kind} ${id}`);
  }
  const digests = [...acknowledged.imported].map((x) => `'${digestPii(db, 'id', x)}'`);
  const imported = new Set(rows(digests, (list) => `SELECT id_number FROM residents WHERE id_digest IN (${list})`).map(([n]) => openPii(db, n)));
  for (const n of acknowledged.imported) assert.ok(imported.has(n), `${where}: imported ${n}`);
  assert.equal(query("SELECT count(*) FROM (SELECT resident_id FROM contracts WHERE status = 'active' GROUP BY resident_id HAVING count(*) > 1) x")[0][0], '0', `${where}: two active contracts`);
}

const started = Date.now();
let failed = null;
try {
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    const s = await startServer(db, serverArgs);
    const t = { doctor: await s.login('doctor01'), town: await s.login('town01') };
    if (cycle === 1) await prepare(s, t);
    const before = JSON.stringify(counts());
    const writeMs = 400 + ((cycle * 7919) % 1600);
    const stopAt = Date.now() + writeMs + 5000;
    let n = cycle;
    const worker = async () => {
      while (Date.now() < stopAt) {
        const op = OPS[WEIGHTS[n++ % WEIGHTS.length]];
        try {
          await op(s, t);
        } catch (e) {
          if (String(e).includes('unexpected')) throw e;
          return; // the server is gone
        }
      }
    };
    let workerError = null; // held until the kill, so that a wrong answer fails the run cleanly
    const writing = Promise.all(Array.from({ length: CLIENTS }, worker)).catch((e) => { workerError = e; });
    await new Promise((r) => setTimeout(r, writeMs));
    await s.kill();
    await writing;
    if (workerError) throw workerError;
    checkAfterKill(cycle);
    console.log(`cycle ${cycle}: killed after ${writeMs} ms; acknowledged so far ${JSON.stringify(counts())}${before === JSON.stringify(counts()) ? ' (none new)' : ''}`);
  }
  checkAcknowledged(db, 'primary');
  if (standbyUri) checkAcknowledged(standbyUri, 'standby');
} catch (e) {
  failed = e;
} finally {
  for (const c of clusters) c.stop('immediate');
  if (demo && !failed) cleanup(demo.dir);
}
const total = Object.values(counts()).reduce((a, b) => a + b, 0);
const summary = `${POSTGRESQL ? 'postgresql (synchronous standby)' : 'sqlite'}: ${failed ? 'FAILED' : 'passed'} ${CYCLES} kill -9 cycles in ${Math.round((Date.now() - started) / 1000)} s; ${total} acknowledged writes ${JSON.stringify(counts())}`;
console.log(summary);
if (process.env.JIAYI_CYCLES_RESULT) writeFileSync(process.env.JIAYI_CYCLES_RESULT, summary + '\n', { flag: 'a' });
if (failed) {
  console.error(failed);
  if (demo) console.error(`the county is kept in ${demo.dir}`);
  process.exit(1);
}
