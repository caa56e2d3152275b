/* fees.h - splitting a signing fee between payers, exact to the fen (PROTOCOLS.md §10).
 *
 * A rule is a percentage (in basis points: 10% = 1000) or a fixed amount in fen. Fixed
 * amounts are taken first; percentages apply to what remains and are rounded down; the
 * remainder of the rounding (a few fen at most) goes to the first payer in rule order. So
 * the shares always sum to the fee and none is negative. */
#ifndef JIAYI_DOMAIN_FEES_H
#define JIAYI_DOMAIN_FEES_H

#include <stdint.h>

#include "util/error.h"

#define FEE_MAX_PAYERS 8
#define FEE_PERCENT_WHOLE 10000 /* 100% in basis points */

enum fee_rule_kind { FEE_PERCENT, FEE_FIXED };

struct fee_rule {
    char payer[32];
    enum fee_rule_kind kind;
    int64_t value; /* basis points, or fen */
};

struct fee_share {
    char payer[32];
    int64_t amount_fen;
};

/* What is wrong with a package's rules, if anything (fee_rules_check). */
enum fee_rules_problem {
    FEE_RULES_OK,
    FEE_RULES_NEGATIVE_FEE,
    FEE_RULES_COUNT,    /* none, or more than FEE_MAX_PAYERS */
    FEE_RULES_NO_PAYER, /* a rule names no payer */
    FEE_RULES_PAYER_TWICE,
    FEE_RULES_NEGATIVE,    /* a negative value */
    FEE_RULES_FIXED_OVER,  /* the fixed amounts exceed the fee */
    FEE_RULES_PERCENT_SUM, /* percentages present and not summing to 100% */
    FEE_RULES_FIXED_SUM,   /* fixed amounts only, not summing to the fee */
};
/* The sums the rules add up to, for saying what is wrong. */
struct fee_rules_sums {
    int64_t percent_bp, fixed_fen;
};
/* The first problem of the rules against the price (FEE_RULES_OK when none), and their sums. */
enum fee_rules_problem fee_rules_check(int64_t fee_fen, const struct fee_rule *rules, int n,
                                       struct fee_rules_sums *sums);
/* "percent_sum", "fixed_over", ... as the fee-split preview names them; "ok". */
const char *fee_rules_problem_name(enum fee_rules_problem p);

/* Checks a package's rules against its price: 1 to FEE_MAX_PAYERS rules, distinct payers,
 * values >= 0, fixed amounts <= the fee, percentages summing to exactly 100% when any is
 * present and fixed amounts summing to the fee when none is. 0, or -1 with err (422,
 * invalid_fee_rule, field "fee_rules"). */
int fee_rules_validate(int64_t fee_fen, const struct fee_rule *rules, int n, struct jy_error *err);
/* Splits fee_fen by valid rules into out[n] (same order as rules). Returns 0 or -1. */
int fee_split(int64_t fee_fen, const struct fee_rule *rules, int n, struct fee_share *out,
              struct jy_error *err);
/* Adds shares into a running total by payer (first appearance keeps its place).
 * Returns the new count, or -1 when more than FEE_MAX_PAYERS payers would be needed. */
int fee_shares_merge(struct fee_share *total, int count, const struct fee_share *add, int n);

#endif
