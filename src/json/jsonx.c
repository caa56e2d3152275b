/* jsonx.c - typed field access over jansson with 422 errors naming the field. */
#include "json/jsonx.h"

#include <string.h>

long jx_utf8_length(const char *s)
{
    long n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int extra;
        if (*p < 0x80)
            extra = 0;
        else if ((*p & 0xE0) == 0xC0)
            extra = 1;
        else if ((*p & 0xF0) == 0xE0)
            extra = 2;
        else if ((*p & 0xF8) == 0xF0)
            extra = 3;
        else
            return -1;
        p++;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xC0) != 0x80) return -1;
        n++;
    }
    return n;
}

static json_t *field_value(json_t *obj, const char *field)
{
    json_t *v = json_is_object(obj) ? json_object_get(obj, field) : NULL;
    return json_is_null(v) ? NULL : v;
}

int jx_string(json_t *obj, const char *field, int required, size_t max_chars, const char **out,
              struct jy_error *err)
{
    json_t *v = field_value(obj, field);
    if (!v) {
        if (required) return jy_fail(err, 422, "missing_field", field, NULL);
        return 0;
    }
    if (!json_is_string(v)) return jy_fail(err, 422, "invalid_field", field, "must be a string");
    const char *s = json_string_value(v);
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    if (s[i] == '\0') {
        if (required) return jy_fail(err, 422, "missing_field", field, NULL);
        return 0;
    }
    long n = jx_utf8_length(s);
    if (n < 0 || (size_t)n > max_chars)
        return jy_fail(err, 422, "invalid_field", field, "at most %zu characters", max_chars);
    if (strlen(s) != json_string_length(v))
        return jy_fail(err, 422, "invalid_field", field, "contains a NUL character");
    *out = s;
    return 0;
}

int jx_int(json_t *obj, const char *field, int required, int64_t min, int64_t max, int64_t *out,
           int *present, struct jy_error *err)
{
    json_t *v = field_value(obj, field);
    if (present) *present = 0;
    if (!v) return required ? jy_fail(err, 422, "missing_field", field, NULL) : 0;
    if (!json_is_integer(v)) return jy_fail(err, 422, "invalid_field", field, "must be an integer");
    json_int_t x = json_integer_value(v);
    if (x < min || x > max)
        return jy_fail(err, 422, "invalid_field", field, "must be between %lld and %lld",
                       (long long)min, (long long)max);
    *out = x;
    if (present) *present = 1;
    return 0;
}

int jx_number(json_t *obj, const char *field, int required, double min, double max, double *out,
              int *present, struct jy_error *err)
{
    json_t *v = field_value(obj, field);
    if (present) *present = 0;
    if (!v) return required ? jy_fail(err, 422, "missing_field", field, NULL) : 0;
    if (!json_is_number(v)) return jy_fail(err, 422, "invalid_field", field, "must be a number");
    double x = json_number_value(v);
    if (!(x >= min && x <= max))
        return jy_fail(err, 422, "invalid_field", field, "must be between %g and %g", min, max);
    *out = x;
    if (present) *present = 1;
    return 0;
}

int jx_bool(json_t *obj, const char *field, int required, int *out, int *present,
            struct jy_error *err)
{
    json_t *v = field_value(obj, field);
    if (present) *present = 0;
    if (!v) return required ? jy_fail(err, 422, "missing_field", field, NULL) : 0;
    if (!json_is_boolean(v))
        return jy_fail(err, 422, "invalid_field", field, "must be true or false");
    *out = json_is_true(v);
    if (present) *present = 1;
    return 0;
}

int jx_date(json_t *obj, const char *field, int required, struct date *out, int *present,
            struct jy_error *err)
{
    const char *s = NULL;
    if (present) *present = 0;
    if (jx_string(obj, field, required, 10, &s, err) < 0) return -1;
    if (!s) return 0;
    if (date_parse(s, out) < 0) return jy_fail(err, 422, "invalid_date", field, NULL);
    if (present) *present = 1;
    return 0;
}

int jx_enum(json_t *obj, const char *field, int required, const char *const *allowed,
            const char **out, struct jy_error *err)
{
    const char *s = NULL;
    if (jx_string(obj, field, required, 64, &s, err) < 0) return -1;
    if (!s) return 0;
    for (; *allowed; allowed++)
        if (strcmp(*allowed, s) == 0) {
            *out = *allowed;
            return 0;
        }
    return jy_fail(err, 422, "invalid_field", field, "unknown value '%.40s'", s);
}

void jx_set_string_or_null(json_t *obj, const char *key, const char *value)
{
    json_object_set_new(obj, key, value ? json_string(value) : json_null());
}
