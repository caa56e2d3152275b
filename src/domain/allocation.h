/* allocation.h - the team's income shared among its members (二次分配, issue 19; seed 004
 * Xiamen: of 120 yuan a contract, 80 go to the team, which the team lead allocates after the
 * assessment). Amounts are fen and always add up to the pool exactly. Pure. */
#ifndef JIAYI_DOMAIN_ALLOCATION_H
#define JIAYI_DOMAIN_ALLOCATION_H

#include <stdint.h>

#define ALLOCATION_MAX_POOL_FEN 10000000000LL /* 100 million yuan */
#define ALLOCATION_MAX_WEIGHT 1000000

/* Splits `pool_fen` among `n` members by their weights (0..ALLOCATION_MAX_WEIGHT, at least
 * one above 0): each gets the floor of its share, then the fen left over go one each to the
 * largest remainders (a tie: the earlier member). The amounts sum to pool_fen. 0, or -1 when
 * no weight is above 0 or an argument is out of range. */
int allocation_split(int64_t pool_fen, const int64_t *weights, int n, int64_t *out);

/* Whether amounts given by hand make up the pool: each >= 0 and their sum == pool_fen. */
int allocation_adds_up(int64_t pool_fen, const int64_t *amounts, int n);

#endif
