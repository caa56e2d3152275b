/* slots.h (store) - specialist slots and their bookings (issue 15, migration 022): a
 * hospital's departments, release rules, schedules and the slots they create, the bookings
 * family doctors make and the utilisation counts. Writes run inside the caller's
 * transaction; the one that matters most is store_slot_take, the guarded UPDATE that keeps
 * a slot from ever holding more bookings than its capacity. */
#ifndef JIAYI_STORE_SLOTS_H
#define JIAYI_STORE_SLOTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/slot_release.h"
#include "store/status.h"

/* The hospital's departments [{id, code, name_zh, name_en}] by code; NULL on error. */
json_t *store_departments_list(struct db *db, int64_t hospital_id);
/* A new department: its id, DB_CONSTRAINT when the code is taken there, or -1. */
JY_MUST_USE int64_t store_department_insert(struct db *db, int64_t hospital_id, const char *code,
                                            const char *name_zh, const char *name_en);
/* The id of the hospital's department `code`, 0 when none, -1 on error. */
JY_MUST_USE int64_t store_department_id(struct db *db, int64_t hospital_id, const char *code);

/* The rule in force for a department of the hospital (department_id 0: the hospital's):
 * the department's row, else the hospital's, else SLOT_RELEASE_DEFAULT. 0 or -1. */
JY_MUST_USE int store_release_rule_get(struct db *db, int64_t hospital_id, int64_t department_id,
                                       struct release_rule *out);
/* {hospital_id, rule: {...} | null, departments: [{department, department_id, ...rule}],
 * default: {...}}; NULL on error. */
json_t *store_release_rules_json(struct db *db, int64_t hospital_id);
/* Sets the hospital's rule (NULL: none) and removes every department override: the caller
 * then adds the new ones with store_release_rule_put. 0 or -1. */
JY_MUST_USE int store_release_rules_clear(struct db *db, int64_t hospital_id);
JY_MUST_USE int store_release_rule_put(struct db *db, int64_t hospital_id, int64_t department_id,
                                       const struct release_rule *rule);

struct schedule_input {
    int64_t hospital_id, department_id, staff_id, created_by; /* staff_id 0: none */
    const char *doctor_name, *day, *start, *end;              /* YYYY-MM-DD, HH:MM */
    int slot_minutes, capacity;
};
JY_MUST_USE int64_t store_schedule_insert(struct db *db, const struct schedule_input *in);
/* One slot of a schedule; released_to "family_doctors" or "public"; dates YYYY-MM-DD. */
JY_MUST_USE int64_t store_slot_insert(struct db *db, int64_t schedule_id,
                                      const struct schedule_input *in, const char *starts_at,
                                      const char *released_to, const char *family_from,
                                      const char *public_from);

struct slot_query {
    int64_t hospital_id;    /* 0: any */
    const char *department; /* a department code, NULL: any */
    const char *from, *to;  /* starts_at bounds, YYYY-MM-DD (to inclusive) */
    const char *today;      /* YYYY-MM-DD: what is open today */
    int all; /* 1: every slot (a hospital desk); 0: bookable by family doctors today */
    int limit;
    int64_t offset;
};
/* The page of slots matching q, in time order, as API.md's items plus hospital_name,
 * department_name, schedule_id, slot_minutes, open_to_public, family_from and public_from; one more
 * than limit is fetched, so *more says whether a next page exists. NULL on error. */
json_t *store_slots_search(struct db *db, const struct slot_query *q, int *more);

/* A session: {"id","hospital_id","hospital_name","department","department_name",
 * "doctor_name","staff_id"?,"day","start_time","end_time","slot_minutes","capacity"}; NULL
 * when none or on error. */
json_t *store_schedule_json(struct db *db, int64_t schedule_id);

struct slot_row {
    int64_t id, hospital_id, department_id;
    char starts_at[17], released_to[16], family_from[11], public_from[11];
    int capacity, booked;
};
/* 0 and *out, STORE_NOT_FOUND no such slot, -1 error. */
JY_MUST_USE int store_slot_get(struct db *db, int64_t slot_id, struct slot_row *out);
/* Takes one place: 1 taken, 0 the slot is full, -1 error. Inside the write transaction:
 * `UPDATE ... SET booked = booked + 1 WHERE id = ? AND booked < capacity`. */
JY_MUST_USE int store_slot_take(struct db *db, int64_t slot_id);
/* Gives one place back (a cancelled booking). 0 or -1. */
JY_MUST_USE int store_slot_give_back(struct db *db, int64_t slot_id);

struct booking_input {
    int64_t slot_id, resident_id, team_id, booked_by, referral_id, rescheduled_from; /* 0: none */
};
/* The new booking's id, DB_CONSTRAINT when the resident already holds the slot, or -1. */
JY_MUST_USE int64_t store_booking_insert(struct db *db, const struct booking_input *in);

struct booking_row {
    int64_t id, slot_id, resident_id, team_id, hospital_id, referral_id;
    char status[16], starts_at[17];
};
/* 0 and *out, STORE_NOT_FOUND no such booking, -1 error. */
JY_MUST_USE int store_booking_get(struct db *db, int64_t booking_id, struct booking_row *out);
/* Moves a booking from status `from` to `to`: 1 moved, 0 it was no longer in `from`, -1. */
JY_MUST_USE int store_booking_set_status(struct db *db, int64_t booking_id, const char *from,
                                         const char *to);
/* The booking as the API answers it; NULL when none or on error. */
json_t *store_booking_json(struct db *db, int64_t booking_id);

struct booking_query {
    int64_t resident_id, hospital_id; /* 0: any */
    const char *from, *to, *status;   /* NULL: any */
    int64_t
        scoped_user; /* not 0: only people this user may see (their scope, their teams' signed) */
    int limit;
    int64_t after; /* the last booking of the previous page (0: the first page): keyset paging,
                    * so a booking made or cancelled meanwhile moves no other between pages */
};
json_t *store_bookings_list(struct db *db, const struct booking_query *q, int *more);

/* The referral's resident and destination: 0, STORE_NOT_FOUND no such referral, -1 error. */
JY_MUST_USE int store_referral_target(struct db *db, int64_t referral_id, int64_t *resident_id,
                                      int64_t *to_institution_id);
/* 1 when the staff member is on the team (a member or its responsible GP), 0 not, -1. */
JY_MUST_USE int store_team_staffed_by(struct db *db, int64_t team_id, int64_t staff_id);
/* 1 when the staff member works at the institution, 0 not, -1 error. */
JY_MUST_USE int store_staff_works_at(struct db *db, int64_t staff_id, int64_t institution_id);

/* Utilisation over the slots starting from `from` to `to` (inclusive days), hospital_id 0:
 * every hospital; by "hospital", "department" or "team": [{key..., released, booked,
 * attended, no_show}] (released: places released to family doctors; null by team). */
json_t *store_slot_utilisation(struct db *db, int64_t hospital_id, const char *from, const char *to,
                               const char *by);

/* Publishes a schedule: the schedule row and its slots, from `in->start` every slot_minutes
 * while a whole slot fits before `in->end`, released by `rule` (domain/slot_release.h).
 * Appends each slot {id, starts_at, released_to, family_from, public_from} to `slots_out`
 * when not NULL. Returns the schedule's id, or -1. Inside the caller's transaction. */
JY_MUST_USE int64_t store_schedule_publish(struct db *db, const struct schedule_input *in,
                                           const struct release_rule *rule, json_t *slots_out);
/* Minutes since midnight of "HH:MM", or -1 when it is not a time of day. */
int slot_parse_time(const char *text);

#endif
