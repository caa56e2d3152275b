/* stats.c - see stats.h. The incomplete beta follows the continued fraction of Numerical
 * Recipes (§6.4), evaluated by the modified Lentz method, on the side of x where it
 * converges fast; lgamma from the C library gives the prefactor. */
#include "domain/stats.h"

#include <math.h>

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

enum stats_error stats_paired_t(const double *before, const double *after, size_t n,
                                struct stats_paired_t *out)
{
    if (n < 2) return STATS_TOO_FEW;
    double mean = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(before[i]) || !isfinite(after[i])) return STATS_NOT_FINITE;
        mean += after[i] - before[i];
    }
    mean /= (double)n;
    double ss = 0; /* two passes: the variance without cancellation */
    for (size_t i = 0; i < n; i++) {
        double e = after[i] - before[i] - mean;
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
    if (n == 0) return STATS_TOO_FEW; /* no pair changed: nothing to test */
    out->discordant = n;
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
