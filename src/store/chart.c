/* chart.c (store) - a resident's clinical facts as rows for exchange (see chart.h). */
#include "store/chart.h"

#include <string.h>

/* The measurement columns every source answers in the same order: source, id, resident,
 * when, staff, sbp, dbp, heart rate, fbg, weight, height, bmi. */
#define VITAL_FOLLOWUPS                                                                       \
    "SELECT 0 AS source, id, resident_id, visit_date AS observed, staff_id, sbp, dbp,"        \
    " heart_rate, fbg, weight_kg, NULL AS height_cm, NULL AS bmi FROM followups"
#define VITAL_EXAMS                                                                           \
    "SELECT 1, id, resident_id, exam_date, NULL, sbp, dbp, NULL, fbg, weight_kg, height_cm,"   \
    " bmi FROM exam_results"
#define VITAL_DEVICES                                                                         \
    "SELECT 2, id, resident_id, observed_at, NULL, sbp, dbp, heart_rate, glucose, NULL, NULL," \
    " NULL FROM observations"

static const char *const SOURCE_NAMES[VITAL_SOURCE_COUNT] = {"followup", "exam", "device"};

const char *store_vital_source_name(enum vital_source source)
{
    return source < VITAL_SOURCE_COUNT ? SOURCE_NAMES[source] : NULL;
}

static void set_int(json_t *o, const char *key, struct db_stmt *st, int col)
{
    if (!db_column_is_null(st, col)) json_object_set_new(o, key, json_integer(db_column_int(st, col)));
}

static void set_real(json_t *o, const char *key, struct db_stmt *st, int col)
{
    if (!db_column_is_null(st, col)) json_object_set_new(o, key, json_real(db_column_double(st, col)));
}

static void set_text(json_t *o, const char *key, struct db_stmt *st, int col)
{
    if (!db_column_is_null(st, col)) json_object_set_new(o, key, json_string(db_column_text(st, col)));
}

static json_t *vital_row(struct db_stmt *st)
{
    int64_t source = db_column_int(st, 0);
    json_t *o = json_pack("{s:s, s:I, s:I, s:s}", "source", store_vital_source_name((enum vital_source)source),
                          "id", (json_int_t)db_column_int(st, 1), "resident_id",
                          (json_int_t)db_column_int(st, 2), "when", db_column_text(st, 3));
    set_int(o, "staff_id", st, 4);
    set_int(o, "sbp", st, 5);
    set_int(o, "dbp", st, 6);
    set_int(o, "heart_rate", st, 7);
    set_real(o, "fbg", st, 8);
    set_real(o, "weight_kg", st, 9);
    set_real(o, "height_cm", st, 10);
    set_real(o, "bmi", st, 11);
    return o;
}

/* Every row of st as objects made by `row`; NULL on error. */
static json_t *all_rows(struct db_stmt *st, json_t *(*row)(struct db_stmt *))
{
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) json_array_append_new(list, row(st));
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

/* The first row of st, or NULL with *found 0 (none) or -1 (error). */
static json_t *one_row(struct db_stmt *st, json_t *(*row)(struct db_stmt *), int *found)
{
    int rc = db_step(st);
    *found = rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
    json_t *o = rc == DB_ROW ? row(st) : NULL;
    db_run(st);
    return o;
}

json_t *store_chart_vitals(struct db *db, int64_t resident_id)
{
    static const char SQL[] = "SELECT * FROM (" VITAL_FOLLOWUPS " WHERE resident_id = ?1 UNION ALL " VITAL_EXAMS
                              " WHERE resident_id = ?1 UNION ALL " VITAL_DEVICES
                              " WHERE resident_id = ?1) v ORDER BY 4, 1, 2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    return all_rows(st, vital_row);
}

json_t *store_chart_vital(struct db *db, enum vital_source source, int64_t id, int *found)
{
    static const char *const SQL[VITAL_SOURCE_COUNT] = {
        VITAL_FOLLOWUPS " WHERE id = ?1", VITAL_EXAMS " WHERE id = ?1", VITAL_DEVICES " WHERE id = ?1"};
    *found = -1;
    struct db_stmt *st = source < VITAL_SOURCE_COUNT ? db_prepare(db, SQL[source]) : NULL;
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    return one_row(st, vital_row, found);
}

static json_t *diagnosis_row(struct db_stmt *st)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)db_column_int(st, 0), "resident_id",
                          (json_int_t)db_column_int(st, 1), "icd10", db_column_text(st, 2), "diagnosed_on",
                          db_column_text(st, 3));
    set_text(o, "note", st, 4);
    return o;
}

#define DIAGNOSIS_COLUMNS "SELECT id, resident_id, icd10, diagnosed_on, note FROM diagnoses"

json_t *store_chart_diagnoses(struct db *db, int64_t resident_id)
{
    struct db_stmt *st = db_prepare(db, DIAGNOSIS_COLUMNS " WHERE resident_id = ?1 ORDER BY diagnosed_on, id");
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    return all_rows(st, diagnosis_row);
}

json_t *store_chart_diagnosis(struct db *db, int64_t id, int *found)
{
    *found = -1;
    struct db_stmt *st = db_prepare(db, DIAGNOSIS_COLUMNS " WHERE id = ?1");
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    return one_row(st, diagnosis_row, found);
}

static json_t *enrolment_row(struct db_stmt *st)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)db_column_int(st, 0), "resident_id",
                          (json_int_t)db_column_int(st, 1), "program", db_column_text(st, 2), "start_date",
                          db_column_text(st, 3));
    set_text(o, "end_date", st, 4);
    set_text(o, "end_reason", st, 5);
    return o;
}

#define ENROLMENT_COLUMNS "SELECT id, resident_id, program, start_date, end_date, end_reason FROM enrolments"

json_t *store_chart_enrolments(struct db *db, int64_t resident_id)
{
    struct db_stmt *st = db_prepare(db, ENROLMENT_COLUMNS " WHERE resident_id = ?1 ORDER BY start_date, id");
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    return all_rows(st, enrolment_row);
}

json_t *store_chart_enrolment(struct db *db, int64_t id, int *found)
{
    *found = -1;
    struct db_stmt *st = db_prepare(db, ENROLMENT_COLUMNS " WHERE id = ?1");
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    return one_row(st, enrolment_row, found);
}
