/* referral.h - when a clinical result sends a patient to a higher level of care, and how
 * urgently the team must confirm they were seen. Two sources: a follow-up whose action is
 * `refer` or `urgent_refer` (PROTOCOLS.md §3, §4, §8: consecutive uncontrolled, emergency,
 * unstable), and a pregnancy risk assessment whose colour carries a management level
 * (§7: yellow at a level-2 hospital or above, orange at a county-level critical-maternal
 * centre, red assessed at a level-3 hospital as soon as possible, purple infectious-disease
 * care). Pure: it says what to create; api/ creates it. */
#ifndef JIAYI_DOMAIN_REFERRAL_H
#define JIAYI_DOMAIN_REFERRAL_H

#include "domain/chronic.h"
#include "domain/elderly.h"
#include "domain/protocol_config.h"

/* The level of care a referral asks for (stored as its name). */
enum referral_target {
    TARGET_SECONDARY,         /* a level-2 hospital or above (the county hospital) */
    TARGET_CRITICAL_MATERNAL, /* the county-level critical-maternal treatment centre */
    TARGET_TERTIARY,          /* a level-3 hospital */
    TARGET_INFECTIOUS         /* infectious-disease care (the designated hospital) */
};

struct referral_plan {
    enum referral_target target;
    int urgent;         /* seen the same day */
    int confirm_days;   /* the confirm-seen task is due this many days after the visit */
    const char *reason; /* a code: the classification, or "pregnancy_<colour>" (static) */
    /* The tracked referral's category (issue 15): a result that is not controlled asks the
     * hospital to adjust the treatment, an urgent one is an emergency, a pregnancy risk asks
     * for an assessment (diagnosis). Static. */
    const char *category;
};

/* The referral a follow-up's action calls for: 1 with *plan filled for refer and
 * urgent_refer (urgent: confirm the same day), 0 for any other action. `classification`
 * becomes the plan's reason. */
int referral_for_followup(enum chronic_action action, enum chronic_class classification,
                          const struct protocol_config *c, struct referral_plan *plan);

/* The referrals a new pregnancy risk assessment calls for, given the standing assessment
 * before it (none: green, no purple): one when the highest colour rose to yellow or above
 * (the new colour's management), one when purple newly appears. A colour that stays, or a
 * lower one, refers nobody again. Each is confirmed within pregnancy_risk_task_days; red
 * is urgent. Returns the count (0-2) written to plans. */
int pregnancy_risk_referrals(enum risk_color before, int purple_before, enum risk_color now,
                             int purple_now, const struct protocol_config *c,
                             struct referral_plan plans[2]);

/* Whether an assessment goes on the county's report of high-risk pregnancies (orange,
 * red, or purple), which PROTOCOLS.md §7 wants within 3 days of the assessment. */
int pregnancy_risk_reportable(enum risk_color highest, int purple);

const char *referral_target_name(enum referral_target t);

/* The hospital department a programme's referral goes to (a code of the demo hospitals'
 * departments: cardiology, endocrinology, psychiatry, obstetrics, paediatrics, respiratory), NULL
 * when none is obvious (the elderly assessment, an unknown programme). */
const char *referral_department(const char *program);

#endif
