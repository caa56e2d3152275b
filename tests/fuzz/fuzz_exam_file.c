/* fuzz_exam_file.c - libFuzzer target (issue 21): an exam centre's results file (CSV through
 * libcsv, api/exam_file.c and api/csv_table.c) on any bytes: opened, then read row by row.
 * Beyond not crashing: rows come in order, an accepted row carries an 18-character ID
 * number and a valid date, and a file refused whole says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/exam_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    int last_row;
};

static int take(void *ctx, const struct exam_row *row)
{
    struct seen *s = ctx;
    if (row->row <= s->last_row || strlen(row->id_number) != 18) abort();
    if (row->exam_date.month < 1 || row->exam_date.month > 12) abort();
    s->last_row = row->row;
    return 0;
}

static void reject(void *ctx, int row, const char *field, const char *code)
{
    (void)ctx;
    (void)field;
    if (row < 1 || !code || !*code) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jy_error err;
    struct exam_file *f = exam_file_open((const char *)data, size, &err);
    if (!f) {
        if (!err.code || !err.status) abort();
        return 0;
    }
    struct seen s = {0};
    struct exam_file_sink sink = {take, reject, &s};
    struct date today = {2026, 12, 7};
    exam_file_read(f, today, &sink, &err);
    exam_file_close(f);
    return 0;
}
