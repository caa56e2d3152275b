/* tb.h (demo) - the demo county's tuberculosis patients (PROTOCOLS.md §14). */
#ifndef JIAYI_DEMO_TB_H
#define JIAYI_DEMO_TB_H

#include "db/db.h"
#include "demo/followups.h"
#include "util/date.h"

/* About 55 in 100,000 adults notified a year (China's reported incidence) over the last two
 * years: each case with its notice, the first home visit (most within 72 hours), the visits
 * of its supervision plan with the doses taken (most patients above 90%), and, once the
 * course has ended, its closing assessment; an open case has its next visit on the work
 * list. Its own generator, seeded by the resident's id. 0, or -1. */
int demo_tb_for(struct db *db, struct date today, const struct demo_patient *p);

#endif
