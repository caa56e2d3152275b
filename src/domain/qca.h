/* qca.h - crisp-set qualitative comparative analysis (issue 22; Ragin's method as seed 002
 * applied it to 14 institutions): the truth table of the cases' configurations and their
 * minimisation by Quine-McCluskey to the complex solution (observed configurations only)
 * and the parsimonious one (logical remainders allowed), every equally minimal cover
 * listed. Pure; conditions are bits of a configuration (bit i: condition i present). */
#ifndef JIAYI_DOMAIN_QCA_H
#define JIAYI_DOMAIN_QCA_H

#include <stddef.h>
#include <stdint.h>

#define QCA_MAX_CONDITIONS 10
#define QCA_MAX_TERMS 256 /* prime implicants kept */
#define QCA_MAX_COVERS 16 /* equally minimal solutions listed */
#define QCA_MAX_COVER_TERMS 8

/* A term: the conditions in `care` must have the values of `value` (others do not matter). */
struct qca_term {
    uint32_t value, care;
};

struct qca_row { /* one observed configuration */
    uint32_t configuration;
    int cases, positive;
    double consistency;
    int outcome; /* consistency >= the cutoff */
};

struct qca_solution {
    int count; /* covers found; 0: no positive row */
    int size;  /* terms in each */
    struct qca_term terms[QCA_MAX_COVERS][QCA_MAX_COVER_TERMS];
};

/* The truth table of n cases (configuration and outcome 0/1 each): one row per observed
 * configuration, in configuration order. Returns the number of rows. */
int qca_truth_table(const uint32_t *configurations, const int *outcomes, size_t n, double cutoff,
                    struct qca_row *rows, int max_rows);
/* Minimises the rows' positive configurations over k conditions: with remainders the
 * parsimonious solution, without them the complex one. Returns 0, or -1 when the problem
 * is beyond the limits above. */
int qca_minimise(const struct qca_row *rows, int n_rows, int k, int with_remainders,
                 struct qca_solution *out);
/* 1 when the term covers the configuration. */
int qca_covers(struct qca_term t, uint32_t configuration);

/* How well a solution's terms fit the cases (crisp sets, so proportions of cases): per term
 * its consistency (of the cases it covers, the share with the outcome), raw coverage (of
 * the cases with the outcome, the share it covers) and unique coverage (the share only it
 * covers in this solution); the same consistency and coverage for the terms together. A
 * share over no cases is 0. */
struct qca_fit {
    double consistency[QCA_MAX_COVER_TERMS], raw_coverage[QCA_MAX_COVER_TERMS],
        unique_coverage[QCA_MAX_COVER_TERMS];
    double solution_consistency, solution_coverage;
};
void qca_fit(const struct qca_term *terms, int n_terms, const uint32_t *configurations,
             const int *outcomes, size_t n, struct qca_fit *out);

#endif
