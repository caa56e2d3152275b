/* stats.c - see stats.h. The incomplete beta follows the continued fraction of Numerical
 * Recipes (§6.4), evaluated by the modified Lentz method, on the side of x where it
 * converges fast; lgamma from the C library gives the prefactor. */
#include "domain/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CF_ITERATIONS 300
#define CF_EPS 1e-15
#define CF_TINY 1e-300

/* The continued fraction of I_x(a, b) (without its prefactor). */
static double beta_fraction(double a, double b, double x)
{
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < CF_TINY) d = CF_TINY;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= CF_ITERATIONS; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < CF_TINY) d = CF_TINY;
        c = 1.0 + aa / c;
        if (fabs(c) < CF_TINY) c = CF_TINY;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < CF_TINY) d = CF_TINY;
        c = 1.0 + aa / c;
        if (fabs(c) < CF_TINY) c = CF_TINY;
        d = 1.0 / d;
        double step = d * c;
        h *= step;
        if (fabs(step - 1.0) < CF_EPS) break;
    }
    return h;
}

double stats_betai(double a, double b, double x)
{
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return NAN;
    if (x == 0 || x == 1) return x;
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
    if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_fraction(a, b, x) / a;
    return 1.0 - front * beta_fraction(b, a, 1.0 - x) / b;
}

double stats_t_two_sided(double t, double df)
{
    if (!isfinite(t)) return isnan(t) ? NAN : 0.0;
    return stats_betai(df / 2.0, 0.5, df / (df + t * t));
}

enum stats_error stats_paired_t(const double *x, const double *y, size_t n,
                                struct stats_paired_t *out)
{
    if (n < 2) return STATS_TOO_FEW;
    double mean = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) return STATS_NOT_FINITE;
        mean += x[i] - y[i];
    }
    mean /= (double)n;
    double ss = 0; /* two passes: the variance without cancellation */
    for (size_t i = 0; i < n; i++) {
        double e = x[i] - y[i] - mean;
        ss += e * e;
    }
    double sd = sqrt(ss / (double)(n - 1));
    if (!(sd > 0)) return STATS_CONSTANT;
    out->n = n;
    out->df = (double)(n - 1);
    out->t = mean / (sd / sqrt((double)n));
    out->p = stats_t_two_sided(out->t, out->df);
    return STATS_OK;
}

enum stats_error stats_mcnemar(long b, long c, int exact, struct stats_mcnemar *out)
{
    if (b < 0 || c < 0) return STATS_NOT_FINITE;
    long n = b + c;
    out->discordant = n;
    /* No pair changed: the exact test's p is 1 (statsmodels' too); the chi-square's statistic
     * would divide by zero. */
    if (n == 0 && !exact) return STATS_TOO_FEW;
    if (exact) {
        long k = b < c ? b : c;
        /* P(X <= k) for X ~ Binomial(n, 1/2) is I_{1/2}(n - k, k + 1). */
        double cdf = k >= n ? 1.0 : stats_betai((double)(n - k), (double)(k + 1), 0.5);
        out->statistic = (double)k;
        out->p = fmin(1.0, 2.0 * cdf);
        return STATS_OK;
    }
    double d = fabs((double)(b - c)) - 1.0;
    out->statistic = d * d / (double)n;
    out->p = erfc(sqrt(out->statistic / 2.0)); /* chi-square, 1 df, upper tail */
    return STATS_OK;
}

static int by_magnitude(const void *a, const void *b)
{
    double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
    return x < y ? -1 : x > y;
}

/* P(R+ <= r) and P(R+ >= r) under the null, from the exact distribution of R+ for m pairs
 * (SciPy's _get_wilcoxon_distr: each rank in or out with probability 1/2). */
static int exact_tails(size_t m, long r, double *below, double *above)
{
    size_t top = m * (m + 1) / 2;
    double *pmf = calloc(top + 1, sizeof *pmf);
    if (!pmf) return -1;
    pmf[0] = 1.0;
    for (size_t k = 1; k <= m; k++) {
        size_t reach = k * (k + 1) / 2;
        for (size_t s = reach + 1; s-- > 0;)
            pmf[s] = 0.5 * pmf[s] + (s >= k ? 0.5 * pmf[s - k] : 0.0);
    }
    *below = *above = 0;
    for (size_t s = 0; s <= top; s++) {
        if ((long)s <= r) *below += pmf[s];
        if ((long)s >= r) *above += pmf[s];
    }
    free(pmf);
    return 0;
}

enum stats_error stats_wilcoxon(const double *x, const double *y, size_t n,
                                struct stats_wilcoxon *out)
{
    if (n < 1) return STATS_TOO_FEW;
    double *d = malloc(n * sizeof *d);
    if (!d) return STATS_TOO_FEW;
    size_t m = 0, zeros = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) {
            free(d);
            return STATS_NOT_FINITE;
        }
        double v = x[i] - y[i];
        if (v == 0)
            zeros++;
        else
            d[m++] = v;
    }
    if (m == 0) {
        free(d);
        return STATS_CONSTANT; /* every difference zero */
    }
    int exact = n <= 50 && zeros == 0;
    qsort(d, m, sizeof *d, by_magnitude);
    double r_plus = 0, r_minus = 0, ties = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j + 1 < m && fabs(d[j + 1]) == fabs(d[i]))
            j++;
        double rank = (double)(i + j) / 2.0 + 1.0, t = (double)(j - i + 1);
        for (size_t k = i; k <= j; k++)
            *(d[k] > 0 ? &r_plus : &r_minus) += rank;
        if (t > 1) ties += t * (t * t - 1);
        i = j + 1;
    }
    free(d);
    out->n = m;
    out->exact = exact;
    out->statistic = fmin(r_plus, r_minus);
    if (exact) {
        long r = (long)r_plus; /* SciPy's int(): a tied half rank is cut */
        double below, above;
        if (exact_tails(m, r, &below, &above) < 0) return STATS_TOO_FEW;
        long centre = (long)(m * (m + 1) / 2) / 2;
        out->p = r == centre ? 1.0 : fmin(1.0, 2.0 * fmin(below, above));
        return STATS_OK;
    }
    double mn = (double)m * ((double)m + 1) * 0.25;
    double se = sqrt(((double)m * ((double)m + 1) * (2.0 * (double)m + 1) - 0.5 * ties) / 24.0);
    if (!(se > 0)) return STATS_CONSTANT;
    out->p = erfc(fabs((out->statistic - mn) / se) / sqrt(2.0));
    return STATS_OK;
}

/* P(F > f) for F with (d1, d2) degrees of freedom. */
static double f_upper(double f, double d1, double d2)
{
    return f > 0 ? stats_betai(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f)) : 1.0;
}

/* Householder QR of the n x k matrix a (column j at a + j * n) in place, applied to y too:
 * R is left in the upper triangle. Returns -1 when a column is (nearly) a combination of
 * the ones before it. */
static int householder(double *a, double *y, size_t n, size_t k)
{
    for (size_t j = 0; j < k; j++) {
        double *col = a + j * n, norm = 0, whole = 0;
        for (size_t i = 0; i < n; i++)
            whole += col[i] * col[i];
        for (size_t i = j; i < n; i++)
            norm += col[i] * col[i];
        norm = sqrt(norm);
        /* What is left of the column after the ones before: nothing means collinear. */
        if (!(norm > 1e-9 * sqrt(whole)) || !(whole > 0)) return -1;
        double alpha = col[j] > 0 ? -norm : norm, v0 = col[j] - alpha;
        double vnorm2 = v0 * v0 + norm * norm - col[j] * col[j];
        col[j] = v0;
        for (size_t c = j + 1; c <= k; c++) { /* the later columns, and y as column k */
            double *t = c < k ? a + c * n : y, dot = 0;
            for (size_t i = j; i < n; i++)
                dot += col[i] * t[i];
            double scale = 2.0 * dot / vnorm2;
            for (size_t i = j; i < n; i++)
                t[i] -= scale * col[i];
        }
        col[j] = alpha; /* R's diagonal; the rest of the column is no longer needed */
        for (size_t i = j + 1; i < n; i++)
            col[i] = 0;
    }
    return 0;
}

enum stats_error stats_ols(const double *y, const double *x, size_t n, size_t p,
                           struct stats_ols *out)
{
    size_t k = p + 1;
    if (p == 0 || k > STATS_OLS_MAX) return STATS_TOO_FEW;
    if (n <= k) return STATS_TOO_FEW;
    double *a = malloc(n * k * sizeof *a), *qy = malloc(n * sizeof *qy);
    if (!a || !qy) {
        free(a);
        free(qy);
        return STATS_TOO_FEW;
    }
    double mean = 0;
    enum stats_error rc = STATS_OK;
    for (size_t i = 0; i < n && rc == STATS_OK; i++) {
        a[i] = 1.0;
        qy[i] = y[i];
        mean += y[i];
        if (!isfinite(y[i])) rc = STATS_NOT_FINITE;
        for (size_t j = 0; j < p; j++) {
            a[(j + 1) * n + i] = x[i * p + j];
            if (!isfinite(x[i * p + j])) rc = STATS_NOT_FINITE;
        }
    }
    mean /= (double)n;
    double tss = 0;
    for (size_t i = 0; i < n; i++)
        tss += (y[i] - mean) * (y[i] - mean);
    if (rc == STATS_OK && !(tss > 0)) rc = STATS_CONSTANT;
    if (rc == STATS_OK && householder(a, qy, n, k) < 0) rc = STATS_COLLINEAR;
    if (rc != STATS_OK) {
        free(a);
        free(qy);
        return rc;
    }
    /* R b = (Q'y)[0..k); the residual sum of squares is the rest of Q'y. */
    memset(out, 0, sizeof *out);
    for (size_t j = k; j-- > 0;) {
        double v = qy[j];
        for (size_t c = j + 1; c < k; c++)
            v -= a[c * n + j] * out->coef[c];
        out->coef[j] = v / a[j * n + j];
    }
    double rss = 0;
    for (size_t i = k; i < n; i++)
        rss += qy[i] * qy[i];
    /* (X'X)^-1 = R^-1 R^-T: the variances are the squared rows of R^-1, found column by
     * column of R^-1 by back substitution. */
    double inv[STATS_OLS_MAX][STATS_OLS_MAX] = {{0}};
    for (size_t c = 0; c < k; c++)
        for (size_t j = c + 1; j-- > 0;) {
            double v = j == c ? 1.0 : 0.0;
            for (size_t m = j + 1; m <= c; m++)
                v -= a[m * n + j] * inv[m][c];
            inv[j][c] = v / a[j * n + j];
        }
    free(a);
    free(qy);
    out->n = n;
    out->k = k;
    out->df_resid = (double)(n - k);
    double s2 = rss / out->df_resid;
    for (size_t j = 0; j < k; j++) {
        double v = 0;
        for (size_t c = j; c < k; c++)
            v += inv[j][c] * inv[j][c];
        out->se[j] = sqrt(v * s2);
        out->t[j] = out->coef[j] / out->se[j];
        out->p[j] = stats_t_two_sided(out->t[j], out->df_resid);
    }
    out->r2 = 1.0 - rss / tss;
    out->adj_r2 = 1.0 - (1.0 - out->r2) * ((double)n - 1.0) / out->df_resid;
    double df_model = (double)p;
    out->f = ((tss - rss) / df_model) / s2;
    out->f_p = f_upper(out->f, df_model, out->df_resid);
    return STATS_OK;
}
