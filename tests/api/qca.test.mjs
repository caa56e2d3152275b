// Crisp-set QCA (issue 22, API.md `jiayi qca`, POST /api/v1/qca): seed 002's shape on the
// example of 14 institutions (web/examples/qca-institutions.csv: four configurations with
// solution coverage 0.857 and consistency 1.000); random tables where every reported term is a
// prime implicant, every positive configuration is covered and no negative one, and every
// coverage and consistency recomputes from the cases; calibration thresholds; bad data named;
// the same analysis over HTTP for the roles that steer, refused to the others.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jiayi, ROOT, makeDemo, startServer, cleanup } from '../lib/server.mjs';

const EXAMPLE = join(ROOT, 'web/examples/qca-institutions.csv');
const dir = mkdtempSync(join(tmpdir(), 'jiayi-qca-'));
const qca = (csv, extra = []) => jiayi(['qca', '--csv', csv, ...extra], { check: false });
const run = (csv, extra) => {
  const r = qca(csv, extra);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
};
const near = (a, b) => Math.abs(a - b) < 1e-12;

// The cases of a file as {name, values: {column: 0|1}}.
function cases(text) {
  const [head, ...rows] = text.trim().split('\n').map((l) => l.split(','));
  return rows.map((r, i) => ({ name: r[0], values: Object.fromEntries(head.map((h, j) => [h, Number(r[j])])), row: i }));
}
const covers = (term, c) => Object.entries(term.conditions).every(([k, v]) => c.values[k] === v);

// Every figure of a solution recomputed from the cases, and the promises of minimisation.
function checkSolutions(result, all, outcome, kind) {
  const positive = all.filter((c) => c.values[outcome] === 1);
  const rowOutcome = new Map(result.truth_table.map((r) => [JSON.stringify(r.configuration), r.outcome]));
  const configOf = (values) => JSON.stringify(Object.fromEntries(result.conditions.map((k) => [k, values[k]])));
  for (const s of result[kind].solutions) {
    for (const t of s.terms) {
      const inTerm = all.filter((c) => covers(t, c));
      const hits = inTerm.filter((c) => c.values[outcome] === 1);
      const others = s.terms.filter((o) => o !== t);
      const only = hits.filter((c) => !others.some((o) => covers(o, c)));
      assert.ok(near(t.consistency, inTerm.length ? hits.length / inTerm.length : 0), `${t.expression} consistency`);
      assert.ok(near(t.raw_coverage, positive.length ? hits.length / positive.length : 0), `${t.expression} raw coverage`);
      assert.ok(near(t.unique_coverage, positive.length ? only.length / positive.length : 0), `${t.expression} unique coverage`);
      assert.deepEqual(t.cases, inTerm.map((c) => c.name));
      // No negative (or, for the complex solution, unobserved) configuration is covered, and
      // the term is prime: dropping any of its conditions would cover one.
      const allowed = (values) => {
        const o = rowOutcome.get(configOf(values));
        return o === undefined ? kind === 'parsimonious' : o === 1;
      };
      const everyConfig = (cond) => {
        const k = result.conditions.length;
        const out = [];
        for (let m = 0; m < 1 << k; m++) {
          const values = Object.fromEntries(result.conditions.map((name, i) => [name, (m >> i) & 1]));
          if (Object.entries(cond).every(([n, v]) => values[n] === v)) out.push(values);
        }
        return out;
      };
      assert.ok(everyConfig(t.conditions).every(allowed), `${t.expression} covers a configuration it may not`);
      for (const drop of Object.keys(t.conditions)) {
        const wider = { ...t.conditions };
        delete wider[drop];
        assert.ok(!everyConfig(wider).every(allowed), `${t.expression} is not prime: ${drop} is redundant`);
      }
    }
    const covered = all.filter((c) => s.terms.some((t) => covers(t, c)));
    const coveredPositive = covered.filter((c) => c.values[outcome] === 1);
    assert.ok(near(s.coverage, positive.length ? coveredPositive.length / positive.length : 0), 'solution coverage');
    assert.ok(near(s.consistency, covered.length ? coveredPositive.length / covered.length : 0), 'solution consistency');
    // Every configuration the truth table calls positive is covered.
    for (const r of result.truth_table.filter((r) => r.outcome))
      assert.ok(s.terms.some((t) => Object.entries(t.conditions).every(([k, v]) => r.configuration[k] === v)), `${JSON.stringify(r.configuration)} uncovered`);
  }
  // Equally minimal: every listed cover has the same number of terms.
  assert.equal(new Set(result[kind].solutions.map((s) => s.terms.length)).size <= 1, true);
}

test('seed 002\'s shape: four configurations, coverage 0.857, consistency 1', () => {
  const r = run(EXAMPLE, ['--outcome', '融合效果']);
  assert.deepEqual(r.conditions, ['系统整合', '组织整合', '专业整合', '服务整合', '人员整合', '功能整合', '规范整合']);
  assert.deepEqual([r.n, r.positive, r.cutoff, r.outcome], [14, 7, 0.8, '融合效果']);
  assert.equal(r.truth_table.length, 11);
  assert.equal(r.remainders, 128 - 11);
  // The contradictory configuration (case 07 positive, case 08 not) is 0.5 consistent: out.
  const mixed = r.truth_table.find((row) => row.cases.includes('案例07 乡镇卫生院'));
  assert.deepEqual([mixed.n, mixed.positive, mixed.consistency, mixed.outcome], [2, 1, 0.5, 0]);
  assert.equal(r.complex.solutions.length, 1);
  const complex = r.complex.solutions[0];
  assert.equal(complex.terms.length, 4);
  assert.equal(complex.coverage.toFixed(3), '0.857');
  assert.equal(complex.consistency.toFixed(3), '1.000');
  assert.ok(complex.expression.includes('~系统整合*~组织整合*~专业整合*服务整合*人员整合*~功能整合*~规范整合'));
  // With the remainders: service with functional integration, or with personnel (two ties).
  assert.deepEqual(r.parsimonious.solutions.map((s) => s.expression).sort(),
    ['服务整合*功能整合 + 服务整合*人员整合', '服务整合*功能整合 + ~专业整合*人员整合'].sort());
  const all = cases(readFileSync(EXAMPLE, 'utf8'));
  checkSolutions(r, all, '融合效果', 'complex');
  checkSolutions(r, all, '融合效果', 'parsimonious');
  // Naming the conditions narrows the analysis; the cases keep their names.
  const two = run(EXAMPLE, ['--outcome', '融合效果', '--conditions', '服务整合,功能整合']);
  assert.deepEqual(two.conditions, ['服务整合', '功能整合']);
  assert.ok(two.truth_table.every((row) => row.cases.every((c) => c.startsWith('案例'))));
});

test('random truth tables: prime terms, every positive covered, figures from the cases', () => {
  let seed = 22;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let round = 0; round < 40; round++) {
    const k = 2 + Math.floor(rand() * 3);
    const names = Array.from({ length: k }, (_, i) => `c${i}`);
    const n = 6 + Math.floor(rand() * 20);
    const lines = [['case', ...names, 'y'].join(',')];
    for (let i = 0; i < n; i++) lines.push([`case${i}`, ...names.map(() => (rand() < 0.5 ? 1 : 0)), rand() < 0.5 ? 1 : 0].join(','));
    const file = join(dir, `random${round}.csv`);
    writeFileSync(file, lines.join('\n') + '\n');
    const cutoff = rand() < 0.5 ? '0.8' : '0.6';
    const r = run(file, ['--outcome', 'y', '--cutoff', cutoff]);
    const all = cases(lines.join('\n'));
    for (const row of r.truth_table) {
      const inRow = all.filter((c) => names.every((m) => c.values[m] === row.configuration[m]));
      assert.equal(row.n, inRow.length);
      assert.ok(near(row.consistency, inRow.filter((c) => c.values.y === 1).length / inRow.length));
      assert.equal(row.outcome, row.consistency >= Number(cutoff) ? 1 : 0);
    }
    checkSolutions(r, all, 'y', 'complex');
    checkSolutions(r, all, 'y', 'parsimonious');
  }
});

test('thresholds calibrate raw scores; bad data and usage are clear errors', () => {
  const file = join(dir, 'scores.csv');
  writeFileSync(file, 'name,policy,team,good\nA,4.5,3,1\nB,2,1,0\nC,5,2,1\nD,1,3,0\n');
  const r = run(file, ['--outcome', 'good', '--thresholds', 'policy=3,team=2']);
  assert.deepEqual(r.parsimonious.solutions.map((s) => s.expression), ['policy']);
  const fails = (extra, csv, pattern) => {
    const out = qca(csv, extra);
    assert.equal(out.status, 1, out.stdout);
    assert.match(out.stderr, pattern);
  };
  fails(['--outcome', 'good'], file, /not_binary: policy.*row 2/);
  writeFileSync(join(dir, 'gap.csv'), 'name,a,y\nA,1,1\nB,,0\n');
  fails(['--outcome', 'y'], join(dir, 'gap.csv'), /not_a_number: a.*row 3: missing value/);
  fails(['--outcome', 'nope'], EXAMPLE, /missing_field: nope/);
  writeFileSync(join(dir, 'twice.csv'), 'name,a,a,y\nA,1,1,1\n');
  fails(['--outcome', 'y'], join(dir, 'twice.csv'), /invalid_field: csv: two columns are named a/);
  writeFileSync(join(dir, 'long.csv'), `name,${'长'.repeat(40)},y\nA,1,1\n`);
  fails(['--outcome', 'y'], join(dir, 'long.csv'), /invalid_field: csv: column 2's name is longer/);
  writeFileSync(join(dir, 'unit.csv'), 'name,a,y (1 = good)\nA,1,1\nB,0,0\n');
  fails(['--outcome', 'y'], join(dir, 'unit.csv'), /missing_field: y/);
  assert.equal(run(join(dir, 'unit.csv'), ['--outcome', 'y (1 = good)']).n, 2);
  fails(['--outcome', '融合效果', '--conditions', '系统整合,absent'], EXAMPLE, /missing_field: absent/);
  const wide = join(dir, 'wide.csv');
  writeFileSync(wide, `${Array.from({ length: 11 }, (_, i) => `c${i}`).join(',')},y\n${'1,'.repeat(11)}1\n`);
  fails(['--outcome', 'y'], wide, /invalid_field: conditions/);
  assert.equal(qca(EXAMPLE, []).status, 2);
  assert.equal(qca(EXAMPLE, ['--outcome', '融合效果', '--cutoff', 'high']).status, 2);
  assert.equal(qca(EXAMPLE, ['--outcome', '融合效果', '--cutoff', '0']).status, 1);
});

let demo, s;
before(async () => {
  demo = makeDemo({ residents: 0, name: 'qca' });
  s = await startServer(demo.db);
});
after(async () => {
  await s.stop();
  cleanup(demo.dir);
  rmSync(dir, { recursive: true, force: true });
});

test('POST /qca gives the command\'s answer to the roles that steer', async () => {
  const csv = readFileSync(EXAMPLE, 'utf8');
  const want = run(EXAMPLE, ['--outcome', '融合效果']);
  for (const user of ['county', 'town01', 'admin']) {
    const token = await s.login(user);
    const r = await s.request('POST', '/api/v1/qca', { token, body: { csv, outcome: '融合效果' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, want);
  }
  const county = await s.login('county');
  const narrowed = await s.request('POST', '/api/v1/qca', { token: county, body: { csv, outcome: '融合效果', conditions: ['服务整合', '功能整合'], cutoff: 1 } });
  assert.deepEqual(narrowed.json, run(EXAMPLE, ['--outcome', '融合效果', '--conditions', '服务整合,功能整合', '--cutoff', '1']));
  const scored = await s.request('POST', '/api/v1/qca', { token: county, body: { csv: 'name,policy,good\nA,4,1\nB,2,0\n', outcome: 'good', thresholds: { policy: 3 } } });
  assert.deepEqual(scored.json.parsimonious.solutions.map((x) => x.expression), ['policy']);
  for (const [body, code, field] of [
    [{ outcome: '融合效果' }, 'missing_field', 'csv'],
    [{ csv }, 'missing_field', 'outcome'],
    [{ csv, outcome: '融合效果', cutoff: 2 }, 'invalid_field', 'cutoff'],
    [{ csv, outcome: '融合效果', conditions: '服务整合' }, 'invalid_field', 'conditions'],
    [{ csv, outcome: '融合效果', thresholds: { 系统整合: 'high' } }, 'invalid_field', 'thresholds'],
    [{ csv: 'a,y\n2,1\n', outcome: 'y' }, 'not_binary', 'a'],
    [{ csv, outcome: 'nope' }, 'missing_field', 'nope'],
  ]) {
    const r = await s.request('POST', '/api/v1/qca', { token: county, body });
    assert.deepEqual([r.status, r.json.code, r.json.field], [422, code, field], JSON.stringify(body).slice(0, 80));
  }
  for (const user of ['doctor01', 'village01', 'resident01']) {
    const r = await s.request('POST', '/api/v1/qca', { token: await s.login(user), body: { csv, outcome: '融合效果' } });
    assert.equal(r.status, 403, user);
  }
});
