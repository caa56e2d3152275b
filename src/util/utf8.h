/* utf8.h - strict UTF-8 checking (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF). Text that passes is what jansson accepts, so nothing stored from an upload can
 * later vanish from a JSON answer. */
#ifndef JIAYI_UTIL_UTF8_H
#define JIAYI_UTIL_UTF8_H

#include <stddef.h>

/* The length (1-4) of the well-formed sequence starting at s, given `left` bytes; 0 when
 * the bytes there begin no well-formed sequence (or left is 0). */
size_t utf8_sequence(const unsigned char *s, size_t left);

/* 1 when all `len` bytes are well-formed UTF-8, else 0. NUL counts as well-formed. */
int utf8_valid(const char *s, size_t len);

#endif
