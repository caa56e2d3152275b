/* registry.h (store) - the health grid: regions, institutions, teams, staff, households. */
#ifndef JIAYI_STORE_REGISTRY_H
#define JIAYI_STORE_REGISTRY_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* Children of `parent` (NULL: the top level) as [{code,name,level,parent}]. */
json_t *store_regions_children(struct db *db, const char *parent);
/* {code,name,level,parent} or NULL when unknown. */
json_t *store_region_get(struct db *db, const char *code);
/* 1 exists, 0 not, -1 error; level copied into out (16 bytes) when not NULL. */
JY_MUST_USE int store_region_exists(struct db *db, const char *code, char *level_out);

/* Institutions whose region lies in the subtree of `region` (NULL: all). */
json_t *store_institutions_list(struct db *db, const char *region);

/* Teams serving any cell in the subtree of `region` or attached to an institution there
 * (NULL: all): [{id,name,model,institution,institution_id,doctor_id,members,grid_cells}]. */
json_t *store_teams_list(struct db *db, const char *region, int64_t limit, int64_t cursor,
                         int64_t *next_cursor, int64_t *total);
json_t *store_team_get(struct db *db, int64_t id);
/* Teams the staff member belongs to, as an array of ids. */
json_t *store_staff_teams(struct db *db, int64_t staff_id);
/* The team whose cells contain `region` (most specific first); 0 when none. */
JY_MUST_USE int64_t store_team_for_region(struct db *db, const char *region, int64_t *doctor_id);

JY_MUST_USE int64_t store_household_insert(struct db *db, const char *region, const char *address,
                                           const char *county_code);
JY_MUST_USE int store_household_set_head(struct db *db, int64_t household_id, int64_t resident_id);
/* {id,region,address,family_type,head_id,members:[...]} or NULL. */
json_t *store_household_get(struct db *db, int64_t id);
/* Households visible to the user (store_scope_load semantics), optionally under `region`,
 * with head name and member count; paginated by id. */
json_t *store_households_list(struct db *db, int64_t user_id, const char *region, int limit,
                              int64_t cursor, int64_t *total, int64_t *next_cursor);
/* Updates address and/or head (head must be a member: else returns STORE_NOT_FOUND). */
JY_MUST_USE int store_household_update(struct db *db, int64_t id, const char *address,
                                       int64_t head_id);
/* Region of a household into out (16 bytes): 0, or STORE_NOT_FOUND when none. */
JY_MUST_USE int store_household_region(struct db *db, int64_t id, char out[16]);

/* Staff of institutions under `region` (NULL: all) or of one institution (id > 0). */
json_t *store_staff_list(struct db *db, const char *region, int64_t institution_id, int limit,
                         int64_t cursor, int64_t *total, int64_t *next_cursor);
/* Region of a staff member's / an institution's / a team's institution into out (16 bytes):
 * 0, or STORE_NOT_FOUND when there is none. */
JY_MUST_USE int store_staff_region(struct db *db, int64_t staff_id, char out[16]);
JY_MUST_USE int store_institution_region(struct db *db, int64_t institution_id, char out[16]);
/* The kind of an institution (county_hospital, village_clinic...) into out (24 bytes). */
JY_MUST_USE int store_institution_kind(struct db *db, int64_t institution_id, char out[24]);
/* The health center at exactly `region` (a township or community center), 0 when none. */
JY_MUST_USE int64_t store_institution_center_at(struct db *db, const char *region);
/* The team's institution id, 0 when no such team, -1 on error. */
JY_MUST_USE int64_t store_team_institution(struct db *db, int64_t team_id);
JY_MUST_USE int store_institution_name(struct db *db, int64_t institution_id, char *out, size_t n);
/* A staff member's name: 0, STORE_NOT_FOUND when there is no such staff member, -1 on error. */
JY_MUST_USE int store_staff_name(struct db *db, int64_t staff_id, char *out, size_t n);
JY_MUST_USE int store_team_region(struct db *db, int64_t team_id, char out[16]);
JY_MUST_USE int store_team_update(struct db *db, int64_t team_id, const char *name,
                                  const char *model, int64_t doctor_id);
/* 1 when the staff member is in the team. */
JY_MUST_USE int store_team_has_member(struct db *db, int64_t team_id, int64_t staff_id);
/* 1 removed, 0 was not a member, -1 error. */
JY_MUST_USE int store_team_member_delete(struct db *db, int64_t team_id, int64_t staff_id);
JY_MUST_USE int store_team_cells_clear(struct db *db, int64_t team_id);

/* Inserts used by the demo county and by imports (all inside the caller's transaction). */
JY_MUST_USE int store_region_insert(struct db *db, const char *code, const char *name,
                                    const char *level, const char *parent);
JY_MUST_USE int64_t store_institution_insert(struct db *db, const char *code, const char *name,
                                             const char *kind, const char *level,
                                             const char *region);
JY_MUST_USE int64_t store_staff_insert(struct db *db, const char *name, const char *profession,
                                       int64_t institution_id, const char *phone,
                                       int max_contracts);
JY_MUST_USE int64_t store_team_insert(struct db *db, const char *name, const char *model,
                                      int64_t institution_id, const char *county_code);
JY_MUST_USE int store_team_set_doctor(struct db *db, int64_t team_id, int64_t staff_id);
JY_MUST_USE int store_team_member_insert(struct db *db, int64_t team_id, int64_t staff_id,
                                         const char *role);
JY_MUST_USE int store_team_cell_insert(struct db *db, int64_t team_id, const char *region_code);

/* Calls each(ctx, code, level) for every region; stops at the first negative answer.
 * 0, or -1 (an answer's or the database's). */
JY_MUST_USE int store_regions_each(struct db *db,
                                   int (*each)(void *ctx, const char *code, const char *level),
                                   void *ctx);

/* 1 when the team serves the region (its cell, or the village above it). */
JY_MUST_USE int store_team_serves(struct db *db, int64_t team_id, const char *region);

#endif
