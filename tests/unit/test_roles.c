/* Unit tests: domain/roles.c, the roles and actions and their policy (test_scope.c checks
 * the policy of every route against a table written independently, on a real database):
 * names read back, and the few rules the rest of the system leans on, row by row. */
#include "test.h"

#include <string.h>

#include "domain/roles.h"

static void names_read_back(void **state)
{
    (void)state;
    for (int r = 0; r < ROLE_COUNT; r++) {
        const char *name = role_name((enum role)r);
        if (!name || !*name) fail_msg("role %d has no name", r);
        if (r != ROLE_NONE && role_parse(name) != (enum role)r)
            fail_msg("%s reads back wrong", name);
    }
    assert_int_equal(role_parse("superuser"), ROLE_NONE);
    for (int a = 0; a < ACT_COUNT; a++) {
        const char *name = action_name((enum action)a);
        if (!name || !*name) fail_msg("action %d has no name", a);
        for (int b = 0; b < a; b++)
            if (!strcmp(name, action_name((enum action)b))) fail_msg("%s names two actions", name);
    }
}

static void the_rules_others_lean_on(void **state)
{
    (void)state;
    static const struct {
        enum role role;
        enum action action;
        int allowed;
    } ROWS[] = {
        {ROLE_NONE, ACT_RESIDENT_READ, 0},
        {ROLE_RESIDENT, ACT_TEAM_WRITE, 0},
        {ROLE_RESIDENT, ACT_SATISFACTION_WRITE, 1},
        {ROLE_DOCTOR, ACT_FOLLOWUP_WRITE, 1},
        {ROLE_HEALTH_COMMISSION, ACT_FOLLOWUP_WRITE, 0},
        {ROLE_HEALTH_COMMISSION, ACT_INDICATOR_READ, 1},
        {ROLE_SPECIALIST, ACT_RESIDENT_WRITE, 0},
        {ROLE_CENTER_ADMIN, ACT_PACKAGE_WRITE, 1},
        {ROLE_VILLAGE_DOCTOR, ACT_PACKAGE_WRITE, 0},
    };
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        if (role_allows(ROWS[i].role, ROWS[i].action) != ROWS[i].allowed)
            fail_msg("row %zu: %s %s %s", i, role_name(ROWS[i].role),
                     ROWS[i].allowed ? "may not" : "may", action_name(ROWS[i].action));
    assert_true(role_is_hospital(ROLE_HOSPITAL_OFFICE) && role_is_hospital(ROLE_SPECIALIST));
    assert_false(role_is_hospital(ROLE_DOCTOR));
    assert_true(role_is_team_member(ROLE_VILLAGE_DOCTOR));
    assert_false(role_is_team_member(ROLE_HEALTH_COMMISSION));
    assert_false(role_sees_id_number(ROLE_HEALTH_COMMISSION));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_read_back),
        cmocka_unit_test(the_rules_others_lean_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
