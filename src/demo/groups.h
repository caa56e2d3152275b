/* groups.h (demo) - a year of chronic-disease self-management groups: one per village,
 * its members, monthly activities and their attendance, each attendance using up its
 * entitlement as one recorded through the API does. */
#ifndef JIAYI_DEMO_GROUPS_H
#define JIAYI_DEMO_GROUPS_H

#include <stdint.h>

#include "db/db.h"
#include "demo/names.h"
#include "store/entitlement_use.h"
#include "util/date.h"

/* Where a group meets and who runs it. */
struct demo_group_site {
    const char *village_code, *village_name;
    int64_t team_id, village_doctor_staff, gp_staff;
    int index; /* the village's number in the county: varies the focus */
    const struct entitlement_rules *rules; /* attending uses up health education */
};

/* Builds the site's group from its chronic patients (none when fewer than 8). Returns the
 * number of groups made (0 or 1), -1 on error. */
int demo_group_for_village(struct db *db, struct rng *rng, struct date today,
                           const struct demo_group_site *site);

#endif
