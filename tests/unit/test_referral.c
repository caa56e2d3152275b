/* Unit tests: the referrals a result calls for (domain/referral.c) - a follow-up's refer
 * and urgent_refer (PROTOCOLS.md §3, §4, §8) and each pregnancy risk colour's management
 * (§7), row by row, with the [jiayi] confirm windows as settings. */
#include "test.h"

#include "domain/referral.h"

static void refer_and_urgent_refer_refer_nothing_else_does(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct referral_plan p;
    assert_int_equal(referral_for_followup(ACTION_CONTINUE, CLASS_CONTROLLED, &c, &p), 0);
    assert_int_equal(
        referral_for_followup(ACTION_ADJUST_MEDICATION, CLASS_FIRST_UNCONTROLLED, &c, &p), 0);
    assert_int_equal(referral_for_followup(ACTION_REFER, CLASS_CONSECUTIVE_UNCONTROLLED, &c, &p),
                     1);
    assert_int_equal(p.target, TARGET_SECONDARY);
    assert_false(p.urgent);
    assert_int_equal(p.confirm_days, 7);
    assert_string_equal(p.reason, "consecutive_uncontrolled");
    assert_string_equal(p.category, "treatment_adjustment");
    assert_int_equal(referral_for_followup(ACTION_URGENT_REFER, CLASS_EMERGENCY, &c, &p), 1);
    assert_true(p.urgent);
    assert_int_equal(p.confirm_days, 0);
    assert_string_equal(p.reason, "emergency");
    assert_string_equal(p.category, "emergency");
    assert_int_equal(referral_for_followup(ACTION_URGENT_REFER, CLASS_UNSTABLE, &c, &p), 1);
    assert_string_equal(p.reason, "unstable");
    /* The windows are settings. */
    c.referral_confirm_days = 10;
    c.urgent_referral_confirm_days = 1;
    referral_for_followup(ACTION_REFER, CLASS_CONSECUTIVE_UNCONTROLLED, &c, &p);
    assert_int_equal(p.confirm_days, 10);
    referral_for_followup(ACTION_URGENT_REFER, CLASS_EMERGENCY, &c, &p);
    assert_int_equal(p.confirm_days, 1);
}

/* One row: the standing assessment, the new one, and the referrals expected. */
struct risk_row {
    enum risk_color before;
    int purple_before;
    enum risk_color now;
    int purple_now;
    int count;
    enum referral_target first;
    int first_urgent;
    const char *first_reason;
};

static void each_colour_calls_for_its_level_of_care(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    static const struct risk_row ROWS[] = {
        /* §7: green routine; yellow level-2; orange county critical-maternal centre; red
         * level 3 as soon as possible; purple infectious-disease care. */
        {COLOR_GREEN, 0, COLOR_GREEN, 0, 0, 0, 0, NULL},
        {COLOR_GREEN, 0, COLOR_YELLOW, 0, 1, TARGET_SECONDARY, 0, "pregnancy_yellow"},
        {COLOR_GREEN, 0, COLOR_ORANGE, 0, 1, TARGET_CRITICAL_MATERNAL, 0, "pregnancy_orange"},
        {COLOR_GREEN, 0, COLOR_RED, 0, 1, TARGET_TERTIARY, 1, "pregnancy_red"},
        {COLOR_GREEN, 0, COLOR_GREEN, 1, 1, TARGET_INFECTIOUS, 0, "pregnancy_purple"},
        /* A rise refers again to the new level; the same or a lower colour does not. */
        {COLOR_YELLOW, 0, COLOR_ORANGE, 0, 1, TARGET_CRITICAL_MATERNAL, 0, "pregnancy_orange"},
        {COLOR_ORANGE, 0, COLOR_RED, 0, 1, TARGET_TERTIARY, 1, "pregnancy_red"},
        {COLOR_ORANGE, 0, COLOR_ORANGE, 0, 0, 0, 0, NULL},
        {COLOR_RED, 0, COLOR_YELLOW, 0, 0, 0, 0, NULL},
        /* Purple newly present beside a colour: two referrals, the colour's first. */
        {COLOR_GREEN, 0, COLOR_ORANGE, 1, 2, TARGET_CRITICAL_MATERNAL, 0, "pregnancy_orange"},
        {COLOR_ORANGE, 1, COLOR_ORANGE, 1, 0, 0, 0, NULL},
        {COLOR_YELLOW, 1, COLOR_RED, 1, 1, TARGET_TERTIARY, 1, "pregnancy_red"},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const struct risk_row *r = &ROWS[i];
        struct referral_plan plans[2];
        int n =
            pregnancy_risk_referrals(r->before, r->purple_before, r->now, r->purple_now, &c, plans);
        assert_int_equal(n, r->count);
        if (!n) continue;
        assert_int_equal(plans[0].target, r->first);
        assert_int_equal(plans[0].urgent, r->first_urgent);
        assert_string_equal(plans[0].reason, r->first_reason);
        for (int k = 0; k < n; k++)
            assert_int_equal(plans[k].confirm_days, 3);
        for (int k = 0; k < n; k++)
            assert_string_equal(plans[k].category, "diagnosis");
        if (n == 2) assert_int_equal(plans[1].target, TARGET_INFECTIOUS);
    }
    c.pregnancy_risk_task_days = 1;
    struct referral_plan plans[2];
    pregnancy_risk_referrals(COLOR_GREEN, 0, COLOR_YELLOW, 0, &c, plans);
    assert_int_equal(plans[0].confirm_days, 1);
}

static void each_programme_goes_to_its_department(void **state)
{
    (void)state;
    static const char *const ROWS[][2] = {
        {"hypertension", "cardiology"}, {"diabetes", "endocrinology"}, {"smd", "psychiatry"},
        {"maternal", "obstetrics"},     {"child", "paediatrics"},      {"copd", "respiratory"},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        assert_string_equal(referral_department(ROWS[i][0]), ROWS[i][1]);
    assert_null(referral_department("elderly"));
    assert_null(referral_department("tb"));
    assert_null(referral_department(NULL));
}

static void orange_red_and_purple_go_on_the_county_report(void **state)
{
    (void)state;
    assert_false(pregnancy_risk_reportable(COLOR_GREEN, 0));
    assert_false(pregnancy_risk_reportable(COLOR_YELLOW, 0));
    assert_true(pregnancy_risk_reportable(COLOR_ORANGE, 0));
    assert_true(pregnancy_risk_reportable(COLOR_RED, 0));
    assert_true(pregnancy_risk_reportable(COLOR_GREEN, 1));
    assert_true(pregnancy_risk_reportable(COLOR_YELLOW, 1));
    assert_string_equal(referral_target_name(TARGET_CRITICAL_MATERNAL), "critical_maternal");
    assert_string_equal(referral_target_name(TARGET_TERTIARY), "tertiary");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refer_and_urgent_refer_refer_nothing_else_does),
        cmocka_unit_test(each_colour_calls_for_its_level_of_care),
        cmocka_unit_test(each_programme_goes_to_its_department),
        cmocka_unit_test(orange_red_and_purple_go_on_the_county_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
