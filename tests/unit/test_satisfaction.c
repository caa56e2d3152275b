/* Unit tests: who may record a satisfaction answer and the period it counts once in
 * (domain/satisfaction.c), case by case: a team cannot raise its own rate. */
#include "test.h"

#include "domain/satisfaction.h"

static void a_resident_answers_for_themself_on_the_portal(void **state)
{
    (void)state;
    assert_null(satisfaction_refusal(1, 1, 0, SATISFACTION_RESIDENT));
    assert_string_equal(satisfaction_refusal(1, 0, 0, SATISFACTION_RESIDENT), "out_of_scope");
    /* A resident cannot pose as a survey or a call-back. */
    assert_string_equal(satisfaction_refusal(1, 1, 0, SATISFACTION_SURVEY), "out_of_scope");
    assert_string_equal(satisfaction_refusal(1, 1, 0, SATISFACTION_PHONE_CALLBACK), "out_of_scope");
}

static void staff_independent_of_the_team_collect_answers(void **state)
{
    (void)state;
    assert_null(satisfaction_refusal(0, 0, 0, SATISFACTION_SURVEY));
    assert_null(satisfaction_refusal(0, 0, 0, SATISFACTION_PHONE_CALLBACK));
    /* Staff never speak as the resident. */
    assert_string_equal(satisfaction_refusal(0, 0, 0, SATISFACTION_RESIDENT), "out_of_scope");
}

static void the_rated_team_never_records_its_own_answers(void **state)
{
    (void)state;
    assert_string_equal(satisfaction_refusal(0, 0, 1, SATISFACTION_SURVEY), "rater_on_team");
    assert_string_equal(satisfaction_refusal(0, 0, 1, SATISFACTION_PHONE_CALLBACK),
                        "rater_on_team");
    assert_string_equal(satisfaction_refusal(0, 0, 1, SATISFACTION_RESIDENT), "out_of_scope");
}

static void one_answer_per_calendar_quarter(void **state)
{
    (void)state;
    static const struct {
        struct date day, first, last;
    } ROWS[] = {
        {{2026, 1, 1}, {2026, 1, 1}, {2026, 3, 31}},
        {{2026, 3, 31}, {2026, 1, 1}, {2026, 3, 31}},
        {{2026, 4, 1}, {2026, 4, 1}, {2026, 6, 30}},
        {{2026, 8, 15}, {2026, 7, 1}, {2026, 9, 30}},
        {{2026, 12, 31}, {2026, 10, 1}, {2026, 12, 31}},
        {{2028, 2, 29}, {2028, 1, 1}, {2028, 3, 31}},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        struct date first, last;
        satisfaction_period(ROWS[i].day, &first, &last);
        assert_int_equal(date_compare(first, ROWS[i].first), 0);
        assert_int_equal(date_compare(last, ROWS[i].last), 0);
    }
}

static void channels_have_stored_names(void **state)
{
    (void)state;
    for (int c = SATISFACTION_RESIDENT; c <= SATISFACTION_PHONE_CALLBACK; c++)
        assert_int_equal(
            satisfaction_channel_parse(satisfaction_channel_name((enum satisfaction_channel)c)), c);
    assert_int_equal(satisfaction_channel_parse("self_report"), -1);
    assert_int_equal(satisfaction_channel_parse(NULL), -1);
}

static void only_an_independent_survey_asks_whether_the_resident_knows_the_doctor(void **state)
{
    (void)state;
    assert_false(satisfaction_asks_awareness(SATISFACTION_RESIDENT));
    assert_true(satisfaction_asks_awareness(SATISFACTION_SURVEY));
    assert_true(satisfaction_asks_awareness(SATISFACTION_PHONE_CALLBACK));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_resident_answers_for_themself_on_the_portal),
        cmocka_unit_test(staff_independent_of_the_team_collect_answers),
        cmocka_unit_test(the_rated_team_never_records_its_own_answers),
        cmocka_unit_test(one_answer_per_calendar_quarter),
        cmocka_unit_test(channels_have_stored_names),
        cmocka_unit_test(only_an_independent_survey_asks_whether_the_resident_knows_the_doctor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
