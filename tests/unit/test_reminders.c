/* Unit tests: reminders of due and overdue tasks (domain/reminders.c) - the stages setting,
 * which stage is due on a day (a missed day catches up once, a closed task gets nothing),
 * and the message's words. */
#include <string.h>

#include "test.h"

#include "domain/reminders.h"

static struct reminder_stages stages(const char *text)
{
    struct reminder_stages s;
    assert_int_equal(reminder_stages_parse(text, &s), 0);
    return s;
}

static void the_default_stages_parse_in_order(void **state)
{
    (void)state;
    struct reminder_stages s = stages(REMINDER_DEFAULT_STAGES);
    assert_int_equal(s.count, 3);
    assert_int_equal(s.days[0], -3);
    assert_int_equal(s.days[1], 0);
    assert_int_equal(s.days[2], 7);
    s = stages(" 14, -7 ,0");
    assert_int_equal(s.count, 3);
    assert_int_equal(s.days[0], -7);
    assert_int_equal(s.days[2], 14);
}

static void bad_stage_lists_are_refused(void **state)
{
    (void)state;
    static const char *const BAD[] = {
        "", " ", "-3,,7", "a", "-3,0,7,", "0,0", "1000", "-61", "1,2,3,4,5,6,7,8,9", "3x", NULL};
    struct reminder_stages s = {.count = 42};
    for (int i = 0; BAD[i]; i++)
        assert_int_equal(reminder_stages_parse(BAD[i], &s), -1);
    assert_int_equal(reminder_stages_parse(NULL, &s), -1);
    assert_int_equal(s.count, 42); /* untouched */
}

/* One row: due, today, open -> the stage sent (NO_REMINDER: none). */
struct due_row {
    const char *due, *today;
    int open, stage;
};

static void each_day_sends_the_latest_stage_that_has_come(void **state)
{
    (void)state;
    struct reminder_stages s = stages("-3,0,7");
    static const struct due_row ROWS[] = {
        {"2026-07-20", "2026-07-16", 1, NO_REMINDER}, /* four days before: nothing yet */
        {"2026-07-20", "2026-07-17", 1, -3},          /* three days before */
        {"2026-07-20", "2026-07-19", 1, -3},          /* a missed -3 day is caught up */
        {"2026-07-20", "2026-07-20", 1, 0},           /* on the day */
        {"2026-07-20", "2026-07-26", 1, 0},           /* the day's reminder caught up */
        {"2026-07-20", "2026-07-27", 1, 7},           /* seven days late */
        {"2026-07-20", "2026-08-26", 1, 7},           /* the last stage, 30 days on */
        {"2026-07-20", "2026-08-27", 1, NO_REMINDER}, /* too long ago to remind now */
        {"2026-07-20", "2026-07-20", 0, NO_REMINDER}, /* a closed task */
        {"2026-12-30", "2027-01-06", 1, 7},           /* across the year end */
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof *ROWS; i++) {
        int got = reminder_stage_due(&s, D(ROWS[i].due), D(ROWS[i].today), ROWS[i].open);
        if (got != ROWS[i].stage)
            fail_msg("row %zu: due %s today %s: got %d, want %d", i, ROWS[i].due, ROWS[i].today,
                     got, ROWS[i].stage);
    }
}

static void a_single_stage_setting_works(void **state)
{
    (void)state;
    struct reminder_stages s = stages("0");
    assert_int_equal(reminder_stage_due(&s, D("2026-03-01"), D("2026-02-28"), 1), NO_REMINDER);
    assert_int_equal(reminder_stage_due(&s, D("2026-03-01"), D("2026-03-05"), 1), 0);
}

static void only_the_residents_own_tasks_are_reminded(void **state)
{
    (void)state;
    assert_int_equal(reminder_kind_reminded("followup"), 1);
    assert_int_equal(reminder_kind_reminded("renewal"), 1);
    assert_int_equal(reminder_kind_reminded("exam_abnormal"), 1);
    assert_int_equal(reminder_kind_reminded("copd_visit"), 1);
    assert_int_equal(reminder_kind_reminded("screening_invite"), 1);
    assert_int_equal(reminder_kind_reminded("first_discovery"), 0);
    assert_int_equal(reminder_kind_reminded("referral_confirm"), 0);
    assert_int_equal(reminder_kind_reminded(NULL), 0);
}

static void the_message_names_the_programme_and_the_date(void **state)
{
    (void)state;
    char text[512];
    assert_true(reminder_message(text, sizeof text, "followup", "hypertension", D("2026-07-20"),
                                 D("2026-07-17")) > 0);
    assert_non_null(strstr(text, "高血压随访"));
    assert_non_null(strstr(text, "2026年7月20日"));
    assert_non_null(strstr(text, "还有3天"));
    assert_true(reminder_message(text, sizeof text, "followup", "diabetes", D("2026-07-20"),
                                 D("2026-07-20")) > 0);
    assert_non_null(strstr(text, "糖尿病随访今天"));
    assert_true(
        reminder_message(text, sizeof text, "renewal", NULL, D("2026-07-20"), D("2026-07-29")) > 0);
    assert_non_null(strstr(text, "续约"));
    assert_non_null(strstr(text, "已逾期9天"));
    /* a COPD visit, and an invitation to a screening the package includes */
    assert_true(reminder_message(text, sizeof text, "copd_visit", "copd", D("2026-07-20"),
                                 D("2026-07-17")) > 0);
    assert_non_null(strstr(text, "慢阻肺随访"));
    assert_true(reminder_message(text, sizeof text, "screening_invite", "cervical_screening",
                                 D("2026-07-20"), D("2026-07-17")) > 0);
    assert_non_null(strstr(text, "家庭医生邀请"));
    assert_non_null(strstr(text, "宫颈癌筛查"));
    assert_non_null(strstr(text, "2026年7月20日前"));
    assert_true(reminder_message(text, sizeof text, "screening_invite", "colorectal_screening",
                                 D("2026-07-20"), D("2026-07-28")) > 0);
    assert_non_null(strstr(text, "结直肠癌筛查已于"));
    /* an unknown kind still says something a resident understands */
    assert_true(
        reminder_message(text, sizeof text, "other", NULL, D("2026-07-20"), D("2026-07-20")) > 0);
    assert_non_null(strstr(text, "健康服务"));
    assert_int_equal(
        reminder_message(text, 16, "followup", "hypertension", D("2026-07-20"), D("2026-07-20")),
        -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_default_stages_parse_in_order),
        cmocka_unit_test(bad_stage_lists_are_refused),
        cmocka_unit_test(each_day_sends_the_latest_stage_that_has_come),
        cmocka_unit_test(a_single_stage_setting_works),
        cmocka_unit_test(only_the_residents_own_tasks_are_reminded),
        cmocka_unit_test(the_message_names_the_programme_and_the_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
