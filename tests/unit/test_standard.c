/* Unit tests: domain/standard.c, standardised management pro rata (PROTOCOLS.md §11). */
#include "test.h"

#include "domain/standard.h"

static void standardised_management_is_pro_rata(void **state)
{
    (void)state;
    struct date none = {0, 0, 0};
    /* Enrolled before the year, whole year: four. */
    assert_int_equal(standard_days_enrolled(D("2020-05-01"), 0, none, 2025, D("2026-03-01")), 365);
    assert_int_equal(standard_required(365, 2025), 4);
    /* Enrolled on 1 October 2025: 92 days, ceil(4 x 92 / 365) = ceil(1.008) = 2. */
    int days = standard_days_enrolled(D("2025-10-01"), 0, none, 2025, D("2026-03-01"));
    assert_int_equal(days, 92);
    assert_int_equal(standard_required(days, 2025), 2);
    /* 2 October: 91 days, ceil(0.997) = 1. */
    assert_int_equal(
        standard_required(standard_days_enrolled(D("2025-10-02"), 0, none, 2025, D("2026-03-01")),
                          2025),
        1);
    /* Enrolment ended mid-year (death, move): counted to the end date. */
    assert_int_equal(
        standard_days_enrolled(D("2020-01-01"), 1, D("2025-03-31"), 2025, D("2026-01-01")), 90);
    /* An open year: only the days until today. */
    assert_int_equal(standard_days_enrolled(D("2020-01-01"), 0, none, 2026, D("2026-03-31")), 90);
    assert_int_equal(standard_required(90, 2026), 1);
    /* Not enrolled in the year at all. */
    assert_int_equal(standard_days_enrolled(D("2027-01-05"), 0, none, 2026, D("2026-12-31")), 0);
    assert_int_equal(standard_required(0, 2026), 0);
    /* A leap year has 366 days. */
    assert_int_equal(standard_days_enrolled(D("2019-01-01"), 0, none, 2024, D("2025-01-01")), 366);
    assert_int_equal(standard_required(366, 2024), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standardised_management_is_pro_rata),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
