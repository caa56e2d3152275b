/* error.h - the one error record every layer fills and api/ turns into problem+json.
 *
 * A function that can fail returns 0 / a negative value (or NULL) and fills a
 * struct jy_error: the HTTP status it maps to, a stable machine code
 * (API.md: invalid_id_number, out_of_scope, ...), the offending field if any,
 * and an optional detail in English for logs. The user-facing message comes
 * from the code through messages.c in the request's language. */
#ifndef JIAYI_UTIL_ERROR_H
#define JIAYI_UTIL_ERROR_H

struct jy_error {
    int status;       /* HTTP status: 400, 401, 403, 404, 409, 413, 422, 429, 500 */
    const char *code; /* static string, stable machine code */
    char field[64];   /* offending input field, "" when none */
    char detail[200]; /* extra detail appended to the message, may be "" */
    char value[64];   /* the offending value itself (a package code...), shown in any language */
    int row, column;  /* where in an uploaded file (1-based), 0 when not about a file */
};

/* Fills err (if not NULL) and returns -1, so callers can `return jy_fail(...)`. */
int jy_fail(struct jy_error *err, int status, const char *code, const char *field,
            const char *detail_fmt, ...) __attribute__((format(printf, 5, 6)));

/* Sets err->value (after jy_fail). Returns -1. */
int jy_error_value(struct jy_error *err, const char *value);

/* Sets err->row and err->column (after jy_fail): the problem then names them. Returns -1. */
int jy_error_position(struct jy_error *err, int row, int column);

#endif
