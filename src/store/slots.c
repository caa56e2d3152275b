/* slots.c (store) - see slots.h. */
#include "store/slots.h"

#include <stdio.h>
#include <string.h>

#include "store/page.h"
#include "store/scope.h"

static void copy_text(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : json_string(db_column_text(st, col));
}

json_t *store_departments_list(struct db *db, int64_t hospital_id)
{
    static const char SQL[] = "SELECT id, code, name_zh, name_en FROM hospital_departments"
                              " WHERE institution_id = ?1 ORDER BY code";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, hospital_id);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(
            items, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)db_column_int(st, 0), "code",
                             db_column_text(st, 1), "name_zh", db_column_text(st, 2), "name_en",
                             db_column_text(st, 3)));
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int64_t store_department_insert(struct db *db, int64_t hospital_id, const char *code,
                                const char *name_zh, const char *name_en)
{
    static const char SQL[] =
        "INSERT INTO hospital_departments (institution_id, code, name_zh, name_en)"
        " VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, hospital_id);
    db_bind_text(st, 2, code);
    db_bind_text(st, 3, name_zh);
    db_bind_text(st, 4, name_en);
    return db_insert_id(st);
}

int64_t store_department_id(struct db *db, int64_t hospital_id, const char *code)
{
    static const char SQL[] =
        "SELECT id FROM hospital_departments WHERE institution_id = ?1 AND code = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, hospital_id);
    db_bind_text(st, 2, code);
    return db_query_int(st, 0);
}

int store_release_rule_get(struct db *db, int64_t hospital_id, int64_t department_id,
                           struct release_rule *out)
{
    /* The department's row sorts first (NULL department last). */
    static const char SQL[] =
        "SELECT family_share, family_lead_days, public_lead_days FROM slot_release_rules"
        " WHERE institution_id = ?1 AND (department_id = ?2 OR department_id IS NULL)"
        " ORDER BY department_id IS NULL LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, hospital_id);
    db_bind_int(st, 2, department_id);
    int rc = db_step(st);
    *out = SLOT_RELEASE_DEFAULT;
    if (rc == DB_ROW) {
        out->family_share = (int)db_column_int(st, 0);
        out->family_lead_days = (int)db_column_int(st, 1);
        out->public_lead_days = (int)db_column_int(st, 2);
        db_run(st);
        return 0;
    }
    return rc == DB_DONE ? 0 : -1;
}

static json_t *rule_json(const struct release_rule *r)
{
    return json_pack("{s:i, s:i, s:i}", "family_share", r->family_share, "family_lead_days",
                     r->family_lead_days, "public_lead_days", r->public_lead_days);
}

json_t *store_release_rules_json(struct db *db, int64_t hospital_id)
{
    static const char SQL[] =
        "SELECT r.department_id, d.code, d.name_zh, r.family_share, r.family_lead_days,"
        " r.public_lead_days FROM slot_release_rules r"
        " LEFT JOIN hospital_departments d ON d.id = r.department_id"
        " WHERE r.institution_id = ?1 ORDER BY r.department_id IS NOT NULL, d.code";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, hospital_id);
    json_t *out = json_pack("{s:I, s:n, s:[], s:o}", "hospital_id", (json_int_t)hospital_id, "rule",
                            "departments", "default", rule_json(&SLOT_RELEASE_DEFAULT));
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct release_rule rule = {(int)db_column_int(st, 3), (int)db_column_int(st, 4),
                                    (int)db_column_int(st, 5)};
        json_t *j = rule_json(&rule);
        if (db_column_is_null(st, 0)) {
            json_object_set_new(out, "rule", j);
            continue;
        }
        json_object_set_new(j, "department_id", json_integer(db_column_int(st, 0)));
        json_object_set_new(j, "department", json_string(db_column_text(st, 1)));
        json_object_set_new(j, "department_name", json_string(db_column_text(st, 2)));
        json_array_append_new(json_object_get(out, "departments"), j);
    }
    if (rc != DB_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int store_release_rules_clear(struct db *db, int64_t hospital_id)
{
    static const char SQL[] = "DELETE FROM slot_release_rules WHERE institution_id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, hospital_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_release_rule_put(struct db *db, int64_t hospital_id, int64_t department_id,
                           const struct release_rule *rule)
{
    static const char SQL[] =
        "INSERT INTO slot_release_rules (institution_id, department_id, family_share,"
        " family_lead_days, public_lead_days) VALUES (?1, nullif(?2, 0), ?3, ?4, ?5)"
        " ON CONFLICT (institution_id, ifnull(department_id, 0)) DO UPDATE SET"
        " family_share = excluded.family_share, family_lead_days = excluded.family_lead_days,"
        " public_lead_days = excluded.public_lead_days";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, hospital_id);
    db_bind_int(st, 2, department_id);
    db_bind_int(st, 3, rule->family_share);
    db_bind_int(st, 4, rule->family_lead_days);
    db_bind_int(st, 5, rule->public_lead_days);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int64_t store_schedule_insert(struct db *db, const struct schedule_input *in)
{
    static const char SQL[] =
        "INSERT INTO schedules (institution_id, department_id, doctor_name, staff_id, day,"
        " start_time, end_time, slot_minutes, capacity, created_by)"
        " VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6, ?7, ?8, ?9, nullif(?10, 0)) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, in->hospital_id);
    db_bind_int(st, 2, in->department_id);
    db_bind_text(st, 3, in->doctor_name);
    db_bind_int(st, 4, in->staff_id);
    db_bind_text(st, 5, in->day);
    db_bind_text(st, 6, in->start);
    db_bind_text(st, 7, in->end);
    db_bind_int(st, 8, in->slot_minutes);
    db_bind_int(st, 9, in->capacity);
    db_bind_int(st, 10, in->created_by);
    return db_insert_id(st);
}

int64_t store_slot_insert(struct db *db, int64_t schedule_id, const struct schedule_input *in,
                          const char *starts_at, const char *released_to, const char *family_from,
                          const char *public_from)
{
    static const char SQL[] =
        "INSERT INTO slots (schedule_id, institution_id, department_id, starts_at, capacity,"
        " released_to, family_from, public_from) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING "
        "id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, schedule_id);
    db_bind_int(st, 2, in->hospital_id);
    db_bind_int(st, 3, in->department_id);
    db_bind_text(st, 4, starts_at);
    db_bind_int(st, 5, in->capacity);
    db_bind_text(st, 6, released_to);
    db_bind_text(st, 7, family_from);
    db_bind_text(st, 8, public_from);
    return db_insert_id(st);
}

#define SLOT_COLUMNS                                                                               \
    "SELECT s.id, s.institution_id, i.name, d.code, d.name_zh, sc.doctor_name, s.starts_at,"       \
    " s.capacity, s.booked, s.released_to, s.public_from <= ?3, s.family_from, s.public_from,"     \
    " s.schedule_id, sc.slot_minutes FROM slots s JOIN schedules sc ON sc.id = s.schedule_id"      \
    " JOIN hospital_departments d ON d.id = s.department_id"                                       \
    " JOIN institutions i ON i.id = s.institution_id"
/* ?1 hospital, ?2 department code or NULL, ?3 today, ?4/?5 starts_at bounds, ?6 all,
 * ?7 limit, ?8 offset. The bookable filter: open to family doctors today and not full. */
#define SLOT_FILTER                                                                                \
    " AND s.starts_at >= ?4 AND s.starts_at <= ?5 AND (?2 IS NULL OR d.code = ?2)"                 \
    " AND (?6 = 1 OR (s.family_from <= ?3 AND s.booked < s.capacity))"                             \
    " ORDER BY s.starts_at, s.id LIMIT ?7 OFFSET ?8"

json_t *store_slots_search(struct db *db, const struct slot_query *q, int *more)
{
    /* Two texts so that each gets its index: the hospital's, or time across hospitals. */
    static const char BY_HOSPITAL[] = SLOT_COLUMNS " WHERE s.institution_id = ?1" SLOT_FILTER;
    static const char ANY_HOSPITAL[] = SLOT_COLUMNS " WHERE ?1 = 0" SLOT_FILTER;
    struct db_stmt *st = db_prepare(db, q->hospital_id ? BY_HOSPITAL : ANY_HOSPITAL);
    if (!st) return NULL;
    char from[20], to[20];
    snprintf(from, sizeof from, "%sT00:00", q->from);
    snprintf(to, sizeof to, "%sT23:59", q->to);
    db_bind_int(st, 1, q->hospital_id);
    db_bind_text(st, 2, q->department);
    db_bind_text(st, 3, q->today);
    db_bind_text(st, 4, from);
    db_bind_text(st, 5, to);
    db_bind_int(st, 6, q->all);
    db_bind_int(st, 7, q->limit + 1);
    db_bind_int(st, 8, q->offset);
    json_t *items = json_array();
    int rc, n = 0;
    *more = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n++ == q->limit) {
            *more = 1;
            continue;
        }
        const char *released = db_column_text(st, 9);
        json_t *o = json_pack(
            "{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:b, s:s, s:s, s:I}", "id",
            (json_int_t)db_column_int(st, 0), "hospital_id", (json_int_t)db_column_int(st, 1),
            "hospital_name", db_column_text(st, 2), "department", db_column_text(st, 3),
            "department_name", db_column_text(st, 4), "doctor_name", db_column_text(st, 5),
            "starts_at", db_column_text(st, 6), "capacity", (int)db_column_int(st, 7), "booked",
            (int)db_column_int(st, 8), "released_to", released, "open_to_public",
            strcmp(released, "family_doctors") == 0 && db_column_int(st, 10), "family_from",
            db_column_text(st, 11), "public_from", db_column_text(st, 12), "schedule_id",
            (json_int_t)db_column_int(st, 13));
        json_object_set_new(o, "slot_minutes", json_integer(db_column_int(st, 14)));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int store_slot_get(struct db *db, int64_t slot_id, struct slot_row *out)
{
    static const char SQL[] =
        "SELECT id, institution_id, department_id, starts_at, released_to, family_from,"
        " public_from, capacity, booked FROM slots WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, slot_id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    out->id = db_column_int(st, 0);
    out->hospital_id = db_column_int(st, 1);
    out->department_id = db_column_int(st, 2);
    copy_text(out->starts_at, sizeof out->starts_at, db_column_text(st, 3));
    copy_text(out->released_to, sizeof out->released_to, db_column_text(st, 4));
    copy_text(out->family_from, sizeof out->family_from, db_column_text(st, 5));
    copy_text(out->public_from, sizeof out->public_from, db_column_text(st, 6));
    out->capacity = (int)db_column_int(st, 7);
    out->booked = (int)db_column_int(st, 8);
    db_run(st);
    return 0;
}

int store_slot_take(struct db *db, int64_t slot_id)
{
    static const char SQL[] =
        "UPDATE slots SET booked = booked + 1 WHERE id = ?1 AND booked < capacity";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, slot_id);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 1 : 0;
}

int store_slot_give_back(struct db *db, int64_t slot_id)
{
    static const char SQL[] = "UPDATE slots SET booked = booked - 1 WHERE id = ?1 AND booked > 0";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, slot_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int64_t store_booking_insert(struct db *db, const struct booking_input *in)
{
    static const char SQL[] =
        "INSERT INTO bookings (slot_id, resident_id, team_id, booked_by, referral_id, "
        "rescheduled_from)"
        " VALUES (?1, ?2, nullif(?3, 0), nullif(?4, 0), nullif(?5, 0), nullif(?6, 0)) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, in->slot_id);
    db_bind_int(st, 2, in->resident_id);
    db_bind_int(st, 3, in->team_id);
    db_bind_int(st, 4, in->booked_by);
    db_bind_int(st, 5, in->referral_id);
    db_bind_int(st, 6, in->rescheduled_from);
    return db_insert_id(st);
}

int store_booking_get(struct db *db, int64_t booking_id, struct booking_row *out)
{
    static const char SQL[] =
        "SELECT b.id, b.slot_id, b.resident_id, ifnull(b.team_id, 0), s.institution_id,"
        " ifnull(b.referral_id, 0), b.status, s.starts_at FROM bookings b"
        " JOIN slots s ON s.id = b.slot_id WHERE b.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, booking_id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    out->id = db_column_int(st, 0);
    out->slot_id = db_column_int(st, 1);
    out->resident_id = db_column_int(st, 2);
    out->team_id = db_column_int(st, 3);
    out->hospital_id = db_column_int(st, 4);
    out->referral_id = db_column_int(st, 5);
    copy_text(out->status, sizeof out->status, db_column_text(st, 6));
    copy_text(out->starts_at, sizeof out->starts_at, db_column_text(st, 7));
    db_run(st);
    return 0;
}

int store_booking_set_status(struct db *db, int64_t booking_id, const char *from, const char *to)
{
    static const char SQL[] =
        "UPDATE bookings SET status = ?3, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE id = ?1 AND status = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, booking_id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 1 : 0;
}

#define BOOKING_COLUMNS                                                                            \
    "SELECT b.id, b.slot_id, b.resident_id, r.name, b.team_id, b.status, b.referral_id,"           \
    " b.rescheduled_from, s.institution_id, i.name, d.code, d.name_zh, sc.doctor_name,"            \
    " s.starts_at, b.created_at, b.updated_at, sc.slot_minutes FROM bookings b"                    \
    " JOIN slots s ON s.id = b.slot_id JOIN schedules sc ON sc.id = s.schedule_id"                 \
    " JOIN hospital_departments d ON d.id = s.department_id"                                       \
    " JOIN institutions i ON i.id = s.institution_id JOIN residents r ON r.id = b.resident_id"

static json_t *booking_row_json(struct db_stmt *st)
{
    json_t *o = json_pack(
        "{s:I, s:I, s:I, s:s, s:o, s:s, s:o, s:o, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
        (json_int_t)db_column_int(st, 0), "slot_id", (json_int_t)db_column_int(st, 1),
        "resident_id", (json_int_t)db_column_int(st, 2), "resident_name", db_column_text(st, 3),
        "team_id", store_int_or_null(st, 4), "status", db_column_text(st, 5), "referral_id",
        store_int_or_null(st, 6), "rescheduled_from", store_int_or_null(st, 7), "hospital_id",
        (json_int_t)db_column_int(st, 8), "hospital_name", db_column_text(st, 9), "department",
        db_column_text(st, 10), "department_name", db_column_text(st, 11), "doctor_name",
        db_column_text(st, 12), "starts_at", db_column_text(st, 13), "created_at",
        db_column_text(st, 14), "updated_at", db_column_text(st, 15));
    if (o) json_object_set_new(o, "slot_minutes", json_integer(db_column_int(st, 16)));
    return o;
}

json_t *store_booking_json(struct db *db, int64_t booking_id)
{
    static const char SQL[] = BOOKING_COLUMNS " WHERE b.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, booking_id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = booking_row_json(st);
    db_run(st);
    return o;
}

json_t *store_bookings_list(struct db *db, const struct booking_query *q, int *more)
{
    static const char SQL[] = BOOKING_COLUMNS
        " WHERE (?1 = 0 OR b.resident_id = ?1) AND (?2 = 0 OR s.institution_id = ?2)"
        " AND (?3 IS NULL OR s.starts_at >= ?3) AND (?4 IS NULL OR s.starts_at <= ?4)"
        " AND (?5 IS NULL OR b.status = ?5) AND (?6 = 0 OR " SCOPE_VISIBLE
        " OR b.resident_id IN (SELECT c.resident_id FROM contracts c"
        "   JOIN team_members tm ON tm.team_id = c.team_id JOIN staff st ON st.id = tm.staff_id"
        "   WHERE st.user_id = ?6 AND c.status = 'active'))"
        " AND (?8 = 0 OR (s.starts_at, b.id) >"
        "   ((SELECT s2.starts_at FROM bookings b2 JOIN slots s2 ON s2.id = b2.slot_id WHERE b2.id = ?8), ?8))"
        " ORDER BY s.starts_at, b.id LIMIT ?7";
    int wide;
    if (q->scoped_user && store_scope_load(db, q->scoped_user, &wide) < 0) return NULL;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    char from[20], to[20];
    if (q->from) snprintf(from, sizeof from, "%sT00:00", q->from);
    if (q->to) snprintf(to, sizeof to, "%sT23:59", q->to);
    db_bind_int(st, 1, q->resident_id);
    db_bind_int(st, 2, q->hospital_id);
    db_bind_text(st, 3, q->from ? from : NULL);
    db_bind_text(st, 4, q->to ? to : NULL);
    db_bind_text(st, 5, q->status);
    db_bind_int(st, 6, q->scoped_user);
    db_bind_int(st, 7, q->limit + 1);
    db_bind_int(st, 8, q->after);
    json_t *items = json_array();
    int rc, n = 0;
    *more = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n++ == q->limit) {
            *more = 1;
            continue;
        }
        json_array_append_new(items, booking_row_json(st));
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int store_referral_target(struct db *db, int64_t referral_id, int64_t *resident_id,
                          int64_t *to_institution_id)
{
    static const char SQL[] =
        "SELECT resident_id, ifnull(to_institution_id, 0) FROM referrals WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, referral_id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    *resident_id = db_column_int(st, 0);
    *to_institution_id = db_column_int(st, 1);
    db_run(st);
    return 0;
}

int store_team_staffed_by(struct db *db, int64_t team_id, int64_t staff_id)
{
    static const char SQL[] =
        "SELECT EXISTS (SELECT 1 FROM team_members WHERE team_id = ?1 AND staff_id = ?2)"
        " OR EXISTS (SELECT 1 FROM teams WHERE id = ?1 AND doctor_id = ?2)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, staff_id);
    return (int)db_query_int(st, -1);
}

int store_staff_works_at(struct db *db, int64_t staff_id, int64_t institution_id)
{
    static const char SQL[] = "SELECT count(*) FROM staff WHERE id = ?1 AND institution_id = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, staff_id);
    db_bind_int(st, 2, institution_id);
    return (int)db_query_int(st, -1);
}

/* ?1 hospital (0: any), ?2/?3 starts_at bounds. A slot's attended and no-show counts come
 * from its bookings; `booked` is what family doctors hold (only they book). */
#define UTILISATION_SLOTS                                                                          \
    " FROM slots s JOIN hospital_departments d ON d.id = s.department_id"                          \
    " JOIN institutions i ON i.id = s.institution_id"                                              \
    " WHERE (?1 = 0 OR s.institution_id = ?1) AND s.starts_at >= ?2 AND s.starts_at <= ?3"
#define UTILISATION_SUMS                                                                           \
    " sum(CASE WHEN s.released_to = 'family_doctors' THEN s.capacity ELSE 0 END), sum(s.booked),"  \
    " sum((SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'attended')),"    \
    " sum((SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.status = 'no_show'))"

json_t *store_slot_utilisation(struct db *db, int64_t hospital_id, const char *from, const char *to,
                               const char *by)
{
    static const char BY_HOSPITAL[] =
        "SELECT s.institution_id, i.name, NULL," UTILISATION_SUMS UTILISATION_SLOTS
        " GROUP BY s.institution_id, i.name ORDER BY s.institution_id";
    static const char BY_DEPARTMENT[] =
        "SELECT s.institution_id, i.name, d.code, d.name_zh," UTILISATION_SUMS UTILISATION_SLOTS
        " GROUP BY s.department_id, s.institution_id, i.name, d.code, d.name_zh ORDER BY s.institution_id, d.code";
    static const char BY_TEAM[] =
        "SELECT b.team_id, t.name, count(*), sum(b.status = 'attended'), sum(b.status = 'no_show')"
        " FROM bookings b JOIN slots s ON s.id = b.slot_id LEFT JOIN teams t ON t.id = b.team_id"
        " WHERE (?1 = 0 OR s.institution_id = ?1) AND s.starts_at >= ?2 AND s.starts_at <= ?3"
        " AND b.status <> 'cancelled' GROUP BY b.team_id, t.name ORDER BY b.team_id";
    int team = !strcmp(by, "team"), department = !strcmp(by, "department");
    struct db_stmt *st = db_prepare(db, team ? BY_TEAM : department ? BY_DEPARTMENT : BY_HOSPITAL);
    if (!st) return NULL;
    char lo[20], hi[20];
    snprintf(lo, sizeof lo, "%sT00:00", from);
    snprintf(hi, sizeof hi, "%sT23:59", to);
    db_bind_int(st, 1, hospital_id);
    db_bind_text(st, 2, lo);
    db_bind_text(st, 3, hi);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o;
        if (team) {
            o = json_pack("{s:o, s:o, s:n, s:I, s:I, s:I}", "team_id", store_int_or_null(st, 0),
                          "team_name", text_or_null(st, 1), "released", "booked",
                          (json_int_t)db_column_int(st, 2), "attended",
                          (json_int_t)db_column_int(st, 3), "no_show",
                          (json_int_t)db_column_int(st, 4));
        } else {
            int k = department ? 4 : 3; /* the sums follow the key columns */
            o = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I}", "hospital_id",
                          (json_int_t)db_column_int(st, 0), "hospital_name", db_column_text(st, 1),
                          "released", (json_int_t)db_column_int(st, k), "booked",
                          (json_int_t)db_column_int(st, k + 1), "attended",
                          (json_int_t)db_column_int(st, k + 2), "no_show",
                          (json_int_t)db_column_int(st, k + 3));
            if (department) {
                json_object_set_new(o, "department", json_string(db_column_text(st, 2)));
                json_object_set_new(o, "department_name", json_string(db_column_text(st, 3)));
            }
        }
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int slot_parse_time(const char *text)
{
    if (!text || strlen(text) != 5 || text[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (text[i] < '0' || text[i] > '9')) return -1;
    int h = (text[0] - '0') * 10 + (text[1] - '0'), m = (text[3] - '0') * 10 + (text[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

int64_t store_schedule_publish(struct db *db, const struct schedule_input *in,
                               const struct release_rule *rule, json_t *slots_out)
{
    int start = slot_parse_time(in->start), end = slot_parse_time(in->end);
    struct date day;
    if (start < 0 || end <= start || in->slot_minutes <= 0 || date_parse(in->day, &day) < 0)
        return -1;
    int n = (end - start) / in->slot_minutes;
    int64_t schedule = store_schedule_insert(db, in);
    if (schedule < 0) return -1;
    for (int i = 0; i < n; i++) {
        int family = slot_release_is_family(i, n, rule->family_share),
            at = start + i * in->slot_minutes;
        char starts_at[24], family_from[11], public_from[11];
        snprintf(starts_at, sizeof starts_at, "%sT%02d:%02d", in->day, at / 60, at % 60);
        date_format(slot_release_opens(rule, family, AUDIENCE_FAMILY_DOCTORS, day), family_from);
        date_format(slot_release_opens(rule, family, AUDIENCE_PUBLIC, day), public_from);
        const char *released = family ? "family_doctors" : "public";
        int64_t id =
            store_slot_insert(db, schedule, in, starts_at, released, family_from, public_from);
        if (id < 0) return -1;
        if (slots_out)
            json_array_append_new(slots_out, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id",
                                                       (json_int_t)id, "starts_at", starts_at,
                                                       "released_to", released, "family_from",
                                                       family_from, "public_from", public_from));
    }
    return schedule;
}

json_t *store_schedule_json(struct db *db, int64_t schedule_id)
{
    static const char SQL[] =
        "SELECT sc.id, sc.institution_id, i.name, d.code, d.name_zh, sc.doctor_name, sc.staff_id, sc.day,"
        " sc.start_time, sc.end_time, sc.slot_minutes, sc.capacity FROM schedules sc"
        " JOIN institutions i ON i.id = sc.institution_id JOIN hospital_departments d ON d.id = sc.department_id"
        " WHERE sc.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, schedule_id);
    json_t *o = NULL;
    if (db_step(st) == DB_ROW) {
        o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id",
                      (json_int_t)db_column_int(st, 0), "hospital_id",
                      (json_int_t)db_column_int(st, 1), "hospital_name", db_column_text(st, 2),
                      "department", db_column_text(st, 3), "department_name", db_column_text(st, 4),
                      "doctor_name", db_column_text(st, 5), "day", db_column_text(st, 7),
                      "start_time", db_column_text(st, 8), "end_time", db_column_text(st, 9),
                      "slot_minutes", (json_int_t)db_column_int(st, 10), "capacity",
                      (json_int_t)db_column_int(st, 11));
        if (o && !db_column_is_null(st, 6))
            json_object_set_new(o, "staff_id", json_integer(db_column_int(st, 6)));
        db_run(st);
    }
    return o;
}
