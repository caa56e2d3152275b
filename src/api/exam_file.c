/* exam_file.c - see exam_file.h. */
#include "api/exam_file.h"

#include <csv.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "domain/id_number.h"
#include "json/jsonx.h"

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

struct reader {
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
};

static void on_field(void *text, size_t len, void *arg)
{
    struct reader *rd = arg;
    int pos = rd->columns++;
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
    if (rd->row++ > 0 && !rd->stopped && !(blank && rd->columns <= 1)) {
        rd->data_rows++;
        struct exam_row row;
        if (build_row(rd, &row) == 0 && rd->sink->row(rd->sink->ctx, &row) < 0) rd->stopped = 1;
    }
    rd->columns = 0;
    rd->overflow = 0;
    memset(rd->present, 0, sizeof rd->present);
}

static int valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        int n = *p < 0x80             ? 0
                : (*p & 0xE0) == 0xC0 ? 1
                : (*p & 0xF0) == 0xE0 ? 2
                : (*p & 0xF8) == 0xF0 ? 3
                                      : -1;
        if (n < 0 || end - p <= n) return n == 0;
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xC0) != 0x80) return 0;
        p += n + 1;
    }
    return 1;
}

/* A GB18030 file converted to UTF-8 (malloc'd, *len updated), or NULL if it is not one. */
static char *from_gb18030(const char *data, size_t *len)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) return NULL;
    size_t in_left = *len, out_size = *len * 2 + 16, out_left = out_size;
    char *out = malloc(out_size), *in = (char *)data, *o = out;
    size_t rc = out ? iconv(cd, &in, &in_left, &o, &out_left) : (size_t)-1;
    iconv_close(cd);
    if (rc == (size_t)-1) {
        free(out);
        return NULL;
    }
    *len = out_size - out_left;
    return out;
}

long exam_file_read(const char *data, size_t len, struct date today,
                    const struct exam_file_sink *sink, struct jy_error *err)
{
    if (!data || len == 0) return jy_fail(err, 422, "empty_file", NULL, "no rows");
    char *converted = NULL;
    if (!valid_utf8(data, len)) {
        if (!(converted = from_gb18030(data, &len)))
            return jy_fail(err, 422, "invalid_encoding", NULL, "neither UTF-8 nor GB18030");
        data = converted;
    }
    struct reader *rd = calloc(1, sizeof *rd);
    struct csv_parser parser;
    if (!rd || csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        free(rd);
        free(converted);
        return jy_fail(err, 500, "internal_error", NULL, NULL);
    }
    rd->sink = sink;
    rd->today = today;
    long result;
    /* The header alone first, so a file without the key columns is refused before any row. */
    const char *eol = memchr(data, '\n', len);
    size_t header_len = eol ? (size_t)(eol - data) + 1 : len;
    csv_parse(&parser, data, header_len, on_field, on_record, rd);
    if (!eol) csv_fini(&parser, on_field, on_record, rd);
    int has_id = 0, has_date = 0;
    for (int i = 0; i < rd->mapped; i++)
        has_id |= rd->map[i] == COL_ID_NUMBER, has_date |= rd->map[i] == COL_EXAM_DATE;
    if (rd->row == 0 || !has_id || !has_date) {
        result = jy_fail(err, 422, "missing_field", has_id ? "exam_date" : "id_number",
                         "a header row naming the columns");
    } else {
        if (csv_parse(&parser, data + header_len, len - header_len, on_field, on_record, rd) !=
                len - header_len ||
            csv_fini(&parser, on_field, on_record, rd) != 0)
            result = jy_fail(err, 422, "invalid_csv", NULL, "%s at row %d",
                             csv_strerror(csv_error(&parser)), rd->row + 1);
        else
            result = rd->stopped ? -2 : rd->data_rows;
    }
    csv_free(&parser);
    free(rd);
    free(converted);
    return result;
}
