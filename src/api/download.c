/* download.c - see download.h. */
#include "api/download.h"

#include <stdio.h>
#include <unistd.h>

#include "util/sbuf.h"

void api_csv_field(struct sbuf *b, const char *s)
{
    sbuf_puts(b, "\"");
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"') sbuf_puts(b, "\"\"");
        else sbuf_append(b, p, 1);
    }
    sbuf_puts(b, "\"");
}

int api_reply_attachment(struct request *r, const char *type, const char *filename, const char *ext,
                         const char *data, size_t len)
{
    char disposition[160];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.%s\"", filename, ext);
    reply_bytes(r, 200, type, data, len);
    reply_header(r, "Content-Disposition", disposition);
    return 0;
}

int api_reply_workbook(struct request *r, lxw_workbook *wb, const char *path, const char *filename)
{
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    FILE *f = fopen(path, "rb");
    struct sbuf b;
    sbuf_init(&b);
    char chunk[65536];
    size_t n;
    while (f && (n = fread(chunk, 1, sizeof chunk, f)) > 0) sbuf_append(&b, chunk, n);
    if (f) fclose(f);
    unlink(path);
    int rc = !f || sbuf_failed(&b)
                 ? reply_problem(r, 500, "internal_error", NULL)
                 : api_reply_attachment(r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                        filename, "xlsx", b.data, b.len);
    sbuf_free(&b);
    return rc;
}
