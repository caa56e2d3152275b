/* csv_table.c - see csv_table.h. */
#include "api/csv_table.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/utf8.h"

#define COLUMN_IGNORED (-1)
#define HEADER_MAX 64 /* header positions mapped; later ones are ignored */

struct csv_table {
    const struct csv_spec *spec;
    const char *data; /* UTF-8: the caller's bytes, or `converted` */
    size_t len;
    char *converted; /* the GB18030 file as UTF-8, owned */
    long data_rows;
};

/* One pass over the file. The first (checking) pass finds the first fault and counts the
 * rows; the second hands the rows out. Both map the header the same way. */
struct reader {
    const struct csv_spec *spec;
    int checking;
    int (*fn)(void *ctx, const struct csv_record *rec);
    void *ctx;
    int row;             /* records seen, header included */
    int columns;         /* fields in this record so far */
    int map[HEADER_MAX]; /* header position -> column, or COLUMN_IGNORED */
    int mapped;
    char *fields; /* count buffers of field_max + 1 */
    struct csv_record rec;
    int any_present;
    int stopped;
    long data_rows;
    int bad_row, bad_column; /* checking: the first field that is not text */
};

int csv_parse_date(const char *text, struct date *out)
{
    char buf[11];
    int y, m, d, n = 0;
    if (sscanf(text, "%4d%*[-/.]%2d%*[-/.]%2d%n", &y, &m, &d, &n) != 3 || text[n]) return -1;
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return date_parse(buf, out);
}

static int column_of(const struct csv_spec *spec, const char *name)
{
    while (*name == ' ')
        name++;
    for (int c = 0; c < spec->count; c++)
        for (int i = 0; spec->columns[c].names[i]; i++) {
            const char *known = spec->columns[c].names[i];
            size_t n = strlen(known);
            /* "收缩压(mmHg)", "fbg (mmol/L)": a unit after the name is fine. */
            if (strncasecmp(name, known, n) == 0 &&
                (name[n] == 0 || name[n] == ' ' || name[n] == '(' ||
                 strncmp(name + n, "（", 3) == 0))
                return c;
        }
    return COLUMN_IGNORED;
}

/* A field's bytes are text: well-formed UTF-8 without NUL (which would cut it short). */
static int field_is_text(const char *s, size_t len)
{
    return memchr(s, 0, len) == NULL && utf8_valid(s, len);
}

static void on_field(void *text, size_t len, void *arg)
{
    struct reader *rd = arg;
    int pos = rd->columns++;
    if (rd->checking && !rd->bad_row && !field_is_text(text, len)) {
        rd->bad_row = rd->row + 1;
        rd->bad_column = pos + 1;
    }
    if (rd->row == 0) { /* the header */
        if (pos < HEADER_MAX) {
            char name[96];
            snprintf(name, sizeof name, "%.*s", (int)len, (const char *)text);
            rd->map[pos] =
                column_of(rd->spec, strncmp(name, "\xEF\xBB\xBF", 3) == 0 ? name + 3 : name);
            rd->mapped = pos + 1;
        }
        return;
    }
    if (pos >= rd->mapped || rd->map[pos] == COLUMN_IGNORED) return;
    int c = rd->map[pos];
    const char *s = text;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (len > rd->spec->field_max) rd->rec.overflow = c + 1, len = rd->spec->field_max;
    char *buf = rd->fields + (size_t)c * (rd->spec->field_max + 1);
    memcpy(buf, s, len);
    buf[len] = 0;
    rd->rec.present[c] = len > 0;
    rd->any_present |= len > 0;
}

static void on_record(int terminator, void *arg)
{
    (void)terminator;
    struct reader *rd = arg;
    int blank = rd->columns <= 1 && !rd->any_present;
    if (rd->row++ > 0 && !rd->stopped && !blank) {
        rd->data_rows++;
        rd->rec.row = rd->row;
        if (!rd->checking && rd->fn(rd->ctx, &rd->rec) < 0) rd->stopped = 1;
    }
    rd->columns = 0;
    rd->any_present = 0;
    rd->rec.overflow = 0;
    for (int c = 0; c < rd->spec->count; c++) {
        rd->fields[(size_t)c * (rd->spec->field_max + 1)] = 0;
        rd->rec.present[c] = 0;
    }
}

static struct reader *reader_new(const struct csv_spec *spec)
{
    struct reader *rd = calloc(1, sizeof *rd);
    if (!rd) return NULL;
    rd->spec = spec;
    rd->fields = calloc((size_t)spec->count, spec->field_max + 1);
    if (!rd->fields) {
        free(rd);
        return NULL;
    }
    for (int c = 0; c < spec->count; c++)
        rd->rec.field[c] = rd->fields + (size_t)c * (spec->field_max + 1);
    return rd;
}

static void reader_free(struct reader *rd)
{
    if (rd) free(rd->fields);
    free(rd);
}

/* At least this many bytes that are not UTF-8 before a file is read as GB18030: a few stray
 * bytes are a damaged UTF-8 field to name, not a reason to re-read every character. */
#define GB18030_MIN_EVIDENCE 8

/* Bytes that begin no well-formed UTF-8 sequence, and the well-formed multi-byte ones. */
static void utf8_census(const char *data, size_t len, size_t *bad, size_t *multibyte)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    *bad = *multibyte = 0;
    while (p < end) {
        size_t n = utf8_sequence(p, (size_t)(end - p));
        if (n == 0) {
            ++*bad, p++;
        } else {
            *multibyte += n > 1;
            p += n;
        }
    }
}

/* The file read as GB18030 into UTF-8 (malloc'd, *len updated, *bad the bytes GB18030
 * cannot read), or NULL when out of memory or without a converter. Each unreadable byte
 * becomes 0xFF, which is never UTF-8, so the field holding it is named by the check. */
static char *from_gb18030(const char *data, size_t *len, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return NULL;
    /* 2 bytes -> at most 3, 4 -> 4, 1 -> 1: twice the input is always enough. */
    size_t in_left = *len, out_size = *len * 2 + 16, out_left = out_size;
    char *out = malloc(out_size), *in = (char *)data, *o = out;
    *bad = 0;
    while (out && in_left > 0) {
        if (iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1) break;
        if ((errno != EILSEQ && errno != EINVAL) || out_left == 0) {
            free(out);
            out = NULL;
            break;
        }
        *o++ = (char)0xFF, out_left--;
        in++, in_left--;
        ++*bad;
    }
    iconv_close(cd);
    if (out) *len = out_size - out_left;
    return out;
}

/* Chooses the file's encoding and leaves UTF-8 in t. UTF-8 when the bytes are UTF-8, carry
 * a UTF-8 BOM, or read at least as well as UTF-8 as they do as GB18030; a GB18030 export
 * (Chinese column names and values) has almost no well-formed multi-byte UTF-8 and reads
 * cleanly as GB18030. 0, or -1 when out of memory. */
static int decode(struct csv_table *t, const char *data, size_t len)
{
    t->data = data;
    t->len = len;
    size_t utf8_bad, multibyte;
    utf8_census(data, len, &utf8_bad, &multibyte);
    if (utf8_bad < GB18030_MIN_EVIDENCE || multibyte >= utf8_bad ||
        (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0))
        return 0;
    size_t gb_len = len, gb_bad;
    char *gb = from_gb18030(data, &gb_len, &gb_bad);
    if (!gb) return -1;
    if (gb_bad >= utf8_bad) {
        free(gb);
        return 0;
    }
    t->converted = gb;
    t->data = gb;
    t->len = gb_len;
    return 0;
}

/* Runs one pass of `rd` over the file. 0, or -1 when libcsv refused a record (the position
 * is then the current record and field) or ran out of memory (*oom set). */
static int run_pass(const struct csv_table *t, struct reader *rd, int *oom)
{
    struct csv_parser parser;
    *oom = 0;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) return *oom = 1, -1;
    /* Blocks, so the checking pass stops soon after the first field that is not text. */
    enum { BLOCK = 1 << 16 };
    int rc = 0;
    for (size_t done = 0; done < t->len && !(rd->checking && rd->bad_row);) {
        size_t n = t->len - done < BLOCK ? t->len - done : BLOCK;
        if (csv_parse(&parser, t->data + done, n, on_field, on_record, rd) != n) {
            rc = -1;
            break;
        }
        done += n;
    }
    if (rc == 0 && !(rd->checking && rd->bad_row) &&
        csv_fini(&parser, on_field, on_record, rd) != 0)
        rc = -1;
    if (rc < 0) *oom = csv_error(&parser) != CSV_EPARSE;
    csv_free(&parser);
    return rc;
}

/* The API name of the column at 1-based position `column` of a data row, or NULL. */
static const char *column_name(const struct reader *rd, int row, int column)
{
    if (row <= 1 || column < 1 || column > rd->mapped || rd->map[column - 1] == COLUMN_IGNORED)
        return NULL;
    return rd->spec->columns[rd->map[column - 1]].names[0];
}

static int fail_at(struct jy_error *err, const struct reader *rd, const char *code, int row,
                   int column, const char *what)
{
    jy_fail(err, 422, code, column_name(rd, row, column), "%s at row %d, column %d", what, row,
            column);
    return jy_error_position(err, row, column);
}

struct csv_table *csv_table_open(const struct csv_spec *spec, const char *data, size_t len,
                                 struct jy_error *err)
{
    if (!data || len == 0) return jy_fail(err, 422, "empty_file", NULL, "no rows"), NULL;
    struct csv_table *t = calloc(1, sizeof *t);
    struct reader *rd = reader_new(spec);
    if (!t || !rd || decode(t, data, len) < 0) {
        reader_free(rd);
        csv_table_close(t);
        return jy_fail(err, 500, "internal_error", NULL, NULL), NULL;
    }
    t->spec = spec;
    rd->checking = 1;
    int oom, rc = run_pass(t, rd, &oom);
    const char *missing = NULL; /* the first required column the header lacks */
    for (int c = 0; c < spec->count && !missing; c++) {
        int found = 0;
        for (int i = 0; i < rd->mapped; i++)
            found |= rd->map[i] == c;
        if (spec->columns[c].required && !found) missing = spec->columns[c].names[0];
    }
    /* The first fault in file order; a header without the required columns is named before
     * any fault in the rows below it. */
    int syntax_row = rc < 0 ? rd->row + 1 : 0, syntax_column = rd->columns + 1;
    int header_ok = rd->row > 0 && !missing;
    if (oom)
        jy_fail(err, 500, "internal_error", NULL, NULL);
    else if (rd->bad_row == 1 || (rd->bad_row && header_ok))
        fail_at(err, rd, "invalid_encoding", rd->bad_row, rd->bad_column,
                "not UTF-8 (nor GB18030) text");
    else if (syntax_row == 1 || (syntax_row && header_ok))
        fail_at(err, rd, "invalid_csv", syntax_row, syntax_column, csv_strerror(CSV_EPARSE));
    else if (!header_ok)
        jy_fail(err, 422, "missing_field", missing ? missing : spec->columns[0].names[0],
                "a header row naming the columns");
    t->data_rows = rd->data_rows;
    int ok = !oom && !rd->bad_row && !syntax_row && header_ok;
    reader_free(rd);
    if (!ok) {
        csv_table_close(t);
        return NULL;
    }
    return t;
}

long csv_table_rows(const struct csv_table *t)
{
    return t->data_rows;
}

long csv_table_read(const struct csv_table *t, int (*fn)(void *ctx, const struct csv_record *rec),
                    void *ctx, struct jy_error *err)
{
    struct reader *rd = reader_new(t->spec);
    if (!rd) return jy_fail(err, 500, "internal_error", NULL, NULL);
    rd->fn = fn;
    rd->ctx = ctx;
    int oom, rc = run_pass(t, rd, &oom);
    /* The checking pass accepted every record, so only memory can fail here. */
    long result = rc < 0        ? jy_fail(err, 500, "internal_error", NULL, NULL)
                  : rd->stopped ? -2
                                : rd->data_rows;
    reader_free(rd);
    return result;
}

struct header_reader {
    char (*names)[CSV_HEADER_NAME_MAX];
    int max, count, done;
};

static void on_header_field(void *text, size_t len, void *arg)
{
    struct header_reader *h = arg;
    if (h->done || h->count == h->max) return;
    const char *s = text;
    if (h->count == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) s += 3, len -= 3;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (len >= CSV_HEADER_NAME_MAX) { /* cut on a character's boundary, so it stays UTF-8 */
        len = CSV_HEADER_NAME_MAX - 1;
        while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(h->names[h->count], s, len);
    h->names[h->count++][len] = 0;
}

static void on_header_record(int terminator, void *arg)
{
    (void)terminator;
    ((struct header_reader *)arg)->done = 1;
}

int csv_table_header(const struct csv_table *t, char (*names)[CSV_HEADER_NAME_MAX], int max)
{
    struct header_reader h = {names, max, 0, 0};
    struct csv_parser parser;
    if (csv_init(&parser, CSV_APPEND_NULL) != 0) return 0;
    /* The header is the first record: read until it ends (the file was checked on open). */
    for (size_t done = 0; done < t->len && !h.done; done += 4096) {
        size_t n = t->len - done < 4096 ? t->len - done : 4096;
        if (csv_parse(&parser, t->data + done, n, on_header_field, on_header_record, &h) != n)
            break;
    }
    if (!h.done) csv_fini(&parser, on_header_field, on_header_record, &h);
    csv_free(&parser);
    return h.count;
}

void csv_table_close(struct csv_table *t)
{
    if (!t) return;
    free(t->converted);
    free(t);
}
