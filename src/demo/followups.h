/* followups.h (demo) - a year of program follow-ups and their open tasks for one resident. */
#ifndef JIAYI_DEMO_FOLLOWUPS_H
#define JIAYI_DEMO_FOLLOWUPS_H

#include <stdint.h>

#include "db/db.h"
#include "demo/names.h"
#include "util/date.h"

struct demo_patient {
    int64_t id;
    struct date birth;
    int hypertension, diabetes, smd, elderly, child, pregnant; /* enrolled */
    struct date hypertension_since, diabetes_since, smd_since, lmp;
    struct date delivery, discharge; /* of a delivered pregnancy, for demo_maternal_delivered */
    int64_t team_id, doctor_staff, village_staff;
    const char *county; /* the division code its rows carry as county_code */
};

int demo_followups_for(struct db *db, struct rng *rng, struct date today,
                       const struct demo_patient *p);
/* The antenatal checks and the postpartum home visit of a pregnancy delivered on
 * p->delivery (p->lmp, p->discharge set). */
int demo_maternal_delivered(struct db *db, struct rng *rng, struct date today,
                            const struct demo_patient *p);
/* The newborn home visit of a child born on p->birth. */
int demo_newborn_visit(struct db *db, struct rng *rng, struct date today,
                       const struct demo_patient *p);

#endif
