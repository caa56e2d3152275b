/* import_followups.c - a file of chronic-disease follow-ups from another system (the old
 * public-health system's 高血压/糖尿病随访记录): hypertension and diabetes visits of registered,
 * enrolled people. Each row is read as POST /followups reads one (protocol_read: the same
 * fields, ranges and codes) and evaluated by the same engine with what the record knows on
 * that day: the age, and the uncontrolled visits in a row before it, so the classification,
 * the action and the next due date are what jiayi would have said then. As with a visit
 * recorded by hand, the programme's open follow-up task closes and the next one is created,
 * and the visit uses up its entitlement on the contract in force that day. What a history
 * cannot do is left out: no health points are awarded and no referral is proposed for a visit
 * long past (the doctor sees the latest result on the record and in the work list).
 *
 * A person's visits must come in date order: a row dated before the latest visit already
 * recorded for the programme is refused (`earlier_than_recorded`), since the visits after it
 * were evaluated without it. A row for a day that already has a visit of the programme is
 * unchanged (a file sent again). The other programmes (SMD, the elderly assessment, child
 * and maternal visits) carry answers and schedules a flat file does not hold: entered in the
 * forms, not imported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/import_kind.h"
#include "api/protocols.h"
#include "json/jsondump.h"
#include "json/jsonx.h"
#include "store/entitlement_use.h"
#include "store/followups.h"
#include "store/imports.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/work.h"

enum {
    COL_ID_NUMBER,
    COL_NAME,
    COL_PROGRAM,
    COL_VISIT_DATE,
    COL_SBP,
    COL_DBP,
    COL_FBG,
    COL_HEART_RATE,
    COL_WEIGHT,
    COL_HBA1C,
    COL_MODE,
    COL_ADHERENCE,
    COL_NOTE,
    COL_COUNT
};

static const char *const HEADERS[COL_COUNT][6] = {
    IMPORT_PERSON_HEADERS,
    {"program", "项目", "随访类别", "管理类别", NULL},
    {"visit_date", "随访日期", NULL},
    {"sbp", "收缩压", NULL},
    {"dbp", "舒张压", NULL},
    {"fbg", "空腹血糖", NULL},
    {"heart_rate", "心率", NULL},
    {"weight_kg", "体重", NULL},
    {"hba1c", "糖化血红蛋白", "HbA1c", NULL},
    {"mode", "随访方式", "方式", NULL},
    {"medication_adherence", "服药依从性", NULL},
    {"note", "备注", "随访意见", NULL},
};

static const struct csv_column COLUMNS[COL_COUNT] = {
    {HEADERS[COL_ID_NUMBER], 1},  {HEADERS[COL_NAME], 0},       {HEADERS[COL_PROGRAM], 1},
    {HEADERS[COL_VISIT_DATE], 1}, {HEADERS[COL_SBP], 0},        {HEADERS[COL_DBP], 0},
    {HEADERS[COL_FBG], 0},        {HEADERS[COL_HEART_RATE], 0}, {HEADERS[COL_WEIGHT], 0},
    {HEADERS[COL_HBA1C], 0},      {HEADERS[COL_MODE], 0},       {HEADERS[COL_ADHERENCE], 0},
    {HEADERS[COL_NOTE], 0},
};

/* Fields up to 1,600 bytes: a note of 500 Chinese characters, as the single write takes. */
static const struct csv_spec SPEC = {COLUMNS, COL_COUNT, 1600};

/* Codes as the file writes them: the API's code first. */
static const char *const PROGRAMS[][6] = {
    {"hypertension", "高血压", "原发性高血压", NULL},
    {"diabetes", "糖尿病", "2型糖尿病", NULL},
};
static const char *const MODES[][6] = {
    {"clinic", "门诊", NULL},
    {"home_visit", "家庭", "入户", "上门", NULL},
    {"phone", "电话", NULL},
};
static const char *const ADHERENCE[][6] = {
    {"regular", "规律", NULL},
    {"intermittent", "间断", NULL},
    {"none", "不服药", NULL},
};

#define REJECT(column, reason) (*field = HEADERS[(column)][0], *code = (reason), 1)

/* The measurement columns that go to the engine as POST /followups takes them. */
static const int MEASURES[] = {COL_SBP, COL_DBP, COL_FBG, COL_HEART_RATE};

struct followup_file_row {
    struct import_person_ref p;
    char visit_date[11];
    const char *program, *mode, *adherence;
    /* the measures as the file wrote them (checked), for the engine's body */
    char measures[4][16];
    int has_weight, has_hba1c;
    double weight, hba1c;
    char note[1601];
};

struct state {
    struct protocol_config config;
    struct entitlement_rules rules;
};

static int prepare(struct import_ctx *ic, struct db *reader)
{
    struct state *s = calloc(1, sizeof *s);
    if (!s) return -1;
    ic->state = s;
    s->config = store_protocol_config(reader);
    return store_entitlement_rules_load(reader, &s->rules);
}

static void cleanup(struct import_ctx *ic)
{
    struct state *s = ic->state;
    if (s) store_entitlement_rules_free(&s->rules);
    free(s);
    ic->state = NULL;
}

/* The body POST /followups would receive for the row: visit_date, the measures, no findings. */
static json_t *engine_body(const struct followup_file_row *row)
{
    json_t *body = json_pack("{s:s, s:[]}", "visit_date", row->visit_date, "findings");
    for (size_t i = 0; body && i < sizeof MEASURES / sizeof MEASURES[0]; i++) {
        if (!row->measures[i][0]) continue;
        json_t *v = json_loads(row->measures[i], JSON_DECODE_ANY, NULL);
        json_object_set_new(body, HEADERS[MEASURES[i]][0], v ? v : json_string(row->measures[i]));
    }
    return body;
}

/* A number column for jx_number's checks: 0, or 1 rejected. */
static int parse_number(const struct csv_record *rec, int column, double min, double max, int *has,
                        double *out, const char **field, const char **code)
{
    *has = 0;
    if (!rec->present[column]) return 0;
    char *end;
    *out = strtod(rec->field[column], &end);
    if (*end || !(*out >= min && *out <= max)) return REJECT(column, "invalid_field"); /* NaN too */
    *has = 1;
    return 0;
}

static int parse(struct import_ctx *ic, const struct csv_record *rec, void *out, const char **field,
                 const char **code)
{
    struct followup_file_row *row = out;
    const char *const *f = rec->field;
    memset(row, 0, sizeof *row);
    if (import_parse_person(ic, rec, &row->p, HEADERS, field, code)) return 1;
    if (!rec->present[COL_PROGRAM]) return REJECT(COL_PROGRAM, "missing_field");
    if (!(row->program = IMPORT_CODE_OF(f[COL_PROGRAM], PROGRAMS)))
        return REJECT(COL_PROGRAM, "invalid_field");
    struct date visit;
    if (!rec->present[COL_VISIT_DATE]) return REJECT(COL_VISIT_DATE, "missing_field");
    if (csv_parse_date(f[COL_VISIT_DATE], &visit) < 0 || date_compare(visit, ic->req->today) > 0 ||
        date_compare(visit, row->p.birth) < 0)
        return REJECT(COL_VISIT_DATE, "invalid_date");
    date_format(visit, row->visit_date);
    for (size_t i = 0; i < sizeof MEASURES / sizeof MEASURES[0]; i++) {
        if (strlen(f[MEASURES[i]]) >= sizeof row->measures[i])
            return REJECT(MEASURES[i], "invalid_field");
        snprintf(row->measures[i], sizeof row->measures[i], "%s", f[MEASURES[i]]);
    }
    /* The engine's own reading of the measures: its ranges and its required fields. */
    json_t *body = engine_body(row);
    if (!body) return -1;
    struct protocol_input in;
    struct jy_error err;
    int bad = protocol_read(body, (enum protocol_program)protocol_program_parse(row->program), 1,
                            &in, &err) < 0;
    json_decref(body);
    if (bad) { /* named by the column it came from; a field no column holds names the row */
        for (int c = 0; c < COL_COUNT; c++)
            if (!strcmp(err.field, HEADERS[c][0])) return REJECT(c, err.code);
        *field = NULL;
        *code = err.code;
        return 1;
    }
    if (parse_number(rec, COL_WEIGHT, 0.5, 400, &row->has_weight, &row->weight, field, code) ||
        parse_number(rec, COL_HBA1C, 3, 20, &row->has_hba1c, &row->hba1c, field, code))
        return 1;
    row->mode = "clinic";
    if (rec->present[COL_MODE] && !(row->mode = IMPORT_CODE_OF(f[COL_MODE], MODES)))
        return REJECT(COL_MODE, "invalid_field");
    if (rec->present[COL_ADHERENCE] &&
        !(row->adherence = IMPORT_CODE_OF(f[COL_ADHERENCE], ADHERENCE)))
        return REJECT(COL_ADHERENCE, "invalid_field");
    if (jx_utf8_length(f[COL_NOTE]) > 500) return REJECT(COL_NOTE, "too_long");
    snprintf(row->note, sizeof row->note, "%s", f[COL_NOTE]);
    return 0;
}

/* Who the next task goes to: the contracted doctor and team, else the team serving the cell. */
static int task_owner(struct db *db, int64_t resident, const char *region, int64_t *team,
                      int64_t *doctor)
{
    *team = *doctor = 0;
    json_t *brief = store_resident_brief(db, resident);
    if (!brief) return -1;
    json_t *contract = json_object_get(brief, "contract");
    if (json_is_object(contract)) {
        *team = json_integer_value(json_object_get(contract, "team_id"));
        *doctor = json_integer_value(json_object_get(contract, "doctor_id"));
    } else {
        int64_t t = store_team_for_region(db, region, doctor);
        *team = t > 0 ? t : 0;
    }
    json_decref(brief);
    return 0;
}

/* The evaluated visit written as POST /followups writes one (its steps in the same order),
 * inside the chunk's transaction. 0 or -1. */
static int record_visit(struct import_ctx *ic, struct db *db, const struct followup_file_row *row,
                        const struct import_person *person)
{
    const struct state *s = ic->state;
    struct protocol_input in;
    struct protocol_answer answer = {0};
    struct jy_error err;
    json_t *body = engine_body(row);
    if (!body || protocol_read(body, (enum protocol_program)protocol_program_parse(row->program), 1,
                               &in, &err) < 0) {
        json_decref(body);
        return -1;
    }
    json_decref(body);
    struct date birth, visit;
    date_parse(person->birth_date, &birth);
    date_parse(row->visit_date, &visit);
    in.chronic.age = date_age_years(birth, visit);
    int run = store_followup_uncontrolled_run(db, person->id, row->program, row->visit_date);
    if (run > in.chronic.previous_uncontrolled) in.chronic.previous_uncontrolled = run;
    protocol_evaluate(&in, &s->config, &answer);
    int64_t team, doctor, task_id = 0;
    char due[11], following[11], county[7];
    date_format(answer.next_due, due);
    date_format(answer.following, following);
    snprintf(county, sizeof county, "%.6s", person->region);
    char *findings = strdup("[]"), *medications = strdup("[]"), *result = jsonx_dumps(answer.json);
    int rc = findings && medications && result
                 ? task_owner(db, person->id, person->region, &team, &doctor)
                 : -1;
    int64_t closed = rc == 0 ? store_tasks_close(db, person->id, "followup", row->program) : -1;
    if (closed < 0) rc = -1;
    if (rc == 0 && answer.has_next_due) {
        struct task_input t = {
            person->id, team,         doctor, 0,
            "followup", row->program, due,    answer.has_following ? following : NULL,
            NULL,       county};
        if ((task_id = store_task_insert(db, &t)) < 0) rc = -1;
    }
    struct followup_input f = {.resident_id = person->id,
                               .task_id = task_id,
                               .closed_task_id = closed > 0 ? closed : 0,
                               .program = row->program,
                               .visit_date = row->visit_date,
                               .mode = row->mode,
                               .county_code = county,
                               .note = row->note[0] ? row->note : NULL,
                               .has_weight = row->has_weight,
                               .weight_kg = row->weight,
                               .has_hba1c = row->has_hba1c,
                               .hba1c = row->hba1c,
                               .findings = findings,
                               .medications = medications,
                               .result = result,
                               .classification = answer.classification,
                               .action = answer.action,
                               .next_due = answer.has_next_due ? due : NULL,
                               .uncontrolled = answer.uncontrolled,
                               .emergency = answer.emergency,
                               .medication_adherence = row->adherence};
    protocol_visit_measures(&in.chronic, &f);
    int64_t id = rc == 0 ? store_followup_insert(db, &f) : -1;
    struct service_record use = {.kind = SOURCE_FOLLOWUP,
                                 .date = visit,
                                 .program = row->program,
                                 .at_home = !strcmp(row->mode, "home_visit"),
                                 .birth = birth};
    if (id < 0 || store_entitlement_use(db, &s->rules, person->id, id, 0, &use, NULL) < 0) rc = -1;
    json_decref(answer.json);
    free(findings);
    free(medications);
    free(result);
    return rc;
}

static int store(struct import_ctx *ic, struct db *db, const void *in, int64_t *resident,
                 const char **field, const char **code)
{
    const struct followup_file_row *row = in;
    struct import_person person;
    int found = import_find_person(ic, db, &row->p, &person, field, code);
    if (found <= 0) return found < 0 ? -1 : ROW_REJECTED;
    *resident = person.id;
    int64_t same_day = store_followup_same_day(db, person.id, row->program, row->visit_date);
    if (same_day) return same_day < 0 ? -1 : ROW_UNCHANGED;
    if (strcmp(person.status, "alive")) {
        (void)REJECT(COL_ID_NUMBER, "not_alive");
        return ROW_REJECTED;
    }
    char start[11], latest[11];
    int open = store_import_enrolment_open(db, person.id, row->program, start);
    if (open <= 0) {
        if (open < 0) return -1;
        (void)REJECT(COL_PROGRAM, "not_enrolled");
        return ROW_REJECTED;
    }
    int later = store_import_followup_latest(db, person.id, row->program, latest);
    if (later < 0) return -1;
    if (later && strcmp(latest, row->visit_date) > 0) {
        (void)REJECT(COL_VISIT_DATE, "earlier_than_recorded");
        return ROW_REJECTED;
    }
    return record_visit(ic, db, row, &person) < 0 ? -1 : ROW_ACCEPTED;
}

const struct import_kind IMPORT_FOLLOWUPS = {
    "followups",
    &SPEC,
    "followup",
    ACT_FOLLOWUP_WRITE,
    sizeof(struct followup_file_row),
    prepare,
    parse,
    store,
    NULL,
    0,
    cleanup,
};
