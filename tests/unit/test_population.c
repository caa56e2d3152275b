/* Unit tests: population class and family type (PROTOCOLS.md §2), task status (§9). */
#include "test.h"

#include <string.h>

#include "domain/population.h"

static const struct date TODAY = {2026, 11, 24};

static struct person_facts born(const char *birth)
{
    struct person_facts f;
    memset(&f, 0, sizeof f);
    f.birth_date = D(birth);
    return f;
}

static int key(struct person_facts f)
{
    struct population_config c = population_config_default();
    return population_is_key(&f, &c, TODAY);
}

static void age_65_is_key_and_64_is_not(void **state)
{
    (void)state;
    assert_true(key(born("1961-11-24")));  /* 65 today */
    assert_false(key(born("1961-11-25"))); /* 64 */
}

static void elderly_threshold_is_configurable(void **state)
{
    (void)state;
    struct population_config c = population_config_default();
    c.elderly_age = 60;
    struct person_facts f = born("1966-01-01"); /* 60 */
    assert_true(population_is_key(&f, &c, TODAY));
}

static void children_under_seven_are_key(void **state)
{
    (void)state;
    assert_true(key(born("2019-11-25")));  /* 6 */
    assert_false(key(born("2019-11-24"))); /* 7 today */
    assert_true(key(born("2026-11-24")));  /* newborn */
}

static void chronic_enrolment_pregnancy_disability_make_key(void **state)
{
    (void)state;
    struct person_facts f = born("1980-01-01");
    assert_false(key(f));
    f.chronic_programs = 1;
    assert_true(key(f));
    f = born("1990-01-01");
    f.pregnant = 1;
    assert_true(key(f));
    f = born("1990-01-01");
    f.disabled = 1;
    assert_true(key(f));
}

static void postpartum_counts_for_42_days(void **state)
{
    (void)state;
    struct person_facts f = born("1990-01-01");
    f.has_delivery = 1;
    f.delivery_date = date_add_days(TODAY, -42);
    assert_true(key(f));
    f.delivery_date = date_add_days(TODAY, -43);
    assert_false(key(f));
}

static void poverty_counts_only_where_configured(void **state)
{
    (void)state;
    struct population_config c = population_config_default();
    struct person_facts f = born("1980-01-01");
    f.poverty_registered = 1;
    assert_false(population_is_key(&f, &c, TODAY));
    c.poverty_is_key = 1;
    assert_true(population_is_key(&f, &c, TODAY));
}

static void class_two_is_a_household_member_of_class_one(void **state)
{
    (void)state;
    assert_int_equal(population_class(1, 1), 1);
    assert_int_equal(population_class(0, 1), 2);
    assert_int_equal(population_class(0, 0), 3);
}

static void family_type_precedence_is_disabled_chronic_high_risk_healthy(void **state)
{
    (void)state;
    assert_string_equal(family_type_name(family_type_of(1, 1, 1)), "disabled");
    assert_string_equal(family_type_name(family_type_of(0, 1, 1)), "chronic");
    assert_string_equal(family_type_name(family_type_of(0, 0, 1)), "high_risk");
    assert_string_equal(family_type_name(family_type_of(0, 0, 0)), "healthy");
}

static void chronic_programs_are_the_listed_ones(void **state)
{
    (void)state;
    assert_true(program_is_chronic("hypertension"));
    assert_true(program_is_chronic("diabetes"));
    assert_true(program_is_chronic("smd"));
    assert_true(program_is_chronic("tb"));
    assert_false(program_is_chronic("elderly"));
    assert_false(program_is_chronic("maternal"));
    assert_false(program_is_known("cancer_screening"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(age_65_is_key_and_64_is_not),
        cmocka_unit_test(elderly_threshold_is_configurable),
        cmocka_unit_test(children_under_seven_are_key),
        cmocka_unit_test(chronic_enrolment_pregnancy_disability_make_key),
        cmocka_unit_test(postpartum_counts_for_42_days),
        cmocka_unit_test(poverty_counts_only_where_configured),
        cmocka_unit_test(class_two_is_a_household_member_of_class_one),
        cmocka_unit_test(family_type_precedence_is_disabled_chronic_high_risk_healthy),
        cmocka_unit_test(chronic_programs_are_the_listed_ones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
