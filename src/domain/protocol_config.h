/* protocol_config.h - the thresholds and intervals PROTOCOLS.md marks [jiayi]: a locality
 * may change them (the system admin edits them through the protocol_settings table, each
 * change a new version); the defaults are what PROTOCOLS.md writes. [spec] rules stay
 * constants in their own headers. */
#ifndef JIAYI_DOMAIN_PROTOCOL_CONFIG_H
#define JIAYI_DOMAIN_PROTOCOL_CONFIG_H

struct protocol_config {
    /* §5 elderly risk colour and visit interval */
    int elderly_red_self_care;      /* self-care score at or above: red (9) */
    int elderly_red_emergency_days; /* an emergency within this many days: red (90) */
    int elderly_red_uncontrolled; /* this many programs with an uncontrolled latest result: red (2)
                                   */
    int elderly_yellow_self_care; /* self-care score at or above: yellow (4) */
    int elderly_red_months, elderly_yellow_months, elderly_green_months; /* 1, 3, 12 */
    /* §6 child check windows */
    int child_newborn_days; /* newborn visit within this many days of discharge (7) */
    int child_month1_from, child_month1_to;        /* full-month check, days after birth (28, 42) */
    int child_infant_before, child_infant_after;   /* months 3-12: target -14 .. +30 days */
    int child_toddler_before, child_toddler_after; /* months 18-36: target -30 .. +60 days */
    /* §7 maternal */
    int maternal_postpartum_visit_days;     /* home visit within this many days of discharge (7) */
    int maternal_42d_from, maternal_42d_to; /* the 42-day check, days after delivery (42, 56) */
    /* Physical-exam results that raise a risk warning (screening.h) */
    int exam_sbp_high, exam_dbp_high; /* mmHg, at or above (140, 90) */
    int exam_fbg_high_tenths;         /* mmol/L x10, at or above (70) */
    int exam_tc_high_hundredths;      /* mmol/L x100, at or above (620) */
    int exam_tg_high_hundredths;      /* (230) */
    int exam_ldl_high_hundredths;     /* (410) */
    int exam_hdl_low_hundredths;      /* below (100) */
    int exam_bmi_overweight_tenths;   /* kg/m² x10, at or above (240) */
    int exam_bmi_obese_tenths;        /* (280) */
    /* Home device readings out of range: a warning task for the team */
    int device_sbp_high, device_dbp_high; /* at or above (160, 100) */
    int device_sbp_low;                   /* below (90) */
    int device_glucose_high_tenths;       /* at or above (139) */
    /* Referrals a result creates (referral.h): the task to confirm the patient was seen */
    int referral_confirm_days;        /* after a `refer` follow-up (7) */
    int urgent_referral_confirm_days; /* after `urgent_refer` (0: the same day) */
    int pregnancy_risk_task_days;     /* after a yellow-or-higher risk assessment (3, §7) */
    /* Prescriptions (long_prescription.h, issue 15) */
    int long_prescription_min_days;      /* a long prescription covers at least (28) */
    int long_prescription_max_days;      /* and at most (56) days */
    int long_prescription_followup_days; /* the controlled follow-up is at most this old (90) */
    int extended_source_days; /* the hospital prescription continued is at most this old (90) */
    /* A returned up-referral: the family doctor's task to take it over (issue 15) */
    int referral_return_days; /* due this many days after the return (3) */
    /* The post-visit call (issue 19): days after a discharge, and after a changed treatment */
    int post_discharge_call_days; /* (3) */
    int post_treatment_call_days; /* (7) */
    /* COPD follow-up (domain/copd.h, docs/copd.md, issue 19): all [jiayi] */
    int copd_first_visit_days;       /* the first assessment after enrolment (14) */
    int copd_interval_a_days;        /* group A: the next visit after (180) */
    int copd_interval_b_days;        /* group B (90) */
    int copd_interval_e_days;        /* group E (30) */
    int copd_post_exacerbation_days; /* after an exacerbation, treated or referred (14) */
    int copd_spirometry_months;      /* spirometry again after (12) */
    int copd_review_months;          /* group E: a specialist review again after (6) */
    int copd_spo2_urgent;            /* SpO2 % below: urgent referral (90) */
};

struct protocol_setting {
    const char *key;
    int min, max;
    int offset; /* of the int in struct protocol_config */
};

struct protocol_config protocol_config_default(void);
/* The settings table: every key, its bounds and where it lives; ends with a NULL key. */
extern const struct protocol_setting PROTOCOL_SETTINGS[];
/* The setting for a key, or NULL. */
const struct protocol_setting *protocol_setting_find(const char *key);
int *protocol_config_field(struct protocol_config *c, const struct protocol_setting *s);
/* 0 when the values are coherent (bounds, and each window's start before its end),
 * else -1 with the offending key in *bad_key. */
int protocol_config_check(const struct protocol_config *c, const char **bad_key);

#endif
