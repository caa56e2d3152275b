/* Unit tests: domain/protocol_config.c, the [jiayi] protocol settings: the defaults are
 * coherent and inside their own bounds, every key is found, and an incoherent value is
 * refused naming its key. */
#include "test.h"

#include <string.h>

#include "domain/protocol_config.h"

static void the_defaults_are_inside_their_bounds_and_coherent(void **state)
{
    (void)state;
    struct protocol_config c = protocol_config_default();
    const char *bad = NULL;
    if (protocol_config_check(&c, &bad) != 0) fail_msg("the defaults are refused at %s", bad);
    int n = 0;
    for (const struct protocol_setting *s = PROTOCOL_SETTINGS; s->key; s++, n++) {
        int value = *protocol_config_field(&c, s);
        if (value < s->min || value > s->max)
            fail_msg("%s: default %d outside [%d, %d]", s->key, value, s->min, s->max);
        if (protocol_setting_find(s->key) != s) fail_msg("%s is not found by its key", s->key);
        for (const struct protocol_setting *t = PROTOCOL_SETTINGS; t != s; t++)
            if (!strcmp(t->key, s->key)) fail_msg("%s twice", s->key);
    }
    assert_true(n > 30);
    assert_null(protocol_setting_find("no_such_setting"));
}

static void out_of_bounds_and_incoherent_values_name_their_key(void **state)
{
    (void)state;
    const char *bad = NULL;
    struct protocol_config c = protocol_config_default();
    const struct protocol_setting *s = protocol_setting_find("copd_interval_a_days");
    assert_non_null(s);
    *protocol_config_field(&c, s) = s->max + 1;
    assert_int_equal(protocol_config_check(&c, &bad), -1);
    assert_string_equal(bad, "copd_interval_a_days");

    c = protocol_config_default();
    c.child_month1_from = c.child_month1_to + 1; /* a window that closes before it opens */
    assert_int_equal(protocol_config_check(&c, &bad), -1);
    assert_string_equal(bad, "child_month1_to");

    c = protocol_config_default();
    c.device_sbp_low = c.device_sbp_high;
    assert_int_equal(protocol_config_check(&c, &bad), -1);
    assert_string_equal(bad, "device_sbp_low");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_defaults_are_inside_their_bounds_and_coherent),
        cmocka_unit_test(out_of_bounds_and_incoherent_values_name_their_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
