/* Unit tests: COPD follow-up (domain/copd.c, docs/copd.md), rule by rule: the GOLD 2023 ABE
 * group at each edge, the GOLD grade from FEV1, the urgent referral of a severe exacerbation
 * (danger signs, SpO2 below the setting, breathing at 30 or more), a milder exacerbation
 * treated and seen again, group E reviewed by the specialist, the interval by group, the
 * yearly spirometry, and that every interval follows the protocol settings. */
#include "test.h"

#include <string.h>

#include "domain/copd.h"

static struct copd_visit stable(const char *day)
{
    struct copd_visit v = {0};
    v.date = D(day);
    v.has_last_spirometry = 1;
    v.last_spirometry = D("2026-01-10");
    return v;
}

static int has_reason(const struct copd_result *r, const char *code)
{
    for (int i = 0; i < r->n_reasons; i++)
        if (!strcmp(r->reasons[i], code)) return 1;
    return 0;
}

static void gold_abe_groups_at_their_edges(void **state)
{
    (void)state;
    static const struct {
        int mmrc, cat, moderate, hospitalised;
        enum copd_group group;
    } ROWS[] = {
        {0, 0, 0, 0, COPD_GROUP_A},  {1, 9, 1, 0, COPD_GROUP_A},  {2, 0, 0, 0, COPD_GROUP_B},
        {0, 10, 0, 0, COPD_GROUP_B}, {4, 40, 1, 0, COPD_GROUP_B}, {0, 0, 2, 0, COPD_GROUP_E},
        {0, 0, 0, 1, COPD_GROUP_E},  {4, 30, 3, 2, COPD_GROUP_E},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        assert_int_equal(
            copd_group_of(ROWS[i].mmrc, ROWS[i].cat, ROWS[i].moderate, ROWS[i].hospitalised),
            ROWS[i].group);
    assert_string_equal(copd_group_name(COPD_GROUP_E), "E");
}

static void gold_grades_from_fev1(void **state)
{
    (void)state;
    static const int FEV1[] = {100, 80, 79, 50, 49, 30, 29, 10}, GRADE[] = {1, 1, 2, 2, 3, 3, 4, 4};
    for (size_t i = 0; i < sizeof FEV1 / sizeof FEV1[0]; i++)
        assert_int_equal(copd_gold_grade(FEV1[i]), GRADE[i]);
}

static void interval_by_group(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct copd_visit v = stable("2026-06-01");
    struct copd_result r;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.group, COPD_GROUP_A);
    assert_int_equal(r.action, COPD_CONTINUE);
    assert_date(r.next_due, "2026-11-28"); /* 180 days */
    assert_int_equal(r.n_reasons, 0);
    v.cat = 12;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.group, COPD_GROUP_B);
    assert_date(r.next_due, "2026-08-30"); /* 90 days */
    v.exacerbations_hospitalised = 1;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.group, COPD_GROUP_E);
    assert_int_equal(r.action, COPD_REFER); /* the specialist reviews a frequent exacerbator */
    assert_true(has_reason(&r, "frequent_exacerbations"));
    assert_date(r.next_due, "2026-07-01"); /* 30 days */
    c.copd_interval_e_days = 60;
    copd_evaluate(&v, &c, &r);
    assert_date(r.next_due, "2026-07-31");
}

static void a_frequent_exacerbator_is_reviewed_twice_a_year(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct copd_visit v = stable("2026-06-01");
    v.exacerbations_moderate = 3;
    v.has_last_review = 1;
    v.last_review = D("2025-12-02");
    struct copd_result r;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_CONTINUE); /* reviewed within six months */
    assert_true(has_reason(&r, "frequent_exacerbations"));
    v.last_review = D("2025-12-01");
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_REFER);
    c.copd_review_months = 12;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_CONTINUE);
    v.acute = 1, v.has_spo2 = 1, v.spo2 = 85; /* a severe exacerbation goes whatever the review */
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_URGENT_REFER);
}

static void severe_exacerbation_is_referred_at_once(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct copd_visit v = stable("2026-06-01");
    struct copd_result r;
    v.has_spo2 = 1, v.spo2 = 90;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_CONTINUE); /* 90 is not below 90 */
    v.spo2 = 89;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_URGENT_REFER);
    assert_true(has_reason(&r, "low_oxygen"));
    assert_date(r.next_due, "2026-06-15"); /* seen again two weeks on */
    c.copd_spo2_urgent = 88;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_CONTINUE);
    v = stable("2026-06-01");
    v.has_respiratory_rate = 1, v.respiratory_rate = 29;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_CONTINUE);
    v.respiratory_rate = 30;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_URGENT_REFER);
    assert_true(has_reason(&r, "fast_breathing"));
    v = stable("2026-06-01");
    v.danger_signs = 1;
    v.acute = 1;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_URGENT_REFER);
    assert_true(has_reason(&r, "danger_signs"));
    assert_false(has_reason(&r, "exacerbation"));
}

static void milder_exacerbation_is_treated_and_seen_again(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct copd_visit v = stable("2026-06-01");
    v.acute = 1;
    v.exacerbations_moderate = 2; /* group E too: the exacerbation comes first */
    struct copd_result r;
    copd_evaluate(&v, &c, &r);
    assert_int_equal(r.action, COPD_ADJUST_TREATMENT);
    assert_true(has_reason(&r, "exacerbation"));
    assert_date(r.next_due, "2026-06-15");
    c.copd_post_exacerbation_days = 7;
    copd_evaluate(&v, &c, &r);
    assert_date(r.next_due, "2026-06-08");
}

static void spirometry_once_a_year(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct copd_visit v = stable("2027-01-09");
    struct copd_result r;
    copd_evaluate(&v, &c, &r);
    assert_false(r.spirometry_due); /* 2026-01-10 is less than 12 months back */
    v.date = D("2027-01-10");
    copd_evaluate(&v, &c, &r);
    assert_true(r.spirometry_due);
    assert_true(has_reason(&r, "spirometry_due"));
    v.has_fev1 = 1, v.fev1_pct = 45; /* this visit's spirometry */
    copd_evaluate(&v, &c, &r);
    assert_false(r.spirometry_due);
    assert_int_equal(r.gold_grade, 3);
    v = stable("2026-06-01");
    v.has_last_spirometry = 0; /* never: the diagnosis is not confirmed */
    copd_evaluate(&v, &c, &r);
    assert_true(r.spirometry_due);
    assert_int_equal(r.gold_grade, 0);
}

static void inhaler_and_smoking_advice(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    struct copd_visit v = stable("2026-06-01");
    struct copd_result r;
    v.has_inhaler_ok = 1, v.inhaler_ok = 1;
    copd_evaluate(&v, &c, &r);
    assert_false(has_reason(&r, "inhaler_technique"));
    v.inhaler_ok = 0;
    v.smoking = 1;
    copd_evaluate(&v, &c, &r);
    assert_true(has_reason(&r, "inhaler_technique"));
    assert_true(has_reason(&r, "smoking_cessation"));
    assert_int_equal(r.action, COPD_CONTINUE);
}

static void first_visit_after_enrolment(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    assert_date(copd_first_visit_due(D("2026-12-25"), &c), "2027-01-08");
    c.copd_first_visit_days = 0;
    assert_date(copd_first_visit_due(D("2026-12-25"), &c), "2026-12-25");
    assert_string_equal(copd_action_name(COPD_URGENT_REFER), "urgent_refer");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gold_abe_groups_at_their_edges),
        cmocka_unit_test(gold_grades_from_fev1),
        cmocka_unit_test(interval_by_group),
        cmocka_unit_test(a_frequent_exacerbator_is_reviewed_twice_a_year),
        cmocka_unit_test(severe_exacerbation_is_referred_at_once),
        cmocka_unit_test(milder_exacerbation_is_treated_and_seen_again),
        cmocka_unit_test(spirometry_once_a_year),
        cmocka_unit_test(inhaler_and_smoking_advice),
        cmocka_unit_test(first_visit_after_enrolment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
