/* error.c - filling struct jy_error. */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int jy_fail(struct jy_error *err, int status, const char *code, const char *field,
            const char *detail_fmt, ...)
{
    if (!err) return -1;
    err->status = status;
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    err->detail[0] = '\0';
    err->value[0] = '\0';
    err->row = err->column = 0;
    if (detail_fmt) {
        va_list ap;
        va_start(ap, detail_fmt);
        vsnprintf(err->detail, sizeof err->detail, detail_fmt, ap);
        va_end(ap);
    }
    return -1;
}

int jy_error_value(struct jy_error *err, const char *value)
{
    if (err) snprintf(err->value, sizeof err->value, "%s", value ? value : "");
    return -1;
}

int jy_error_position(struct jy_error *err, int row, int column)
{
    if (err) err->row = row, err->column = column;
    return -1;
}
