/* clinical_loop.h (api) - the referrals, tasks and county report a recorded result sets in
 * motion (see clinical_loop.c). Called by the follow-up record inside its transaction. */
#ifndef JIAYI_API_CLINICAL_LOOP_H
#define JIAYI_API_CLINICAL_LOOP_H

#include <jansson.h>
#include <stdint.h>

#include "domain/referral.h"
#include "http/request.h"
#include "store/residents.h"

/* Whose result it is and where the work goes. Strings are borrowed. */
struct loop_subject {
    int64_t resident_id, team_id, doctor_id; /* the task's team and doctor (0: none) */
    const char *county;                      /* 6 digits */
    const char *program;                     /* the follow-up's program */
    const char *visit_date, *today;          /* YYYY-MM-DD */
    int64_t followup_id;                     /* the record that created it */
};

/* One referral of `plan` (`reasons` a JSON array's text) and its confirm-seen task
 * (store_loop_refer), audited; its JSON appended to `created`. 0, or -1. */
int loop_refer(struct request *r, const struct loop_subject *s, const struct referral_plan *plan,
               const char *reasons, json_t *created);

/* The referral (and its confirm-seen task) a follow-up's action calls for, if any; each is
 * appended to `created` as {id, reason, target_level, urgent, referred_on, task_id,
 * confirm_by, to_institution_id}. 0, or -1 on a store failure (the caller rolls back). */
int loop_followup_referral(struct request *r, const struct loop_subject *s,
                           enum chronic_action action, enum chronic_class classification,
                           json_t *reasons, const struct protocol_config *c, json_t *created);

/* A new risk assessment of `pregnancy`: replaces the standing one (`before`), puts it on or
 * takes it off the county report, and creates the referrals a rise calls for. `factors` is
 * the assessment's [{code, color}]. 0, or -1 on a store failure. */
int loop_pregnancy_assessment(struct request *r, const struct loop_subject *s, int64_t pregnancy,
                              const struct pregnancy_risk *before, enum risk_color now, int purple,
                              json_t *factors, const struct protocol_config *c, json_t *created);

#endif
