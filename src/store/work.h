/* work.h (store) - first-discovery flags, tasks (the work list) and door-knocking census visits. */
#ifndef JIAYI_STORE_WORK_H
#define JIAYI_STORE_WORK_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/date.h"
#include "store/status.h"

/* raised_by (user) and raised_by_staff may be 0; raised_at NULL means now. */
JY_MUST_USE int64_t store_flag_insert(struct db *db, int64_t resident_id, const char *reason,
                                      const char *note, int64_t raised_by, int64_t raised_by_staff,
                                      const char *raised_at);
/* The flag with its resident's name, or NULL. */
json_t *store_flag_get(struct db *db, int64_t id);
/* Flags on residents visible to the user; status/resident_id optional (NULL/0). */
json_t *store_flags_list(struct db *db, int64_t user_id, const char *status, int64_t resident_id,
                         int limit, int64_t cursor, int64_t *total, int64_t *next_cursor);
/* Moves an open flag to confirmed/dismissed. 1 done, 0 it was not open, -1 error. */
JY_MUST_USE int store_flag_decide(struct db *db, int64_t id, const char *status, int64_t decided_by,
                                  const char *note);

struct task_input {
    int64_t resident_id, team_id, doctor_id, flag_id;
    const char *kind, *program, *due_date, *next_due, *note, *county_code;
    int64_t referral_id; /* a referral_confirm task: the referral it waits on (0: none) */
};
JY_MUST_USE int64_t store_task_insert(struct db *db, const struct task_input *in);
/* The task's resident, kind (32 bytes) and status (16 bytes): 0, STORE_NOT_FOUND when there is no
 * such task, -1 on error. */
JY_MUST_USE int store_task_get(struct db *db, int64_t id, int64_t *resident_id, char kind[32],
                               char status[16]);
/* Closes an open task as `status` (done or cancelled) by `user_id` with `outcome` (may be
 * NULL): 1 closed, 0 it was not open, -1 on error. */
JY_MUST_USE int store_task_close(struct db *db, int64_t id, const char *status, int64_t user_id,
                                 const char *outcome);
/* Keeps a task's answers (a post-visit call's, JSON text). 0 or -1. */
JY_MUST_USE int store_task_set_answers(struct db *db, int64_t id, const char *answers);
/* Cancels the resident's open tasks (of `program` only, when not NULL) by `user_id` with
 * `outcome`: a programme that ended or a resident who died or moved away leaves no work.
 * The number cancelled, or -1 on error. */
JY_MUST_USE long store_tasks_cancel_for(struct db *db, int64_t resident_id, const char *program,
                                        int64_t user_id, const char *outcome);

struct worklist_filter {
    int64_t user_id;   /* scope */
    int64_t doctor_id; /* staff id, 0 any */
    int64_t team_id;   /* 0 any */
    const char *region;
    int status; /* enum task_status, -1 any open */
    struct date today;
    const char *program; /* NULL any */
    const char *q;       /* part of the name, a phone or an ID number; NULL any */
};
/* Open tasks matching the filter with status computed for `today`, ordered by due date;
 * counts per status over the whole filter (ignoring `status`) into *counts (4 entries)
 * and their sum into *total, unless total is NULL (then neither is counted). */
json_t *store_worklist(struct db *db, const struct worklist_filter *f, int limit, int64_t cursor,
                       int64_t *total, int64_t *next_cursor, int64_t counts[4]);

/* A resident's own open tasks, soonest first, leaving out the team's working notes (first
 * discovery): [{kind, program (null when none), due_date, next_due (null when none)}].
 * NULL on error; caller decrefs. */
json_t *store_resident_open_tasks(struct db *db, int64_t resident_id);

JY_MUST_USE int64_t store_census_insert(struct db *db, int64_t household_id, int64_t staff_id,
                                        const char *visit_date, int contact_card,
                                        int services_explained, const char *plan);
json_t *store_census_for_household(struct db *db, int64_t household_id);
/* Per child region of `region` (county: townships, township: villages, village: grid
 * cells), counting only households in the user's scope: households, households visited
 * since `since` (NULL: ever), rate. */
json_t *store_census_rates(struct db *db, int64_t user_id, const char *region, const char *since);

#endif
