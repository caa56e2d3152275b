/* Unit tests: health points (domain/points.c) - the rule table, the amount an event earns,
 * and when a redemption is refused. */
#include "test.h"

#include <string.h>

#include "domain/points.h"

static void defaults_match_migration_029(void **state)
{
    (void)state;
    struct points_rules rules;
    points_rules_default(&rules);
    static const struct {
        const char *event;
        int points;
    } ROWS[] = {{"exam_done", 50},
                {"followup_attended", 10},
                {"vaccination", 20},
                {"content_read", 2},
                {"group_activity", 10}};
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        assert_int_equal(points_award_amount(&rules, ROWS[i].event), ROWS[i].points);
}

static void events_have_stored_names(void **state)
{
    (void)state;
    for (int e = 0; e < POINTS_EVENT_COUNT; e++)
        assert_int_equal(points_event_parse(points_event_name((enum points_event)e)), e);
    assert_int_equal(points_event_parse("login"), -1);
    assert_int_equal(points_event_parse(NULL), -1);
    assert_string_equal(points_event_name(POINTS_EVENT_COUNT), "?");
}

static void an_unknown_event_earns_nothing(void **state)
{
    (void)state;
    struct points_rules rules;
    points_rules_default(&rules);
    assert_int_equal(points_award_amount(&rules, "redemption"), 0);
    assert_int_equal(points_award_amount(&rules, NULL), 0);
}

static void a_rule_is_set_within_range_and_zero_turns_it_off(void **state)
{
    (void)state;
    struct points_rules rules;
    struct jy_error err;
    points_rules_default(&rules);
    assert_int_equal(
        points_rule_set(&rules, "content_read", 5, "items[0].event", "items[0].points", &err), 0);
    assert_int_equal(points_award_amount(&rules, "content_read"), 5);
    assert_int_equal(points_rule_set(&rules, "vaccination", 0, "e", "p", &err), 0);
    assert_int_equal(points_award_amount(&rules, "vaccination"), 0);
    assert_int_equal(points_rule_set(&rules, "exam_done", POINTS_MAX_AWARD, "e", "p", &err), 0);
}

static void a_bad_rule_names_its_field(void **state)
{
    (void)state;
    struct points_rules rules;
    struct jy_error err;
    points_rules_default(&rules);
    assert_int_equal(
        points_rule_set(&rules, "jogging", 5, "items[1].event", "items[1].points", &err), -1);
    assert_int_equal(err.status, 422);
    assert_string_equal(err.field, "items[1].event");
    assert_int_equal(
        points_rule_set(&rules, "exam_done", -1, "items[2].event", "items[2].points", &err), -1);
    assert_string_equal(err.field, "items[2].points");
    assert_int_equal(points_rule_set(&rules, "exam_done", POINTS_MAX_AWARD + 1, "e", "p", &err),
                     -1);
    assert_string_equal(err.field, "p");
    assert_int_equal(points_award_amount(&rules, "exam_done"), 50); /* unchanged */
}

static void a_redemption_takes_only_what_suffices(void **state)
{
    (void)state;
    static const struct {
        int64_t balance, cost, stock;
        const char *refusal;
    } ROWS[] = {
        {100, 100, 1, NULL}, /* exactly enough, the last one */
        {300, 100, 5, NULL},
        {99, 100, 5, "insufficient_points"},
        {0, 1, 5, "insufficient_points"},
        {500, 100, 0, "out_of_stock"},
        {0, 100, 0, "out_of_stock"}, /* no stock: said first */
        {500, 100, -1, "out_of_stock"},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const char *got = points_redemption_refusal(ROWS[i].balance, ROWS[i].cost, ROWS[i].stock);
        if (!ROWS[i].refusal)
            assert_null(got);
        else
            assert_string_equal(got, ROWS[i].refusal);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_match_migration_029),
        cmocka_unit_test(events_have_stored_names),
        cmocka_unit_test(an_unknown_event_earns_nothing),
        cmocka_unit_test(a_rule_is_set_within_range_and_zero_turns_it_off),
        cmocka_unit_test(a_bad_rule_names_its_field),
        cmocka_unit_test(a_redemption_takes_only_what_suffices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
