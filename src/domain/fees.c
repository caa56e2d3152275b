/* fees.c - exact fee splitting in integer fen. */
#include "domain/fees.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

enum fee_rules_problem fee_rules_check(int64_t fee_fen, const struct fee_rule *rules, int n,
                                       struct fee_rules_sums *sums)
{
    sums->percent_bp = sums->fixed_fen = 0;
    if (fee_fen < 0) return FEE_RULES_NEGATIVE_FEE;
    if (n < 1 || n > FEE_MAX_PAYERS) return FEE_RULES_COUNT;
    int any_percent = 0;
    for (int i = 0; i < n; i++) {
        if (rules[i].kind == FEE_PERCENT) {
            any_percent = 1;
            sums->percent_bp += rules[i].value;
        } else {
            sums->fixed_fen += rules[i].value;
        }
    }
    for (int i = 0; i < n; i++) {
        if (!rules[i].payer[0]) return FEE_RULES_NO_PAYER;
        for (int j = 0; j < i; j++)
            if (strcmp(rules[i].payer, rules[j].payer) == 0) return FEE_RULES_PAYER_TWICE;
        if (rules[i].value < 0) return FEE_RULES_NEGATIVE;
    }
    if (sums->fixed_fen > fee_fen) return FEE_RULES_FIXED_OVER;
    if (any_percent && sums->percent_bp != FEE_PERCENT_WHOLE) return FEE_RULES_PERCENT_SUM;
    if (!any_percent && sums->fixed_fen != fee_fen) return FEE_RULES_FIXED_SUM;
    return FEE_RULES_OK;
}

const char *fee_rules_problem_name(enum fee_rules_problem p)
{
    static const char *const NAMES[] = {"ok",         "negative_fee", "rule_count",
                                        "no_payer",   "payer_twice",  "negative_value",
                                        "fixed_over", "percent_sum",  "fixed_sum"};
    return NAMES[p];
}

int fee_rules_validate(int64_t fee_fen, const struct fee_rule *rules, int n, struct jy_error *err)
{
    struct fee_rules_sums sums;
    enum fee_rules_problem p = fee_rules_check(fee_fen, rules, n, &sums);
    switch (p) {
    case FEE_RULES_OK:
        return 0;
    case FEE_RULES_NEGATIVE_FEE:
        return jy_fail(err, 422, "invalid_fee_rule", "price_fen", "negative fee");
    case FEE_RULES_COUNT:
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "1 to %d payers", FEE_MAX_PAYERS);
    case FEE_RULES_NO_PAYER:
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "a payer has no name");
    case FEE_RULES_PAYER_TWICE:
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "a payer twice");
    case FEE_RULES_NEGATIVE:
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "negative share");
    case FEE_RULES_FIXED_OVER:
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "fixed shares exceed the fee");
    case FEE_RULES_PERCENT_SUM:
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules",
                       "percentages sum to %lld.%02lld%%", (long long)(sums.percent_bp / 100),
                       (long long)(sums.percent_bp % 100));
    case FEE_RULES_FIXED_SUM:
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules",
                       "fixed shares do not sum to the fee");
    }
    return jy_fail(err, 500, "internal_error", NULL, "fee rule check");
}

int fee_split(int64_t fee_fen, const struct fee_rule *rules, int n, struct fee_share *out,
              struct jy_error *err)
{
    if (fee_rules_validate(fee_fen, rules, n, err) < 0) return -1;
    assert(n >= 1 && n <= FEE_MAX_PAYERS); /* validated: out has room and out[0] exists */
    int64_t fixed = 0, given = 0;
    for (int i = 0; i < n; i++)
        if (rules[i].kind == FEE_FIXED) fixed += rules[i].value;
    int64_t rest = fee_fen - fixed;
    for (int i = 0; i < n; i++) {
        snprintf(out[i].payer, sizeof out[i].payer, "%s", rules[i].payer);
        /* rest * bp <= 2^63 for any fee below 9.2e14 fen; prices are capped far lower */
        out[i].amount_fen =
            rules[i].kind == FEE_FIXED ? rules[i].value : rest * rules[i].value / FEE_PERCENT_WHOLE;
        given += out[i].amount_fen;
    }
    out[0].amount_fen += fee_fen - given; /* rounding remainder to the first payer */
    return 0;
}

int fee_shares_merge(struct fee_share *total, int count, const struct fee_share *add, int n)
{
    assert(count >= 0 && count <= FEE_MAX_PAYERS && n >= 0 && n <= FEE_MAX_PAYERS);
    for (int i = 0; i < n; i++) {
        int j = 0;
        while (j < count && strcmp(total[j].payer, add[i].payer) != 0)
            j++;
        if (j == count) {
            if (count == FEE_MAX_PAYERS) return -1;
            total[count] = add[i];
            count++;
        } else {
            total[j].amount_fen += add[i].amount_fen;
        }
    }
    return count;
}
