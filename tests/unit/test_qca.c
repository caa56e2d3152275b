/* test_qca.c - domain/qca.c on a textbook truth table (three conditions A, B, C as bits 2, 1,
 * 0): positive ABC, ABc and aBC; negative abc, abC and Abc; aBc and AbC never observed. The
 * complex solution (no remainders) is AB + BC; the parsimonious one (remainders allowed) is
 * B alone. Then random truth tables: every term found is a prime implicant of its set, every
 * positive configuration is covered and no negative one is. */
#include "test.h"

#include <stdlib.h>

#include "domain/qca.h"

static uint32_t cfg(const char *abc)
{
    return (uint32_t)((abc[0] == '1') << 2 | (abc[1] == '1') << 1 | (abc[2] == '1'));
}

static void textbook_table(void **state)
{
    (void)state;
    const char *cases[] = {"111", "111", "110", "011", "000", "001", "100", "100"};
    const int outcome[] = {1, 1, 1, 1, 0, 0, 0, 1}; /* one Abc case positive: 1 of 2 */
    uint32_t c[8];
    for (int i = 0; i < 8; i++)
        c[i] = cfg(cases[i]);
    struct qca_row rows[16];
    int n = qca_truth_table(c, outcome, 8, 0.8, rows, 16);
    assert_int_equal(n, 6);
    for (int i = 0; i < n; i++)
        if (rows[i].configuration == cfg("100")) {
            assert_int_equal(rows[i].cases, 2);
            assert_true(rows[i].consistency == 0.5 && rows[i].outcome == 0);
        }
    struct qca_solution complex, parsimonious;
    assert_int_equal(qca_minimise(rows, n, 3, 0, &complex), 0);
    assert_int_equal(complex.count, 1);
    assert_int_equal(complex.size, 2);
    int ab = 0, bc = 0;
    for (int i = 0; i < 2; i++) {
        struct qca_term t = complex.terms[0][i];
        ab += t.care == 6 && t.value == 6;
        bc += t.care == 3 && t.value == 3;
    }
    assert_true(ab && bc);
    assert_int_equal(qca_minimise(rows, n, 3, 1, &parsimonious), 0);
    assert_int_equal(parsimonious.count, 1);
    assert_int_equal(parsimonious.size, 1);
    assert_true(parsimonious.terms[0][0].care == 2 && parsimonious.terms[0][0].value == 2);

    /* Fit on the cases: five positive; AB covers three of them (ABC twice, ABc), BC three
     * (ABC twice, aBC); each alone covers one; together four, none negative. */
    struct qca_fit fit;
    qca_fit(complex.terms[0], 2, c, outcome, 8, &fit);
    for (int i = 0; i < 2; i++) {
        assert_true(fit.consistency[i] == 1.0);
        assert_true(fit.raw_coverage[i] == 0.6);
        assert_true(fit.unique_coverage[i] == 0.2);
    }
    assert_true(fit.solution_consistency == 1.0 && fit.solution_coverage == 0.8);
    /* A term that also covers the negative abc and the mixed Abc: c alone. */
    struct qca_term not_c = {0, 1};
    qca_fit(&not_c, 1, c, outcome, 8, &fit);
    assert_true(fit.consistency[0] == 0.5);     /* ABc, Abc+, Abc-, abc- : 2 of 4 */
    assert_true(fit.raw_coverage[0] == 0.4);    /* ABc and the positive Abc */
    assert_true(fit.unique_coverage[0] == 0.4); /* alone in its solution */
    assert_true(fit.solution_coverage == 0.4 && fit.solution_consistency == 0.5);
}

static void random_tables_hold_the_promises(void **state)
{
    (void)state;
    srand(7);
    for (int round = 0; round < 300; round++) {
        /* Up to four conditions: a cover then needs at most eight terms (a checkerboard). */
        int k = 2 + rand() % 3;
        uint32_t all = (1u << k) - 1;
        struct qca_row rows[64];
        int n = 0;
        for (uint32_t c = 0; c <= all; c++)
            if (rand() % 3) rows[n++] = (struct qca_row){c, 1, 0, 0, rand() % 2};
        for (int rem = 0; rem < 2; rem++) {
            struct qca_solution s;
            int any = 0;
            for (int i = 0; i < n; i++)
                any |= rows[i].outcome;
            int rc = qca_minimise(rows, n, k, rem, &s);
            if (!any) {
                assert_int_equal(s.count, 0);
                continue;
            }
            assert_int_equal(rc, 0);
            for (int v = 0; v < s.count; v++)
                for (int i = 0; i < n; i++) {
                    int hit = 0;
                    for (int t = 0; t < s.size; t++)
                        hit |= qca_covers(s.terms[v][t], rows[i].configuration);
                    if (rows[i].outcome && !hit)
                        fail_msg("round %d: a positive row uncovered", round);
                    if (!rows[i].outcome && hit)
                        fail_msg("round %d: a negative row covered", round);
                }
            /* Each term is prime: dropping any cared-for bit lets it cover a negative row
             * (or, without remainders, an unobserved configuration). */
            for (int v = 0; v < s.count; v++)
                for (int t = 0; t < s.size; t++)
                    for (int b = 0; b < k; b++) {
                        struct qca_term wider = s.terms[v][t];
                        if (!(wider.care & (1u << b))) continue;
                        wider.care &= ~(1u << b);
                        int allowed = 1;
                        for (uint32_t c = 0; c <= all && allowed; c++) {
                            if (!qca_covers(wider, c)) continue;
                            int seen = 0, positive = 0;
                            for (int i = 0; i < n; i++)
                                if (rows[i].configuration == c) {
                                    seen = 1;
                                    positive = rows[i].outcome;
                                }
                            allowed = seen ? positive : rem;
                        }
                        if (allowed) fail_msg("round %d: a term is not prime", round);
                    }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(textbook_table),
        cmocka_unit_test(random_tables_hold_the_promises),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
