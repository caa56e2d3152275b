/* Unit tests: the growable buffer (util/sbuf.c): appends and formatting across growth, the
 * empty buffer's text, and a request so large that its size would wrap around failing
 * stickily instead of writing past a small allocation. */
#include "test.h"

#include <stdint.h>
#include <string.h>

#include "util/sbuf.h"

static void appends_and_formats_across_growth(void **state)
{
    (void)state;
    struct sbuf b;
    sbuf_init(&b);
    assert_string_equal(sbuf_cstr(&b), "");
    for (int i = 0; i < 1000; i++)
        sbuf_printf(&b, "%d,", i % 10);
    assert_int_equal(b.len, 2000);
    assert_int_equal(strlen(sbuf_cstr(&b)), 2000);
    assert_memory_equal(sbuf_cstr(&b), "0,1,2,", 6);
    sbuf_puts(&b, "末");
    sbuf_append(&b, "xyz", 2);
    assert_string_equal(sbuf_cstr(&b) + 2000, "末xy");
    assert_false(sbuf_failed(&b));
    sbuf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void a_size_that_would_wrap_fails_and_stays_failed(void **state)
{
    (void)state;
    struct sbuf b;
    sbuf_init(&b);
    sbuf_puts(&b, "abc");
    sbuf_append(&b, "x", SIZE_MAX - 2); /* len + n + 1 wraps to 1 */
    assert_true(sbuf_failed(&b));
    assert_string_equal(sbuf_cstr(&b), "abc"); /* nothing written */
    sbuf_puts(&b, "more");
    assert_string_equal(sbuf_cstr(&b), "abc");
    sbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(appends_and_formats_across_growth),
        cmocka_unit_test(a_size_that_would_wrap_fails_and_stays_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
