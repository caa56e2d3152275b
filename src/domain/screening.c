/* screening.c - see screening.h. */
#include "domain/screening.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "domain/chronic.h"

static const char *const CODES[EXAM_ABNORMAL_COUNT] = {
    "bp_high", "bp_very_high", "fbg_high",           "fbg_very_high", "fbg_low",
    "tc_high", "tg_high",      "ldl_high",           "hdl_low",       "overweight",
    "obese",   "ecg_abnormal", "ultrasound_abnormal"};

const char *exam_abnormal_code(enum exam_abnormal a)
{
    return a >= 0 && a < EXAM_ABNORMAL_COUNT ? CODES[a] : "unknown";
}

/* strstr ignoring ASCII case (the Chinese words have none). */
static int contains(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (; *text; text++)
        if (strncasecmp(text, word, n) == 0) return 1;
    return 0;
}

int exam_conclusion_normal(const char *text)
{
    if (!text || !*text) return 1; /* no conclusion: nothing to flag */
    /* "未见明显异常" and "正常心电图" read as normal; "异常" anywhere else does not. */
    static const char *const NORMAL[] = {"未见异常", "未见明显异常", "无异常",         "正常",
                                         "窦性心律", "normal",       "no abnormality", NULL};
    if (contains(text, "未见") || contains(text, "no abnormal")) return 1;
    if (contains(text, "异常") || contains(text, "abnormal")) return 0;
    for (int i = 0; NORMAL[i]; i++)
        if (contains(text, NORMAL[i])) return 1;
    return 0;
}

int exam_bmi_tenths(int height_cm_tenths, int weight_kg_tenths)
{
    if (height_cm_tenths <= 0 || weight_kg_tenths <= 0) return 0;
    /* bmi x10 = 10 (w / 10) / (h / 1000)^2 = w x 10^6 / h^2, w and h in tenths */
    long long num = (long long)weight_kg_tenths * 1000000LL;
    long long den = (long long)height_cm_tenths * height_cm_tenths;
    return (int)((num + den / 2) / den);
}

exam_abnormal_set exam_evaluate(const struct exam_values *v, const struct protocol_config *c)
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
    if (!exam_conclusion_normal(v->ecg)) s |= EXAM_BIT(EXAM_ECG_ABNORMAL);
    if (!exam_conclusion_normal(v->ultrasound)) s |= EXAM_BIT(EXAM_ULTRASOUND_ABNORMAL);
    return s;
}

int exam_needs_task(exam_abnormal_set set)
{
    return (set & ~EXAM_BIT(EXAM_OVERWEIGHT)) != 0;
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
