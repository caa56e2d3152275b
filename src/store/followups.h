/* followups.h (store) - follow-up records of the programs (PROTOCOLS.md §3-§8), the facts
 * the protocol engine needs from a resident's history, and the versioned [jiayi] protocol
 * settings. */
#ifndef JIAYI_STORE_FOLLOWUPS_H
#define JIAYI_STORE_FOLLOWUPS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/protocol_config.h"
#include "store/status.h"

/* The defaults overridden by the newest version of each stored setting. */
struct protocol_config store_protocol_config(struct db *db);
/* [{key, value, default, version, changed_at}] for every setting. NULL on error. */
json_t *store_protocol_settings(struct db *db);
/* Stores a new version of `key`; returns the version, -1 on error. */
JY_MUST_USE int store_protocol_setting_set(struct db *db, const char *key, int value,
                                           int64_t user_id);

/* Results "not controlled" in a row among the resident's follow-ups of `program` dated on
 * or before `visit_date`, newest first, stopping at the first controlled one. */
JY_MUST_USE int store_followup_uncontrolled_run(struct db *db, int64_t resident_id,
                                                const char *program, const char *visit_date);
/* For the elderly colour: chronic program enrolments, how many of those have an
 * uncontrolled latest follow-up, and whether any follow-up since `since` was an emergency. */
JY_MUST_USE int store_followup_elderly_facts(struct db *db, int64_t resident_id, const char *since,
                                             int *chronic, int *uncontrolled, int *emergency);
/* Visit dates of `program` (child checks, antenatal and postpartum visits) on or after
 * `since`, up to max, into out (11 bytes each). Returns the count, -1 on error. */
JY_MUST_USE int store_followup_dates(struct db *db, int64_t resident_id, const char *program,
                                     const char *since, char (*out)[11], int max);

/* The stored evaluation (JSON) of the resident's latest follow-up of `program` dated on or
 * after `since`; NULL when there is none. Caller decrefs. */
json_t *store_followup_latest_result(struct db *db, int64_t resident_id, const char *program,
                                     const char *since);

struct followup_input {
    int64_t resident_id, staff_id, recorded_by, task_id;
    int64_t closed_task_id; /* the open task this visit closed (0: none) */
    const char *program, *visit_date, *mode, *county_code, *note;
    int has_sbp, sbp, has_dbp, dbp, has_heart_rate, heart_rate, has_danger, danger_level;
    int has_fbg, has_temperature, has_weight, has_hba1c;
    double fbg, temperature, weight_kg, hba1c;
    const char *findings, *medications, *details, *result; /* JSON text */
    const char *classification, *action, *next_due;
    int uncontrolled, emergency;
    int recorded_delivery; /* a maternal visit that gave the delivery or discharge date */
    const char *medication_adherence; /* regular, intermittent, none; NULL: not recorded */
};
/* The id of a follow-up of `program` the resident already has on `visit_date` (the first
 * one), 0 when there is none, -1 on error. A second one of the same day is a duplicate
 * unless the caller confirms it (issue 14). */
JY_MUST_USE int64_t store_followup_same_day(struct db *db, int64_t resident_id, const char *program,
                                            const char *visit_date);
JY_MUST_USE int64_t store_followup_insert(struct db *db, const struct followup_input *in);
/* Closes (done) the open tasks of `kind` and program for the resident; returns the id of
 * the newest it closed (0: none was open), or -1. */
JY_MUST_USE int64_t store_tasks_close(struct db *db, int64_t resident_id, const char *kind,
                                      const char *program);

/* A follow-up as its deletion (a record entered in error) needs it. */
struct followup_row {
    int64_t id, resident_id, task_id, closed_task_id; /* task ids 0: none */
    char program[16], visit_date[11];
    int latest;               /* no later follow-up of its program for the resident */
    int risk_assessed;        /* a maternal visit that assessed the pregnancy risk */
    int only_pregnancy_visit; /* a maternal visit, its pregnancy's only one (it registered it) */
    int recorded_delivery;    /* a maternal visit that gave the delivery or discharge date */
};
/* 1 found, 0 no such follow-up, -1 error. */
JY_MUST_USE int store_followup_row(struct db *db, int64_t id, struct followup_row *out);
/* Ids of the referrals the follow-up created that nobody has seen yet (at most max); the
 * count, or -1. */
JY_MUST_USE int store_followup_open_referrals(struct db *db, int64_t followup_id, int64_t *ids,
                                              int max);
/* Deletes the follow-up with what it set in motion: its unseen referrals and their confirm
 * tasks go, a seen one stays (no longer linked); its open next task is cancelled; the task
 * it closed reopens, or, when that is not known (or no longer closed), the program's latest
 * visit left names its next due date again in a new task for team_id/doctor_id (0: none)
 * unless one is open. *cancelled tells whether its next task was still open (and is now
 * cancelled). Returns the reopened or new task's id, 0 when none, -1 on error. Inside a
 * transaction; what the follow-up used up is taken back separately. */
JY_MUST_USE int64_t store_followup_delete(struct db *db, const struct followup_row *f,
                                          int64_t team_id, int64_t doctor_id, int *cancelled);
/* The resident's follow-ups, newest first, optionally of one program: id, program,
 * visit_date, mode, staff, measurements, findings, medications, result. */
json_t *store_followups_list(struct db *db, int64_t resident_id, const char *program, int limit);

/* What GET /followups filters by; unused members are NULL or 0. */
struct followup_filter {
    int64_t user_id; /* whose data scope */
    const char *program;
    const char *from, *to;      /* visit dates, inclusive */
    const char *region;         /* a division code; its subtree */
    int64_t team_id, doctor_id; /* the resident's team cells; the visiting staff member */
};
/* One page, by id, of the follow-ups of residents the user sees: id, resident_id,
 * resident_name, region, program, visit_date, mode, staff_name, sbp, dbp, fbg, heart_rate,
 * weight_kg, evaluation, medication_adherence, note, hba1c. *total is counted unless total is NULL;
 * *next_cursor is 0 on the last page. NULL on error. */
json_t *store_followups_search(struct db *db, const struct followup_filter *f, int limit,
                               int64_t cursor, int64_t *total, int64_t *next_cursor);

/* The resident's enrolments overlapping [year_start, until] (until = Dec 31 or today), each
 * with its follow-ups in that window: [{program, start_date, end_date?, followups,
 * latest_date?, latest_classification?}]. NULL on error. */
json_t *store_followup_year(struct db *db, int64_t resident_id, const char *year_start,
                            const char *until);

#endif
