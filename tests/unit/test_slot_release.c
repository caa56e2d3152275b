/* Unit tests: the release rules of specialist slots (domain/slot_release.c), each seed row by
 * row, and the edges: a share of 0 and 100, rounding, equal lead days, a family-doctor slot
 * still free when the public's window opens. */
#include "test.h"

#include "domain/slot_release.h"

static const struct release_rule SHANGHAI = {50, 21, 14}, CHANGNING = {20, 14, 7},
                                 HANGZHOU = {30, 14, 7}, XIAMEN = {30, 10, 7};

/* Who may book a slot of `day` on `today`: "F" family doctors, "P" the public, "-" nobody;
 * family slot first, then public slot, e.g. "FP/PP". */
static void assert_window(const struct release_rule *rule, const char *today, const char *day,
                          const char *expected)
{
    char got[6];
    int k = 0;
    for (int family_slot = 1; family_slot >= 0; family_slot--) {
        int f = slot_release_bookable(rule, family_slot, AUDIENCE_FAMILY_DOCTORS, D(day), D(today));
        int p = slot_release_bookable(rule, family_slot, AUDIENCE_PUBLIC, D(day), D(today));
        got[k++] = f ? 'F' : '-';
        got[k++] = p ? 'P' : '-';
        if (family_slot) got[k++] = '/';
    }
    got[k] = '\0';
    assert_string_equal(got, expected);
}

static void shanghai_keeps_half_for_family_doctors_fifty_percent_earlier(void **state)
{
    (void)state;
    assert_int_equal(slot_release_family_count(16, SHANGHAI.family_share), 8);
    /* Every other slot of a session of eight: 1, 3, 5, 7. */
    static const int FAMILY[8] = {0, 1, 0, 1, 0, 1, 0, 1};
    for (int i = 0; i < 8; i++) assert_int_equal(slot_release_is_family(i, 8, 50), FAMILY[i]);
    /* Slot day 2026-03-30: family doctors from 03-09 (21 days), the public from 03-16 (14). */
    assert_date(slot_release_opens(&SHANGHAI, 1, AUDIENCE_FAMILY_DOCTORS, D("2026-03-30")), "2026-03-09");
    assert_date(slot_release_opens(&SHANGHAI, 1, AUDIENCE_PUBLIC, D("2026-03-30")), "2026-03-16");
    assert_date(slot_release_opens(&SHANGHAI, 0, AUDIENCE_FAMILY_DOCTORS, D("2026-03-30")), "2026-03-16");
    assert_window(&SHANGHAI, "2026-03-08", "2026-03-30", "--/--");
    assert_window(&SHANGHAI, "2026-03-09", "2026-03-30", "F-/--");
    assert_window(&SHANGHAI, "2026-03-15", "2026-03-30", "F-/--");
    assert_window(&SHANGHAI, "2026-03-16", "2026-03-30", "FP/FP");
    assert_window(&SHANGHAI, "2026-03-30", "2026-03-30", "FP/FP");
    assert_window(&SHANGHAI, "2026-03-31", "2026-03-30", "--/--"); /* the day has passed */
}

static void changning_keeps_a_fifth_one_week_ahead_of_the_public(void **state)
{
    (void)state;
    assert_int_equal(slot_release_family_count(10, CHANGNING.family_share), 2);
    assert_int_equal(slot_release_family_count(16, CHANGNING.family_share), 3); /* 3.2 */
    int n = 0;
    for (int i = 0; i < 10; i++) n += slot_release_is_family(i, 10, 20);
    assert_int_equal(n, 2);
    assert_int_equal(slot_release_is_family(4, 10, 20), 1);
    assert_int_equal(slot_release_is_family(9, 10, 20), 1);
    assert_window(&CHANGNING, "2026-05-03", "2026-05-18", "--/--");
    assert_window(&CHANGNING, "2026-05-04", "2026-05-18", "F-/--");
    assert_window(&CHANGNING, "2026-05-11", "2026-05-18", "FP/FP");
}

static void hangzhou_keeps_a_fixed_pool_two_weeks_ahead(void **state)
{
    (void)state;
    /* The pool is the same part of every session of the same length. */
    for (int session = 0; session < 3; session++) {
        int n = 0;
        for (int i = 0; i < 16; i++) n += slot_release_is_family(i, 16, HANGZHOU.family_share);
        assert_int_equal(n, 5); /* 4.8 */
    }
    assert_window(&HANGZHOU, "2026-06-01", "2026-06-15", "F-/--");
    assert_window(&HANGZHOU, "2026-05-31", "2026-06-15", "--/--");
    assert_window(&HANGZHOU, "2026-06-08", "2026-06-15", "FP/FP");
}

static void xiamen_opens_three_days_earlier(void **state)
{
    (void)state;
    assert_window(&XIAMEN, "2026-07-10", "2026-07-20", "F-/--");
    assert_window(&XIAMEN, "2026-07-09", "2026-07-20", "--/--");
    assert_window(&XIAMEN, "2026-07-12", "2026-07-20", "F-/--");
    assert_window(&XIAMEN, "2026-07-13", "2026-07-20", "FP/FP");
    /* Across a month's end. */
    assert_date(slot_release_opens(&XIAMEN, 1, AUDIENCE_FAMILY_DOCTORS, D("2026-03-02")), "2026-02-20");
}

static void a_share_of_zero_keeps_nothing_and_of_one_hundred_keeps_all(void **state)
{
    (void)state;
    for (int i = 0; i < 12; i++) {
        assert_int_equal(slot_release_is_family(i, 12, 0), 0);
        assert_int_equal(slot_release_is_family(i, 12, 100), 1);
    }
    assert_int_equal(slot_release_family_count(12, 0), 0);
    assert_int_equal(slot_release_family_count(12, 100), 12);
    assert_int_equal(slot_release_family_count(0, 50), 0);
    assert_int_equal(slot_release_is_family(12, 12, 100), 0); /* out of the session */
    assert_int_equal(slot_release_is_family(-1, 12, 100), 0);
}

static void shares_round_half_up(void **state)
{
    (void)state;
    static const struct {
        int n, share, expected;
    } ROWS[] = {{1, 50, 1}, {1, 49, 0}, {3, 50, 2}, {5, 50, 3}, {5, 10, 1}, {4, 12, 0},
                {4, 13, 1}, {7, 20, 1}, {8, 20, 2}, {3, 33, 1}, {3, 34, 1}, {20, 99, 20}};
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        assert_int_equal(slot_release_family_count(ROWS[i].n, ROWS[i].share), ROWS[i].expected);
        int n = 0;
        for (int k = 0; k < ROWS[i].n; k++) n += slot_release_is_family(k, ROWS[i].n, ROWS[i].share);
        assert_int_equal(n, ROWS[i].expected);
    }
}

static void equal_lead_days_open_both_sides_on_the_same_day(void **state)
{
    (void)state;
    const struct release_rule same = {50, 7, 7};
    assert_null(slot_release_rule_invalid(&same));
    assert_window(&same, "2026-04-02", "2026-04-10", "--/--");
    assert_window(&same, "2026-04-03", "2026-04-10", "FP/FP");
    const struct release_rule now = {50, 0, 0};
    assert_window(&now, "2026-04-09", "2026-04-10", "--/--");
    assert_window(&now, "2026-04-10", "2026-04-10", "FP/FP");
}

static void a_free_family_slot_is_open_to_all_once_the_public_window_opens(void **state)
{
    (void)state;
    /* Before the public's day only family doctors; from it the public too, the slot still
     * the family doctors' (released_to does not change, only who may book it). */
    assert_int_equal(slot_release_bookable(&SHANGHAI, 1, AUDIENCE_PUBLIC, D("2026-03-30"), D("2026-03-15")), 0);
    assert_int_equal(slot_release_bookable(&SHANGHAI, 1, AUDIENCE_PUBLIC, D("2026-03-30"), D("2026-03-16")), 1);
}

static void rules_outside_their_ranges_name_the_field(void **state)
{
    (void)state;
    static const struct {
        struct release_rule rule;
        const char *field;
    } ROWS[] = {{{-1, 14, 7}, "family_share"},    {{101, 14, 7}, "family_share"},
                {{50, 14, -1}, "public_lead_days"}, {{50, 14, 366}, "public_lead_days"},
                {{50, 6, 7}, "family_lead_days"},   {{50, 366, 7}, "family_lead_days"},
                {{0, 0, 0}, NULL},                  {{100, 365, 365}, NULL}};
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const char *field = slot_release_rule_invalid(&ROWS[i].rule);
        if (ROWS[i].field) assert_string_equal(field, ROWS[i].field);
        else assert_null(field);
    }
    assert_null(slot_release_rule_invalid(&SHANGHAI));
    assert_null(slot_release_rule_invalid(&CHANGNING));
    assert_null(slot_release_rule_invalid(&HANGZHOU));
    assert_null(slot_release_rule_invalid(&XIAMEN));
    assert_null(slot_release_rule_invalid(&SLOT_RELEASE_DEFAULT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shanghai_keeps_half_for_family_doctors_fifty_percent_earlier),
        cmocka_unit_test(changning_keeps_a_fifth_one_week_ahead_of_the_public),
        cmocka_unit_test(hangzhou_keeps_a_fixed_pool_two_weeks_ahead),
        cmocka_unit_test(xiamen_opens_three_days_earlier),
        cmocka_unit_test(a_share_of_zero_keeps_nothing_and_of_one_hundred_keeps_all),
        cmocka_unit_test(shares_round_half_up),
        cmocka_unit_test(equal_lead_days_open_both_sides_on_the_same_day),
        cmocka_unit_test(a_free_family_slot_is_open_to_all_once_the_public_window_opens),
        cmocka_unit_test(rules_outside_their_ranges_name_the_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
