/* service_group.h (demo) - the resident in the loop (issue 16) in the demo: a few items each
 * team of doctor01 and doctor02 published to its service group over the last weeks, with the
 * read receipts of the residents who opened them; consultations open, answered and closed
 * (resident01's among them when resident01 is signed); and, from the pass of
 * store_reminders_pass, the reminders of the open tasks due around today. Fixed values, no
 * random draws, so the rest of the county stays what it was. */
#ifndef JIAYI_DEMO_SERVICE_GROUP_H
#define JIAYI_DEMO_SERVICE_GROUP_H

#include <stdint.h>

#include "db/db.h"
#include "util/date.h"

/* Inside the caller's transaction; 0, or -1. */
int demo_service_group(struct db *db, struct date today, const int64_t *teams, int team_count,
                       int64_t resident01);

#endif
