/* indicator_targets.h (store) - the deployment's indicator targets: the built-in defaults
 * (domain/indicator_targets.h) with the rows of indicator_targets (migration 018) over
 * them. */
#ifndef JIAYI_STORE_INDICATOR_TARGETS_H
#define JIAYI_STORE_INDICATOR_TARGETS_H

#include "db/db.h"
#include "domain/indicator_targets.h"
#include "store/status.h"

/* The targets in force; `changed` (may be NULL) marks the codes a row overrides. 0 or -1. */
JY_MUST_USE int store_indicator_targets(struct db *db, struct kpi_targets *out,
                                        unsigned char *changed);
/* Sets the code's target (has = 1) or puts it back to the default (has = 0); inside the
 * caller's transaction. The row's id (0 when a reset removed nothing), or -1. */
JY_MUST_USE int64_t store_indicator_target_set(struct db *db, int code, int has, double target,
                                               int64_t user_id);

#endif
