/* Unit tests: ending a programme's management and what a departure ends
 * (domain/enrolment.c), row by row. */
#include "test.h"

#include <string.h>

#include "domain/enrolment.h"

static const struct date TODAY = {2026, 6, 15};

static void a_diagnosed_programme_ends_between_its_start_and_today(void **state)
{
    (void)state;
    static const struct {
        const char *program;
        struct date start, end;
        const char *code, *field;
    } ROWS[] = {
        {"hypertension", {2025, 3, 1}, {2026, 6, 15}, NULL, NULL}, /* today */
        {"diabetes", {2025, 3, 1}, {2025, 3, 1}, NULL, NULL},      /* the day it began */
        {"smd", {2025, 3, 1}, {2026, 1, 10}, NULL, NULL},
        {"hypertension",
         {2025, 3, 1},
         {2025, 2, 28},
         "invalid_date",
         "end_date"}, /* before it began */
        {"hypertension", {2025, 3, 1}, {2026, 6, 16}, "invalid_date", "end_date"}, /* tomorrow */
        {"elderly", {2020, 1, 1}, {2026, 6, 1}, "automatic_program", "program"},
        {"child", {2024, 1, 1}, {2026, 6, 1}, "automatic_program", "program"},
        {"maternal", {2026, 1, 1}, {2026, 6, 1}, "automatic_program", "program"},
        {"maternal",
         {2026, 1, 1},
         {2027, 6, 1},
         "automatic_program",
         "program"}, /* the programme first */
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        const char *field = "unset";
        const char *code =
            enrolment_end_refusal(ROWS[i].program, ROWS[i].start, ROWS[i].end, TODAY, &field);
        if (!ROWS[i].code) {
            assert_null(code);
            assert_null(field);
        } else {
            assert_non_null(code);
            assert_string_equal(code, ROWS[i].code);
            assert_string_equal(field, ROWS[i].field);
        }
    }
}

static void death_and_moving_away_are_not_reasons_a_doctor_gives(void **state)
{
    (void)state;
    int n = 0;
    for (int i = 0; ENROLMENT_END_REASONS[i]; i++, n++) {
        assert_true(strcmp(ENROLMENT_END_REASONS[i], "deceased") != 0);
        assert_true(strcmp(ENROLMENT_END_REASONS[i], "moved_out") != 0);
    }
    assert_int_equal(n, 5);
}

static void a_departure_ends_the_contract_with_its_reason(void **state)
{
    (void)state;
    assert_string_equal(departure_contract_reason("deceased"), "deceased");
    assert_string_equal(departure_contract_reason("moved_out"), "moved_away");
    assert_null(departure_contract_reason("alive"));
    assert_null(departure_contract_reason(NULL));
}

static void a_contract_ends_on_the_day_of_departure_never_before_it_began(void **state)
{
    (void)state;
    static const struct {
        struct date left, start, end;
    } ROWS[] = {
        {{2026, 5, 3}, {2025, 9, 1}, {2026, 5, 3}}, /* an active term: the day they left */
        {{2026, 5, 3}, {2026, 5, 3}, {2026, 5, 3}}, /* began that day */
        {{2026, 5, 3}, {2026, 9, 1}, {2026, 9, 1}}, /* a renewal not yet begun: its start */
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        assert_int_equal(
            date_compare(departure_contract_end(ROWS[i].left, ROWS[i].start), ROWS[i].end), 0);
}

static void who_may_be_enrolled_by_age_and_sex(void **state)
{
    (void)state;
    struct population_config c = population_config_default();
    static const struct {
        const char *program;
        int age;
        const char *sex;
        int eligible;
    } ROWS[] = {
        {"hypertension", 35, "M", 1}, {"hypertension", 34, "F", 0}, {"diabetes", 35, "F", 1},
        {"diabetes", 34, "M", 0},     {"elderly", 65, "M", 1},      {"elderly", 64, "F", 0},
        {"child", 6, "F", 1},         {"child", 7, "M", 0},         {"maternal", 28, "F", 1},
        {"maternal", 28, "M", 0},     {"maternal", 11, "F", 0},     {"maternal", 61, "F", 0},
        {"maternal", 12, "F", 1},     {"maternal", 60, "F", 1},     {"smd", 16, "M", 1},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        assert_int_equal(enrolment_eligible(ROWS[i].program, ROWS[i].age, ROWS[i].sex, &c),
                         ROWS[i].eligible);
    c.elderly_age = 60; /* where the county manages the elderly from 60 */
    assert_int_equal(enrolment_eligible("elderly", 60, "F", &c), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_diagnosed_programme_ends_between_its_start_and_today),
        cmocka_unit_test(death_and_moving_away_are_not_reasons_a_doctor_gives),
        cmocka_unit_test(a_departure_ends_the_contract_with_its_reason),
        cmocka_unit_test(a_contract_ends_on_the_day_of_departure_never_before_it_began),
        cmocka_unit_test(who_may_be_enrolled_by_age_and_sex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
