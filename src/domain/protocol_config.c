/* protocol_config.c - see protocol_config.h. */
#include "domain/protocol_config.h"

#include <stddef.h>
#include <string.h>

struct protocol_config protocol_config_default(void)
{
    struct protocol_config c = {
        .elderly_red_self_care = 9,
        .elderly_red_emergency_days = 90,
        .elderly_red_uncontrolled = 2,
        .elderly_yellow_self_care = 4,
        .elderly_red_months = 1,
        .elderly_yellow_months = 3,
        .elderly_green_months = 12,
        .child_newborn_days = 7,
        .child_month1_from = 28,
        .child_month1_to = 42,
        .child_infant_before = 14,
        .child_infant_after = 30,
        .child_toddler_before = 30,
        .child_toddler_after = 60,
        .maternal_postpartum_visit_days = 7,
        .maternal_42d_from = 42,
        .maternal_42d_to = 56,
        .exam_sbp_high = 140,
        .exam_dbp_high = 90,
        .exam_fbg_high_tenths = 70,
        .exam_tc_high_hundredths = 620,
        .exam_tg_high_hundredths = 230,
        .exam_ldl_high_hundredths = 410,
        .exam_hdl_low_hundredths = 100,
        .exam_bmi_overweight_tenths = 240,
        .exam_bmi_obese_tenths = 280,
        .device_sbp_high = 160,
        .device_dbp_high = 100,
        .device_sbp_low = 90,
        .device_glucose_high_tenths = 139,
        .referral_confirm_days = 7,
        .urgent_referral_confirm_days = 0,
        .pregnancy_risk_task_days = 3,
        .long_prescription_min_days = 28,
        .long_prescription_max_days = 56,
        .long_prescription_followup_days = 90,
        .extended_source_days = 90,
        .referral_return_days = 3,
        .post_discharge_call_days = 3,
        .post_treatment_call_days = 7,
        .copd_first_visit_days = 14,
        .copd_interval_a_days = 180,
        .copd_interval_b_days = 90,
        .copd_interval_e_days = 30,
        .copd_post_exacerbation_days = 14,
        .copd_spirometry_months = 12,
        .copd_review_months = 6,
        .copd_spo2_urgent = 90,
    };
    return c;
}

#define SETTING(name, lo, hi)                                                                      \
    {                                                                                              \
#name, lo, hi, offsetof(struct protocol_config, name)                                      \
    }

const struct protocol_setting PROTOCOL_SETTINGS[] = {
    SETTING(elderly_red_self_care, 1, 100),
    SETTING(elderly_red_emergency_days, 0, 365),
    SETTING(elderly_red_uncontrolled, 1, 10),
    SETTING(elderly_yellow_self_care, 1, 100),
    SETTING(elderly_red_months, 1, 12),
    SETTING(elderly_yellow_months, 1, 12),
    SETTING(elderly_green_months, 1, 24),
    SETTING(child_newborn_days, 1, 28),
    SETTING(child_month1_from, 14, 60),
    SETTING(child_month1_to, 14, 60),
    SETTING(child_infant_before, 0, 45),
    SETTING(child_infant_after, 0, 45),
    SETTING(child_toddler_before, 0, 90),
    SETTING(child_toddler_after, 0, 90),
    SETTING(maternal_postpartum_visit_days, 1, 28),
    SETTING(maternal_42d_from, 28, 90),
    SETTING(maternal_42d_to, 28, 90),
    SETTING(exam_sbp_high, 100, 200),
    SETTING(exam_dbp_high, 60, 130),
    SETTING(exam_fbg_high_tenths, 50, 200),
    SETTING(exam_tc_high_hundredths, 300, 1000),
    SETTING(exam_tg_high_hundredths, 100, 1000),
    SETTING(exam_ldl_high_hundredths, 150, 800),
    SETTING(exam_hdl_low_hundredths, 50, 200),
    SETTING(exam_bmi_overweight_tenths, 180, 400),
    SETTING(exam_bmi_obese_tenths, 180, 400),
    SETTING(device_sbp_high, 120, 200),
    SETTING(device_dbp_high, 70, 130),
    SETTING(device_sbp_low, 60, 120),
    SETTING(device_glucose_high_tenths, 70, 300),
    SETTING(referral_confirm_days, 0, 30),
    SETTING(urgent_referral_confirm_days, 0, 3),
    SETTING(pregnancy_risk_task_days, 0, 3),
    SETTING(long_prescription_min_days, 8, 90),
    SETTING(long_prescription_max_days, 8, 90),
    SETTING(long_prescription_followup_days, 7, 365),
    SETTING(extended_source_days, 1, 365),
    SETTING(referral_return_days, 0, 14),
    SETTING(post_discharge_call_days, 0, 30),
    SETTING(post_treatment_call_days, 0, 30),
    SETTING(copd_first_visit_days, 0, 90),
    SETTING(copd_interval_a_days, 7, 365),
    SETTING(copd_interval_b_days, 7, 365),
    SETTING(copd_interval_e_days, 7, 365),
    SETTING(copd_post_exacerbation_days, 1, 60),
    SETTING(copd_spirometry_months, 1, 36),
    SETTING(copd_review_months, 1, 24),
    SETTING(copd_spo2_urgent, 80, 95),
    {NULL, 0, 0, 0},
};

const struct protocol_setting *protocol_setting_find(const char *key)
{
    for (const struct protocol_setting *s = PROTOCOL_SETTINGS; key && s->key; s++)
        if (strcmp(s->key, key) == 0) return s;
    return NULL;
}

int *protocol_config_field(struct protocol_config *c, const struct protocol_setting *s)
{
    return (int *)(void *)((char *)c + s->offset);
}

int protocol_config_check(const struct protocol_config *c, const char **bad_key)
{
    struct protocol_config copy = *c;
    for (const struct protocol_setting *s = PROTOCOL_SETTINGS; s->key; s++) {
        int v = *protocol_config_field(&copy, s);
        if (v < s->min || v > s->max) {
            *bad_key = s->key;
            return -1;
        }
    }
    /* Windows must open before they close, and yellow must sit below red. */
    if (c->child_month1_from > c->child_month1_to) return *bad_key = "child_month1_to", -1;
    if (c->maternal_42d_from > c->maternal_42d_to) return *bad_key = "maternal_42d_to", -1;
    if (c->elderly_yellow_self_care > c->elderly_red_self_care)
        return *bad_key = "elderly_yellow_self_care", -1;
    if (c->exam_bmi_overweight_tenths > c->exam_bmi_obese_tenths)
        return *bad_key = "exam_bmi_overweight_tenths", -1;
    if (c->device_sbp_low >= c->device_sbp_high) return *bad_key = "device_sbp_low", -1;
    if (c->long_prescription_min_days > c->long_prescription_max_days)
        return *bad_key = "long_prescription_min_days", -1;
    return 0;
}
