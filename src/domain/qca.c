/* qca.c - see qca.h. Quine-McCluskey: terms that differ in one cared-for bit (and care for
 * the same bits) merge, round after round; those that never merge are the primes. Then the
 * smallest sets of primes covering every positive configuration, by increasing size (the
 * problems of a county's institutions are small: at most 2^10 configurations). */
#include "domain/qca.h"

#include <stdlib.h>
#include <string.h>

int qca_covers(struct qca_term t, uint32_t configuration)
{
    return (configuration & t.care) == (t.value & t.care);
}

static double share(int part, int whole)
{
    return whole ? (double)part / whole : 0;
}

void qca_fit(const struct qca_term *terms, int n_terms, const uint32_t *configurations,
             const int *outcomes, size_t n, struct qca_fit *out)
{
    memset(out, 0, sizeof *out);
    int positive = 0, covered = 0, covered_positive = 0;
    int in[QCA_MAX_COVER_TERMS] = {0}, in_positive[QCA_MAX_COVER_TERMS] = {0},
        only_positive[QCA_MAX_COVER_TERMS] = {0};
    for (size_t i = 0; i < n; i++) {
        int y = outcomes[i] != 0, hits = 0, last = -1;
        positive += y;
        for (int t = 0; t < n_terms; t++)
            if (qca_covers(terms[t], configurations[i])) {
                in[t]++;
                in_positive[t] += y;
                hits++;
                last = t;
            }
        if (hits) {
            covered++;
            covered_positive += y;
        }
        if (hits == 1 && y) only_positive[last]++;
    }
    for (int t = 0; t < n_terms; t++) {
        out->consistency[t] = share(in_positive[t], in[t]);
        out->raw_coverage[t] = share(in_positive[t], positive);
        out->unique_coverage[t] = share(only_positive[t], positive);
    }
    out->solution_consistency = share(covered_positive, covered);
    out->solution_coverage = share(covered_positive, positive);
}

int qca_truth_table(const uint32_t *configurations, const int *outcomes, size_t n, double cutoff,
                    struct qca_row *rows, int max_rows)
{
    int count = 0;
    for (uint32_t c = 0; c < (1u << QCA_MAX_CONDITIONS) && count < max_rows; c++) {
        int cases = 0, positive = 0;
        for (size_t i = 0; i < n; i++)
            if (configurations[i] == c) {
                cases++;
                positive += outcomes[i] != 0;
            }
        if (!cases) continue;
        double consistency = (double)positive / cases;
        rows[count++] = (struct qca_row){c, cases, positive, consistency, consistency >= cutoff};
    }
    return count;
}

/* The prime implicants of the on-set and don't-care set (as a membership table), or -1. */
static int primes(const unsigned char *in_set, int k, struct qca_term *out, int max)
{
    uint32_t all = (1u << k) - 1;
    /* A term is a (value, care) pair; which exist, and which merged, in tables indexed by
     * both (3^k would be tighter; 4^k is a megabyte at k = 10). Allocated per call, so that
     * threads may minimise at once. */
    size_t cells = (size_t)1 << (2 * k);
    unsigned char *present = calloc(cells, 1), *merged = calloc(cells, 1);
    if (!present || !merged) {
        free(present);
        free(merged);
        return -1;
    }
#define KEY(v, c) (((c) << k) | (v))
    for (uint32_t v = 0; v <= all; v++)
        if (in_set[v]) present[KEY(v, all)] = 1;
    for (int dashes = 0; dashes <= k; dashes++) {
        for (uint32_t care = 0; care <= all; care++) {
            if (__builtin_popcount(care) != k - dashes) continue;
            for (uint32_t v = 0; v <= all; v++) {
                if ((v & ~care) || !present[KEY(v, care)]) continue;
                for (int b = 0; b < k; b++) {
                    uint32_t bit = 1u << b;
                    if (!(care & bit) || (v & bit)) continue;
                    if (!present[KEY(v | bit, care)]) continue;
                    present[KEY(v, care & ~bit)] = 1;
                    merged[KEY(v, care)] = merged[KEY(v | bit, care)] = 1;
                }
            }
        }
    }
    int count = 0;
    for (uint32_t care = all + 1; care-- > 0 && count >= 0;)
        for (uint32_t v = 0; v <= all && count >= 0; v++) {
            if ((v & ~care) || !present[KEY(v, care)] || merged[KEY(v, care)]) continue;
            if (count == max)
                count = -1; /* more primes than the caller holds */
            else
                out[count++] = (struct qca_term){v, care};
        }
#undef KEY
    free(present);
    free(merged);
    return count;
}

int qca_minimise(const struct qca_row *rows, int n_rows, int k, int with_remainders,
                 struct qca_solution *out)
{
    memset(out, 0, sizeof *out);
    if (k < 1 || k > QCA_MAX_CONDITIONS) return -1;
    uint32_t all = (1u << k) - 1;
    unsigned char in_set[1 << QCA_MAX_CONDITIONS] = {0}, observed[1 << QCA_MAX_CONDITIONS] = {0};
    uint32_t positives[1 << QCA_MAX_CONDITIONS];
    int n_pos = 0;
    for (int r = 0; r < n_rows; r++) {
        uint32_t c = rows[r].configuration & all;
        observed[c] = 1;
        if (rows[r].outcome) {
            in_set[c] = 1;
            positives[n_pos++] = c;
        }
    }
    if (n_pos == 0) return 0;
    if (with_remainders)
        for (uint32_t c = 0; c <= all; c++)
            if (!observed[c]) in_set[c] = 1;
    struct qca_term prime[QCA_MAX_TERMS];
    int n_prime = primes(in_set, k, prime, QCA_MAX_TERMS);
    if (n_prime < 0) return -1;
    /* Only primes that cover a positive configuration can be in a minimal cover. */
    int useful = 0;
    for (int i = 0; i < n_prime; i++)
        for (int j = 0; j < n_pos; j++)
            if (qca_covers(prime[i], positives[j])) {
                prime[useful++] = prime[i];
                break;
            }
    int pick[QCA_MAX_COVER_TERMS];
    for (int size = 1; size <= QCA_MAX_COVER_TERMS && size <= useful && !out->count; size++) {
        for (int i = 0; i < size; i++)
            pick[i] = i;
        for (;;) {
            int all_covered = 1;
            for (int j = 0; j < n_pos && all_covered; j++) {
                int hit = 0;
                for (int i = 0; i < size && !hit; i++)
                    hit = qca_covers(prime[pick[i]], positives[j]);
                all_covered = hit;
            }
            if (all_covered && out->count < QCA_MAX_COVERS) {
                for (int i = 0; i < size; i++)
                    out->terms[out->count][i] = prime[pick[i]];
                out->count++;
                out->size = size;
            }
            int i = size - 1; /* the next combination of `size` of the useful primes */
            while (i >= 0 && pick[i] == useful - size + i)
                i--;
            if (i < 0) break;
            pick[i]++;
            for (int j = i + 1; j < size; j++)
                pick[j] = pick[j - 1] + 1;
        }
    }
    return out->count ? 0 : -1;
}
