/* grid.h (store) - maintenance of the health grid by a county itself: renaming regions,
 * redrawing grid cells (moving households between the cells of a village), institutions and
 * staff edits, and the indicator rule settings. Inserts of regions and institutions are in
 * registry.h (shared with the demo). All writes run inside the caller's transaction. */
#ifndef JIAYI_STORE_GRID_H
#define JIAYI_STORE_GRID_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/indicators.h"
#include "store/status.h"

/* 1 renamed, 0 no such region, -1 error. */
JY_MUST_USE int store_region_rename(struct db *db, const char *code, const char *name);
/* The parent of a region into out (16 bytes, "" for a top-level one): 1, 0 unknown, -1 error. */
JY_MUST_USE int store_region_parent(struct db *db, const char *code, char out[16]);

/* A province or a city created above regions already at the top (issue 17: a county's
 * deployment growing into its city's): every top-level region whose code lies under `area`
 * (its prefix, 5115 for 511500) and that is a county, or for a province (`province` 1) a
 * county or a city, now hangs below `code`. Number adopted, or -1. */
JY_MUST_USE int64_t store_region_adopt(struct db *db, const char *code, const char *area,
                                       int province);

/* The residents a redraw moves: the members of the households listed (a JSON array of ids)
 * and everyone registered at `from` (NULL: none). An array of ids, NULL on error. */
json_t *store_redraw_residents(struct db *db, const char *household_ids_json, const char *from);
/* Moves the listed households, those registered at `from`, and the residents listed (a JSON
 * array of ids) to `to`. Number of households moved, or -1. */
JY_MUST_USE int64_t store_redraw_apply(struct db *db, const char *to,
                                       const char *household_ids_json, const char *from,
                                       const char *resident_ids_json);

/* 1 when an institution has this code, 0 not, -1 error. */
JY_MUST_USE int store_institution_code_taken(struct db *db, const char *code);
/* {id,code,name,kind,level,region,region_name} or NULL. */
json_t *store_institution_get(struct db *db, int64_t id);
/* Changes the fields given (NULL: unchanged). 1 changed, 0 no such institution, -1 error. */
JY_MUST_USE int store_institution_update(struct db *db, int64_t id, const char *name,
                                         const char *kind, const char *level);

/* Changes the fields given (NULL / negative: unchanged). 1, 0 no such staff member, -1. */
JY_MUST_USE int store_staff_update(struct db *db, int64_t id, const char *name, const char *phone,
                                   int64_t max_contracts);
/* {id,name,profession,institution_id,phone,max_contracts,households} or NULL. */
json_t *store_staff_get(struct db *db, int64_t id);

/* Writes one of the indicator rule settings (elderly_age, child_age_below, kpi_renewal_days)
 * to the live settings table. 0, or -1. */
JY_MUST_USE int store_rule_setting_set(struct db *db, const char *key, int value);

/* The latest version of a setting in the protocol_settings history (0: never changed) and
 * when it was made, into changed_at (32 bytes); -1 on error. */
JY_MUST_USE int store_rule_setting_version(struct db *db, const char *key, char changed_at[32]);

#endif
