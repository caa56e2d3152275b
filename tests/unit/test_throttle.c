/* Unit tests: the login throttle (auth/throttle.c) with a clock the test moves. */
#include <stdio.h>
#include <string.h>

#include "test.h"

#include "auth/throttle.h"

#define T0 1800000000

static int reset(void **state)
{
    (void)state;
    throttle_reset();
    return 0;
}

/* n attempts that fail, one after the other; returns how many were admitted. */
static int fail_times(const char *account, const char *address, int n, time_t now)
{
    int admitted = 0;
    for (int i = 0; i < n; i++) {
        struct throttle_ticket t;
        if (throttle_reserve(account, address, now, &t) < 0) continue;
        admitted++;
        throttle_settle(&t, THROTTLE_FAILED, now);
    }
    return admitted;
}

static int login_works(const char *account, const char *address, time_t now)
{
    struct throttle_ticket t;
    if (throttle_reserve(account, address, now, &t) < 0) return 0;
    throttle_settle(&t, THROTTLE_SUCCEEDED, now);
    return 1;
}

static void attempts_in_flight_count_against_the_limit(void **state)
{
    (void)state;
    struct throttle_ticket t[40];
    int admitted = 0;
    for (int i = 0; i < 40; i++)
        admitted += throttle_reserve("admin", "10.0.0.1", T0, &t[i]) == 0;
    assert_int_equal(admitted, THROTTLE_MAX_PER_USER);
    for (int i = 0; i < 40; i++)
        throttle_settle(&t[i], THROTTLE_FAILED, T0);
    assert_false(login_works("admin", "10.0.0.1", T0 + 1));
}

static void a_success_in_flight_gives_its_place_back(void **state)
{
    (void)state;
    struct throttle_ticket a, b;
    assert_int_equal(fail_times("doctor01", "10.0.0.1", 4, T0), 4);
    assert_int_equal(throttle_reserve("doctor01", "10.0.0.1", T0, &a), 0);
    assert_int_equal(throttle_reserve("doctor01", "10.0.0.1", T0, &b), -1); /* 4 + 1 in flight */
    throttle_settle(&a, THROTTLE_SUCCEEDED, T0);
    assert_int_equal(throttle_reserve("doctor01", "10.0.0.1", T0, &b), 0); /* cleared */
    throttle_settle(&b, THROTTLE_ABANDONED, T0);
}

static void the_lock_lasts_the_window_and_no_longer(void **state)
{
    (void)state;
    assert_int_equal(fail_times("doctor01", "10.0.0.1", 9, T0), THROTTLE_MAX_PER_USER);
    assert_false(login_works("doctor01", "10.0.0.1", T0 + THROTTLE_WINDOW_SECONDS));
    assert_true(login_works("doctor01", "10.0.0.1", T0 + THROTTLE_WINDOW_SECONDS + 1));
}

static void account_names_fold_ascii_case(void **state)
{
    (void)state;
    assert_int_equal(fail_times("Doctor01", "10.0.0.1", 3, T0), 3);
    assert_int_equal(fail_times("DOCTOR01", "10.0.0.1", 3, T0), 2);
    assert_false(login_works("doctor01", "10.0.0.1", T0));
}

static void a_colleague_behind_the_same_address_is_not_locked(void **state)
{
    (void)state;
    assert_int_equal(fail_times("doctor01", "10.0.0.1", 8, T0), THROTTLE_MAX_PER_USER);
    assert_true(login_works("doctor02", "10.0.0.1", T0));
    assert_false(login_works("doctor01", "10.0.0.1", T0));
}

static void a_success_forgives_its_failures_at_the_address(void **state)
{
    (void)state;
    /* four typos then the right password, by each of four users: nothing held against the
     * address, so a stranger's 19 failures still leave room for a new user */
    const char *users[] = {"u1", "u2", "u3", "u4"};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(fail_times(users[i], "10.0.0.1", 4, T0), 4);
        assert_true(login_works(users[i], "10.0.0.1", T0));
    }
    char name[24];
    for (int i = 0; i < THROTTLE_MAX_PER_ADDRESS - 1; i++) {
        snprintf(name, sizeof name, "ghost%d", i);
        assert_int_equal(fail_times(name, "10.0.0.1", 1, T0), 1);
    }
    assert_true(login_works("newcomer", "10.0.0.1", T0));
}

static void an_address_over_its_limit_is_refused_except_for_known_accounts(void **state)
{
    (void)state;
    assert_true(login_works("doctor02", "10.0.0.1", T0)); /* doctor02 logs in here */
    char name[24];
    for (int i = 0; i < THROTTLE_MAX_PER_ADDRESS; i++) {
        snprintf(name, sizeof name, "ghost%d", i);
        assert_int_equal(fail_times(name, "10.0.0.1", 1, T0), 1);
    }
    assert_false(login_works("newcomer", "10.0.0.1", T0 + 1));
    assert_true(login_works("doctor02", "10.0.0.1", T0 + 1));
    assert_true(login_works("newcomer", "10.0.0.2", T0 + 1));
}

static void an_address_over_its_limit_adds_nothing_to_the_account(void **state)
{
    (void)state;
    /* One address hammering admin: 5 failures count, the rest are refused unseen. */
    assert_int_equal(fail_times("admin", "203.0.113.9", 1000, T0), THROTTLE_MAX_PER_USER);
    assert_true(login_works("admin", "10.0.0.1", T0));
}

static void many_addresses_lock_the_account_only_for_strangers(void **state)
{
    (void)state;
    assert_true(login_works("admin", "10.0.0.1", T0)); /* the admin's own office */
    char address[32];
    int addresses = THROTTLE_MAX_PER_ACCOUNT / THROTTLE_MAX_PER_USER;
    for (int i = 0; i < addresses; i++) {
        snprintf(address, sizeof address, "203.0.113.%d", i + 1);
        assert_int_equal(fail_times("admin", address, THROTTLE_MAX_PER_USER, T0),
                         THROTTLE_MAX_PER_USER);
    }
    assert_int_equal(fail_times("admin", "198.51.100.1", 1, T0), 0);
    assert_false(login_works("admin", "198.51.100.2", T0));
    assert_true(login_works("admin", "10.0.0.1", T0));
}

static void a_known_address_expires(void **state)
{
    (void)state;
    assert_true(login_works("admin", "10.0.0.1", T0));
    time_t later = T0 + THROTTLE_KNOWN_SECONDS + 1;
    char address[32];
    for (int i = 0; i < THROTTLE_MAX_PER_ACCOUNT / THROTTLE_MAX_PER_USER; i++) {
        snprintf(address, sizeof address, "203.0.113.%d", i + 1);
        fail_times("admin", address, THROTTLE_MAX_PER_USER, later);
    }
    assert_false(login_works("admin", "10.0.0.1", later));
}

static void ipv6_counts_by_its_64(void **state)
{
    (void)state;
    assert_int_equal(fail_times("admin", "2001:db8:1:2::1", 3, T0), 3);
    assert_int_equal(fail_times("admin", "2001:db8:1:2:ffff::9", 3, T0), 2);
    assert_true(login_works("admin", "2001:db8:1:3::1", T0));
}

static void a_table_flooded_with_other_names_keeps_working(void **state)
{
    (void)state;
    char name[32], address[32];
    for (int i = 0; i < 40000; i++) {
        snprintf(name, sizeof name, "flood%d", i);
        snprintf(address, sizeof address, "198.18.%d.%d", i / 250 % 250, i % 250);
        fail_times(name, address, 1, T0);
    }
    assert_true(login_works("doctor01", "10.0.0.1", T0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(attempts_in_flight_count_against_the_limit, reset),
        cmocka_unit_test_setup(a_success_in_flight_gives_its_place_back, reset),
        cmocka_unit_test_setup(the_lock_lasts_the_window_and_no_longer, reset),
        cmocka_unit_test_setup(account_names_fold_ascii_case, reset),
        cmocka_unit_test_setup(a_colleague_behind_the_same_address_is_not_locked, reset),
        cmocka_unit_test_setup(a_success_forgives_its_failures_at_the_address, reset),
        cmocka_unit_test_setup(an_address_over_its_limit_is_refused_except_for_known_accounts,
                               reset),
        cmocka_unit_test_setup(an_address_over_its_limit_adds_nothing_to_the_account, reset),
        cmocka_unit_test_setup(many_addresses_lock_the_account_only_for_strangers, reset),
        cmocka_unit_test_setup(a_known_address_expires, reset),
        cmocka_unit_test_setup(ipv6_counts_by_its_64, reset),
        cmocka_unit_test_setup(a_table_flooded_with_other_names_keeps_working, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
