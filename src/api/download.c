/* download.c - see download.h. */
#include "api/download.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json/jsondump.h"
#include "util/sbuf.h"

void api_csv_field(struct sbuf *b, const char *s)
{
    sbuf_puts(b, "\"");
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            sbuf_puts(b, "\"\"");
        else
            sbuf_append(b, p, 1);
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

static const char XLSX_TYPE[] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* Sends the file at `path` as filename.ext and removes it (the open descriptor keeps the data
 * until the response is done). */
static int reply_temporary_file(struct request *r, const char *path, const char *type,
                                const char *filename, const char *ext)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    if (fd < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (reply_file(r, 200, type, fd) < 0) return -1;
    char disposition[160];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s.%s\"", filename, ext);
    reply_header(r, "Content-Disposition", disposition);
    return 0;
}

int api_reply_workbook(struct request *r, lxw_workbook *wb, const char *path, const char *filename)
{
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    return reply_temporary_file(r, path, XLSX_TYPE, filename, "xlsx");
}

/* ---- tables ------------------------------------------------------------------------ */

#define XLSX_MAX_ROWS 1048576

struct table_out {
    enum table_format format;
    char path[256];
    int columns;
    const char *const *header;
    long long rows;
    int failed;
    /* CSV: the file and the current row's cells, written in column order at its end. */
    FILE *csv;
    struct sbuf cell[TABLE_MAX_COLUMNS];
    /* XLSX */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    char sheet[24];
    int sheets;
    lxw_row_t row; /* the current row of the current sheet */
};

int table_format_parse(const char *text, enum table_format *out)
{
    if (text && !strcmp(text, "csv"))
        *out = TABLE_CSV;
    else if (text && !strcmp(text, "xlsx"))
        *out = TABLE_XLSX;
    else
        return -1;
    return 0;
}

static int add_sheet(struct table_out *t)
{
    char name[40];
    if (t->sheets++ == 0)
        snprintf(name, sizeof name, "%s", t->sheet);
    else
        snprintf(name, sizeof name, "%s (%d)", t->sheet, t->sheets);
    t->ws = workbook_add_worksheet(t->wb, name);
    if (!t->ws) return -1;
    for (int c = 0; c < t->columns; c++)
        worksheet_write_string(t->ws, 0, (lxw_col_t)c, t->header[c], t->bold);
    worksheet_freeze_panes(t->ws, 1, 0);
    t->row = 1;
    return 0;
}

static void csv_row_of(struct table_out *t, const char *const *cells)
{
    for (int c = 0; c < t->columns; c++) {
        struct sbuf *b = &t->cell[c];
        b->len = 0;
        if (cells) api_csv_field(b, cells[c]);
    }
}

static int csv_write_row(struct table_out *t)
{
    for (int c = 0; c < t->columns; c++) {
        struct sbuf *b = &t->cell[c];
        if (c && fputc(',', t->csv) == EOF) return -1;
        if (b->len && fwrite(b->data, 1, b->len, t->csv) != b->len) return -1;
        b->len = 0;
    }
    return fputs("\r\n", t->csv) == EOF ? -1 : 0;
}

struct table_out *table_open(enum table_format format, const char *sheet, const char *const *header,
                             int n)
{
    if (n < 1 || n > TABLE_MAX_COLUMNS) return NULL;
    struct table_out *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->format = format;
    t->columns = n;
    t->header = header;
    snprintf(t->sheet, sizeof t->sheet, "%s", sheet);
    for (int c = 0; c < n; c++)
        sbuf_init(&t->cell[c]);
    const char *dir = getenv("TMPDIR");
    snprintf(t->path, sizeof t->path, "%s/jiayi-table-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(t->path);
    if (fd < 0) {
        t->path[0] = '\0';
        goto fail;
    }
    if (format == TABLE_CSV) {
        t->csv = fdopen(fd, "w");
        if (!t->csv) goto fail;
        fd = -1;
        fputs("\xEF\xBB\xBF", t->csv);
        csv_row_of(t, header);
        if (csv_write_row(t) < 0) goto fail;
    } else {
        if (fd >= 0) close(fd);
        fd = -1;
        lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
        t->wb = workbook_new_opt(t->path, &options);
        if (!t->wb) goto fail;
        t->bold = workbook_add_format(t->wb);
        format_set_bold(t->bold);
        if (add_sheet(t) < 0) goto fail;
    }
    return t;
fail:
    if (fd >= 0) close(fd);
    table_discard(t);
    return NULL;
}

void table_text(struct table_out *t, int col, const char *text)
{
    if (col < 0 || col >= t->columns || !text || !*text) return;
    if (t->format == TABLE_CSV) {
        t->cell[col].len = 0;
        /* A text Excel would take for a formula (=, +, -, @, a tab or a return first: a name,
         * a note, an address anyone typed) is written after an apostrophe, which Excel shows
         * as text. XLSX cells are text already. */
        if (strchr("=+-@\t\r", text[0])) {
            struct sbuf quoted;
            sbuf_init(&quoted);
            sbuf_puts(&quoted, "'");
            sbuf_puts(&quoted, text);
            api_csv_field(&t->cell[col], sbuf_cstr(&quoted));
            sbuf_free(&quoted);
        } else {
            api_csv_field(&t->cell[col], text);
        }
    } else {
        worksheet_write_string(t->ws, t->row, (lxw_col_t)col, text, NULL);
    }
}

void table_number(struct table_out *t, int col, double value)
{
    if (col < 0 || col >= t->columns || !isfinite(value)) return;
    if (t->format == TABLE_CSV) {
        char text[40];
        jsonx_format_real(value, text, sizeof text);
        size_t n = strlen(text); /* 7 reads as 7, not 7.0, in a spreadsheet's cell */
        if (n > 2 && !strcmp(text + n - 2, ".0")) text[n - 2] = '\0';
        t->cell[col].len = 0;
        sbuf_puts(&t->cell[col], text);
    } else {
        worksheet_write_number(t->ws, t->row, (lxw_col_t)col, value, NULL);
    }
}

int table_end_row(struct table_out *t)
{
    if (t->failed) return -1;
    if (t->format == TABLE_CSV) {
        if (csv_write_row(t) < 0) t->failed = 1;
    } else if (++t->row == XLSX_MAX_ROWS && add_sheet(t) < 0) {
        t->failed = 1;
    }
    if (!t->failed) t->rows++;
    return t->failed ? -1 : 0;
}

long long table_rows(const struct table_out *t)
{
    return t->rows;
}

/* Closes the file; 0 or -1. The table's memory stays for the caller to free. */
static int finish(struct table_out *t)
{
    int rc = t->failed ? -1 : 0;
    if (t->csv) {
        if (fclose(t->csv) != 0) rc = -1;
        t->csv = NULL;
    }
    if (t->wb) {
        if (workbook_close(t->wb) != LXW_NO_ERROR) rc = -1;
        t->wb = NULL;
    }
    return rc;
}

static void table_free(struct table_out *t)
{
    for (int c = 0; c < t->columns; c++)
        sbuf_free(&t->cell[c]);
    free(t);
}

int table_reply(struct request *r, struct table_out *t, const char *filename)
{
    int csv = t->format == TABLE_CSV;
    if (finish(t) < 0) {
        table_discard(t);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    int rc = reply_temporary_file(r, t->path, csv ? "text/csv; charset=utf-8" : XLSX_TYPE, filename,
                                  csv ? "csv" : "xlsx");
    table_free(t);
    return rc;
}

void table_discard(struct table_out *t)
{
    if (!t) return;
    if (t->csv) fclose(t->csv);
    t->csv = NULL;
    if (t->wb) workbook_close(t->wb); /* frees it; the file is removed below */
    t->wb = NULL;
    if (t->path[0]) unlink(t->path); /* half a file is no file */
    table_free(t);
}
