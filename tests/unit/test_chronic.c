/* Unit tests: hypertension (§3), type 2 diabetes (§4) and severe mental disorders (§8) of
 * PROTOCOLS.md. The §3 table row by row, then each threshold from both sides. */
#include "test.h"

#include <string.h>

#include "domain/chronic.h"

static const char *VISIT = "2026-11-30"; /* a month end: +3 months clamps to 2027-02-28 */

static struct chronic_visit visit(int age, int sbp, int dbp)
{
    struct chronic_visit v;
    memset(&v, 0, sizeof v);
    v.visit_date = D(VISIT);
    v.age = age;
    v.has_sbp = v.has_dbp = 1;
    v.sbp = sbp;
    v.dbp = dbp;
    v.danger_level = -1;
    return v;
}

static struct chronic_visit glucose(double fbg)
{
    struct chronic_visit v = visit(60, 0, 0);
    v.has_sbp = v.has_dbp = 0;
    v.has_fbg = 1;
    v.fbg_tenths = chronic_tenths(fbg);
    return v;
}

/* One row of a table: the visit's inputs and what the rule must answer. A failure names the
 * row by its line and its inputs (age, pressure, glucose, findings, results in a row). */
#define expect(evaluate, v, classification, action, next_due)                                      \
    expect_row(__LINE__, #evaluate, evaluate, v, classification, action, next_due)
static void expect_row(int line, const char *rule,
                       void (*evaluate)(const struct chronic_visit *, struct chronic_result *),
                       const struct chronic_visit *v, const char *classification,
                       const char *action, const char *next_due)
{
    struct chronic_result r;
    evaluate(v, &r);
    char due[11];
    date_format(r.next_due, due);
    if (strcmp(chronic_class_name(r.classification), classification) ||
        strcmp(chronic_action_name(r.action), action) || strcmp(due, next_due))
        fail_msg("line %d, %s(age %d, %d/%d mmHg, fbg %.1f, heart rate %d, findings %#x, %d "
                 "uncontrolled before): %s, %s, %s; expected %s, %s, %s",
                 line, rule, v->age, v->sbp, v->dbp, v->fbg_tenths / 10.0, v->heart_rate,
                 (unsigned)v->findings, v->previous_uncontrolled,
                 chronic_class_name(r.classification), chronic_action_name(r.action), due,
                 classification, action, next_due);
}

static int has_reason(const struct chronic_result *r, const char *reason)
{
    for (int i = 0; i < r->reason_count; i++)
        if (strcmp(r->reasons[i], reason) == 0) return 1;
    return 0;
}

#define PLUS_3_MONTHS "2027-02-28"
#define PLUS_14_DAYS "2026-12-14"

static void hypertension_table_rows(void **state)
{
    (void)state;
    struct chronic_visit v;
    v = visit(50, 135, 85);
    expect(hypertension_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
    v = visit(50, 140, 85);
    expect(hypertension_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
    v = visit(70, 145, 85);
    expect(hypertension_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
    v = visit(70, 150, 85);
    expect(hypertension_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
    v = visit(50, 150, 95);
    v.previous_uncontrolled = 1;
    expect(hypertension_evaluate, &v, "consecutive_uncontrolled", "refer", PLUS_14_DAYS);
    v = visit(50, 180, 100);
    expect(hypertension_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
    v = visit(50, 130, 80);
    v.findings = FINDING_BIT(FINDING_SEVERE_HEADACHE);
    expect(hypertension_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
    v = visit(50, 130, 80);
    v.findings = FINDING_BIT(FINDING_NEW_COMPLICATION);
    expect(hypertension_evaluate, &v, "consecutive_uncontrolled", "refer", PLUS_14_DAYS);
    v = visit(50, 130, 80);
    v.findings = FINDING_BIT(FINDING_ADVERSE_REACTION);
    expect(hypertension_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
}

static void hypertension_target_depends_on_age_64_and_65(void **state)
{
    (void)state;
    struct chronic_visit v;
    v = visit(64, 139, 80);
    expect(hypertension_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
    v = visit(64, 140, 80);
    expect(hypertension_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
    v = visit(64, 149, 80);
    expect(hypertension_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
    v = visit(65, 149, 80);
    expect(hypertension_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
    v = visit(65, 150, 80);
    expect(hypertension_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
    v = visit(65, 139, 89);
    expect(hypertension_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
    v = visit(65, 139, 90); /* DBP target is 90 at every age */
    expect(hypertension_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
}

static void hypertension_emergency_thresholds_179_180_and_109_110(void **state)
{
    (void)state;
    struct chronic_visit v;
    v = visit(50, 179, 100);
    expect(hypertension_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
    v = visit(50, 180, 80);
    expect(hypertension_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
    v = visit(50, 150, 109);
    expect(hypertension_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
    v = visit(50, 150, 110);
    expect(hypertension_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
}

static void hypertension_every_emergency_finding(void **state)
{
    (void)state;
    static const enum finding EMERGENCY[] = {FINDING_ALTERED_CONSCIOUSNESS,
                                             FINDING_SEVERE_HEADACHE,
                                             FINDING_DIZZINESS,
                                             FINDING_VOMITING,
                                             FINDING_BLURRED_VISION,
                                             FINDING_EYE_PAIN,
                                             FINDING_PALPITATIONS,
                                             FINDING_CHEST_TIGHTNESS,
                                             FINDING_DYSPNOEA,
                                             FINDING_PREGNANT_OR_LACTATING,
                                             FINDING_UNMANAGEABLE_CONDITION};
    for (size_t i = 0; i < sizeof EMERGENCY / sizeof EMERGENCY[0]; i++) {
        struct chronic_visit v = visit(50, 120, 75);
        v.findings = FINDING_BIT(EMERGENCY[i]);
        struct chronic_result r;
        hypertension_evaluate(&v, &r);
        assert_string_equal(chronic_class_name(r.classification), "emergency");
        assert_true(has_reason(&r, finding_code(EMERGENCY[i])));
    }
    /* A diabetes-only sign does not make a hypertension visit an emergency. */
    struct chronic_visit v = visit(50, 120, 75);
    v.findings = FINDING_BIT(FINDING_ACETONE_BREATH);
    expect(hypertension_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
}

static void hypertension_consecutive_rules(void **state)
{
    (void)state;
    struct chronic_visit v = visit(50, 145, 85);
    v.previous_uncontrolled = 2;
    expect(hypertension_evaluate, &v, "consecutive_uncontrolled", "refer", PLUS_14_DAYS);
    v = visit(50, 130, 80); /* controlled after uncontrolled visits: back to continue */
    v.previous_uncontrolled = 3;
    expect(hypertension_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
    v = visit(50, 130, 80);
    v.findings = FINDING_BIT(FINDING_ADVERSE_REACTION_UNCONTROLLED);
    expect(hypertension_evaluate, &v, "consecutive_uncontrolled", "refer", PLUS_14_DAYS);
    v = visit(50, 130, 80);
    v.findings = FINDING_BIT(FINDING_ADVERSE_REACTION);
    v.previous_uncontrolled = 1;
    expect(hypertension_evaluate, &v, "consecutive_uncontrolled", "refer", PLUS_14_DAYS);
}

static void diabetes_table(void **state)
{
    (void)state;
    struct chronic_visit v;
    v = glucose(6.9);
    expect(diabetes_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
    v = glucose(7.0);
    expect(diabetes_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
    v = glucose(8.2);
    v.previous_uncontrolled = 1;
    expect(diabetes_evaluate, &v, "consecutive_uncontrolled", "refer", PLUS_14_DAYS);
    v = glucose(6.0);
    v.findings = FINDING_BIT(FINDING_NEW_COMPLICATION);
    expect(diabetes_evaluate, &v, "consecutive_uncontrolled", "refer", PLUS_14_DAYS);
    v = glucose(6.0);
    v.findings = FINDING_BIT(FINDING_ADVERSE_REACTION);
    expect(diabetes_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
}

static void diabetes_glucose_boundaries_16_6_16_7_3_9_4_0(void **state)
{
    (void)state;
    struct chronic_visit v;
    v = glucose(16.6);
    expect(diabetes_evaluate, &v, "first_uncontrolled", "adjust_medication", PLUS_14_DAYS);
    v = glucose(16.7);
    expect(diabetes_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
    v = glucose(3.9);
    expect(diabetes_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
    v = glucose(4.0);
    expect(diabetes_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
}

static void diabetes_vital_sign_boundaries_100_101_bpm_39_0_39_1(void **state)
{
    (void)state;
    struct chronic_visit v = glucose(6.5);
    v.has_heart_rate = 1;
    v.heart_rate = 100;
    expect(diabetes_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
    v.heart_rate = 101;
    expect(diabetes_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
    v = glucose(6.5);
    v.has_temperature = 1;
    v.temperature_tenths = chronic_tenths(39.0);
    expect(diabetes_evaluate, &v, "controlled", "continue", PLUS_3_MONTHS);
    v.temperature_tenths = chronic_tenths(39.1);
    expect(diabetes_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
    struct chronic_result r;
    diabetes_evaluate(&v, &r);
    assert_true(has_reason(&r, "temperature_gt_39"));
    v = glucose(6.5); /* blood pressure counts for diabetes too */
    v.has_sbp = v.has_dbp = 1;
    v.sbp = 180;
    v.dbp = 90;
    expect(diabetes_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
}

static void diabetes_every_emergency_finding(void **state)
{
    (void)state;
    static const enum finding EMERGENCY[] = {FINDING_ALTERED_CONSCIOUSNESS,
                                             FINDING_ACETONE_BREATH,
                                             FINDING_PALPITATIONS,
                                             FINDING_SWEATING,
                                             FINDING_VOMITING,
                                             FINDING_POLYURIA,
                                             FINDING_ABDOMINAL_PAIN,
                                             FINDING_DEEP_BREATHING,
                                             FINDING_FLUSHED_SKIN,
                                             FINDING_SUDDEN_VISION_LOSS,
                                             FINDING_PREGNANT_OR_LACTATING};
    for (size_t i = 0; i < sizeof EMERGENCY / sizeof EMERGENCY[0]; i++) {
        struct chronic_visit v = glucose(6.0);
        v.findings = FINDING_BIT(EMERGENCY[i]);
        expect(diabetes_evaluate, &v, "emergency", "urgent_refer", PLUS_14_DAYS);
    }
}

static struct chronic_visit danger(int level)
{
    struct chronic_visit v = visit(40, 0, 0);
    v.has_sbp = v.has_dbp = 0;
    v.danger_level = level;
    return v;
}

static void smd_danger_levels_and_findings(void **state)
{
    (void)state;
    struct chronic_visit v;
    v = danger(0);
    expect(smd_evaluate, &v, "stable", "continue", PLUS_3_MONTHS);
    for (int level = 1; level <= 2; level++) {
        v = danger(level);
        expect(smd_evaluate, &v, "basically_stable", "adjust_medication", PLUS_14_DAYS);
    }
    for (int level = 3; level <= 5; level++) {
        v = danger(level);
        expect(smd_evaluate, &v, "unstable", "urgent_refer", PLUS_14_DAYS);
    }
    static const enum finding UNSTABLE[] = {FINDING_PSYCHOTIC_SYMPTOMS, FINDING_NO_INSIGHT,
                                            FINDING_ADVERSE_REACTION_UNCONTROLLED,
                                            FINDING_SERIOUS_PHYSICAL_ILLNESS};
    for (size_t i = 0; i < 4; i++) {
        v = danger(0);
        v.findings = FINDING_BIT(UNSTABLE[i]);
        expect(smd_evaluate, &v, "unstable", "urgent_refer", PLUS_14_DAYS);
    }
    v = danger(0);
    v.findings = FINDING_BIT(FINDING_POOR_SOCIAL_FUNCTION);
    expect(smd_evaluate, &v, "basically_stable", "adjust_medication", PLUS_14_DAYS);
    v = danger(0);
    v.findings = FINDING_BIT(FINDING_ADVERSE_REACTION);
    expect(smd_evaluate, &v, "basically_stable", "adjust_medication", PLUS_14_DAYS);
}

static void smd_still_not_stable_at_the_recheck_is_referred(void **state)
{
    (void)state;
    struct chronic_visit v = danger(2);
    v.previous_uncontrolled = 1;
    expect(smd_evaluate, &v, "basically_stable", "refer", PLUS_14_DAYS);
    v = danger(0); /* stable at the recheck: back to three months */
    v.previous_uncontrolled = 1;
    expect(smd_evaluate, &v, "stable", "continue", PLUS_3_MONTHS);
}

static void month_end_clamping_and_names(void **state)
{
    (void)state;
    struct chronic_visit v = visit(50, 120, 70);
    v.visit_date = D("2027-05-31");
    expect(hypertension_evaluate, &v, "controlled", "continue", "2027-08-31");
    v.visit_date = D("2027-11-30");
    expect(hypertension_evaluate, &v, "controlled", "continue", "2028-02-29"); /* leap year */
    assert_true(chronic_class_is_uncontrolled(CLASS_EMERGENCY));
    assert_true(chronic_class_is_uncontrolled(CLASS_BASICALLY_STABLE));
    assert_false(chronic_class_is_uncontrolled(CLASS_STABLE));
    assert_int_equal(finding_parse("dyspnoea"), FINDING_DYSPNOEA);
    assert_int_equal(finding_parse("headache"), -1);
    for (int f = 0; f < FINDING_COUNT; f++)
        assert_int_equal(finding_parse(finding_code((enum finding)f)), f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hypertension_table_rows),
        cmocka_unit_test(hypertension_target_depends_on_age_64_and_65),
        cmocka_unit_test(hypertension_emergency_thresholds_179_180_and_109_110),
        cmocka_unit_test(hypertension_every_emergency_finding),
        cmocka_unit_test(hypertension_consecutive_rules),
        cmocka_unit_test(diabetes_table),
        cmocka_unit_test(diabetes_glucose_boundaries_16_6_16_7_3_9_4_0),
        cmocka_unit_test(diabetes_vital_sign_boundaries_100_101_bpm_39_0_39_1),
        cmocka_unit_test(diabetes_every_emergency_finding),
        cmocka_unit_test(smd_danger_levels_and_findings),
        cmocka_unit_test(smd_still_not_stable_at_the_recheck_is_referred),
        cmocka_unit_test(month_end_clamping_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
