/* Unit tests: GB 11643 identity numbers (PROTOCOLS.md §1). */
#include "test.h"

#include <stdio.h>
#include <string.h>

#include "domain/id_number.h"

static const struct date TODAY = {2026, 11, 24};

static int parse(const char *text, struct id_number_info *info, struct jy_error *err)
{
    memset(err, 0, sizeof *err);
    return id_number_parse(text, TODAY, "id_number", info, err);
}

static void standard_example_with_x_check_is_valid_female(void **state)
{
    (void)state;
    struct id_number_info info;
    struct jy_error err;
    assert_int_equal(parse("11010519491231002X", &info, &err), 0);
    assert_string_equal(info.normalized, "11010519491231002X");
    assert_int_equal(info.sex, 'F');
    assert_date(info.birth_date, "1949-12-31");
}

static void lowercase_x_is_accepted_and_stored_upper_case(void **state)
{
    (void)state;
    struct id_number_info info;
    struct jy_error err;
    assert_int_equal(parse("11010519491231002x", &info, &err), 0);
    assert_string_equal(info.normalized, "11010519491231002X");
}

static void odd_sequence_is_male(void **state)
{
    (void)state;
    char id[19];
    struct id_number_info info;
    struct jy_error err;
    id_number_make("511524", (struct date){1980, 1, 1}, 123, id);
    assert_int_equal(parse(id, &info, &err), 0);
    assert_int_equal(info.sex, 'M');
    id_number_make("511524", (struct date){1980, 1, 1}, 124, id);
    assert_int_equal(parse(id, &info, &err), 0);
    assert_int_equal(info.sex, 'F');
}

static void check_character_table_is_the_standard_one(void **state)
{
    (void)state;
    /* sum mod 11 -> 1 0 X 9 8 7 6 5 4 3 2; all-zero body has sum 0 -> '1' */
    assert_int_equal(id_number_check_char("00000000000000000"), '1');
    assert_int_equal(id_number_check_char("11010519491231002"), 'X');
}

static void rejects_with_reason(const char *text, const char *why)
{
    struct id_number_info info;
    struct jy_error err;
    assert_int_equal(parse(text, &info, &err), -1);
    assert_int_equal(err.status, 422);
    assert_string_equal(err.code, "invalid_id_number");
    assert_string_equal(err.field, "id_number");
    assert_non_null(strstr(err.detail, why));
}

static void wrong_length_is_rejected(void **state)
{
    (void)state;
    rejects_with_reason("11010519491231002", "18 characters");
    rejects_with_reason("11010519491231002XX", "18 characters");
    rejects_with_reason("", "18 characters");
}

static void non_digits_are_rejected(void **state)
{
    (void)state;
    rejects_with_reason("1101051949123A002X", "not a digit");
    rejects_with_reason("X10105194912310021", "not a digit");
}

static void wrong_check_character_is_rejected(void **state)
{
    (void)state;
    rejects_with_reason("110105194912310021", "check character");
}

static void impossible_dates_are_rejected(void **state)
{
    (void)state;
    char id[19];
    id_number_make("511524", (struct date){1980, 2, 30}, 123, id); /* Feb 30 */
    rejects_with_reason(id, "impossible birth date");
    id_number_make("511524", (struct date){1981, 2, 29}, 123, id); /* not a leap year */
    rejects_with_reason(id, "impossible birth date");
    id_number_make("511524", (struct date){1980, 13, 1}, 123, id);
    rejects_with_reason(id, "impossible birth date");
}

static void leap_day_in_a_leap_year_is_valid(void **state)
{
    (void)state;
    char id[19];
    struct id_number_info info;
    struct jy_error err;
    id_number_make("511524", (struct date){2000, 2, 29}, 123, id);
    assert_int_equal(parse(id, &info, &err), 0);
}

static void future_birth_date_is_rejected(void **state)
{
    (void)state;
    char id[19];
    id_number_make("511524", (struct date){2026, 11, 25}, 123, id);
    rejects_with_reason(id, "future");
    id_number_make("511524", (struct date){2026, 11, 24}, 123, id); /* born today: fine */
    struct id_number_info info;
    struct jy_error err;
    assert_int_equal(parse(id, &info, &err), 0);
}

static void unknown_province_codes_are_rejected(void **state)
{
    (void)state;
    static const char *const BAD[] = {"00", "10", "16", "20", "24", "30", "38", "40", "47",
                                      "49", "55", "60", "66", "70", "72", "80", "83", "99"};
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        char division[7], id[19];
        snprintf(division, sizeof division, "%s0101", BAD[i]);
        id_number_make(division, (struct date){1980, 1, 1}, 123, id);
        rejects_with_reason(id, "province");
    }
}

static void every_listed_province_code_is_known(void **state)
{
    (void)state;
    static const int GOOD[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                               43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
    for (size_t i = 0; i < sizeof GOOD / sizeof GOOD[0]; i++)
        assert_true(id_number_province_known(GOOD[i]));
}

static void mask_keeps_first_three_and_last_four(void **state)
{
    (void)state;
    char masked[19];
    id_number_mask("51052419800101123X", masked);
    assert_string_equal(masked, "510***********123X");
    id_number_mask("short", masked);
    assert_string_equal(masked, "******************");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(standard_example_with_x_check_is_valid_female),
        cmocka_unit_test(lowercase_x_is_accepted_and_stored_upper_case),
        cmocka_unit_test(odd_sequence_is_male),
        cmocka_unit_test(check_character_table_is_the_standard_one),
        cmocka_unit_test(wrong_length_is_rejected),
        cmocka_unit_test(non_digits_are_rejected),
        cmocka_unit_test(wrong_check_character_is_rejected),
        cmocka_unit_test(impossible_dates_are_rejected),
        cmocka_unit_test(leap_day_in_a_leap_year_is_valid),
        cmocka_unit_test(future_birth_date_is_rejected),
        cmocka_unit_test(unknown_province_codes_are_rejected),
        cmocka_unit_test(every_listed_province_code_is_known),
        cmocka_unit_test(mask_keeps_first_three_and_last_four),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
