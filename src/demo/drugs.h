/* drugs.h (demo) - the county drug catalogue (about 1,200 entries, version 1 a year ago and
 * version 2 lately) and, when the county has residents, long prescriptions for some stable
 * hypertension and diabetes patients and a few extended prescriptions with their delivery.
 * Drawn from a generator of its own seeded from the demo seed, after every other draw. */
#ifndef JIAYI_DEMO_DRUGS_H
#define JIAYI_DEMO_DRUGS_H

#include <stdint.h>

#include "db/db.h"
#include "util/date.h"

/* The catalogue, versions 1 and 2. 0 or -1. */
int demo_drugs_build(struct db *db, unsigned long seed, struct date today);
/* Medication adherence on the chronic follow-ups, long and extended prescriptions (the
 * hospitals the extended ones continue). 0 or -1. */
int demo_prescriptions_build(struct db *db, unsigned long seed, struct date today,
                             int64_t county_hospital, int64_t city_hospital);

#endif
