// faults.test.mjs - a database failure at every point of a write path (issue 20, SQLite's
// approach): the server runs with JIAYI_FAULT_INJECTION=1, and each request of a sweep has
// its handler's nth prepare, step or commit fail (db/fault.h), n = 1, 2, ... until the
// request finishes before reaching n. Each time the answer is a 500/503 problem+json, never
// a 4xx (a failed lookup must not read as "absent" or "not yours"), and the request's writes
// are all there or none (every table's row count, the counters' sums, tasks and contracts by
// status): none when the failure came before the commit, all when it came after (reading the
// answer back). A request that got past the failure (a read it can do without) answers 2xx
// and has written exactly what it writes without one. The next request must work: the
// server neither crashed nor kept a transaction or the writer. What this found is in
// docs/architecture.md ("A failure is a failure").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, idNumber, dbSql, jiayi, ENGINE } from '../lib/server.mjs';
import { TODAY, daysAgo } from '../lib/clock.mjs';

let demo, s, doctor01, team, gp;
const CELL = '51152410100101';
// Written beside a request, not by it: read audits (queued, appended later), sessions.
const BESIDE = /^(audit|session|login|throttle|sqlite_)/;

before(async () => {
  demo = makeDemo({ residents: 0 });
  s = await startServer(demo.db, { env: { JIAYI_FAULT_INJECTION: '1' } });
  // The start's daily pass writes beside the requests: let it finish first.
  for (let i = 0; i < 200 && !s.log().includes('daily job: the pass is done'); i++) await new Promise((r) => setTimeout(r, 50));
  doctor01 = await s.login('doctor01');
  const me = (await s.request('GET', '/api/v1/session', { token: doctor01 })).json.user;
  team = me.teams[0];
  gp = me.staff_id;
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let tables;
/* Every table's row count, and the states a write moves rows between. */
function picture() {
  if (!tables) {
    tables = dbSql(demo.db, ENGINE === 'postgresql'
      ? 'SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename'
      : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .split('\n').filter((t) => t && !BESIDE.test(t));
  }
  const counts = tables.map((t) => `(SELECT count(*) FROM "${t}")`).join(" || ',' || ");
  const text = dbSql(demo.db, `SELECT ${counts} || ',' || coalesce(sum(num), 0) || ',' || coalesce(sum(den), 0) FROM kpi_counters; SELECT status, count(*) FROM tasks GROUP BY status; SELECT status, count(*) FROM contracts GROUP BY status`);
  const [first, ...states] = text.split('\n');
  const names = [...tables, 'counter numerators', 'counter denominators'];
  return Object.fromEntries([...first.split(',').map((n, i) => [names[i], Number(n)]), ...states.map((l) => [`state ${l.split('|')[0]}`, Number(l.split('|')[1])])]);
}
function change(before, after) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return Object.fromEntries([...keys].map((k) => [k, (after[k] || 0) - (before[k] || 0)]).filter(([, d]) => d !== 0));
}

let seq = 0;
/* A new person's ID number: a birth year and sequence of their own (hundreds per sweep). */
const newIdNumber = (k) => idNumber(`19${40 + (Math.floor(k / 400) % 50)}-05-05`, 101 + 2 * (k % 400));
async function resident() {
  const r = await s.request('POST', '/api/v1/residents', { token: doctor01, body: { name: `故障${seq}`, id_number: newIdNumber(seq++), region: CELL } });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

/* Sweeps one write: `prepare()` sets up a fresh subject (no fault), `send(subject, headers)`
 * makes the request. Returns how many fault points the request has. */
async function sweep(name, prepare, send) {
  // Twice without a fault: the first may create the counter rows of a scope the later share.
  let writes;
  for (let i = 0; i < 2; i++) {
    const clean = await prepare();
    const before = picture();
    const ok = await send(clean, {});
    assert.ok(ok.status < 300, `${name} without a fault: ${ok.status} ${ok.text}`);
    writes = change(before, picture());
  }
  assert.ok(Object.keys(writes).length > 0, `${name} writes something`);
  const outcomes = { failed: 0, failedAfterCommit: 0, survived: 0 };
  for (let n = 1; n < 2000; n++) {
    const subject = await prepare();
    const was = picture();
    const r = await send(subject, { 'X-Jiayi-Fault': `any:${n}` });
    const fired = r.headers.get('x-jiayi-fault-fired');
    assert.ok(fired === '0' || fired === '1', `${name}, fault ${n}: the server says whether it fired`);
    if (fired === '0') {
      assert.ok(r.status < 300, `${name} past its last fault point (${n}): ${r.status} ${r.text}`);
      assert.ok(outcomes.failed > 0, `${name}: some fault made it fail`);
      return { points: n - 1, ...outcomes };
    }
    const now = change(was, picture());
    if (r.status >= 500) {
      assert.ok([500, 503].includes(r.status), `${name}, fault ${n}: ${r.status}`);
      assert.match(r.headers.get('content-type') || '', /application\/problem\+json/, `${name}, fault ${n}`);
      assert.ok(r.json && r.json.code, `${name}, fault ${n}: a problem with a code: ${r.text}`);
      if (Object.keys(now).length) {
        assert.deepEqual(now, writes, `${name}, fault ${n}: a failed request's writes are all there or none`);
        outcomes.failedAfterCommit++;
      } else outcomes.failed++;
    } else {
      assert.ok(r.status < 300, `${name}, fault ${n}: a failure is a 5xx, not ${r.status} ${r.text}`);
      assert.deepEqual(now, writes, `${name}, fault ${n}: answered ${r.status}, so all of it was written`);
      outcomes.survived++;
    }
  }
  assert.fail(`${name}: still faulting after 2000 points`);
}

test('registering a resident: a failure at any point writes nothing and answers 5xx', async () => {
  // One name for every registration: the name index (resident_name_grams) holds a row per
  // distinct character and pair, so another name could write another number of rows.
  const result = await sweep('POST /residents', async () => ({ n: seq++ }),
    (subject, headers) => s.request('POST', '/api/v1/residents', { token: doctor01, headers, body: { name: '登记测试', id_number: newIdNumber(subject.n), region: CELL, phone: '13800000000' } }));
  assert.ok(result.points >= 10, JSON.stringify(result));
});

test('a hypertension follow-up: the visit, the task closed, the next one opened, or none of it', async () => {
  const result = await sweep('POST /followups', async () => {
    const p = await resident();
    const e = await s.request('POST', '/api/v1/enrolments', { token: doctor01, body: { resident_id: p.id, program: 'hypertension', start_date: daysAgo(100) } });
    assert.equal(e.status, 201, e.text);
    return p;
  }, (p, headers) => s.request('POST', '/api/v1/followups', { token: doctor01, headers, body: { resident_id: p.id, program: 'hypertension', visit_date: TODAY, sbp: 150, dbp: 95 } }));
  assert.ok(result.points >= 20, JSON.stringify(result));
});

test('signing a contract: the contract, its packages, entitlements and fee shares, or none of it', async () => {
  const result = await sweep('POST /contracts', resident,
    (p, headers) => s.request('POST', '/api/v1/contracts', { token: doctor01, headers, body: { resident_id: p.id, team_id: team, doctor_id: gp, start_date: TODAY, channel: 'clinic', packages: ['BASIC'] } }));
  assert.ok(result.points >= 20, JSON.stringify(result));
});

test('the counters stayed exact through every failure (jiayi kpi check)', () => {
  jiayi(['kpi', 'check', '--db', demo.db]);
});

test('without JIAYI_FAULT_INJECTION the header means nothing', async () => {
  const plain = await startServer(demo.db);
  try {
    const token = await plain.login('doctor01');
    const r = await plain.request('POST', '/api/v1/residents', { token, headers: { 'X-Jiayi-Fault': 'any:1' }, body: { name: '无故障', id_number: newIdNumber(99999), region: CELL } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('x-jiayi-fault-fired'), null);
  } finally {
    await plain.stop();
  }
});
