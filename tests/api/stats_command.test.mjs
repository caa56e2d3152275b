// `jiayi stats` (API.md, issue 22): the tests of domain/stats.c on a CSV file's columns, as
// one JSON object, equal to SciPy 1.10.1 and statsmodels 0.13.5 to 1e-6 relative (the
// reference values from tests/reference/stats_reference.py and, for this file's columns,
// from the same libraries on tests/reference/stats_cohort.csv); bad data is a clear error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jiayi, ROOT } from '../lib/server.mjs';

const CSV = join(ROOT, 'tests/reference/stats_cohort.csv');
const stats = (args) => JSON.parse(jiayi(['stats', ...args, '--csv', CSV]).stdout);
const close = (got, want, what) => assert.ok(Math.abs(got - want) <= 1e-6 * Math.abs(want) + 1e-300, `${what}: ${got}, reference ${want}`);

test('paired t, Wilcoxon and McNemar equal SciPy and statsmodels', () => {
  const t = stats(['paired-t', '--columns', 'age,chronic']);
  assert.equal(t.n, 40);
  assert.equal(t.df, 39);
  close(t.statistic, 33.70743094331872, 't');
  close(t.p, 1.858811918961984e-30, 'p');
  const w = stats(['wilcoxon', '--columns', 'age,chronic']);
  close(w.p, 1.8189894035458565e-12, 'wilcoxon p');
  assert.equal(w.statistic, 0);
  const m = stats(['mcnemar', '--columns', 'before,after']);
  assert.deepEqual([m.b, m.c, m.method], [5, 9, 'exact']);
  close(m.p, 0.4239501953125, 'mcnemar exact p');
});

test('OLS equals statsmodels: coefficients with the intercept first, R², F', () => {
  const r = stats(['ols', '--columns', 'change,age,sex,chronic']);
  assert.deepEqual(r.coefficients.map((c) => c.name), ['const', 'age', 'sex', 'chronic']);
  const want = {
    estimate: [-0.5981751995728538, 0.03143384398520134, -0.11534104130093353, 0.027818858819510885],
    se: [0.38903442243154573, 0.0056443516411003375, 0.1348344401259866, 0.055901247380289266],
    t: [-1.537589388193813, 5.569079671845794, -0.8554271534272784, 0.4976428992766947],
    p: [0.13289296432349162, 2.6184356640919086e-06, 0.3979723879761333, 0.6217619986965475],
  };
  for (const [k, values] of Object.entries(want)) values.forEach((v, i) => close(r.coefficients[i][k], v, `${k}[${i}]`));
  close(r.r2, 0.4894577962122306, 'r2');
  close(r.adj_r2, 0.4469126125632499, 'adj_r2');
  close(r.f, 11.504423162219823, 'f');
  close(r.f_p, 1.9493072856393998e-05, 'f_p');
});

test('missing values, unknown columns, collinear regressors and bad usage are clear errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiayi-stats-'));
  try {
    const file = join(dir, 'gap.csv');
    writeFileSync(file, 'a,b\n1,2\n3,\n5,7\n');
    const gap = jiayi(['stats', 'paired-t', '--csv', file, '--columns', 'a,b'], { check: false });
    assert.equal(gap.status, 1);
    assert.match(gap.stderr, /column b, row 3: missing value/);
    const unknown = jiayi(['stats', 'paired-t', '--csv', CSV, '--columns', 'age,nothing'], { check: false });
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /missing_field: nothing/);
    const collinear = jiayi(['stats', 'ols', '--csv', CSV, '--columns', 'change,sex,before'], { check: false });
    assert.equal(collinear.status, 1);
    assert.match(collinear.stderr, /constant or a combination/);
    assert.equal(jiayi(['stats', 'anova', '--csv', CSV, '--columns', 'a,b'], { check: false }).status, 2);
    assert.equal(jiayi(['stats', 'paired-t', '--csv', CSV, '--columns', 'age'], { check: false }).status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
