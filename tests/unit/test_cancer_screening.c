/* Unit tests: cancer screening invitations (domain/cancer_screening.c), row by row: who is
 * due for each screening by sex and age at its edges, the interval since the last screening,
 * and that the query window says the same as the rule. */
#include "test.h"

#include "domain/cancer_screening.h"

static const struct cancer_screening *S(const char *code)
{
    const struct cancer_screening *s = cancer_screening_find(code);
    assert_non_null(s);
    return s;
}

static void who_is_due_by_sex_and_age(void **state)
{
    (void)state;
    struct date today = D("2026-12-07");
    static const struct {
        const char *code;
        char sex;
        const char *birth;
        int due;
    } ROWS[] = {
        {"cervical_screening", 'F', "1991-12-07", 1}, /* 35 today */
        {"cervical_screening", 'F', "1991-12-08", 0}, /* 34 */
        {"cervical_screening", 'F', "1961-12-08", 1}, /* 64 */
        {"cervical_screening", 'F', "1961-12-07", 0}, /* 65 today */
        {"cervical_screening", 'M', "1970-01-01", 0},
        {"breast_screening", 'F', "1970-01-01", 1},
        {"breast_screening", 'M', "1970-01-01", 0},
        {"colorectal_screening", 'M', "1976-12-07", 1}, /* 50 today */
        {"colorectal_screening", 'F', "1976-12-08", 0}, /* 49 */
        {"colorectal_screening", 'F', "1951-12-08", 1}, /* 74 */
        {"colorectal_screening", 'M', "1951-12-07", 0}, /* 75 */
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        assert_int_equal(
            cancer_screening_due(S(ROWS[i].code), ROWS[i].sex, D(ROWS[i].birth), NULL, today),
            ROWS[i].due);
}

static void the_interval_since_the_last_screening(void **state)
{
    (void)state;
    struct date today = D("2026-12-07"), birth = D("1960-03-03");
    struct date last = D("2025-12-07");
    assert_false(cancer_screening_due(S("colorectal_screening"), 'M', birth, &last,
                                      today)); /* 12 months ago */
    last = D("2025-12-06");
    assert_true(cancer_screening_due(S("colorectal_screening"), 'M', birth, &last, today));
    struct date hpv = D("2022-01-10");
    assert_false(cancer_screening_due(S("cervical_screening"), 'F', D("1970-05-05"), &hpv,
                                      today)); /* within 5 years */
    hpv = D("2021-12-06");
    assert_true(cancer_screening_due(S("cervical_screening"), 'F', D("1970-05-05"), &hpv, today));
    struct date breast = D("2024-12-07");
    assert_false(cancer_screening_due(S("breast_screening"), 'F', D("1970-05-05"), &breast, today));
}

static void the_window_says_the_same(void **state)
{
    (void)state;
    struct date today = D("2027-02-28"), from, to, since;
    for (int k = 0; k < CANCER_SCREENING_COUNT; k++) {
        const struct cancer_screening *s = &CANCER_SCREENINGS[k];
        cancer_screening_window(s, today, &from, &to, &since);
        /* every birthday around the edges, with and without a screening at the edge */
        for (int d = -3; d <= 3; d++) {
            struct date births[2] = {date_add_days(from, d), date_add_days(to, d)};
            for (int b = 0; b < 2; b++) {
                int inside = date_compare(births[b], from) >= 0 && date_compare(births[b], to) <= 0;
                assert_int_equal(cancer_screening_due(s, 'F', births[b], NULL, today), inside);
                struct date at = date_add_days(since, d);
                assert_int_equal(cancer_screening_due(s, 'F', births[b], &at, today),
                                 inside && d < 0);
            }
        }
    }
    assert_null(cancer_screening_find("physical_exam"));
    assert_null(cancer_screening_find(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(who_is_due_by_sex_and_age),
        cmocka_unit_test(the_interval_since_the_last_screening),
        cmocka_unit_test(the_window_says_the_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
