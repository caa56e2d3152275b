/* kpi_person.h - reads one resident's indicator facts and the indicator settings. */
#ifndef JIAYI_STORE_KPI_PERSON_H
#define JIAYI_STORE_KPI_PERSON_H

#include "db/db.h"
#include "domain/indicators.h"

/* Fills `p` (cleared first) for resident `id`; p->exists is 0 when there is no such
 * resident. 0, or -1 on a database error. */
int store_kpi_person_load(struct db *db, int64_t id, struct kpi_person *p);
/* The rules' settings (elderly age, child age, renewal window). */
int store_kpi_rules(struct db *db, struct kpi_rules *rules);
/* The institution of a team, 0 when none. */
int64_t store_kpi_team_institution(struct db *db, int64_t team_id);

#endif
