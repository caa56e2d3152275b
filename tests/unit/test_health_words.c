/* Unit tests: the resident's words (api/health_words.c). Every code the engine, the exam
 * screening and the schedules can produce has its words in both languages; the two
 * languages fill the same placeholders; and no text carries a staff code. */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "api/health_words.h"
#include "api/protocols.h"
#include "domain/elderly.h"
#include "domain/schedule.h"
#include "domain/screening.h"

static void assert_words(const char *prefix, const char *code)
{
    char key[96];
    snprintf(key, sizeof key, "%s.%s", prefix, code);
    if (!health_word(key, 0) || !health_word(key, 1)) fail_msg("no words for %s", key);
}

/* 1 when every {placeholder} of `a` also appears in `b`. */
static int placeholders_in(const char *a, const char *b)
{
    for (const char *p = strchr(a, '{'); p; p = strchr(p + 1, '{')) {
        const char *close = strchr(p, '}');
        char name[32];
        if (!close || close - p >= (long)sizeof name) return 0;
        snprintf(name, sizeof name, "%.*s", (int)(close - p + 1), p);
        if (!strstr(b, name)) return 0;
    }
    return 1;
}

static void every_entry_is_complete_unique_and_free_of_codes(void **state)
{
    (void)state;
    int n = health_words_count();
    assert_true(n > 100);
    for (int i = 0; i < n; i++) {
        const char *key, *zh, *en;
        health_words_entry(i, &key, &zh, &en);
        assert_non_null(key);
        if (!zh || !*zh || !en || !*en) fail_msg("%s: a language is missing", key);
        for (int j = 0; j < i; j++) {
            const char *other, *z, *e;
            health_words_entry(j, &other, &z, &e);
            if (!strcmp(key, other)) fail_msg("%s twice", key);
        }
        /* A code is snake_case: no resident text has an underscore. */
        if (strchr(zh, '_') || strchr(en, '_')) fail_msg("%s: a code in the text", key);
        if (!placeholders_in(zh, en) || !placeholders_in(en, zh))
            fail_msg("%s: zh and en fill different values", key);
    }
}

static void every_programme_and_result_has_words(void **state)
{
    (void)state;
    static const char *const PROGRAMMES[] = {"hypertension", "diabetes", "smd",   "tb",
                                             "copd",         "elderly",  "child", "maternal"};
    for (size_t i = 0; i < sizeof PROGRAMMES / sizeof PROGRAMMES[0]; i++)
        assert_words("programme", PROGRAMMES[i]);
    for (int p = PROGRAM_HYPERTENSION; p <= PROGRAM_MATERNAL; p++)
        assert_words("visit", protocol_program_name((enum protocol_program)p));
    static const char *const CHRONIC[] = {"continue",   "adjust_high", "adjust",
                                          "refer_high", "refer",       "urgent_refer"};
    for (size_t i = 0; i < sizeof CHRONIC / sizeof CHRONIC[0]; i++) {
        assert_words("result.hypertension", CHRONIC[i]);
        assert_words("result.diabetes", CHRONIC[i]);
    }
    static const char *const SMD[] = {"continue", "adjust", "refer", "urgent_refer"};
    for (size_t i = 0; i < sizeof SMD / sizeof SMD[0]; i++)
        assert_words("result.smd", SMD[i]);
    static const enum risk_color ELDERLY[] = {COLOR_GREEN, COLOR_YELLOW, COLOR_RED};
    for (size_t i = 0; i < sizeof ELDERLY / sizeof ELDERLY[0]; i++)
        assert_words("result.elderly", risk_color_name(ELDERLY[i]));
    for (int c = COLOR_GREEN; c <= COLOR_PURPLE; c++)
        assert_words("result.maternal", risk_color_name((enum risk_color)c));
    assert_words("result.child", "done");
    assert_words("result.elderly", "done");
    assert_words("result.maternal", "done");
}

static void every_reading_exam_task_and_schedule_code_has_words(void **state)
{
    (void)state;
    for (int v = VERDICT_NORMAL; v <= VERDICT_VERY_LOW; v++) {
        const char *name = reading_verdict_name((enum reading_verdict)v);
        if (v != VERDICT_VERY_LOW) assert_words("bp", name);
        if (v != VERDICT_LOW) assert_words("glucose", name);
    }
    assert_words("bp", "controlled");
    assert_words("glucose", "controlled");
    for (int a = 0; a < EXAM_ABNORMAL_COUNT; a++)
        assert_words("exam", exam_abnormal_code((enum exam_abnormal)a));
    static const char *const TASKS[] = {"exam_abnormal",    "exam_review", "device_warning",
                                        "referral_confirm", "renewal",     "other"};
    for (size_t i = 0; i < sizeof TASKS / sizeof TASKS[0]; i++)
        assert_words("task", TASKS[i]);
    static const char *const WHEN[] = {"upcoming", "due", "late"};
    for (size_t i = 0; i < sizeof WHEN / sizeof WHEN[0]; i++)
        assert_words("due", WHEN[i]);
    struct protocol_config c = protocol_config_default();
    struct schedule_point points[SCHEDULE_MAX_POINTS];
    int n = child_schedule(D("2024-01-10"), NULL, NULL, 0, D("2026-06-01"), &c, points);
    for (int i = 0; i < n; i++)
        assert_words("point", points[i].point);
    struct date delivery = D("2025-10-20");
    n = maternal_schedule(D("2025-01-10"), &delivery, NULL, NULL, 0, D("2026-06-01"), &c, points);
    assert_int_equal(n, 7);
    for (int i = 0; i < n; i++)
        assert_words("point", points[i].point);
    for (int s = POINT_DONE; s <= POINT_MISSED; s++)
        assert_words("point", point_status_name((enum point_status)s));
    assert_words("schedule", "child");
    assert_words("schedule", "maternal");
}

static void placeholders_are_filled_in_either_language(void **state)
{
    (void)state;
    json_t *zh = health_words_json(0, "due.upcoming", NULL, "what", "高血压随访", "date",
                                   "2027-01-10", NULL);
    json_t *en = health_words_json(1, "due.late", NULL, "what", "Blood pressure check-up", "date",
                                   "2027-01-10", NULL);
    assert_string_equal(json_string_value(zh), "下次高血压随访：2027-01-10 前");
    assert_string_equal(json_string_value(en),
                        "Blood pressure check-up: overdue (was due by 2027-01-10), please contact "
                        "your family doctor soon");
    json_decref(zh);
    json_decref(en);
    /* An unknown key takes the fallback's words; a missing value leaves its placeholder. */
    json_t *other = health_words_json(0, "programme.asthma", "programme.other", NULL);
    assert_string_equal(json_string_value(other), "健康管理");
    json_decref(other);
    json_t *partial = health_words_json(1, "exam.some", NULL, NULL);
    assert_string_equal(json_string_value(partial), "{n} results need attention");
    json_decref(partial);
    assert_null(health_words_json(0, "no.such", "nor.this", NULL));
    assert_null(health_word("no.such", 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_entry_is_complete_unique_and_free_of_codes),
        cmocka_unit_test(every_programme_and_result_has_words),
        cmocka_unit_test(every_reading_exam_task_and_schedule_code_has_words),
        cmocka_unit_test(placeholders_are_filled_in_either_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
