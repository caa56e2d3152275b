/* Unit tests: team appraisal scores and income distribution (PROTOCOLS.md §10). */
#include "test.h"

#include <string.h>

#include "domain/team_score.h"

static void defaults_are_valid_and_sum_to_100(void **state)
{
    (void)state;
    struct team_score_config c = team_score_default();
    struct jy_error err;
    assert_int_equal(team_score_validate(&c, &err), 0);
    c.weights[KPI_RECORD] += 1;
    assert_int_equal(team_score_validate(&c, &err), -1);
    assert_string_equal(err.field, "weights");
    c = team_score_default();
    c.weights[KPI_REFERRALS_UP] = 5; /* a count, not a rate */
    c.weights[KPI_SIGNING] -= 5;
    assert_int_equal(team_score_validate(&c, &err), -1);
    assert_string_equal(err.field, "weights.referrals_up");
    c = team_score_default();
    c.institution_share = 101;
    assert_int_equal(team_score_validate(&c, &err), -1);
    assert_string_equal(err.field, "institution_share");
    c = team_score_default();
    c.bonus_share = -1;
    assert_int_equal(team_score_validate(&c, &err), -1);
    assert_string_equal(err.field, "bonus_share");
}

static void score_is_the_weighted_sum_and_a_missing_value_scores_zero(void **state)
{
    (void)state;
    struct team_score_config c;
    memset(&c, 0, sizeof c);
    c.weights[KPI_SIGNING] = 60;
    c.weights[KPI_SATISFACTION] = 40;
    struct kpi_parts parts;
    memset(&parts, 0, sizeof parts);
    parts.num[KPI_SIGNING] = 3;
    parts.den[KPI_SIGNING] = 4;
    struct team_score_line lines[KPI_COUNT];
    int64_t score;
    int n = team_score_lines(&c, &parts, lines, &score);
    assert_int_equal(n, 2);
    assert_int_equal(lines[0].code, KPI_SIGNING);
    assert_int_equal(lines[0].points, 4500); /* 60 × 0.75 = 45.00 points */
    assert_int_equal(lines[1].code, KPI_SATISFACTION);
    assert_int_equal(lines[1].has_value, 0);
    assert_int_equal(lines[1].points, 0);
    assert_int_equal(score, 4500);
    parts.num[KPI_SATISFACTION] = 1;
    parts.den[KPI_SATISFACTION] = 3; /* 40 / 3 = 13.33 points, rounded down */
    team_score_lines(&c, &parts, lines, &score);
    assert_int_equal(lines[1].points, 1333);
    assert_int_equal(score, 5833);
}

static void income_parts_sum_exactly_and_bonus_follows_score(void **state)
{
    (void)state;
    struct team_score_config c = team_score_default(); /* institution 20%, bonus 30% */
    struct team_income t[3] = {{.score = 5000, .income_fen = 10001},
                               {.score = 8000, .income_fen = 33333},
                               {.score = 5000, .income_fen = 7}};
    int order[3];
    int64_t pool = team_income_distribute(&c, t, 3, order);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 0);
    assert_int_equal(order[2], 2);
    assert_int_equal(t[1].rank, 1);
    assert_int_equal(t[0].rank, 2);
    assert_int_equal(t[2].rank, 2); /* equal scores share a rank */
    /* team 0: team part floor(10001 × 0.8) = 8000, institution 2001; pooled 2400 */
    assert_int_equal(t[0].institution_fen, 2001);
    assert_int_equal(t[0].team_fen, 5600);
    int64_t income = 0, paid = 0, bonus = 0;
    for (int i = 0; i < 3; i++) {
        income += t[i].income_fen;
        paid += t[i].institution_fen + t[i].team_fen + t[i].bonus_fen;
        bonus += t[i].bonus_fen;
    }
    assert_int_equal(paid, income);
    assert_int_equal(bonus, pool);
    /* pool = 2400 + floor(26666 × 0.3) + floor(5 × 0.3) = 2400 + 7999 + 1 = 10400;
     * by score 5000:8000:5000 of 18000 → 2888, 4622, 2888 (+2 to the first in rank) */
    assert_int_equal(pool, 10400);
    assert_int_equal(t[0].bonus_fen, 2888);
    assert_int_equal(t[2].bonus_fen, 2888);
    assert_int_equal(t[1].bonus_fen, 4622 + 2);
}

static void no_score_shares_the_pool_equally(void **state)
{
    (void)state;
    struct team_score_config c = team_score_default();
    c.bonus_share = 100;
    c.institution_share = 0;
    struct team_income t[2] = {{.score = 0, .income_fen = 101}, {.score = 0, .income_fen = 0}};
    int order[2];
    assert_int_equal(team_income_distribute(&c, t, 2, order), 101);
    assert_int_equal(t[0].bonus_fen, 51);
    assert_int_equal(t[1].bonus_fen, 50);
    assert_int_equal(team_income_distribute(&c, t, 0, order), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_valid_and_sum_to_100),
        cmocka_unit_test(score_is_the_weighted_sum_and_a_missing_value_scores_zero),
        cmocka_unit_test(income_parts_sum_exactly_and_bonus_follows_score),
        cmocka_unit_test(no_score_shares_the_pool_equally),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
