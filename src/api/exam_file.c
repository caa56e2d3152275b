/* exam_file.c - see exam_file.h. */
#include "api/exam_file.h"

#include <assert.h>
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "domain/id_number.h"
#include "util/utf8.h"

enum column {
    COL_ID_NUMBER,
    COL_EXAM_DATE,
    COL_SBP,
    COL_DBP,
    COL_FBG,
    COL_TC,
    COL_TG,
    COL_LDL,
    COL_HDL,
    COL_HEIGHT,
    COL_WEIGHT,
    COL_BMI,
    COL_ECG,
    COL_ULTRASOUND,
    COL_COUNT,
    COL_IGNORED = -1
};

/* Header names per column: the API name first (used in errors), then what exam centres write. */
static const char *const HEADERS[COL_COUNT][5] = {
    {"id_number", "身份证号", "身份证号码", "证件号码", NULL},
    {"exam_date", "体检日期", "检查日期", NULL},
    {"sbp", "收缩压", NULL},
    {"dbp", "舒张压", NULL},
    {"fbg", "空腹血糖", NULL},
    {"tc", "总胆固醇", NULL},
    {"tg", "甘油三酯", NULL},
    {"ldl", "低密度脂蛋白", "低密度脂蛋白胆固醇", NULL},
    {"hdl", "高密度脂蛋白", "高密度脂蛋白胆固醇", NULL},
    {"height_cm", "身高", NULL},
    {"weight_kg", "体重", NULL},
    {"bmi", "体质指数", NULL},
    {"ecg", "心电图", NULL},
    {"ultrasound", "B超", "腹部B超", "超声", NULL},
};

/* Plausible bounds (in the parsed unit) outside which a value is a typing or unit error. */
static const struct {
    int scale, min, max;
} BOUNDS[COL_COUNT] = {
    [COL_SBP] = {0, 50, 300}, [COL_DBP] = {0, 30, 200},      [COL_FBG] = {1, 10, 400},
    [COL_TC] = {2, 50, 2000}, [COL_TG] = {2, 10, 5000},      [COL_LDL] = {2, 10, 1500},
    [COL_HDL] = {2, 10, 500}, [COL_HEIGHT] = {1, 400, 2500}, [COL_WEIGHT] = {1, 20, 3000},
    [COL_BMI] = {1, 80, 800},
};

int exam_parse_decimal(const char *text, int scale, int *out)
{
    long whole = 0, frac = 0;
    int digits = 0, frac_digits = 0, round_up = 0;
    const char *p = text;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        if ((whole = whole * 10 + (*p - '0')) > 1000000) return -1;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            if (frac_digits < scale)
                frac = frac * 10 + (*p - '0'), frac_digits++;
            else if (frac_digits == scale)
                round_up = *p >= '5', frac_digits++;
        }
    }
    if (*p || digits == 0) return -1;
    for (; frac_digits < scale; frac_digits++)
        frac *= 10;
    long v = whole;
    for (int i = 0; i < scale; i++)
        v *= 10;
    *out = (int)(v + frac + round_up);
    return 0;
}

static enum column column_of(const char *name)
{
    while (*name == ' ')
        name++;
    for (int c = 0; c < COL_COUNT; c++)
        for (int i = 0; HEADERS[c][i]; i++) {
            size_t n = strlen(HEADERS[c][i]);
            /* "收缩压(mmHg)", "fbg (mmol/L)": a unit after the name is fine. */
            if (strncasecmp(name, HEADERS[c][i], n) == 0 &&
                (name[n] == 0 || name[n] == ' ' || name[n] == '(' ||
                 strncmp(name + n, "（", 3) == 0))
                return (enum column)c;
        }
    return COL_IGNORED;
}

struct exam_file {
    const char *data; /* UTF-8: the caller's bytes, or `converted` */
    size_t len;
    char *converted; /* the GB18030 file as UTF-8, owned */
    long data_rows;
};

/* One pass over the file. The first (checking) pass finds the first fault and counts the
 * rows; the second hands the rows to the sink. Both map the header the same way. */
struct reader {
    int checking;
    const struct exam_file_sink *sink;
    struct date today;
    int row;             /* records seen, header included */
    int columns;         /* fields in this record so far */
    enum column map[64]; /* header position -> column */
    int mapped;
    char fields[COL_COUNT][EXAM_CONCLUSION_MAX + 1];
    int present[COL_COUNT];
    int overflow; /* a conclusion longer than the limit */
    int stopped;
    long data_rows;
    /* checking: the first field that is not text */
    int bad_row, bad_column;
};

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
        if (pos < 64) {
            char name[96];
            snprintf(name, sizeof name, "%.*s", (int)len, (const char *)text);
            rd->map[pos] = column_of(name);
            if (pos == 0 && strncmp(name, "\xEF\xBB\xBF", 3) == 0)
                rd->map[pos] = column_of(name + 3);
            rd->mapped = pos + 1;
        }
        return;
    }
    if (pos >= rd->mapped || rd->map[pos] == COL_IGNORED) return;
    enum column c = rd->map[pos];
    const char *s = text;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    if (len > EXAM_CONCLUSION_MAX) rd->overflow = c + 1, len = EXAM_CONCLUSION_MAX;
    memcpy(rd->fields[c], s, len);
    rd->fields[c][len] = 0;
    rd->present[c] = len > 0;
}

static int reject(struct reader *rd, enum column c, const char *code)
{
    rd->sink->reject(rd->sink->ctx, rd->row, (int)c >= 0 ? HEADERS[c][0] : NULL, code);
    return -1;
}

static int read_number(struct reader *rd, enum column c, int *has, int *out)
{
    *has = 0;
    if (!rd->present[c]) return 0;
    int v;
    if (exam_parse_decimal(rd->fields[c], BOUNDS[c].scale, &v) < 0)
        return reject(rd, c, "invalid_field");
    if (v < BOUNDS[c].min || v > BOUNDS[c].max) return reject(rd, c, "out_of_range");
    *has = 1;
    *out = v;
    return 0;
}

static int parse_date(const char *text, struct date *out)
{
    char buf[11];
    /* 2026-03-05, 2026/03/05 and 2026/3/5 all occur in exported sheets. */
    int y, m, d, n = 0;
    if (sscanf(text, "%4d%*[-/.]%2d%*[-/.]%2d%n", &y, &m, &d, &n) != 3 || text[n]) return -1;
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return date_parse(buf, out);
}

static int build_row(struct reader *rd, struct exam_row *row)
{
    memset(row, 0, sizeof *row);
    row->row = rd->row;
    if (rd->overflow) return reject(rd, (enum column)(rd->overflow - 1), "too_long");
    struct id_number_info id;
    struct jy_error ignored;
    if (!rd->present[COL_ID_NUMBER]) return reject(rd, COL_ID_NUMBER, "missing_field");
    if (id_number_parse(rd->fields[COL_ID_NUMBER], rd->today, "id_number", &id, &ignored) < 0)
        return reject(rd, COL_ID_NUMBER, "invalid_id_number");
    memcpy(row->id_number, id.normalized, sizeof row->id_number);
    if (!rd->present[COL_EXAM_DATE]) return reject(rd, COL_EXAM_DATE, "missing_field");
    if (parse_date(rd->fields[COL_EXAM_DATE], &row->exam_date) < 0 ||
        date_compare(row->exam_date, rd->today) > 0 ||
        date_compare(row->exam_date, id.birth_date) < 0)
        return reject(rd, COL_EXAM_DATE, "invalid_date");
    struct exam_values *v = &row->values;
    if (read_number(rd, COL_SBP, &v->has_sbp, &v->sbp) < 0 ||
        read_number(rd, COL_DBP, &v->has_dbp, &v->dbp) < 0 ||
        read_number(rd, COL_FBG, &v->has_fbg, &v->fbg_tenths) < 0 ||
        read_number(rd, COL_TC, &v->has_tc, &v->tc_hundredths) < 0 ||
        read_number(rd, COL_TG, &v->has_tg, &v->tg_hundredths) < 0 ||
        read_number(rd, COL_LDL, &v->has_ldl, &v->ldl_hundredths) < 0 ||
        read_number(rd, COL_HDL, &v->has_hdl, &v->hdl_hundredths) < 0 ||
        read_number(rd, COL_HEIGHT, &row->has_height, &row->height_cm_tenths) < 0 ||
        read_number(rd, COL_WEIGHT, &row->has_weight, &row->weight_kg_tenths) < 0 ||
        read_number(rd, COL_BMI, &v->has_bmi, &v->bmi_tenths) < 0)
        return -1;
    if (v->has_sbp != v->has_dbp)
        return reject(rd, v->has_sbp ? COL_DBP : COL_SBP, "missing_field");
    if (v->has_sbp && v->dbp >= v->sbp) return reject(rd, COL_DBP, "invalid_field");
    if (!v->has_bmi && row->has_height && row->has_weight) {
        v->bmi_tenths = exam_bmi_tenths(row->height_cm_tenths, row->weight_kg_tenths);
        v->has_bmi = v->bmi_tenths >= BOUNDS[COL_BMI].min && v->bmi_tenths <= BOUNDS[COL_BMI].max;
    }
    if (rd->present[COL_ECG]) v->ecg = strcpy(row->ecg, rd->fields[COL_ECG]);
    if (rd->present[COL_ULTRASOUND])
        v->ultrasound = strcpy(row->ultrasound, rd->fields[COL_ULTRASOUND]);
    if (!v->has_sbp && !v->has_fbg && !v->has_tc && !v->has_tg && !v->has_ldl && !v->has_hdl &&
        !v->has_bmi && !row->has_height && !row->has_weight && !v->ecg && !v->ultrasound)
        return reject(rd, (enum column) - 1, "no_results");
    return 0;
}

static void on_record(int terminator, void *arg)
{
    (void)terminator;
    struct reader *rd = arg;
    int blank = rd->columns <= 1 && !rd->present[COL_ID_NUMBER] && !rd->present[COL_EXAM_DATE];
    if (rd->row++ > 0 && !rd->stopped && !blank) {
        rd->data_rows++;
        struct exam_row row;
        if (!rd->checking && build_row(rd, &row) == 0 && rd->sink->row(rd->sink->ctx, &row) < 0)
            rd->stopped = 1;
    }
    rd->columns = 0;
    rd->overflow = 0;
    memset(rd->present, 0, sizeof rd->present);
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

/* Chooses the file's encoding and leaves UTF-8 in f. UTF-8 when the bytes are UTF-8, carry
 * a UTF-8 BOM, or read at least as well as UTF-8 as they do as GB18030; a GB18030 export
 * (Chinese column names and conclusions) has almost no well-formed multi-byte UTF-8 and
 * reads cleanly as GB18030. 0, or -1 when out of memory. */
static int decode(struct exam_file *f, const char *data, size_t len)
{
    f->data = data;
    f->len = len;
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
    f->converted = gb;
    f->data = gb;
    f->len = gb_len;
    return 0;
}

/* Runs one pass of `rd` over the file. 0, or -1 when libcsv refused a record (the position
 * is then the current record and field) or ran out of memory (*oom set). */
static int run_pass(const struct exam_file *f, struct reader *rd, int *oom)
{
    struct csv_parser parser;
    *oom = 0;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) return *oom = 1, -1;
    /* Blocks, so the checking pass stops soon after the first field that is not text. */
    enum { BLOCK = 1 << 16 };
    int rc = 0;
    for (size_t done = 0; done < f->len && !(rd->checking && rd->bad_row);) {
        size_t n = f->len - done < BLOCK ? f->len - done : BLOCK;
        if (csv_parse(&parser, f->data + done, n, on_field, on_record, rd) != n) {
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
    if (row <= 1 || column < 1 || column > rd->mapped || rd->map[column - 1] == COL_IGNORED)
        return NULL;
    return HEADERS[rd->map[column - 1]][0];
}

static int fail_at(struct jy_error *err, const struct reader *rd, const char *code, int row,
                   int column, const char *what)
{
    jy_fail(err, 422, code, column_name(rd, row, column), "%s at row %d, column %d", what, row,
            column);
    return jy_error_position(err, row, column);
}

struct exam_file *exam_file_open(const char *data, size_t len, struct jy_error *err)
{
    if (!data || len == 0) return jy_fail(err, 422, "empty_file", NULL, "no rows"), NULL;
    struct exam_file *f = calloc(1, sizeof *f);
    struct reader *rd = calloc(1, sizeof *rd);
    if (!f || !rd || decode(f, data, len) < 0) {
        free(rd);
        exam_file_close(f);
        return jy_fail(err, 500, "internal_error", NULL, NULL), NULL;
    }
    rd->checking = 1;
    int oom, rc = run_pass(f, rd, &oom);
    int has_id = 0, has_date = 0;
    for (int i = 0; i < rd->mapped; i++)
        has_id |= rd->map[i] == COL_ID_NUMBER, has_date |= rd->map[i] == COL_EXAM_DATE;
    /* The first fault in file order; a header without the key columns is named before any
     * fault in the rows below it. */
    int syntax_row = rc < 0 ? rd->row + 1 : 0, syntax_column = rd->columns + 1;
    int header_ok = rd->row > 0 && has_id && has_date;
    if (oom)
        jy_fail(err, 500, "internal_error", NULL, NULL);
    else if (rd->bad_row == 1 || (rd->bad_row && header_ok))
        fail_at(err, rd, "invalid_encoding", rd->bad_row, rd->bad_column,
                "not UTF-8 (nor GB18030) text");
    else if (syntax_row == 1 || (syntax_row && header_ok))
        fail_at(err, rd, "invalid_csv", syntax_row, syntax_column, csv_strerror(CSV_EPARSE));
    else if (!header_ok)
        jy_fail(err, 422, "missing_field", has_id ? "exam_date" : "id_number",
                "a header row naming the columns");
    f->data_rows = rd->data_rows;
    int ok = !oom && !rd->bad_row && !syntax_row && header_ok;
    free(rd);
    if (!ok) {
        exam_file_close(f);
        return NULL;
    }
    return f;
}

long exam_file_rows(const struct exam_file *f)
{
    return f->data_rows;
}

long exam_file_read(const struct exam_file *f, struct date today, const struct exam_file_sink *sink,
                    struct jy_error *err)
{
    struct reader *rd = calloc(1, sizeof *rd);
    if (!rd) return jy_fail(err, 500, "internal_error", NULL, NULL);
    rd->sink = sink;
    rd->today = today;
    int oom, rc = run_pass(f, rd, &oom);
    /* The checking pass accepted every record, so only memory can fail here. */
    assert(rc == 0 || oom);
    long result = rc < 0        ? jy_fail(err, 500, "internal_error", NULL, NULL)
                  : rd->stopped ? -2
                                : rd->data_rows;
    free(rd);
    return result;
}

void exam_file_close(struct exam_file *f)
{
    if (!f) return;
    free(f->converted);
    free(f);
}
