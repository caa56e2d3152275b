/* Unit tests: domain/task_status.c, a task's status on a day (upcoming, due, overdue,
 * missed). */
#include "test.h"

#include "domain/task_status.h"

/* §9: due from 14 days before, overdue after, missed after 90 days or the next point. */
static void task_status_boundaries(void **state)
{
    (void)state;
    struct date due = D("2026-12-01");
    assert_string_equal(task_status_name(task_status_on(due, NULL, D("2026-11-16"))), "upcoming");
    assert_string_equal(task_status_name(task_status_on(due, NULL, D("2026-11-17"))), "due");
    assert_string_equal(task_status_name(task_status_on(due, NULL, D("2026-12-01"))), "due");
    assert_string_equal(task_status_name(task_status_on(due, NULL, D("2026-12-02"))), "overdue");
    assert_string_equal(task_status_name(task_status_on(due, NULL, D("2027-03-01"))),
                        "overdue"); /* +90 */
    assert_string_equal(task_status_name(task_status_on(due, NULL, D("2027-03-02"))),
                        "missed"); /* +91 */
    struct date next = D("2026-12-15");
    assert_string_equal(task_status_name(task_status_on(due, &next, D("2026-12-15"))), "overdue");
    assert_string_equal(task_status_name(task_status_on(due, &next, D("2026-12-16"))), "missed");
    assert_int_equal(task_status_parse("missed"), TASK_MISSED);
    assert_int_equal(task_status_parse("late"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(task_status_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
