// Assessment rounds with spot checks (issue 19, docs/assessments.md): a centre's quarterly
// round samples each team's records of the quarter, the checks are called by someone outside
// the team, the round is signed off only when every check has its outcome, and the team's
// coefficient then scales its appraisal score and its share of the bonus pool; the county's
// half-yearly round is the commission's; scope, roles and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, dbJson, idNumber } from '../lib/server.mjs';
import { TODAY, daysAgo } from '../lib/clock.mjs';

let demo, s, town, county, doctor, admin, myTeam;
const CENTRE = 3; // 长宁镇卫生院, town01's
const OTHER_CENTRE = 18; // 双河镇卫生院
const sql = (q) => dbJson(demo.db, q);
const [year, month] = TODAY.split('-').map(Number);
const QUARTER = `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
const HALF = `${year}-H${month <= 6 ? 1 : 2}`;
const req = (method, path, token, body) => s.request(method, `/api/v1${path}`, { token, body });

before(async () => {
  demo = makeDemo({ residents: 2000, name: 'assessments' });
  s = await startServer(demo.db);
  [town, county, doctor, admin] = await Promise.all(['town01', 'county', 'doctor01', 'admin'].map((u) => s.login(u)));
  myTeam = (await req('GET', '/session', doctor)).json.user.teams[0];
  // Whatever the day, doctor01's team has four follow-ups of this quarter to draw (the
  // demo's own may be few on a quarter's first days).
  for (let i = 0; i < 4; i++) {
    const p = await req('POST', '/residents', doctor, { name: `考核${i}`, id_number: idNumber('1960-06-06', 801 + 2 * i), region: '51152410100101' });
    assert.equal(p.status, 201, p.text);
    assert.equal((await req('POST', '/enrolments', doctor, { resident_id: p.json.id, program: 'hypertension', start_date: daysAgo(30) })).status, 201);
    const f = await req('POST', '/followups', doctor, { resident_id: p.json.id, program: 'hypertension', visit_date: TODAY, mode: 'clinic', sbp: 128, dbp: 80 });
    assert.equal(f.status, 201, f.text);
  }
});
after(async () => { await s.stop(); cleanup(demo.dir); });

let round;

test('a centre\'s quarterly round samples each team\'s records of the quarter', async () => {
  for (const [body, status, code, field] of [
    [{ level: 'institution', period: `${year}-H2`, institution_id: CENTRE }, 422, 'invalid_field', 'period'],
    [{ level: 'institution', period: `${year + 1}-Q1`, institution_id: CENTRE }, 422, 'invalid_field', 'period'],
    [{ level: 'institution', period: QUARTER }, 422, 'missing_field', 'institution_id'],
    [{ level: 'institution', period: QUARTER, institution_id: CENTRE, sample_per_team: 0 }, 422, 'invalid_field', 'sample_per_team'],
    [{ level: 'province', period: QUARTER }, 422, 'invalid_field', 'level'],
    [{ level: 'institution', period: QUARTER, institution_id: OTHER_CENTRE }, 403, 'out_of_scope', 'institution_id'],
    [{ level: 'county', period: HALF, region: '511524' }, 403, 'out_of_role', 'level'],
  ]) {
    const r = await req('POST', '/assessment-rounds', town, body);
    assert.deepEqual([r.status, r.json.code, r.json.field], [status, code, field], JSON.stringify(body));
  }
  assert.equal((await req('POST', '/assessment-rounds', doctor, { level: 'institution', period: QUARTER, institution_id: CENTRE })).status, 403);
  const r = await req('POST', '/assessment-rounds', town, { level: 'institution', period: QUARTER, institution_id: CENTRE, sample_per_team: 4 });
  assert.equal(r.status, 201, r.text + s.log());
  round = r.json;
  assert.deepEqual([round.level, round.period, round.status, round.full_rate], ['institution', QUARTER, 'open', 95]);
  // Every team with a record of the quarter is sampled, up to 4 of them each.
  const eligible = sql(`SELECT count(DISTINCT t.id) AS n FROM teams t WHERE t.institution_id = ${CENTRE} AND (
      EXISTS (SELECT 1 FROM followups f JOIN residents p ON p.id = f.resident_id AND p.status = 'alive'
        JOIN team_members m ON m.staff_id = f.staff_id AND m.team_id = t.id
        WHERE f.visit_date >= '${round.period_first}' AND f.visit_date <= '${round.period_last}' AND f.mode <> 'device'
          AND (EXISTS (SELECT 1 FROM contracts k WHERE k.resident_id = p.id AND k.team_id = t.id AND k.status = 'active')
            OR EXISTS (SELECT 1 FROM team_cells tc WHERE tc.team_id = t.id AND tc.region_code = p.region)))
      OR EXISTS (SELECT 1 FROM contracts c JOIN residents p ON p.id = c.resident_id AND p.status = 'alive'
        WHERE c.team_id = t.id AND c.start_date >= '${round.period_first}' AND c.start_date <= '${round.period_last}' AND c.status <> 'scheduled'))`)[0].n;
  assert.equal(round.teams.length, eligible);
  assert.ok(round.teams.some((t) => t.team_id === myTeam && t.pending === 4));
  assert.ok(round.teams.every((t) => t.pending >= 1 && t.pending <= 4));
  assert.equal(round.checks, round.teams.reduce((n, t) => n + t.pending, 0));
  // Every check is a record of the quarter by the team: a follow-up a member recorded or a
  // contract the team signed.
  const wrong = sql(`SELECT count(*) AS n FROM assessment_checks c LEFT JOIN followups f ON c.kind = 'followup' AND f.id = c.record_id
    LEFT JOIN contracts k ON c.kind = 'contract' AND k.id = c.record_id
    WHERE c.round_id = ${round.id} AND (c.record_date < '${round.period_first}' OR c.record_date > '${round.period_last}'
      OR (c.kind = 'followup' AND f.staff_id NOT IN (SELECT staff_id FROM team_members WHERE team_id = c.team_id))
      OR (c.kind = 'contract' AND k.team_id <> c.team_id))`)[0].n;
  assert.equal(wrong, 0);
  const again = await req('POST', '/assessment-rounds', town, { level: 'institution', period: QUARTER, institution_id: CENTRE });
  assert.deepEqual([again.status, again.json.code], [409, 'round_exists']);
});

test('the checks are called by someone outside the team; sign-off waits for every outcome', async () => {
  const r = await req('GET', `/assessment-rounds/${round.id}`, town);
  assert.equal(r.status, 200);
  const checks = r.json.items;
  assert.ok(checks.every((c) => c.name && c.record_date));
  // The read of names and phones is audited, each person found by their id.
  await req('GET', '/audit', admin);
  const audit = await req('GET', `/audit?resident=${checks[0].resident_id}`, admin);
  assert.ok(audit.json.items.some((e) => e.resource === 'assessment_round' && e.resource_id.split(';')[0] === String(round.id)), audit.text.slice(0, 400));
  // A team lead reads the round's tallies, not whom it calls.
  const mine = checks.filter((c) => c.team_id === myTeam);
  assert.equal(mine.length, 4, 'doctor01\'s team has four records to check');
  let x = await req('POST', `/assessment-rounds/${round.id}/checks/${mine[0].id}`, doctor, { outcome: 'confirmed' });
  assert.equal(x.status, 403, 'a doctor does not assess');
  x = await req('POST', `/assessment-rounds/${round.id}/checks/${mine[0].id}`, town, { outcome: 'maybe' });
  assert.deepEqual([x.status, x.json.field], [422, 'outcome']);
  x = await req('POST', `/assessment-rounds/${round.id}/checks/999999`, town, { outcome: 'confirmed' });
  assert.equal(x.status, 404);
  // doctor01's team: one record the resident denies; every other check confirmed or unreachable.
  for (const [i, c] of checks.entries()) {
    const outcome = c.id === mine[0].id ? 'not_confirmed' : c.team_id !== myTeam && i % 7 === 3 ? 'unreachable' : 'confirmed';
    if (i === checks.length - 1) {
      const early = await req('POST', `/assessment-rounds/${round.id}/sign-off`, town);
      assert.deepEqual([early.status, early.json.code], [409, 'checks_pending']);
    }
    x = await req('POST', `/assessment-rounds/${round.id}/checks/${c.id}`, town, { outcome, finding: outcome === 'not_confirmed' ? '居民称当月未接受随访' : undefined });
    assert.equal(x.status, 200, x.text);
  }
  const signed = await req('POST', `/assessment-rounds/${round.id}/sign-off`, town);
  assert.equal(signed.status, 200, signed.text);
  assert.equal(signed.json.status, 'signed_off');
  const team = signed.json.teams.find((t) => t.team_id === myTeam);
  const reached = mine.length;
  // 3 of 4 confirmed: below 95%, the coefficient is the share.
  assert.equal(reached, 4);
  assert.deepEqual([team.coefficient, team.judged], [0.75, true]);
  x = await req('POST', `/assessment-rounds/${round.id}/checks/${mine[1].id}`, town, { outcome: 'not_confirmed' });
  assert.deepEqual([x.status, x.json.code], [409, 'round_signed_off']);
  assert.deepEqual((await req('POST', `/assessment-rounds/${round.id}/sign-off`, town)).json.code, 'round_signed_off');
});

test('the signed-off round scales the team\'s score and so its share of the bonus pool', async () => {
  const r = await req('GET', `/team-scores?scope=institution:${CENTRE}&period=${QUARTER}`, county);
  assert.equal(r.status, 200, r.text);
  const mine = r.json.items.find((t) => t.team_id === myTeam);
  const result = sql(`SELECT coefficient FROM assessment_results WHERE round_id = ${round.id} AND team_id = ${myTeam}`)[0].coefficient;
  assert.deepEqual(mine.verification, { round_id: round.id, coefficient: result / 1000 });
  const raw = Math.round(mine.score_before_verification * 100);
  assert.equal(Math.round(mine.score * 100), Math.floor((raw * result) / 1000));
  // The pool is still shared out to the fen.
  assert.equal(r.json.items.reduce((n, t) => n + t.bonus_fen, 0), r.json.bonus_pool_fen);
  // Another quarter's scores are untouched.
  const other = await req('GET', `/team-scores?scope=institution:${CENTRE}&period=${year - 1}-Q4`, county);
  assert.ok(other.json.items.every((t) => t.verification === null && t.score === t.score_before_verification));
});

test('the county\'s half-yearly round is the commission\'s; each sees the rounds of its own area', async () => {
  const r = await req('POST', '/assessment-rounds', county, { level: 'county', period: HALF, region: '511524', sample_per_team: 1 });
  assert.equal(r.status, 201, r.text);
  // The county's round reaches past the centre: every team of the county with a record of the
  // half year, one check each.
  const [first, last] = [r.json.period_first, r.json.period_last];
  const eligible = sql(`SELECT count(DISTINCT t.id) AS n FROM teams t JOIN institutions i ON i.id = t.institution_id WHERE i.region LIKE '511524%' AND (
      EXISTS (SELECT 1 FROM followups f JOIN residents p ON p.id = f.resident_id AND p.status = 'alive'
        JOIN team_members m ON m.staff_id = f.staff_id AND m.team_id = t.id
        WHERE f.visit_date >= '${first}' AND f.visit_date <= '${last}' AND f.mode <> 'device'
          AND (EXISTS (SELECT 1 FROM contracts k WHERE k.resident_id = p.id AND k.team_id = t.id AND k.status = 'active')
            OR EXISTS (SELECT 1 FROM team_cells tc WHERE tc.team_id = t.id AND tc.region_code = p.region)))
      OR EXISTS (SELECT 1 FROM contracts c JOIN residents p ON p.id = c.resident_id AND p.status = 'alive'
        WHERE c.team_id = t.id AND c.start_date >= '${first}' AND c.start_date <= '${last}' AND c.status <> 'scheduled'))`)[0].n;
  assert.equal(r.json.teams.length, eligible);
  assert.equal(r.json.checks, eligible);
  assert.equal((await req('GET', `/assessment-rounds/${r.json.id}`, town)).status, 403, 'a centre does not read the county\'s round');
  assert.equal((await req('POST', '/assessment-rounds', county, { level: 'county', period: HALF, region: '5115' })).json.field, 'region');
  assert.equal((await req('POST', '/assessment-rounds', county, { level: 'county', period: HALF, region: '511500' })).json.field, 'region', 'a city is not a county');
  const townList = (await req('GET', '/assessment-rounds', town)).json.items.map((x) => x.id);
  const countyList = (await req('GET', '/assessment-rounds', county)).json.items.map((x) => x.id);
  assert.deepEqual(townList, [round.id]);
  assert.deepEqual(countyList, [r.json.id, round.id]);
  const lead = await req('GET', `/assessment-rounds/${round.id}`, county);
  assert.ok(Array.isArray(lead.json.items), 'the commission assesses too');
});
