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
        assert_int_equal(stats_paired_t(ROWS[i].after, ROWS[i].before, ROWS[i].n, &r), STATS_OK);
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
    /* statsmodels: mcnemar([[5, 0], [0, 3]], exact=True) is statistic 0, p 1 */
    assert_int_equal(stats_mcnemar(0, 0, 1, &r), STATS_OK);
    assert_true(r.statistic == 0 && r.p == 1);
    assert_int_equal(stats_mcnemar(-1, 3, 1, &r), STATS_NOT_FINITE);
}

static void wilcoxon_matches_scipy(void **state)
{
    (void)state;
    static const double visits_x[] = {0.4, 0.7, 0.5, 0.6, 0.8, 0.6, 0.7, 0.3, 0.9, 0.6};
    static const double visits_y[] = {0.2, 0.5, 0.4, 0.3, 0.6, 0.5, 0.4, 0.2, 0.7, 0.5};
    static const double distinct_x[] = {3.1, 4.7, 2.2, 5.9, 1.5, 6.3, 2.8};
    static const double distinct_y[] = {2.0, 5.0, 1.0, 4.0, 2.5, 3.0, 2.9};
    static const double zeros_x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    static const double zeros_y[] = {1, 1, 4, 2, 5, 7, 5, 9, 6, 10, 8, 15};
    /* 60 pairs (over 50: the normal approximation), drawn once with numpy (seed 7). */
    static const double big_x[] = {
        70.0, 72.4, 67.8, 62.9, 66.4, 62.1, 70.5, 80.7, 66.1, 65.0, 73.9, 72.9, 70.8, 62.6, 69.8,
        75.6, 59.2, 66.3, 54.8, 59.7, 55.3, 68.1, 59.9, 72.2, 71.3, 68.5, 49.9, 65.7, 69.6, 70.9,
        57.8, 66.2, 62.2, 63.5, 78.5, 63.5, 69.7, 77.1, 65.3, 69.1, 70.9, 70.5, 60.2, 70.6, 80.9,
        57.6, 76.9, 71.0, 64.9, 86.0, 76.1, 60.4, 70.6, 74.6, 68.5, 75.5, 69.5, 75.3, 81.5, 64.6};
    static const double big_y[] = {
        69.6, 64.3, 69.0, 58.5, 63.4, 66.4, 75.2, 77.2, 57.4, 61.6, 73.2, 52.1, 64.3, 67.2, 78.1,
        73.5, 65.4, 65.1, 66.0, 80.2, 64.6, 65.6, 70.8, 67.0, 66.4, 59.1, 67.9, 64.5, 77.3, 73.2,
        67.8, 73.3, 65.3, 76.4, 68.0, 72.7, 57.7, 70.8, 54.5, 51.7, 65.6, 60.8, 69.3, 86.0, 61.3,
        63.0, 69.6, 71.9, 66.6, 66.4, 73.6, 72.2, 59.7, 67.4, 68.3, 59.6, 70.1, 61.1, 75.8, 69.5};
    const struct {
        const double *x, *y;
        size_t n;
        double statistic, p;
        int exact;
    } ROWS[] = {
        {visits_x, visits_y, 10, 0.0, 0.001953125, 1},
        {distinct_x, distinct_y, 7, 6.0, 0.21875, 1},
        {zeros_x, zeros_y, 12, 15.5, 0.4006727625605354, 0}, /* zeros: approximation */
        {big_x, big_y, 60, 810.0, 0.4395333849792358, 0},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        struct stats_wilcoxon r;
        assert_int_equal(stats_wilcoxon(ROWS[i].x, ROWS[i].y, ROWS[i].n, &r), STATS_OK);
        close_to(r.statistic, ROWS[i].statistic, "statistic");
        close_to(r.p, ROWS[i].p, "p");
        assert_int_equal(r.exact, ROWS[i].exact);
    }
    struct stats_wilcoxon r;
    assert_int_equal(stats_wilcoxon(zeros_x, zeros_x, 12, &r), STATS_CONSTANT);
}

static void ols_matches_statsmodels(void **state)
{
    (void)state;
    /* A change regressed on age, sex and chronic conditions: 40 residents drawn once with
     * numpy (seed 11), fitted by statsmodels' OLS. */
    static const double y[] = {0.81, 0.9,  1.88, 0.87, 1.25, 2.31, 0.17, 0.88, 1.44, 1.5,
                               1.96, 1.81, 0.88, 0.89, 1.0,  2.47, 2.06, 1.45, 1.98, 1.03,
                               1.75, 1.22, 1.49, 1.1,  1.14, 1.29, 0.87, 1.35, 2.23, 0.77,
                               1.15, 1.65, 1.47, 2.61, 1.12, 1.29, 1.31, 1.59, 2.35, 0.9};
    static const double age[] = {50, 65, 69, 46, 51, 82, 48, 50, 83, 70, 60, 65, 72, 56,
                                 51, 77, 72, 65, 78, 67, 84, 53, 67, 64, 59, 69, 54, 77,
                                 80, 50, 64, 56, 48, 81, 62, 51, 72, 53, 81, 54};
    static const double sex[] = {1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1,
                                 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0};
    static const double chronic[] = {1, 0, 0, 3, 0, 1, 1, 0, 2, 2, 3, 0, 3, 0, 0, 2, 3, 3, 2, 0,
                                     1, 3, 2, 0, 2, 0, 2, 0, 1, 1, 3, 2, 2, 1, 1, 3, 3, 0, 0, 1};
    static const double coef[] = {-0.5981751995728538, 0.03143384398520134, -0.11534104130093353,
                                  0.027818858819510885};
    static const double se[] = {0.38903442243154573, 0.0056443516411003375, 0.1348344401259866,
                                0.055901247380289266};
    static const double t[] = {-1.537589388193813, 5.569079671845794, -0.8554271534272784,
                               0.4976428992766947};
    static const double p[] = {0.13289296432349162, 2.6184356640919086e-06, 0.3979723879761333,
                               0.6217619986965475};
    double x[40 * 3];
    for (size_t i = 0; i < 40; i++) {
        x[i * 3] = age[i];
        x[i * 3 + 1] = sex[i];
        x[i * 3 + 2] = chronic[i];
    }
    struct stats_ols r;
    assert_int_equal(stats_ols(y, x, 40, 3, &r), STATS_OK);
    assert_int_equal(r.k, 4);
    for (size_t j = 0; j < 4; j++) {
        close_to(r.coef[j], coef[j], "coefficient");
        close_to(r.se[j], se[j], "standard error");
        close_to(r.t[j], t[j], "t");
        close_to(r.p[j], p[j], "p");
    }
    close_to(r.r2, 0.4894577962122306, "r2");
    close_to(r.adj_r2, 0.4469126125632499, "adj_r2");
    close_to(r.f, 11.504423162219823, "f");
    close_to(r.f_p, 1.9493072856393998e-05, "f_p");
    assert_true(r.df_resid == 36);
    /* A constant regressor, one the double of another, too few rows, a constant outcome. */
    double bad[40 * 2];
    for (size_t i = 0; i < 40; i++) {
        bad[i * 2] = age[i];
        bad[i * 2 + 1] = 2 * age[i];
    }
    assert_int_equal(stats_ols(y, bad, 40, 2, &r), STATS_COLLINEAR);
    for (size_t i = 0; i < 40; i++)
        bad[i * 2 + 1] = 5.0;
    assert_int_equal(stats_ols(y, bad, 40, 2, &r), STATS_COLLINEAR);
    assert_int_equal(stats_ols(y, x, 4, 3, &r), STATS_TOO_FEW);
    static const double flat[40] = {0};
    assert_int_equal(stats_ols(flat, x, 40, 3, &r), STATS_CONSTANT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(incomplete_beta_matches_scipy),
        cmocka_unit_test(paired_t_matches_scipy),
        cmocka_unit_test(paired_t_refuses_what_it_cannot_compute),
        cmocka_unit_test(mcnemar_matches_statsmodels),
        cmocka_unit_test(wilcoxon_matches_scipy),
        cmocka_unit_test(ols_matches_statsmodels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
