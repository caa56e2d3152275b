/* visit_requests.c (store) - see visit_requests.h. */
#include "store/visit_requests.h"

#include <stdio.h>
#include <string.h>

#include "store/pii.h"

static json_t *text_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : json_string(db_column_text(st, col));
}

static json_t *id_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : json_integer(db_column_int(st, col));
}

static void copy_text(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

int64_t store_visit_request_insert(struct db *db, const struct visit_request_input *in)
{
    static const char SQL[] =
        "INSERT INTO visit_requests (resident_id, team_id, contract_id, kind, priority,"
        " priority_reasons, preferred_date, preferred_time, reason, department_id, requested_by,"
        " county_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, in->resident_id);
    db_bind_int(st, 2, in->team_id);
    if (in->contract_id > 0)
        db_bind_int(st, 3, in->contract_id);
    else
        db_bind_null(st, 3);
    db_bind_text(st, 4, in->kind);
    db_bind_text(st, 5, in->priority);
    db_bind_text(st, 6, in->priority_reasons ? in->priority_reasons : "[]");
    db_bind_text(st, 7, in->preferred_date);
    db_bind_text(st, 8, in->preferred_time);
    db_bind_text(st, 9, in->reason);
    if (in->department_id > 0)
        db_bind_int(st, 10, in->department_id);
    else
        db_bind_null(st, 10);
    if (in->requested_by > 0)
        db_bind_int(st, 11, in->requested_by);
    else
        db_bind_null(st, 11);
    db_bind_text(st, 12, in->county_code);
    return db_insert_id(st);
}

int store_visit_request_get(struct db *db, int64_t id, struct visit_request_row *out)
{
    static const char SQL[] =
        "SELECT id, resident_id, team_id, coalesce(booking_id, 0), kind, status, preferred_date,"
        " confirmed_date, confirmed_time FROM visit_requests WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_DONE) return STORE_NOT_FOUND;
    if (rc != DB_ROW) return -1;
    out->id = db_column_int(st, 0);
    out->resident_id = db_column_int(st, 1);
    out->team_id = db_column_int(st, 2);
    out->booking_id = db_column_int(st, 3);
    copy_text(out->kind, sizeof out->kind, db_column_text(st, 4));
    copy_text(out->status, sizeof out->status, db_column_text(st, 5));
    copy_text(out->preferred_date, sizeof out->preferred_date, db_column_text(st, 6));
    copy_text(out->confirmed_date, sizeof out->confirmed_date, db_column_text(st, 7));
    copy_text(out->confirmed_time, sizeof out->confirmed_time, db_column_text(st, 8));
    db_run(st);
    return 0;
}

/* Runs a guarded move: 1 when a row changed, 0 when none did, -1 on error. */
static int moved(struct db *db, struct db_stmt *st)
{
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) > 0;
}

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

int store_visit_request_confirm(struct db *db, int64_t id, const char *date, const char *time,
                                int64_t booking_id, int64_t user_id)
{
    static const char SQL[] =
        "UPDATE visit_requests SET status = 'confirmed', confirmed_date = ?2, confirmed_time = ?3,"
        " booking_id = ?4, handled_by = ?5, updated_at = " NOW
        " WHERE id = ?1 AND status = 'requested'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, date);
    db_bind_text(st, 3, time);
    if (booking_id > 0)
        db_bind_int(st, 4, booking_id);
    else
        db_bind_null(st, 4);
    if (user_id > 0)
        db_bind_int(st, 5, user_id);
    else
        db_bind_null(st, 5);
    return moved(db, st);
}

int store_visit_request_cancel(struct db *db, int64_t id, const char *reason, int64_t user_id)
{
    static const char SQL[] =
        "UPDATE visit_requests SET status = 'cancelled', cancel_reason = ?2, handled_by = ?3,"
        " updated_at = " NOW " WHERE id = ?1 AND status IN ('requested','confirmed')";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, reason);
    if (user_id > 0)
        db_bind_int(st, 3, user_id);
    else
        db_bind_null(st, 3);
    return moved(db, st);
}

int store_visit_request_done(struct db *db, int64_t id, int64_t encounter_id, int64_t user_id)
{
    static const char SQL[] =
        "UPDATE visit_requests SET status = 'done', encounter_id = ?2, handled_by = ?3,"
        " updated_at = " NOW " WHERE id = ?1 AND status = 'confirmed'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    if (encounter_id > 0)
        db_bind_int(st, 2, encounter_id);
    else
        db_bind_null(st, 2);
    if (user_id > 0)
        db_bind_int(st, 3, user_id);
    else
        db_bind_null(st, 3);
    return moved(db, st);
}

/* The columns every answer holds; `r` is the resident, `v` the request. */
#define VISIT_COLUMNS                                                                              \
    "SELECT v.id, v.resident_id, r.name, r.birth_date, v.team_id, t.name, v.kind, v.status,"       \
    " v.priority, v.priority_reasons, v.preferred_date, v.preferred_time, v.reason,"               \
    " v.department_id, d.name_zh, v.confirmed_date, v.confirmed_time, v.booking_id,"               \
    " s.starts_at, i.name, v.encounter_id, v.cancel_reason, v.created_at, v.updated_at,"           \
    " r.address, r.phone, r.sex"                                                                   \
    " FROM visit_requests v JOIN residents r ON r.id = v.resident_id"                              \
    " JOIN teams t ON t.id = v.team_id"                                                            \
    " LEFT JOIN hospital_departments d ON d.id = v.department_id"                                  \
    " LEFT JOIN bookings b ON b.id = v.booking_id LEFT JOIN slots s ON s.id = b.slot_id"           \
    " LEFT JOIN institutions i ON i.id = s.institution_id"

static json_t *visit_row_json(struct db_stmt *st, int with_contact)
{
    json_t *reasons = json_loads(db_column_text(st, 9), 0, NULL);
    if (!json_is_array(reasons)) {
        json_decref(reasons);
        reasons = json_array();
    }
    json_t *o = json_pack(
        "{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:o, s:s}", "id",
        (json_int_t)db_column_int(st, 0), "resident_id", (json_int_t)db_column_int(st, 1),
        "resident_name", db_column_text(st, 2), "birth_date", db_column_text(st, 3), "team_id",
        (json_int_t)db_column_int(st, 4), "team_name", db_column_text(st, 5), "kind",
        db_column_text(st, 6), "status", db_column_text(st, 7), "priority", db_column_text(st, 8),
        "priority_reasons", reasons, "preferred_date", db_column_text(st, 10));
    json_object_set_new(o, "preferred_time", text_or_null(st, 11));
    json_object_set_new(o, "reason", text_or_null(st, 12));
    json_object_set_new(o, "department_id", id_or_null(st, 13));
    json_object_set_new(o, "department_name", text_or_null(st, 14));
    json_object_set_new(o, "confirmed_date", text_or_null(st, 15));
    json_object_set_new(o, "confirmed_time", text_or_null(st, 16));
    json_object_set_new(o, "booking_id", id_or_null(st, 17));
    json_object_set_new(o, "slot_starts_at", text_or_null(st, 18));
    json_object_set_new(o, "hospital_name", text_or_null(st, 19));
    json_object_set_new(o, "encounter_id", id_or_null(st, 20));
    json_object_set_new(o, "cancel_reason", text_or_null(st, 21));
    json_object_set_new(o, "created_at", text_or_null(st, 22));
    json_object_set_new(o, "updated_at", text_or_null(st, 23));
    json_object_set_new(o, "sex", text_or_null(st, 26));
    if (with_contact) {
        json_object_set_new(o, "address", text_or_null(st, 24));
        pii_set(o, "phone", st, 25);
    }
    return o;
}

json_t *store_visit_request_json(struct db *db, int64_t id)
{
    static const char SQL[] = VISIT_COLUMNS " WHERE v.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = visit_row_json(st, 0);
    db_run(st);
    return o;
}

json_t *store_visit_requests_of_resident(struct db *db, int64_t resident_id)
{
    static const char SQL[] = VISIT_COLUMNS " WHERE v.resident_id = ?1 ORDER BY v.id DESC";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, visit_row_json(st, 0));
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *store_visit_requests_of_team(struct db *db, int64_t team_id, const char *const *statuses,
                                     int limit, int64_t offset, int *more)
{
    /* Up to four statuses, bound as ?2..?5 (NULL matches nothing). */
    static const char SQL[] = VISIT_COLUMNS
        " WHERE v.team_id = ?1 AND v.status IN (?2, ?3, ?4, ?5)"
        " ORDER BY v.priority = 'high' DESC, coalesce(v.confirmed_date, v.preferred_date),"
        " v.confirmed_time IS NULL, v.confirmed_time, v.id LIMIT ?6 OFFSET ?7";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, team_id);
    int k = 0;
    for (; statuses[k] && k < 4; k++)
        db_bind_text(st, 2 + k, statuses[k]);
    for (; k < 4; k++)
        db_bind_null(st, 2 + k);
    db_bind_int(st, 6, limit + 1);
    db_bind_int(st, 7, offset);
    json_t *items = json_array();
    int rc, n = 0;
    *more = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n++ == limit) {
            *more = 1;
            continue;
        }
        json_array_append_new(items, visit_row_json(st, 1));
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int store_resident_bedridden(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT json_extract(result, '$.self_care_level') = 'unable' FROM followups"
        " WHERE resident_id = ?1 AND program = 'elderly' AND json_valid(result)"
        " ORDER BY visit_date DESC, id DESC LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    int64_t v = db_query_int(st, 0);
    return v < 0 ? -1 : v == 1;
}

int store_visit_resident_facts(struct db *db, int64_t resident_id, char birth[11], char county[7])
{
    static const char SQL[] = "SELECT birth_date, county_code FROM residents WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    int rc = db_step(st);
    if (rc == DB_DONE) return STORE_NOT_FOUND;
    if (rc != DB_ROW) return -1;
    copy_text(birth, 11, db_column_text(st, 0));
    copy_text(county, 7, db_column_text(st, 1));
    db_run(st);
    return 0;
}

int store_visit_team_name(struct db *db, int64_t team_id, char *out, size_t n)
{
    static const char SQL[] = "SELECT name FROM teams WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    if (db_step(st) != DB_ROW) return -1;
    copy_text(out, n, db_column_text(st, 0));
    db_run(st);
    return 0;
}

int store_visit_booking_place(struct db *db, int64_t booking_id, char *out, size_t n)
{
    static const char SQL[] =
        "SELECT i.name, d.name_zh, substr(s.starts_at, 12, 5) FROM bookings b"
        " JOIN slots s ON s.id = b.slot_id JOIN institutions i ON i.id = s.institution_id"
        " JOIN hospital_departments d ON d.id = s.department_id WHERE b.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, booking_id);
    if (db_step(st) != DB_ROW) return -1;
    snprintf(out, n, "%s %s %s", db_column_text(st, 0), db_column_text(st, 1),
             db_column_text(st, 2));
    db_run(st);
    return 0;
}

int store_visit_department_exists(struct db *db, int64_t department_id)
{
    static const char SQL[] = "SELECT count(*) FROM hospital_departments WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, department_id);
    int64_t v = db_query_int(st, -1);
    return v < 0 ? -1 : v > 0;
}
