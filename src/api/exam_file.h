/* exam_file.h - an exam centre's results file (CSV, UTF-8 or the GB18030 that Excel in
 * China writes), read in two passes so that a broken file is refused before any of it is
 * stored. exam_file_open reads it whole: every record must be well-formed CSV and every
 * field text (well-formed UTF-8 after any conversion, no NUL byte), else the file is
 * refused naming the row and column of the first fault. exam_file_read then hands the data
 * rows out one by one: the header names the columns (English or Chinese, in any order,
 * unknown ones ignored), each data row becomes an exam_row or a per-row error that names
 * the column. Tokenising is libcsv's; the checks are ours. */
#ifndef JIAYI_API_EXAM_FILE_H
#define JIAYI_API_EXAM_FILE_H

#include <stddef.h>

#include "domain/screening.h"
#include "util/date.h"
#include "util/error.h"

#define EXAM_CONCLUSION_MAX 200

struct exam_row {
    int row; /* the record's number in the file, the header being row 1 */
    char id_number[19];
    struct date exam_date;
    struct exam_values values;        /* BMI filled from height and weight when absent; the
                                         conclusions point into this row (re-point a copy) */
    int has_height, height_cm_tenths; /* kept as measured, for the record */
    int has_weight, weight_kg_tenths;
    int has_hba1c, hba1c_tenths; /* % of haemoglobin; not screened, kept and exchanged */
    char ecg[EXAM_CONCLUSION_MAX + 1], ultrasound[EXAM_CONCLUSION_MAX + 1];
};

struct exam_file_sink {
    /* A row whose every value is well-formed; returns 0, or -1 to stop the import. */
    int (*row)(void *ctx, const struct exam_row *row);
    /* A row rejected: the column (or NULL for the whole row) and the error code. */
    void (*reject)(void *ctx, int row, const char *field, const char *code);
    void *ctx;
};

/* A file that has passed exam_file_open's whole-file checks. */
struct exam_file;

/* Reads the whole file once and checks it. Returns the file, which borrows `data` (it must
 * outlive the file) unless it was converted from GB18030; or NULL with err filled and
 * nothing to free: 422 `empty_file`; `missing_field` (no id_number / exam_date column,
 * err->field naming it); `invalid_csv` (malformed CSV) or `invalid_encoding` (a field that
 * is not text), both with err->row and err->column (1-based; err->field the column's API
 * name when it is a known column); 500 `internal_error` when out of memory. The encoding is
 * the file's, chosen once: UTF-8 unless the bytes read clearly better as GB18030 (see
 * exam_file.c), so a damaged UTF-8 field is named, not re-read as other characters. */
struct exam_file *exam_file_open(const char *data, size_t len, struct jy_error *err);

/* The number of data rows (records after the header; blank lines are not rows). */
long exam_file_rows(const struct exam_file *f);

/* Hands every data row to the sink, in file order. Returns the number of data rows seen,
 * -2 when a sink callback stopped it, or -1 with err filled (500: out of memory). */
long exam_file_read(const struct exam_file *f, struct date today, const struct exam_file_sink *sink,
                    struct jy_error *err);

void exam_file_close(struct exam_file *f);

/* Parses "6.25" into hundredths (scale 2) or "7.1" into tenths (scale 1), rounding half up
 * beyond the scale; 0 on success, -1 if not a plain non-negative decimal. */
int exam_parse_decimal(const char *text, int scale, int *out);

#endif
