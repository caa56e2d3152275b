/* demo.h - `jiayi demo`: a whole county modelled on the Changning practice (API.md
 * "Demo county"): the grid, institutions, 227 teams and 1,456 staff, the demo logins,
 * and residents with a realistic age pyramid, households and prevalence. Same seed and
 * same day (JIAYI_TODAY) give the same data. */
#ifndef JIAYI_DEMO_DEMO_H
#define JIAYI_DEMO_DEMO_H

#include "db/db.h"

struct demo_options {
    long residents;
    unsigned long seed;
    const char *password; /* NULL: a random one, printed */
    const char *county;   /* NULL: the county of API.md; else one county of its city, built
                           * alone and filed under the city (a node of a province, docs/scale.md) */
};

/* Builds into an empty, migrated database in one transaction. Prints progress on stderr
 * and the logins on stdout. Returns 0 or -1. */
int demo_build(struct db *db, const struct demo_options *options);

#endif
