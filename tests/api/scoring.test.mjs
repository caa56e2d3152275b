// Team appraisal (PROTOCOLS.md §10): versioned weights and shares, per-team scores and ranks,
// signing income split exactly to the fen, CSV (BOM) and XLSX exports; and the care
// cascade's overdue list, riskiest first, as long as the htn_missed_visit numerator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeDemo, startServer, cleanup, dbSql, dbJson } from '../lib/server.mjs';
import { YEAR as year } from '../lib/clock.mjs';

let demo, s, county, town01, doctor01, admin;
const sqlite = (sql) => dbSql(demo.db, sql);
const get = (path, token) => s.request('GET', `/api/v1${path}`, { token });

before(async () => {
  demo = makeDemo({ residents: 1500, seed: 5 });
  s = await startServer(demo.db);
  [county, town01, doctor01, admin] = await Promise.all(['county', 'town01', 'doctor01', 'admin'].map((u) => s.login(u)));
});
after(async () => { await s.stop(); cleanup(demo.dir); });

test('settings: defaults, validation naming the field, versioned changes, managers only', async () => {
  let r = await get('/team-score-settings', county);
  assert.equal(r.status, 200, r.text);
  assert.equal(Object.values(r.json.weights).reduce((a, b) => a + b, 0), 100);
  assert.equal(r.json.version, 0);
  assert.equal(r.json.institution_share + r.json.team_share, 100);
  const put = (body, token = county) => s.request('PUT', '/api/v1/team-score-settings', { token, body });
  r = await put({ weights: { signing_rate: 50, satisfaction_rate: 40 } });
  assert.equal(r.status, 422);
  assert.equal(r.json.field, 'weights');
  r = await put({ weights: { signing_rate: 50, referrals_up: 50 } });
  assert.equal(r.json.field, 'weights.referrals_up');
  r = await put({ weights: { signing_rate: 'x' } });
  assert.equal(r.json.field, 'weights.signing_rate');
  assert.equal((await put({ institution_share: 101 })).json.field, 'institution_share');
  assert.equal((await put({ bonus_share: -1 })).json.field, 'bonus_share');
  assert.equal((await put({ bonus_share: 10 }, town01)).status, 403);
  assert.equal((await get('/team-score-settings', doctor01)).status, 403);
  r = await put({ weights: { signing_rate: 40, record_rate: 30, satisfaction_rate: 30 }, bonus_share: 25 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.weights, { signing_rate: 40, record_rate: 30, satisfaction_rate: 30 });
  assert.equal(r.json.bonus_share, 25);
  assert.equal(r.json.version, 1);
  r = await put({ institution_share: 25 }, admin);
  assert.equal(r.json.version, 2);
  assert.equal(r.json.bonus_share, 25);
  assert.equal(Number(sqlite("SELECT count(*) FROM audit_log WHERE resource = 'team_score_settings'")) >= 2, true);
});

test('team scores: weighted sum of the team indicators, ranked, income split exactly', async () => {
  const r = await get(`/team-scores?scope=region:511524&period=${year}`, county);
  assert.equal(r.status, 200, r.text);
  const { items, settings } = r.json;
  assert.ok(items.length >= 2, 'the demo county has several teams');
  assert.equal(items.length, Number(sqlite("SELECT count(*) FROM teams t JOIN institutions i ON i.id = t.institution_id WHERE i.region LIKE '511524%'")));
  const income = new Map(dbJson(demo.db, `SELECT team_id, sum(fee_fen) AS fen FROM contracts WHERE start_date BETWEEN '${year}-01-01' AND '${year}-12-31' GROUP BY team_id`)
    .map((row) => [Number(row.team_id), Number(row.fen)]));
  for (let k = 0; k < items.length; k++) {
    const t = items[k];
    if (k) assert.ok(items[k - 1].score >= t.score && items[k - 1].rank <= t.rank);
    const ind = await get(`/indicators?scope=team:${t.team_id}&period=${year}&codes=${Object.keys(settings.weights).join(',')}`, county);
    let expected = 0;
    for (const i of ind.json.items) {
      const mine = t.indicators.find((x) => x.code === i.code);
      assert.equal(mine.numerator, i.numerator);
      assert.equal(mine.denominator, i.denominator);
      expected += (i.value ?? 0) * settings.weights[i.code];
      if (i.value === null) assert.ok(t.missing.includes(i.code));
    }
    assert.ok(Math.abs(expected - t.score) < 0.011 * t.indicators.length, `${expected} vs ${t.score}`);
    assert.equal(t.income_fen, income.get(t.team_id) ?? 0);
    assert.equal(t.institution_fen + t.team_fen + t.bonus_fen > 0 || t.income_fen === 0 || r.json.bonus_pool_fen === 0, true);
  }
  const paid = items.reduce((a, t) => a + t.institution_fen + t.team_fen + t.bonus_fen, 0);
  assert.equal(paid, r.json.income_fen);
  assert.ok(r.json.income_fen > 0);
  assert.equal(items.reduce((a, t) => a + t.bonus_fen, 0), r.json.bonus_pool_fen);
  // Workload and units of every team, recomputed from the deliveries themselves (the
  // response reads per-team counters: whole months plus this month's days).
  const work = new Map(dbJson(demo.db, `SELECT c.team_id, sum(d.quantity) AS units, sum(d.quantity * CASE WHEN pi.workload_weight > 0 THEN pi.workload_weight ELSE 1.0 END) AS workload FROM deliveries d JOIN contracts c ON c.id = d.contract_id JOIN entitlements e ON e.id = d.entitlement_id JOIN package_items pi ON pi.id = e.package_item_id WHERE d.delivered_on BETWEEN '${year}-01-01' AND '${r.json.as_of}' GROUP BY c.team_id`)
    .map((row) => [Number(row.team_id), row]));
  assert.ok(work.size > 0);
  for (const t of items) {
    const w = work.get(t.team_id) ?? { units: 0, workload: 0 };
    assert.equal(t.workload_units, Number(w.units), `team ${t.team_id}`);
    assert.ok(Math.abs(t.workload - Number(w.workload)) < 1e-6, `team ${t.team_id}: ${t.workload} vs ${w.workload}`);
  }
  // Scope: a township sees its own teams only; other scopes are refused.
  const mine = await get(`/team-scores?scope=region:511524101&period=${year}`, town01);
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.json.items.length > 0 && mine.json.items.length < items.length);
  assert.equal((await get(`/team-scores?scope=region:511524102&period=${year}`, town01)).status, 403);
  assert.equal((await get(`/team-scores?scope=team:1`, county)).json.field, 'scope');
  assert.equal((await get(`/team-scores?scope=region:511524&format=pdf`, county)).json.field, 'format');
  assert.equal((await get(`/team-scores?scope=region:511524`, doctor01)).status, 403);
});

test('team scores as CSV (UTF-8 BOM, header) and XLSX (a zip)', async () => {
  const csv = await fetch(`${s.base}/api/v1/team-scores?scope=region:511524&period=${year}&format=csv`, { headers: { Authorization: `Bearer ${county}` } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="team-scores-\d{4}-r511524\.csv"/);
  const bytes = new Uint8Array(await csv.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
  assert.match(lines[0], /^"排名","团队","机构","得分"/);
  const json = await get(`/team-scores?scope=region:511524&period=${year}`, county);
  assert.equal(lines.length, json.json.items.length + 1);
  assert.equal(lines[1].split(',')[0], '1');
  const xlsx = await fetch(`${s.base}/api/v1/team-scores?scope=region:511524&period=${year}&format=xlsx`, { headers: { Authorization: `Bearer ${county}`, 'Accept-Language': 'en' } });
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  const book = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(book.slice(0, 2).toString(), 'PK');
});

test('overdue list: as many as the htn_missed_visit numerator, riskiest first, audited, names for carers only', async () => {
  let listed = 0;
  for (const [scope, token] of [['region:511524101', town01], ['region:511524', admin]]) {
    const ind = await get(`/indicators?scope=${scope}&codes=htn_missed_visit,dm_missed_visit`, token);
    assert.equal(ind.status, 200, ind.text);
    for (const [k, program] of ['hypertension', 'diabetes'].entries()) {
      const all = [];
      let cursor = null;
      do {
        const r = await get(`/indicators/overdue?scope=${scope}&program=${program}&limit=7${cursor ? `&cursor=${cursor}` : ''}`, token);
        assert.equal(r.status, 200, r.text);
        all.push(...r.json.items);
        cursor = r.json.next_cursor;
        assert.equal(r.json.total, ind.json.items[k].numerator);
      } while (cursor);
      assert.equal(all.length, ind.json.items[k].numerator, `${scope} ${program}`);
      listed += all.length;
      assert.equal(new Set(all.map((p) => p.id)).size, all.length);
      const key = (p) => [p.emergency ? 0 : 1, p.uncontrolled ? 0 : 1, -p.days_overdue];
      for (let i = 1; i < all.length; i++) {
        const [a, b] = [key(all[i - 1]), key(all[i])];
        assert.ok((a[0] - b[0] || a[1] - b[1] || a[2] - b[2]) <= 0, `order at ${i}`);
      }
      // One query for the program's emergencies (a CLI process per patient took 27 s on PostgreSQL).
      const emergencies = new Set(dbJson(demo.db, `SELECT DISTINCT resident_id FROM followups WHERE program = '${program}' AND emergency = 1`)
        .map((row) => Number(row.resident_id)));
      for (const p of all) {
        assert.ok(p.name && p.age >= 0 && p.region.startsWith(scope.split(':')[1]));
        if (p.last_followup) assert.ok(p.days_overdue >= 89, JSON.stringify(p));
        assert.equal(p.emergency, emergencies.has(p.id), `emergency of ${p.id}`);
      }
    }
  }
  assert.ok(listed > 0, 'the demo has patients who missed a visit');
  const first = (await get('/indicators/overdue?scope=region:511524&program=hypertension&limit=3', admin)).json.items;
  await new Promise((res) => setTimeout(res, 1500));
  assert.ok(Number(sqlite(`SELECT count(*) FROM audit_log WHERE resource = 'overdue_list' AND resident_id = ${first[0].id}`)) >= 1);
  assert.equal((await get('/indicators/overdue?scope=region:511524&program=hypertension', county)).status, 403);
  assert.equal((await get('/indicators/overdue?scope=region:511524101&program=smd', town01)).json.field, 'program');
  assert.equal((await get('/indicators/overdue?scope=region:511524102&program=hypertension', town01)).status, 403);
});
