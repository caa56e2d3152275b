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

struct team_totals {
    int64_t units;      /* service units delivered */
    double workload;    /* Σ units × the package item's workload weight (1 when none) */
    int64_t income_fen; /* signing fees of contracts starting */
};
/* The totals of each of `teams` (by id, as store_scope_teams gives them, all in the scope
 * named like there): units and workload delivered in [first, work_last], income of contracts
 * starting in [first, income_last], read from the per-team counters of migration 048.
 * out[i] belongs to teams[i]. 0, or -1. */
JY_MUST_USE int store_team_totals(struct db *db, char kind, const char *code, int64_t id,
                                  const struct scope_team *teams, int n, struct date first,
                                  struct date work_last, struct date income_last,
                                  struct team_totals *out);

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
