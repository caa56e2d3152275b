/* team_score.h - family-doctor team appraisal and income distribution (PROTOCOLS.md §10).
 *
 * The Nanquan practice (Chongqing, seeds/001) appraises each team on its signing rate,
 * key-population management, visits, health-record management and satisfaction; the
 * article gives the indicators, not their weights, so the default weights are [jiayi] and
 * configurable (they must sum to 100).
 *
 * score = Σ weight_i × value_i, value_i = numerator / denominator in 0..1, so a score is
 * 0..100; it is kept in hundredths of a point (0..10000) so that splitting money by score
 * stays integer arithmetic. An indicator without a denominator (no value) scores 0 and is
 * flagged, never silently skipped.
 *
 * Money is integer fen. A team's signing income goes to the institution and the team by
 * percentage (the institution is the first payer: rounding remainder to it, as fees.c);
 * a share of every team's part is pooled as a performance bonus and split across the teams
 * in proportion to their score, rounded down, the remainder to the first team in rank
 * order. So the parts always sum to the income, exactly. */
#ifndef JIAYI_DOMAIN_TEAM_SCORE_H
#define JIAYI_DOMAIN_TEAM_SCORE_H

#include <stdint.h>

#include "domain/indicators.h"
#include "util/error.h"

#define TEAM_SCORE_FULL 100  /* weights sum to this */
#define TEAM_SCORE_POINT 100 /* a point in hundredths */

struct team_score_config {
    int weights[KPI_COUNT]; /* points per indicator; 0: not used */
    int institution_share;  /* % of signing income kept by the institution (20) */
    int bonus_share;        /* % of the team's part pooled as a performance bonus (30) */
};

struct team_score_config team_score_default(void);
/* 0 when every weight is 0..100 on a rate indicator (not a count), the weights sum to 100
 * and the shares are 0..100; else -1 with err (422 invalid_field naming "weights",
 * "weights.<code>", "institution_share" or "bonus_share"). */
int team_score_validate(const struct team_score_config *c, struct jy_error *err);

struct team_score_line {
    int code; /* enum kpi_code */
    int weight;
    int has_value; /* 0: no denominator, scored 0 and flagged */
    int64_t num, den;
    int64_t points; /* hundredths of a point */
};

/* The weighted indicators of one team's parts, in code order, into lines (KPI_COUNT
 * long); returns how many and the score in hundredths of a point. */
int team_score_lines(const struct team_score_config *c, const struct kpi_parts *parts,
                     struct team_score_line *lines, int64_t *score);

struct team_income {
    int64_t score;           /* in: hundredths of a point */
    int64_t income_fen;      /* in: signing income of the period */
    int rank;                /* out: 1 = best; equal scores share a rank */
    int64_t institution_fen; /* out */
    int64_t team_fen;        /* out: the team's part without its pooled bonus share */
    int64_t bonus_fen;       /* out: its share of the pool, by score */
};

/* Ranks the teams and distributes their income. `order` (n long) receives the indexes in
 * rank order (score descending, then input order). Returns the pool in fen. */
int64_t team_income_distribute(const struct team_score_config *c, struct team_income *teams, int n,
                               int *order);

#endif
