/* copd.h (demo) - the demo county's COPD patients (docs/copd.md). */
#ifndef JIAYI_DEMO_COPD_H
#define JIAYI_DEMO_COPD_H

#include "db/db.h"
#include "demo/followups.h"
#include "util/date.h"

/* About 2% of adults 40 and over under COPD care (China's prevalence at 40+ is 13.7%, few of
 * them diagnosed): the J44.9 diagnosis, the enrolment, visits every one to six months by the
 * rules (a spirometry about every other year, some smokers, an exacerbation now and then),
 * and the next visit on the work list. Its own generator, seeded by the resident's id. 0, or
 * -1. */
int demo_copd_for(struct db *db, struct date today, const struct demo_patient *p);

#endif
