/* fees.c - exact fee splitting in integer fen. */
#include "domain/fees.h"

#include <stdio.h>
#include <string.h>

int fee_rules_validate(int64_t fee_fen, const struct fee_rule *rules, int n, struct jy_error *err)
{
    if (fee_fen < 0) return jy_fail(err, 422, "invalid_fee_rule", "price_fen", "negative fee");
    if (n < 1 || n > FEE_MAX_PAYERS)
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "1 to %d payers", FEE_MAX_PAYERS);
    int64_t percent = 0, fixed = 0;
    int any_percent = 0;
    for (int i = 0; i < n; i++) {
        if (!rules[i].payer[0])
            return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "a payer has no name");
        for (int j = 0; j < i; j++)
            if (strcmp(rules[i].payer, rules[j].payer) == 0)
                return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "payer %s twice",
                               rules[i].payer);
        if (rules[i].value < 0)
            return jy_fail(err, 422, "invalid_fee_rule", "fee_rules", "negative share");
        if (rules[i].kind == FEE_PERCENT) {
            any_percent = 1;
            percent += rules[i].value;
        } else {
            fixed += rules[i].value;
        }
        if (fixed > fee_fen)
            return jy_fail(err, 422, "invalid_fee_rule", "fee_rules",
                           "fixed shares exceed the fee");
    }
    if (any_percent && percent != FEE_PERCENT_WHOLE)
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules",
                       "percentages sum to %lld.%02lld%%", (long long)(percent / 100),
                       (long long)(percent % 100));
    if (!any_percent && fixed != fee_fen)
        return jy_fail(err, 422, "invalid_fee_rule", "fee_rules",
                       "fixed shares do not sum to the fee");
    return 0;
}

int fee_split(int64_t fee_fen, const struct fee_rule *rules, int n, struct fee_share *out,
              struct jy_error *err)
{
    if (fee_rules_validate(fee_fen, rules, n, err) < 0) return -1;
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
