/* Unit tests: the shape of an ICD-10 code (domain/icd10.c), row by row. */
#include "test.h"

#include "domain/icd10.h"

static void codes_as_diagnoses_carry_them(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int valid;
    } ROWS[] = {
        {"I10", 1}, {"E11.9", 1}, {"F20.001", 1}, {"O24.4", 1}, {"J44.1", 1},     {"A15.0", 1},
        {"i10", 0}, {"I1", 0},    {"10", 0},      {"I10.", 0},  {"I10.12345", 0}, {"I10-1", 0},
        {"I1O", 0}, {"", 0},      {"E11.9 ", 0},  {"E11.x", 1},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        assert_int_equal(icd10_valid(ROWS[i].code), ROWS[i].valid);
    assert_int_equal(icd10_valid(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_as_diagnoses_carry_them),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
