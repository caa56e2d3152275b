/* screening.h - what an annual physical exam or a home device reading says about risk:
 * the abnormal results of an exam row (each becomes a risk warning in the record and a
 * task for the team), and whether a device reading is out of range. Thresholds are [jiayi]
 * settings (protocol_config.h); values arrive in integer units (mmHg, tenths of mmol/L
 * for glucose, hundredths of mmol/L for lipids, tenths of kg/m² for BMI) so every
 * comparison is exact at the boundary. The free-text ECG and ultrasound conclusions are
 * read with the versioned term lists (conclusion.h): a known abnormal finding is an
 * abnormal result, text the lists do not know asks a doctor to read it (the *_review
 * codes, which open a review task rather than a warning). */
#ifndef JIAYI_DOMAIN_SCREENING_H
#define JIAYI_DOMAIN_SCREENING_H

#include <stddef.h>
#include <stdint.h>

#include "domain/conclusion.h"
#include "domain/protocol_config.h"

enum exam_abnormal {
    EXAM_BP_HIGH,       /* SBP or DBP at or above the hypertension threshold */
    EXAM_BP_VERY_HIGH,  /* SBP >= 180 or DBP >= 110 [spec]: urgent */
    EXAM_FBG_HIGH,      /* FBG at or above the diabetes threshold */
    EXAM_FBG_VERY_HIGH, /* FBG >= 16.7 [spec]: urgent */
    EXAM_FBG_LOW,       /* FBG < 3.9 [spec]: urgent */
    EXAM_TC_HIGH,       /* total cholesterol */
    EXAM_TG_HIGH,       /* triglycerides */
    EXAM_LDL_HIGH,      /* LDL cholesterol */
    EXAM_HDL_LOW,       /* HDL cholesterol */
    EXAM_OVERWEIGHT,    /* BMI; recorded, but raises no task on its own */
    EXAM_OBESE,         /* BMI */
    EXAM_ECG_ABNORMAL,  /* the ECG conclusion names a known abnormal finding */
    EXAM_ULTRASOUND_ABNORMAL,
    EXAM_ECG_REVIEW, /* the ECG conclusion has findings in neither list: a doctor reads it */
    EXAM_ULTRASOUND_REVIEW,
    EXAM_ABNORMAL_COUNT
};
typedef uint32_t exam_abnormal_set;
#define EXAM_BIT(a) ((exam_abnormal_set)1u << (a))
#define EXAM_REVIEW_BITS (EXAM_BIT(EXAM_ECG_REVIEW) | EXAM_BIT(EXAM_ULTRASOUND_REVIEW))

struct exam_values {
    int has_sbp, sbp, has_dbp, dbp;
    int has_fbg, fbg_tenths;
    int has_tc, tc_hundredths, has_tg, tg_hundredths;
    int has_ldl, ldl_hundredths, has_hdl, hdl_hundredths;
    int has_bmi, bmi_tenths;
    const char *ecg, *ultrasound; /* conclusions as written by the exam centre; NULL if none */
};

/* The term lists the two conclusions are read with (the protocol lists ecg_normal,
 * ecg_abnormal, ultrasound_normal, ultrasound_abnormal). */
struct exam_terms {
    struct conclusion_terms ecg, ultrasound;
};
/* The built-in lists, pointing at static storage. */
struct exam_terms exam_terms_default(void);

/* How the two conclusions read, finding by finding (for the task note). */
struct exam_readings {
    struct conclusion_reading ecg, ultrasound;
};

const char *exam_abnormal_code(enum exam_abnormal a);
/* The abnormal results of one exam, the conclusions read with `terms`; `readings`, when
 * not NULL, receives how each conclusion read (pointing into v's conclusions). */
exam_abnormal_set exam_evaluate(const struct exam_values *v, const struct protocol_config *c,
                                const struct exam_terms *terms, struct exam_readings *readings);
/* Whether the set warrants a warning task (an abnormal result other than overweight; a
 * conclusion to review goes along with it), and whether urgently. */
int exam_needs_task(exam_abnormal_set set);
int exam_is_urgent(exam_abnormal_set set);
/* Whether the set asks only for a doctor to read a conclusion: a review task. */
int exam_needs_review(exam_abnormal_set set);
/* The note of a warning task: the codes, comma-separated ("bp_high,ecg_abnormal"). */
void exam_task_note(exam_abnormal_set set, char *note, size_t size);
/* The note of a review task: each conclusion to review with its unrecognised findings,
 * "ecg_review:顺钟向转位;ultrasound_review:肝内钙化灶" (';' and '、' split findings, so
 * no finding holds one). Both notes are cut short to fit `size`, always NUL-terminated. */
void exam_review_note(exam_abnormal_set set, const struct exam_readings *read, char *note,
                      size_t size);
/* BMI in tenths from height (cm, tenths) and weight (kg, tenths), rounded; 0 if unknown. */
int exam_bmi_tenths(int height_cm_tenths, int weight_kg_tenths);

enum reading_level { READING_NORMAL, READING_WARNING, READING_URGENT };
struct device_reading {
    int has_sbp, sbp, has_dbp, dbp;
    int has_glucose, glucose_tenths;
};
/* The level of a home reading and the reason code ("bp_high", "bp_low", "bp_very_high",
 * "glucose_high", "glucose_low", "glucose_very_high") or NULL when normal. */
enum reading_level device_reading_check(const struct device_reading *r,
                                        const struct protocol_config *c, const char **reason);
const char *reading_level_name(enum reading_level level);

/* What one blood pressure or fasting glucose reading means to the person it is about, for
 * their own view of the record: the [spec] emergency levels first, then the control targets
 * of the follow-up rules (hypertension §3: SBP 140, from 65 years 150, DBP 90; diabetes §4:
 * 7.0 mmol/L), and low blood pressure at the device check's level. Glucose in tenths. */
enum reading_verdict {
    VERDICT_NORMAL,
    VERDICT_HIGH,
    VERDICT_VERY_HIGH,
    VERDICT_LOW,
    VERDICT_VERY_LOW
};
enum reading_verdict bp_verdict(int sbp, int dbp, int age, const struct protocol_config *c);
enum reading_verdict glucose_verdict(int fbg_tenths);
const char *reading_verdict_name(enum reading_verdict v);

#endif
