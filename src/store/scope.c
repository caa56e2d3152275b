/* scope.c (store) - scope queries. Region codes nest by prefix, so "inside" is a range
 * test on the text ('a' < code < 'a;'), which uses the indexes. */
#include "store/scope.h"

int store_resident_visible(struct db *db, int64_t user_id, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT (SELECT count(*) FROM residents WHERE id = ?2),"
        " EXISTS (SELECT 1 FROM residents r JOIN user_scope s ON s.user_id = ?1"
        "   AND r.region >= s.code AND r.region < s.code || ';' AND (s.subtree = 1 OR r.region = s.code)"
        "   WHERE r.id = ?2)"
        " OR EXISTS (SELECT 1 FROM users u JOIN residents me ON me.id = u.resident_id"
        "   JOIN residents r ON r.id = ?2"
        "   WHERE u.id = ?1 AND u.role = 'resident'"
        "   AND (me.id = r.id OR (me.household_id = r.household_id AND r.proxy_consent = 1)))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, resident_id);
    if (db_step(st) != DB_ROW) return -1;
    int exists = (int)db_column_int(st, 0), visible = (int)db_column_int(st, 1);
    db_run(st);
    if (!exists) return -2;
    return visible;
}

int store_region_overlaps_scope(struct db *db, int64_t user_id, const char *code)
{
    static const char SQL[] =
        "SELECT (SELECT count(*) FROM regions WHERE code = ?2),"
        " EXISTS (SELECT 1 FROM user_scope s WHERE s.user_id = ?1 AND ("
        "   (?2 >= s.code AND ?2 < s.code || ';' AND (s.subtree = 1 OR ?2 = s.code))"
        "   OR (s.code >= ?2 AND s.code < ?2 || ';')))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, code);
    if (db_step(st) != DB_ROW) return -1;
    int exists = (int)db_column_int(st, 0), overlaps = (int)db_column_int(st, 1);
    db_run(st);
    if (!exists) return -2;
    return overlaps;
}

int store_region_inside_scope(struct db *db, int64_t user_id, const char *code)
{
    static const char SQL[] =
        "SELECT EXISTS (SELECT 1 FROM user_scope s WHERE s.user_id = ?1"
        " AND ?2 >= s.code AND ?2 < s.code || ';' AND (s.subtree = 1 OR ?2 = s.code))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, code);
    return (int)db_query_int(st, -1);
}

int store_team_visible(struct db *db, int64_t user_id, int64_t team_id)
{
    static const char SQL[] =
        "SELECT (SELECT count(*) FROM teams WHERE id = ?2),"
        " EXISTS (SELECT 1 FROM team_members tm JOIN staff st ON st.id = tm.staff_id"
        "   WHERE tm.team_id = ?2 AND st.user_id = ?1)"
        " OR EXISTS (SELECT 1 FROM team_cells tc JOIN user_scope s ON s.user_id = ?1"
        "   AND tc.region_code >= s.code AND tc.region_code < s.code || ';' AND s.subtree = 1"
        "   WHERE tc.team_id = ?2)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, team_id);
    if (db_step(st) != DB_ROW) return -1;
    int exists = (int)db_column_int(st, 0), visible = (int)db_column_int(st, 1);
    db_run(st);
    if (!exists) return -2;
    return visible;
}
