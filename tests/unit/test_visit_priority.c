/* Unit tests: the rules of a visit request (domain/visit_priority.c): priority by age on the
 * day and by being bedridden, the allowed status moves, kinds, half-days, the days a visit
 * may be asked or confirmed for, and when its reminder goes out. */
#include "test.h"

#include "domain/visit_priority.h"

static void eighty_on_the_day_is_high_priority_seventy_nine_is_not(void **state)
{
    (void)state;
    /* Born 1946-05-10: 80 on 2026-05-10, still 79 the day before. */
    assert_int_equal(visit_priority_reasons(D("1946-05-10"), D("2026-05-10"), 0), VISIT_REASON_AGE);
    assert_string_equal(
        visit_priority_name(visit_priority_reasons(D("1946-05-10"), D("2026-05-10"), 0)), "high");
    assert_int_equal(visit_priority_reasons(D("1946-05-10"), D("2026-05-09"), 0), 0);
    assert_string_equal(visit_priority_name(0), "normal");
    assert_int_equal(visit_priority_reasons(D("1930-01-01"), D("2026-05-10"), 0), VISIT_REASON_AGE);
}

static void the_bedridden_are_high_priority_at_any_age(void **state)
{
    (void)state;
    assert_int_equal(visit_priority_reasons(D("1980-03-01"), D("2026-05-10"), 1),
                     VISIT_REASON_BEDRIDDEN);
    assert_int_equal(visit_priority_reasons(D("1940-03-01"), D("2026-05-10"), 1),
                     VISIT_REASON_AGE | VISIT_REASON_BEDRIDDEN);
    assert_string_equal(visit_priority_name(VISIT_REASON_BEDRIDDEN), "high");
    assert_int_equal(visit_priority_reasons(D("1980-03-01"), D("2026-05-10"), 0), 0);
}

static void a_leap_day_birthday_turns_eighty_on_the_first_of_march(void **state)
{
    (void)state;
    assert_int_equal(visit_priority_reasons(D("1948-02-29"), D("2028-02-28"), 0), 0);
    assert_int_equal(visit_priority_reasons(D("1948-02-29"), D("2028-02-29"), 0), VISIT_REASON_AGE);
}

static void requests_move_forward_only(void **state)
{
    (void)state;
    /* Rows: from; columns: to requested, confirmed, done, cancelled. */
    static const int ALLOWED[VISIT_STATUS_COUNT][VISIT_STATUS_COUNT] = {
        [VISIT_REQUESTED] = {0, 1, 0, 1},
        [VISIT_CONFIRMED] = {0, 0, 1, 1},
        [VISIT_DONE] = {0, 0, 0, 0},
        [VISIT_CANCELLED] = {0, 0, 0, 0},
    };
    for (int from = 0; from < VISIT_STATUS_COUNT; from++)
        for (int to = 0; to < VISIT_STATUS_COUNT; to++)
            assert_int_equal(
                visit_transition_allowed((enum visit_status)from, (enum visit_status)to),
                ALLOWED[from][to]);
}

static void kinds_statuses_and_half_days_are_a_closed_vocabulary(void **state)
{
    (void)state;
    assert_int_equal(visit_kind_parse("clinic"), VISIT_CLINIC);
    assert_int_equal(visit_kind_parse("home"), VISIT_HOME);
    assert_int_equal(visit_kind_parse("specialist"), VISIT_SPECIALIST);
    assert_int_equal(visit_kind_parse("Home"), -1);
    assert_int_equal(visit_kind_parse(""), -1);
    assert_int_equal(visit_kind_parse(NULL), -1);
    assert_string_equal(visit_kind_name(VISIT_SPECIALIST), "specialist");
    for (int s = 0; s < VISIT_STATUS_COUNT; s++)
        assert_int_equal(visit_status_parse(visit_status_name((enum visit_status)s)), s);
    assert_int_equal(visit_status_parse("open"), -1);
    assert_true(visit_time_valid("am"));
    assert_true(visit_time_valid("pm"));
    assert_false(visit_time_valid("AM"));
    assert_false(visit_time_valid("morning"));
    assert_false(visit_time_valid(NULL));
    assert_string_equal(visit_half_day_of(8 * 60 + 30), "am");
    assert_string_equal(visit_half_day_of(11 * 60 + 59), "am");
    assert_string_equal(visit_half_day_of(12 * 60), "pm");
    assert_string_equal(visit_half_day_of(14 * 60), "pm");
}

static void a_visit_day_lies_from_today_to_ninety_days_ahead(void **state)
{
    (void)state;
    assert_null(visit_date_problem(D("2026-05-10"), D("2026-05-10")));
    assert_null(visit_date_problem(D("2026-08-08"), D("2026-05-10"))); /* 90 days */
    assert_string_equal(visit_date_problem(D("2026-08-09"), D("2026-05-10")), "date_too_far");
    assert_string_equal(visit_date_problem(D("2026-05-09"), D("2026-05-10")), "date_in_past");
    assert_true(visit_is_due(D("2026-05-10"), D("2026-05-10")));
    assert_true(visit_is_due(D("2026-05-01"), D("2026-05-10")));
    assert_false(visit_is_due(D("2026-05-11"), D("2026-05-10")));
}

static void the_reminder_goes_out_at_nine_china_time_the_day_before(void **state)
{
    (void)state;
    int64_t at = 0;
    /* 2026-05-11 09:00 +08:00 = 2026-05-11T01:00Z = 1778461200. */
    assert_int_equal(visit_reminder_time(D("2026-05-12"), D("2026-05-10"), &at), 1);
    assert_int_equal(at, 1778461200);
    /* Tomorrow's visit: the reminder's time is today (sent at once if 09:00 has passed). */
    assert_int_equal(visit_reminder_time(D("2026-05-11"), D("2026-05-10"), &at), 1);
    assert_int_equal(at, 1778461200 - 86400);
    /* A visit today has no day before left: no reminder. */
    assert_int_equal(visit_reminder_time(D("2026-05-10"), D("2026-05-10"), &at), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eighty_on_the_day_is_high_priority_seventy_nine_is_not),
        cmocka_unit_test(the_bedridden_are_high_priority_at_any_age),
        cmocka_unit_test(a_leap_day_birthday_turns_eighty_on_the_first_of_march),
        cmocka_unit_test(requests_move_forward_only),
        cmocka_unit_test(kinds_statuses_and_half_days_are_a_closed_vocabulary),
        cmocka_unit_test(a_visit_day_lies_from_today_to_ninety_days_ahead),
        cmocka_unit_test(the_reminder_goes_out_at_nine_china_time_the_day_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
