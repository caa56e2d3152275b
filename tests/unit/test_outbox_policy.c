/* Unit tests: the outbox's delivery rules (domain/outbox_policy.c): what each channel answer
 * means, the back-off with its cap and jitter, the dead-letter rule, and quiet hours in China
 * time across midnight. */
#include "test.h"

#include "domain/outbox_policy.h"

/* 2026-03-10 00:00 China time = 2026-03-09 16:00 UTC. */
#define MIDNIGHT_CHINA ((int64_t)1773072000)
#define AT(h, m) (MIDNIGHT_CHINA + (int64_t)(h)*3600 + (int64_t)(m)*60)

static void
two_hundreds_are_sent_throttling_and_server_errors_retry_other_refusals_are_dead(void **state)
{
    (void)state;
    assert_int_equal(outbox_classify(200, 0), OUTBOX_SENT);
    assert_int_equal(outbox_classify(202, 0), OUTBOX_SENT);
    assert_int_equal(outbox_classify(204, 0), OUTBOX_SENT);
    assert_int_equal(outbox_classify(408, 0), OUTBOX_RETRY);
    assert_int_equal(outbox_classify(429, 0), OUTBOX_RETRY);
    assert_int_equal(outbox_classify(500, 0), OUTBOX_RETRY);
    assert_int_equal(outbox_classify(502, 0), OUTBOX_RETRY);
    assert_int_equal(outbox_classify(503, 0), OUTBOX_RETRY);
    assert_int_equal(outbox_classify(400, 0), OUTBOX_DEAD);
    assert_int_equal(outbox_classify(401, 0), OUTBOX_DEAD);
    assert_int_equal(outbox_classify(404, 0), OUTBOX_DEAD);
    assert_int_equal(outbox_classify(422, 0), OUTBOX_DEAD);
    assert_int_equal(outbox_classify(301, 0), OUTBOX_DEAD);
}

static void a_transport_error_is_retried_whatever_the_status(void **state)
{
    (void)state;
    assert_int_equal(outbox_classify(0, 1), OUTBOX_RETRY);
    assert_int_equal(outbox_classify(200, 1), OUTBOX_RETRY);
    assert_int_equal(outbox_classify(0, 0), OUTBOX_RETRY);
    assert_int_equal(outbox_classify(100, 0), OUTBOX_RETRY);
}

static void backoff_doubles_from_the_base_and_stops_at_an_hour(void **state)
{
    (void)state;
    /* Without jitter: the fixed half of base x 2^n; with the jitter near 1, nearly all of it. */
    assert_int_equal(outbox_backoff_delay(2, 0, 0.0), 1);
    assert_int_equal(outbox_backoff_delay(2, 0, 0.999), 1);
    assert_int_equal(outbox_backoff_delay(2, 1, 0.0), 2);
    assert_int_equal(outbox_backoff_delay(2, 3, 0.0), 8);
    assert_int_equal(outbox_backoff_delay(2, 3, 0.5), 12);
    assert_int_equal(outbox_backoff_delay(2, 3, 0.9999), 15);
    assert_int_equal(outbox_backoff_delay(2, 10, 0.0), 1024);
    assert_int_equal(outbox_backoff_delay(2, 11, 0.0), 1800); /* 4096 capped at 3600 */
    assert_int_equal(outbox_backoff_delay(2, 11, 0.9999), 3599);
    assert_int_equal(outbox_backoff_delay(2, 1000, 0.5), 2700); /* no overflow */
    assert_int_equal(outbox_backoff_delay(60, 6, 0.0), 1800);
    for (int n = 0; n < 64; n++)
        for (double j = 0; j < 1.0; j += 0.125) {
            int64_t d = outbox_backoff_delay(2, n, j);
            assert_true(d >= 1 && d <= OUTBOX_BACKOFF_CAP_SECONDS);
        }
}

static void a_zero_base_or_odd_jitter_stays_in_range(void **state)
{
    (void)state;
    assert_int_equal(outbox_backoff_delay(0, 5, 0.5), 0);
    assert_int_equal(outbox_backoff_delay(-3, 5, 0.5), 0);
    assert_int_equal(outbox_backoff_delay(2, -1, 0.0), 1);
    assert_int_equal(outbox_backoff_delay(2, 3, -1.0), 8);
    assert_int_equal(outbox_backoff_delay(2, 3, 7.0), 15);
}

static void a_message_is_dead_after_the_last_allowed_failure(void **state)
{
    (void)state;
    for (int failures = 1; failures < 8; failures++)
        assert_int_equal(outbox_after_failure(OUTBOX_RETRY, failures, 8), OUTBOX_RETRY);
    assert_int_equal(outbox_after_failure(OUTBOX_RETRY, 8, 8), OUTBOX_DEAD);
    assert_int_equal(outbox_after_failure(OUTBOX_RETRY, 9, 8), OUTBOX_DEAD);
    assert_int_equal(outbox_after_failure(OUTBOX_DEAD, 1, 8), OUTBOX_DEAD);
    assert_int_equal(outbox_after_failure(OUTBOX_SENT, 8, 8), OUTBOX_SENT);
    struct outbox_config c = outbox_config_default();
    assert_int_equal(c.max_attempts, 8);
    assert_int_equal(c.backoff_seconds, 2);
    assert_int_equal(c.quiet.start_minute, 21 * 60);
    assert_int_equal(c.quiet.end_minute, 8 * 60);
}

static void clock_times_parse_strictly(void **state)
{
    (void)state;
    assert_int_equal(outbox_parse_clock("21:00"), 1260);
    assert_int_equal(outbox_parse_clock("08:00"), 480);
    assert_int_equal(outbox_parse_clock("00:00"), 0);
    assert_int_equal(outbox_parse_clock("23:59"), 1439);
    assert_int_equal(outbox_parse_clock("24:00"), -1);
    assert_int_equal(outbox_parse_clock("12:60"), -1);
    assert_int_equal(outbox_parse_clock("8:00"), -1);
    assert_int_equal(outbox_parse_clock("08:00 "), -1);
    assert_int_equal(outbox_parse_clock(""), -1);
    assert_int_equal(outbox_parse_clock(NULL), -1);
}

static void quiet_hours_across_midnight_hold_until_eight_in_the_morning(void **state)
{
    (void)state;
    struct outbox_quiet q = {21 * 60, 8 * 60};
    assert_false(outbox_in_quiet_hours(&q, AT(20, 59)));
    assert_true(outbox_in_quiet_hours(&q, AT(21, 0)));
    assert_true(outbox_in_quiet_hours(&q, AT(23, 30)));
    assert_true(outbox_in_quiet_hours(&q, AT(0, 0)));
    assert_true(outbox_in_quiet_hours(&q, AT(7, 59)));
    assert_false(outbox_in_quiet_hours(&q, AT(8, 0)));
    assert_false(outbox_in_quiet_hours(&q, AT(12, 0)));
    /* Before midnight: the next morning; after midnight: this morning. */
    assert_int_equal(outbox_allowed_at(&q, AT(22, 15), 0), AT(24 + 8, 0));
    assert_int_equal(outbox_allowed_at(&q, AT(21, 0), 0), AT(24 + 8, 0));
    assert_int_equal(outbox_allowed_at(&q, AT(3, 10), 0), AT(8, 0));
    assert_int_equal(outbox_allowed_at(&q, AT(7, 59), 0), AT(8, 0));
    /* Outside: at once. */
    assert_int_equal(outbox_allowed_at(&q, AT(8, 0), 0), AT(8, 0));
    assert_int_equal(outbox_allowed_at(&q, AT(15, 42), 0), AT(15, 42));
}

static void a_one_time_code_is_sent_in_quiet_hours(void **state)
{
    (void)state;
    struct outbox_quiet q = {21 * 60, 8 * 60};
    assert_int_equal(outbox_allowed_at(&q, AT(23, 0), 1), AT(23, 0));
    assert_int_equal(outbox_allowed_at(&q, AT(2, 0), 1), AT(2, 0));
}

static void a_window_within_one_day_and_an_empty_window(void **state)
{
    (void)state;
    struct outbox_quiet lunch = {12 * 60, 14 * 60};
    assert_false(outbox_in_quiet_hours(&lunch, AT(11, 59)));
    assert_true(outbox_in_quiet_hours(&lunch, AT(12, 0)));
    assert_false(outbox_in_quiet_hours(&lunch, AT(14, 0)));
    assert_int_equal(outbox_allowed_at(&lunch, AT(13, 0), 0), AT(14, 0));
    struct outbox_quiet none = {0, 0};
    assert_false(outbox_in_quiet_hours(&none, AT(3, 0)));
    assert_int_equal(outbox_allowed_at(&none, AT(3, 0), 0), AT(3, 0));
    struct outbox_quiet unset = {OUTBOX_QUIET_NONE, 8 * 60};
    assert_false(outbox_in_quiet_hours(&unset, AT(3, 0)));
    assert_false(outbox_in_quiet_hours(NULL, AT(3, 0)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            two_hundreds_are_sent_throttling_and_server_errors_retry_other_refusals_are_dead),
        cmocka_unit_test(a_transport_error_is_retried_whatever_the_status),
        cmocka_unit_test(backoff_doubles_from_the_base_and_stops_at_an_hour),
        cmocka_unit_test(a_zero_base_or_odd_jitter_stays_in_range),
        cmocka_unit_test(a_message_is_dead_after_the_last_allowed_failure),
        cmocka_unit_test(clock_times_parse_strictly),
        cmocka_unit_test(quiet_hours_across_midnight_hold_until_eight_in_the_morning),
        cmocka_unit_test(a_one_time_code_is_sent_in_quiet_hours),
        cmocka_unit_test(a_window_within_one_day_and_an_empty_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
