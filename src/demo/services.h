/* services.h (demo) - a year of visits (encounters), referrals and satisfaction answers for
 * one demo resident, in the proportions the field reports give (shared/seeds): about 90%
 * of visits inside the county, 55-70% of them at the township center or village clinic,
 * chronic patients seen more often and at their own family-doctor team when signed, a few
 * referrals per thousand residents a month, a quarter of signed residents answering the
 * satisfaction survey with about 90% satisfied. */
#ifndef JIAYI_DEMO_SERVICES_H
#define JIAYI_DEMO_SERVICES_H

#include <stdint.h>

#include "db/db.h"
#include "demo/names.h"
#include "util/date.h"

/* Where the resident is cared for. */
struct demo_site {
    int64_t grid_team, gp_staff, village_staff; /* the team of the resident's grid cell */
    int64_t clinic, center;                     /* village clinic, township center */
    int64_t county_hospital, tcm_hospital, city_hospital;
};

struct demo_resident {
    int64_t id;
    struct date birth;
    int chronic;           /* 0, or enrolled in hypertension (1) or diabetes (2) */
    int64_t contract_team; /* 0 when not signed */
    struct date contract_start;
    const char *county; /* the division code its rows carry as county_code */
};

int demo_services_for(struct db *db, struct rng *rng, struct date today,
                      const struct demo_site *site, const struct demo_resident *p);

#endif
