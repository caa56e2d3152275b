/* stats.h - the statistics of before-and-after cohort studies (issue 22), pure and checked
 * against SciPy 1.10 and statsmodels 0.13 (tests/unit/test_stats.c). This first part: the
 * regularized incomplete beta function, Student's t distribution, the paired t test
 * (scipy.stats.ttest_rel), the Wilcoxon signed-rank test (scipy.stats.wilcoxon) and
 * McNemar's test (statsmodels' mcnemar). Paired tests take x and y as SciPy does: the
 * differences are x - y. */
#ifndef JIAYI_DOMAIN_STATS_H
#define JIAYI_DOMAIN_STATS_H

#include <stddef.h>

/* Why a test cannot be computed: each a clear error, never a wrong number. */
enum stats_error {
    STATS_OK = 0,
    STATS_TOO_FEW,    /* fewer observations than the test needs */
    STATS_NOT_FINITE, /* a missing (NaN) or infinite value */
    STATS_CONSTANT,   /* no variation: the statistic is undefined */
    STATS_COLLINEAR,  /* a regressor is constant or a combination of others */
};

/* I_x(a, b), the regularized incomplete beta function, for a, b > 0 and 0 <= x <= 1
 * (a continued fraction, Lentz's method); NaN outside its domain. */
double stats_betai(double a, double b, double x);
/* The two-sided p value of Student's t with df degrees of freedom: P(|T| >= |t|). */
double stats_t_two_sided(double t, double df);

struct stats_paired_t {
    double t, df, p; /* t of the differences x - y; two-sided p */
    size_t n;
};
/* The paired t test of n pairs, as scipy.stats.ttest_rel(x, y). */
enum stats_error stats_paired_t(const double *x, const double *y, size_t n,
                                struct stats_paired_t *out);

/* The Wilcoxon signed-rank test with SciPy 1.10's defaults (zero_method "wilcox",
 * correction off, two-sided, method "auto"): statistic min(R+, R-); exact p for up to 50
 * pairs without a zero difference (SciPy's exact distribution, R+ cut to a whole number as
 * SciPy does when ranks tie), else the normal approximation over the non-zero differences
 * with the tie correction. `n` counts the pairs used. */
struct stats_wilcoxon {
    double statistic, p;
    size_t n;
    int exact;
};
enum stats_error stats_wilcoxon(const double *x, const double *y, size_t n,
                                struct stats_wilcoxon *out);

/* McNemar's test of a paired yes/no measure (before and after), from its discordant pairs:
 * b changed yes to no, c no to yes. Asymptotic with continuity correction: statistic
 * (|b - c| - 1)^2 / (b + c) against chi-square with 1 df (mcnemar(exact=False,
 * correction=True)); exact: statistic min(b, c), p the two-sided binomial (exact=True), for
 * few discordant pairs. */
struct stats_mcnemar {
    double statistic, p;
    long discordant;
};
enum stats_error stats_mcnemar(long b, long c, int exact, struct stats_mcnemar *out);

/* Ordinary least squares of y on the columns of x with an intercept added (statsmodels'
 * OLS(y, add_constant(x)).fit()): x is n rows of `p` regressors, row after row. The
 * coefficients come intercept first; standard errors, t and two-sided p for each; R²,
 * adjusted R², the F statistic of all regressors and its p. Householder QR, so nearly
 * collinear regressors are found (STATS_COLLINEAR) rather than answered with noise. */
#define STATS_OLS_MAX 16 /* regressors, the intercept included */
struct stats_ols {
    size_t n, k; /* observations; coefficients (p + 1) */
    double coef[STATS_OLS_MAX], se[STATS_OLS_MAX], t[STATS_OLS_MAX], p[STATS_OLS_MAX];
    double r2, adj_r2, f, f_p, df_resid;
};
enum stats_error stats_ols(const double *y, const double *x, size_t n, size_t p,
                           struct stats_ols *out);

#endif
