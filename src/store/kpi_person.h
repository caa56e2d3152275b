/* kpi_person.h - reads residents' indicator facts and the indicator settings. */
#ifndef JIAYI_STORE_KPI_PERSON_H
#define JIAYI_STORE_KPI_PERSON_H

#include "db/db.h"
#include "domain/indicators.h"
#include "store/status.h"

/* Fills `p` (cleared first) for resident `id` in one statement; p->exists is 0 when there
 * is no such resident. 0, or -1 on a database error. */
JY_MUST_USE int store_kpi_person_load(struct db *db, int64_t id, struct kpi_person *p);
/* Fills people[0..n) (each cleared first) with the next residents in id order after
 * `after`, at most `max`: n, 0 when none is left, -1 on a database error. The same ten
 * statements whatever the batch's size. */
JY_MUST_USE int store_kpi_people_next(struct db *db, int64_t after, struct kpi_person *people,
                                      int max);
/* The rules' settings (elderly age, child age, renewal window). */
JY_MUST_USE int store_kpi_rules(struct db *db, struct kpi_rules *rules);
/* The institution of a team, 0 when none. */
JY_MUST_USE int64_t store_kpi_team_institution(struct db *db, int64_t team_id);

#endif
