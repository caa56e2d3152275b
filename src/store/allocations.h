/* allocations.h (store) - the team's income shared among its members (migration 042). */
#ifndef JIAYI_STORE_ALLOCATIONS_H
#define JIAYI_STORE_ALLOCATIONS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* The allocation's id; DB_CONSTRAINT when the team has one for the period. */
JY_MUST_USE int64_t store_allocation_insert(struct db *db, int64_t team, const char *period,
                                            int64_t pool_fen, const char *note, int64_t user);
/* weight < 0: the amount was given by hand. */
JY_MUST_USE int store_allocation_share_insert(struct db *db, int64_t allocation, int64_t staff,
                                              int64_t weight, int64_t amount_fen);
/* The team's allocations, newest period first: [{id, team_id, period, pool_fen, note,
 * created_at, shares:[{staff_id, name, weight, amount_fen}]}]; NULL on error. */
json_t *store_allocations(struct db *db, int64_t team);

#endif
