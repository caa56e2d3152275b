/* Unit tests: assessment rounds (domain/assessment.c): the periods each level assesses, the
 * coefficient from the checks at its edges (the full rate, too few reached, unreachable
 * residents counting neither way), applying it to a score, and the sign-off rule. */
#include "test.h"

#include "domain/assessment.h"

static void periods_by_level(void **state)
{
    (void)state;
    struct date a, b;
    assert_int_equal(assessment_period_parse("2026-Q3", ASSESSMENT_INSTITUTION, &a, &b), 0);
    assert_date(a, "2026-07-01");
    assert_date(b, "2026-09-30");
    assert_int_equal(assessment_period_parse("2026-Q4", ASSESSMENT_INSTITUTION, &a, &b), 0);
    assert_date(b, "2026-12-31");
    assert_int_equal(assessment_period_parse("2026-H1", ASSESSMENT_COUNTY, &a, &b), 0);
    assert_date(a, "2026-01-01");
    assert_date(b, "2026-06-30");
    assert_int_equal(assessment_period_parse("2026-H2", ASSESSMENT_COUNTY, &a, &b), 0);
    assert_date(a, "2026-07-01");
    assert_date(b, "2026-12-31");
    static const char *const BAD_INSTITUTION[] = {"2026-H1", "2026-Q5", "2026-Q0", "2026",
                                                  "2026-07", "1999-Q1", "26-Q1-x", ""};
    for (size_t i = 0; i < sizeof BAD_INSTITUTION / sizeof BAD_INSTITUTION[0]; i++)
        assert_int_equal(
            assessment_period_parse(BAD_INSTITUTION[i], ASSESSMENT_INSTITUTION, &a, &b), -1);
    assert_int_equal(assessment_period_parse("2026-Q1", ASSESSMENT_COUNTY, &a, &b), -1);
    assert_int_equal(assessment_period_parse("2026-H3", ASSESSMENT_COUNTY, &a, &b), -1);
    assert_int_equal(assessment_period_parse(NULL, ASSESSMENT_COUNTY, &a, &b), -1);
}

static void coefficient_from_the_checks(void **state)
{
    (void)state;
    static const struct {
        int confirmed, not_confirmed, unreachable, full_rate;
        int coefficient, judged;
    } ROWS[] = {
        {10, 0, 0, 95, 1000, 1}, /* all confirmed */
        {19, 1, 0, 95, 1000, 1}, /* 95%: at the full rate */
        {18, 1, 0, 95, 947, 1},  /* 94.7%: below it, the share itself (rounded down) */
        {9, 1, 5, 95, 900, 1},   /* unreachable residents count neither way */
        {9, 1, 0, 90, 1000, 1},  /* a county that asks 90% */
        {2, 0, 8, 95, 1000, 0},  /* two reached: not enough to judge */
        {1, 2, 0, 95, 333, 1},   /* three reached is */
        {0, 3, 0, 95, 0, 1},     /* none confirmed */
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        struct assessment_tally t = {ROWS[i].confirmed, ROWS[i].not_confirmed, ROWS[i].unreachable,
                                     0};
        int judged = -1;
        assert_int_equal(assessment_coefficient(&t, ROWS[i].full_rate, &judged),
                         ROWS[i].coefficient);
        assert_int_equal(judged, ROWS[i].judged);
    }
}

static void applied_to_a_score(void **state)
{
    (void)state;
    assert_int_equal(assessment_apply(8765, 1000), 8765);
    assert_int_equal(assessment_apply(8765, 900), 7888); /* 7888.5 rounded down */
    assert_int_equal(assessment_apply(8765, 0), 0);
}

static void sign_off_once_every_check_has_its_outcome(void **state)
{
    (void)state;
    struct assessment_tally t = {5, 1, 2, 1};
    assert_string_equal(assessment_signoff_refusal(&t), "checks_pending");
    t.pending = 0;
    assert_null(assessment_signoff_refusal(&t));
}

static void names(void **state)
{
    (void)state;
    assert_int_equal(assessment_level_parse("county"), ASSESSMENT_COUNTY);
    assert_int_equal(assessment_level_parse("province"), -1);
    for (int o = 0; o < CHECK_OUTCOME_COUNT; o++)
        assert_int_equal(
            assessment_outcome_parse(assessment_outcome_name((enum assessment_outcome)o)), o);
    assert_int_equal(assessment_outcome_parse("maybe"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(periods_by_level),
        cmocka_unit_test(coefficient_from_the_checks),
        cmocka_unit_test(applied_to_a_score),
        cmocka_unit_test(sign_off_once_every_check_has_its_outcome),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
