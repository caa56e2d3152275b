/* allocation.c - see allocation.h. */
#include "domain/allocation.h"

int allocation_split(int64_t pool_fen, const int64_t *weights, int n, int64_t *out)
{
    int64_t total = 0;
    if (pool_fen < 0 || pool_fen > ALLOCATION_MAX_POOL_FEN || n <= 0) return -1;
    for (int i = 0; i < n; i++) {
        if (weights[i] < 0 || weights[i] > ALLOCATION_MAX_WEIGHT) return -1;
        total += weights[i];
    }
    if (total == 0) return -1;
    /* pool x weight stays below 2^63: at most 1e10 x 1e6. */
    int64_t given = 0;
    for (int i = 0; i < n; i++) {
        out[i] = pool_fen * weights[i] / total;
        given += out[i];
    }
    /* The fen left over (fewer than n): one each to the largest remainders. */
    for (int64_t left = pool_fen - given; left > 0; left--) {
        int best = -1;
        int64_t best_rest = -1;
        for (int i = 0; i < n; i++) {
            int64_t rest = pool_fen * weights[i] % total;
            /* a member already topped up this round has its remainder spent */
            if (rest > best_rest && out[i] == pool_fen * weights[i] / total)
                best = i, best_rest = rest;
        }
        if (best < 0) return -1;
        out[best]++;
    }
    return 0;
}

int allocation_adds_up(int64_t pool_fen, const int64_t *amounts, int n)
{
    int64_t sum = 0;
    for (int i = 0; i < n; i++) {
        if (amounts[i] < 0) return 0;
        sum += amounts[i];
    }
    return sum == pool_fen;
}
