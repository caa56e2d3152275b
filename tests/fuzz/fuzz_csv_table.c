/* fuzz_csv_table.c - libFuzzer target (issue 21): the bulk import's table reader
 * (api/csv_table.c over libcsv: headers by name or alias, BOM, UTF-8, quoting, field
 * limits) on any bytes. Beyond not crashing: each record's fields are NUL-terminated within
 * the limit (or flagged as cut), rows come in order, and a file refused whole says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/csv_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const NAME[] = {"name", "姓名", NULL};
static const char *const ID[] = {"id_number", "身份证号", NULL};
static const char *const DATE[] = {"date", "日期", NULL};
static const struct csv_column COLUMNS[] = {{NAME, 1}, {ID, 1}, {DATE, 0}};
static const struct csv_spec SPEC = {COLUMNS, 3, 40};

struct seen {
    int last_row;
};

static int take(void *ctx, const struct csv_record *rec)
{
    struct seen *s = ctx;
    if (rec->row <= s->last_row) abort();
    for (int i = 0; i < SPEC.count; i++)
        if (!rec->field[i] || (strlen(rec->field[i]) > SPEC.field_max && rec->overflow != i + 1))
            abort();
    s->last_row = rec->row;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jy_error err;
    struct csv_table *t = csv_table_open(&SPEC, (const char *)data, size, &err);
    if (!t) {
        if (!err.code || !err.status) abort();
        return 0;
    }
    struct seen s = {0};
    csv_table_read(t, take, &s, &err);
    csv_table_close(t);
    return 0;
}
