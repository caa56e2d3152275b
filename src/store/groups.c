/* groups.c (store) - see groups.h. */
#include "store/groups.h"

#include "json/jsonx.h"
#include "store/page.h"
#include "store/scope.h"

int64_t store_group_insert(struct db *db, const struct group_input *in)
{
    static const char SQL[] =
        "INSERT INTO groups (name, focus, region, team_id, leader_staff, created_by, county_code,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
        " coalesce(?8, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, in->name);
    db_bind_text(st, 2, in->focus);
    db_bind_text(st, 3, in->region);
    if (in->team_id) db_bind_int(st, 4, in->team_id);
    if (in->leader_staff) db_bind_int(st, 5, in->leader_staff);
    if (in->created_by) db_bind_int(st, 6, in->created_by);
    db_bind_text(st, 7, in->county_code);
    db_bind_text(st, 8, in->created_at);
    return db_insert_id(st);
}

/* The columns of a group in the list and on its page, with its counts. */
#define GROUP_COLUMNS                                                                              \
    "SELECT g.id, g.name, g.focus, g.region, rg.name, g.team_id, t.name, g.leader_staff, ls.name," \
    " g.created_at, g.closed_at,"                                                                  \
    " (SELECT count(*) FROM group_members m WHERE m.group_id = g.id AND m.left_on IS NULL),"       \
    " (SELECT count(*) FROM group_activities a WHERE a.group_id = g.id),"                          \
    " (SELECT max(a.activity_date) FROM group_activities a WHERE a.group_id = g.id),"              \
    " (SELECT sum(a.member_count) FROM group_activities a WHERE a.group_id = g.id),"               \
    " (SELECT count(*) FROM group_activities a JOIN group_attendance p ON p.activity_id = a.id"    \
    "   WHERE a.group_id = g.id)"                                                                  \
    " FROM groups g LEFT JOIN regions rg ON rg.code = g.region"                                    \
    " LEFT JOIN teams t ON t.id = g.team_id LEFT JOIN staff ls ON ls.id = g.leader_staff"

/* A group is visible when it meets inside the user's regions, or the user is on its team
 * (a team member's scope is cells; a group of the team may meet at the township). */
#define GROUPS_WHERE                                                                               \
    " WHERE (EXISTS (SELECT 1 FROM temp.scope_ranges s WHERE g.region >= s.lo AND g.region < "     \
    "s.hi)"                                                                                        \
    "   OR g.team_id IN (SELECT tm.team_id FROM team_members tm JOIN staff su"                     \
    "     ON su.id = tm.staff_id WHERE su.user_id = ?4))"                                          \
    " AND (?1 IS NULL OR (g.region >= ?1 AND g.region < ?1 || ';'))"                               \
    " AND (?5 = 0 OR g.team_id = ?5)"

static json_t *group_from_row(struct db_stmt *st, void *unused)
{
    (void)unused;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    jx_set_string_or_null(o, "name", db_column_text(st, 1));
    jx_set_string_or_null(o, "focus", db_column_text(st, 2));
    jx_set_string_or_null(o, "region", db_column_text(st, 3));
    jx_set_string_or_null(o, "region_name", db_column_text(st, 4));
    json_object_set_new(
        o, "team_id", db_column_is_null(st, 5) ? json_null() : json_integer(db_column_int(st, 5)));
    jx_set_string_or_null(o, "team_name", db_column_text(st, 6));
    json_object_set_new(o, "leader_staff_id",
                        db_column_is_null(st, 7) ? json_null()
                                                 : json_integer(db_column_int(st, 7)));
    jx_set_string_or_null(o, "leader_name", db_column_text(st, 8));
    jx_set_string_or_null(o, "created_at", db_column_text(st, 9));
    jx_set_string_or_null(o, "closed_at", db_column_text(st, 10));
    json_object_set_new(o, "member_count", json_integer(db_column_int(st, 11)));
    json_object_set_new(o, "activity_count", json_integer(db_column_int(st, 12)));
    jx_set_string_or_null(o, "last_activity", db_column_text(st, 13));
    int64_t expected = db_column_int(st, 14), attended = db_column_int(st, 15);
    json_object_set_new(o, "attendance_rate",
                        expected > 0 ? json_real((double)attended / (double)expected)
                                     : json_null());
    return o;
}

json_t *store_groups_list(struct db *db, int64_t user_id, const char *region, int64_t team_id,
                          int limit, int64_t cursor, int64_t *total, int64_t *next_cursor)
{
    static const char COUNT[] = "SELECT count(*) FROM groups g" GROUPS_WHERE;
    static const char SQL[] = GROUP_COLUMNS GROUPS_WHERE " AND g.id > ?2 ORDER BY g.id LIMIT ?3";
    int wide;
    if (store_scope_load(db, user_id, &wide) < 0) return NULL;
    struct db_stmt *st = db_prepare(db, COUNT);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    db_bind_int(st, 4, user_id);
    db_bind_int(st, 5, team_id);
    *total = db_query_int(st, 0);
    st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    db_bind_int(st, 2, cursor);
    db_bind_int(st, 3, limit + 1);
    db_bind_int(st, 4, user_id);
    db_bind_int(st, 5, team_id);
    return store_read_page(st, limit, next_cursor, group_from_row, NULL);
}

static json_t *group_members(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT m.resident_id, r.name, r.sex, r.birth_date, r.region, r.status, m.joined_on,"
        " m.left_on, (SELECT count(*) FROM group_attendance p JOIN group_activities a"
        "   ON a.id = p.activity_id WHERE a.group_id = m.group_id AND p.resident_id = "
        "m.resident_id)"
        " FROM group_members m JOIN residents r ON r.id = m.resident_id WHERE m.group_id = ?1"
        " ORDER BY m.left_on IS NOT NULL, r.name, m.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "resident_id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(o, "name", db_column_text(st, 1));
        jx_set_string_or_null(o, "sex", db_column_text(st, 2));
        jx_set_string_or_null(o, "birth_date", db_column_text(st, 3));
        jx_set_string_or_null(o, "region", db_column_text(st, 4));
        jx_set_string_or_null(o, "status", db_column_text(st, 5));
        jx_set_string_or_null(o, "joined_on", db_column_text(st, 6));
        jx_set_string_or_null(o, "left_on", db_column_text(st, 7));
        json_object_set_new(o, "attended", json_integer(db_column_int(st, 8)));
        json_array_append_new(items, o);
    }
    return items;
}

static json_t *activity_attendees(struct db *db, int64_t activity_id)
{
    static const char SQL[] =
        "SELECT resident_id FROM group_attendance WHERE activity_id = ?1 ORDER BY resident_id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, activity_id);
    json_t *ids = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(ids, json_integer(db_column_int(st, 0)));
    return ids;
}

static json_t *group_activities(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT a.id, a.activity_date, a.topic, a.leader_staff, a.leader_name, a.note,"
        " a.member_count FROM group_activities a WHERE a.group_id = ?1"
        " ORDER BY a.activity_date DESC, a.id DESC";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(o, "activity_date", db_column_text(st, 1));
        jx_set_string_or_null(o, "topic", db_column_text(st, 2));
        json_object_set_new(o, "leader_staff_id",
                            db_column_is_null(st, 3) ? json_null()
                                                     : json_integer(db_column_int(st, 3)));
        jx_set_string_or_null(o, "leader_name", db_column_text(st, 4));
        jx_set_string_or_null(o, "note", db_column_text(st, 5));
        json_object_set_new(o, "member_count", json_integer(db_column_int(st, 6)));
        json_array_append_new(items, o);
    }
    /* Attendees after the list is read: one statement steps at a time per connection. */
    size_t i;
    json_t *a;
    json_array_foreach(items, i, a) {
        json_t *ids = activity_attendees(db, json_integer_value(json_object_get(a, "id")));
        if (!ids) {
            json_decref(items);
            return NULL;
        }
        json_object_set_new(a, "attended", json_integer((json_int_t)json_array_size(ids)));
        json_object_set_new(a, "attendees", ids);
    }
    return items;
}

json_t *store_group_get(struct db *db, int64_t id)
{
    static const char SQL[] = GROUP_COLUMNS " WHERE g.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *group = group_from_row(st, NULL);
    db_run(st);
    json_t *members = group_members(db, id),
           *activities = members ? group_activities(db, id) : NULL;
    if (!activities) {
        json_decref(members);
        json_decref(group);
        return NULL;
    }
    json_object_set_new(group, "members", members);
    json_object_set_new(group, "activities", activities);
    return group;
}

int store_group_member_active(struct db *db, int64_t group_id, int64_t resident_id)
{
    static const char SQL[] = "SELECT count(*) FROM group_members WHERE group_id = ?1"
                              " AND resident_id = ?2 AND left_on IS NULL";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, group_id);
    db_bind_int(st, 2, resident_id);
    return (int)db_query_int(st, -1) > 0;
}

int64_t store_group_member_insert(struct db *db, int64_t group_id, int64_t resident_id,
                                  const char *joined_on)
{
    static const char SQL[] = "INSERT INTO group_members (group_id, resident_id, joined_on)"
                              " VALUES (?1, ?2, ?3) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, group_id);
    db_bind_int(st, 2, resident_id);
    db_bind_text(st, 3, joined_on);
    return db_insert_id(st);
}

int store_group_member_leave(struct db *db, int64_t group_id, int64_t resident_id,
                             const char *left_on)
{
    static const char SQL[] = "UPDATE group_members SET left_on = ?3 WHERE group_id = ?1"
                              " AND resident_id = ?2 AND left_on IS NULL";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, group_id);
    db_bind_int(st, 2, resident_id);
    db_bind_text(st, 3, left_on);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) > 0;
}

/* Membership covering a day: joined on or before it and not left before it. */
#define MEMBER_ON " group_id = ?1 AND joined_on <= ?2 AND (left_on IS NULL OR left_on >= ?2)"

int store_group_member_on(struct db *db, int64_t group_id, int64_t resident_id, const char *date)
{
    static const char SQL[] =
        "SELECT count(*) FROM group_members WHERE" MEMBER_ON " AND resident_id = ?3";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, group_id);
    db_bind_text(st, 2, date);
    db_bind_int(st, 3, resident_id);
    int64_t n = db_query_int(st, -1);
    return n < 0 ? -1 : n > 0;
}

int store_group_member_count_on(struct db *db, int64_t group_id, const char *date)
{
    static const char SQL[] =
        "SELECT count(DISTINCT resident_id) FROM group_members WHERE" MEMBER_ON;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, group_id);
    db_bind_text(st, 2, date);
    return (int)db_query_int(st, -1);
}

int store_group_candidates(struct db *db, const char *region, const char *focus, int64_t *out,
                           int max)
{
    static const char SQL[] =
        "SELECT r.id FROM residents r"
        " WHERE r.region >= ?1 AND r.region < ?1 || ';' AND r.status = 'alive'"
        " AND EXISTS (SELECT 1 FROM enrolments e WHERE e.resident_id = r.id"
        "   AND e.end_date IS NULL AND (e.program = ?2 OR (?2 = 'mixed'"
        "   AND e.program IN ('hypertension', 'diabetes'))))"
        " ORDER BY +r.id LIMIT ?3"; /* +: reach the village by its region, not a scan in id order */
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, region);
    db_bind_text(st, 2, focus);
    db_bind_int(st, 3, max);
    int n = 0;
    while (n < max && db_step(st) == DB_ROW)
        out[n++] = db_column_int(st, 0);
    db_release(db);
    return n;
}

int64_t store_group_activity_insert(struct db *db, const struct group_activity_input *in)
{
    static const char SQL[] =
        "INSERT INTO group_activities (group_id, activity_date, topic, leader_staff, leader_name,"
        " note, member_count, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->group_id);
    db_bind_text(st, 2, in->activity_date);
    db_bind_text(st, 3, in->topic);
    if (in->leader_staff) db_bind_int(st, 4, in->leader_staff);
    db_bind_text(st, 5, in->leader_name);
    db_bind_text(st, 6, in->note);
    db_bind_int(st, 7, in->member_count);
    if (in->recorded_by) db_bind_int(st, 8, in->recorded_by);
    return db_insert_id(st);
}

int store_group_attendance_delete(struct db *db, int64_t group_id, int64_t activity_id,
                                  int64_t resident_id)
{
    static const char SQL[] =
        "DELETE FROM group_attendance WHERE activity_id = ?2 AND resident_id = ?3"
        " AND activity_id IN (SELECT id FROM group_activities WHERE group_id = ?1)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, group_id);
    db_bind_int(st, 2, activity_id);
    db_bind_int(st, 3, resident_id);
    if (db_run(st) != DB_DONE) return -1;
    return (int)db_changes(db);
}

int store_group_attendance_insert(struct db *db, int64_t activity_id, int64_t resident_id)
{
    static const char SQL[] =
        "INSERT INTO group_attendance (activity_id, resident_id) VALUES (?1, ?2)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, activity_id);
    db_bind_int(st, 2, resident_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}
