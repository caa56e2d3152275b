/* chronic.h - the follow-up rules of the national specification for hypertension (§3),
 * type 2 diabetes (§4) and severe mental disorders (§8) of PROTOCOLS.md: classify one
 * visit, choose the action and the next due date. Pure; the caller gives the visit. */
#ifndef JIAYI_DOMAIN_CHRONIC_H
#define JIAYI_DOMAIN_CHRONIC_H

#include "domain/findings.h"
#include "util/date.h"

/* [spec] intervals and thresholds. Glucose and temperature are compared in tenths
 * (mmol/L x 10, degrees x 10) so that 16.7 and 3.9 mean exactly what the table says. */
#define CHRONIC_CONTROLLED_MONTHS 3
#define CHRONIC_RECHECK_DAYS 14
#define HTN_EMERGENCY_SBP 180
#define HTN_EMERGENCY_DBP 110
#define HTN_TARGET_SBP 140
#define HTN_TARGET_SBP_ELDERLY 150
#define HTN_TARGET_DBP 90
#define HTN_ELDERLY_TARGET_AGE 65
#define DM_EMERGENCY_FBG_HIGH_TENTHS 167
#define DM_EMERGENCY_FBG_LOW_TENTHS 39
#define DM_TARGET_FBG_TENTHS 70
#define DM_EMERGENCY_HEART_RATE 100         /* above this */
#define DM_EMERGENCY_TEMPERATURE_TENTHS 390 /* above this */

enum chronic_class {
    CLASS_CONTROLLED,
    CLASS_FIRST_UNCONTROLLED,
    CLASS_CONSECUTIVE_UNCONTROLLED,
    CLASS_EMERGENCY,
    CLASS_STABLE,
    CLASS_BASICALLY_STABLE,
    CLASS_UNSTABLE
};

enum chronic_action {
    ACTION_CONTINUE,
    ACTION_ADJUST_MEDICATION,
    ACTION_REFER,
    ACTION_URGENT_REFER
};

/* One follow-up visit. A measurement that was not taken has its has_ flag 0. */
struct chronic_visit {
    struct date visit_date;
    int age;
    int has_sbp, sbp, has_dbp, dbp;          /* mmHg */
    int has_fbg, fbg_tenths;                 /* mmol/L x 10 */
    int has_heart_rate, heart_rate;          /* beats per minute */
    int has_temperature, temperature_tenths; /* degrees Celsius x 10 */
    int danger_level;                        /* 0-5, severe mental disorders only; -1 unknown */
    finding_set findings;
    int previous_uncontrolled; /* uncontrolled results in a row just before this one */
};

#define CHRONIC_MAX_REASONS 24

struct chronic_result {
    enum chronic_class classification;
    enum chronic_action action;
    struct date next_due;
    int reason_count;
    const char *reasons[CHRONIC_MAX_REASONS]; /* static strings: why, in rule order */
};

void hypertension_evaluate(const struct chronic_visit *v, struct chronic_result *out);
void diabetes_evaluate(const struct chronic_visit *v, struct chronic_result *out);
void smd_evaluate(const struct chronic_visit *v, struct chronic_result *out);

/* The systolic target of §3 at this age: below 140 mmHg, from 65 years below 150. */
int hypertension_target_sbp(int age);

const char *chronic_class_name(enum chronic_class c);
const char *chronic_action_name(enum chronic_action a);
/* 1 when a result counts as "not controlled" for previous_uncontrolled: first or
 * consecutive uncontrolled, emergency, basically stable, unstable. */
int chronic_class_is_uncontrolled(enum chronic_class c);
/* Rounds a decimal measurement (16.7) to tenths (167), half away from zero. */
int chronic_tenths(double value);

#endif
