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

/* Row by row: whole months go to the monthly counters, the days left over to the daily. */
static void whole_months_inside_a_range(void **state)
{
    (void)state;
    static const struct {
        const char *first, *last, *whole_first, *whole_end;
    } rows[] = {
        {"2026-01-01", "2026-12-31", "2026-01-01", "2027-01-01"}, /* a closed year */
        {"2026-01-01", "2026-12-05", "2026-01-01", "2026-12-01"}, /* the year so far */
        {"2026-12-01", "2026-12-05", "2026-12-06", "2026-12-06"}, /* the month so far: days */
        {"2026-03-15", "2026-06-10", "2026-04-01", "2026-06-01"}, /* days at both ends */
        {"2026-02-01", "2026-02-28", "2026-02-01", "2026-03-01"}, /* one whole month */
        {"2024-02-10", "2024-02-29", "2024-03-01", "2024-03-01"}, /* a leap month's tail */
        {"2026-01-31", "2026-03-01", "2026-02-01", "2026-03-01"}, /* one day each side */
        {"2026-05-10", "2026-05-01", "2026-05-02", "2026-05-02"}, /* empty */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct month_split s = period_split_months(D(rows[i].first), D(rows[i].last));
        assert_date(s.whole_first, rows[i].whole_first);
        assert_date(s.whole_end, rows[i].whole_end);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(years_quarters_and_months),
        cmocka_unit_test(anything_else_is_refused),
        cmocka_unit_test(as_of_is_today_while_open),
        cmocka_unit_test(whole_months_inside_a_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
