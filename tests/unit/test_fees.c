/* Unit tests: domain/fees.c, the fee split of PROTOCOLS.md §10 - every example, properties
 * over many random rules, and what fee_rules_check finds wrong, row by row. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/fees.h"

static struct fee_rule R(const char *payer, enum fee_rule_kind kind, int64_t value) {
    struct fee_rule r;
    memset(&r, 0, sizeof r);
    snprintf(r.payer, sizeof r.payer, "%s", payer);
    r.kind = kind;
    r.value = value;
    return r;
}

static void
split_120_yuan_10_25_65_percent(void **state)
{
    (void)state;
    struct fee_rule rules[] = {R("resident", FEE_PERCENT, 1000), R("city", FEE_PERCENT, 2500),
                               R("district", FEE_PERCENT, 6500)};
    struct fee_share out[3];
    struct jy_error err;
    assert_int_equal(fee_split(12000, rules, 3, out, &err), 0);
    assert_int_equal(out[0].amount_fen, 1200);
    assert_int_equal(out[1].amount_fen, 3000);
    assert_int_equal(out[2].amount_fen, 7800);
    assert_string_equal(out[2].payer, "district");
}

static void split_120_yuan_fixed_20_70_30(void **state)
{
    (void)state;
    struct fee_rule rules[] = {R("resident", FEE_FIXED, 2000), R("insurance", FEE_FIXED, 7000),
                               R("public_funds", FEE_FIXED, 3000)};
    struct fee_share out[3];
    struct jy_error err;
    assert_int_equal(fee_split(12000, rules, 3, out, &err), 0);
    assert_int_equal(out[0].amount_fen, 2000);
    assert_int_equal(out[1].amount_fen, 7000);
    assert_int_equal(out[2].amount_fen, 3000);
}

static void rounding_remainder_goes_to_the_first_payer(void **state)
{
    (void)state;
    /* 100.01 yuan in thirds: 3333 + 3333 + 3333 = 9999, the 2 fen left go to the first */
    struct fee_rule rules[] = {R("a", FEE_PERCENT, 3334), R("b", FEE_PERCENT, 3333),
                               R("c", FEE_PERCENT, 3333)};
    struct fee_share out[3];
    struct jy_error err;
    assert_int_equal(fee_split(10001, rules, 3, out, &err), 0);
    assert_int_equal(out[0].amount_fen + out[1].amount_fen + out[2].amount_fen, 10001);
    assert_int_equal(out[1].amount_fen, 3333);
    assert_int_equal(out[0].amount_fen, 10001 - 3333 - 3333);
}

static void fixed_first_then_percent_of_the_rest(void **state)
{
    (void)state;
    struct fee_rule rules[] = {R("insurance", FEE_PERCENT, 7000), R("resident", FEE_FIXED, 5000),
                               R("county", FEE_PERCENT, 3000)};
    struct fee_share out[3];
    struct jy_error err;
    assert_int_equal(fee_split(15000, rules, 3, out, &err), 0);
    assert_int_equal(out[1].amount_fen, 5000);
    assert_int_equal(out[0].amount_fen, 7000);
    assert_int_equal(out[2].amount_fen, 3000);
}

static void invalid_rules_are_refused(void **state)
{
    (void)state;
    struct jy_error err;
    struct fee_rule not_100[] = {R("a", FEE_PERCENT, 5000), R("b", FEE_PERCENT, 4000)};
    assert_int_equal(fee_rules_validate(12000, not_100, 2, &err), -1);
    assert_string_equal(err.code, "invalid_fee_rule");
    struct fee_rule fixed_short[] = {R("a", FEE_FIXED, 100)};
    assert_int_equal(fee_rules_validate(12000, fixed_short, 1, &err), -1);
    struct fee_rule fixed_over[] = {R("a", FEE_FIXED, 13000), R("b", FEE_PERCENT, 10000)};
    assert_int_equal(fee_rules_validate(12000, fixed_over, 2, &err), -1);
    struct fee_rule twice[] = {R("a", FEE_PERCENT, 5000), R("a", FEE_PERCENT, 5000)};
    assert_int_equal(fee_rules_validate(12000, twice, 2, &err), -1);
    struct fee_rule negative[] = {R("a", FEE_PERCENT, 11000), R("b", FEE_PERCENT, -1000)};
    assert_int_equal(fee_rules_validate(12000, negative, 2, &err), -1);
    assert_int_equal(fee_rules_validate(12000, not_100, 0, &err), -1);
    struct fee_rule free_package[] = {R("public_funds", FEE_FIXED, 0)};
    assert_int_equal(fee_rules_validate(0, free_package, 1, &err), 0);
}

/* Properties: for random valid rules and fees, shares sum to the fee and none is negative. */
static void shares_always_sum_to_the_fee_and_are_never_negative(void **state)
{
    (void)state;
    srand(20261124);
    for (int trial = 0; trial < 20000; trial++) {
        int n = 1 + rand() % FEE_MAX_PAYERS;
        int64_t fee = rand() % 200000;
        struct fee_rule rules[FEE_MAX_PAYERS];
        int fixed_count = rand() % (n + 1);
        int64_t fixed_left = fee, percent_left = FEE_PERCENT_WHOLE;
        for (int i = 0; i < n; i++) {
            char payer[16];
            snprintf(payer, sizeof payer, "p%d", i);
            int last_percent = i == n - 1;
            if (i < fixed_count && !(i == n - 1 && fixed_count == n)) {
                int64_t v = fixed_left ? rand() % (fixed_left + 1) : 0;
                fixed_left -= v;
                rules[i] = R(payer, FEE_FIXED, v);
            } else if (i < fixed_count) { /* all fixed: the last takes what is left */
                rules[i] = R(payer, FEE_FIXED, fixed_left);
            } else {
                int64_t v = last_percent ? percent_left : rand() % (percent_left + 1);
                percent_left -= v;
                rules[i] = R(payer, FEE_PERCENT, v);
            }
        }
        struct fee_share out[FEE_MAX_PAYERS];
        struct jy_error err;
        if (fee_split(fee, rules, n, out, &err) < 0)
            fail_msg("trial %d: valid rules refused: %s", trial, err.detail);
        int64_t sum = 0;
        for (int i = 0; i < n; i++) {
            assert_true(out[i].amount_fen >= 0);
            sum += out[i].amount_fen;
        }
        assert_int_equal(sum, fee);
    }
}

static void merging_shares_adds_by_payer_in_first_seen_order(void **state)
{
    (void)state;
    struct fee_share total[FEE_MAX_PAYERS];
    struct fee_share a[] = {{"resident", 1200}, {"city", 3000}};
    struct fee_share b[] = {{"city", 500}, {"insurance", 700}};
    int n = fee_shares_merge(total, 0, a, 2);
    n = fee_shares_merge(total, n, b, 2);
    assert_int_equal(n, 3);
    assert_string_equal(total[1].payer, "city");
    assert_int_equal(total[1].amount_fen, 3500);
    assert_string_equal(total[2].payer, "insurance");
}

/* What fee_rules_check finds wrong (the fee-split preview says it), one row per case. */
static void fee_rules_check_names_the_first_problem(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int64_t fee;
        struct {
            const char *payer;
            enum fee_rule_kind kind;
            int64_t value;
        } rules[3];
        int n;
        enum fee_rules_problem expected;
        int64_t percent_bp, fixed_fen;
    } ROWS[] = {
        {"10/25/65 of 120 yuan",
         12000,
         {{"resident", FEE_PERCENT, 1000},
          {"city", FEE_PERCENT, 2500},
          {"district", FEE_PERCENT, 6500}},
         3,
         FEE_RULES_OK,
         10000,
         0},
        {"fixed 20 yuan, 100% of the rest",
         8000,
         {{"resident", FEE_FIXED, 2000}, {"insurance", FEE_PERCENT, 10000}},
         2,
         FEE_RULES_OK,
         10000,
         2000},
        {"fixed only, summing to the fee",
         5000,
         {{"county", FEE_FIXED, 5000}},
         1,
         FEE_RULES_OK,
         0,
         5000},
        {"no rule", 5000, {{0}}, 0, FEE_RULES_COUNT, 0, 0},
        {"a negative fee", -1, {{"county", FEE_FIXED, 0}}, 1, FEE_RULES_NEGATIVE_FEE, 0, 0},
        {"a payer without a name", 100, {{"", FEE_FIXED, 100}}, 1, FEE_RULES_NO_PAYER, 0, 100},
        {"one payer twice",
         100,
         {{"a", FEE_PERCENT, 5000}, {"a", FEE_PERCENT, 5000}},
         2,
         FEE_RULES_PAYER_TWICE,
         10000,
         0},
        {"a negative share",
         100,
         {{"a", FEE_PERCENT, 11000}, {"b", FEE_PERCENT, -1000}},
         2,
         FEE_RULES_NEGATIVE,
         10000,
         0},
        {"fixed over the fee",
         1000,
         {{"a", FEE_FIXED, 1500}, {"b", FEE_PERCENT, 10000}},
         2,
         FEE_RULES_FIXED_OVER,
         10000,
         1500},
        {"percentages to 90%",
         12000,
         {{"resident", FEE_PERCENT, 1000},
          {"city", FEE_PERCENT, 2500},
          {"district", FEE_PERCENT, 5500}},
         3,
         FEE_RULES_PERCENT_SUM,
         9000,
         0},
        {"fixed only, short of the fee",
         5000,
         {{"county", FEE_FIXED, 4000}},
         1,
         FEE_RULES_FIXED_SUM,
         0,
         4000},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        struct fee_rule rules[3];
        for (int k = 0; k < ROWS[i].n; k++)
            rules[k] = R(ROWS[i].rules[k].payer, ROWS[i].rules[k].kind, ROWS[i].rules[k].value);
        struct fee_rules_sums sums;
        enum fee_rules_problem got = fee_rules_check(ROWS[i].fee, rules, ROWS[i].n, &sums);
        if (got != ROWS[i].expected)
            fail_msg("row %zu (%s): %s, expected %s", i, ROWS[i].name, fee_rules_problem_name(got),
                     fee_rules_problem_name(ROWS[i].expected));
        if (got != FEE_RULES_NEGATIVE_FEE && got != FEE_RULES_COUNT &&
            (sums.percent_bp != ROWS[i].percent_bp || sums.fixed_fen != ROWS[i].fixed_fen))
            fail_msg("row %zu (%s): sums %lld bp, %lld fen", i, ROWS[i].name,
                     (long long)sums.percent_bp, (long long)sums.fixed_fen);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_120_yuan_10_25_65_percent),
        cmocka_unit_test(split_120_yuan_fixed_20_70_30),
        cmocka_unit_test(rounding_remainder_goes_to_the_first_payer),
        cmocka_unit_test(fixed_first_then_percent_of_the_rest),
        cmocka_unit_test(invalid_rules_are_refused),
        cmocka_unit_test(shares_always_sum_to_the_fee_and_are_never_negative),
        cmocka_unit_test(merging_shares_adds_by_payer_in_first_seen_order),
        cmocka_unit_test(fee_rules_check_names_the_first_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
