/* Unit tests: the string map bulk imports look rows up in (util/strmap.h). */
#include "test.h"

#include <stdio.h>

#include "util/strmap.h"

static void puts_gets_and_replaces(void **state)
{
    (void)state;
    struct strmap m;
    strmap_init(&m);
    int64_t v = -1;
    assert_int_equal(strmap_get(&m, "absent", &v), 0);
    char key[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "51152410100%d", i);
        assert_int_equal(strmap_put(&m, key, i), 0);
    }
    assert_int_equal(m.used, 100000);
    for (int i = 0; i < 100000; i += 7) {
        snprintf(key, sizeof key, "51152410100%d", i);
        assert_int_equal(strmap_get(&m, key, &v), 1);
        assert_int_equal(v, i);
    }
    assert_int_equal(strmap_put(&m, "511524101000", -5), 0);
    assert_int_equal(strmap_get(&m, "511524101000", &v), 1);
    assert_int_equal(v, -5);
    assert_int_equal(m.used, 100000);
    assert_int_equal(strmap_get(&m, "511524101009999999", &v), 0);
    assert_int_equal(strmap_put(&m, "", 7), 0);
    assert_int_equal(strmap_get(&m, "", &v), 1);
    assert_int_equal(v, 7);
    assert_false(strmap_failed(&m));
    strmap_free(&m);
    assert_int_equal(strmap_get(&m, "x", &v), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(puts_gets_and_replaces)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
