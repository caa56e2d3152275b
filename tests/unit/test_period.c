/* Unit tests: reporting periods (PROTOCOLS.md §11). */
#include "test.h"

#include "domain/period.h"

static void years_quarters_and_months(void **state)
{
    (void)state;
    struct period p;
    assert_int_equal(period_parse("2026", &p), 0);
    assert_date(p.first, "2026-01-01");
    assert_date(p.last, "2026-12-31");
    assert_int_equal(period_parse("2026-Q1", &p), 0);
    assert_date(p.last, "2026-03-31");
    assert_int_equal(period_parse("2026-Q3", &p), 0);
    assert_date(p.first, "2026-07-01");
    assert_date(p.last, "2026-09-30");
    assert_int_equal(period_parse("2024-02", &p), 0);
    assert_date(p.last, "2024-02-29");
    assert_int_equal(period_parse("2026-12", &p), 0);
    assert_date(p.last, "2026-12-31");
}

static void anything_else_is_refused(void **state)
{
    (void)state;
    struct period p;
    const char *bad[] = {"",        "26",     "2026-", "2026-Q5", "2026-Q0",   "2026-13",
                         "2026-00", "2026-7", "1999",  "abcd",    "2026-07-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(period_parse(bad[i], &p), -1);
    assert_int_equal(period_parse(NULL, &p), -1);
}

static void as_of_is_today_while_open(void **state)
{
    (void)state;
    struct period p;
    period_parse("2026", &p);
    assert_date(period_as_of(&p, D("2026-11-24")), "2026-11-24");
    assert_date(period_as_of(&p, D("2027-01-05")), "2026-12-31");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(years_quarters_and_months),
        cmocka_unit_test(anything_else_is_refused),
        cmocka_unit_test(as_of_is_today_while_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
