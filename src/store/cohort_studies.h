/* cohort_studies.h (store) - before-and-after cohort studies (migration 047,
 * domain/cohort.h): the cohort drawn and each member's factors and measures snapshot when
 * the study is made, then read back for the analysis and the exports. */
#ifndef JIAYI_STORE_COHORT_STUDIES_H
#define JIAYI_STORE_COHORT_STUDIES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/must_use.h"

/* The snapshot is one write transaction holding the county's shared writer: about 0.2 s a
 * thousand members on a 2-core machine (11,886 members of a township's package in 2.2 s), so
 * a cohort is at most a few seconds of everyone else's writes. A county-wide package is
 * studied township by township (docs/evaluation.md). */
#define COHORT_MAX_MEMBERS 20000

struct cohort_study_input {
    const char *name, *kind, *program, *region, *county_code;
    int64_t team_id, package_id, created_by; /* 0 when not given */
    const char *before_from, *before_to, *after_from, *after_to;
    double before_months, after_months;
    const int64_t *residents; /* kind "list": the residents, checked by the caller */
    size_t n_residents;
};

/* Creates the study, draws its cohort as of after_from (list: the residents given, once
 * each) and snapshots every member's factors and every measure of domain/cohort.h in both
 * periods. Returns the id and the members' resident ids in *members (malloc'd, for the audit
 * entry); 0 when the cohort would exceed COHORT_MAX_MEMBERS; -1 on error. */
JY_MUST_USE int64_t store_cohort_study_create(struct db *db, const struct cohort_study_input *in,
                                              int64_t **members, size_t *n_members);

/* 1 when the package exists, 0 not, -1 error. */
JY_MUST_USE int store_cohort_package_known(struct db *db, int64_t package_id);

struct cohort_study_row {
    int64_t id, team_id, package_id, members;
    char kind[16], region[16], program[16];
};
/* 1 and *out, 0 none, -1 error. */
JY_MUST_USE int store_cohort_study_get(struct db *db, int64_t id, struct cohort_study_row *out);
/* The study as the API shows it (no members). NULL on error. */
json_t *store_cohort_study_json(struct db *db, int64_t id);
/* Every study, newest first, at most `limit`. NULL on error. */
json_t *store_cohort_studies_list(struct db *db, int limit);

/* A measure's values of every member, by member number: before[i], after[i] (NaN when
 * missing) for i < *n. The arrays hold the study's member count. 0 or -1. */
JY_MUST_USE int store_cohort_values(struct db *db, int64_t study_id, const char *measure,
                                    double *before, double *after, size_t *n);
/* Every member's factors in domain/cohort.h's order, row after row (COHORT_FACTOR_COUNT a
 * row), by member number. 0 or -1. */
JY_MUST_USE int store_cohort_factors(struct db *db, int64_t study_id, double *factors, size_t *n);
/* Members (member > after, at most limit) with their factors and every measure's values:
 * [{member, age, male, ..., values: {code: [before, after]}}], and the residents they are
 * in *residents (malloc'd, for the audit entry). NULL on error. */
json_t *store_cohort_members_page(struct db *db, int64_t study_id, int64_t after, int limit,
                                  int64_t **residents, size_t *n_residents);

#endif
