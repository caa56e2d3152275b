/* Unit tests: the level and the area prefix of a division code (domain/region_code.h), the
 * rule area users' scope stands on (issue 17). */
#include "test.h"

#include <string.h>

#include "domain/region_code.h"

static void levels_by_shape(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        int level;
    } CASES[] = {
        {"51", REGION_PROVINCE},
        {"510000", REGION_PROVINCE},
        {"5115", REGION_CITY},
        {"511500", REGION_CITY},
        {"110100", REGION_CITY},
        {"511524", REGION_COUNTY},
        {"510100", REGION_CITY},
        {"511524101", REGION_TOWNSHIP},
        {"511524101001", REGION_VILLAGE},
        {"51152410100101", REGION_GRID},
        {"", -1},
        {"5", -1},
        {"5100", -1},
        {"00", -1},
        {"000000", -1},
        {"5115x0", -1},
        {"5115240", -1},
        {"511524101001019", -1},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++)
        if (region_code_level(CASES[i].code) != CASES[i].level)
            fail_msg("%s: expected %d, got %d", CASES[i].code, CASES[i].level,
                     region_code_level(CASES[i].code));
    assert_int_equal(region_code_level(NULL), -1);
}

static void an_area_grants_its_places_prefix(void **state)
{
    (void)state;
    static const char *const CASES[][2] = {
        {"510000", "51"},
        {"511500", "5115"},
        {"51", "51"},
        {"5115", "5115"},
        {"511524", "511524"},
        {"511524101", "511524101"},
        {"51152410100101", "51152410100101"},
    };
    char out[16];
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        assert_int_equal(region_area_prefix(CASES[i][0], out, sizeof out),
                         (int)strlen(CASES[i][1]));
        assert_string_equal(out, CASES[i][1]);
    }
    /* Every place of the city starts with its prefix, and none of the city beside it. */
    region_area_prefix("511500", out, sizeof out);
    assert_int_equal(strncmp("511524101", out, strlen(out)), 0);
    assert_int_not_equal(strncmp("511102", out, strlen(out)), 0);
    assert_int_equal(region_area_prefix("51x", out, sizeof out), -1);
    assert_string_equal(out, "");
    assert_int_equal(region_area_prefix("511500", out, 8), -1);
}

static void only_provinces_and_cities_are_areas(void **state)
{
    (void)state;
    assert_true(region_level_is_area(REGION_PROVINCE));
    assert_true(region_level_is_area(REGION_CITY));
    assert_false(region_level_is_area(REGION_COUNTY));
    assert_false(region_level_is_area(REGION_GRID));
    assert_false(region_level_is_area(-1));
    assert_string_equal(region_level_name(region_code_level("511500")), "city");
    assert_string_equal(region_level_name(REGION_GRID), "grid");
    assert_null(region_level_name(-1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(levels_by_shape),
        cmocka_unit_test(an_area_grants_its_places_prefix),
        cmocka_unit_test(only_provinces_and_cities_are_areas),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
