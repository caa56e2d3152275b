/* fuzz_json_fields.c - libFuzzer target (issue 21): a request body as the handlers read it
 * (json/jsonx.c): parsed with duplicates refused, then every typed reader on its fields.
 * A reader either fills its value or fails naming the field; a value it accepts is within
 * the bounds it was given. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsonx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const FIELDS[] = {"a", "b", "date", "kind", "n", "flag", "text", ""};
static const char *const KINDS[] = {"percent", "fixed", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    if (!body) return 0;
    for (size_t i = 0; i < sizeof FIELDS / sizeof FIELDS[0]; i++) {
        const char *f = FIELDS[i];
        struct jy_error err;
        int64_t n = 0;
        int has = 0, b = 0;
        const char *s = NULL;
        struct date d;
        if (jx_int(body, f, JX_OPTIONAL, -5, 1000, &n, &has, &err) == 0) {
            if (has && (n < -5 || n > 1000)) abort();
        } else if (strcmp(err.field, f) != 0) {
            abort();
        }
        if (jx_string(body, f, JX_OPTIONAL, 8, &s, &err) == 0 && s && strlen(s) > 8 * 4) abort();
        if (jx_enum(body, f, JX_OPTIONAL, KINDS, &s, &err) == 0 && s && strcmp(s, "percent") &&
            strcmp(s, "fixed"))
            abort();
        if (jx_date(body, f, JX_OPTIONAL, &d, &has, &err) == 0 && has &&
            (d.month < 1 || d.month > 12 || d.day < 1 || d.day > 31))
            abort();
        jx_bool(body, f, JX_OPTIONAL, &b, &has, &err);
        jx_int(body, f, JX_REQUIRED, 0, 1, &n, NULL, &err);
    }
    json_decref(body);
    return 0;
}
