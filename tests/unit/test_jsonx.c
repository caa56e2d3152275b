/* Unit tests: typed access to request fields (json/jsonx.c), case by case: each getter's
 * answer for absent, null, wrong-typed, out-of-range and good values, required or not, and
 * the field named in the error; UTF-8 lengths. */
#include "test.h"

#include <string.h>

#include "json/jsonx.h"

static json_t *body(const char *text)
{
    json_error_t e;
    /* NUL allowed here so that jx_string's own NUL check is tried (request bodies refuse it
     * earlier) */
    json_t *o = json_loads(text, JSON_ALLOW_NUL, &e);
    assert_non_null(o);
    return o;
}

static void refused(int rc, const struct jy_error *err, const char *code, const char *field)
{
    assert_int_equal(rc, -1);
    assert_int_equal(err->status, 422);
    assert_string_equal(err->code, code);
    assert_string_equal(err->field, field);
}

static void strings(void **state)
{
    (void)state;
    json_t *o =
        body("{\"a\":\"长宁镇\",\"blank\":\"  \",\"n\":5,\"nul\":\"a\\u0000b\",\"z\":null}");
    struct jy_error err;
    const char *s = NULL;
    assert_int_equal(jx_string(o, "a", JX_REQUIRED, 3, &s, &err), 0);
    assert_string_equal(s, "长宁镇");
    refused(jx_string(o, "a", JX_REQUIRED, 2, &s, &err), &err, "invalid_field",
            "a"); /* 3 characters */
    refused(jx_string(o, "blank", JX_REQUIRED, 9, &s, &err), &err, "missing_field", "blank");
    s = NULL;
    assert_int_equal(jx_string(o, "blank", JX_OPTIONAL, 9, &s, &err), 0);
    assert_null(s);
    refused(jx_string(o, "n", JX_OPTIONAL, 9, &s, &err), &err, "invalid_field", "n");
    refused(jx_string(o, "nul", JX_OPTIONAL, 9, &s, &err), &err, "invalid_field", "nul");
    refused(jx_string(o, "z", JX_REQUIRED, 9, &s, &err), &err, "missing_field",
            "z"); /* null is absent */
    refused(jx_string(o, "gone", JX_REQUIRED, 9, &s, &err), &err, "missing_field", "gone");
    json_decref(o);
}

static void integers_numbers_and_booleans(void **state)
{
    (void)state;
    json_t *o = body("{\"i\":7,\"big\":7000,\"f\":1.5,\"s\":\"7\",\"t\":true,\"zero\":0}");
    struct jy_error err;
    int64_t i = -1;
    int present = -1;
    assert_int_equal(jx_int(o, "i", JX_REQUIRED, 0, 10, &i, &present, &err), 0);
    assert_int_equal(i, 7);
    assert_int_equal(present, 1);
    refused(jx_int(o, "big", JX_REQUIRED, 0, 10, &i, &present, &err), &err, "invalid_field", "big");
    refused(jx_int(o, "f", JX_REQUIRED, 0, 10, &i, &present, &err), &err, "invalid_field", "f");
    refused(jx_int(o, "s", JX_REQUIRED, 0, 10, &i, &present, &err), &err, "invalid_field", "s");
    i = 42;
    assert_int_equal(jx_int(o, "gone", JX_OPTIONAL, 0, 10, &i, &present, &err), 0);
    assert_int_equal(present, 0);
    assert_int_equal(i, 42); /* untouched */
    double x = 0;
    assert_int_equal(jx_number(o, "f", JX_REQUIRED, 0, 2, &x, NULL, &err), 0);
    assert_true(x == 1.5);
    assert_int_equal(jx_number(o, "i", JX_REQUIRED, 0, 10, &x, NULL, &err),
                     0); /* an integer is a number */
    refused(jx_number(o, "f", JX_REQUIRED, 2, 3, &x, NULL, &err), &err, "invalid_field", "f");
    int b = -1;
    assert_int_equal(jx_bool(o, "t", JX_REQUIRED, &b, &present, &err), 0);
    assert_int_equal(b, 1);
    refused(jx_bool(o, "zero", JX_REQUIRED, &b, &present, &err), &err, "invalid_field",
            "zero"); /* 0 is not false */
    json_decref(o);
}

static void dates_and_enumerations(void **state)
{
    (void)state;
    json_t *o = body(
        "{\"d\":\"2026-02-28\",\"bad\":\"2026-02-30\",\"long\":\"2026-02-280\",\"e\":\"phone\",\"x\":\"post\"}");
    struct jy_error err;
    struct date d;
    int present = 0;
    assert_int_equal(jx_date(o, "d", JX_REQUIRED, &d, &present, &err), 0);
    assert_date(d, "2026-02-28");
    assert_int_equal(present, 1);
    refused(jx_date(o, "bad", JX_REQUIRED, &d, &present, &err), &err, "invalid_date", "bad");
    refused(jx_date(o, "long", JX_REQUIRED, &d, &present, &err), &err, "invalid_field", "long");
    static const char *const MODES[] = {"clinic", "phone", NULL};
    const char *m = NULL;
    assert_int_equal(jx_enum(o, "e", JX_REQUIRED, MODES, &m, &err), 0);
    assert_ptr_equal(m, MODES[1]); /* the static string, not the body's */
    refused(jx_enum(o, "x", JX_REQUIRED, MODES, &m, &err), &err, "invalid_field", "x");
    assert_non_null(strstr(err.detail, "post"));
    json_decref(o);
}

static void utf8_lengths(void **state)
{
    (void)state;
    assert_int_equal(jx_utf8_length(""), 0);
    assert_int_equal(jx_utf8_length("abc"), 3);
    assert_int_equal(jx_utf8_length("家医"), 2);
    assert_int_equal(jx_utf8_length("😀"), 1);
    assert_int_equal(jx_utf8_length("\xe5\xae"), -1); /* cut inside a character */
    assert_int_equal(jx_utf8_length("\xff"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings),
        cmocka_unit_test(integers_numbers_and_booleans),
        cmocka_unit_test(dates_and_enumerations),
        cmocka_unit_test(utf8_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
