#!/usr/bin/python3
# The reference values of tests/unit/test_stats.c, from Debian 12's python3-scipy (1.10.1)
# and python3-statsmodels (0.13.5): run with Debian's interpreter (/usr/bin/python3; a
# python3 earlier on PATH may lack them) and paste what it prints into the test's tables.
# Not run by `make test`: the values are kept in the test, so the suite needs no Python.
from scipy import stats
from scipy.special import betainc
from statsmodels.stats.contingency_tables import mcnemar

for a, b, x in [(0.5, 0.5, 0.3), (2.0, 3.0, 0.4), (10.0, 0.5, 0.9), (50.0, 0.5, 0.99)]:
    print(f"betainc({a}, {b}, {x}) = {float(betainc(a, b, x))!r}")

PAIRS = {
    "visits (seed 000's shape)": ([0.2, 0.5, 0.4, 0.3, 0.6, 0.5, 0.4, 0.2, 0.7, 0.5],
                                  [0.4, 0.7, 0.5, 0.6, 0.8, 0.6, 0.7, 0.3, 0.9, 0.6]),
    "fell": ([5.1, 4.9, 6.2, 5.8, 6.0], [4.8, 5.1, 5.9, 5.2, 5.5]),
    "two": ([1.0, 2.0], [1.5, 3.5]),
}
for name, (before, after) in PAIRS.items():
    r = stats.ttest_rel(after, before)
    print(f"ttest_rel {name}: t={float(r.statistic)!r} p={float(r.pvalue)!r} df={len(before) - 1}")

for b, c in [(5, 15), (12, 3), (0, 4), (30, 41), (7, 7)]:
    table = [[20, b], [c, 30]]  # the concordant cells do not enter the test
    a, e = mcnemar(table, exact=False, correction=True), mcnemar(table, exact=True)
    print(f"mcnemar b={b} c={c}: chi2={float(a.statistic)!r} p={float(a.pvalue)!r} "
          f"exact={float(e.statistic)!r} p={float(e.pvalue)!r}")

import numpy as np
rng = np.random.default_rng(7)
big_x = [round(float(v), 1) for v in rng.normal(70, 8, 60)]
big_y = [round(float(v), 1) for v in rng.normal(68, 8, 60)]
WILCOXON = {
    "visits": ([0.4, 0.7, 0.5, 0.6, 0.8, 0.6, 0.7, 0.3, 0.9, 0.6],
               [0.2, 0.5, 0.4, 0.3, 0.6, 0.5, 0.4, 0.2, 0.7, 0.5]),
    "distinct": ([3.1, 4.7, 2.2, 5.9, 1.5, 6.3, 2.8], [2.0, 5.0, 1.0, 4.0, 2.5, 3.0, 2.9]),
    "zeros": (list(range(1, 13)), [1, 1, 4, 2, 5, 7, 5, 9, 6, 10, 8, 15]),
    "60 pairs": (big_x, big_y),
}
for name, (x, y) in WILCOXON.items():
    r = stats.wilcoxon(x, y)
    print(f"wilcoxon {name}: statistic={float(r.statistic)!r} p={float(r.pvalue)!r}")
print("60 pairs x:", big_x)
print("60 pairs y:", big_y)

import statsmodels.api as sm
rng = np.random.default_rng(11)
n = 40
age = np.round(rng.uniform(45, 85, n)).astype(float)
sex = rng.integers(0, 2, n).astype(float)
chronic = rng.integers(0, 4, n).astype(float)
change = np.round(0.02 * age - 0.3 * sex + 0.15 * chronic + rng.normal(0, 0.4, n), 2)
fit = sm.OLS(change, sm.add_constant(np.column_stack([age, sex, chronic]))).fit()
print("ols y:", list(change), "age:", list(age), "sex:", list(sex), "chronic:", list(chronic))
for name, values in [("coef", fit.params), ("se", fit.bse), ("t", fit.tvalues), ("p", fit.pvalues)]:
    print(f"ols {name}:", [float(v) for v in values])
print(f"ols r2={fit.rsquared!r} adj_r2={fit.rsquared_adj!r} f={fit.fvalue!r} f_p={fit.f_pvalue!r}")
