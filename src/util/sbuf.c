/* sbuf.c - growable byte buffer. */
#include "util/sbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sbuf_init(struct sbuf *b)
{
    memset(b, 0, sizeof *b);
}

void sbuf_free(struct sbuf *b)
{
    free(b->data);
    sbuf_init(b);
}

static int sbuf_reserve(struct sbuf *b, size_t extra)
{
    if (b->failed) return -1;
    /* len + extra + 1 must not wrap around: a request that large is a failure, not a tiny
     * allocation written past. */
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void sbuf_append(struct sbuf *b, const char *bytes, size_t n)
{
    if (sbuf_reserve(b, n) < 0) return;
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void sbuf_puts(struct sbuf *b, const char *s)
{
    sbuf_append(b, s, strlen(s));
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || sbuf_reserve(b, (size_t)n) < 0) return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

const char *sbuf_cstr(struct sbuf *b)
{
    if (!b->data) return "";
    return b->data;
}

int sbuf_failed(const struct sbuf *b)
{
    return b->failed;
}
