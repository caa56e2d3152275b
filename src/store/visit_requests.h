/* visit_requests.h (store) - bookings with the team (issue 16, migration 028): the requests
 * residents make for a clinic visit, a home visit or a specialist appointment, their moves
 * (each a guarded UPDATE from the one state it may leave, so two staff acting at once move
 * it once), and the facts the rules need (is the resident bedridden). Writes run inside the
 * caller's transaction. */
#ifndef JIAYI_STORE_VISIT_REQUESTS_H
#define JIAYI_STORE_VISIT_REQUESTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

struct visit_request_input {
    int64_t resident_id, team_id, contract_id, department_id, requested_by; /* 0: none */
    const char *kind, *priority, *priority_reasons;       /* reasons: a JSON array */
    const char *preferred_date, *preferred_time, *reason; /* time, reason: NULL for none */
    const char *county_code;
};
/* The new request's id, DB_CONSTRAINT when the resident has an open request of the kind,
 * or -1. */
JY_MUST_USE int64_t store_visit_request_insert(struct db *db, const struct visit_request_input *in);

struct visit_request_row {
    int64_t id, resident_id, team_id, booking_id;
    char kind[12], status[12], preferred_date[11], confirmed_date[11], confirmed_time[3];
};
/* 0 and *out, STORE_NOT_FOUND no such request, -1 error. */
JY_MUST_USE int store_visit_request_get(struct db *db, int64_t id, struct visit_request_row *out);

/* The moves, each only from the state it may leave: 1 moved, 0 the request was no longer
 * there (someone else moved it first), -1 error. */
JY_MUST_USE int store_visit_request_confirm(struct db *db, int64_t id, const char *date,
                                            const char *time, int64_t booking_id, int64_t user_id);
JY_MUST_USE int store_visit_request_cancel(struct db *db, int64_t id, const char *reason,
                                           int64_t user_id);
JY_MUST_USE int store_visit_request_done(struct db *db, int64_t id, int64_t encounter_id,
                                         int64_t user_id);

/* One request as the API answers it ({id, resident_id, resident_name, birth_date, team_id,
 * team_name, kind, status, priority, priority_reasons, preferred_date, preferred_time,
 * reason, department_id, department_name, confirmed_date, confirmed_time, booking_id,
 * slot_starts_at, hospital_name, encounter_id, cancel_reason, created_at, updated_at});
 * NULL when none or on error. */
json_t *store_visit_request_json(struct db *db, int64_t id);
/* The resident's requests, newest first; NULL on error. */
json_t *store_visit_requests_of_resident(struct db *db, int64_t resident_id);
/* The team's requests in `statuses` (a NULL-terminated list), high priority first, then by
 * day (the confirmed one, else the preferred one), then the oldest request; with the
 * resident's address and phone for arranging the visit. One more than limit is fetched:
 * *more says whether a next page exists. NULL on error. */
json_t *store_visit_requests_of_team(struct db *db, int64_t team_id, const char *const *statuses,
                                     int limit, int64_t offset, int *more);

/* 1 when the resident is bedridden: their latest annual elderly assessment (followups of
 * program 'elderly') rated their self-care 完全不能自理 ("unable", domain/elderly.c); 0 not
 * or never assessed; -1 error. residents.disabled (a registered disability) is not taken as
 * bedridden: most registered disabilities leave a person able to come to the clinic. */
JY_MUST_USE int store_resident_bedridden(struct db *db, int64_t resident_id);
/* The resident's birth date (YYYY-MM-DD) and county: 0, STORE_NOT_FOUND no such resident, -1 error.
 */
JY_MUST_USE int store_visit_resident_facts(struct db *db, int64_t resident_id, char birth[11],
                                           char county[7]);
/* The name of the team and, for a booking, "hospital department HH:MM" into out: 0 or -1. */
JY_MUST_USE int store_visit_team_name(struct db *db, int64_t team_id, char *out, size_t n);
JY_MUST_USE int store_visit_booking_place(struct db *db, int64_t booking_id, char *out, size_t n);
/* 1 when the department exists, 0 not, -1 error. */
JY_MUST_USE int store_visit_department_exists(struct db *db, int64_t department_id);

#endif
