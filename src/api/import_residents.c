/* import_residents.c - a residents file (a census, another system's register): one row a
 * person, with the household they belong to named by the file's own key (户编号), so the
 * members of a household, wherever they are in the file or in a later file, live together.
 * Every row is checked as POST /api/v1/residents checks one: the ID number's check digit,
 * sex and birth date agreeing with it, a village, grid or township the importer may register
 * people in. A person already registered under the ID number with the same name and place is
 * unchanged (a file sent again); under another name or place the row is refused, never
 * overwritten. Population classes follow PROTOCOLS.md §2 (age, disability, poverty, and a
 * key person's household). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/import_kind.h"
#include "domain/id_number.h"
#include "domain/population.h"
#include "json/jsonx.h"
#include "store/imports.h"
#include "store/population.h"
#include "store/registry.h"
#include "store/residents.h"
#include "util/strmap.h"

enum {
    COL_NAME,
    COL_ID_NUMBER,
    COL_REGION,
    COL_PHONE,
    COL_ADDRESS,
    COL_HOUSEHOLD,
    COL_RELATION,
    COL_SEX,
    COL_BIRTH_DATE,
    COL_DISABLED,
    COL_POVERTY,
    COL_COUNT
};

static const char *const HEADERS[COL_COUNT][6] = {
    {"name", "姓名", NULL},
    {"id_number", "身份证号", "身份证号码", "证件号码", "公民身份号码", NULL},
    {"region", "行政区划代码", "区划代码", "网格编码", "村居编码", NULL},
    {"phone", "联系电话", "电话", "手机号", "手机号码", NULL},
    {"address", "住址", "现住址", "家庭住址", "地址", NULL},
    {"household", "户编号", "家庭编号", "户号", NULL},
    {"relation", "与户主关系", "关系", NULL},
    {"sex", "性别", NULL},
    {"birth_date", "出生日期", NULL},
    {"disabled", "残疾", "是否残疾", NULL},
    {"poverty", "建档立卡", "脱贫户", "是否建档立卡", NULL},
};

static const struct csv_column COLUMNS[COL_COUNT] = {
    {HEADERS[COL_NAME], 1},     {HEADERS[COL_ID_NUMBER], 1}, {HEADERS[COL_REGION], 1},
    {HEADERS[COL_PHONE], 0},    {HEADERS[COL_ADDRESS], 0},   {HEADERS[COL_HOUSEHOLD], 0},
    {HEADERS[COL_RELATION], 0}, {HEADERS[COL_SEX], 0},       {HEADERS[COL_BIRTH_DATE], 0},
    {HEADERS[COL_DISABLED], 0}, {HEADERS[COL_POVERTY], 0},
};

static const struct csv_spec SPEC = {COLUMNS, COL_COUNT, 200};

/* Relations to the household's head, as the API names them, then as registers write them. */
static const char *const RELATIONS[][8] = {
    {"head", "户主", "本人", NULL},
    {"spouse", "配偶", "妻", "夫", "妻子", "丈夫", NULL},
    {"child", "子女", "子", "女", "儿子", "女儿", "长子", NULL},
    {"parent", "父母", "父亲", "母亲", NULL},
    {"grandchild", "孙子女", "孙子", "孙女", "外孙子", "外孙女", NULL},
    {"grandparent", "祖父母", "祖父", "祖母", "外祖父", "外祖母", NULL},
    {"sibling", "兄弟姐妹", "兄弟", "姐妹", NULL},
    {"child_in_law", "儿媳", "女婿", NULL},
    {"other", "其他", NULL},
};

struct resident_row {
    int row;
    char name[151], id_number[19], birth_date[11], phone[21], region[16], address[601],
        household[41];
    char sex;
    const char *relation; /* the API's name, or NULL */
    int disabled, poverty;
};

struct state {
    struct strmap regions;    /* division code -> 1 where people may be registered, else 0 */
    struct strmap households; /* the file's household keys -> household id */
    struct strmap seen;       /* ID numbers of the file's rows so far -> row */
    struct population_config population;
};

/* A place a person can live at: a township, a village or a grid cell, not a county. */
static int add_region(void *regions, const char *code, const char *level)
{
    int home = level &&
               (!strcmp(level, "village") || !strcmp(level, "grid") || !strcmp(level, "township"));
    return strmap_put(regions, code, home);
}

static int prepare(struct import_ctx *ic, struct db *reader)
{
    struct state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    ic->state = s;
    s->population = store_population_config(reader);
    return store_regions_each(reader, add_region, &s->regions);
}

static void cleanup(struct import_ctx *ic)
{
    struct state *s = ic->state;
    if (!s) return;
    strmap_free(&s->regions);
    strmap_free(&s->households);
    strmap_free(&s->seen);
    free(s);
    ic->state = NULL;
}

/* 是/否, yes/no, 1/0, true/false, Y/N; empty is no. -1 when none of these. */
static int parse_flag(const char *text)
{
    static const char *const YES[] = {"是",  "1",    "yes", "true", "y", "Y",
                                      "YES", "TRUE", "Yes", "True", NULL};
    static const char *const NO[] = {"否", "0",     "no", "false", "n", "N",
                                     "NO", "FALSE", "No", "False", "",  NULL};
    for (int i = 0; YES[i]; i++)
        if (!strcmp(text, YES[i])) return 1;
    for (int i = 0; NO[i]; i++)
        if (!strcmp(text, NO[i])) return 0;
    return -1;
}

static const char *parse_relation(const char *text)
{
    for (size_t r = 0; r < sizeof RELATIONS / sizeof RELATIONS[0]; r++)
        for (int i = 0; RELATIONS[r][i]; i++)
            if (!strcmp(text, RELATIONS[r][i])) return RELATIONS[r][0];
    return NULL;
}

static int phone_ok(const char *p)
{
    size_t digits = 0;
    for (size_t i = 0; p[i]; i++) {
        if (p[i] >= '0' && p[i] <= '9')
            digits++;
        else if (!(p[i] == '-' || p[i] == ' ' || (p[i] == '+' && i == 0)))
            return 0;
    }
    return digits >= 7 && digits <= 15;
}

#define REJECT(column, reason)                                                                     \
    (*field = (column) >= 0 ? HEADERS[(column)][0] : NULL, *code = (reason), 1)

static int parse(struct import_ctx *ic, const struct csv_record *rec, void *out, const char **field,
                 const char **code)
{
    struct state *s = ic->state;
    struct resident_row *row = out;
    const char *const *f = rec->field;
    memset(row, 0, sizeof *row);
    row->row = rec->row;
    if (rec->overflow) return REJECT(rec->overflow - 1, "too_long");
    long name_chars = jx_utf8_length(f[COL_NAME]);
    if (!rec->present[COL_NAME]) return REJECT(COL_NAME, "missing_field");
    if (name_chars > 50) return REJECT(COL_NAME, "too_long");
    if (!rec->present[COL_ID_NUMBER]) return REJECT(COL_ID_NUMBER, "missing_field");
    struct id_number_info id;
    struct jy_error ignored;
    if (id_number_parse(f[COL_ID_NUMBER], ic->req->today, "id_number", &id, &ignored) < 0)
        return REJECT(COL_ID_NUMBER, "invalid_id_number");
    int64_t first_row;
    if (strmap_get(&s->seen, id.normalized, &first_row))
        return REJECT(COL_ID_NUMBER, "duplicate_in_file");
    if (strmap_put(&s->seen, id.normalized, rec->row) < 0) return -1;
    if (rec->present[COL_SEX]) {
        const char *sx = f[COL_SEX];
        char sex = !strcmp(sx, "男") || !strcmp(sx, "M") || !strcmp(sx, "male")     ? 'M'
                   : !strcmp(sx, "女") || !strcmp(sx, "F") || !strcmp(sx, "female") ? 'F'
                                                                                    : 0;
        if (!sex) return REJECT(COL_SEX, "invalid_field");
        if (sex != id.sex) return REJECT(COL_SEX, "sex_mismatch");
    }
    if (rec->present[COL_BIRTH_DATE]) {
        struct date birth;
        if (csv_parse_date(f[COL_BIRTH_DATE], &birth) < 0)
            return REJECT(COL_BIRTH_DATE, "invalid_date");
        if (date_compare(birth, id.birth_date) != 0)
            return REJECT(COL_BIRTH_DATE, "birth_date_mismatch");
    }
    int64_t home;
    if (!rec->present[COL_REGION]) return REJECT(COL_REGION, "missing_field");
    if (!strmap_get(&s->regions, f[COL_REGION], &home) || !home)
        return REJECT(COL_REGION, "invalid_region");
    /* Outside the importer's grants: refused as the API refuses it (out_of_scope). */
    if (ic->req->scope && !scope_regions_cover(ic->req->scope, f[COL_REGION]))
        return REJECT(COL_REGION, "out_of_scope");
    if (rec->present[COL_PHONE] && (strlen(f[COL_PHONE]) > 20 || !phone_ok(f[COL_PHONE])))
        return REJECT(COL_PHONE, "invalid_field");
    if (rec->present[COL_HOUSEHOLD] && strlen(f[COL_HOUSEHOLD]) > 40)
        return REJECT(COL_HOUSEHOLD, "too_long");
    if (rec->present[COL_RELATION] && !(row->relation = parse_relation(f[COL_RELATION])))
        return REJECT(COL_RELATION, "invalid_field");
    if ((row->disabled = parse_flag(f[COL_DISABLED])) < 0)
        return REJECT(COL_DISABLED, "invalid_field");
    if ((row->poverty = parse_flag(f[COL_POVERTY])) < 0)
        return REJECT(COL_POVERTY, "invalid_field");
    snprintf(row->name, sizeof row->name, "%s", f[COL_NAME]);
    memcpy(row->id_number, id.normalized, sizeof row->id_number);
    date_format(id.birth_date, row->birth_date);
    row->sex = id.sex;
    snprintf(row->phone, sizeof row->phone, "%s", f[COL_PHONE]);
    snprintf(row->region, sizeof row->region, "%s", f[COL_REGION]);
    snprintf(row->address, sizeof row->address, "%s", f[COL_ADDRESS]);
    snprintf(row->household, sizeof row->household, "%s", f[COL_HOUSEHOLD]);
    return 0;
}

/* The household a row joins: the one its key names (in this file or an earlier import), or a
 * new one (keyed when the row names a key). *created says it is new. Its id, or -1. */
static int64_t household_for(struct state *s, struct db *db, const struct resident_row *row,
                             const char *county, int *created)
{
    int64_t id = 0;
    *created = 0;
    if (row->household[0]) {
        if (strmap_get(&s->households, row->household, &id)) return id;
        if ((id = store_household_by_key(db, row->household)) < 0) return -1;
    }
    if (!id) {
        id = store_household_insert_keyed(db, row->region, row->address[0] ? row->address : NULL,
                                          county, row->household[0] ? row->household : NULL);
        *created = id > 0;
    }
    if (id > 0 && row->household[0] && strmap_put(&s->households, row->household, id) < 0)
        return -1;
    return id;
}

static int store(struct import_ctx *ic, struct db *db, const void *in, int64_t *resident,
                 const char **field, const char **code)
{
    struct state *s = ic->state;
    const struct resident_row *row = in;
    char county[7], today[11];
    snprintf(county, sizeof county, "%.6s", row->region);
    date_format(ic->req->today, today);
    /* Registered already: the same person (a file sent again) or a conflict to report. */
    if (store_resident_id_number_taken(db, row->id_number)) {
        int same = store_resident_matches(db, row->id_number, row->name, row->region);
        if (same < 0) return -1;
        if (same) return ROW_UNCHANGED;
        (void)REJECT(COL_ID_NUMBER, "duplicate_id_number");
        return ROW_REJECTED;
    }
    int created;
    int64_t household = household_for(s, db, row, county, &created);
    if (household < 0) return -1;
    struct person_facts facts = {0};
    date_parse(row->birth_date, &facts.birth_date);
    facts.disabled = row->disabled;
    facts.poverty_registered = row->poverty;
    const char *relation = row->relation ? row->relation : created ? "head" : NULL;
    struct import_resident r = {row->name,
                                row->id_number,
                                row->birth_date,
                                row->phone[0] ? row->phone : NULL,
                                row->region,
                                row->address[0] ? row->address : NULL,
                                relation,
                                county,
                                row->sex,
                                household,
                                row->disabled,
                                row->poverty,
                                population_is_key(&facts, &s->population, ic->req->today) ? 1 : 3};
    int64_t id = store_import_resident(db, &r);
    if (id < 0) return -1;
    if (id == 0) { /* registered meanwhile by another server */
        (void)REJECT(COL_ID_NUMBER, "duplicate_id_number");
        return ROW_REJECTED;
    }
    if ((relation && !strcmp(relation, "head") &&
         store_household_set_head(db, household, id) < 0) ||
        store_record_create(db, id, today) < 0)
        return -1;
    *resident = id;
    return ROW_ACCEPTED;
}

static int settle(struct import_ctx *ic, struct db *db, int64_t first, int64_t last)
{
    (void)ic;
    return first ? store_import_households_settle(db, first, last) : 0;
}

const struct import_kind IMPORT_RESIDENTS = {
    "residents",
    &SPEC,
    "resident",
    ACT_RESIDENT_WRITE,
    sizeof(struct resident_row),
    prepare,
    parse,
    store,
    settle,
    1,
    cleanup,
};
