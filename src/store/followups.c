/* followups.c (store) - see followups.h. */
#include "store/followups.h"

#include <stdio.h>
#include <string.h>

#include "domain/population.h"
#include "json/jsonx.h"
#include "store/page.h"
#include "store/scope.h"

struct protocol_config store_protocol_config(struct db *db)
{
    static const char SQL[] = "SELECT key, value FROM protocol_settings s WHERE version ="
                              " (SELECT max(version) FROM protocol_settings WHERE key = s.key)";
    struct protocol_config c = protocol_config_default();
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return c;
    while (db_step(st) == DB_ROW) {
        const struct protocol_setting *s = protocol_setting_find(db_column_text(st, 0));
        if (s) *protocol_config_field(&c, s) = (int)db_column_int(st, 1);
    }
    return c;
}

json_t *store_protocol_settings(struct db *db)
{
    static const char SQL[] =
        "SELECT value, version, changed_at FROM protocol_settings WHERE key = ?1"
        " ORDER BY version DESC LIMIT 1";
    struct protocol_config defaults = protocol_config_default();
    json_t *items = json_array();
    for (const struct protocol_setting *s = PROTOCOL_SETTINGS; s->key; s++) {
        int fallback = *protocol_config_field(&defaults, s);
        json_t *o = json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:n}", "key", s->key, "value",
                              fallback, "default", fallback, "min", s->min, "max", s->max,
                              "version", 0, "changed_at");
        struct db_stmt *st = db_prepare(db, SQL);
        if (!st) {
            json_decref(items);
            json_decref(o);
            return NULL;
        }
        db_bind_text(st, 1, s->key);
        if (db_step(st) == DB_ROW) {
            json_object_set_new(o, "value", json_integer(db_column_int(st, 0)));
            json_object_set_new(o, "version", json_integer(db_column_int(st, 1)));
            jx_set_string_or_null(o, "changed_at", db_column_text(st, 2));
            db_run(st);
        }
        json_array_append_new(items, o);
    }
    return items;
}

int store_protocol_setting_set(struct db *db, const char *key, int value, int64_t user_id)
{
    static const char SQL[] =
        "INSERT INTO protocol_settings (key, value, version, changed_by) VALUES"
        " (?1, ?2, (SELECT coalesce(max(version), 0) + 1 FROM protocol_settings WHERE key = ?1),"
        " ?3) RETURNING version";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, key);
    db_bind_int(st, 2, value);
    db_bind_int(st, 3, user_id);
    return (int)db_insert_id(st);
}

int store_followup_uncontrolled_run(struct db *db, int64_t resident_id, const char *program,
                                    const char *visit_date)
{
    static const char SQL[] =
        "SELECT uncontrolled FROM followups WHERE resident_id = ?1 AND program = ?2"
        " AND visit_date <= ?3 ORDER BY visit_date DESC, id DESC LIMIT 50";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return 0;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    db_bind_text(st, 3, visit_date);
    int run = 0;
    while (db_step(st) == DB_ROW && db_column_int(st, 0))
        run++;
    db_release(db);
    return run;
}

int store_followup_elderly_facts(struct db *db, int64_t resident_id, const char *since,
                                 int *chronic, int *uncontrolled, int *emergency)
{
    /* The latest follow-up of each chronic program the resident is enrolled in. */
    static const char PROGRAMS[] =
        "SELECT e.program, (SELECT f.uncontrolled FROM followups f WHERE f.resident_id = "
        "e.resident_id"
        " AND f.program = e.program ORDER BY f.visit_date DESC, f.id DESC LIMIT 1)"
        " FROM enrolments e WHERE e.resident_id = ?1 AND e.end_date IS NULL";
    static const char EMERGENCY[] =
        "SELECT count(*) FROM followups WHERE resident_id = ?1 AND emergency = 1"
        " AND visit_date >= ?2";
    *chronic = *uncontrolled = *emergency = 0;
    struct db_stmt *st = db_prepare(db, PROGRAMS);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    while (db_step(st) == DB_ROW) {
        if (!program_is_chronic(db_column_text(st, 0))) continue;
        (*chronic)++;
        if (!db_column_is_null(st, 1) && db_column_int(st, 1)) (*uncontrolled)++;
    }
    st = db_prepare(db, EMERGENCY);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, since);
    *emergency = db_query_int(st, 0) > 0;
    return 0;
}

int store_followup_dates(struct db *db, int64_t resident_id, const char *program, const char *since,
                         char (*out)[11], int max)
{
    static const char SQL[] =
        "SELECT visit_date FROM followups WHERE resident_id = ?1 AND program = ?2"
        " AND visit_date >= ?3 ORDER BY visit_date";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    db_bind_text(st, 3, since);
    int n = 0;
    while (n < max && db_step(st) == DB_ROW)
        snprintf(out[n++], 11, "%s", db_column_text(st, 0));
    db_release(db);
    return n;
}

json_t *store_followup_latest_result(struct db *db, int64_t resident_id, const char *program,
                                     const char *since)
{
    static const char SQL[] = "SELECT result FROM followups WHERE resident_id = ?1 AND program = ?2"
                              " AND visit_date >= ?3 ORDER BY visit_date DESC, id DESC LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    db_bind_text(st, 3, since);
    json_t *result = NULL;
    if (db_step(st) == DB_ROW && db_column_text(st, 0))
        result = json_loads(db_column_text(st, 0), 0, NULL);
    db_release(db);
    return result;
}

int64_t store_followup_same_day(struct db *db, int64_t resident_id, const char *program,
                                const char *visit_date)
{
    static const char SQL[] = "SELECT id FROM followups WHERE resident_id = ?1 AND program = ?2"
                              " AND visit_date = ?3 ORDER BY id LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    db_bind_text(st, 3, visit_date);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    int64_t id = db_column_int(st, 0);
    return db_run(st) == DB_DONE ? id : -1;
}

int64_t store_followup_insert(struct db *db, const struct followup_input *in)
{
    static const char SQL[] =
        "INSERT INTO followups (resident_id, program, visit_date, mode, staff_id, recorded_by, "
        "sbp, dbp, fbg,"
        " heart_rate, temperature, danger_level, weight_kg, findings, medications, details, "
        "classification,"
        " action, next_due, result, uncontrolled, emergency, task_id, note, county_code, closed_task_id,"
        " recorded_delivery, medication_adherence, hba1c) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)"
        " RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->program);
    db_bind_text(st, 3, in->visit_date);
    db_bind_text(st, 4, in->mode);
    if (in->staff_id) db_bind_int(st, 5, in->staff_id);
    if (in->recorded_by) db_bind_int(st, 6, in->recorded_by);
    if (in->has_sbp) db_bind_int(st, 7, in->sbp);
    if (in->has_dbp) db_bind_int(st, 8, in->dbp);
    if (in->has_fbg) db_bind_double(st, 9, in->fbg);
    if (in->has_heart_rate) db_bind_int(st, 10, in->heart_rate);
    if (in->has_temperature) db_bind_double(st, 11, in->temperature);
    if (in->has_danger) db_bind_int(st, 12, in->danger_level);
    if (in->has_weight) db_bind_double(st, 13, in->weight_kg);
    db_bind_text(st, 14, in->findings);
    db_bind_text(st, 15, in->medications);
    db_bind_text(st, 16, in->details);
    db_bind_text(st, 17, in->classification);
    db_bind_text(st, 18, in->action);
    db_bind_text(st, 19, in->next_due);
    db_bind_text(st, 20, in->result);
    db_bind_int(st, 21, in->uncontrolled);
    db_bind_int(st, 22, in->emergency);
    if (in->task_id) db_bind_int(st, 23, in->task_id);
    db_bind_text(st, 24, in->note);
    db_bind_text(st, 25, in->county_code);
    if (in->closed_task_id) db_bind_int(st, 26, in->closed_task_id);
    db_bind_int(st, 27, in->recorded_delivery != 0);
    db_bind_text(st, 28, in->medication_adherence);
    if (in->has_hba1c) db_bind_double(st, 29, in->hba1c);
    return db_insert_id(st);
}

int64_t store_tasks_close(struct db *db, int64_t resident_id, const char *kind, const char *program)
{
    static const char SQL[] =
        "UPDATE tasks SET status = 'done', closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE resident_id = ?1 AND kind = ?2 AND program IS NOT DISTINCT FROM ?3 AND status = 'open' RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, program);
    int64_t newest = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        if (db_column_int(st, 0) > newest) newest = db_column_int(st, 0);
    return rc == DB_DONE ? newest : -1;
}

int store_followup_row(struct db *db, int64_t id, struct followup_row *out)
{
    /* The pregnancy a maternal visit belongs to began on the latest LMP on or before it. */
    static const char SQL[] =
        "SELECT f.resident_id, f.program, f.visit_date, coalesce(f.task_id, 0), coalesce(f.closed_task_id, 0),"
        " NOT EXISTS (SELECT 1 FROM followups l WHERE l.resident_id = f.resident_id AND l.program = f.program"
        "   AND (l.visit_date > f.visit_date OR (l.visit_date = f.visit_date AND l.id > f.id))),"
        " f.program = 'maternal' AND f.details IS NOT NULL,"
        " f.program = 'maternal' AND NOT EXISTS (SELECT 1 FROM followups o WHERE o.resident_id = f.resident_id"
        "   AND o.program = 'maternal' AND o.id <> f.id AND o.visit_date >= (SELECT max(p.lmp) FROM pregnancies p"
        "   WHERE p.resident_id = f.resident_id AND p.lmp <= f.visit_date)),"
        " f.recorded_delivery"
        " FROM followups f WHERE f.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    memset(out, 0, sizeof *out);
    out->id = id;
    out->resident_id = db_column_int(st, 0);
    snprintf(out->program, sizeof out->program, "%s", db_column_text(st, 1));
    snprintf(out->visit_date, sizeof out->visit_date, "%s", db_column_text(st, 2));
    out->task_id = db_column_int(st, 3);
    out->closed_task_id = db_column_int(st, 4);
    out->latest = (int)db_column_int(st, 5);
    out->risk_assessed = (int)db_column_int(st, 6);
    out->only_pregnancy_visit = (int)db_column_int(st, 7);
    out->recorded_delivery = (int)db_column_int(st, 8);
    db_run(st);
    return 1;
}

int store_followup_open_referrals(struct db *db, int64_t followup_id, int64_t *ids, int max)
{
    static const char SQL[] =
        "SELECT id FROM referrals WHERE followup_id = ?1 AND seen_on IS NULL ORDER BY id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, followup_id);
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW)
        if (n < max) ids[n++] = db_column_int(st, 0);
    return rc == DB_DONE ? n : -1;
}

/* The id an UPDATE or INSERT ... RETURNING id gave, 0 when it touched no row, -1 on error. */
static int64_t returned_id(struct db_stmt *st)
{
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    int64_t id = db_column_int(st, 0);
    return db_run(st) == DB_DONE ? id : -1;
}

int64_t store_followup_delete(struct db *db, const struct followup_row *f, int64_t team_id,
                              int64_t doctor_id, int *cancelled)
{
    static const char CONFIRM_TASKS[] =
        "DELETE FROM tasks WHERE referral_id IN (SELECT id FROM referrals WHERE followup_id = ?1 AND seen_on IS NULL)";
    static const char EVENTS[] =
        "DELETE FROM referral_events WHERE referral_id IN"
        " (SELECT id FROM referrals WHERE followup_id = ?1 AND seen_on IS NULL)";
    static const char REFERRALS[] =
        "DELETE FROM referrals WHERE followup_id = ?1 AND seen_on IS NULL";
    /* A referral the patient went to stays, as something that happened. */
    static const char KEEP_SEEN[] =
        "UPDATE referrals SET followup_id = NULL WHERE followup_id = ?1";
    static const char ROW[] = "DELETE FROM followups WHERE id = ?1";
    static const char CANCEL[] =
        "UPDATE tasks SET status = 'cancelled', closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE id = ?1 AND status = 'open'";
    /* Only while the program has no open task: a visit entered later but dated earlier may
     * have closed this one's next task and opened its own. */
    static const char REOPEN[] =
        "UPDATE tasks SET status = 'open', closed_at = NULL WHERE id = ?1 AND status = 'done'"
        " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.resident_id = tasks.resident_id"
        "   AND t.kind = 'followup' AND t.program IS NOT DISTINCT FROM tasks.program AND t.status = 'open') RETURNING id";
    /* Records from before migration 010 did not keep the task they closed (nor does the
     * demo's): the program's latest visit left then names the next due date again. */
    static const char RESTORE[] =
        "INSERT INTO tasks (resident_id, team_id, doctor_id, kind, program, due_date, county_code)"
        " SELECT f.resident_id, nullif(?3, 0), nullif(?4, 0), 'followup', f.program, f.next_due, f.county_code"
        " FROM followups f WHERE f.resident_id = ?1 AND f.program = ?2 AND f.next_due IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.resident_id = ?1 AND t.kind = 'followup'"
        "   AND t.program = ?2 AND t.status = 'open')"
        " ORDER BY f.visit_date DESC, f.id DESC LIMIT 1 RETURNING id";
    const char *by_followup[5] = {CONFIRM_TASKS, EVENTS, REFERRALS, KEEP_SEEN, ROW};
    for (int i = 0; i < 5; i++) {
        struct db_stmt *st = db_prepare(db, by_followup[i]);
        if (!st) return -1;
        db_bind_int(st, 1, f->id);
        if (db_run(st) != DB_DONE) return -1;
    }
    struct db_stmt *st;
    *cancelled = 0;
    if (f->task_id) {
        if (!(st = db_prepare(db, CANCEL))) return -1;
        db_bind_int(st, 1, f->task_id);
        if (db_run(st) != DB_DONE) return -1;
        *cancelled = db_changes(db) == 1;
    }
    if (f->closed_task_id) {
        if (!(st = db_prepare(db, REOPEN))) return -1;
        db_bind_int(st, 1, f->closed_task_id);
        int64_t reopened = returned_id(st);
        if (reopened != 0) return reopened;
    }
    if (!(st = db_prepare(db, RESTORE))) return -1;
    db_bind_int(st, 1, f->resident_id);
    db_bind_text(st, 2, f->program);
    db_bind_int(st, 3, team_id);
    db_bind_int(st, 4, doctor_id);
    return returned_id(st);
}

static json_t *json_or_null(const char *text)
{
    json_t *v = text ? json_loads(text, 0, NULL) : NULL;
    return v ? v : json_null();
}

static json_t *number_or_null(struct db_stmt *st, int col, int real)
{
    if (db_column_is_null(st, col)) return json_null();
    return real ? json_real(db_column_double(st, col)) : json_integer(db_column_int(st, col));
}

json_t *store_followups_list(struct db *db, int64_t resident_id, const char *program, int limit)
{
    static const char SQL[] =
        "SELECT f.id, f.program, f.visit_date, f.mode, f.staff_id, s.name, f.sbp, f.dbp, f.fbg, "
        "f.heart_rate,"
        " f.temperature, f.danger_level, f.weight_kg, f.findings, f.medications, f.result, "
        "f.task_id, f.note,"
        " f.created_at, f.medication_adherence, f.hba1c FROM followups f LEFT JOIN staff s ON s.id = f.staff_id"
        " WHERE f.resident_id = ?1 AND (?2 IS NULL OR f.program = ?2)"
        " ORDER BY f.visit_date DESC, f.id DESC LIMIT ?3";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    db_bind_int(st, 3, limit);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(o, "program", db_column_text(st, 1));
        jx_set_string_or_null(o, "visit_date", db_column_text(st, 2));
        jx_set_string_or_null(o, "mode", db_column_text(st, 3));
        json_object_set_new(o, "staff_id", number_or_null(st, 4, 0));
        jx_set_string_or_null(o, "staff_name", db_column_text(st, 5));
        json_object_set_new(o, "sbp", number_or_null(st, 6, 0));
        json_object_set_new(o, "dbp", number_or_null(st, 7, 0));
        json_object_set_new(o, "fbg", number_or_null(st, 8, 1));
        json_object_set_new(o, "heart_rate", number_or_null(st, 9, 0));
        json_object_set_new(o, "temperature", number_or_null(st, 10, 1));
        json_object_set_new(o, "danger_level", number_or_null(st, 11, 0));
        json_object_set_new(o, "weight_kg", number_or_null(st, 12, 1));
        json_object_set_new(o, "findings", json_or_null(db_column_text(st, 13)));
        json_object_set_new(o, "medications", json_or_null(db_column_text(st, 14)));
        json_object_set_new(o, "evaluation", json_or_null(db_column_text(st, 15)));
        json_object_set_new(o, "task_id", number_or_null(st, 16, 0));
        jx_set_string_or_null(o, "note", db_column_text(st, 17));
        jx_set_string_or_null(o, "created_at", db_column_text(st, 18));
        jx_set_string_or_null(o, "medication_adherence", db_column_text(st, 19));
        json_object_set_new(o, "hba1c", number_or_null(st, 20, 1));
        json_array_append_new(items, o);
    }
    return items;
}

json_t *store_followup_year(struct db *db, int64_t resident_id, const char *year_start,
                            const char *until)
{
    /* The window of each enrolment inside the year: from the later of its start and Jan 1
     * to the earlier of its end and `until`. */
#define IN_WINDOW                                                                                        \
    " f.resident_id = e.resident_id AND f.program = e.program AND f.visit_date >= max(e.start_date, ?2)" \
    " AND f.visit_date <= min(coalesce(e.end_date, ?3), ?3)"
    static const char SQL[] =
        "SELECT e.program, e.start_date, e.end_date, (SELECT count(*) FROM followups f WHERE" IN_WINDOW
        "),"
        " (SELECT f.visit_date || '|' || coalesce(f.classification, '') FROM followups f WHERE" IN_WINDOW
        "   ORDER BY f.visit_date DESC, f.id DESC LIMIT 1)"
        " FROM enrolments e WHERE e.resident_id = ?1 AND e.start_date <= ?3"
        " AND (e.end_date IS NULL OR e.end_date >= ?2) ORDER BY e.program, e.start_date";
#undef IN_WINDOW
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, year_start);
    db_bind_text(st, 3, until);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_pack("{s:s, s:s, s:I}", "program", db_column_text(st, 0), "start_date",
                              db_column_text(st, 1), "followups", (json_int_t)db_column_int(st, 3));
        if (!db_column_is_null(st, 2))
            json_object_set_new(o, "end_date", json_string(db_column_text(st, 2)));
        const char *latest = db_column_text(st, 4);
        if (latest && strlen(latest) >= 11) {
            json_object_set_new(o, "latest_date", json_stringn(latest, 10));
            if (latest[11])
                json_object_set_new(o, "latest_classification", json_string(latest + 11));
        }
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

#define FOLLOWUP_SEARCH_FILTERS                                                                    \
    " AND (?1 IS NULL OR f.program = ?1) AND (?2 IS NULL OR f.visit_date >= ?2)"                   \
    " AND (?3 IS NULL OR f.visit_date <= ?3)"                                                      \
    " AND (?4 IS NULL OR (r.region >= ?4 AND r.region < ?4 || ';'))"                               \
    " AND (?5 = 0 OR EXISTS (SELECT 1 FROM team_cells tc WHERE tc.team_id = ?5"                    \
    "   AND r.region >= tc.region_code AND r.region < tc.region_code || ';'))"                     \
    " AND (?6 = 0 OR f.staff_id = ?6)"

#define FOLLOWUP_SEARCH_COLUMNS                                                                    \
    "f.id, f.resident_id, r.name, r.region, f.program, f.visit_date, f.mode, sf.name, f.sbp,"      \
    " f.dbp, f.fbg, f.heart_rate, f.weight_kg, f.result, f.medication_adherence, f.note, f.hba1c"

static json_t *followup_search_row(struct db_stmt *st, void *arg)
{
    (void)arg;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    json_object_set_new(o, "resident_id", json_integer(db_column_int(st, 1)));
    jx_set_string_or_null(o, "resident_name", db_column_text(st, 2));
    jx_set_string_or_null(o, "region", db_column_text(st, 3));
    jx_set_string_or_null(o, "program", db_column_text(st, 4));
    jx_set_string_or_null(o, "visit_date", db_column_text(st, 5));
    jx_set_string_or_null(o, "mode", db_column_text(st, 6));
    jx_set_string_or_null(o, "staff_name", db_column_text(st, 7));
    json_object_set_new(o, "sbp", number_or_null(st, 8, 0));
    json_object_set_new(o, "dbp", number_or_null(st, 9, 0));
    json_object_set_new(o, "fbg", number_or_null(st, 10, 1));
    json_object_set_new(o, "heart_rate", number_or_null(st, 11, 0));
    json_object_set_new(o, "weight_kg", number_or_null(st, 12, 1));
    json_object_set_new(o, "evaluation", json_or_null(db_column_text(st, 13)));
    jx_set_string_or_null(o, "medication_adherence", db_column_text(st, 14));
    jx_set_string_or_null(o, "note", db_column_text(st, 15));
    json_object_set_new(o, "hba1c", number_or_null(st, 16, 1));
    return o;
}

static void bind_followup_filter(struct db_stmt *st, const struct followup_filter *f)
{
    db_bind_text(st, 1, f->program);
    db_bind_text(st, 2, f->from);
    db_bind_text(st, 3, f->to);
    db_bind_text(st, 4, f->region);
    db_bind_int(st, 5, f->team_id);
    db_bind_int(st, 6, f->doctor_id);
}

json_t *store_followups_search(struct db *db, const struct followup_filter *f, int limit,
                               int64_t cursor, int64_t *total, int64_t *next_cursor)
{
    /* As for residents: a township or more walks follow-ups in id order and tests each one's
     * resident; a team's few cells reach their residents, then their follow-ups, by index. */
    static const char COUNT_WIDE[] =
        "SELECT count(*) FROM followups f JOIN residents r ON r.id = f.resident_id"
        " WHERE " SCOPE_VISIBLE FOLLOWUP_SEARCH_FILTERS;
    static const char COUNT_NARROW[] =
        "SELECT count(*)" SCOPE_DRIVEN_FROM
        " JOIN followups f ON f.resident_id = r.id WHERE 1 = 1" FOLLOWUP_SEARCH_FILTERS;
    static const char PAGE_WIDE[] =
        "SELECT " FOLLOWUP_SEARCH_COLUMNS
        " FROM followups f JOIN residents r ON r.id = f.resident_id"
        " LEFT JOIN staff sf ON sf.id = f.staff_id WHERE " SCOPE_VISIBLE FOLLOWUP_SEARCH_FILTERS
        " AND f.id > ?7 ORDER BY f.id LIMIT ?8";
    static const char PAGE_NARROW[] =
        "SELECT " FOLLOWUP_SEARCH_COLUMNS SCOPE_DRIVEN_FROM
        " JOIN followups f ON f.resident_id = r.id"
        " LEFT JOIN staff sf ON sf.id = f.staff_id WHERE 1 = 1" FOLLOWUP_SEARCH_FILTERS
        " AND f.id > ?7 ORDER BY f.id LIMIT ?8";
    int wide = 0;
    if (store_scope_load(db, f->user_id, &wide) < 0) return NULL;
    struct db_stmt *st;
    if (total) {
        if (!(st = db_prepare(db, wide ? COUNT_WIDE : COUNT_NARROW))) return NULL;
        bind_followup_filter(st, f);
        *total = db_query_int(st, 0);
    }
    if (!(st = db_prepare(db, wide ? PAGE_WIDE : PAGE_NARROW))) return NULL;
    bind_followup_filter(st, f);
    db_bind_int(st, 7, cursor);
    db_bind_int(st, 8, limit + 1);
    return store_read_page(st, limit, next_cursor, followup_search_row, NULL);
}
