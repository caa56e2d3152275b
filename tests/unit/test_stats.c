/* test_stats.c - domain/stats.c against SciPy 1.10.1 and statsmodels 0.13.5 (Debian 12's
 * python3-scipy and python3-statsmodels), the values generated once by
 * tests/reference/stats_reference.py and kept here; each must agree to 1e-6 relative, as
 * issue 22 asks. */
#include "test.h"

#include <math.h>

#include "domain/stats.h"

static void close_to(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= 1e-6 * fabs(want) + 1e-300))
        fail_msg("%s: %.17g, SciPy %.17g", what, got, want);
}

static void incomplete_beta_matches_scipy(void **state)
{
    (void)state;
    static const struct {
        double a, b, x, want;
    } ROWS[] = {
        {0.5, 0.5, 0.3, 0.3690101195655454},
        {2.0, 3.0, 0.4, 0.5247999999999999},
        {10.0, 0.5, 0.9, 0.15164090963470997},
        {50.0, 0.5, 0.99, 0.31730439787419623},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        close_to(stats_betai(ROWS[i].a, ROWS[i].b, ROWS[i].x), ROWS[i].want, "betainc");
    assert_true(isnan(stats_betai(-1, 1, 0.5)));
    assert_true(stats_betai(2, 3, 0) == 0 && stats_betai(2, 3, 1) == 1);
}

static void paired_t_matches_scipy(void **state)
{
    (void)state;
    /* Seed 000's shape: monthly visits to the family doctor before and after. */
    static const double visits_before[] = {0.2, 0.5, 0.4, 0.3, 0.6, 0.5, 0.4, 0.2, 0.7, 0.5};
    static const double visits_after[] = {0.4, 0.7, 0.5, 0.6, 0.8, 0.6, 0.7, 0.3, 0.9, 0.6};
    static const double fell_before[] = {5.1, 4.9, 6.2, 5.8, 6.0},
                        fell_after[] = {4.8, 5.1, 5.9, 5.2, 5.5};
    static const double two_before[] = {1.0, 2.0}, two_after[] = {1.5, 3.5};
    const struct {
        const double *before, *after;
        size_t n;
        double t, p, df;
    } ROWS[] = {
        {visits_before, visits_after, 10, 7.21605353163546, 4.995767531124332e-05, 9},
        {fell_before, fell_after, 5, -2.1764287503300377, 0.09512354057718231, 4},
        {two_before, two_after, 2, 2.0, 0.2951672353008664, 1},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        struct stats_paired_t r;
        assert_int_equal(stats_paired_t(ROWS[i].before, ROWS[i].after, ROWS[i].n, &r), STATS_OK);
        close_to(r.t, ROWS[i].t, "t");
        close_to(r.p, ROWS[i].p, "p");
        assert_true(r.df == ROWS[i].df && r.n == ROWS[i].n);
    }
}

static void paired_t_refuses_what_it_cannot_compute(void **state)
{
    (void)state;
    struct stats_paired_t r;
    const double one[] = {1.0}, same_shift_a[] = {1, 2, 3}, same_shift_b[] = {2, 3, 4};
    const double missing[] = {1, NAN, 3};
    assert_int_equal(stats_paired_t(one, one, 1, &r), STATS_TOO_FEW);
    assert_int_equal(stats_paired_t(same_shift_a, same_shift_b, 3, &r), STATS_CONSTANT);
    assert_int_equal(stats_paired_t(same_shift_a, missing, 3, &r), STATS_NOT_FINITE);
}

static void mcnemar_matches_statsmodels(void **state)
{
    (void)state;
    static const struct {
        long b, c;
        double chi2, p_chi2, exact, p_exact;
    } ROWS[] = {
        {5, 15, 4.05, 0.04417134490844271, 5.0, 0.04138946533203125},
        {12, 3, 4.266666666666667, 0.03886710381241731, 3.0, 0.03515625},
        {0, 4, 2.25, 0.13361440253771584, 0.0, 0.125},
        {30, 41, 1.408450704225352, 0.23531375547707092, 30.0, 0.23509756240834187},
        {7, 7, 0.07142857142857142, 0.7892680261342813, 7.0, 1.0},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        struct stats_mcnemar a, e;
        assert_int_equal(stats_mcnemar(ROWS[i].b, ROWS[i].c, 0, &a), STATS_OK);
        assert_int_equal(stats_mcnemar(ROWS[i].b, ROWS[i].c, 1, &e), STATS_OK);
        close_to(a.statistic, ROWS[i].chi2, "chi2");
        close_to(a.p, ROWS[i].p_chi2, "chi2 p");
        assert_true(e.statistic == ROWS[i].exact);
        close_to(e.p, ROWS[i].p_exact, "exact p");
    }
    struct stats_mcnemar r;
    assert_int_equal(stats_mcnemar(0, 0, 0, &r), STATS_TOO_FEW);
    assert_int_equal(stats_mcnemar(-1, 3, 1, &r), STATS_NOT_FINITE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(incomplete_beta_matches_scipy),
        cmocka_unit_test(paired_t_matches_scipy),
        cmocka_unit_test(paired_t_refuses_what_it_cannot_compute),
        cmocka_unit_test(mcnemar_matches_statsmodels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
