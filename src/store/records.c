/* records.c (store) - see records.h. */
#include "store/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/protocol_lists.h"
#include "store/pii.h"
#include "store/registry.h"

/* The resident's row: id, alive, region. 1 read, 0 no such row, -1 error. */
static int read_resident(struct db_stmt *st, struct record_subject *out)
{
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    memset(out, 0, sizeof *out);
    out->resident_id = db_column_int(st, 0);
    out->alive = (int)db_column_int(st, 1);
    snprintf(out->region, sizeof out->region, "%s", db_column_text(st, 2));
    snprintf(out->county, sizeof out->county, "%.6s", out->region);
    return db_run(st) == DB_DONE ? 1 : -1;
}

/* Who acts for the resident: the active contract's team and doctor, else the grid cell's
 * team. 1, or -1 on error. */
static int read_carer(struct db *db, struct record_subject *out)
{
    static const char SQL[] =
        "SELECT team_id, doctor_id FROM contracts WHERE resident_id = ?1 AND status = 'active'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, out->resident_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->team_id = db_column_int(st, 0);
        out->doctor_id = db_column_int(st, 1);
        rc = db_run(st);
    }
    if (rc != DB_DONE) return -1;
    if (!out->team_id) {
        int64_t team = store_team_for_region(db, out->region, &out->doctor_id);
        out->team_id = team > 0 ? team : 0;
    }
    return 1;
}

int store_record_subject_by_id_number(struct db *db, const char *id_number,
                                      int (*visible)(const char *region, void *ctx), void *ctx,
                                      struct record_subject *out)
{
    static const char SQL[] =
        "SELECT id, status = 'alive', region FROM residents WHERE id_digest = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    if (pii_bind_digest(st, 1, "id", id_number) < 0) {
        db_release(db);
        return -1;
    }
    int found = read_resident(st, out);
    if (found == 1 && !visible(out->region, ctx)) {
        memset(out, 0, sizeof *out); /* nothing of theirs leaves this function */
        return 0;
    }
    return found == 1 ? read_carer(db, out) : found;
}

int store_record_subject(struct db *db, int64_t resident_id, struct record_subject *out)
{
    static const char SQL[] = "SELECT id, status = 'alive', region FROM residents WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    int found = read_resident(st, out);
    return found == 1 ? read_carer(db, out) : found;
}

int64_t store_exam_import_insert(struct db *db, const char *source, int64_t user_id)
{
    static const char SQL[] =
        "INSERT INTO exam_imports (source, imported_by, rows_total, rows_accepted,"
        " rows_rejected, tasks_created, status) VALUES (?1, ?2, 0, 0, 0, 0, 'running')"
        " RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, source);
    if (user_id) db_bind_int(st, 2, user_id);
    int64_t id = db_insert_id(st);
    return id > 0 ? id : -1;
}

int store_exam_import_progress(struct db *db, int64_t import_id,
                               const struct exam_import_progress *p)
{
    static const char SQL[] = "UPDATE exam_imports SET rows_total = ?2, rows_accepted = ?3,"
                              " rows_rejected = ?4, rows_unchanged = ?5, tasks_created = ?6,"
                              " stored_to_row = ?7, status = ?8 WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, import_id);
    db_bind_int(st, 2, p->rows);
    db_bind_int(st, 3, p->accepted);
    db_bind_int(st, 4, p->rejected);
    db_bind_int(st, 5, p->unchanged);
    db_bind_int(st, 6, p->tasks);
    db_bind_int(st, 7, p->stored_to_row);
    db_bind_text(st, 8, p->status);
    return db_run(st) == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

static void bind_scaled(struct db_stmt *st, int index, int has, int value, double scale)
{
    if (has)
        db_bind_double(st, index, value / scale);
    else
        db_bind_null(st, index);
}

int64_t store_exam_result_upsert(struct db *db, const struct exam_result_input *in)
{
    static const char SQL[] =
        "INSERT INTO exam_results (resident_id, exam_date, import_id, sbp, dbp, fbg, tc, tg, ldl, "
        "hdl,"
        " height_cm, weight_kg, bmi, ecg, ultrasound, abnormal, county_code, hba1c)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
        " ON CONFLICT (resident_id, exam_date) DO UPDATE SET import_id = excluded.import_id,"
        " sbp = excluded.sbp, dbp = excluded.dbp, fbg = excluded.fbg, tc = excluded.tc,"
        " tg = excluded.tg, ldl = excluded.ldl, hdl = excluded.hdl, height_cm = excluded.height_cm,"
        " weight_kg = excluded.weight_kg, bmi = excluded.bmi, ecg = excluded.ecg,"
        " ultrasound = excluded.ultrasound, abnormal = excluded.abnormal, hba1c = excluded.hba1c"
        /* a row sent again unchanged writes nothing (and returns no id) */
        " WHERE exam_results.sbp IS DISTINCT FROM excluded.sbp"
        " OR exam_results.dbp IS DISTINCT FROM excluded.dbp"
        " OR exam_results.fbg IS DISTINCT FROM excluded.fbg"
        " OR exam_results.tc IS DISTINCT FROM excluded.tc"
        " OR exam_results.tg IS DISTINCT FROM excluded.tg"
        " OR exam_results.ldl IS DISTINCT FROM excluded.ldl"
        " OR exam_results.hdl IS DISTINCT FROM excluded.hdl"
        " OR exam_results.height_cm IS DISTINCT FROM excluded.height_cm"
        " OR exam_results.weight_kg IS DISTINCT FROM excluded.weight_kg"
        " OR exam_results.bmi IS DISTINCT FROM excluded.bmi"
        " OR exam_results.ecg IS DISTINCT FROM excluded.ecg"
        " OR exam_results.ultrasound IS DISTINCT FROM excluded.ultrasound"
        " OR exam_results.abnormal IS DISTINCT FROM excluded.abnormal"
        " OR exam_results.hba1c IS DISTINCT FROM excluded.hba1c"
        " RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->exam_date);
    if (in->import_id) db_bind_int(st, 3, in->import_id);
    bind_scaled(st, 4, in->has_sbp, in->sbp, 1);
    bind_scaled(st, 5, in->has_dbp, in->dbp, 1);
    bind_scaled(st, 6, in->has_fbg, in->fbg_tenths, 10);
    bind_scaled(st, 7, in->has_tc, in->tc_hundredths, 100);
    bind_scaled(st, 8, in->has_tg, in->tg_hundredths, 100);
    bind_scaled(st, 9, in->has_ldl, in->ldl_hundredths, 100);
    bind_scaled(st, 10, in->has_hdl, in->hdl_hundredths, 100);
    bind_scaled(st, 11, in->has_height, in->height_cm_tenths, 10);
    bind_scaled(st, 12, in->has_weight, in->weight_kg_tenths, 10);
    bind_scaled(st, 13, in->has_bmi, in->bmi_tenths, 10);
    db_bind_text(st, 14, in->ecg);
    db_bind_text(st, 15, in->ultrasound);
    db_bind_text(st, 16, in->abnormal);
    db_bind_text(st, 17, in->county_code);
    bind_scaled(st, 18, in->has_hba1c, in->hba1c_tenths, 10);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0; /* unchanged */
    if (rc != DB_ROW) return -1;
    int64_t id = db_column_int(st, 0);
    return db_run(st) == DB_DONE ? id : -1;
}

int store_exam_result_set_task(struct db *db, int64_t exam_id, int64_t task_id)
{
    struct db_stmt *st = db_prepare(db, "UPDATE exam_results SET task_id = ?2 WHERE id = ?1");
    if (!st) return -1;
    db_bind_int(st, 1, exam_id);
    db_bind_int(st, 2, task_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

/* The four lists of an exam_terms, in the order of the keys below. */
static struct string_list *exam_terms_lists(struct exam_terms *terms, int i)
{
    struct string_list *lists[4] = {&terms->ecg.normal, &terms->ecg.abnormal,
                                    &terms->ultrasound.normal, &terms->ultrasound.abnormal};
    return lists[i];
}

int store_exam_terms_load(struct db *db, struct exam_terms *terms)
{
    static const char *const KEYS[4] = {"ecg_normal", "ecg_abnormal", "ultrasound_normal",
                                        "ultrasound_abnormal"};
    memset(terms, 0, sizeof *terms);
    for (int i = 0; i < 4; i++) {
        const struct protocol_list *list = protocol_list_find(KEYS[i]);
        if (!list || store_protocol_list_load(db, list, exam_terms_lists(terms, i)) < 0) {
            store_exam_terms_free(terms);
            return -1;
        }
    }
    return 0;
}

void store_exam_terms_free(struct exam_terms *terms)
{
    for (int i = 0; i < 4; i++) {
        struct string_list *list = exam_terms_lists(terms, i);
        free((void *)list->items);
        list->items = NULL;
        list->count = 0;
    }
}

/* A row as JSON: the named columns, NULLs left out, "abnormal" parsed. */
static json_t *row_json(struct db_stmt *st, const char *const *names, int count)
{
    json_t *o = json_object();
    for (int i = 0; i < count; i++) {
        if (db_column_is_null(st, i)) continue;
        if (strcmp(names[i], "abnormal") == 0)
            json_object_set_new(o, names[i], json_loads(db_column_text(st, i), 0, NULL));
        else if (strcmp(names[i], "id") == 0 || strcmp(names[i], "sbp") == 0 ||
                 strcmp(names[i], "dbp") == 0 || strcmp(names[i], "heart_rate") == 0 ||
                 strcmp(names[i], "task_id") == 0 || strcmp(names[i], "device_id") == 0)
            json_object_set_new(o, names[i], json_integer(db_column_int(st, i)));
        else if (strstr(names[i], "date") || strstr(names[i], "_at") ||
                 strcmp(names[i], "ecg") == 0 || strcmp(names[i], "ultrasound") == 0 ||
                 strcmp(names[i], "level") == 0 || strcmp(names[i], "reason") == 0 ||
                 strcmp(names[i], "kind") == 0 || strcmp(names[i], "label") == 0)
            json_object_set_new(o, names[i], json_string(db_column_text(st, i)));
        else
            json_object_set_new(o, names[i], json_real(db_column_double(st, i)));
    }
    return o;
}

static json_t *list_rows(struct db *db, const char *sql, int64_t resident_id, int limit,
                         const char *const *names, int count)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, limit);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, row_json(st, names, count));
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *store_exam_results_list(struct db *db, int64_t resident_id, int limit)
{
    static const char *const NAMES[] = {
        "id",        "exam_date", "sbp", "dbp", "fbg",        "tc",       "tg",      "ldl",  "hdl",
        "height_cm", "weight_kg", "bmi", "ecg", "ultrasound", "abnormal", "task_id", "hba1c"};
    static const char SQL[] =
        "SELECT id, exam_date, sbp, dbp, fbg, tc, tg, ldl, hdl, height_cm,"
        " weight_kg, bmi, ecg, ultrasound, abnormal, task_id, hba1c FROM exam_results"
        " WHERE resident_id = ?1 ORDER BY exam_date DESC LIMIT ?2";
    return list_rows(db, SQL, resident_id, limit, NAMES, 17);
}

int64_t store_open_task(struct db *db, int64_t resident_id, const char *kind)
{
    struct db_stmt *st = db_prepare(db, "SELECT id FROM tasks WHERE resident_id = ?1 AND kind = ?2"
                                        " AND status = 'open' ORDER BY due_date LIMIT 1");
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, kind);
    return db_query_int(st, 0);
}

int64_t store_device_insert(struct db *db, int64_t resident_id, const char *kind, const char *label,
                            const char *token_hash, int64_t user_id)
{
    static const char SQL[] =
        "INSERT INTO devices (resident_id, kind, label, token_hash, registered_by)"
        " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, label);
    db_bind_text(st, 4, token_hash);
    if (user_id) db_bind_int(st, 5, user_id);
    return db_insert_id(st);
}

int store_device_by_token(struct db *db, const char *token_hash, int64_t *device_id,
                          int64_t *resident_id, char kind[16])
{
    struct db_stmt *st = db_prepare(db, "SELECT id, resident_id, kind FROM devices"
                                        " WHERE token_hash = ?1 AND revoked_at IS NULL");
    if (!st) return -1;
    db_bind_text(st, 1, token_hash);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    *device_id = db_column_int(st, 0);
    *resident_id = db_column_int(st, 1);
    snprintf(kind, 16, "%s", db_column_text(st, 2));
    db_run(st);
    return 1;
}

int store_device_resident(struct db *db, int64_t device_id, int64_t *resident_id)
{
    struct db_stmt *st = db_prepare(db, "SELECT resident_id FROM devices WHERE id = ?1");
    if (!st) return -1;
    db_bind_int(st, 1, device_id);
    *resident_id = db_query_int(st, 0);
    return *resident_id > 0 ? 1 : 0;
}

int store_device_revoke(struct db *db, int64_t device_id)
{
    struct db_stmt *st =
        db_prepare(db, "UPDATE devices SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
                       " WHERE id = ?1 AND revoked_at IS NULL");
    if (!st) return -1;
    db_bind_int(st, 1, device_id);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) > 0;
}

json_t *store_devices_list(struct db *db, int64_t resident_id)
{
    static const char *const NAMES[] = {"id", "kind", "label", "registered_at", "revoked_at"};
    static const char SQL[] = "SELECT id, kind, label, registered_at, revoked_at FROM devices"
                              " WHERE resident_id = ?1 ORDER BY id DESC LIMIT ?2";
    return list_rows(db, SQL, resident_id, 100, NAMES, 5);
}

int64_t store_observation_insert(struct db *db, const struct observation_input *in)
{
    static const char SQL[] = "INSERT INTO observations (resident_id, device_id, observed_at, sbp, "
                              "dbp, heart_rate, glucose,"
                              " level, reason, task_id, county_code) VALUES (?1, ?2, ?3, ?4, ?5, "
                              "?6, ?7, ?8, ?9, ?10, ?11)"
                              " ON CONFLICT (device_id, observed_at) DO NOTHING RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, in->resident_id);
    db_bind_int(st, 2, in->device_id);
    db_bind_text(st, 3, in->observed_at);
    bind_scaled(st, 4, in->has_sbp, in->sbp, 1);
    bind_scaled(st, 5, in->has_dbp, in->dbp, 1);
    bind_scaled(st, 6, in->has_heart_rate, in->heart_rate, 1);
    bind_scaled(st, 7, in->has_glucose, in->glucose_tenths, 10);
    db_bind_text(st, 8, in->level);
    db_bind_text(st, 9, in->reason);
    if (in->task_id) db_bind_int(st, 10, in->task_id);
    db_bind_text(st, 11, in->county_code);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    int64_t id = db_column_int(st, 0);
    db_run(st);
    return id;
}

json_t *store_observations_list(struct db *db, int64_t resident_id, int limit)
{
    static const char *const NAMES[] = {"id",     "device_id",  "observed_at", "sbp",
                                        "dbp",    "heart_rate", "glucose",     "level",
                                        "reason", "task_id"};
    static const char SQL[] =
        "SELECT id, device_id, observed_at, sbp, dbp, heart_rate, glucose, level,"
        " reason, task_id FROM observations WHERE resident_id = ?1"
        " ORDER BY observed_at DESC LIMIT ?2";
    return list_rows(db, SQL, resident_id, limit, NAMES, 10);
}
