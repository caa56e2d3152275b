/* team_score.c - see team_score.h. */
#include "domain/team_score.h"

#include <stdio.h>
#include <string.h>

struct team_score_config team_score_default(void)
{
    struct team_score_config c;
    memset(&c, 0, sizeof c);
    /* [jiayi] weights for the Nanquan indicators (seeds/001 §1.4). */
    c.weights[KPI_SIGNING] = 25;              /* 签约率 */
    c.weights[KPI_KEY_SIGNING] = 25;          /* 重点人群管理 */
    c.weights[KPI_SIGNED_PRIMARY_VISIT] = 15; /* 就诊率 */
    c.weights[KPI_RECORD] = 15;               /* 居民健康档案管理率 */
    c.weights[KPI_SATISFACTION] = 20;         /* 满意度 */
    c.institution_share = 20;                 /* PROTOCOLS.md §10: institution 20% / team 80% */
    c.bonus_share = 30;
    return c;
}

int team_score_validate(const struct team_score_config *c, struct jy_error *err)
{
    int sum = 0;
    for (int k = 0; k < KPI_COUNT; k++) {
        if (c->weights[k] < 0 || c->weights[k] > TEAM_SCORE_FULL ||
            (c->weights[k] && KPI_INFO[k].is_count)) {
            char field[64];
            snprintf(field, sizeof field, "weights.%s", KPI_INFO[k].code);
            return jy_fail(err, 422, "invalid_field", field, "a weight is 0..100 on a rate");
        }
        sum += c->weights[k];
    }
    if (sum != TEAM_SCORE_FULL)
        return jy_fail(err, 422, "invalid_field", "weights", "weights sum to %d, not 100", sum);
    if (c->institution_share < 0 || c->institution_share > 100)
        return jy_fail(err, 422, "invalid_field", "institution_share", "0..100");
    if (c->bonus_share < 0 || c->bonus_share > 100)
        return jy_fail(err, 422, "invalid_field", "bonus_share", "0..100");
    return 0;
}

int team_score_lines(const struct team_score_config *c, const struct kpi_parts *parts,
                     struct team_score_line *lines, int64_t *score)
{
    int n = 0;
    *score = 0;
    for (int k = 0; k < KPI_COUNT; k++) {
        if (!c->weights[k]) continue;
        struct team_score_line *l = &lines[n++];
        l->code = k;
        l->weight = c->weights[k];
        l->num = parts->num[k];
        l->den = parts->den[k];
        l->has_value = l->den > 0;
        /* weight × num/den points, in hundredths, rounded down; a rate above 1 (never
         * expected) is capped so one indicator cannot outweigh its weight. */
        int64_t num = l->num > l->den ? l->den : l->num;
        l->points = l->has_value ? (int64_t)l->weight * TEAM_SCORE_POINT * num / l->den : 0;
        *score += l->points;
    }
    return n;
}

int64_t team_income_distribute(const struct team_score_config *c, struct team_income *teams, int n,
                               int *order)
{
    /* Insertion sort: stable (equal scores keep input order), reentrant, and a scope has
     * tens of teams, not thousands. */
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && teams[order[j - 1]].score < teams[i].score) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    int64_t pool = 0, total_score = 0;
    for (int r = 0; r < n; r++) {
        struct team_income *t = &teams[order[r]];
        t->rank = r > 0 && t->score == teams[order[r - 1]].score ? teams[order[r - 1]].rank : r + 1;
        int64_t team_part = t->income_fen * (100 - c->institution_share) / 100;
        t->institution_fen = t->income_fen - team_part; /* the first payer takes the remainder */
        int64_t pooled = team_part * c->bonus_share / 100;
        t->team_fen = team_part - pooled;
        t->bonus_fen = 0;
        pool += pooled;
        total_score += t->score;
    }
    if (n == 0) return pool;
    int64_t given = 0;
    for (int r = 0; r < n; r++) {
        struct team_income *t = &teams[order[r]];
        /* No team scored: the pool is shared equally rather than kept back. */
        t->bonus_fen = total_score > 0 ? pool * t->score / total_score : pool / n;
        given += t->bonus_fen;
    }
    teams[order[0]].bonus_fen += pool - given;
    return pool;
}
