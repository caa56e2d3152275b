/* assessments.h (store) - assessment rounds, their spot checks and results (migration 045,
 * domain/assessment.h). */
#ifndef JIAYI_STORE_ASSESSMENTS_H
#define JIAYI_STORE_ASSESSMENTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/assessment.h"
#include "store/status.h"

struct assessment_round_input {
    const char *level, *period, *first, *last, *region, *county_code;
    int64_t institution_id, created_by; /* institution_id 0: a county round */
    int sample_per_team, full_rate;
};
/* The new round's id; DB_CONSTRAINT when the level, place and period have one already. */
JY_MUST_USE int64_t store_assessment_round_insert(struct db *db,
                                                  const struct assessment_round_input *in);

/* Draws up to `n` of the team's records of [first, last] into the round's checks: follow-ups
 * its members recorded (not a home device's readings) and contracts it signed, of residents
 * still alive, in an order fixed by the round's id (the same round draws the same sample).
 * The number drawn, or -1. */
JY_MUST_USE int store_assessment_sample(struct db *db, int64_t round_id, int64_t team_id,
                                        const char *first, const char *last, int n);

struct assessment_round_row {
    int64_t id, institution_id;
    char level[12], period[8], first[11], last[11], region[16], status[12];
    int full_rate;
};
/* 1 and *out, 0 none, -1 error. */
JY_MUST_USE int store_assessment_round_get(struct db *db, int64_t id,
                                           struct assessment_round_row *out);

/* The round with its teams' tallies and, when `checks` is set, every check with the
 * resident's name and phone (the checker calls them) and what the record says. NULL on
 * error. */
json_t *store_assessment_round_json(struct db *db, int64_t id, int checks);
/* The latest `limit` rounds, newest first, without their checks (the caller keeps those in
 * its scope). NULL on error. */
json_t *store_assessment_rounds_list(struct db *db, int limit);

/* The check's team and resident (0 when the check is not the round's): 1, 0, -1. */
JY_MUST_USE int store_assessment_check_get(struct db *db, int64_t round_id, int64_t check_id,
                                           int64_t *team_id, int64_t *resident_id);
/* Records the outcome of a check of an open round: 0, or -1. */
JY_MUST_USE int store_assessment_check_set(struct db *db, int64_t check_id, const char *outcome,
                                           const char *finding, int64_t user_id);

/* Each team of the round with its tally, into teams/tallies (max long): the count, or -1.
 * With team 0 the round's total into *total as well. */
JY_MUST_USE int store_assessment_tallies(struct db *db, int64_t round_id, int64_t *teams,
                                         struct assessment_tally *tallies, int max,
                                         struct assessment_tally *total);
/* Signs the round off with each team's result. 0, or -1; 1 when it was signed off already. */
JY_MUST_USE int store_assessment_result_insert(struct db *db, int64_t round_id, int64_t team_id,
                                               const struct assessment_tally *t, int judged,
                                               int coefficient);
JY_MUST_USE int store_assessment_sign_off(struct db *db, int64_t round_id, int64_t user_id);

/* The lowest coefficient of the team's signed-off rounds whose period meets [first, last]:
 * 1 and *coefficient, *round_id (that round), 0 none, -1 error. */
JY_MUST_USE int store_assessment_coefficient(struct db *db, int64_t team_id, const char *first,
                                             const char *last, int *coefficient, int64_t *round_id);

#endif
