/* Unit tests: results recognised across the county (issue 19): the validity window, its
 * last day and the day after, a zero window and a result dated in the future. */
#include "test.h"

#include "domain/recognition.h"

static void valid_through_the_window(void **state)
{
    (void)state;
    assert_date(recognition_valid_until(D("2026-12-01"), 7), "2026-12-07");
    assert_date(recognition_valid_until(D("2026-12-01"), 1), "2026-12-01");
    assert_true(recognition_still_valid(D("2026-12-01"), 7, D("2026-12-01")));
    assert_true(recognition_still_valid(D("2026-12-01"), 7, D("2026-12-07")));
    assert_false(recognition_still_valid(D("2026-12-01"), 7, D("2026-12-08")));
    assert_true(recognition_still_valid(D("2026-06-30"), 180, D("2026-12-26")));
    assert_false(recognition_still_valid(D("2026-06-30"), 180, D("2026-12-27")));
    assert_false(recognition_still_valid(D("2026-12-01"), 0, D("2026-12-01")));
    assert_false(recognition_still_valid(D("2026-12-09"), 30, D("2026-12-07")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(valid_through_the_window)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
