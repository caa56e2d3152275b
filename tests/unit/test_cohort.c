/* test_cohort.c - domain/cohort.c: the periods' rules row by row, a period's months, the
 * analysis of a measure's pairs (missing values left out pairwise, the tests those of
 * domain/stats.c on what is left, the change after - before), yes/no measures counted for
 * McNemar, and the regression leaving out members without a change. */
#include "test.h"

#include <math.h>
#include <string.h>

#include "domain/cohort.h"

static struct date d(const char *text)
{
    struct date out;
    assert_int_equal(date_parse(text, &out), 0);
    return out;
}

static void periods_follow_the_rules(void **state)
{
    (void)state;
    static const struct {
        const char *bf, *bt, *af, *at, *field; /* field NULL: accepted */
    } ROWS[] = {
        {"2025-01-01", "2025-06-30", "2025-07-01", "2025-12-31", NULL},
        {"2025-01-01", "2025-06-30", "2026-01-01", "2026-06-30", NULL}, /* a gap is fine */
        {"2025-07-01", "2025-06-30", "2025-07-01", "2025-12-31", "before.to"},
        {"2022-01-01", "2025-06-30", "2025-07-01", "2025-12-31", "before.to"},  /* > 3 years */
        {"2025-01-01", "2025-06-30", "2025-06-30", "2025-12-31", "after.from"}, /* overlap */
        {"2025-01-01", "2025-06-30", "2025-07-01", "2025-06-30", "after.to"},
        {"2025-01-01", "2025-06-30", "2025-07-01", "2026-12-07", "after.to"}, /* not over */
        {"2025-01-01", "2025-06-30", "2025-07-01", "2026-12-06", NULL},       /* yesterday */
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const char *field = NULL;
        int rc = cohort_periods_check(d(ROWS[i].bf), d(ROWS[i].bt), d(ROWS[i].af), d(ROWS[i].at),
                                      d("2026-12-07"), &field);
        if (!ROWS[i].field) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, -1);
            assert_string_equal(field, ROWS[i].field);
        }
    }
}

static void months_count_calendar_months(void **state)
{
    (void)state;
    static const struct {
        const char *from, *to;
        double months;
    } ROWS[] = {
        {"2026-01-01", "2026-06-30", 6},
        {"2026-01-15", "2026-07-14", 6},
        {"2026-01-01", "2026-12-31", 12},
        {"2026-02-01", "2026-02-14", 14.0 / 28},
        {"2026-01-01", "2026-01-01", 1.0 / 31},
        {"2026-01-31", "2026-02-01", 2.0 / 28},
        {"2025-12-07", "2026-06-07", 6 + 1.0 / 30}, /* 7 Dec-6 Jun is six; one more day of June */
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        assert_true(fabs(cohort_months(d(ROWS[i].from), d(ROWS[i].to)) - ROWS[i].months) < 1e-12);
}

static void scores_are_tested_on_complete_pairs(void **state)
{
    (void)state;
    double before[] = {3, 2, NAN, 4, 1, 3, 2, 5, NAN};
    double after[] = {4, 4, 5, 4, 3, 5, 2, 5, 1};
    /* the complete pairs, for domain/stats.c directly */
    double kb[] = {3, 2, 4, 1, 3, 2, 5}, ka[] = {4, 4, 4, 3, 5, 2, 5};
    struct cohort_result r;
    cohort_analyse(COHORT_SCORE, before, after, 9, &r);
    assert_int_equal(r.n, 7);
    struct stats_paired_t t;
    assert_int_equal(stats_paired_t(ka, kb, 7, &t), STATS_OK);
    assert_int_equal(r.paired_t.err, STATS_OK);
    assert_true(r.paired_t.statistic == t.t && r.paired_t.df == 6 && r.paired_t.p == t.p);
    assert_true(r.paired_t.statistic > 0); /* after - before: a rise is positive */
    struct stats_wilcoxon w;
    assert_int_equal(stats_wilcoxon(ka, kb, 7, &w), STATS_OK);
    assert_true(r.wilcoxon.statistic == w.statistic && r.wilcoxon.p == w.p);
    assert_true(fabs(r.before_mean - 20.0 / 7) < 1e-12 && fabs(r.after_mean - 27.0 / 7) < 1e-12);
    assert_true(fabs(r.mean_change - 1.0) < 1e-12);
    assert_true(r.before_median == 3 && r.after_median == 4);
    /* sample standard deviation of 4,4,4,3,5,2,5: mean 27/7 */
    double ss = 0;
    for (int i = 0; i < 7; i++)
        ss += (ka[i] - 27.0 / 7) * (ka[i] - 27.0 / 7);
    assert_true(fabs(r.after_sd - sqrt(ss / 6)) < 1e-12);

    double one_b[] = {1}, one_a[] = {2};
    cohort_analyse(COHORT_SCORE, one_b, one_a, 1, &r);
    assert_int_equal(r.paired_t.err, STATS_TOO_FEW);
    double same_b[] = {1, 2, 3}, same_a[] = {2, 3, 4};
    cohort_analyse(COHORT_SCORE, same_b, same_a, 3, &r); /* every difference 1 */
    assert_int_equal(r.paired_t.err, STATS_CONSTANT);
}

static void yes_no_counts_feed_mcnemar(void **state)
{
    (void)state;
    /* 30 pairs: 4 yes->no (b), 12 no->yes (c), 10 yes both, 4 no both; one missing */
    double before[31], after[31];
    int i = 0;
    for (int k = 0; k < 4; k++, i++)
        before[i] = 1, after[i] = 0;
    for (int k = 0; k < 12; k++, i++)
        before[i] = 0, after[i] = 1;
    for (int k = 0; k < 10; k++, i++)
        before[i] = 1, after[i] = 1;
    for (int k = 0; k < 4; k++, i++)
        before[i] = 0, after[i] = 0;
    before[i] = NAN, after[i] = 1;
    struct cohort_result r;
    cohort_analyse(COHORT_BINARY, before, after, 31, &r);
    assert_int_equal(r.n, 30);
    assert_int_equal(r.b, 4);
    assert_int_equal(r.c, 12);
    assert_int_equal(r.before_yes, 14);
    assert_int_equal(r.after_yes, 22);
    struct stats_mcnemar m;
    assert_int_equal(stats_mcnemar(4, 12, 1, &m), STATS_OK); /* 16 discordant: exact */
    assert_true(r.mcnemar.exact && r.mcnemar.p == m.p && r.mcnemar.statistic == 4);
    assert_true(fabs(r.before_mean - 14.0 / 30) < 1e-12 && fabs(r.after_mean - 22.0 / 30) < 1e-12);
}

static void regression_leaves_out_missing_changes(void **state)
{
    (void)state;
    /* change = 1 + 2 * x1 - x2 exactly, plus a member without a change */
    double x[] = {1, 0, 2, 1, 3, 0, 4, 1, 5, 0, 9, 9, 6, 1};
    double change[7];
    for (int i = 0; i < 7; i++)
        change[i] = 1 + 2 * x[2 * i] - x[2 * i + 1];
    change[5] = NAN;
    double noise[] = {0.1, -0.1, 0.05, 0, -0.05, 0, 0.02};
    for (int i = 0; i < 7; i++)
        change[i] += noise[i];
    struct stats_ols ols;
    assert_int_equal(cohort_regress(change, x, 7, 2, &ols), STATS_OK);
    assert_int_equal(ols.n, 6);
    assert_true(fabs(ols.coef[1] - 2) < 0.1 && fabs(ols.coef[2] + 1) < 0.3);
}

static void catalogue_is_consistent(void **state)
{
    (void)state;
    for (int i = 0; i < COHORT_MEASURE_COUNT; i++) {
        assert_int_equal(cohort_measure_find(COHORT_MEASURES[i].code), i);
        assert_true(strlen(COHORT_MEASURES[i].zh) > 0 && strlen(COHORT_MEASURES[i].en) > 0);
    }
    for (int j = 0; j < COHORT_FACTOR_COUNT; j++)
        assert_int_equal(cohort_factor_find(COHORT_FACTORS[j].code), j);
    assert_int_equal(cohort_measure_find("nonsense"), -1);
    assert_int_equal(cohort_factor_find(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(periods_follow_the_rules),
        cmocka_unit_test(months_count_calendar_months),
        cmocka_unit_test(scores_are_tested_on_complete_pairs),
        cmocka_unit_test(yes_no_counts_feed_mcnemar),
        cmocka_unit_test(regression_leaves_out_missing_changes),
        cmocka_unit_test(catalogue_is_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
