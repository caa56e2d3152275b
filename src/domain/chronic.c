/* chronic.c - see chronic.h. Each evaluator applies the specification's steps in order
 * (emergency, controlled, first or consecutive uncontrolled) and records why. */
#include "domain/chronic.h"

#include <math.h>

static void add_reason(struct chronic_result *out, const char *reason)
{
    if (out->reason_count < CHRONIC_MAX_REASONS) out->reasons[out->reason_count++] = reason;
}

/* Adds each finding of `wanted` that is present, as its own code; returns how many. */
static int add_findings(struct chronic_result *out, finding_set present, finding_set wanted)
{
    int n = 0;
    for (int f = 0; f < FINDING_COUNT; f++)
        if (present & wanted & FINDING_BIT(f)) {
            add_reason(out, finding_code((enum finding)f));
            n++;
        }
    return n;
}

static void decide(const struct chronic_visit *v, struct chronic_result *out, enum chronic_class c)
{
    out->classification = c;
    switch (c) {
    case CLASS_CONTROLLED:
    case CLASS_STABLE:
        out->action = ACTION_CONTINUE;
        break;
    case CLASS_FIRST_UNCONTROLLED:
    case CLASS_BASICALLY_STABLE:
        out->action = ACTION_ADJUST_MEDICATION;
        break;
    case CLASS_CONSECUTIVE_UNCONTROLLED:
        out->action = ACTION_REFER;
        break;
    case CLASS_EMERGENCY:
    case CLASS_UNSTABLE:
        out->action = ACTION_URGENT_REFER;
        break;
    }
    out->next_due = out->action == ACTION_CONTINUE
                        ? date_add_months(v->visit_date, CHRONIC_CONTROLLED_MONTHS)
                        : date_add_days(v->visit_date, CHRONIC_RECHECK_DAYS);
}

static void start(struct chronic_result *out)
{
    out->reason_count = 0;
    out->action = ACTION_CONTINUE;
}

/* Steps 2-4 shared by hypertension and diabetes, once the emergency step found nothing:
 * `off_target` says whether the measurement missed its target. */
static void uncontrolled_steps(const struct chronic_visit *v, struct chronic_result *out,
                               int off_target)
{
    static const finding_set ESCALATING =
        FINDING_BIT(FINDING_ADVERSE_REACTION_UNCONTROLLED) | FINDING_BIT(FINDING_NEW_COMPLICATION);
    int escalating = add_findings(out, v->findings, ESCALATING) > 0;
    int reaction = add_findings(out, v->findings, FINDING_BIT(FINDING_ADVERSE_REACTION)) > 0;
    if (!off_target && !reaction && !escalating) {
        decide(v, out, CLASS_CONTROLLED);
        return;
    }
    if (v->previous_uncontrolled > 0) add_reason(out, "previous_uncontrolled");
    decide(v, out,
           escalating || v->previous_uncontrolled > 0 ? CLASS_CONSECUTIVE_UNCONTROLLED
                                                      : CLASS_FIRST_UNCONTROLLED);
}

static int bp_emergency(const struct chronic_visit *v, struct chronic_result *out)
{
    int n = 0;
    if (v->has_sbp && v->sbp >= HTN_EMERGENCY_SBP) add_reason(out, "sbp_ge_180"), n++;
    if (v->has_dbp && v->dbp >= HTN_EMERGENCY_DBP) add_reason(out, "dbp_ge_110"), n++;
    return n;
}

void hypertension_evaluate(const struct chronic_visit *v, struct chronic_result *out)
{
    static const finding_set EMERGENCY =
        FINDING_BIT(FINDING_ALTERED_CONSCIOUSNESS) | FINDING_BIT(FINDING_SEVERE_HEADACHE) |
        FINDING_BIT(FINDING_DIZZINESS) | FINDING_BIT(FINDING_VOMITING) |
        FINDING_BIT(FINDING_BLURRED_VISION) | FINDING_BIT(FINDING_EYE_PAIN) |
        FINDING_BIT(FINDING_PALPITATIONS) | FINDING_BIT(FINDING_CHEST_TIGHTNESS) |
        FINDING_BIT(FINDING_DYSPNOEA) | FINDING_BIT(FINDING_PREGNANT_OR_LACTATING) |
        FINDING_BIT(FINDING_UNMANAGEABLE_CONDITION);
    start(out);
    if (bp_emergency(v, out) + add_findings(out, v->findings, EMERGENCY) > 0) {
        decide(v, out, CLASS_EMERGENCY);
        return;
    }
    /* The target is looser from 65: SBP < 150 instead of < 140; DBP < 90 at any age. */
    int target_sbp = hypertension_target_sbp(v->age);
    int off = 0;
    if (!v->has_sbp || v->sbp >= target_sbp) add_reason(out, "sbp_above_target"), off = 1;
    if (!v->has_dbp || v->dbp >= HTN_TARGET_DBP) add_reason(out, "dbp_above_target"), off = 1;
    uncontrolled_steps(v, out, off);
}

void diabetes_evaluate(const struct chronic_visit *v, struct chronic_result *out)
{
    static const finding_set EMERGENCY =
        FINDING_BIT(FINDING_ALTERED_CONSCIOUSNESS) | FINDING_BIT(FINDING_ACETONE_BREATH) |
        FINDING_BIT(FINDING_PALPITATIONS) | FINDING_BIT(FINDING_SWEATING) |
        FINDING_BIT(FINDING_VOMITING) | FINDING_BIT(FINDING_POLYURIA) |
        FINDING_BIT(FINDING_ABDOMINAL_PAIN) | FINDING_BIT(FINDING_DEEP_BREATHING) |
        FINDING_BIT(FINDING_FLUSHED_SKIN) | FINDING_BIT(FINDING_SUDDEN_VISION_LOSS) |
        FINDING_BIT(FINDING_PREGNANT_OR_LACTATING) | FINDING_BIT(FINDING_UNMANAGEABLE_CONDITION);
    start(out);
    int n = 0;
    if (v->has_fbg && v->fbg_tenths >= DM_EMERGENCY_FBG_HIGH_TENTHS)
        add_reason(out, "fbg_ge_16_7"), n++;
    if (v->has_fbg && v->fbg_tenths <= DM_EMERGENCY_FBG_LOW_TENTHS)
        add_reason(out, "fbg_le_3_9"), n++;
    n += bp_emergency(v, out);
    if (v->has_heart_rate && v->heart_rate > DM_EMERGENCY_HEART_RATE)
        add_reason(out, "heart_rate_gt_100"), n++;
    if (v->has_temperature && v->temperature_tenths > DM_EMERGENCY_TEMPERATURE_TENTHS)
        add_reason(out, "temperature_gt_39"), n++;
    if (n + add_findings(out, v->findings, EMERGENCY) > 0) {
        decide(v, out, CLASS_EMERGENCY);
        return;
    }
    int off = !v->has_fbg || v->fbg_tenths >= DM_TARGET_FBG_TENTHS;
    if (off) add_reason(out, "fbg_ge_7");
    uncontrolled_steps(v, out, off);
}

void smd_evaluate(const struct chronic_visit *v, struct chronic_result *out)
{
    static const finding_set UNSTABLE = FINDING_BIT(FINDING_PSYCHOTIC_SYMPTOMS) |
                                        FINDING_BIT(FINDING_NO_INSIGHT) |
                                        FINDING_BIT(FINDING_ADVERSE_REACTION_UNCONTROLLED) |
                                        FINDING_BIT(FINDING_SERIOUS_PHYSICAL_ILLNESS);
    static const finding_set BASICALLY_STABLE =
        FINDING_BIT(FINDING_POOR_SOCIAL_FUNCTION) | FINDING_BIT(FINDING_ADVERSE_REACTION);
    start(out);
    int n = 0;
    if (v->danger_level >= 3) add_reason(out, "danger_level_3_5"), n++;
    if (n + add_findings(out, v->findings, UNSTABLE) > 0) {
        decide(v, out, CLASS_UNSTABLE);
        return;
    }
    if (v->danger_level >= 1) add_reason(out, "danger_level_1_2"), n++;
    if (n + add_findings(out, v->findings, BASICALLY_STABLE) > 0) {
        /* Still not stable at the two-week recheck: refer. */
        if (v->previous_uncontrolled > 0) {
            add_reason(out, "previous_uncontrolled");
            decide(v, out, CLASS_BASICALLY_STABLE);
            out->action = ACTION_REFER;
            return;
        }
        decide(v, out, CLASS_BASICALLY_STABLE);
        return;
    }
    decide(v, out, CLASS_STABLE);
}

int hypertension_target_sbp(int age)
{
    return age >= HTN_ELDERLY_TARGET_AGE ? HTN_TARGET_SBP_ELDERLY : HTN_TARGET_SBP;
}

const char *chronic_class_name(enum chronic_class c)
{
    static const char *const NAMES[] = {"controlled",
                                        "first_uncontrolled",
                                        "consecutive_uncontrolled",
                                        "emergency",
                                        "stable",
                                        "basically_stable",
                                        "unstable"};
    return c >= 0 && c <= CLASS_UNSTABLE ? NAMES[c] : "?";
}

const char *chronic_action_name(enum chronic_action a)
{
    static const char *const NAMES[] = {"continue", "adjust_medication", "refer", "urgent_refer"};
    return a >= 0 && a <= ACTION_URGENT_REFER ? NAMES[a] : "?";
}

int chronic_class_is_uncontrolled(enum chronic_class c)
{
    return c != CLASS_CONTROLLED && c != CLASS_STABLE;
}

int chronic_tenths(double value)
{
    return (int)lround(value * 10.0);
}
