/* exam_file.c - see exam_file.h. The file itself is an api/csv_table.h table; this file
 * names its columns and turns each row into an exam_row. */
#include "api/exam_file.h"

#include <stdlib.h>
#include <string.h>

#include "api/csv_table.h"
#include "domain/id_number.h"

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
    COL_HBA1C,
    COL_ECG,
    COL_ULTRASOUND,
    COL_COUNT,
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
    {"hba1c", "糖化血红蛋白", "HbA1c", NULL},
    {"ecg", "心电图", NULL},
    {"ultrasound", "B超", "腹部B超", "超声", NULL},
};

static const struct csv_column COLUMNS[COL_COUNT] = {
    {HEADERS[COL_ID_NUMBER], 1}, {HEADERS[COL_EXAM_DATE], 1}, {HEADERS[COL_SBP], 0},
    {HEADERS[COL_DBP], 0},       {HEADERS[COL_FBG], 0},       {HEADERS[COL_TC], 0},
    {HEADERS[COL_TG], 0},        {HEADERS[COL_LDL], 0},       {HEADERS[COL_HDL], 0},
    {HEADERS[COL_HEIGHT], 0},    {HEADERS[COL_WEIGHT], 0},    {HEADERS[COL_BMI], 0},
    {HEADERS[COL_HBA1C], 0},     {HEADERS[COL_ECG], 0},       {HEADERS[COL_ULTRASOUND], 0},
};

static const struct csv_spec SPEC = {COLUMNS, COL_COUNT, EXAM_CONCLUSION_MAX};

/* Plausible bounds (in the parsed unit) outside which a value is a typing or unit error. */
static const struct {
    int scale, min, max;
} BOUNDS[COL_COUNT] = {
    [COL_SBP] = {0, 50, 300}, [COL_DBP] = {0, 30, 200},      [COL_FBG] = {1, 10, 400},
    [COL_TC] = {2, 50, 2000}, [COL_TG] = {2, 10, 5000},      [COL_LDL] = {2, 10, 1500},
    [COL_HDL] = {2, 10, 500}, [COL_HEIGHT] = {1, 400, 2500}, [COL_WEIGHT] = {1, 20, 3000},
    [COL_BMI] = {1, 80, 800}, [COL_HBA1C] = {1, 30, 200}, /* 3.0-20.0 % */
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

/* Turns csv_table's records into exam rows for the sink. */
struct reader {
    const struct exam_file_sink *sink;
    struct date today;
    const struct csv_record *rec;
};

static int reject(struct reader *rd, int c, const char *code)
{
    rd->sink->reject(rd->sink->ctx, rd->rec->row, c >= 0 ? HEADERS[c][0] : NULL, code);
    return -1;
}

static int read_number(struct reader *rd, int c, int *has, int *out)
{
    *has = 0;
    if (!rd->rec->present[c]) return 0;
    int v;
    if (exam_parse_decimal(rd->rec->field[c], BOUNDS[c].scale, &v) < 0)
        return reject(rd, c, "invalid_field");
    if (v < BOUNDS[c].min || v > BOUNDS[c].max) return reject(rd, c, "out_of_range");
    *has = 1;
    *out = v;
    return 0;
}

static int build_row(struct reader *rd, struct exam_row *row)
{
    memset(row, 0, sizeof *row);
    row->row = rd->rec->row;
    if (rd->rec->overflow) return reject(rd, rd->rec->overflow - 1, "too_long");
    struct id_number_info id;
    struct jy_error ignored;
    if (!rd->rec->present[COL_ID_NUMBER]) return reject(rd, COL_ID_NUMBER, "missing_field");
    if (id_number_parse(rd->rec->field[COL_ID_NUMBER], rd->today, "id_number", &id, &ignored) < 0)
        return reject(rd, COL_ID_NUMBER, "invalid_id_number");
    memcpy(row->id_number, id.normalized, sizeof row->id_number);
    if (!rd->rec->present[COL_EXAM_DATE]) return reject(rd, COL_EXAM_DATE, "missing_field");
    if (csv_parse_date(rd->rec->field[COL_EXAM_DATE], &row->exam_date) < 0 ||
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
        read_number(rd, COL_BMI, &v->has_bmi, &v->bmi_tenths) < 0 ||
        read_number(rd, COL_HBA1C, &row->has_hba1c, &row->hba1c_tenths) < 0)
        return -1;
    if (v->has_sbp != v->has_dbp)
        return reject(rd, v->has_sbp ? COL_DBP : COL_SBP, "missing_field");
    if (v->has_sbp && v->dbp >= v->sbp) return reject(rd, COL_DBP, "invalid_field");
    if (!v->has_bmi && row->has_height && row->has_weight) {
        v->bmi_tenths = exam_bmi_tenths(row->height_cm_tenths, row->weight_kg_tenths);
        v->has_bmi = v->bmi_tenths >= BOUNDS[COL_BMI].min && v->bmi_tenths <= BOUNDS[COL_BMI].max;
    }
    if (rd->rec->present[COL_ECG]) v->ecg = strcpy(row->ecg, rd->rec->field[COL_ECG]);
    if (rd->rec->present[COL_ULTRASOUND])
        v->ultrasound = strcpy(row->ultrasound, rd->rec->field[COL_ULTRASOUND]);
    if (!v->has_sbp && !v->has_fbg && !v->has_tc && !v->has_tg && !v->has_ldl && !v->has_hdl &&
        !v->has_bmi && !row->has_height && !row->has_weight && !row->has_hba1c && !v->ecg &&
        !v->ultrasound)
        return reject(rd, -1, "no_results");
    return 0;
}

static int on_record(void *ctx, const struct csv_record *rec)
{
    struct reader *rd = ctx;
    rd->rec = rec;
    struct exam_row row;
    if (build_row(rd, &row) < 0) return 0; /* rejected: reported, the file goes on */
    return rd->sink->row(rd->sink->ctx, &row);
}

struct exam_file {
    struct csv_table *table;
};

struct exam_file *exam_file_open(const char *data, size_t len, struct jy_error *err)
{
    struct exam_file *f = malloc(sizeof *f);
    if (!f) return jy_fail(err, 500, "internal_error", NULL, NULL), NULL;
    if (!(f->table = csv_table_open(&SPEC, data, len, err))) {
        free(f);
        return NULL;
    }
    return f;
}

long exam_file_rows(const struct exam_file *f)
{
    return csv_table_rows(f->table);
}

long exam_file_read(const struct exam_file *f, struct date today, const struct exam_file_sink *sink,
                    struct jy_error *err)
{
    struct reader rd = {sink, today, NULL};
    return csv_table_read(f->table, on_record, &rd, err);
}

void exam_file_close(struct exam_file *f)
{
    if (f) csv_table_close(f->table);
    free(f);
}
