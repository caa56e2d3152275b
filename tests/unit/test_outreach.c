/* Unit tests: the rules of an outreach call on a work-list task (domain/outreach.c) - which
 * outcome ends the task, the reason the indicators see, and the agreed and status dates. */
#include <string.h>

#include "test.h"

#include "domain/outreach.h"

static struct call_input call(enum call_outcome o)
{
    struct call_input in;
    memset(&in, 0, sizeof in);
    in.outcome = o;
    in.called_on = D("2026-07-15");
    return in;
}

/* One row of the outcome table in outreach.h. */
struct outcome_row {
    enum call_outcome outcome;
    int ends_task;
    const char *reason;
    const char *resident_status;
};

static void each_outcome_keeps_or_ends_the_task_with_its_reason(void **state)
{
    (void)state;
    static const struct outcome_row ROWS[] = {
        {CALL_NO_ANSWER, 0, NULL, NULL},
        {CALL_WRONG_NUMBER, 1, "lost_to_follow_up", NULL},
        {CALL_REFUSED, 1, "lost_to_follow_up", NULL},
        {CALL_MOVED, 1, "moved", "moved_out"},
        {CALL_DIED, 1, "died", "deceased"},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++) {
        struct call_input in = call(ROWS[i].outcome);
        struct call_effect e;
        struct jy_error err;
        assert_int_equal(call_check(&in, &e, &err), 0);
        assert_int_equal(e.ends_task, ROWS[i].ends_task);
        if (ROWS[i].reason)
            assert_string_equal(task_end_reason_name(e.reason), ROWS[i].reason);
        else
            assert_null(task_end_reason_name(e.reason));
        if (ROWS[i].resident_status) {
            assert_string_equal(e.resident_status, ROWS[i].resident_status);
            assert_date(e.status_date, "2026-07-15"); /* no date given: the day of the call */
        } else {
            assert_null(e.resident_status);
        }
    }
}

static void reached_needs_a_date_from_the_call_to_ninety_days_on(void **state)
{
    (void)state;
    struct call_effect e;
    struct jy_error err;
    struct call_input in = call(CALL_REACHED);
    assert_int_equal(call_check(&in, &e, &err), -1);
    assert_string_equal(err.code, "missing_field");
    assert_string_equal(err.field, "agreed_date");
    in.has_agreed_date = 1;
    static const struct {
        const char *date;
        const char *code; /* NULL: accepted */
    } ROWS[] = {
        {"2026-07-14", "date_in_past"}, {"2026-07-15", NULL},           {"2026-07-22", NULL},
        {"2026-10-13", NULL},           {"2026-10-14", "date_too_far"},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++) {
        in.agreed_date = D(ROWS[i].date);
        int rc = call_check(&in, &e, &err);
        if (!ROWS[i].code) {
            assert_int_equal(rc, 0);
            assert_false(e.ends_task); /* the task stays open until the visit */
            assert_int_equal(e.reason, TASK_END_NONE);
            assert_null(e.resident_status);
        } else {
            assert_int_equal(rc, -1);
            assert_string_equal(err.code, ROWS[i].code);
            assert_string_equal(err.field, "agreed_date");
            assert_int_equal(err.status, 422);
        }
    }
}

static void an_agreed_date_belongs_only_to_a_reached_call(void **state)
{
    (void)state;
    struct call_effect e;
    struct jy_error err;
    for (int o = CALL_NO_ANSWER; o < CALL_OUTCOME_COUNT; o++) {
        struct call_input in = call((enum call_outcome)o);
        in.has_agreed_date = 1;
        in.agreed_date = D("2026-07-20");
        assert_int_equal(call_check(&in, &e, &err), -1);
        assert_string_equal(err.code, "invalid_field");
        assert_string_equal(err.field, "agreed_date");
    }
}

static void a_death_or_move_may_be_dated_but_not_after_the_call(void **state)
{
    (void)state;
    struct call_effect e;
    struct jy_error err;
    struct call_input in = call(CALL_DIED);
    in.has_status_date = 1;
    in.status_date = D("2026-06-30");
    assert_int_equal(call_check(&in, &e, &err), 0);
    assert_date(e.status_date, "2026-06-30");
    in.status_date = D("2026-07-16");
    assert_int_equal(call_check(&in, &e, &err), -1);
    assert_string_equal(err.code, "invalid_date");
    assert_string_equal(err.field, "status_date");
    /* Other outcomes have no such date. */
    for (int o = 0; o < CALL_OUTCOME_COUNT; o++) {
        if (o == CALL_DIED || o == CALL_MOVED) continue;
        struct call_input other = call((enum call_outcome)o);
        other.has_agreed_date = o == CALL_REACHED;
        other.agreed_date = D("2026-07-20");
        other.has_status_date = 1;
        other.status_date = D("2026-07-01");
        assert_int_equal(call_check(&other, &e, &err), -1);
        assert_string_equal(err.field, "status_date");
    }
}

static void names_parse_both_ways(void **state)
{
    (void)state;
    for (int o = 0; o < CALL_OUTCOME_COUNT; o++)
        assert_int_equal(call_outcome_parse(call_outcome_name((enum call_outcome)o)), o);
    assert_int_equal(call_outcome_parse("busy"), -1);
    assert_int_equal(call_outcome_parse(NULL), -1);
    assert_null(call_outcome_name(CALL_OUTCOME_COUNT));
    struct call_input in = call(CALL_OUTCOME_COUNT);
    struct call_effect e;
    struct jy_error err;
    assert_int_equal(call_check(&in, &e, &err), -1);
    assert_string_equal(err.field, "outcome");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_outcome_keeps_or_ends_the_task_with_its_reason),
        cmocka_unit_test(reached_needs_a_date_from_the_call_to_ninety_days_on),
        cmocka_unit_test(an_agreed_date_belongs_only_to_a_reached_call),
        cmocka_unit_test(a_death_or_move_may_be_dated_but_not_after_the_call),
        cmocka_unit_test(names_parse_both_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
