/* team_scores.h (store) - the facts behind team appraisal and the overdue list: the
 * versioned team-score settings, the teams of a scope, their signing income and delivered
 * workload in a period, and a missed-visit patient's follow-up history. */
#ifndef JIAYI_STORE_TEAM_SCORES_H
#define JIAYI_STORE_TEAM_SCORES_H

#include <stdint.h>

#include "db/db.h"
#include "domain/team_score.h"
#include "store/status.h"

/* The defaults overridden by the newest stored version of each setting; *version is the
 * settings' revision (0: never changed) and changed_at (21 bytes) its time ("" if never). */
JY_MUST_USE int store_team_score_config(struct db *db, struct team_score_config *c, int *version,
                                        char *changed_at);
/* Stores every setting that differs from `before` and a new revision; returns it, -1. */
JY_MUST_USE int store_team_score_config_save(struct db *db, const struct team_score_config *before,
                                             const struct team_score_config *after,
                                             int64_t user_id);

struct scope_team {
    int64_t id, institution_id;
    char name[128], institution[128];
};
/* Teams of institutions in a region subtree (kind 'r', code) or of one institution ('i',
 * id), by id; up to max. Returns the count, -1 on error. */
JY_MUST_USE int store_scope_teams(struct db *db, char kind, const char *code, int64_t id,
                                  struct scope_team *out, int max);

/* Sum of fee_fen of the team's contracts started in [first, last]; -1 on error. */
JY_MUST_USE int64_t store_team_signing_income(struct db *db, int64_t team_id, const char *first,
                                              const char *last);
/* Standardised workload of the deliveries dated in [first, last] on the team's contracts:
 * Σ quantity × package item workload weight. *units gets Σ quantity. 0, or -1. */
JY_MUST_USE int store_team_workload(struct db *db, int64_t team_id, const char *first,
                                    const char *last, double *workload, int64_t *units);

struct overdue_facts {
    char name[128];
    char last_followup[11]; /* "" when never followed up */
    int emergency;          /* any follow-up of the program on or before as_of was an emergency */
    int uncontrolled;       /* the latest one on or before as_of was not controlled */
};
/* 0, 1 when the resident is unknown, -1 on error. */
JY_MUST_USE int store_overdue_facts(struct db *db, int64_t resident_id, const char *program,
                                    const char *as_of, struct overdue_facts *out);

#endif
