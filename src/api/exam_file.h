/* exam_file.h - an exam centre's results file (CSV, UTF-8 or the GB18030 that Excel in
 * China writes) read row by row: the header names the columns (English or Chinese, in any
 * order, unknown ones ignored), each data row becomes an exam_row or a per-row error that
 * names the column. Tokenising is libcsv's; the checks are ours. */
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
    char ecg[EXAM_CONCLUSION_MAX + 1], ultrasound[EXAM_CONCLUSION_MAX + 1];
};

struct exam_file_sink {
    /* A row whose every value is well-formed; returns 0, or -1 to stop the import. */
    int (*row)(void *ctx, const struct exam_row *row);
    /* A row rejected: the column (or NULL for the whole row) and the error code. */
    void (*reject)(void *ctx, int row, const char *field, const char *code);
    void *ctx;
};

/* Reads the whole file. Returns the number of data rows seen, or -1 with err filled for a
 * file that cannot be read at all (empty, no id_number / exam_date column, bad encoding),
 * or -2 when a sink callback stopped it. */
long exam_file_read(const char *data, size_t len, struct date today,
                    const struct exam_file_sink *sink, struct jy_error *err);

/* Parses "6.25" into hundredths (scale 2) or "7.1" into tenths (scale 1), rounding half up
 * beyond the scale; 0 on success, -1 if not a plain non-negative decimal. */
int exam_parse_decimal(const char *text, int scale, int *out);

#endif
