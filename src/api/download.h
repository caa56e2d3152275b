/* download.h - attachments the browser saves: CSV and XLSX tables and reports. */
#ifndef JIAYI_API_DOWNLOAD_H
#define JIAYI_API_DOWNLOAD_H

#include <stddef.h>
#include <xlsxwriter.h>

#include "http/request.h"
#include "util/sbuf.h"

/* Appends `s` (NULL as empty) as one double-quoted CSV field, quotes doubled. */
void api_csv_field(struct sbuf *b, const char *s);
/* Replies 200 with `data` as the attachment filename.ext. Returns 0. */
int api_reply_attachment(struct request *r, const char *type, const char *filename, const char *ext,
                         const char *data, size_t len);
/* Closes a workbook written to the temporary file `path`, replies it as filename.xlsx and
 * removes the file (500 when it cannot be read). */
int api_reply_workbook(struct request *r, lxw_workbook *wb, const char *path, const char *filename);

/* A table written row by row to a temporary file and sent from it: memory stays constant
 * whatever the row count. CSV is UTF-8 with a byte-order mark (Excel then reads Chinese
 * right); XLSX uses libxlsxwriter's constant-memory mode and continues on a new sheet
 * (header repeated) past a sheet's 1,048,576 rows. */
enum table_format { TABLE_CSV, TABLE_XLSX };
struct table_out;

/* "csv" or "xlsx" to a format: 0, or -1 for anything else. */
int table_format_parse(const char *text, enum table_format *out);
/* Opens a table in a temporary file with its header row (`n` cells, at most
 * TABLE_MAX_COLUMNS); NULL on failure. */
#define TABLE_MAX_COLUMNS 64
struct table_out *table_open(enum table_format format, const char *sheet, const char *const *header,
                             int n);
/* Cells of the current row, in any column order; a row ends with table_end_row. NULL text
 * and non-finite numbers leave the cell empty. */
void table_text(struct table_out *t, int col, const char *text);
void table_number(struct table_out *t, int col, double value);
/* Ends the row; -1 when writing failed (disk full). */
int table_end_row(struct table_out *t);
/* Rows written so far, header excluded. */
long long table_rows(const struct table_out *t);
/* Finishes the file and replies it as the attachment filename.csv|.xlsx (the table is freed). */
int table_reply(struct request *r, struct table_out *t, const char *filename);
/* Drops the table and its file. */
void table_discard(struct table_out *t);

#endif
