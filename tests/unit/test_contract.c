/* Unit tests: domain/contract.c, the contract rules of PROTOCOLS.md §10 - the term,
 * lifecycle transitions, eligibility and the cap (the fee split: test_fees.c). */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/contract.h"
#include "domain/fees.h"

static void the_term_is_one_year_and_a_renewal_starts_the_next_day(void **state)
{
    (void)state;
    assert_date(contract_end_date(D("2026-01-01")), "2026-12-31");
    assert_date(contract_end_date(D("2026-03-01")), "2027-02-28");
    assert_date(contract_end_date(D("2024-02-29")), "2025-02-28");
    assert_date(contract_end_date(D("2027-03-01")), "2028-02-29");
    assert_date(contract_renewal_start(D("2026-12-31")), "2027-01-01");
    assert_true(contract_renewal_due(D("2026-12-31"), D("2026-12-01")));
    assert_false(contract_renewal_due(D("2026-12-31"), D("2026-11-30")));
    assert_false(contract_renewal_due(D("2026-12-31"), D("2027-01-01")));
}

static void only_the_listed_transitions_are_allowed(void **state)
{
    (void)state;
    /* rows: from; columns: to (scheduled active expired terminated transferred) */
    static const char *const ALLOWED[CONTRACT_STATUS_COUNT] = {"01010", "00111", "00000", "00000",
                                                               "00000"};
    for (int from = 0; from < CONTRACT_STATUS_COUNT; from++)
        for (int to = 0; to < CONTRACT_STATUS_COUNT; to++)
            if (contract_transition_allowed((enum contract_status)from, (enum contract_status)to) !=
                (ALLOWED[from][to] == '1'))
                fail_msg("%s -> %s", contract_status_name((enum contract_status)from),
                         contract_status_name((enum contract_status)to));
    assert_int_equal(contract_status_parse("terminated"), CONTRACT_TERMINATED);
    assert_int_equal(contract_status_parse("void"), -1);
}

static void eligibility_by_age_class_and_enrolment(void **state)
{
    (void)state;
    const char *const programs[] = {"elderly", "hypertension"};
    struct signer_facts f = {70, 1, programs, 2};
    struct package_requirements htn = {35, -1, "hypertension", 0};
    assert_int_equal(package_eligibility(&htn, &f), ELIGIBLE);
    struct package_requirements dm = {35, -1, "diabetes", 0};
    assert_int_equal(package_eligibility(&dm, &f), NOT_ENROLLED);
    struct package_requirements child = {-1, 6, NULL, 0};
    assert_int_equal(package_eligibility(&child, &f), TOO_OLD);
    struct package_requirements elderly = {65, -1, "", 0};
    f.age = 64;
    assert_int_equal(package_eligibility(&elderly, &f), TOO_YOUNG);
    f.age = 65;
    assert_int_equal(package_eligibility(&elderly, &f), ELIGIBLE);
    struct package_requirements key_only = {-1, -1, NULL, 1};
    f.population_class = 3;
    assert_int_equal(package_eligibility(&key_only, &f), WRONG_CLASS);
    assert_string_equal(eligibility_reason(NOT_ENROLLED), "not_enrolled");
}

/* PROTOCOLS.md §10's cap, one row per case; a failure names its row. */
static void capacity_caps_at_the_configured_number(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        struct capacity_case c;
        int allowed;
    } ROWS[] = {
        {"GP with a place left", {0, 0, 0, 999, 1000}, 1},
        {"GP at the cap", {0, 0, 0, 1000, 1000}, 0},
        {"GP at the cap, a personalised term", {0, 1, 0, 1000, 1000}, 0},
        {"GP over the cap (lowered later)", {0, 0, 0, 1200, 1000}, 0},
        {"GP at the cap, the household already his", {0, 0, 1, 1000, 1000}, 1},
        {"GP without a cap", {0, 0, 0, 5000, 0}, 1},
        {"village doctor, personalised, a place left", {1, 1, 0, 99, 100}, 1},
        {"village doctor, personalised, at the cap", {1, 1, 0, 100, 100}, 0},
        {"village doctor at the cap, a basic term takes no place", {1, 0, 0, 100, 100}, 1},
        {"village doctor at the cap, the household already his", {1, 1, 1, 100, 100}, 1},
        {"village doctor without a cap", {1, 1, 0, 100, 0}, 1},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        if (contract_capacity_allows(&ROWS[i].c) != ROWS[i].allowed)
            fail_msg("row %zu (%s): expected %s", i, ROWS[i].name,
                     ROWS[i].allowed ? "allowed" : "refused");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_term_is_one_year_and_a_renewal_starts_the_next_day),
        cmocka_unit_test(only_the_listed_transitions_are_allowed),
        cmocka_unit_test(eligibility_by_age_class_and_enrolment),
        cmocka_unit_test(capacity_caps_at_the_configured_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
