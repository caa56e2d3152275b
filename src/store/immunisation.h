/* immunisation.h (store) - the doses of the immunisation schedule a child was given
 * (table vaccinations, migration 035) and the child's vaccination task on the work list. */
#ifndef JIAYI_STORE_IMMUNISATION_H
#define JIAYI_STORE_IMMUNISATION_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/immunisation.h"
#include "store/status.h"

struct vaccination_input {
    int64_t resident_id, recorded_by;
    const char *vaccine, *given_on, *lot, *place, *county_code; /* lot and place may be NULL */
    int dose;
};

/* The new row's id; DB_CONSTRAINT when the dose is recorded already; another negative DB_*
 * code on failure. */
JY_MUST_USE int64_t store_vaccination_insert(struct db *db, const struct vaccination_input *in);

/* The child's given doses into out (at most max; unknown vaccine codes skipped) and, when
 * `rows` is not NULL, the same doses as [{"id","vaccine","dose","date","lot","place"}] in
 * *rows (owned by the caller). The count, or -1. */
JY_MUST_USE int store_vaccinations_given(struct db *db, int64_t resident_id, struct dose_given *out,
                                         int max, json_t **rows);

/* Opens the child's vaccination task for the dose `next` (kind "vaccination", program
 * "immunisation", note "vaccine:dose", due on its due date, missed from the age point it is
 * overdue from), for the team and doctor given (0: none). 0, or -1. */
JY_MUST_USE int store_vaccination_task_open(struct db *db, int64_t resident_id, int64_t team_id,
                                            int64_t doctor_id, const char *county_code,
                                            const struct dose_item *next);

#endif
