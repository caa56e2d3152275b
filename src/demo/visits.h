/* visits.h (demo) - visit requests (issue 16): a few requests of each state for each team's
 * signed residents - asked (the oldest first, so the list shows its high priority), confirmed,
 * done, cancelled - and resident01's own, for the team's 预约上门 screen and the portal.
 * Fixed values only: the county's random draws are untouched. */
#ifndef JIAYI_DEMO_VISITS_H
#define JIAYI_DEMO_VISITS_H

#include <stdint.h>

#include "db/db.h"
#include "util/date.h"

/* The team's requests (resident01 0: none of theirs). Returns how many were made, or -1. */
int demo_visits_build(struct db *db, struct date today, int64_t team_id, int64_t resident01);

#endif
