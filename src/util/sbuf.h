/* sbuf.h - a growable byte buffer (in the spirit of Redis sds) for building text.
 * An allocation failure is sticky: later appends do nothing and sbuf_failed() says so. */
#ifndef JIAYI_UTIL_SBUF_H
#define JIAYI_UTIL_SBUF_H

#include <stddef.h>

struct sbuf {
    char *data; /* always NUL-terminated when len > 0 or after sbuf_cstr */
    size_t len;
    size_t cap;
    int failed;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_append(struct sbuf *b, const char *bytes, size_t n);
void sbuf_puts(struct sbuf *b, const char *s);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the text (never NULL; "" when empty). Owned by the buffer. */
const char *sbuf_cstr(struct sbuf *b);
int sbuf_failed(const struct sbuf *b);

#endif
