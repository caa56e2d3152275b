/* Unit tests: domain/schedule.c, the child schedule (§6), the pregnancy schedule and risk
 * colour (§7) of PROTOCOLS.md, and the [jiayi] settings that configure them (the elderly
 * assessment of §5: test_elderly.c). */
#include "test.h"

#include <string.h>

#include "domain/schedule.h"

static const struct schedule_point *point(const struct schedule_point *p, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(p[i].point, name) == 0) return &p[i];
    fail_msg("no point %s", name);
    return NULL;
}

static void expect_point(const struct schedule_point *p, int n, const char *name, const char *from,
                         const char *to, const char *status)
{
    const struct schedule_point *x = point(p, n, name);
    assert_date(x->window_start, from);
    assert_date(x->window_end, to);
    assert_string_equal(point_status_name(x->status), status);
}

static void child_windows_for_every_point(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct schedule_point p[SCHEDULE_MAX_POINTS];
    struct date discharge = D("2025-01-18");
    int n = child_schedule(D("2025-01-15"), &discharge, NULL, 0, D("2025-01-10"), &c, p);
    assert_int_equal(n, 13);
    expect_point(p, n, "newborn", "2025-01-18", "2025-01-25", "upcoming");
    expect_point(p, n, "month_1", "2025-02-12", "2025-02-26", "upcoming");
    expect_point(p, n, "m3", "2025-04-01", "2025-05-15", "upcoming");
    expect_point(p, n, "m6", "2025-07-01", "2025-08-14", "upcoming");
    expect_point(p, n, "m8", "2025-09-01", "2025-10-15", "upcoming");
    expect_point(p, n, "m12", "2026-01-01", "2026-02-14", "upcoming");
    expect_point(p, n, "m18", "2026-06-15", "2026-09-13", "upcoming");
    expect_point(p, n, "m24", "2026-12-16", "2027-03-16", "upcoming");
    expect_point(p, n, "m30", "2027-06-15", "2027-09-13", "upcoming");
    expect_point(p, n, "m36", "2027-12-16", "2028-03-15", "upcoming");
    expect_point(p, n, "y4", "2029-01-15", "2030-01-14", "upcoming");
    expect_point(p, n, "y5", "2030-01-15", "2031-01-14", "upcoming");
    expect_point(p, n, "y6", "2031-01-15", "2032-01-14", "upcoming");
    /* Without a discharge date the newborn visit counts from birth. */
    n = child_schedule(D("2025-01-15"), NULL, NULL, 0, D("2025-01-10"), &c, p);
    expect_point(p, n, "newborn", "2025-01-15", "2025-01-22", "upcoming");
}

static void child_statuses_done_due_upcoming_missed(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct schedule_point p[SCHEDULE_MAX_POINTS];
    /* Visits: newborn on day 5, full month on day 41 (late but accepted), m3 one day before
     * its window (counts for nothing), m6 on its last day, one visit in the future. */
    struct date visits[] = {D("2025-01-20"), D("2025-02-25"), D("2025-03-31"), D("2025-08-14"),
                            D("2026-01-05")};
    int n = child_schedule(D("2025-01-15"), NULL, visits, 5, D("2025-09-10"), &c, p);
    expect_point(p, n, "newborn", "2025-01-15", "2025-01-22", "done");
    assert_date(point(p, n, "newborn")->visit_date, "2025-01-20");
    expect_point(p, n, "month_1", "2025-02-12", "2025-02-26", "done");
    expect_point(p, n, "m3", "2025-04-01", "2025-05-15", "missed");
    expect_point(p, n, "m6", "2025-07-01", "2025-08-14", "done");
    expect_point(p, n, "m8", "2025-09-01", "2025-10-15", "due");
    expect_point(p, n, "m12", "2026-01-01", "2026-02-14",
                 "upcoming"); /* the 2026-01-05 visit is after as_of */
    /* Window edges: the first and last day are inside. */
    struct date edge[] = {D("2025-04-01")};
    n = child_schedule(D("2025-01-15"), NULL, edge, 1, D("2025-12-31"), &c, p);
    assert_string_equal(point_status_name(point(p, n, "m3")->status), "done");
    n = child_schedule(D("2025-01-15"), NULL, NULL, 0, D("2025-05-15"), &c, p);
    assert_string_equal(point_status_name(point(p, n, "m3")->status), "due");
    n = child_schedule(D("2025-01-15"), NULL, NULL, 0, D("2025-05-16"), &c, p);
    assert_string_equal(point_status_name(point(p, n, "m3")->status), "missed");
}

static void child_windows_are_configurable(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    c.child_month1_to = 30;
    c.child_infant_after = 14;
    struct schedule_point p[SCHEDULE_MAX_POINTS];
    int n = child_schedule(D("2025-01-15"), NULL, NULL, 0, D("2025-01-15"), &c, p);
    expect_point(p, n, "month_1", "2025-02-12", "2025-02-14", "upcoming");
    expect_point(p, n, "m3", "2025-04-01", "2025-04-29", "upcoming");
}

static void gestational_weeks_are_whole_weeks(void **state)
{
    (void)state;
    assert_int_equal(maternal_gestational_weeks(D("2026-06-01"), NULL, D("2026-08-30")),
                     12); /* 90 days */
    assert_int_equal(maternal_gestational_weeks(D("2026-06-01"), NULL, D("2026-08-31")),
                     13); /* 91 days */
    struct date delivery = D("2027-02-20");
    assert_int_equal(maternal_gestational_weeks(D("2026-06-01"), &delivery, D("2027-06-01")),
                     37); /* 264 days */
}

static void pregnancy_schedule_windows_and_statuses(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct schedule_point p[SCHEDULE_MAX_POINTS];
    struct date visits[] = {D("2026-08-30"), D("2026-09-25")}; /* 12+6 weeks; 16+4 */
    int n = maternal_schedule(D("2026-06-01"), NULL, NULL, visits, 2, D("2026-10-20"), &c, p);
    assert_int_equal(n, 5);
    expect_point(p, n, "first_visit", "2026-06-01", "2026-08-30", "done");
    expect_point(p, n, "w16_20", "2026-09-21", "2026-10-25", "done");
    expect_point(p, n, "w21_24", "2026-10-26", "2026-11-22", "upcoming");
    expect_point(p, n, "w28_36", "2026-12-14", "2027-02-14", "upcoming");
    expect_point(p, n, "w37_40", "2027-02-15", "2027-03-14", "upcoming");
    /* A first visit at 13+0 is not early registration. */
    struct date late[] = {D("2026-08-31")};
    n = maternal_schedule(D("2026-06-01"), NULL, NULL, late, 1, D("2026-09-01"), &c, p);
    expect_point(p, n, "first_visit", "2026-06-01", "2026-08-30", "missed");
}

static void delivery_closes_antenatal_points_and_opens_postpartum(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct schedule_point p[SCHEDULE_MAX_POINTS];
    struct date delivery = D("2027-02-10"),
                discharge = D("2027-02-13"); /* delivered at 36+2 weeks */
    struct date visits[] = {D("2027-02-18"), D("2027-03-30")};
    int n = maternal_schedule(D("2026-06-01"), &delivery, &discharge, visits, 2, D("2027-04-15"),
                              &c, p);
    assert_int_equal(n, 6); /* w37_40 never opened */
    expect_point(p, n, "w28_36", "2026-12-14", "2027-02-10", "missed");
    expect_point(p, n, "postpartum_visit", "2027-02-13", "2027-02-20", "done");
    expect_point(p, n, "postpartum_42d", "2027-03-24", "2027-04-07", "done");
    n = maternal_schedule(D("2026-06-01"), &delivery, NULL, NULL, 0, D("2027-02-15"), &c, p);
    expect_point(p, n, "postpartum_visit", "2027-02-10", "2027-02-17", "due");
}

static void pregnancy_risk_colours(void **state)
{
    (void)state;
    enum risk_color highest;
    int purple;
    maternal_risk(NULL, 0, &highest, &purple);
    assert_string_equal(risk_color_name(highest), "green");
    assert_false(purple);
    enum risk_color a[] = {COLOR_YELLOW, COLOR_ORANGE, COLOR_YELLOW};
    maternal_risk(a, 3, &highest, &purple);
    assert_string_equal(risk_color_name(highest), "orange");
    enum risk_color b[] = {COLOR_PURPLE};
    maternal_risk(b, 1, &highest, &purple);
    assert_string_equal(risk_color_name(highest), "green"); /* purple alone: green + purple */
    assert_true(purple);
    enum risk_color d[] = {COLOR_RED, COLOR_PURPLE, COLOR_ORANGE};
    maternal_risk(d, 3, &highest, &purple);
    assert_string_equal(risk_color_name(highest), "red");
    assert_true(purple);
    assert_int_equal(risk_color_parse("orange"), COLOR_ORANGE);
    assert_int_equal(risk_color_parse("blue"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(child_windows_for_every_point),
        cmocka_unit_test(child_statuses_done_due_upcoming_missed),
        cmocka_unit_test(child_windows_are_configurable),
        cmocka_unit_test(gestational_weeks_are_whole_weeks),
        cmocka_unit_test(pregnancy_schedule_windows_and_statuses),
        cmocka_unit_test(delivery_closes_antenatal_points_and_opens_postpartum),
        cmocka_unit_test(pregnancy_risk_colours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
