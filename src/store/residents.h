/* residents.h (store) - residents, their health record, diagnoses and enrolments. */
#ifndef JIAYI_STORE_RESIDENTS_H
#define JIAYI_STORE_RESIDENTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

struct resident_input {
    const char *name;
    const char *id_number; /* normalised */
    char sex;              /* 'M' / 'F' */
    const char *birth_date;
    const char *phone;
    const char *region;
    const char *address;
    int64_t household_id; /* 0: none */
    const char *relation;
    int disabled, poverty, proxy_consent;
    const char *county_code;
};

/* Returns the new id, DB_CONSTRAINT when the ID number is taken, or another negative code. */
JY_MUST_USE int64_t store_resident_insert(struct db *db, const struct resident_input *in);
/* 1 when a resident has this ID number, 0 when none, -1 on error. Asked before an insert
 * that must not fail: on PostgreSQL a failed statement ends the whole transaction. */
JY_MUST_USE int store_resident_id_number_taken(struct db *db, const char *id_number);
/* The resident registered with this (normalised) ID number: the id, STORE_NOT_FOUND, or -1. */
JY_MUST_USE int64_t store_resident_by_id_number(struct db *db, const char *id_number);
/* Creates the health record (建档) dated `on`; no-op when it exists. */
JY_MUST_USE int store_record_create(struct db *db, int64_t resident_id, const char *on);
/* Sets the record's "opened to the resident" flag and consent date. 0, or -1 (no record). */
JY_MUST_USE int store_record_set_open(struct db *db, int64_t resident_id, int opened,
                                      const char *consent_date);

/* The resident as JSON with everything the resident page shows (full id_number included:
 * api/ masks it by role), or NULL when there is none. Caller decrefs. */
json_t *store_resident_get(struct db *db, int64_t id);
/* What a clinical write needs of the resident, as store_resident_get names it: sex,
 * birth_date, region, status, programs (the open enrolments) and contract ({team_id,
 * doctor_id} of the active contract, else the scheduled one; null). Four indexed reads
 * instead of the page's eleven. NULL when there is none. Caller decrefs. */
json_t *store_resident_brief(struct db *db, int64_t id);
/* Household id of a resident: >0, 0 none, STORE_NOT_FOUND no such resident. */
JY_MUST_USE int64_t store_resident_household(struct db *db, int64_t id);
/* Region of a resident into out (16 bytes): 0, or STORE_NOT_FOUND when there is none. */
JY_MUST_USE int store_resident_region(struct db *db, int64_t id, char out[16]);

struct resident_filter {
    int64_t user_id; /* scope */
    const char *q;   /* name part, phone, full or masked ID number, or last 4 of the ID */
    const char *region;
    int population_class; /* 0: any */
    const char *program;
    int64_t team_id;    /* 0: any */
    const char *status; /* NULL: any */
    int signed_state;   /* -1 any, 0 no current contract (a signing campaign's list), 1 signed */
    /* FHIR's Patient search (api/fhir_patient.c); NULL / 0: any */
    int64_t id;
    const char *id_number, *sex;       /* the full number; "M" or "F" */
    const char *birth_from, *birth_to; /* inclusive YYYY-MM-DD */
};
/* One page of residents visible to the user, ordered by id; fills *total (unless NULL: no
 * count) and *next_cursor (0 when no more). Returns a JSON array or NULL on error. */
json_t *store_resident_search(struct db *db, const struct resident_filter *f, int limit,
                              int64_t cursor, int64_t *total, int64_t *next_cursor);

struct resident_update {
    const char *name, *phone, *address, *region, *relation, *status, *status_date;
    int64_t household_id;                 /* -1: unchanged, 0: leave household */
    int disabled, poverty, proxy_consent; /* -1: unchanged */
};
JY_MUST_USE int store_resident_update(struct db *db, int64_t id, const struct resident_update *u);

/* One enrolment as stored. */
struct enrolment_row {
    int64_t resident_id;
    char program[16], start_date[11], end_date[11]; /* end_date "" while it runs */
};
/* 1 and *out filled, 0 no such enrolment, -1 error. */
JY_MUST_USE int store_enrolment_get(struct db *db, int64_t id, struct enrolment_row *out);
/* Ends a running enrolment on `end_date` for `reason`: 1 ended, 0 it had ended already, -1 error.
 */
JY_MUST_USE int store_enrolment_end(struct db *db, int64_t id, const char *end_date,
                                    const char *reason);

/* Other residents with the same name and birth date (possible duplicate registrations under
 * another ID number), as an array of ids. */
json_t *store_resident_possible_duplicates(struct db *db, int64_t id);

JY_MUST_USE int64_t store_diagnosis_insert(struct db *db, int64_t resident_id, const char *icd10,
                                           const char *diagnosed_on, const char *note);
JY_MUST_USE int64_t store_enrolment_insert(struct db *db, int64_t resident_id, const char *program,
                                           const char *start_date);
JY_MUST_USE int64_t store_pregnancy_insert(struct db *db, int64_t resident_id, const char *lmp,
                                           const char *delivery_date, const char *discharge_date);

/* The latest pregnancy: 1 and its dates (11 bytes each, "" when unknown), 0 when none. */
JY_MUST_USE int store_pregnancy_latest(struct db *db, int64_t resident_id, int64_t *id,
                                       char lmp[11], char delivery[11], char discharge[11]);
JY_MUST_USE int store_pregnancy_update(struct db *db, int64_t id, const char *delivery,
                                       const char *discharge);

/* A pregnancy's standing risk assessment (PROTOCOLS.md §7; migration 009). */
struct pregnancy_risk {
    int assessed;  /* 0: never assessed (then green, no purple) */
    char color[8]; /* green, yellow, orange, red */
    int purple;
    char assessed_on[11]; /* "" when never */
    char reported_on[11]; /* on the county report since; "" when not reportable */
};
/* 0 and *out filled (assessed 0 when none), -1 on error. */
JY_MUST_USE int store_pregnancy_risk_get(struct db *db, int64_t pregnancy_id,
                                         struct pregnancy_risk *out);
/* Replaces the standing assessment; factors is JSON text [{code, color}]; reported_on NULL
 * takes it off the county report. */
JY_MUST_USE int store_pregnancy_risk_set(struct db *db, int64_t pregnancy_id, const char *color,
                                         int purple, const char *factors, const char *assessed_on,
                                         const char *reported_on);

/* The id the next registered resident gets (one above the highest), or -1 on error. */
JY_MUST_USE int64_t store_resident_next_id(struct db *db);

#endif
