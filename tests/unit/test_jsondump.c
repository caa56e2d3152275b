/* Unit tests: JSON text with the shortest round-trip numbers (json/jsondump.h, issue 18). */
#include "test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsondump.h"

static void reals_print_as_people_write_them(void **state)
{
    (void)state;
    static const struct {
        double value;
        const char *text;
    } CASES[] = {
        {5.7, "5.7"},
        {0.1, "0.1"},
        {128.5, "128.5"},
        {3.0, "3.0"},
        {-2.0, "-2.0"},
        {0.0, "0.0"},
        {1e21, "1e+21"},
        {1.5e-7, "1.5e-07"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1.0 / 3.0, "0.3333333333333333"},
        {2.0 / 3.0, "0.6666666666666666"},
        {123456789012345.6, "123456789012345.6"},
        {0.8333333333333334, "0.8333333333333334"},
        {9007199254740993.0, "9007199254740992.0"},
        {5e-324, "5e-324"},
    };
    char buf[40];
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        size_t n = jsonx_format_real(CASES[i].value, buf, sizeof buf);
        assert_int_equal(n, strlen(CASES[i].text));
        assert_string_equal(buf, CASES[i].text);
        assert_true(strtod(buf, NULL) == CASES[i].value);
    }
}

/* Digits of the mantissa without leading and trailing zeros: "-8.96e+14" and
 * "-896000000000000.0" both have 3. */
static int significant_digits(const char *text)
{
    char digits[40];
    int n = 0;
    for (const char *p = text; *p && *p != 'e' && n < 39; p++)
        if (*p >= '0' && *p <= '9' && (n > 0 || *p != '0')) digits[n++] = *p;
    while (n > 0 && digits[n - 1] == '0')
        n--;
    return n;
}

static void every_double_reads_back(void **state)
{
    (void)state;
    char buf[40];
    /* what jiayi prints: measurements with a decimal or two, and indicator ratios */
    for (int a = 0; a < 3000; a++)
        for (int b = 1; b <= 120; b++) {
            double v = (double)a / b;
            jsonx_format_real(v, buf, sizeof buf);
            if (strtod(buf, NULL) != v) fail_msg("%.17g printed as %s", v, buf);
            if (b == 10 || b == 100) { /* 5.7, 12.34: exactly what was typed */
                char typed[40];
                snprintf(typed, sizeof typed, b == 10 ? "%d.%d" : "%d.%02d", a / b, a % b);
                if (strcmp(buf, typed) != 0 && a % 10 != 0)
                    fail_msg("%s printed as %s", typed, buf);
            }
        }
    unsigned seed = 7;
    for (int i = 0; i < 100000; i++) {
        uint64_t bits = 0;
        for (int k = 0; k < 4; k++)
            bits = bits << 16 | (uint64_t)(rand_r(&seed) & 0xffff);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v)) continue;
        assert_true(jsonx_format_real(v, buf, sizeof buf) > 0);
        if (strtod(buf, NULL) != v) fail_msg("%.17g printed as %s", v, buf);
        /* the brute-force shortest: the fewest %g digits that read back */
        char reference[40];
        for (int digits = 1; digits <= 17; digits++) {
            snprintf(reference, sizeof reference, "%.*g", digits, v);
            if (strtod(reference, NULL) == v) break;
        }
        if (significant_digits(buf) != significant_digits(reference))
            fail_msg("%.17g printed as %s, but %s reads back too", v, buf, reference);
    }
}

static void documents_match_jansson_except_numbers(void **state)
{
    (void)state;
    json_t *doc =
        json_pack("{s:s, s:f, s:I, s:[b, b, n], s:{s:s}, s:f}", "name", "张三 \"引号\"\n\t\\/",
                  "bmi", 23.1, "id", (json_int_t)9007199254740993LL, "flags", 1, 0, "nested",
                  "控制", "\x01\x1f", "whole", 70.0);
    assert_non_null(doc);
    char *mine = jsonx_dumps(doc), *theirs = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(3));
    assert_string_equal(mine, theirs);
    assert_non_null(strstr(mine, "\"bmi\":23.1,"));
    assert_non_null(strstr(mine, "\\u0001\\u001F"));
    json_t *back = json_loads(mine, 0, NULL);
    assert_true(json_equal(back, doc));
    free(mine);
    free(theirs);
    json_decref(back);
    json_decref(doc);
    assert_null(jsonx_dumps(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reals_print_as_people_write_them),
        cmocka_unit_test(every_double_reads_back),
        cmocka_unit_test(documents_match_jansson_except_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
