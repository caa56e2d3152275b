/* Unit tests: calendar arithmetic as PROTOCOLS.md defines it. */
#include "test.h"

static void adding_three_months_clamps_to_month_end(void **state)
{
    (void)state;
    assert_date(date_add_months(D("2026-11-30"), 3), "2027-02-28"); /* the PROTOCOLS example */
    assert_date(date_add_months(D("2027-11-30"), 3), "2028-02-29"); /* leap year */
    assert_date(date_add_months(D("2026-01-31"), 1), "2026-02-28");
    assert_date(date_add_months(D("2026-03-31"), -1), "2026-02-28");
    assert_date(date_add_months(D("2026-05-15"), 12), "2027-05-15");
}

static void two_weeks_is_fourteen_days(void **state)
{
    (void)state;
    assert_date(date_add_days(D("2026-12-25"), 14), "2027-01-08");
    assert_date(date_add_days(D("2024-02-20"), 14), "2024-03-05");
}

static void days_round_trip_across_centuries(void **state)
{
    (void)state;
    for (long d = -40000; d < 40000; d += 37)
        assert_int_equal(date_to_days(date_from_days(d)), d);
    assert_int_equal(date_to_days(D("1970-01-01")), 0);
    assert_int_equal(date_diff_days(D("2001-01-01"), D("2000-01-01")), 366);
}

static void age_counts_completed_years(void **state)
{
    (void)state;
    assert_int_equal(date_age_years(D("1961-11-24"), D("2026-11-24")), 65);
    assert_int_equal(date_age_years(D("1961-11-25"), D("2026-11-24")), 64);
    /* born on Feb 29: the birthday counts on Mar 1 in common years */
    assert_int_equal(date_age_years(D("2000-02-29"), D("2021-02-28")), 20);
    assert_int_equal(date_age_years(D("2000-02-29"), D("2021-03-01")), 21);
}

static void parse_rejects_anything_but_valid_iso_dates(void **state)
{
    (void)state;
    struct date d;
    assert_int_equal(date_parse("2026-02-29", &d), -1);
    assert_int_equal(date_parse("2026-2-1", &d), -1);
    assert_int_equal(date_parse("2026/02/01", &d), -1);
    assert_int_equal(date_parse("2026-02-01T00", &d), -1);
    assert_int_equal(date_parse("", &d), -1);
    assert_int_equal(date_parse(NULL, &d), -1);
    assert_int_equal(date_parse("2024-02-29", &d), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adding_three_months_clamps_to_month_end),
        cmocka_unit_test(two_weeks_is_fourteen_days),
        cmocka_unit_test(days_round_trip_across_centuries),
        cmocka_unit_test(age_counts_completed_years),
        cmocka_unit_test(parse_rejects_anything_but_valid_iso_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
