/* vaccinations.h - the demo's children's vaccination histories (PROTOCOLS.md §13). */
#ifndef JIAYI_DEMO_VACCINATIONS_H
#define JIAYI_DEMO_VACCINATIONS_H

#include "db/db.h"
#include "demo/followups.h"
#include "util/date.h"

/* The doses a child under 7 was given up to `today`, as a county's coverage looks: most on
 * time, a few late, a few series stopped (owed still), and the work-list task of the next
 * dose owed. Draws from its own generator seeded by the child's id, so the rest of the demo
 * is the same with or without it. 0, or -1. */
int demo_vaccinations_for(struct db *db, struct date today, const struct demo_patient *p);

#endif
