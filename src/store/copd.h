/* copd.h (store) - COPD follow-up visits (migration 044, domain/copd.h). */
#ifndef JIAYI_STORE_COPD_H
#define JIAYI_STORE_COPD_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/copd.h"
#include "store/status.h"

/* The start of the person's running COPD enrolment into start[11]: 1, 0 when not enrolled,
 * -1 on error. */
JY_MUST_USE int store_copd_enrolled(struct db *db, int64_t resident_id, char start[11]);
/* The day of the person's latest spirometry (a visit with FEV1) on or before `on`: 1 and
 * *out, 0 none, -1 error. */
JY_MUST_USE int store_copd_last_spirometry(struct db *db, int64_t resident_id, const char *on,
                                           struct date *out);

/* The day of the person's latest COPD visit: 1 and *out, 0 none, -1 error. */
JY_MUST_USE int store_copd_last_visit(struct db *db, int64_t resident_id, struct date *out);
/* The day of the person's latest COPD referral (a severe exacerbation or a treatment review)
 * on or before `on`: 1 and *out, 0 none, -1 error. */
JY_MUST_USE int store_copd_last_review(struct db *db, int64_t resident_id, const char *on,
                                       struct date *out);

struct copd_visit_input {
    int64_t resident_id, staff_id, recorded_by;
    const char *mode, *note, *county_code, *reasons; /* reasons: a JSON array */
    const struct copd_visit *visit;
    const struct copd_result *result;
};
JY_MUST_USE int64_t store_copd_visit_insert(struct db *db, const struct copd_visit_input *in);

/* The person's visits, newest first, as the API answers them; NULL on error. */
json_t *store_copd_visits_of(struct db *db, int64_t resident_id);

#endif
