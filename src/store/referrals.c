/* referrals.c (store) - see referrals.h. */
#include "store/referrals.h"

#include <stdio.h>
#include <string.h>

#include "store/scope.h"

static void bind_id_or_null(struct db_stmt *st, int index, int64_t id)
{
    if (id > 0)
        db_bind_int(st, index, id);
    else
        db_bind_null(st, index);
}

static const char *text_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? NULL : db_column_text(st, col);
}

static void set_text(json_t *o, const char *key, struct db_stmt *st, int col)
{
    const char *t = text_or_null(st, col);
    json_object_set_new(o, key, t ? json_string(t) : json_null());
}

static void set_id(json_t *o, const char *key, struct db_stmt *st, int col)
{
    json_object_set_new(
        o, key, db_column_is_null(st, col) ? json_null() : json_integer(db_column_int(st, col)));
}

static void set_json(json_t *o, const char *key, struct db_stmt *st, int col, json_t *fallback)
{
    const char *t = text_or_null(st, col);
    json_t *v = t ? json_loads(t, 0, NULL) : NULL;
    if (v) json_decref(fallback);
    json_object_set_new(o, key, v ? v : fallback);
}

int store_referral_core(struct db *db, int64_t id, struct referral_core *out)
{
    static const char SQL[] =
        "SELECT resident_id, coalesce(from_institution_id, 0), coalesce(to_institution_id, 0),"
        " direction = 'up', status, referred_on, county_code FROM referrals WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    memset(out, 0, sizeof *out);
    out->id = id;
    out->resident_id = db_column_int(st, 0);
    out->from_institution_id = db_column_int(st, 1);
    out->to_institution_id = db_column_int(st, 2);
    out->up = db_column_int(st, 3) != 0;
    snprintf(out->status, sizeof out->status, "%s", db_column_text(st, 4));
    snprintf(out->referred_on, sizeof out->referred_on, "%s", db_column_text(st, 5));
    snprintf(out->county, sizeof out->county, "%s", db_column_text(st, 6));
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_referral_move(struct db *db, int64_t id, const struct referral_move *m)
{
    static const char MOVE[] =
        "UPDATE referrals SET status = ?3, seen_on = coalesce(?4, seen_on),"
        " returned_on = coalesce(?5, returned_on), return_summary = coalesce(?6, return_summary),"
        " return_plan = coalesce(?7, return_plan), return_medications = coalesce(?8, return_medications),"
        " decline_reason = coalesce(?9, decline_reason), closed_on = coalesce(?10, closed_on)"
        " WHERE id = ?1 AND status = ?2";
    static const char EVENT[] =
        "INSERT INTO referral_events (referral_id, from_status, to_status, by_user, note)"
        " VALUES (?1, ?2, ?3, ?4, ?5)";
    struct db_stmt *st = db_prepare(db, MOVE);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, m->from_status);
    db_bind_text(st, 3, m->to_status);
    db_bind_text(st, 4, m->seen_on);
    db_bind_text(st, 5, m->returned_on);
    db_bind_text(st, 6, m->return_summary);
    db_bind_text(st, 7, m->return_plan);
    db_bind_text(st, 8, m->return_medications);
    db_bind_text(st, 9, m->decline_reason);
    db_bind_text(st, 10, m->closed_on);
    if (db_run(st) != DB_DONE) return -1;
    if (db_changes(db) == 0) return 0;
    if (!(st = db_prepare(db, EVENT))) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, m->from_status);
    db_bind_text(st, 3, m->to_status);
    bind_id_or_null(st, 4, m->by_user);
    db_bind_text(st, 5, m->note);
    return db_run(st) == DB_DONE ? 1 : -1;
}

long store_referral_tasks_close(struct db *db, int64_t id, const char *kind, const char *status,
                                int64_t by_user, const char *outcome)
{
    (void)by_user;
    static const char SQL[] =
        "UPDATE tasks SET status = ?3, closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
        " note = coalesce(?4, note) WHERE referral_id = ?1 AND status = 'open' AND (?2 IS NULL OR kind = ?2)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, kind);
    db_bind_text(st, 3, status);
    db_bind_text(st, 4, outcome);
    if (db_run(st) != DB_DONE) return -1;
    return (long)db_changes(db);
}

int store_referral_carer(struct db *db, int64_t id, int64_t resident_id, int64_t *team_id,
                         int64_t *doctor_id)
{
    static const char SQL[] =
        "SELECT team_id, doctor_id FROM (SELECT coalesce(team_id, 0) AS team_id, coalesce(doctor_id, 0) AS doctor_id, 0 AS k"
        "   FROM tasks WHERE referral_id = ?1 AND kind = 'referral_confirm' AND team_id IS NOT NULL"
        " UNION ALL SELECT team_id, doctor_id, 1 FROM contracts WHERE resident_id = ?2 AND status = 'active'"
        " UNION ALL SELECT tm.team_id, s.id, 2 FROM referrals f JOIN staff s ON s.user_id = f.sent_by"
        "   JOIN team_members tm ON tm.staff_id = s.id WHERE f.id = ?1) candidates"
        " ORDER BY k LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, resident_id);
    *team_id = *doctor_id = 0;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *team_id = db_column_int(st, 0);
        *doctor_id = db_column_int(st, 1);
        rc = db_run(st);
    }
    return rc == DB_DONE ? 0 : -1;
}

int store_referral_satisfaction(struct db *db, int64_t id, int score, const char *on)
{
    static const char SQL[] = "UPDATE referrals SET satisfaction = ?2, satisfaction_on = ?3"
                              " WHERE id = ?1 AND satisfaction IS NULL";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, score);
    db_bind_text(st, 3, on);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) > 0;
}

#define LIST_COLUMNS                                                                               \
    "r.id, r.resident_id, p.name, p.sex, p.birth_date, r.referred_on, r.direction, r.status,"      \
    " r.category, r.department, r.urgent, r.reasons, r.reason, r.from_institution_id, fi.name,"    \
    " r.to_institution_id, ti.name, r.seen_on, r.returned_on, r.closed_on, r.decline_reason,"      \
    " r.satisfaction, r.followup_id, r.target_level"
#define LIST_FROM                                                                                  \
    " FROM referrals r JOIN residents p ON p.id = r.resident_id"                                   \
    " LEFT JOIN institutions fi ON fi.id = r.from_institution_id"                                  \
    " LEFT JOIN institutions ti ON ti.id = r.to_institution_id"

/* One row of LIST_COLUMNS. */
static json_t *list_row(struct db_stmt *st)
{
    json_t *o = json_object();
    set_id(o, "id", st, 0);
    set_id(o, "resident_id", st, 1);
    set_text(o, "resident_name", st, 2);
    set_text(o, "sex", st, 3);
    set_text(o, "birth_date", st, 4);
    set_text(o, "referred_on", st, 5);
    set_text(o, "direction", st, 6);
    set_text(o, "status", st, 7);
    set_text(o, "category", st, 8);
    set_text(o, "department", st, 9);
    json_object_set_new(o, "urgent", json_boolean(db_column_int(st, 10)));
    set_json(o, "reasons", st, 11, json_array());
    set_text(o, "reason", st, 12);
    set_id(o, "from_institution_id", st, 13);
    set_text(o, "from_institution_name", st, 14);
    set_id(o, "to_institution_id", st, 15);
    set_text(o, "to_institution_name", st, 16);
    set_text(o, "seen_on", st, 17);
    set_text(o, "returned_on", st, 18);
    set_text(o, "closed_on", st, 19);
    set_text(o, "decline_reason", st, 20);
    set_id(o, "satisfaction", st, 21);
    set_id(o, "followup_id", st, 22);
    set_text(o, "target_level", st, 23);
    return o;
}

json_t *store_referral_get(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT " LIST_COLUMNS ", r.summary, r.return_summary, r.return_plan,"
        " r.return_medications, r.satisfaction_on" LIST_FROM " WHERE r.id = ?1";
    static const char EVENTS[] =
        "SELECT e.from_status, e.to_status, e.at, e.by_user, u.display_name, u.role, e.note"
        " FROM referral_events e LEFT JOIN users u ON u.id = e.by_user WHERE e.referral_id = ?1 ORDER BY e.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = list_row(st);
    set_json(o, "summary", st, 24, json_null());
    set_text(o, "return_summary", st, 25);
    set_text(o, "return_plan", st, 26);
    set_json(o, "return_medications", st, 27, json_array());
    set_text(o, "satisfaction_on", st, 28);
    if (db_run(st) != DB_DONE || !(st = db_prepare(db, EVENTS))) {
        json_decref(o);
        return NULL;
    }
    db_bind_int(st, 1, id);
    json_t *events = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *e = json_object();
        set_text(e, "from", st, 0);
        set_text(e, "to", st, 1);
        set_text(e, "at", st, 2);
        set_id(e, "by_user_id", st, 3);
        set_text(e, "by", st, 4);
        set_text(e, "by_role", st, 5);
        set_text(e, "note", st, 6);
        json_array_append_new(events, e);
    }
    json_object_set_new(o, "events", events);
    if (rc != DB_DONE) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Keyset paging in the list's own order (newest first): after the cursor's row. */
#define AFTER_CURSOR                                                                               \
    " AND (?8 = 0 OR (r.referred_on, r.id) < ((SELECT referred_on FROM referrals WHERE id = ?8), ?8))"

/* The filters every variant shares after its own WHERE (?3 status, ?4 direction, ?5/?6 dates). */
#define LIST_FILTERS                                                                                \
    " AND (?4 IS NULL OR r.direction = ?4)"                                                         \
    " AND (?5 IS NULL OR r.referred_on >= ?5) AND (?6 IS NULL OR r.referred_on <= ?6)" AFTER_CURSOR \
    " ORDER BY r.referred_on DESC, r.id DESC LIMIT ?7"
/* The family-doctor side's direction for its side (?2): incoming = down, outgoing = up. */
#define SIDE_DIRECTION                                                                             \
    " (?2 IS NULL OR (?2 = 'incoming' AND r.direction = 'down')"                                   \
    "  OR (?2 = 'outgoing' AND r.direction = 'up'))"

json_t *store_referrals_query(struct db *db, const struct referral_filter *f, int64_t *next_cursor)
{
    /* A hospital desk: the referrals sent to (incoming) or from (outgoing) its hospital, each
     * side read newest first down its own index (with or without a status, whose index keeps
     * the date order too), so a page stops after its rows instead of sorting the 20,000 a
     * county hospital receives; both sides at once are the two merged and sorted. */
#define HOSPITAL_SIDE(column, side, status)                                                        \
    "SELECT " LIST_COLUMNS LIST_FROM " WHERE r." column " = ?1 AND ?2 = '" side                    \
    "' AND " status LIST_FILTERS
    static const char *const HOSPITAL[2][2] = {
        {HOSPITAL_SIDE("to_institution_id", "incoming", "?3 IS NULL"),
         HOSPITAL_SIDE("to_institution_id", "incoming", "r.status = ?3")},
        {HOSPITAL_SIDE("from_institution_id", "outgoing", "?3 IS NULL"),
         HOSPITAL_SIDE("from_institution_id", "outgoing", "r.status = ?3")}};
    static const char HOSPITAL_BOTH[] =
        "SELECT " LIST_COLUMNS LIST_FROM
        " WHERE (r.to_institution_id = ?1 OR r.from_institution_id = ?1) AND ?2 IS NULL"
        " AND (?3 IS NULL OR r.status = ?3)" LIST_FILTERS;
    /* The family-doctor side: a township or more reads the referrals newest first and keeps
     * the visible ones; a narrower scope (a doctor's villages, a resident) starts from its
     * residents and sorts their few referrals. */
    static const char WIDE[] =
        "SELECT " LIST_COLUMNS LIST_FROM " WHERE" SIDE_DIRECTION
        " AND (?3 IS NULL OR r.status = ?3)"
        " AND EXISTS (SELECT 1 FROM residents r WHERE r.id = p.id AND " SCOPE_VISIBLE
        ")" LIST_FILTERS;
    static const char NARROW[] =
        "SELECT " LIST_COLUMNS " FROM (SELECT r.id AS rid" SCOPE_DRIVEN_FROM
        " UNION SELECT id FROM temp.scope_ids) v CROSS JOIN referrals r ON r.resident_id = v.rid"
        " JOIN residents p ON p.id = r.resident_id"
        " LEFT JOIN institutions fi ON fi.id = r.from_institution_id"
        " LEFT JOIN institutions ti ON ti.id = r.to_institution_id"
        " WHERE" SIDE_DIRECTION " AND (?3 IS NULL OR r.status = ?3)" LIST_FILTERS;
    const char *sql;
    if (f->hospital) {
        int outgoing = f->side && !strcmp(f->side, "outgoing");
        sql = f->side ? HOSPITAL[outgoing][f->status != NULL] : HOSPITAL_BOTH;
    } else {
        int wide = 0;
        if (store_scope_load(db, f->user_id, &wide) < 0) return NULL;
        sql = wide == 1 ? WIDE : NARROW;
    }
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return NULL;
    db_bind_int(st, 1, f->hospital);
    db_bind_text(st, 2, f->side);
    db_bind_text(st, 3, f->status);
    db_bind_text(st, 4, f->direction);
    db_bind_text(st, 5, f->from);
    db_bind_text(st, 6, f->to);
    db_bind_int(st, 7, f->limit + 1);
    db_bind_int(st, 8, f->cursor);
    json_t *items = json_array();
    int rc, n = 0;
    *next_cursor = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n++ == f->limit) { /* the extra row: more follow */
            *next_cursor = json_integer_value(
                json_object_get(json_array_get(items, (size_t)f->limit - 1), "id"));
            db_release(db);
            rc = DB_DONE;
            break;
        }
        json_array_append_new(items, list_row(st));
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

/* 1 when the hospital had an up-referral of the resident sent to it, 0 not, -1 error. */
int store_referral_hospital_had(struct db *db, int64_t hospital, int64_t resident)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT EXISTS (SELECT 1 FROM referrals WHERE resident_id = ?1"
                       " AND direction = 'up' AND to_institution_id = ?2)");
    if (!st) return -1;
    db_bind_int(st, 1, resident);
    db_bind_int(st, 2, hospital);
    return (int)db_query_int(st, -1);
}
