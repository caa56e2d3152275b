/* entitlements.h (demo) - what a demo resident's contracts delivered (履约). The demo
 * writes a resident's records first (follow-ups, exams, visits) and signs the household
 * after, so once the household is signed its records use up their entitlements through the
 * same rule and code as the API (store/entitlement_use.h). Only what the demo does not
 * record is delivered by hand, as a fraction of the entitlement: services no recorded
 * event uses (record management, priority booking, long prescriptions ...), and on a
 * contract that ended, its months before the demo's one year of records. */
#ifndef JIAYI_DEMO_ENTITLEMENTS_H
#define JIAYI_DEMO_ENTITLEMENTS_H

#include <stdint.h>

#include "db/db.h"
#include "store/entitlement_use.h"
#include "util/date.h"

/* A resident's contracts as the demo signed them (ids 0: none). */
struct demo_contracts {
    int64_t resident_id, staff_id; /* staff: who delivers by hand (the team's GP) */
    int64_t active_id;             /* the contract running today */
    double active_fraction;        /* of each unrecorded service delivered so far */
    int64_t ended_id;              /* last year's contract: renewed, or let lapse */
    double ended_fraction;         /* of each service delivered over its whole term */
};

/* Uses up the resident's entitlements with their records, then delivers by hand what the
 * demo does not record. `account` is scratch space. 0, or -1 on a database failure. */
int demo_entitlements_for(struct db *db, const struct entitlement_rules *rules,
                          struct entitlement_account *account, struct date today,
                          const struct demo_contracts *c);

#endif
