/* utf8.c - see utf8.h. The second-byte ranges are those of RFC 3629's table. */
#include "util/utf8.h"

static int continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t utf8_sequence(const unsigned char *s, size_t left)
{
    if (left == 0) return 0;
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t n;
    unsigned char low = 0x80, high = 0xBF; /* the allowed range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) low = 0xA0;  /* overlong */
        if (c == 0xED) high = 0x9F; /* UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) low = 0x90;  /* overlong */
        if (c == 0xF4) high = 0x8F; /* above U+10FFFF */
    } else {
        return 0; /* a continuation byte, C0/C1 (overlong) or F5..FF */
    }
    if (left < n || s[1] < low || s[1] > high) return 0;
    for (size_t i = 2; i < n; i++)
        if (!continuation(s[i])) return 0;
    return n;
}

int utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        size_t n = utf8_sequence(p, (size_t)(end - p));
        if (n == 0) return 0;
        p += n;
    }
    return 1;
}
