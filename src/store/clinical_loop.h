/* clinical_loop.h (store) - the rows a result that refers creates: the referral (from the
 * team's institution to the one its level of care names) and the referral_confirm task
 * that waits until the patient is seen. Shared by the follow-up record (api/clinical_loop.c)
 * and the demo's follow-ups, so both create exactly the same thing. */
#ifndef JIAYI_STORE_CLINICAL_LOOP_H
#define JIAYI_STORE_CLINICAL_LOOP_H

#include <stdint.h>

#include "db/db.h"
#include "domain/referral.h"
#include "store/status.h"

struct loop_referral {
    int64_t resident_id, team_id, doctor_id; /* the task's team and doctor (0: none) */
    int64_t followup_id;                     /* the record that refers (0: none) */
    const char *county, *program, *visit_date;
    const struct referral_plan *plan;
    const char *reasons; /* JSON array of reason codes */
    const char *summary; /* JSON: the record's summary frozen at sending (NULL: none) */
};

struct loop_created {
    int64_t referral_id, task_id, to_institution_id; /* to: 0 when no institution fits */
    char confirm_by[11];                             /* the task's due date */
};

/* Inserts the referral and its task; 0 with *out filled, -1 on error. */
JY_MUST_USE int store_loop_refer(struct db *db, const struct loop_referral *in,
                                 struct loop_created *out);

#endif
