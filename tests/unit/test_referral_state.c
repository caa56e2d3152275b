/* Unit tests: the referral state machine (domain/referral_state.c, docs/hospital-loop.md
 * "Referrals") - every (state, transition) pair, for an up- and a down-referral, row by row:
 * who may make it and the state it leads to. */
#include "test.h"

#include <string.h>

#include "domain/referral_state.h"

#define N 0 /* no such transition */
#define S RSIDE_SENDER
#define R RSIDE_RECEIVER
#define E (RSIDE_SENDER | RSIDE_RECEIVER)

/* One row per (state, transition): who may, for an up- and a down-referral, and where to. */
struct row {
    enum referral_status from;
    enum referral_transition t;
    int up, down;
    enum referral_status to;
};
static const struct row ROWS[] = {
    {RS_REQUESTED, RT_ACCEPT, R, R, RS_ACCEPTED},
    {RS_REQUESTED, RT_DECLINE, R, R, RS_DECLINED},
    {RS_REQUESTED, RT_SEE, E, E, RS_SEEN}, /* a walk-in: seen without being accepted */
    {RS_REQUESTED, RT_RETURN, N, N, 0},
    {RS_REQUESTED, RT_CLOSE, N, N, 0},
    {RS_REQUESTED, RT_CANCEL, S, S, RS_CANCELLED},
    {RS_ACCEPTED, RT_ACCEPT, N, N, 0},
    {RS_ACCEPTED, RT_DECLINE, N, N, 0},
    {RS_ACCEPTED, RT_SEE, E, E, RS_SEEN},
    {RS_ACCEPTED, RT_RETURN, N, N, 0},
    {RS_ACCEPTED, RT_CLOSE, N, N, 0},
    {RS_ACCEPTED, RT_CANCEL, S, S, RS_CANCELLED},
    {RS_DECLINED, RT_ACCEPT, N, N, 0},
    {RS_DECLINED, RT_DECLINE, N, N, 0},
    {RS_DECLINED, RT_SEE, N, N, 0},
    {RS_DECLINED, RT_RETURN, N, N, 0},
    {RS_DECLINED, RT_CLOSE, N, N, 0},
    {RS_DECLINED, RT_CANCEL, N, N, 0},
    {RS_SEEN, RT_ACCEPT, N, N, 0},
    {RS_SEEN, RT_DECLINE, N, N, 0},
    {RS_SEEN, RT_SEE, N, N, 0},
    {RS_SEEN, RT_RETURN, R, N, RS_RETURNED}, /* only an up-referral comes back down */
    {RS_SEEN, RT_CLOSE, E, E, RS_CLOSED},
    {RS_SEEN, RT_CANCEL, N, N, 0},
    {RS_RETURNED, RT_ACCEPT, N, N, 0},
    {RS_RETURNED, RT_DECLINE, N, N, 0},
    {RS_RETURNED, RT_SEE, N, N, 0},
    {RS_RETURNED, RT_RETURN, N, N, 0},
    {RS_RETURNED, RT_CLOSE, S, S, RS_CLOSED}, /* the family doctor took the return */
    {RS_RETURNED, RT_CANCEL, N, N, 0},
    {RS_CLOSED, RT_ACCEPT, N, N, 0},
    {RS_CLOSED, RT_DECLINE, N, N, 0},
    {RS_CLOSED, RT_SEE, N, N, 0},
    {RS_CLOSED, RT_RETURN, N, N, 0},
    {RS_CLOSED, RT_CLOSE, N, N, 0},
    {RS_CLOSED, RT_CANCEL, N, N, 0},
    {RS_CANCELLED, RT_ACCEPT, N, N, 0},
    {RS_CANCELLED, RT_DECLINE, N, N, 0},
    {RS_CANCELLED, RT_SEE, N, N, 0},
    {RS_CANCELLED, RT_RETURN, N, N, 0},
    {RS_CANCELLED, RT_CLOSE, N, N, 0},
    {RS_CANCELLED, RT_CANCEL, N, N, 0},
};

static void every_pair_is_in_the_table_once(void **state)
{
    (void)state;
    int seen[RS_COUNT][RT_COUNT];
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        seen[ROWS[i].from][ROWS[i].t]++;
    for (int s = 0; s < RS_COUNT; s++)
        for (int t = 0; t < RT_COUNT; t++)
            assert_int_equal(seen[s][t], 1);
}

static void check_one(const struct row *row, int up, int who)
{
    assert_int_equal(referral_transition_who(row->from, row->t, up), who);
    static const int SIDES[] = {0, RSIDE_SENDER, RSIDE_RECEIVER, RSIDE_SENDER | RSIDE_RECEIVER};
    for (size_t k = 0; k < 4; k++) {
        enum referral_status to = RS_COUNT;
        enum referral_verdict v = referral_transition_check(row->from, row->t, up, SIDES[k], &to);
        if (!who) {
            assert_int_equal(v, RV_ILLEGAL);
            assert_int_equal(to, RS_COUNT); /* untouched */
        } else if (!(who & SIDES[k])) {
            assert_int_equal(v, RV_WRONG_END);
        } else {
            assert_int_equal(v, RV_OK);
            assert_int_equal(to, row->to);
        }
    }
}

static void each_pair_row_by_row(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        check_one(&ROWS[i], 1, ROWS[i].up);
        check_one(&ROWS[i], 0, ROWS[i].down);
    }
}

static void final_states_allow_nothing(void **state)
{
    (void)state;
    static const enum referral_status FINAL[] = {RS_DECLINED, RS_CLOSED, RS_CANCELLED};
    for (size_t i = 0; i < 3; i++)
        for (int t = 0; t < RT_COUNT; t++) {
            assert_int_equal(referral_transition_who(FINAL[i], t, 1), 0);
            assert_int_equal(referral_transition_who(FINAL[i], t, 0), 0);
        }
}

static void the_ends_follow_the_direction(void **state)
{
    (void)state;
    /* up: the family-doctor side sends, the hospital it names receives */
    assert_int_equal(referral_sides(1, 1, 0, 0), RSIDE_SENDER);
    assert_int_equal(referral_sides(1, 0, 1, 0), RSIDE_RECEIVER);
    assert_int_equal(referral_sides(1, 0, 0, 1),
                     0); /* a desk at the sender of an up-referral? none */
    /* down: the hospital sends, the family-doctor side receives */
    assert_int_equal(referral_sides(0, 0, 0, 1), RSIDE_SENDER);
    assert_int_equal(referral_sides(0, 1, 0, 0), RSIDE_RECEIVER);
    assert_int_equal(referral_sides(0, 0, 1, 0), 0);
    assert_int_equal(referral_sides(0, 1, 0, 1), RSIDE_SENDER | RSIDE_RECEIVER);
    assert_int_equal(referral_sides(1, 0, 0, 0), 0);
}

static void names_and_categories(void **state)
{
    (void)state;
    for (int s = 0; s < RS_COUNT; s++)
        assert_int_equal(referral_status_parse(referral_status_name(s)), s);
    for (int t = 0; t < RT_COUNT; t++)
        assert_int_equal(referral_transition_parse(referral_transition_name(t)), t);
    assert_int_equal(referral_status_parse("lost"), -1);
    assert_int_equal(referral_transition_parse(NULL), -1);
    assert_null(referral_status_name(RS_COUNT));
    assert_string_equal(referral_status_name(RS_RETURNED), "returned");
    assert_string_equal(referral_transition_name(RT_SEE), "seen");
    assert_true(referral_category_valid("imaging", 1));
    assert_true(referral_category_valid("emergency", 1));
    assert_false(referral_category_valid("imaging", 0));
    assert_true(referral_category_valid("continue_prescription", 0));
    assert_false(referral_category_valid("rehabilitation", 1));
    assert_false(referral_category_valid(NULL, 1));
    assert_false(referral_category_valid("x", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_pair_is_in_the_table_once),
        cmocka_unit_test(each_pair_row_by_row),
        cmocka_unit_test(final_states_allow_nothing),
        cmocka_unit_test(the_ends_follow_the_direction),
        cmocka_unit_test(names_and_categories),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
