/* Unit tests: the offers a visit makes (issue 19): enrolment for a chronic diagnosis not yet
 * managed, by the national programmes' ICD-10 groups and their age rules, and a contract for
 * an unsigned key-population resident. */
#include "test.h"

#include <string.h>

#include "domain/visit_prompts.h"

static int offers(int age, const char *sex, int klass, int signed_now, const char *const *dx,
                  int n_dx, const char *const *enrolled, int n_enrolled, struct visit_offer *out)
{
    struct population_config c = population_config_default();
    struct visit_facts f = {age, sex, klass, signed_now, dx, n_dx, enrolled, n_enrolled};
    return visit_offers(&f, &c, out);
}

static void programmes_by_icd10(void **state)
{
    (void)state;
    static const char *const ROWS[][2] = {
        {"I10", "hypertension"},
        {"I11.9", "hypertension"},
        {"I15.0", "hypertension"},
        {"E11", "diabetes"},
        {"E11.9", "diabetes"},
        {"F20.0", "smd"},
        {"F25", "smd"},
        {"F31.2", "smd"},
        {"I14", NULL},
        {"E10.9", NULL},
        {"F32", NULL},
        {"I100", NULL},
        {"J44.1", NULL},
        {"", NULL},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const char *p = visit_program_of(ROWS[i][0]);
        if (ROWS[i][1])
            assert_string_equal(p, ROWS[i][1]);
        else
            assert_null(p);
    }
    assert_null(visit_program_of(NULL));
}

static void a_chronic_diagnosis_not_managed_is_offered_once(void **state)
{
    (void)state;
    struct visit_offer out[VISIT_MAX_OFFERS];
    const char *dx[] = {"I10", "E11.9", "I11.9", "J44.1"};
    int n = offers(58, "M", 3, 1, dx, 4, NULL, 0, out);
    assert_int_equal(n, 2);
    assert_string_equal(visit_offer_kind_name(out[0].kind), "enrol");
    assert_string_equal(out[0].program, "hypertension");
    assert_string_equal(out[0].diagnosis, "I10");
    assert_string_equal(out[1].program, "diabetes");
    /* Already managed: nothing. */
    const char *running[] = {"hypertension", "diabetes"};
    assert_int_equal(offers(58, "M", 1, 1, dx, 4, running, 2, out), 0);
    /* Hypertension and diabetes are managed from 35 (PROTOCOLS.md §3, §4). */
    assert_int_equal(offers(30, "F", 3, 1, dx, 2, NULL, 0, out), 0);
    const char *smd[] = {"F20.0"};
    assert_int_equal(offers(30, "F", 3, 1, smd, 1, NULL, 0, out), 1);
    assert_string_equal(out[0].program, "smd");
}

static void an_unsigned_key_resident_is_offered_a_contract(void **state)
{
    (void)state;
    struct visit_offer out[VISIT_MAX_OFFERS];
    assert_int_equal(offers(70, "F", 1, 0, NULL, 0, NULL, 0, out), 1);
    assert_string_equal(visit_offer_kind_name(out[0].kind), "sign");
    assert_int_equal(offers(70, "F", 1, 1, NULL, 0, NULL, 0, out), 0); /* signed */
    assert_int_equal(offers(40, "F", 2, 0, NULL, 0, NULL, 0, out), 0); /* not key */
    assert_int_equal(offers(40, "F", 3, 0, NULL, 0, NULL, 0, out), 0);
    /* Both at one visit: enrolment first, then the contract. */
    const char *dx[] = {"E11"};
    assert_int_equal(offers(66, "M", 1, 0, dx, 1, NULL, 0, out), 2);
    assert_string_equal(visit_offer_kind_name(out[1].kind), "sign");
}

static void the_days_colours(void **state)
{
    (void)state;
    static const char *const ROWS[][2] = {
        {"emergency", "red"},
        {"consecutive_uncontrolled", "red"},
        {"unstable", "red"},
        {"first_uncontrolled", "yellow"},
        {"basically_stable", "yellow"},
        {"controlled", "green"},
        {"stable", "green"},
        {"yellow", "yellow"},
        {"moderate", NULL},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const char *c = visit_risk_colour(ROWS[i][0]);
        if (ROWS[i][1])
            assert_string_equal(c, ROWS[i][1]);
        else
            assert_null(c);
    }
    assert_string_equal(visit_worse_colour("green", "red"), "red");
    assert_string_equal(visit_worse_colour("yellow", "green"), "yellow");
    assert_string_equal(visit_worse_colour(NULL, "green"), "green");
    assert_null(visit_worse_colour(NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(programmes_by_icd10),
        cmocka_unit_test(a_chronic_diagnosis_not_managed_is_offered_once),
        cmocka_unit_test(an_unsigned_key_resident_is_offered_a_contract),
        cmocka_unit_test(the_days_colours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
