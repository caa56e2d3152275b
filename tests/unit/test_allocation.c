/* Unit tests: the team's income shared among its members (issue 19): exact to the fen, the
 * largest remainders first, ties to the earlier member, seed 004's 80 yuan, bad arguments. */
#include "test.h"

#include "domain/allocation.h"

static int64_t sum(const int64_t *a, int n)
{
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    return s;
}

static void exact_to_the_fen(void **state)
{
    (void)state;
    int64_t out[4];
    const int64_t equal[3] = {1, 1, 1};
    assert_int_equal(allocation_split(10000, equal, 3, out), 0); /* 100 yuan in three */
    assert_int_equal(out[0], 3334);
    assert_int_equal(out[1], 3333);
    assert_int_equal(out[2], 3333);
    /* Seed 004: the team lead shares the team's 80 yuan of a contract 5 : 3 : 2. */
    const int64_t weighted[3] = {5, 3, 2};
    assert_int_equal(allocation_split(8000, weighted, 3, out), 0);
    assert_int_equal(out[0], 4000);
    assert_int_equal(out[1], 2400);
    assert_int_equal(out[2], 1600);
    /* Remainders: 1001 fen by 1:1:1:4 -> 143, 143, 143, 572 (+0), largest remainders first. */
    const int64_t uneven[4] = {1, 1, 1, 4};
    assert_int_equal(allocation_split(1001, uneven, 4, out), 0);
    assert_int_equal(sum(out, 4), 1001);
    assert_int_equal(out[3], 572);
    const int64_t thirds[4] = {2, 2, 2, 0};
    assert_int_equal(allocation_split(1000, thirds, 4, out), 0);
    assert_int_equal(out[0], 334);
    assert_int_equal(out[3], 0);
    assert_int_equal(sum(out, 4), 1000);
}

static void many_pools_always_add_up(void **state)
{
    (void)state;
    const int64_t weights[7] = {13, 7, 7, 1, 999, 0, 250};
    int64_t out[7];
    for (int64_t pool = 0; pool < 20000; pool += 37) {
        assert_int_equal(allocation_split(pool, weights, 7, out), 0);
        assert_int_equal(sum(out, 7), pool);
        assert_int_equal(out[5], 0);
    }
    assert_int_equal(allocation_split(ALLOCATION_MAX_POOL_FEN, weights, 7, out), 0);
    assert_int_equal(sum(out, 7), ALLOCATION_MAX_POOL_FEN);
}

static void bad_arguments(void **state)
{
    (void)state;
    int64_t out[2];
    const int64_t zero[2] = {0, 0}, negative[2] = {1, -1}, big[2] = {1, ALLOCATION_MAX_WEIGHT + 1},
                  one[2] = {1, 1};
    assert_int_equal(allocation_split(100, zero, 2, out), -1);
    assert_int_equal(allocation_split(100, negative, 2, out), -1);
    assert_int_equal(allocation_split(100, big, 2, out), -1);
    assert_int_equal(allocation_split(-1, one, 2, out), -1);
    assert_int_equal(allocation_split(100, one, 0, out), -1);
    const int64_t hand[3] = {4000, 2400, 1600}, off[3] = {4000, 2400, 1599}, neg[3] = {8001, -1, 0};
    assert_true(allocation_adds_up(8000, hand, 3));
    assert_false(allocation_adds_up(8000, off, 3));
    assert_false(allocation_adds_up(8000, neg, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_to_the_fen),
        cmocka_unit_test(many_pools_always_add_up),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
