/* sickbeds.h (store) - family sickbeds and their rounds (migration 039). */
#ifndef JIAYI_STORE_SICKBEDS_H
#define JIAYI_STORE_SICKBEDS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

struct sickbed_input {
    int64_t resident_id, team_id, doctor_id, created_by;
    const char *admitted_on, *diagnosis, *reason, *county_code;
    int round_days;
};
/* The new bed's id; DB_CONSTRAINT when the person has an open bed. */
JY_MUST_USE int64_t store_sickbed_insert(struct db *db, const struct sickbed_input *in);

struct sickbed_row {
    int64_t id, resident_id, team_id, doctor_id;
    char admitted_on[11], status[12], county[7];
    int round_days;
};
/* 1 and *out, 0 none, -1 error. */
JY_MUST_USE int store_sickbed_get(struct db *db, int64_t id, struct sickbed_row *out);
/* The bed with its rounds (oldest first) and next_round; NULL when absent or on error. */
json_t *store_sickbed_json(struct db *db, int64_t id);
/* The person's beds, newest first; NULL on error. */
json_t *store_sickbeds_of(struct db *db, int64_t resident_id);

JY_MUST_USE int64_t store_sickbed_round_insert(struct db *db, int64_t sickbed, const char *date,
                                               int64_t encounter, int64_t staff, int64_t user,
                                               const char *note);
/* Discharges the bed and cancels its round task: 0, or -1. */
JY_MUST_USE int store_sickbed_discharge(struct db *db, int64_t id, int64_t resident_id,
                                        const char *on, const char *outcome);

#endif
