/* groups.h (store) - chronic-disease self-management groups (慢性病自我管理小组): the
 * groups of a village or a team, their members (periods of membership), activities and
 * who attended each. Visibility (which groups a user may see) is in store/scope.c. */
#ifndef JIAYI_STORE_GROUPS_H
#define JIAYI_STORE_GROUPS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

struct group_input {
    const char *name, *focus, *region, *county_code;
    int64_t team_id, leader_staff, created_by; /* 0: none */
    const char *created_at;                    /* NULL: now (the demo backdates) */
};
JY_MUST_USE int64_t store_group_insert(struct db *db, const struct group_input *in);

/* Groups visible to the user (store_scope_load's regions, or the user's teams), optionally under
 * `region` (subtree) and of one team (team_id > 0), by id: [{id, name, focus, region, region_name,
 * team_id, team_name, leader_staff_id, leader_name, created_at, closed_at, member_count,
 * activity_count, last_activity, attendance_rate}] (the rate over every recorded activity, null
 * with none). Caller frees. NULL on error. */
json_t *store_groups_list(struct db *db, int64_t user_id, const char *region, int64_t team_id,
                          int limit, int64_t cursor, int64_t *total, int64_t *next_cursor);
/* One group as in the list, plus members [{resident_id, name, sex, birth_date, region,
 * status, joined_on, left_on, attended}] (active first, by name) and activities, newest
 * first [{id, activity_date, topic, leader_staff_id, leader_name, note, member_count,
 * attended, attendees:[resident ids]}]. NULL when there is no such group or on error. */
json_t *store_group_get(struct db *db, int64_t id);

/* 1 when the resident is a member now (not left), 0 not, -1 error. */
JY_MUST_USE int store_group_member_active(struct db *db, int64_t group_id, int64_t resident_id);
/* Returns the membership id, DB_CONSTRAINT when already an active member. */
JY_MUST_USE int64_t store_group_member_insert(struct db *db, int64_t group_id, int64_t resident_id,
                                              const char *joined_on);
/* Ends the active membership on `left_on`: 1 ended, 0 was not a member, -1 error. */
JY_MUST_USE int store_group_member_leave(struct db *db, int64_t group_id, int64_t resident_id,
                                         const char *left_on);
/* 1 when the resident's membership covers `date` (joined on or before, not left before). */
JY_MUST_USE int store_group_member_on(struct db *db, int64_t group_id, int64_t resident_id,
                                      const char *date);
/* Members whose membership covers `date`; -1 on error. */
JY_MUST_USE int store_group_member_count_on(struct db *db, int64_t group_id, const char *date);

struct group_activity_input {
    int64_t group_id, leader_staff, recorded_by; /* 0: none */
    const char *activity_date, *topic, *leader_name, *note;
    int member_count;
};
/* Living residents under `region` (subtree) enrolled in the focus program (both chronic
 * programs for "mixed"), by id, into out (at most max): who a new group would invite.
 * Returns the count or -1. */
JY_MUST_USE int store_group_candidates(struct db *db, const char *region, const char *focus,
                                       int64_t *out, int max);
JY_MUST_USE int64_t store_group_activity_insert(struct db *db,
                                                const struct group_activity_input *in);
JY_MUST_USE int store_group_attendance_insert(struct db *db, int64_t activity_id,
                                              int64_t resident_id);
/* Takes the resident off the attendance of the group's activity (the activity's member
 * count stays: it counts members, not attendees). 1 done, 0 no such attendance, -1 error. */
JY_MUST_USE int store_group_attendance_delete(struct db *db, int64_t group_id, int64_t activity_id,
                                              int64_t resident_id);

#endif
