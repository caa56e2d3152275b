/* screening.c - see screening.h. */
#include "domain/screening.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "domain/chronic.h"

static const char *const CODES[EXAM_ABNORMAL_COUNT] = {"bp_high",
                                                       "bp_very_high",
                                                       "fbg_high",
                                                       "fbg_very_high",
                                                       "fbg_low",
                                                       "tc_high",
                                                       "tg_high",
                                                       "ldl_high",
                                                       "hdl_low",
                                                       "overweight",
                                                       "obese",
                                                       "ecg_abnormal",
                                                       "ultrasound_abnormal",
                                                       "ecg_review",
                                                       "ultrasound_review"};

const char *exam_abnormal_code(enum exam_abnormal a)
{
    return a >= 0 && a < EXAM_ABNORMAL_COUNT ? CODES[a] : "unknown";
}

static struct string_list default_of(const char *key)
{
    const struct protocol_list *list = protocol_list_find(key);
    assert(list);
    return protocol_list_default(list);
}

struct exam_terms exam_terms_default(void)
{
    return (struct exam_terms){
        {default_of("ecg_normal"), default_of("ecg_abnormal")},
        {default_of("ultrasound_normal"), default_of("ultrasound_abnormal")}};
}

/* The code a conclusion's verdict adds to the set: abnormal, review, or none. */
static exam_abnormal_set conclusion_bits(enum conclusion_verdict v, enum exam_abnormal abnormal,
                                         enum exam_abnormal review)
{
    return v == CONCLUSION_ABNORMAL  ? EXAM_BIT(abnormal)
           : v == CONCLUSION_UNKNOWN ? EXAM_BIT(review)
                                     : 0;
}

int exam_bmi_tenths(int height_cm_tenths, int weight_kg_tenths)
{
    if (height_cm_tenths <= 0 || weight_kg_tenths <= 0) return 0;
    /* bmi x10 = 10 (w / 10) / (h / 1000)^2 = w x 10^6 / h^2, w and h in tenths */
    long long num = (long long)weight_kg_tenths * 1000000LL;
    long long den = (long long)height_cm_tenths * height_cm_tenths;
    return (int)((num + den / 2) / den);
}

exam_abnormal_set exam_evaluate(const struct exam_values *v, const struct protocol_config *c,
                                const struct exam_terms *terms, struct exam_readings *readings)
{
    exam_abnormal_set s = 0;
    if ((v->has_sbp && v->sbp >= c->exam_sbp_high) || (v->has_dbp && v->dbp >= c->exam_dbp_high))
        s |= EXAM_BIT(EXAM_BP_HIGH);
    if ((v->has_sbp && v->sbp >= HTN_EMERGENCY_SBP) || (v->has_dbp && v->dbp >= HTN_EMERGENCY_DBP))
        s |= EXAM_BIT(EXAM_BP_VERY_HIGH);
    if (v->has_fbg) {
        if (v->fbg_tenths >= c->exam_fbg_high_tenths) s |= EXAM_BIT(EXAM_FBG_HIGH);
        if (v->fbg_tenths >= DM_EMERGENCY_FBG_HIGH_TENTHS) s |= EXAM_BIT(EXAM_FBG_VERY_HIGH);
        if (v->fbg_tenths < DM_EMERGENCY_FBG_LOW_TENTHS) s |= EXAM_BIT(EXAM_FBG_LOW);
    }
    if (v->has_tc && v->tc_hundredths >= c->exam_tc_high_hundredths) s |= EXAM_BIT(EXAM_TC_HIGH);
    if (v->has_tg && v->tg_hundredths >= c->exam_tg_high_hundredths) s |= EXAM_BIT(EXAM_TG_HIGH);
    if (v->has_ldl && v->ldl_hundredths >= c->exam_ldl_high_hundredths)
        s |= EXAM_BIT(EXAM_LDL_HIGH);
    if (v->has_hdl && v->hdl_hundredths < c->exam_hdl_low_hundredths) s |= EXAM_BIT(EXAM_HDL_LOW);
    if (v->has_bmi) {
        if (v->bmi_tenths >= c->exam_bmi_obese_tenths)
            s |= EXAM_BIT(EXAM_OBESE);
        else if (v->bmi_tenths >= c->exam_bmi_overweight_tenths)
            s |= EXAM_BIT(EXAM_OVERWEIGHT);
    }
    struct exam_readings local;
    struct exam_readings *read = readings ? readings : &local;
    s |= conclusion_bits(conclusion_read(v->ecg, &terms->ecg, &read->ecg), EXAM_ECG_ABNORMAL,
                         EXAM_ECG_REVIEW);
    s |= conclusion_bits(conclusion_read(v->ultrasound, &terms->ultrasound, &read->ultrasound),
                         EXAM_ULTRASOUND_ABNORMAL, EXAM_ULTRASOUND_REVIEW);
    return s;
}

int exam_needs_task(exam_abnormal_set set)
{
    return (set & ~(EXAM_BIT(EXAM_OVERWEIGHT) | EXAM_REVIEW_BITS)) != 0;
}

int exam_needs_review(exam_abnormal_set set)
{
    return !exam_needs_task(set) && (set & EXAM_REVIEW_BITS) != 0;
}

void exam_task_note(exam_abnormal_set set, char *note, size_t size)
{
    note[0] = '\0';
    for (int a = 0; a < EXAM_ABNORMAL_COUNT; a++) {
        size_t used = strlen(note);
        if (set & EXAM_BIT(a))
            snprintf(note + used, size - used, "%s%s", used ? "," : "",
                     exam_abnormal_code((enum exam_abnormal)a));
    }
}

void exam_review_note(exam_abnormal_set set, const struct exam_readings *read, char *note,
                      size_t size)
{
    const struct {
        enum exam_abnormal code;
        const struct conclusion_reading *reading;
    } parts[] = {{EXAM_ECG_REVIEW, &read->ecg}, {EXAM_ULTRASOUND_REVIEW, &read->ultrasound}};
    note[0] = '\0';
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!(set & EXAM_BIT(parts[i].code))) continue;
        size_t used = strlen(note);
        int n = snprintf(note + used, size - used, "%s%s:", used ? ";" : "",
                         exam_abnormal_code(parts[i].code));
        if (n < 0 || (size_t)n >= size - used) return;
        used += (size_t)n;
        if (conclusion_join(parts[i].reading, CONCLUSION_UNKNOWN, "、", note + used, size - used) >=
            size - used)
            return;
    }
}

int exam_is_urgent(exam_abnormal_set set)
{
    return (set & (EXAM_BIT(EXAM_BP_VERY_HIGH) | EXAM_BIT(EXAM_FBG_VERY_HIGH) |
                   EXAM_BIT(EXAM_FBG_LOW))) != 0;
}

enum reading_level device_reading_check(const struct device_reading *r,
                                        const struct protocol_config *c, const char **reason)
{
    *reason = NULL;
    /* Urgent first ([spec] emergency levels), then the [jiayi] warning levels. */
    if ((r->has_sbp && r->sbp >= HTN_EMERGENCY_SBP) || (r->has_dbp && r->dbp >= HTN_EMERGENCY_DBP))
        return *reason = "bp_very_high", READING_URGENT;
    if (r->has_glucose && r->glucose_tenths >= DM_EMERGENCY_FBG_HIGH_TENTHS)
        return *reason = "glucose_very_high", READING_URGENT;
    if (r->has_glucose && r->glucose_tenths < DM_EMERGENCY_FBG_LOW_TENTHS)
        return *reason = "glucose_low", READING_URGENT;
    if ((r->has_sbp && r->sbp >= c->device_sbp_high) ||
        (r->has_dbp && r->dbp >= c->device_dbp_high))
        return *reason = "bp_high", READING_WARNING;
    if (r->has_sbp && r->sbp < c->device_sbp_low) return *reason = "bp_low", READING_WARNING;
    if (r->has_glucose && r->glucose_tenths >= c->device_glucose_high_tenths)
        return *reason = "glucose_high", READING_WARNING;
    return READING_NORMAL;
}

const char *reading_level_name(enum reading_level level)
{
    static const char *const NAMES[] = {"normal", "warning", "urgent"};
    return level <= READING_URGENT ? NAMES[level] : "normal";
}

enum reading_verdict bp_verdict(int sbp, int dbp, int age, const struct protocol_config *c)
{
    if (sbp >= HTN_EMERGENCY_SBP || dbp >= HTN_EMERGENCY_DBP) return VERDICT_VERY_HIGH;
    if (sbp >= hypertension_target_sbp(age) || dbp >= HTN_TARGET_DBP) return VERDICT_HIGH;
    if (sbp < c->device_sbp_low) return VERDICT_LOW;
    return VERDICT_NORMAL;
}

enum reading_verdict glucose_verdict(int fbg_tenths)
{
    if (fbg_tenths >= DM_EMERGENCY_FBG_HIGH_TENTHS) return VERDICT_VERY_HIGH;
    if (fbg_tenths <= DM_EMERGENCY_FBG_LOW_TENTHS) return VERDICT_VERY_LOW;
    if (fbg_tenths >= DM_TARGET_FBG_TENTHS) return VERDICT_HIGH;
    return VERDICT_NORMAL;
}

const char *reading_verdict_name(enum reading_verdict v)
{
    static const char *const NAMES[] = {"normal", "high", "very_high", "low", "very_low"};
    return v <= VERDICT_VERY_LOW ? NAMES[v] : "normal";
}
