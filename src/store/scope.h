/* scope.h (store) - the SQL behind data scope. The rule (see migration 001's user_scope
 * view): a user sees the regions of their scope rows (code, subtree), and a resident sees
 * themself and the household members who gave proxy consent. auth/scope.c is the only caller. */
#ifndef JIAYI_STORE_SCOPE_H
#define JIAYI_STORE_SCOPE_H

#include <stdint.h>

#include "db/db.h"

/* The residents a user (?1) may see, as a subquery yielding resident ids. Used inside list
 * queries as `r.id IN (` SCOPE_VISIBLE_RESIDENT_IDS `)`; a compile-time constant, never built. */
#define SCOPE_VISIBLE_RESIDENT_IDS                                                              \
    "SELECT r2.id FROM user_scope s JOIN residents r2"                                          \
    " ON r2.region >= s.code AND r2.region < s.code || ';' AND (s.subtree = 1 OR r2.region = s.code)" \
    " WHERE s.user_id = ?1"                                                                     \
    " UNION SELECT m.id FROM users u JOIN residents me ON me.id = u.resident_id"                 \
    " JOIN residents m ON m.id = me.id OR (m.household_id = me.household_id AND m.proxy_consent = 1)" \
    " WHERE u.id = ?1 AND u.role = 'resident'"

/* 1 visible, 0 not visible, -2 no such resident, -1 error. */
int store_resident_visible(struct db *db, int64_t user_id, int64_t resident_id);
/* 1 when region `code` overlaps the user's scope (inside it, or an ancestor of part of it),
 * 0 when disjoint, -2 unknown region, -1 error. */
int store_region_overlaps_scope(struct db *db, int64_t user_id, const char *code);
/* 1 when the region is wholly inside the user's scope. */
int store_region_inside_scope(struct db *db, int64_t user_id, const char *code);
/* 1 when the user is a member of the team or the team serves a cell inside the user's
 * scope; 0 not; -2 no such team; -1 error. */
int store_team_visible(struct db *db, int64_t user_id, int64_t team_id);

#endif
