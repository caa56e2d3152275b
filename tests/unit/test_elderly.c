/* Unit tests: domain/elderly.c, the annual assessment of the elderly (PROTOCOLS.md §5):
 * self-care points and levels, colours, configurable thresholds. */
#include "test.h"

#include <string.h>

#include "domain/elderly.h"
#include "domain/protocol_config.h"

static struct elderly_result assess(int eating, int grooming, int dressing, int toileting,
                                    int activity, int chronic, int uncontrolled, int emergency)
{
    struct elderly_assessment a = {D("2026-11-30"),
                                   {eating, grooming, dressing, toileting, activity},
                                   chronic,
                                   uncontrolled,
                                   emergency};
    struct protocol_config c = protocol_config_default();
    struct elderly_result r;
    elderly_evaluate(&a, &c, &r);
    return r;
}

static void self_care_points_per_answer(void **state)
{
    (void)state;
    static const int EXPECTED[5][4] = {
        {0, 0, 3, 5}, {0, 1, 3, 7}, {0, 0, 3, 5}, {0, 1, 5, 10}, {0, 1, 5, 10}};
    for (int item = 0; item < SELF_CARE_ITEMS; item++)
        for (int answer = 0; answer < 4; answer++)
            assert_int_equal(self_care_points((enum self_care_item)item, answer),
                             EXPECTED[item][answer]);
    assert_int_equal(assess(3, 3, 3, 3, 3, 0, 0, 0).self_care_score, 37);
}

static void self_care_levels_at_3_4_8_9_18_19(void **state)
{
    (void)state;
    struct elderly_result r;
    r = assess(2, 0, 0, 0, 0, 0, 0, 0); /* 3 */
    assert_int_equal(r.self_care_score, 3);
    assert_string_equal(self_care_level_name(r.level), "independent");
    assert_string_equal(risk_color_name(r.color), "green");
    assert_date(r.next_due, "2027-11-30");
    r = assess(2, 1, 0, 0, 0, 0, 0, 0); /* 4 */
    assert_int_equal(r.self_care_score, 4);
    assert_string_equal(self_care_level_name(r.level), "mild");
    assert_string_equal(risk_color_name(r.color), "yellow");
    assert_date(r.next_due, "2027-02-28");
    r = assess(3, 2, 0, 0, 0, 0, 0, 0); /* 5 + 3 = 8 */
    assert_int_equal(r.self_care_score, 8);
    assert_string_equal(self_care_level_name(r.level), "mild");
    assert_string_equal(risk_color_name(r.color), "yellow");
    r = assess(2, 1, 0, 2, 0, 0, 0, 0); /* 3 + 1 + 5 = 9 */
    assert_int_equal(r.self_care_score, 9);
    assert_string_equal(self_care_level_name(r.level), "moderate");
    assert_string_equal(risk_color_name(r.color), "red");
    assert_date(r.next_due, "2026-12-30");
    r = assess(3, 3, 3, 1, 0, 0, 0, 0); /* 5 + 7 + 5 + 1 = 18 */
    assert_int_equal(r.self_care_score, 18);
    assert_string_equal(self_care_level_name(r.level), "moderate");
    r = assess(3, 3, 3, 1, 1, 0, 0, 0); /* 19 */
    assert_int_equal(r.self_care_score, 19);
    assert_string_equal(self_care_level_name(r.level), "unable");
    assert_string_equal(risk_color_name(r.color), "red");
}

static void elderly_colours_from_programs_and_emergencies(void **state)
{
    (void)state;
    assert_string_equal(risk_color_name(assess(0, 0, 0, 0, 0, 1, 0, 0).color),
                        "yellow"); /* any chronic program */
    assert_string_equal(risk_color_name(assess(0, 0, 0, 0, 0, 2, 1, 0).color),
                        "yellow"); /* one uncontrolled */
    assert_string_equal(risk_color_name(assess(0, 0, 0, 0, 0, 2, 2, 0).color),
                        "red"); /* two uncontrolled */
    assert_string_equal(risk_color_name(assess(0, 0, 0, 0, 0, 0, 0, 1).color),
                        "red"); /* a recent emergency */
    assert_string_equal(risk_color_name(assess(0, 0, 0, 0, 0, 0, 0, 0).color), "green");
}

static void elderly_thresholds_are_configurable(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    c.elderly_red_self_care = 19;
    c.elderly_green_months = 6;
    struct elderly_assessment a = {D("2026-01-31"), {2, 1, 0, 2, 0}, 0, 0, 0}; /* 9 */
    struct elderly_result r;
    elderly_evaluate(&a, &c, &r);
    assert_string_equal(risk_color_name(r.color), "yellow");
    struct elderly_assessment g = {D("2026-01-31"), {0, 0, 0, 0, 0}, 0, 0, 0};
    elderly_evaluate(&g, &c, &r);
    assert_date(r.next_due, "2026-07-31");
    const char *bad = NULL;
    assert_int_equal(protocol_config_check(&c, &bad), 0);
    c.elderly_yellow_self_care = 20;
    assert_int_equal(protocol_config_check(&c, &bad), -1);
    assert_string_equal(bad, "elderly_yellow_self_care");
    c = protocol_config_default();
    c.child_month1_from = 45;
    assert_int_equal(protocol_config_check(&c, &bad), -1);
    c = protocol_config_default();
    *protocol_config_field(&c, protocol_setting_find("child_newborn_days")) = 0;
    assert_int_equal(protocol_config_check(&c, &bad), -1);
    assert_string_equal(bad, "child_newborn_days");
    assert_null(protocol_setting_find("nope"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(self_care_points_per_answer),
        cmocka_unit_test(self_care_levels_at_3_4_8_9_18_19),
        cmocka_unit_test(elderly_colours_from_programs_and_emergencies),
        cmocka_unit_test(elderly_thresholds_are_configurable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
