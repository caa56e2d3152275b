/* test.h - cmocka includes in the order it needs, and small helpers for the unit tests. */
#ifndef JIAYI_TESTS_TEST_H
#define JIAYI_TESTS_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/date.h"

static inline struct date D(const char *text) {
    struct date d = {0, 0, 0};
    assert_int_equal(date_parse(text, &d), 0);
    return d;
}

static inline void
assert_date(struct date d, const char *expected)
{
    char text[11];
    date_format(d, text);
    assert_string_equal(text, expected);
}

#endif
