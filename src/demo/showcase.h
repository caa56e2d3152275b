/* showcase.h (demo) - what the demo guarantees doctor01's team on any date, whatever the
 * random draws gave it: work-list tasks that are due, overdue and missed today. (Its
 * contracts ending within 30 days come from demo.c's showcase households.) The tasks are
 * first discoveries (首获负责) a village doctor raised and the team confirmed, each due 7
 * days after the confirmation, as PROTOCOLS.md §9 has it, and an exam conclusion waiting
 * for a doctor to read it (exam_review, issue 12). */
#ifndef JIAYI_DEMO_SHOWCASE_H
#define JIAYI_DEMO_SHOWCASE_H

#include <stdint.h>

#include "db/db.h"
#include "store/entitlement_use.h"
#include "util/date.h"

struct demo_showcase_team {
    int64_t team_id, gp_staff, village_staff;
    const char *county;
    const struct entitlement_rules *rules; /* the exam uses up its entitlements */
};

/* Confirmed flags with their tasks on residents[0..count-1] (count >= 1; residents repeat
 * when there are fewer than four): one due in 4 days, one 13 days overdue, one missed; and
 * an exam two days old whose ECG conclusion is for review, its task due in 12 days. */
int demo_showcase_work(struct db *db, struct date today, const struct demo_showcase_team *team,
                       const int64_t *residents, int count);

#endif
