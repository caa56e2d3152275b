/* scope.c (store) - scope queries. Region codes nest by prefix, so "inside" is a range
 * test on the text ('a' < code < 'a;'), which uses the indexes. A province or a city written
 * as GB/T 2260 pads it (510000, 511500): user_scope (migration 031) and the region asked
 * about are both compared by their area prefix (51, 5115; domain/region_code.h). */
#include "store/scope.h"

#include <stdio.h>
#include <string.h>

#include "domain/region_code.h"

/* The code a region's places start with (region_area_prefix: 511500 -> 5115), which is what
 * the comparisons with user_scope (whose codes are prefixes too) need; an ill-formed code
 * stands for itself. */
static void area_of(const char *code, char out[16])
{
    if (region_area_prefix(code, out, 16) < 0) snprintf(out, 16, "%.15s", code ? code : "");
}

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
        "   AND (me.id = r.id OR (me.household_id = r.household_id AND r.proxy_consent = 1)))"
        /* A team reads the people signed with it, also across grid cells (a contract the
         * centre or the resident made with a team not serving their cell). */
        " OR EXISTS (SELECT 1 FROM contracts c JOIN team_members tm ON tm.team_id = c.team_id"
        "   JOIN staff st ON st.id = tm.staff_id AND st.user_id = ?1"
        "   WHERE c.resident_id = ?2 AND c.status = 'active')";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, resident_id);
    if (db_step(st) != DB_ROW) return -1;
    int exists = (int)db_column_int(st, 0), visible = (int)db_column_int(st, 1);
    db_run(st);
    if (!exists) return STORE_NOT_FOUND;
    return visible;
}

int store_record_opened(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT EXISTS (SELECT 1 FROM health_records WHERE resident_id = ?1 AND opened_to_resident = 1)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    return (int)db_query_int(st, -1);
}

int store_region_overlaps_scope(struct db *db, int64_t user_id, const char *code)
{
    static const char SQL[] =
        "SELECT (SELECT count(*) FROM regions WHERE code = ?2),"
        " EXISTS (SELECT 1 FROM user_scope s WHERE s.user_id = ?1 AND ("
        "   (?3 >= s.code AND ?3 < s.code || ';' AND (s.subtree = 1 OR ?3 = s.code))"
        "   OR (s.code >= ?3 AND s.code < ?3 || ';')))";
    char area[16];
    area_of(code, area);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, code);
    db_bind_text(st, 3, area);
    if (db_step(st) != DB_ROW) return -1;
    int exists = (int)db_column_int(st, 0), overlaps = (int)db_column_int(st, 1);
    db_run(st);
    if (!exists) return STORE_NOT_FOUND;
    return overlaps;
}

int store_region_inside_scope(struct db *db, int64_t user_id, const char *code)
{
    /* Only a subtree grant covers a region whole: a team's exact grant on its village and
     * township opens the people registered at that code, not the area below it. */
    static const char SQL[] = "SELECT EXISTS (SELECT 1 FROM user_scope s WHERE s.user_id = ?1"
                              " AND ?2 >= s.code AND ?2 < s.code || ';' AND s.subtree = 1)";
    char area[16];
    area_of(code, area);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, area);
    return (int)db_query_int(st, -1);
}

int store_region_granted(struct db *db, int64_t user_id, const char *code)
{
    static const char SQL[] =
        "SELECT EXISTS (SELECT 1 FROM user_scope s WHERE s.user_id = ?1"
        " AND ?2 >= s.code AND ?2 < s.code || ';' AND (s.subtree = 1 OR ?2 = s.code))";
    char area[16];
    area_of(code, area);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, area);
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
    if (!exists) return STORE_NOT_FOUND;
    return visible;
}

int store_doctor_visible(struct db *db, int64_t user_id, int64_t staff_id)
{
    static const char TEAMS[] = "SELECT team_id FROM team_members WHERE staff_id = ?1"
                                " UNION SELECT id FROM teams WHERE doctor_id = ?1";
    struct db_stmt *st = db_prepare(db, TEAMS);
    if (!st) return -1;
    db_bind_int(st, 1, staff_id);
    int64_t teams[32];
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW)
        if (n < 32) teams[n++] = db_column_int(st, 0);
    if (rc < 0) return -1;
    if (n == 0) return STORE_NOT_FOUND;
    for (int i = 0; i < n; i++) {
        int v = store_team_visible(db, user_id, teams[i]);
        if (v != 0 && v != STORE_NOT_FOUND) return v;
    }
    return 0;
}

int store_staff_visible(struct db *db, int64_t user_id, int64_t staff_id)
{
    static const char SQL[] =
        "SELECT (SELECT count(*) FROM staff WHERE id = ?2),"
        " EXISTS (SELECT 1 FROM staff WHERE id = ?2 AND user_id = ?1)"
        " OR EXISTS (SELECT 1 FROM staff st JOIN institutions i ON i.id = st.institution_id"
        "   JOIN user_scope s ON s.user_id = ?1 AND i.region >= s.code AND i.region < s.code || ';'"
        "   AND s.subtree = 1 WHERE st.id = ?2)"
        " OR EXISTS (SELECT 1 FROM staff st JOIN institutions i ON i.id = st.institution_id"
        "   WHERE st.id = ?2 AND i.level IN ('secondary', 'tertiary'))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, staff_id);
    if (db_step(st) != DB_ROW) return -1;
    int exists = (int)db_column_int(st, 0), visible = (int)db_column_int(st, 1);
    db_run(st);
    if (!exists) return STORE_NOT_FOUND;
    if (visible) return 1;
    /* A member of a team the user may see, the user's own teams included. */
    return store_doctor_visible(db, user_id, staff_id) == 1;
}

int store_staff_phone_visible(struct db *db, int64_t user_id, int64_t staff_id)
{
    static const char SQL[] =
        "SELECT EXISTS (SELECT 1 FROM staff s JOIN staff me ON me.user_id = ?1"
        "   AND (me.id = s.id OR me.institution_id = s.institution_id) WHERE s.id = ?2)"
        " OR EXISTS (SELECT 1 FROM team_members mine JOIN staff me ON me.id = mine.staff_id AND me.user_id = ?1"
        "   JOIN team_members theirs ON theirs.team_id = mine.team_id AND theirs.staff_id = ?2)"
        " OR EXISTS (SELECT 1 FROM staff st JOIN institutions i ON i.id = st.institution_id"
        "   JOIN user_scope s ON s.user_id = ?1 AND i.region >= s.code AND i.region < s.code || ';'"
        "   AND s.subtree = 1 WHERE st.id = ?2)"
        " OR EXISTS (SELECT 1 FROM users u JOIN contracts c ON c.resident_id = u.resident_id AND c.status = 'active'"
        "   JOIN team_members tm ON tm.team_id = c.team_id AND tm.staff_id = ?2 WHERE u.id = ?1)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, staff_id);
    return (int)db_query_int(st, -1);
}

int store_institution_affiliated(struct db *db, int64_t user_id, int64_t institution_id)
{
    static const char SQL[] =
        "SELECT EXISTS (SELECT 1 FROM staff WHERE user_id = ?1 AND institution_id = ?2)"
        " OR EXISTS (SELECT 1 FROM staff me JOIN team_members tm ON tm.staff_id = me.id"
        "   JOIN teams t ON t.id = tm.team_id WHERE me.user_id = ?1 AND t.institution_id = ?2)"
        " OR EXISTS (SELECT 1 FROM institutions i JOIN user_scope s ON s.user_id = ?1"
        "   AND i.region >= s.code AND i.region < s.code || ';' AND s.subtree = 1 WHERE i.id = ?2)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, institution_id);
    return (int)db_query_int(st, -1);
}

int store_group_visible(struct db *db, int64_t user_id, int64_t group_id)
{
    static const char SQL[] =
        "SELECT (SELECT count(*) FROM groups WHERE id = ?2),"
        " EXISTS (SELECT 1 FROM groups g JOIN user_scope s ON s.user_id = ?1"
        "   AND g.region >= s.code AND g.region < s.code || ';' AND (s.subtree = 1 OR g.region = s.code)"
        "   WHERE g.id = ?2)"
        " OR EXISTS (SELECT 1 FROM groups g JOIN team_members tm ON tm.team_id = g.team_id"
        "   JOIN staff st ON st.id = tm.staff_id WHERE g.id = ?2 AND st.user_id = ?1)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, group_id);
    if (db_step(st) != DB_ROW) return -1;
    int exists = (int)db_column_int(st, 0), visible = (int)db_column_int(st, 1);
    db_run(st);
    if (!exists) return STORE_NOT_FOUND;
    return visible;
}

/* SQLite: the connection's temp tables. */
static int scope_tables(struct db *db, const char (*codes)[16], const int *subtree, int n,
                        const int64_t *ids, int k)
{
    static const char ADD_RANGE[] = "INSERT INTO temp.scope_ranges (lo, hi) VALUES (?1, ?2)";
    static const char ADD_ID[] = "INSERT INTO temp.scope_ids (id) VALUES (?1)";
    if (db_exec(db,
                "CREATE TEMP TABLE IF NOT EXISTS scope_ranges (lo TEXT NOT NULL, hi TEXT NOT NULL);"
                "CREATE TEMP TABLE IF NOT EXISTS scope_ids (id INTEGER PRIMARY KEY);"
                "DELETE FROM temp.scope_ranges; DELETE FROM temp.scope_ids;") != DB_DONE)
        return -1;
    for (int i = 0; i < n; i++) {
        char hi[24];
        /* subtree: every code with this prefix (';' sorts after the digits);
         * exact: only the code itself (any longer code sorts after code + '\x01'). */
        snprintf(hi, sizeof hi, "%.15s%s", codes[i], subtree[i] ? ";" : "\x01");
        struct db_stmt *st = db_prepare(db, ADD_RANGE);
        if (!st) return -1;
        db_bind_text(st, 1, codes[i]);
        db_bind_text(st, 2, hi);
        if (db_run(st) != DB_DONE) return -1;
    }
    for (int i = 0; i < k; i++) {
        struct db_stmt *add = db_prepare(db, ADD_ID);
        if (!add) return -1;
        db_bind_int(add, 1, ids[i]);
        if (db_run(add) != DB_DONE) return -1;
    }
    return 0;
}

/* PostgreSQL: two settings of the session, which migration 032's functions read as the
 * tables (a hot standby refuses to write even a temporary table). */
static int scope_settings(struct db *db, const char (*codes)[16], const int *subtree, int n,
                          const int64_t *ids, int k)
{
    static const char SET[] =
        "SELECT set_config('jiayi.scope_ranges', ?1, false), set_config('jiayi.scope_ids', ?2, false)";
    char ranges[64 * 20 + 1] = "", id_list[64 * 21 + 1] = "";
    size_t r = 0, d = 0;
    for (int i = 0; i < n; i++)
        r += (size_t)snprintf(ranges + r, sizeof ranges - r, "%s%s:%d", i ? "," : "", codes[i],
                              subtree[i] ? 1 : 0);
    for (int i = 0; i < k; i++)
        d += (size_t)snprintf(id_list + d, sizeof id_list - d, "%s%lld", i ? "," : "",
                              (long long)ids[i]);
    struct db_stmt *st = db_prepare(db, SET);
    if (!st) return -1;
    db_bind_text(st, 1, ranges);
    db_bind_text(st, 2, id_list);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_scope_load(struct db *db, int64_t user_id, int *wide)
{
    int broad;
    return store_scope_load_broad(db, user_id, wide, &broad);
}

int store_scope_load_broad(struct db *db, int64_t user_id, int *wide, int *broad)
{
    /* Longer (more specific) codes after their ancestors, so a range already covered by a
     * subtree range is skipped and the ranges never overlap. */
    static const char SCOPE[] = "SELECT code, subtree FROM user_scope WHERE user_id = ?1"
                                " GROUP BY code, subtree ORDER BY subtree DESC, length(code), code";
    static const char IDS[] =
        "SELECT m.id FROM users u JOIN residents me ON me.id = u.resident_id"
        " JOIN residents m ON m.id = me.id OR (m.household_id = me.household_id AND m.proxy_consent = 1)"
        " WHERE u.id = ?1 AND u.role = 'resident'";
    char codes[STORE_SCOPE_MAX][16];
    int subtree[STORE_SCOPE_MAX];
    int n = 0, rc;
    *wide = *broad = 0;
    struct db_stmt *st = db_prepare(db, SCOPE);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    while ((rc = db_step(st)) == DB_ROW) {
        const char *code = db_column_text(st, 0);
        int whole = (int)db_column_int(st, 1), covered = 0;
        for (int i = 0; i < n; i++)
            if (subtree[i] && strncmp(code, codes[i], strlen(codes[i])) == 0) covered = 1;
        if (covered) continue;
        if (n == STORE_SCOPE_MAX) { /* more than a scope can hold: refuse, never cut the scope */
            db_run(st);
            return -1;
        }
        snprintf(codes[n], sizeof codes[n], "%s", code);
        subtree[n++] = whole;
        if (whole && strlen(code) <= 9) *wide = 1;
        if (whole && strlen(code) <= 6) *broad = 1;
    }
    if (rc != DB_DONE) return -1;
    st = db_prepare(db, IDS);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    int64_t ids[STORE_SCOPE_MAX];
    int k = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (k == STORE_SCOPE_MAX) {
            db_run(st);
            return -1;
        }
        ids[k++] = db_column_int(st, 0);
    }
    if (rc != DB_DONE) return -1;
    /* identities besides regions: only the id-order plan can use both; identities alone are
     * reached by their ids */
    if (k > 0) *wide = n ? 2 : 3;
    return (db_is_postgresql(db) ? scope_settings : scope_tables)(db, (const char(*)[16])codes,
                                                                  subtree, n, ids, k);
}

int store_scope_entries(struct db *db, int64_t user_id, char (*codes)[16], int *subtree, int max)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT DISTINCT code, subtree FROM user_scope WHERE user_id = ?1");
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == max) {
            db_run(st);
            return -1;
        }
        snprintf(codes[n], 16, "%s", db_column_text(st, 0));
        subtree[n++] = (int)db_column_int(st, 1);
    }
    return rc == DB_DONE ? n : -1;
}

int store_hospital_desk(struct db *db, int64_t user_id, int64_t institution_id)
{
    static const char SQL[] =
        "SELECT (SELECT count(*) FROM institutions WHERE id = ?2 AND level IN ('secondary','tertiary')),"
        " EXISTS (SELECT 1 FROM users WHERE id = ?1 AND role = 'system_admin')"
        " OR EXISTS (SELECT 1 FROM staff s JOIN users u ON u.id = s.user_id"
        "   WHERE s.user_id = ?1 AND s.institution_id = ?2 AND u.role IN ('hospital_office','specialist'))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, institution_id);
    if (db_step(st) != DB_ROW) return -1;
    int exists = (int)db_column_int(st, 0), desk = (int)db_column_int(st, 1);
    db_run(st);
    if (!exists) return STORE_NOT_FOUND;
    return desk;
}

int64_t store_user_hospital(struct db *db, int64_t user_id)
{
    static const char SQL[] =
        "SELECT s.institution_id FROM staff s JOIN users u ON u.id = s.user_id"
        " WHERE s.user_id = ?1 AND u.role IN ('hospital_office','specialist')";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    return db_query_int(st, 0);
}

int store_referral_ends(struct db *db, int64_t user_id, int64_t referral_id, int64_t *resident_id)
{
    /* The hospital end is a desk user working at that institution; the primary-care end
     * is whoever may see the resident (store_resident_visible). */
    static const char SQL[] = "SELECT f.resident_id,"
                              " EXISTS (SELECT 1 FROM staff s JOIN users u ON u.id = s.user_id"
                              "   WHERE s.user_id = ?1 AND s.institution_id = f.to_institution_id"
                              "   AND u.role IN ('hospital_office','specialist')),"
                              " EXISTS (SELECT 1 FROM staff s JOIN users u ON u.id = s.user_id"
                              "   WHERE s.user_id = ?1 AND s.institution_id = f.from_institution_id"
                              "   AND u.role IN ('hospital_office','specialist'))"
                              " FROM referrals f WHERE f.id = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, referral_id);
    int rc = db_step(st);
    if (rc != DB_ROW) {
        db_run(st);
        return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    }
    *resident_id = db_column_int(st, 0);
    int ends = (db_column_int(st, 1) ? REFERRAL_END_HOSPITAL_TO : 0) |
               (db_column_int(st, 2) ? REFERRAL_END_HOSPITAL_FROM : 0);
    db_run(st);
    int seen = store_resident_visible(db, user_id, *resident_id);
    if (seen < 0 && seen != STORE_NOT_FOUND) return -1;
    if (seen == 1) ends |= REFERRAL_END_PRIMARY;
    return ends;
}

int store_user_on_team(struct db *db, int64_t user_id, int64_t team_id)
{
    static const char SQL[] =
        "SELECT (SELECT count(*) FROM teams WHERE id = ?2),"
        " EXISTS (SELECT 1 FROM team_members tm JOIN staff st ON st.id = tm.staff_id"
        "   WHERE tm.team_id = ?2 AND st.user_id = ?1)"
        " OR EXISTS (SELECT 1 FROM teams t JOIN staff st ON st.id = t.doctor_id"
        "   WHERE t.id = ?2 AND st.user_id = ?1)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, team_id);
    if (db_step(st) != DB_ROW) return -1;
    int exists = (int)db_column_int(st, 0), on = (int)db_column_int(st, 1);
    db_run(st);
    if (!exists) return STORE_NOT_FOUND;
    return on;
}
