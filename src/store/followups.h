/* followups.h (store) - follow-up records of the programs (PROTOCOLS.md §3-§8), the facts
 * the protocol engine needs from a resident's history, and the versioned [jiayi] protocol
 * settings. */
#ifndef JIAYI_STORE_FOLLOWUPS_H
#define JIAYI_STORE_FOLLOWUPS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/protocol_config.h"

/* The defaults overridden by the newest version of each stored setting. */
struct protocol_config store_protocol_config(struct db *db);
/* [{key, value, default, version, changed_at}] for every setting. NULL on error. */
json_t *store_protocol_settings(struct db *db);
/* Stores a new version of `key`; returns the version, -1 on error. */
int store_protocol_setting_set(struct db *db, const char *key, int value, int64_t user_id);

/* Results "not controlled" in a row among the resident's follow-ups of `program` dated on
 * or before `visit_date`, newest first, stopping at the first controlled one. */
int store_followup_uncontrolled_run(struct db *db, int64_t resident_id, const char *program,
                                    const char *visit_date);
/* For the elderly colour: chronic program enrolments, how many of those have an
 * uncontrolled latest follow-up, and whether any follow-up since `since` was an emergency. */
int store_followup_elderly_facts(struct db *db, int64_t resident_id, const char *since,
                                 int *chronic, int *uncontrolled, int *emergency);
/* Visit dates of `program` (child checks, antenatal and postpartum visits) on or after
 * `since`, up to max, into out (11 bytes each). Returns the count, -1 on error. */
int store_followup_dates(struct db *db, int64_t resident_id, const char *program, const char *since,
                         char (*out)[11], int max);

/* The stored evaluation (JSON) of the resident's latest follow-up of `program` dated on or
 * after `since`; NULL when there is none. Caller decrefs. */
json_t *store_followup_latest_result(struct db *db, int64_t resident_id, const char *program,
                                     const char *since);

struct followup_input {
    int64_t resident_id, staff_id, recorded_by, task_id;
    const char *program, *visit_date, *mode, *county_code, *note;
    int has_sbp, sbp, has_dbp, dbp, has_heart_rate, heart_rate, has_danger, danger_level;
    int has_fbg, has_temperature, has_weight;
    double fbg, temperature, weight_kg;
    const char *findings, *medications, *details, *result; /* JSON text */
    const char *classification, *action, *next_due;
    int uncontrolled, emergency;
};
int64_t store_followup_insert(struct db *db, const struct followup_input *in);
/* Closes (done) the open tasks of `kind` and program for the resident; returns how many. */
int store_tasks_close(struct db *db, int64_t resident_id, const char *kind, const char *program);
/* The resident's follow-ups, newest first, optionally of one program: id, program,
 * visit_date, mode, staff, measurements, findings, medications, result. */
json_t *store_followups_list(struct db *db, int64_t resident_id, const char *program, int limit);

/* The resident's enrolments overlapping [year_start, until] (until = Dec 31 or today), each
 * with its follow-ups in that window: [{program, start_date, end_date?, followups,
 * latest_date?, latest_classification?}]. NULL on error. */
json_t *store_followup_year(struct db *db, int64_t resident_id, const char *year_start,
                            const char *until);

#endif
