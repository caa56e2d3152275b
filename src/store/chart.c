/* chart.c (store) - a resident's clinical facts as rows for exchange (see chart.h). */
#include "store/chart.h"

#include <string.h>

/* The measurement columns every source answers in the same order: source, id, resident,
 * when, staff, sbp, dbp, heart rate, fbg, weight, height, bmi, hba1c. */
#define VITAL_FOLLOWUPS                                                                              \
    "SELECT 'followup' AS source, id, resident_id, visit_date AS observed, staff_id, sbp, dbp,"      \
    " heart_rate, fbg, weight_kg, CAST(NULL AS REAL) AS height_cm, CAST(NULL AS REAL) AS bmi, hba1c" \
    " FROM followups"
#define VITAL_EXAMS                                                                                \
    "SELECT 'exam', id, resident_id, exam_date, NULL, sbp, dbp, NULL, fbg, weight_kg, height_cm,"  \
    " bmi, hba1c FROM exam_results"
#define VITAL_DEVICES                                                                              \
    "SELECT 'device', id, resident_id, observed_at, NULL, sbp, dbp, heart_rate, glucose, NULL,"    \
    " NULL, NULL, NULL FROM observations"

static const char *const SOURCE_NAMES[VITAL_SOURCE_COUNT] = {"followup", "exam", "device"};
static const char *const VITAL_COLUMNS[] = {
    "source",      "#id",  "#resident_id", "when",       "#staff_id", "#sbp",   "#dbp",
    "#heart_rate", "%fbg", "%weight_kg",   "%height_cm", "%bmi",      "%hba1c", NULL};

const char *store_vital_source_name(enum vital_source source)
{
    return source < VITAL_SOURCE_COUNT ? SOURCE_NAMES[source] : NULL;
}

/* A row as an object from a column list: "name" text, "#name" integer, "%name" real,
 * "?name" boolean (0/1); NULL columns are left out. */
static json_t *row_object(struct db_stmt *st, const char *const *columns)
{
    json_t *o = json_object();
    for (int c = 0; columns[c]; c++) {
        const char *name = columns[c];
        if (db_column_is_null(st, c)) continue;
        if (name[0] == '#')
            json_object_set_new(o, name + 1, json_integer(db_column_int(st, c)));
        else if (name[0] == '?')
            json_object_set_new(o, name + 1, json_boolean(db_column_int(st, c)));
        else if (name[0] == '%')
            json_object_set_new(o, name + 1, json_real(db_column_double(st, c)));
        else
            json_object_set_new(o, name, json_string(db_column_text(st, c)));
    }
    return o;
}

static json_t *rows_of(struct db_stmt *st, const char *const *columns, int64_t key)
{
    if (!st) return NULL;
    db_bind_int(st, 1, key);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, row_object(st, columns));
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static json_t *row_of(struct db_stmt *st, const char *const *columns, int64_t key, int *found)
{
    *found = -1;
    if (!st) return NULL;
    db_bind_int(st, 1, key);
    int rc = db_step(st);
    *found = rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
    json_t *o = rc == DB_ROW ? row_object(st, columns) : NULL;
    db_run(st);
    return o;
}

/* A kind of row: one resident's list (by `resident` = ?1, in `order`) and one row (by the
 * table's id = ?1), both from the same SELECT and column names. The statements are static
 * strings: the statement cache knows them by address. */
#define CHART_ROWS(list_fn, one_fn, SELECT, RESIDENT, ID, ORDER, ...)                              \
    static const char *const list_fn##_columns[] = {__VA_ARGS__, NULL};                            \
    json_t *list_fn(struct db *db, int64_t resident_id)                                            \
    {                                                                                              \
        static const char SQL[] = SELECT " WHERE " RESIDENT " = ?1 ORDER BY " ORDER;               \
        return rows_of(db_prepare(db, SQL), list_fn##_columns, resident_id);                       \
    }                                                                                              \
    json_t *one_fn(struct db *db, int64_t id, int *found)                                          \
    {                                                                                              \
        static const char SQL[] = SELECT " WHERE " ID " = ?1";                                     \
        return row_of(db_prepare(db, SQL), list_fn##_columns, id, found);                          \
    }

CHART_ROWS(store_chart_diagnoses, store_chart_diagnosis,
           "SELECT id, resident_id, icd10, diagnosed_on, note FROM diagnoses", "resident_id", "id",
           "diagnosed_on, id", "#id", "#resident_id", "icd10", "diagnosed_on", "note")

CHART_ROWS(store_chart_enrolments, store_chart_enrolment,
           "SELECT id, resident_id, program, start_date, end_date, end_reason FROM enrolments",
           "resident_id", "id", "start_date, id", "#id", "#resident_id", "program", "start_date",
           "end_date", "end_reason")

CHART_ROWS(
    store_chart_encounters, store_chart_encounter,
    "SELECT id, resident_id, encounter_date, institution_id, staff_id, team_id, primary_care,"
    " in_county, chronic_program, kind, discharge_date, diagnoses FROM encounters",
    "resident_id", "id", "encounter_date, id", "#id", "#resident_id", "date", "#institution_id",
    "#staff_id", "#team_id", "?primary_care", "?in_county", "chronic_program", "kind",
    "discharge_date", "diagnoses")

CHART_ROWS(store_chart_referrals, store_chart_referral,
           "SELECT id, resident_id, referred_on, direction, status, category, department, reason,"
           " from_institution_id, to_institution_id, returned_on FROM referrals",
           "resident_id", "id", "referred_on, id", "#id", "#resident_id", "referred_on",
           "direction", "status", "category", "department", "reason", "#from_institution_id",
           "#to_institution_id", "returned_on")

CHART_ROWS(
    store_chart_medications, store_chart_medication,
    "SELECT i.id, p.resident_id, i.prescription_id, p.kind, p.status, p.prescribed_on,"
    " p.prescriber_id, i.drug_code, i.drug_name, i.dose, i.unit, i.frequency, i.route, i.days,"
    " i.quantity FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id",
    "p.resident_id", "i.id", "p.prescribed_on, i.id", "#id", "#resident_id", "#prescription_id",
    "kind", "status", "prescribed_on", "#prescriber_id", "drug_code", "drug_name", "dose", "unit",
    "frequency", "route", "#days", "#quantity")

CHART_ROWS(
    store_chart_contracts, store_chart_contract,
    "SELECT c.id, c.resident_id, c.status, c.start_date, c.end_date, c.ended_on, c.end_reason,"
    " c.team_id, c.doctor_id, t.institution_id, c.channel, c.fee_fen FROM contracts c"
    " JOIN teams t ON t.id = c.team_id",
    "c.resident_id", "c.id", "c.start_date, c.id", "#id", "#resident_id", "status", "start_date",
    "end_date", "ended_on", "end_reason", "#team_id", "#doctor_id", "#institution_id", "channel",
    "#fee_fen")

CHART_ROWS(store_chart_survey_responses, store_chart_survey_response,
           "SELECT sr.id, sr.resident_id, q.code, sr.team_id, sr.channel, sr.answered_on, sr.total"
           " FROM survey_responses sr JOIN questionnaires q ON q.id = sr.questionnaire_id",
           "sr.resident_id", "sr.id", "sr.answered_on, sr.id", "#id", "#resident_id",
           "questionnaire", "#team_id", "channel", "answered_on", "#total")

json_t *store_chart_survey_answers(struct db *db, int64_t response_id)
{
    static const char SQL[] =
        "SELECT n, value FROM survey_answers WHERE response_id = ?1 ORDER BY n";
    static const char *const COLUMNS[] = {"#n", "#value", NULL};
    return rows_of(db_prepare(db, SQL), COLUMNS, response_id);
}

json_t *store_chart_household(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT m.id, me.id, m.name, m.sex, m.birth_date, m.relation, m.proxy_consent FROM residents me"
        " JOIN residents m ON m.household_id = me.household_id AND m.id <> me.id WHERE me.id = ?1"
        " ORDER BY m.id";
    static const char *const COLUMNS[] = {"#id",        "#resident_id", "name",           "sex",
                                          "birth_date", "relation",     "?proxy_consent", NULL};
    return rows_of(db_prepare(db, SQL), COLUMNS, resident_id);
}

json_t *store_chart_consents(struct db *db, int64_t resident_id, int *found)
{
    static const char SQL[] =
        "SELECT h.resident_id, h.opened_to_resident, h.consent_date, h.created_on, r.proxy_consent"
        " FROM health_records h JOIN residents r ON r.id = h.resident_id WHERE h.resident_id = ?1";
    static const char *const COLUMNS[] = {"#resident_id", "?opened_to_resident", "consent_date",
                                          "created_on",   "?proxy_consent",      NULL};
    return row_of(db_prepare(db, SQL), COLUMNS, resident_id, found);
}

json_t *store_chart_vitals(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT * FROM (" VITAL_FOLLOWUPS " WHERE resident_id = ?1 UNION ALL " VITAL_EXAMS
        " WHERE resident_id = ?1 UNION ALL " VITAL_DEVICES
        " WHERE resident_id = ?1) v ORDER BY 4, 1, 2";
    return rows_of(db_prepare(db, SQL), VITAL_COLUMNS, resident_id);
}

json_t *store_chart_vital(struct db *db, enum vital_source source, int64_t id, int *found)
{
    static const char *const SQL[VITAL_SOURCE_COUNT] = {VITAL_FOLLOWUPS " WHERE id = ?1",
                                                        VITAL_EXAMS " WHERE id = ?1",
                                                        VITAL_DEVICES " WHERE id = ?1"};
    *found = -1;
    return source < VITAL_SOURCE_COUNT
               ? row_of(db_prepare(db, SQL[source]), VITAL_COLUMNS, id, found)
               : NULL;
}
