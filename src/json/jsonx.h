/* jsonx.h - typed access to fields of a request body with the error named.
 *
 * Each getter returns 0 when the value is usable (or absent and optional: then
 * *present is 0 / the output is untouched), and -1 after filling err with 422
 * and the field's name. Handlers are a straight line of such calls. */
#ifndef JIAYI_JSON_JSONX_H
#define JIAYI_JSON_JSONX_H

#include <jansson.h>
#include <stdint.h>

#include "util/date.h"
#include "util/error.h"

enum { JX_OPTIONAL = 0, JX_REQUIRED = 1 };

/* A non-empty string of at most max_chars characters (UTF-8 code points); *out borrows. */
int jx_string(json_t *obj, const char *field, int required, size_t max_chars, const char **out,
              struct jy_error *err);
int jx_int(json_t *obj, const char *field, int required, int64_t min, int64_t max, int64_t *out,
           int *present, struct jy_error *err);
/* A JSON number (integer or decimal) within [min, max]. */
int jx_number(json_t *obj, const char *field, int required, double min, double max, double *out,
              int *present, struct jy_error *err);
int jx_bool(json_t *obj, const char *field, int required, int *out, int *present,
            struct jy_error *err);
int jx_date(json_t *obj, const char *field, int required, struct date *out, int *present,
            struct jy_error *err);
/* A string that is one of `allowed` (NULL-terminated). */
int jx_enum(json_t *obj, const char *field, int required, const char *const *allowed,
            const char **out, struct jy_error *err);
/* Number of UTF-8 code points, or -1 when `s` is not valid UTF-8. */
long jx_utf8_length(const char *s);
/* Sets key to a string or JSON null when value is NULL. */
void jx_set_string_or_null(json_t *obj, const char *key, const char *value);

#endif
