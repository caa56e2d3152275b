/* views.h - the reads around the indicator counters that the dashboard's views need
 * (api/indicator_views.c): the children of a scope for a breakdown, and the row of a
 * resident behind an indicator's numbers. */
#ifndef JIAYI_KPI_VIEWS_H
#define JIAYI_KPI_VIEWS_H

#include <jansson.h>
#include <stdint.h>

#include "kpi/kpi.h"
#include "util/date.h"
#include "util/must_use.h"

struct db;

struct kpi_child {
    char label[32]; /* the scope as the API names it: region:CODE, team:ID, doctor:ID */
    char *name;     /* owned */
};

struct kpi_children {
    struct kpi_child *items;
    int n, cap;
};

/* The children of `scope` by "region" (its child regions), "team" (the teams serving a
 * region or belonging to an institution) or "doctor" (a team's members and any doctor
 * holding a contract of the team), appended to *out (zeroed by the caller; free it with
 * kpi_children_free whatever the result). 0, -1 on a database error, 1 when `by` does not
 * fit the scope's kind. */
JY_MUST_USE int kpi_children_load(struct db *db, const struct kpi_scope *scope, const char *by,
                                  struct kpi_children *out);
void kpi_children_free(struct kpi_children *c);

/* A resident as the indicator's patient list shows them: id, name, sex, age on `today`,
 * region and its name. NULL when absent or on a database error. Caller decrefs. */
json_t *kpi_patient_json(struct db *db, int64_t id, struct date today);

#endif
