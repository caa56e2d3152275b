/* jsondump.c - compact JSON with shortest round-trip numbers (see jsondump.h). */
#include "json/jsondump.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t jsonx_format_real(double v, char *buf, size_t size)
{
    /* Any decimal of at most 15 significant digits survives a trip through a normal double,
     * and %g drops trailing zeros: when %.15g reads back to v it is already the shortest
     * form. Otherwise 16 digits, and 17 always suffice. Subnormals carry fewer digits, so
     * for them every precision is tried. */
    int n = 0;
    for (int precision = fabs(v) >= DBL_MIN ? 15 : 1; precision <= 17; precision++) {
        n = snprintf(buf, size, "%.*g", precision, v);
        if (n < 0 || (size_t)n >= size) return 0;
        if (strtod(buf, NULL) == v) break;
    }
    if (!strpbrk(buf, ".eEn") && (size_t)n + 2 < size) { /* "3" → "3.0" (not for inf/nan) */
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    return (size_t)n;
}

static void dump_string(const char *s, size_t len, struct sbuf *out)
{
    static const char HEX[] = "0123456789ABCDEF";
    sbuf_append(out, "\"", 1);
    size_t run = 0; /* bytes copied as they are, flushed before each escape */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        sbuf_append(out, s + run, i - run);
        run = i + 1;
        char esc[7] = {'\\', 0};
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = HEX[c >> 4];
            esc[5] = HEX[c & 15];
            sbuf_append(out, esc, 6);
            continue;
        }
        sbuf_append(out, esc, 2);
    }
    sbuf_append(out, s + run, len - run);
    sbuf_append(out, "\"", 1);
}

int jsonx_dump_to(const json_t *v, struct sbuf *out)
{
    char number[40];
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *member;
        int first = 1;
        sbuf_append(out, "{", 1);
        json_object_foreach((json_t *)v, key, member) {
            if (!first) sbuf_append(out, ",", 1);
            first = 0;
            dump_string(key, strlen(key), out);
            sbuf_append(out, ":", 1);
            if (jsonx_dump_to(member, out) < 0) return -1;
        }
        sbuf_append(out, "}", 1);
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *item;
        sbuf_append(out, "[", 1);
        json_array_foreach(v, i, item) {
            if (i) sbuf_append(out, ",", 1);
            if (jsonx_dump_to(item, out) < 0) return -1;
        }
        sbuf_append(out, "]", 1);
        break;
    }
    case JSON_STRING:
        dump_string(json_string_value(v), json_string_length(v), out);
        break;
    case JSON_INTEGER:
        sbuf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL: {
        size_t n = jsonx_format_real(json_real_value(v), number, sizeof number);
        if (n == 0) return -1;
        sbuf_append(out, number, n);
        break;
    }
    case JSON_TRUE:
        sbuf_puts(out, "true");
        break;
    case JSON_FALSE:
        sbuf_puts(out, "false");
        break;
    case JSON_NULL:
        sbuf_puts(out, "null");
        break;
    default:
        return -1;
    }
    return sbuf_failed(out) ? -1 : 0;
}

char *jsonx_dumps(const json_t *v)
{
    struct sbuf out;
    sbuf_init(&out);
    if (!v || jsonx_dump_to(v, &out) < 0) {
        sbuf_free(&out);
        return NULL;
    }
    sbuf_cstr(&out);
    return out.data; /* the buffer's allocation becomes the caller's */
}
