/* copd.c (store) - see copd.h. */
#include "store/copd.h"

#include <stdio.h>

#include "store/page.h"

int store_copd_enrolled(struct db *db, int64_t resident_id, char start[11])
{
    static const char SQL[] =
        "SELECT start_date FROM enrolments WHERE resident_id = ?1 AND program = 'copd' AND end_date IS NULL";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    int rc = db_step(st);
    if (rc == DB_ROW) snprintf(start, 11, "%s", db_column_text(st, 0));
    db_run(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The date one statement (?1 resident, ?2 day unless `on` is NULL) answers: 1 and *out, 0
 * none, -1 error. */
static int latest_date(struct db *db, const char *sql, int64_t resident_id, const char *on,
                       struct date *out)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    if (on) db_bind_text(st, 2, on);
    int rc = db_step(st);
    int found =
        rc == DB_ROW && !db_column_is_null(st, 0) && date_parse(db_column_text(st, 0), out) == 0;
    db_run(st);
    return rc == DB_ROW ? found : -1;
}

int store_copd_last_spirometry(struct db *db, int64_t resident_id, const char *on, struct date *out)
{
    static const char SQL[] =
        "SELECT max(visit_date) FROM copd_visits WHERE resident_id = ?1 AND visit_date <= ?2"
        " AND fev1_pct IS NOT NULL";
    return latest_date(db, SQL, resident_id, on, out);
}

int store_copd_last_visit(struct db *db, int64_t resident_id, struct date *out)
{
    static const char SQL[] = "SELECT max(visit_date) FROM copd_visits WHERE resident_id = ?1";
    return latest_date(db, SQL, resident_id, NULL, out);
}

int store_copd_last_review(struct db *db, int64_t resident_id, const char *on, struct date *out)
{
    static const char SQL[] =
        "SELECT max(referred_on) FROM referrals WHERE resident_id = ?1 AND referred_on <= ?2"
        " AND reason IN ('copd_exacerbation', 'frequent_exacerbations') AND status <> 'cancelled'";
    return latest_date(db, SQL, resident_id, on, out);
}

static void bind_optional(struct db_stmt *st, int index, int has, int value)
{
    if (has)
        db_bind_int(st, index, value);
    else
        db_bind_null(st, index);
}

int64_t store_copd_visit_insert(struct db *db, const struct copd_visit_input *in)
{
    static const char SQL[] =
        "INSERT INTO copd_visits (resident_id, visit_date, mode, mmrc, cat, exacerbations_moderate,"
        " exacerbations_hospitalised, acute, danger_signs, spo2, respiratory_rate, fev1_pct, smoking, inhaler_ok,"
        " grp, gold_grade, action, reasons, next_due, note, staff_id, recorded_by, county_code)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
        " ?22, ?23) RETURNING id";
    const struct copd_visit *v = in->visit;
    const struct copd_result *r = in->result;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    char day[11], next[11];
    date_format(v->date, day);
    date_format(r->next_due, next);
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, day);
    db_bind_text(st, 3, in->mode);
    db_bind_int(st, 4, v->mmrc);
    db_bind_int(st, 5, v->cat);
    db_bind_int(st, 6, v->exacerbations_moderate);
    db_bind_int(st, 7, v->exacerbations_hospitalised);
    db_bind_int(st, 8, v->acute);
    db_bind_int(st, 9, v->danger_signs);
    bind_optional(st, 10, v->has_spo2, v->spo2);
    bind_optional(st, 11, v->has_respiratory_rate, v->respiratory_rate);
    bind_optional(st, 12, v->has_fev1, v->fev1_pct);
    db_bind_int(st, 13, v->smoking);
    bind_optional(st, 14, v->has_inhaler_ok, v->inhaler_ok);
    db_bind_text(st, 15, copd_group_name(r->group));
    bind_optional(st, 16, r->gold_grade > 0, r->gold_grade);
    db_bind_text(st, 17, copd_action_name(r->action));
    db_bind_text(st, 18, in->reasons);
    db_bind_text(st, 19, next);
    db_bind_text(st, 20, in->note);
    if (in->staff_id)
        db_bind_int(st, 21, in->staff_id);
    else
        db_bind_null(st, 21);
    if (in->recorded_by)
        db_bind_int(st, 22, in->recorded_by);
    else
        db_bind_null(st, 22);
    db_bind_text(st, 23, in->county_code);
    return db_insert_id(st);
}

json_t *store_copd_visits_of(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT v.id, v.visit_date, v.mode, v.mmrc, v.cat, v.exacerbations_moderate, v.exacerbations_hospitalised,"
        " v.acute, v.danger_signs, v.spo2, v.respiratory_rate, v.fev1_pct, v.smoking, v.inhaler_ok, v.grp,"
        " v.gold_grade, v.action, v.reasons, v.next_due, v.note, s.name"
        " FROM copd_visits v LEFT JOIN staff s ON s.id = v.staff_id WHERE v.resident_id = ?1"
        " ORDER BY v.visit_date DESC, v.id DESC LIMIT 200";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *reasons = json_loads(db_column_text(st, 17), 0, NULL);
        json_t *o = json_pack(
            "{s:I,s:s,s:s,s:i,s:i,s:i,s:i,s:b,s:b,s:o,s:o,s:o,s:b,s:o,s:s,s:o,s:s,s:o,s:s,s:s?,s:s?}",
            "id", (json_int_t)db_column_int(st, 0), "visit_date", db_column_text(st, 1), "mode",
            db_column_text(st, 2), "mmrc", (int)db_column_int(st, 3), "cat",
            (int)db_column_int(st, 4), "exacerbations_moderate", (int)db_column_int(st, 5),
            "exacerbations_hospitalised", (int)db_column_int(st, 6), "acute",
            (int)db_column_int(st, 7), "danger_signs", (int)db_column_int(st, 8), "spo2",
            store_int_or_null(st, 9), "respiratory_rate", store_int_or_null(st, 10), "fev1_pct",
            store_int_or_null(st, 11), "smoking", (int)db_column_int(st, 12), "inhaler_ok",
            db_column_is_null(st, 13) ? json_null() : json_boolean(db_column_int(st, 13)), "group",
            db_column_text(st, 14), "gold_grade", store_int_or_null(st, 15), "action",
            db_column_text(st, 16), "reasons", reasons ? reasons : json_array(), "next_due",
            db_column_text(st, 18), "note", db_column_text(st, 19), "staff_name",
            db_column_text(st, 20));
        if (o) json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}
