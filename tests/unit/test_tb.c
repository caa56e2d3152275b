/* Unit tests: tuberculosis patient management, PROTOCOLS.md §14, rule by rule: the 72-hour
 * first visit, the visit interval by supervision mode and phase, the end of the course, the
 * report of more than a week of missed doses (once), and the urgent referral of an adverse
 * reaction or worsening. */
#include "test.h"

#include "domain/tb.h"

static struct tb_course course(enum tb_supervision s)
{
    struct tb_course c = {D("2026-03-01"), D("2026-02-26"), 2, 6, s};
    return c;
}

static struct tb_result visit(const struct tb_course *c, const char *day, int before, int now,
                              int adverse, int worse, int closing)
{
    struct tb_visit v = {D(day), before, now, adverse, worse, closing};
    struct tb_result r;
    tb_evaluate(c, &v, &r);
    return r;
}

static void first_visit_within_72_hours(void **state)
{
    (void)state;
    assert_date(tb_first_visit_due(D("2026-03-01")), "2026-03-04");
    assert_date(tb_first_visit_due(D("2026-12-30")), "2027-01-02");
}

static void phases_and_course_end(void **state)
{
    (void)state;
    struct tb_course c = course(TB_FAMILY);
    assert_int_equal(tb_phase_on(&c, D("2026-04-25")), TB_INTENSIVE);
    assert_int_equal(tb_phase_on(&c, D("2026-04-26")),
                     TB_CONTINUATION); /* two months from the start */
    assert_date(tb_course_end(&c), "2026-08-26");
    c.intensive_months = 6; /* an injection phase */
    assert_int_equal(tb_phase_on(&c, D("2026-06-01")), TB_INTENSIVE);
}

/* Family, volunteer, e-pillbox and self-administered: every 10 days in the intensive phase,
 * monthly in the continuation phase. Medical staff: an assessment every month throughout. */
static void intervals_by_supervision_and_phase(void **state)
{
    (void)state;
    static const struct {
        enum tb_supervision s;
        const char *visit, *next;
    } ROWS[] = {
        {TB_FAMILY, "2026-03-03", "2026-03-13"},    {TB_VOLUNTEER, "2026-03-03", "2026-03-13"},
        {TB_E_PILLBOX, "2026-03-03", "2026-03-13"}, {TB_SELF, "2026-03-03", "2026-03-13"},
        {TB_FAMILY, "2026-04-25", "2026-05-05"}, /* the last intensive day: still 10 days */
        {TB_FAMILY, "2026-04-26", "2026-05-26"}, /* continuation: a month */
        {TB_E_PILLBOX, "2026-05-31", "2026-06-30"}, {TB_MEDICAL, "2026-03-03", "2026-04-03"},
        {TB_MEDICAL, "2026-05-31", "2026-06-30"},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        struct tb_course c = course(ROWS[i].s);
        struct tb_result r = visit(&c, ROWS[i].visit, 0, 0, 0, 0, 0);
        assert_int_equal(r.has_next, 1);
        assert_date(r.next_due, ROWS[i].next);
        assert_int_equal(r.next_is_closing, 0);
        assert_string_equal(tb_action_name(r.action), "continue");
    }
}

/* The course's end caps the next visit: that one is the closing assessment. */
static void the_last_visit_is_the_closing_assessment(void **state)
{
    (void)state;
    struct tb_course c = course(TB_FAMILY);
    struct tb_result r = visit(&c, "2026-08-01", 0, 0, 0, 0, 0);
    assert_date(r.next_due, "2026-08-26");
    assert_int_equal(r.next_is_closing, 1);
    r = visit(&c, "2026-07-26", 0, 0, 0, 0, 0);
    assert_date(r.next_due, "2026-08-26"); /* a month ahead: the end itself */
    assert_int_equal(r.next_is_closing, 1);
    r = visit(&c, "2026-09-02", 0, 0, 0, 0, 0); /* past the end (treatment extended) */
    assert_date(r.next_due, "2026-09-02");
    r = visit(&c, "2026-08-26", 0, 0, 0, 0, 1);
    assert_string_equal(tb_action_name(r.action), "close");
    assert_int_equal(r.has_next, 0);
}

/* More than a week missed in total: reported at the visit that passes it, once. */
static void missed_doses_over_a_week_reported_once(void **state)
{
    (void)state;
    struct tb_course c = course(TB_FAMILY);
    struct tb_result r = visit(&c, "2026-03-13", 0, 7, 0, 0, 0);
    assert_int_equal(r.report_missed, 0); /* exactly a week: not more */
    assert_int_equal(r.missed_total, 7);
    r = visit(&c, "2026-03-23", 7, 1, 0, 0, 0);
    assert_int_equal(r.report_missed, 1);
    assert_string_equal(tb_action_name(r.action), "report_missed");
    assert_int_equal(r.n_reasons, 1);
    assert_string_equal(r.reasons[0], "missed_doses_over_week");
    r = visit(&c, "2026-03-23", 3, 6, 0, 0, 0); /* 3 + 6 in one visit */
    assert_int_equal(r.report_missed, 1);
    r = visit(&c, "2026-04-02", 9, 2, 0, 0, 0); /* reported already */
    assert_int_equal(r.report_missed, 0);
    assert_string_equal(tb_action_name(r.action), "continue");
}

static void adverse_reaction_or_worsening_refers_at_once(void **state)
{
    (void)state;
    struct tb_course c = course(TB_MEDICAL);
    struct tb_result r = visit(&c, "2026-03-13", 0, 0, 1, 0, 0);
    assert_int_equal(r.refer, 1);
    assert_string_equal(tb_action_name(r.action), "urgent_refer");
    assert_string_equal(r.reasons[0], "adverse_reaction");
    assert_int_equal(r.has_next, 1);            /* the team keeps visiting */
    r = visit(&c, "2026-03-13", 5, 4, 0, 1, 0); /* both: referral first, the report too */
    assert_string_equal(tb_action_name(r.action), "urgent_refer");
    assert_int_equal(r.report_missed, 1);
    assert_int_equal(r.n_reasons, 2);
    assert_string_equal(r.reasons[1], "worsening_symptoms");
}

static void names_round_trip(void **state)
{
    (void)state;
    static const char *const NAMES[] = {"medical", "family", "volunteer", "e_pillbox", "self"};
    for (int s = 0; s < TB_SUPERVISION_COUNT; s++) {
        assert_string_equal(tb_supervision_name((enum tb_supervision)s), NAMES[s]);
        assert_int_equal(tb_supervision_parse(NAMES[s]), s);
    }
    assert_int_equal(tb_supervision_parse("nurse"), -1);
    assert_string_equal(tb_phase_name(TB_CONTINUATION), "continuation");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_visit_within_72_hours),
        cmocka_unit_test(phases_and_course_end),
        cmocka_unit_test(intervals_by_supervision_and_phase),
        cmocka_unit_test(the_last_visit_is_the_closing_assessment),
        cmocka_unit_test(missed_doses_over_a_week_reported_once),
        cmocka_unit_test(adverse_reaction_or_worsening_refers_at_once),
        cmocka_unit_test(names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
