/* Unit tests: FHIR date search values narrowed to a range of days (api/fhir.h, issue 18). */
#include "test.h"

#include <string.h>

#include "api/fhir.h"

static void one_value_is_a_range_of_days(void **state)
{
    (void)state;
    static const struct {
        const char *value, *from, *to;
    } CASES[] = {
        {"1950", "1950-01-01", "1950-12-31"},
        {"1950-02", "1950-02-01", "1950-02-28"},
        {"2024-02", "2024-02-01", "2024-02-29"},
        {"eq1950-03-04", "1950-03-04", "1950-03-04"},
        {"ge1950-03", "1950-03-01", ""},
        {"gt1950-03", "1950-04-01", ""},
        {"gt1950", "1951-01-01", ""},
        {"gt1950-12-31", "1951-01-01", ""},
        {"lt1950-03-01", "", "1950-02-28"},
        {"le1950", "", "1950-12-31"},
        {"lt1950", "", "1949-12-31"},
        {"le2024-02", "", "2024-02-29"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char from[11] = "", to[11] = "";
        if (fhir_date_narrow(CASES[i].value, from, to) != 0) fail_msg("%s refused", CASES[i].value);
        if (strcmp(from, CASES[i].from) || strcmp(to, CASES[i].to))
            fail_msg("%s: [%s, %s], expected [%s, %s]", CASES[i].value, from, to, CASES[i].from,
                     CASES[i].to);
    }
}

static void values_narrow_together(void **state)
{
    (void)state;
    char from[11] = "", to[11] = "";
    assert_int_equal(fhir_date_narrow("ge1950", from, to), 0);
    assert_int_equal(fhir_date_narrow("lt1960", from, to), 0);
    assert_string_equal(from, "1950-01-01");
    assert_string_equal(to, "1959-12-31");
    assert_int_equal(fhir_date_narrow("ge1955-06", from, to), 0); /* the later start wins */
    assert_int_equal(fhir_date_narrow("ge1951", from, to), 0);
    assert_string_equal(from, "1955-06-01");
    assert_int_equal(fhir_date_narrow("le1970", from, to), 0); /* the earlier end wins */
    assert_string_equal(to, "1959-12-31");
}

static void what_a_birth_date_cannot_answer_is_refused(void **state)
{
    (void)state;
    static const char *const BAD[] = {
        "ap1950", "ne1950", "sa1950", "195",    "1950-13",   "1950-02-30",
        "+950",   "1950-1", "19a0",   "",       "ge",        "1950-03-04T10:00",
        "0000",   " 950",   "lt0001", "gt9999", "gt9999-12", "gt9999-12-31"};
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        char from[11] = "", to[11] = "";
        if (fhir_date_narrow(BAD[i], from, to) != -1) fail_msg("\"%s\" accepted", BAD[i]);
        assert_string_equal(from, "");
        assert_string_equal(to, "");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_value_is_a_range_of_days),
        cmocka_unit_test(values_narrow_together),
        cmocka_unit_test(what_a_birth_date_cannot_answer_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
