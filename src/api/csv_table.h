/* csv_table.h - a CSV file of named columns, as exam centres, hospital systems and the
 * provincial platform export them: UTF-8 or the GB18030 that Excel in China writes, a
 * header row naming the columns in English or Chinese (in any order, a unit after the name
 * allowed, unknown columns ignored), quoted fields with commas and newlines. Read in two
 * passes so that a broken file is refused before any of it is used: csv_table_open reads
 * it whole and checks every record is well-formed CSV, every field text (well-formed UTF-8
 * after any conversion, no NUL) and the header names every required column; csv_table_read
 * then hands the data rows out one by one. Tokenising is libcsv's. Used by the exam files
 * (api/exam_file.c) and the bulk imports (api/imports.c). */
#ifndef JIAYI_API_CSV_TABLE_H
#define JIAYI_API_CSV_TABLE_H

#include <stddef.h>

#include "util/date.h"
#include "util/error.h"

#define CSV_TABLE_MAX_COLUMNS 32

struct csv_column {
    /* names[0] is the column's API name (what errors name); then the other headers it is
     * known by; NULL-terminated. */
    const char *const *names;
    int required;
};

struct csv_spec {
    const struct csv_column *columns;
    int count;        /* at most CSV_TABLE_MAX_COLUMNS */
    size_t field_max; /* bytes; a longer field is cut and the record says which */
};

/* One data row: fields by the spec's column order, trimmed of blanks. */
struct csv_record {
    int row; /* the record's number in the file, the header being row 1 */
    const char *field[CSV_TABLE_MAX_COLUMNS]; /* "" when absent */
    int present[CSV_TABLE_MAX_COLUMNS];       /* not empty */
    int overflow;                             /* 1 + the column cut at field_max, or 0 */
};

struct csv_table;

/* Reads the whole file once and checks it. The table borrows `data` (it must outlive the
 * table) unless it was converted from GB18030. NULL with err filled: 422 `empty_file`;
 * `missing_field` (err->field the first required column the header lacks); `invalid_csv`
 * or `invalid_encoding` with err->row and err->column (1-based; err->field the column's API
 * name when it is a known column); 500 when out of memory. The encoding is chosen once for
 * the file: UTF-8 unless the bytes read clearly better as GB18030, so a damaged UTF-8 field
 * is named rather than the whole file re-read as other characters. */
struct csv_table *csv_table_open(const struct csv_spec *spec, const char *data, size_t len,
                                 struct jy_error *err);
/* Data rows (records after the header; blank lines are not rows). */
long csv_table_rows(const struct csv_table *t);
/* Hands every data row to fn in file order; fn returns 0, or -1 to stop. Returns the rows
 * seen, -2 when fn stopped it, or -1 with err filled (500: out of memory). */
long csv_table_read(const struct csv_table *t, int (*fn)(void *ctx, const struct csv_record *rec),
                    void *ctx, struct jy_error *err);
void csv_table_close(struct csv_table *t);

/* The header row's names, trimmed, a UTF-8 byte-order mark dropped, each cut at
 * CSV_HEADER_NAME_MAX - 1 bytes (for a file whose columns the user chooses, as jiayi qca
 * reads every column but the outcome; a name cut is cut on a character's boundary). Returns
 * how many, at most max. */
#define CSV_HEADER_NAME_MAX 96
int csv_table_header(const struct csv_table *t, char (*names)[CSV_HEADER_NAME_MAX], int max);

/* A date as exported sheets write it (2026-03-05, 2026/03/05, 2026/3/5, 2026.3.5). 0 or -1. */
int csv_parse_date(const char *text, struct date *out);

#endif
