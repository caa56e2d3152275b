/* import_records.c - files of records about people already registered, as a hospital's or
 * the old public-health system's exports carry them: diagnoses, programme enrolments and
 * encounters. A row names its person by ID number (and may add the name, which must then
 * agree: a wrong digit in another system's register is caught rather than filed on the
 * wrong person). A person who is not registered, or lives outside the importer's grants,
 * is `unknown_resident` alike, so a file never tells whether someone lives elsewhere. Each
 * row is checked as the API checks the same write (POST /residents/{id}/diagnoses, POST
 * /enrolments, POST /encounters); a row already stored as it is counts as unchanged, so a
 * file sent again doubles nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/import_kind.h"
#include "api/protocols.h"
#include "domain/enrolment.h"
#include "domain/icd10.h"
#include "json/jsonx.h"
#include "store/entitlement_use.h"
#include "store/imports.h"
#include "store/population.h"
#include "store/residents.h"
#include "store/services.h"

#define REJECT(headers, column, reason) (*field = (headers)[(column)][0], *code = (reason), 1)
enum { COL_ID_NUMBER = IMPORT_COL_ID_NUMBER, COL_NAME = IMPORT_COL_NAME };

/* A date column that must be given and not after today: 0, or 1 rejected. */
static int parse_past_date(struct import_ctx *ic, const struct csv_record *rec, int column,
                           char out[11], const char *const (*headers)[6], const char **field,
                           const char **code)
{
    struct date d;
    if (!rec->present[column]) return REJECT(headers, column, "missing_field");
    if (csv_parse_date(rec->field[column], &d) < 0 || date_compare(d, ic->req->today) > 0)
        return REJECT(headers, column, "invalid_date");
    date_format(d, out);
    return 0;
}

/* ---- diagnoses ------------------------------------------------------------------------ */

enum { DX_ICD10 = 2, DX_DIAGNOSED_ON, DX_NOTE, DX_COUNT };
static const char *const DX_HEADERS[DX_COUNT][6] = {
    IMPORT_PERSON_HEADERS,
    {"icd10", "ICD-10", "ICD10", "诊断编码", "疾病编码", NULL},
    {"diagnosed_on", "诊断日期", "确诊日期", NULL},
    {"note", "备注", "诊断名称", NULL},
};
static const struct csv_column DX_COLUMNS[DX_COUNT] = {
    {DX_HEADERS[COL_ID_NUMBER], 1},   {DX_HEADERS[COL_NAME], 0}, {DX_HEADERS[DX_ICD10], 1},
    {DX_HEADERS[DX_DIAGNOSED_ON], 1}, {DX_HEADERS[DX_NOTE], 0},
};
/* Up to 1,600 bytes: a note of 500 Chinese characters, as the single write takes. */
static const struct csv_spec DX_SPEC = {DX_COLUMNS, DX_COUNT, 1600};

struct diagnosis_file_row {
    struct import_person_ref p;
    char icd10[9], diagnosed_on[11], note[1601];
};

static int dx_parse(struct import_ctx *ic, const struct csv_record *rec, void *out,
                    const char **field, const char **code)
{
    struct diagnosis_file_row *row = out;
    memset(row, 0, sizeof *row);
    if (import_parse_person(ic, rec, &row->p, DX_HEADERS, field, code)) return 1;
    if (!rec->present[DX_ICD10]) return REJECT(DX_HEADERS, DX_ICD10, "missing_field");
    if (strlen(rec->field[DX_ICD10]) > 8 || !icd10_valid(rec->field[DX_ICD10]))
        return REJECT(DX_HEADERS, DX_ICD10, "invalid_field");
    snprintf(row->icd10, sizeof row->icd10, "%s", rec->field[DX_ICD10]);
    if (parse_past_date(ic, rec, DX_DIAGNOSED_ON, row->diagnosed_on, DX_HEADERS, field, code))
        return 1;
    if (jx_utf8_length(rec->field[DX_NOTE]) > 500) return REJECT(DX_HEADERS, DX_NOTE, "too_long");
    snprintf(row->note, sizeof row->note, "%s", rec->field[DX_NOTE]);
    return 0;
}

static int dx_store(struct import_ctx *ic, struct db *db, const void *in, int64_t *resident,
                    const char **field, const char **code)
{
    const struct diagnosis_file_row *row = in;
    struct import_person person;
    int found = import_find_person(ic, db, &row->p, &person, field, code);
    if (found <= 0) return found < 0 ? -1 : ROW_REJECTED;
    *resident = person.id;
    int there = store_import_diagnosis_exists(db, person.id, row->icd10, row->diagnosed_on);
    if (there) return there < 0 ? -1 : ROW_UNCHANGED;
    return store_diagnosis_insert(db, person.id, row->icd10, row->diagnosed_on,
                                  row->note[0] ? row->note : NULL) < 0
               ? -1
               : ROW_ACCEPTED;
}

const struct import_kind IMPORT_DIAGNOSES = {
    "diagnoses",
    &DX_SPEC,
    "diagnosis",
    ACT_CLINICAL_WRITE,
    sizeof(struct diagnosis_file_row),
    NULL,
    dx_parse,
    dx_store,
    NULL,
    0,
    NULL,
};

/* ---- enrolments ----------------------------------------------------------------------- */

enum { EN_PROGRAM = 2, EN_START_DATE, EN_COUNT };
static const char *const EN_HEADERS[EN_COUNT][6] = {
    IMPORT_PERSON_HEADERS,
    {"program", "项目", "管理项目", "管理类别", NULL},
    {"start_date", "纳入日期", "纳入管理日期", "建档日期", "开始日期", NULL},
};
static const struct csv_column EN_COLUMNS[EN_COUNT] = {
    {EN_HEADERS[COL_ID_NUMBER], 1},
    {EN_HEADERS[COL_NAME], 0},
    {EN_HEADERS[EN_PROGRAM], 1},
    {EN_HEADERS[EN_START_DATE], 1},
};
static const struct csv_spec EN_SPEC = {EN_COLUMNS, EN_COUNT, 200};

static const char *const PROGRAMS[][6] = {
    {"hypertension", "高血压", "原发性高血压", NULL},
    {"diabetes", "糖尿病", "2型糖尿病", NULL},
    {"smd", "严重精神障碍", "重性精神病", NULL},
    {"elderly", "老年人", "65岁及以上老年人", NULL},
    {"child", "儿童", "0-6岁儿童", "0–6岁儿童", NULL},
    {"maternal", "孕产妇", NULL},
    {"copd", "慢阻肺", "慢性阻塞性肺疾病", NULL},
};

struct enrolment_file_row {
    struct import_person_ref p;
    const char *program;
    char start_date[11];
};

struct enrolment_state {
    struct population_config population;
};

static int en_prepare(struct import_ctx *ic, struct db *reader)
{
    struct enrolment_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    s->population = store_population_config(reader);
    ic->state = s;
    return 0;
}

static void free_state(struct import_ctx *ic)
{
    free(ic->state);
    ic->state = NULL;
}

static int en_parse(struct import_ctx *ic, const struct csv_record *rec, void *out,
                    const char **field, const char **code)
{
    struct enrolment_file_row *row = out;
    memset(row, 0, sizeof *row);
    if (import_parse_person(ic, rec, &row->p, EN_HEADERS, field, code)) return 1;
    if (!rec->present[EN_PROGRAM]) return REJECT(EN_HEADERS, EN_PROGRAM, "missing_field");
    row->program = IMPORT_CODE_OF(rec->field[EN_PROGRAM], PROGRAMS);
    /* TB is enrolled by the TB institution's notice: refused as POST /enrolments refuses it. */
    if (!row->program) {
        int known = !strcmp(rec->field[EN_PROGRAM], "tb");
        return REJECT(EN_HEADERS, EN_PROGRAM, known ? "no_protocol" : "invalid_field");
    }
    return parse_past_date(ic, rec, EN_START_DATE, row->start_date, EN_HEADERS, field, code);
}

static int en_store(struct import_ctx *ic, struct db *db, const void *in, int64_t *resident,
                    const char **field, const char **code)
{
    const struct enrolment_state *s = ic->state;
    const struct enrolment_file_row *row = in;
    struct import_person person;
    int found = import_find_person(ic, db, &row->p, &person, field, code);
    if (found <= 0) return found < 0 ? -1 : ROW_REJECTED;
    *resident = person.id;
    char open_start[11];
    int open = store_import_enrolment_open(db, person.id, row->program, open_start);
    if (open < 0) return -1;
    if (open) { /* the same enrolment again, or another that is still open */
        if (!strcmp(open_start, row->start_date)) return ROW_UNCHANGED;
        (void)REJECT(EN_HEADERS, EN_PROGRAM, "already_enrolled");
        return ROW_REJECTED;
    }
    if (strcmp(person.status, "alive")) {
        (void)REJECT(EN_HEADERS, COL_ID_NUMBER, "not_alive");
        return ROW_REJECTED;
    }
    struct date birth, start;
    char sex[2] = {person.sex, '\0'};
    date_parse(person.birth_date, &birth);
    date_parse(row->start_date, &start);
    if (!enrolment_eligible(row->program, date_age_years(birth, start), sex, &s->population)) {
        (void)REJECT(EN_HEADERS, EN_PROGRAM, "not_eligible");
        return ROW_REJECTED;
    }
    if (store_enrolment_insert(db, person.id, row->program, row->start_date) < 0 ||
        store_recompute_household(db, person.household_id, person.id, ic->req->today) < 0)
        return -1;
    return ROW_ACCEPTED;
}

const struct import_kind IMPORT_ENROLMENTS = {
    "enrolments",
    &EN_SPEC,
    "enrolment",
    ACT_CLINICAL_WRITE,
    sizeof(struct enrolment_file_row),
    en_prepare,
    en_parse,
    en_store,
    NULL,
    0,
    free_state,
};

/* ---- encounters ----------------------------------------------------------------------- */

enum {
    EC_DATE = 2,
    EC_INSTITUTION,
    EC_IN_COUNTY,
    EC_PROGRAM,
    EC_KIND,
    EC_DISCHARGE,
    EC_DIAGNOSES,
    EC_COUNT
};
static const char *const EC_HEADERS[EC_COUNT][6] = {
    IMPORT_PERSON_HEADERS,
    {"encounter_date", "就诊日期", "接诊日期", "入院日期", NULL},
    {"institution", "机构编码", "医疗机构编码", "就诊机构编码", NULL},
    {"in_county", "县域内", "是否县域内", NULL},
    {"chronic_program", "慢病", "慢病类别", NULL},
    {"kind", "就诊类型", "就诊方式", NULL},
    {"discharge_date", "出院日期", NULL},
    {"diagnoses", "诊断编码", "ICD-10", "疾病编码", NULL},
};
static const struct csv_column EC_COLUMNS[EC_COUNT] = {
    {EC_HEADERS[COL_ID_NUMBER], 1},  {EC_HEADERS[COL_NAME], 0},     {EC_HEADERS[EC_DATE], 1},
    {EC_HEADERS[EC_INSTITUTION], 0}, {EC_HEADERS[EC_IN_COUNTY], 0}, {EC_HEADERS[EC_PROGRAM], 0},
    {EC_HEADERS[EC_KIND], 0},        {EC_HEADERS[EC_DISCHARGE], 0}, {EC_HEADERS[EC_DIAGNOSES], 0},
};
static const struct csv_spec EC_SPEC = {EC_COLUMNS, EC_COUNT, 200};

struct encounter_file_row {
    struct import_person_ref p;
    char date[11], institution[41], discharge[11];
    char diagnoses[256]; /* a JSON array's text, "" when none */
    int in_county;       /* -1 not given */
    const char *program, *kind;
};

/* "I63.9;I10" or "I63.9, I10" (a register's one column) as a JSON array's text: 1 and
 * rejected when a code is not ICD-10. */
static int parse_diagnoses(const char *text, char *out, size_t size)
{
    size_t at = 0;
    char code[16];
    int n = 0;
    out[0] = '\0';
    while (*text) {
        const char *was = text;
        size_t len = strcspn(text, ",;，； ");
        if (len && len < sizeof code) {
            memcpy(code, text, len);
            code[len] = '\0';
            for (char *c = code; *c; c++)
                if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 'a' + 'A');
            if (!icd10_valid(code) || at + len + 4 >= size) return 1;
            at += (size_t)snprintf(out + at, size - at, "%s\"%s\"", n++ ? "," : "[", code);
        } else if (len) {
            return 1;
        }
        text += len;
        while (*text && strchr(",; ", *text))
            text++;
        if (!strncmp(text, "，", 3) || !strncmp(text, "；", 3)) text += 3;
        if (text == was) return 1; /* a character that is neither a code nor a separator */
    }
    if (n) snprintf(out + at, size - at, "]");
    return 0;
}

struct encounter_state {
    struct entitlement_rules rules;
};

static int ec_prepare(struct import_ctx *ic, struct db *reader)
{
    struct encounter_state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    ic->state = s;
    return store_entitlement_rules_load(reader, &s->rules);
}

static void ec_cleanup(struct import_ctx *ic)
{
    struct encounter_state *s = ic->state;
    if (s) store_entitlement_rules_free(&s->rules);
    free_state(ic);
}

static int ec_parse(struct import_ctx *ic, const struct csv_record *rec, void *out,
                    const char **field, const char **code)
{
    static const char *const YES_NO[][6] = {{"1", "是", "yes", "true", "Y", NULL},
                                            {"0", "否", "no", "false", "N", NULL}};
    struct encounter_file_row *row = out;
    memset(row, 0, sizeof *row);
    if (import_parse_person(ic, rec, &row->p, EC_HEADERS, field, code)) return 1;
    if (parse_past_date(ic, rec, EC_DATE, row->date, EC_HEADERS, field, code)) return 1;
    if (strlen(rec->field[EC_INSTITUTION]) > 40)
        return REJECT(EC_HEADERS, EC_INSTITUTION, "too_long");
    snprintf(row->institution, sizeof row->institution, "%s", rec->field[EC_INSTITUTION]);
    row->in_county = -1;
    if (rec->present[EC_IN_COUNTY]) {
        const char *v = IMPORT_CODE_OF(rec->field[EC_IN_COUNTY], YES_NO);
        if (!v) return REJECT(EC_HEADERS, EC_IN_COUNTY, "invalid_field");
        row->in_county = !strcmp(v, "1");
    }
    /* Without an institution (a hospital outside the grid) only the file knows where. */
    if (!row->institution[0] && row->in_county < 0)
        return REJECT(EC_HEADERS, EC_IN_COUNTY, "missing_field");
    if (rec->present[EC_PROGRAM] &&
        !(row->program =
              import_code_of(rec->field[EC_PROGRAM], PROGRAMS, 2))) /* hypertension, diabetes */
        return REJECT(EC_HEADERS, EC_PROGRAM, "invalid_field");
    static const char *const KINDS[][6] = {{"outpatient", "门诊", NULL},
                                           {"inpatient", "住院", NULL},
                                           {"home_visit", "上门", "上门服务", "家庭访视", NULL},
                                           {"telephone", "电话", "电话咨询", NULL}};
    if (rec->present[EC_KIND] && !(row->kind = IMPORT_CODE_OF(rec->field[EC_KIND], KINDS)))
        return REJECT(EC_HEADERS, EC_KIND, "invalid_field");
    if (rec->present[EC_DISCHARGE]) {
        struct date left, in;
        if (!row->kind || strcmp(row->kind, "inpatient") != 0)
            return REJECT(EC_HEADERS, EC_DISCHARGE, "invalid_field");
        date_parse(row->date, &in);
        if (csv_parse_date(rec->field[EC_DISCHARGE], &left) < 0 ||
            date_compare(left, ic->req->today) > 0 || date_compare(left, in) < 0)
            return REJECT(EC_HEADERS, EC_DISCHARGE, "invalid_date");
        date_format(left, row->discharge);
    }
    if (rec->present[EC_DIAGNOSES] &&
        parse_diagnoses(rec->field[EC_DIAGNOSES], row->diagnoses, sizeof row->diagnoses))
        return REJECT(EC_HEADERS, EC_DIAGNOSES, "invalid_field");
    return 0;
}

static int ec_store(struct import_ctx *ic, struct db *db, const void *in, int64_t *resident,
                    const char **field, const char **code)
{
    const struct encounter_state *s = ic->state;
    const struct encounter_file_row *row = in;
    struct import_person person;
    int found = import_find_person(ic, db, &row->p, &person, field, code);
    if (found <= 0) return found < 0 ? -1 : ROW_REJECTED;
    *resident = person.id;
    int64_t institution = 0;
    char level[16] = "", region[16] = "", county[7];
    if (row->institution[0]) {
        int known = store_import_institution(db, row->institution, &institution, level, region);
        if (known <= 0) {
            if (known < 0) return -1;
            (void)REJECT(EC_HEADERS, EC_INSTITUTION, "invalid_field");
            return ROW_REJECTED;
        }
    }
    int there = store_import_encounter_exists(db, person.id, row->date, institution);
    if (there) return there < 0 ? -1 : ROW_UNCHANGED;
    snprintf(county, sizeof county, "%.6s", person.region);
    struct encounter_input e = {person.id, row->date, institution,  0,      row->in_county > 0,
                                0,         0,         row->program, county, 0};
    e.kind = row->kind;
    e.discharge_date = row->discharge[0] ? row->discharge : NULL;
    e.diagnoses = row->diagnoses[0] ? row->diagnoses : NULL;
    if (institution) { /* as POST /encounters: the institution says where it was */
        e.primary_care = !strcmp(level, "primary") || !strcmp(level, "village");
        e.in_county = !strncmp(region, person.region, 6);
    }
    int64_t id = store_encounter_insert(db, &e);
    struct service_record use = {.kind = SOURCE_ENCOUNTER};
    date_parse(row->date, &use.date);
    if (id < 0 || store_entitlement_use(db, &s->rules, person.id, id, 0, &use, NULL) < 0) return -1;
    return ROW_ACCEPTED;
}

const struct import_kind IMPORT_ENCOUNTERS = {
    "encounters",
    &EC_SPEC,
    "encounter",
    ACT_ENCOUNTER_WRITE,
    sizeof(struct encounter_file_row),
    ec_prepare,
    ec_parse,
    ec_store,
    NULL,
    0,
    ec_cleanup,
};
