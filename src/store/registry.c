/* registry.c (store) - SQL for the grid, institutions, teams and households. */
#include "store/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsonx.h"
#include "store/page.h"
#include "store/scope.h"

static json_t *region_from_row(struct db_stmt *st)
{
    json_t *o = json_object();
    jx_set_string_or_null(o, "code", db_column_text(st, 0));
    jx_set_string_or_null(o, "name", db_column_text(st, 1));
    jx_set_string_or_null(o, "level", db_column_text(st, 2));
    jx_set_string_or_null(o, "parent", db_column_text(st, 3));
    return o;
}

json_t *store_regions_children(struct db *db, const char *parent)
{
    static const char SQL[] = "SELECT code, name, level, parent FROM regions"
                              " WHERE (?1 IS NULL AND parent IS NULL) OR parent = ?1 ORDER BY code";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, parent);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, region_from_row(st));
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *store_region_get(struct db *db, const char *code)
{
    static const char SQL[] = "SELECT code, name, level, parent FROM regions WHERE code = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, code);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = region_from_row(st);
    db_run(st);
    return o;
}

int store_region_exists(struct db *db, const char *code, char *level_out)
{
    static const char SQL[] = "SELECT level FROM regions WHERE code = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        if (level_out) snprintf(level_out, 16, "%s", db_column_text(st, 0));
        db_run(st);
        return 1;
    }
    return rc == DB_DONE ? 0 : -1;
}

json_t *store_institutions_list(struct db *db, const char *region)
{
    static const char SQL[] =
        "SELECT i.id, i.code, i.name, i.kind, i.level, i.region, g.name FROM institutions i"
        " JOIN regions g ON g.code = i.region"
        " WHERE ?1 IS NULL OR (i.region >= ?1 AND i.region < ?1 || ';') ORDER BY i.region, i.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(o, "code", db_column_text(st, 1));
        jx_set_string_or_null(o, "name", db_column_text(st, 2));
        jx_set_string_or_null(o, "kind", db_column_text(st, 3));
        jx_set_string_or_null(o, "level", db_column_text(st, 4));
        jx_set_string_or_null(o, "region", db_column_text(st, 5));
        jx_set_string_or_null(o, "region_name", db_column_text(st, 6));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

static int add_team_details(struct db *db, json_t *team, int64_t id)
{
    static const char MEMBERS[] =
        "SELECT s.id, coalesce(u.username, ''), s.name, tm.role, s.profession, s.phone, s.max_contracts,"
        " (SELECT count(DISTINCT coalesce(r.household_id, -r.id)) FROM contracts c JOIN residents r"
        "   ON r.id = c.resident_id WHERE c.doctor_id = s.id AND c.status = 'active')"
        " FROM team_members tm JOIN staff s ON s.id = tm.staff_id LEFT JOIN users u ON u.id = s.user_id"
        " WHERE tm.team_id = ?1"
        " ORDER BY CASE tm.role WHEN 'lead' THEN 0 WHEN 'gp' THEN 1 ELSE 2 END, s.id";
    static const char CELLS[] =
        "SELECT tc.region_code, g.name, p.name FROM team_cells tc JOIN regions g ON g.code = tc.region_code"
        " LEFT JOIN regions p ON p.code = g.parent WHERE tc.team_id = ?1 ORDER BY tc.region_code";
    struct db_stmt *st = db_prepare(db, MEMBERS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    json_t *members = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *m = json_object();
        json_object_set_new(m, "id", json_integer(db_column_int(st, 0)));
        const char *username = db_column_text(st, 1);
        jx_set_string_or_null(m, "username", username && *username ? username : NULL);
        jx_set_string_or_null(m, "name", db_column_text(st, 2));
        jx_set_string_or_null(m, "role", db_column_text(st, 3));
        jx_set_string_or_null(m, "profession", db_column_text(st, 4));
        jx_set_string_or_null(m, "phone", db_column_text(st, 5));
        /* The cap of PROTOCOLS.md §10 and the households under their active contracts. */
        json_object_set_new(m, "max_contracts", json_integer(db_column_int(st, 6)));
        json_object_set_new(m, "households", json_integer(db_column_int(st, 7)));
        json_array_append_new(members, m);
    }
    json_object_set_new(team, "members", members);
    st = db_prepare(db, CELLS);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    json_t *cells = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *c = json_object();
        jx_set_string_or_null(c, "code", db_column_text(st, 0));
        jx_set_string_or_null(c, "name", db_column_text(st, 1));
        jx_set_string_or_null(c, "village", db_column_text(st, 2));
        json_array_append_new(cells, c);
    }
    json_object_set_new(team, "grid_cells", cells);
    return 0;
}

#define TEAM_COLUMNS "t.id, t.name, t.model, i.name, i.id, t.doctor_id, i.region"

static json_t *team_from_row(struct db_stmt *st, void *unused)
{
    (void)unused;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    jx_set_string_or_null(o, "name", db_column_text(st, 1));
    jx_set_string_or_null(o, "model", db_column_text(st, 2));
    jx_set_string_or_null(o, "institution", db_column_text(st, 3));
    json_object_set_new(o, "institution_id", json_integer(db_column_int(st, 4)));
    json_object_set_new(o, "doctor_id",
                        db_column_is_null(st, 5) ? json_null()
                                                 : json_integer(db_column_int(st, 5)));
    jx_set_string_or_null(o, "region", db_column_text(st, 6));
    return o;
}

#define TEAMS_WHERE                                                                                \
    " WHERE (?1 IS NULL OR (i.region >= ?1 AND i.region < ?1 || ';') OR EXISTS (SELECT 1"          \
    "   FROM team_cells tc WHERE tc.team_id = t.id AND ((tc.region_code >= ?1 AND tc.region_code"  \
    "   < ?1 || ';') OR (?1 >= tc.region_code AND ?1 < tc.region_code || ';'))))"

json_t *store_teams_list(struct db *db, const char *region, int64_t limit, int64_t cursor,
                         int64_t *next_cursor, int64_t *total)
{
    static const char COUNT[] =
        "SELECT count(*) FROM teams t JOIN institutions i ON i.id = t.institution_id" TEAMS_WHERE;
    static const char SQL[] =
        "SELECT " TEAM_COLUMNS " FROM teams t JOIN institutions i"
        " ON i.id = t.institution_id" TEAMS_WHERE " AND t.id > ?2 ORDER BY t.id LIMIT ?3";
    struct db_stmt *st = db_prepare(db, COUNT);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    *total = db_query_int(st, 0);
    st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    db_bind_int(st, 2, cursor);
    db_bind_int(st, 3, limit + 1);
    json_t *items = store_read_page(st, (int)limit, next_cursor, team_from_row, NULL);
    size_t i;
    json_t *team;
    json_array_foreach(items, i, team) {
        if (add_team_details(db, team, json_integer_value(json_object_get(team, "id"))) < 0) {
            json_decref(items);
            return NULL;
        }
    }
    return items;
}

json_t *store_team_get(struct db *db, int64_t id)
{
    static const char SQL[] = "SELECT " TEAM_COLUMNS " FROM teams t JOIN institutions i"
                              " ON i.id = t.institution_id WHERE t.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = team_from_row(st, NULL);
    db_run(st);
    if (add_team_details(db, o, id) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *store_staff_teams(struct db *db, int64_t staff_id)
{
    static const char SQL[] =
        "SELECT team_id FROM team_members WHERE staff_id = ?1 ORDER BY team_id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, staff_id);
    json_t *ids = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(ids, json_integer(db_column_int(st, 0)));
    return ids;
}

int64_t store_team_for_region(struct db *db, const char *region, int64_t *doctor_id)
{
    /* The cell containing the address; for an address above cell level, the first team
     * serving a cell below it. Longest (most specific) code first. */
    static const char SQL[] =
        "SELECT t.id, coalesce(t.doctor_id, 0) FROM team_cells tc JOIN teams t ON t.id = tc.team_id"
        " WHERE (?1 >= tc.region_code AND ?1 < tc.region_code || ';')"
        "    OR (tc.region_code >= ?1 AND tc.region_code < ?1 || ';')"
        " ORDER BY length(tc.region_code) DESC, t.id LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, region);
    if (db_step(st) != DB_ROW) return 0;
    int64_t id = db_column_int(st, 0);
    if (doctor_id) *doctor_id = db_column_int(st, 1);
    db_run(st);
    return id;
}

int64_t store_household_insert(struct db *db, const char *region, const char *address,
                               const char *county_code)
{
    static const char SQL[] = "INSERT INTO households (region, address, county_code)"
                              " VALUES (?1, ?2, ?3) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, region);
    db_bind_text(st, 2, address);
    db_bind_text(st, 3, county_code);
    return db_insert_id(st);
}

int store_household_set_head(struct db *db, int64_t household_id, int64_t resident_id)
{
    static const char SQL[] = "UPDATE households SET head_id = ?2 WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, resident_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

json_t *store_household_get(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT h.id, h.region, g.name, h.address, h.family_type, h.head_id"
        " FROM households h LEFT JOIN regions g ON g.code = h.region WHERE h.id = ?1";
    static const char MEMBERS[] =
        "SELECT id, name, sex, birth_date, relation, population_class, status, proxy_consent"
        " FROM residents WHERE household_id = ?1"
        " ORDER BY CASE relation WHEN 'head' THEN 0 WHEN 'spouse' THEN 1 ELSE 2 END, birth_date";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    jx_set_string_or_null(o, "region", db_column_text(st, 1));
    jx_set_string_or_null(o, "region_name", db_column_text(st, 2));
    jx_set_string_or_null(o, "address", db_column_text(st, 3));
    jx_set_string_or_null(o, "family_type", db_column_text(st, 4));
    json_object_set_new(
        o, "head_id", db_column_is_null(st, 5) ? json_null() : json_integer(db_column_int(st, 5)));
    db_run(st);
    st = db_prepare(db, MEMBERS);
    if (!st) {
        json_decref(o);
        return NULL;
    }
    db_bind_int(st, 1, id);
    json_t *members = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *m = json_object();
        json_object_set_new(m, "id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(m, "name", db_column_text(st, 1));
        jx_set_string_or_null(m, "sex", db_column_text(st, 2));
        jx_set_string_or_null(m, "birth_date", db_column_text(st, 3));
        jx_set_string_or_null(m, "relation", db_column_text(st, 4));
        json_object_set_new(m, "population_class", json_integer(db_column_int(st, 5)));
        jx_set_string_or_null(m, "status", db_column_text(st, 6));
        json_object_set_new(m, "proxy_consent", json_boolean(db_column_int(st, 7)));
        json_array_append_new(members, m);
    }
    json_object_set_new(o, "members", members);
    return o;
}

int store_household_region(struct db *db, int64_t id, char out[16])
{
    static const char SQL[] = "SELECT region FROM households WHERE id = ?1";
    return store_text_by_id(db, SQL, id, out, 16);
}

int store_region_insert(struct db *db, const char *code, const char *name, const char *level,
                        const char *parent)
{
    static const char SQL[] =
        "INSERT INTO regions (code, name, level, parent) VALUES (?1, ?2, ?3, ?4)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, level);
    db_bind_text(st, 4, parent);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int64_t store_institution_insert(struct db *db, const char *code, const char *name,
                                 const char *kind, const char *level, const char *region)
{
    static const char SQL[] = "INSERT INTO institutions (code, name, kind, level, region)"
                              " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, kind);
    db_bind_text(st, 4, level);
    db_bind_text(st, 5, region);
    return db_insert_id(st);
}

int64_t store_staff_insert(struct db *db, const char *name, const char *profession,
                           int64_t institution_id, const char *phone, int max_contracts)
{
    static const char SQL[] =
        "INSERT INTO staff (name, profession, institution_id, phone, max_contracts)"
        " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, profession);
    db_bind_int(st, 3, institution_id);
    db_bind_text(st, 4, phone);
    db_bind_int(st, 5, max_contracts);
    return db_insert_id(st);
}

int64_t store_team_insert(struct db *db, const char *name, const char *model,
                          int64_t institution_id, const char *county_code)
{
    static const char SQL[] = "INSERT INTO teams (name, model, institution_id, county_code)"
                              " VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, model);
    db_bind_int(st, 3, institution_id);
    db_bind_text(st, 4, county_code);
    return db_insert_id(st);
}

int store_team_set_doctor(struct db *db, int64_t team_id, int64_t staff_id)
{
    static const char SQL[] = "UPDATE teams SET doctor_id = ?2 WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, staff_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_team_member_insert(struct db *db, int64_t team_id, int64_t staff_id, const char *role)
{
    static const char SQL[] =
        "INSERT INTO team_members (team_id, staff_id, role) VALUES (?1, ?2, ?3)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, staff_id);
    db_bind_text(st, 3, role);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_team_cell_insert(struct db *db, int64_t team_id, const char *region_code)
{
    static const char SQL[] = "INSERT INTO team_cells (team_id, region_code) VALUES (?1, ?2)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_text(st, 2, region_code);
    return db_run(st) == DB_DONE ? 0 : -1;
}

#define HOUSEHOLDS_WHERE                                                                            \
    " WHERE (EXISTS (SELECT 1 FROM temp.scope_ranges s WHERE h.region >= s.lo AND h.region < s.hi)" \
    "   OR h.id IN (SELECT r.household_id FROM residents r JOIN temp.scope_ids i ON i.id = r.id))"  \
    " AND (?1 IS NULL OR (h.region >= ?1 AND h.region < ?1 || ';'))"

static json_t *household_from_row(struct db_stmt *st, void *unused)
{
    (void)unused;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    jx_set_string_or_null(o, "region", db_column_text(st, 1));
    jx_set_string_or_null(o, "region_name", db_column_text(st, 2));
    jx_set_string_or_null(o, "address", db_column_text(st, 3));
    jx_set_string_or_null(o, "family_type", db_column_text(st, 4));
    json_object_set_new(
        o, "head_id", db_column_is_null(st, 5) ? json_null() : json_integer(db_column_int(st, 5)));
    jx_set_string_or_null(o, "head_name", db_column_text(st, 6));
    json_object_set_new(o, "members", json_integer(db_column_int(st, 7)));
    return o;
}

json_t *store_households_list(struct db *db, int64_t user_id, const char *region, int limit,
                              int64_t cursor, int64_t *total, int64_t *next_cursor)
{
    static const char COUNT[] = "SELECT count(*) FROM households h" HOUSEHOLDS_WHERE;
    static const char SQL[] =
        "SELECT h.id, h.region, g.name, h.address, h.family_type, h.head_id, hr.name,"
        " (SELECT count(*) FROM residents m WHERE m.household_id = h.id AND m.status = 'alive')"
        " FROM households h LEFT JOIN regions g ON g.code = h.region"
        " LEFT JOIN residents hr ON hr.id = h.head_id" HOUSEHOLDS_WHERE
        " AND h.id > ?2 ORDER BY h.id LIMIT ?3";
    int wide;
    if (store_scope_load(db, user_id, &wide) < 0) return NULL;
    struct db_stmt *st = db_prepare(db, COUNT);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    *total = db_query_int(st, 0);
    st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    db_bind_int(st, 2, cursor);
    db_bind_int(st, 3, limit + 1);
    return store_read_page(st, limit, next_cursor, household_from_row, NULL);
}

int store_household_update(struct db *db, int64_t id, const char *address, int64_t head_id)
{
    static const char MEMBER[] =
        "SELECT count(*) FROM residents WHERE id = ?1 AND household_id = ?2";
    static const char SQL[] = "UPDATE households SET address = coalesce(?2, address),"
                              " head_id = CASE WHEN ?3 > 0 THEN ?3 ELSE head_id END WHERE id = ?1";
    static const char RELATION[] = "UPDATE residents SET relation = 'head' WHERE id = ?1";
    struct db_stmt *st;
    if (head_id > 0) {
        st = db_prepare(db, MEMBER);
        if (!st) return -1;
        db_bind_int(st, 1, head_id);
        db_bind_int(st, 2, id);
        if (db_query_int(st, 0) != 1) return STORE_NOT_FOUND;
    }
    st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, address);
    db_bind_int(st, 3, head_id);
    if (db_run(st) != DB_DONE) return -1;
    if (head_id > 0) {
        st = db_prepare(db, RELATION);
        if (!st) return -1;
        db_bind_int(st, 1, head_id);
        if (db_run(st) != DB_DONE) return -1;
    }
    return 0;
}

static json_t *staff_from_row(struct db_stmt *st, void *unused)
{
    (void)unused;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    jx_set_string_or_null(o, "name", db_column_text(st, 1));
    jx_set_string_or_null(o, "profession", db_column_text(st, 2));
    json_object_set_new(o, "institution_id", json_integer(db_column_int(st, 3)));
    jx_set_string_or_null(o, "institution", db_column_text(st, 4));
    jx_set_string_or_null(o, "phone", db_column_text(st, 5));
    json_object_set_new(o, "max_contracts", json_integer(db_column_int(st, 6)));
    jx_set_string_or_null(o, "username", db_column_text(st, 7));
    json_t *teams = json_array();
    for (const char *p = db_column_text(st, 8); p && *p;) {
        json_array_append_new(teams, json_integer(strtoll(p, NULL, 10)));
        p = strchr(p, ',');
        if (p) p++;
    }
    json_object_set_new(o, "teams", teams);
    return o;
}

json_t *store_staff_list(struct db *db, const char *region, int64_t institution_id, int limit,
                         int64_t cursor, int64_t *total, int64_t *next_cursor)
{
#define STAFF_WHERE                                                                                \
    " WHERE (?1 IS NULL OR (i.region >= ?1 AND i.region < ?1 || ';'))"                             \
    " AND (?2 = 0 OR s.institution_id = ?2)"
    static const char COUNT[] =
        "SELECT count(*) FROM staff s JOIN institutions i ON i.id = s.institution_id" STAFF_WHERE;
    static const char SQL[] =
        "SELECT s.id, s.name, s.profession, s.institution_id, i.name, s.phone, s.max_contracts, u.username,"
        " (SELECT group_concat(tm.team_id) FROM team_members tm WHERE tm.staff_id = s.id)"
        " FROM staff s JOIN institutions i ON i.id = s.institution_id LEFT JOIN users u ON u.id = s.user_id" STAFF_WHERE
        " AND s.id > ?3 ORDER BY s.id LIMIT ?4";
    struct db_stmt *st = db_prepare(db, COUNT);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    db_bind_int(st, 2, institution_id);
    *total = db_query_int(st, 0);
    st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    db_bind_int(st, 2, institution_id);
    db_bind_int(st, 3, cursor);
    db_bind_int(st, 4, limit + 1);
    return store_read_page(st, limit, next_cursor, staff_from_row, NULL);
#undef STAFF_WHERE
}

int store_staff_region(struct db *db, int64_t staff_id, char out[16])
{
    static const char SQL[] =
        "SELECT i.region FROM staff s JOIN institutions i ON i.id = s.institution_id WHERE s.id = ?1";
    return store_text_by_id(db, SQL, staff_id, out, 16);
}

int store_institution_region(struct db *db, int64_t institution_id, char out[16])
{
    static const char SQL[] = "SELECT region FROM institutions WHERE id = ?1";
    return store_text_by_id(db, SQL, institution_id, out, 16);
}

int store_institution_kind(struct db *db, int64_t institution_id, char out[24])
{
    static const char SQL[] = "SELECT kind FROM institutions WHERE id = ?1";
    return store_text_by_id(db, SQL, institution_id, out, 24);
}

int64_t store_institution_center_at(struct db *db, const char *region)
{
    static const char SQL[] =
        "SELECT id FROM institutions WHERE region = ?1 AND kind LIKE '%center' ORDER BY id LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, region);
    return db_query_int(st, 0);
}

int64_t store_team_institution(struct db *db, int64_t team_id)
{
    static const char SQL[] = "SELECT institution_id FROM teams WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    return db_query_int(st, 0);
}

int store_institution_name(struct db *db, int64_t institution_id, char *out, size_t n)
{
    static const char SQL[] = "SELECT name FROM institutions WHERE id = ?1";
    return store_text_by_id(db, SQL, institution_id, out, n);
}

int store_staff_name(struct db *db, int64_t staff_id, char *out, size_t n)
{
    static const char SQL[] = "SELECT name FROM staff WHERE id = ?1";
    return store_text_by_id(db, SQL, staff_id, out, n);
}

int store_team_region(struct db *db, int64_t team_id, char out[16])
{
    static const char SQL[] =
        "SELECT i.region FROM teams t JOIN institutions i ON i.id = t.institution_id WHERE t.id = ?1";
    return store_text_by_id(db, SQL, team_id, out, 16);
}

int store_team_update(struct db *db, int64_t team_id, const char *name, const char *model,
                      int64_t doctor_id)
{
    static const char SQL[] =
        "UPDATE teams SET name = coalesce(?2, name), model = coalesce(?3, model),"
        " doctor_id = CASE WHEN ?4 > 0 THEN ?4 ELSE doctor_id END WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, model);
    db_bind_int(st, 4, doctor_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_team_has_member(struct db *db, int64_t team_id, int64_t staff_id)
{
    static const char SQL[] =
        "SELECT count(*) FROM team_members WHERE team_id = ?1 AND staff_id = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, staff_id);
    return (int)db_query_int(st, -1);
}

int store_team_member_delete(struct db *db, int64_t team_id, int64_t staff_id)
{
    static const char SQL[] = "DELETE FROM team_members WHERE team_id = ?1 AND staff_id = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, staff_id);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1;
}

int store_team_cells_clear(struct db *db, int64_t team_id)
{
    static const char SQL[] = "DELETE FROM team_cells WHERE team_id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_regions_each(struct db *db, int (*each)(void *ctx, const char *code, const char *level),
                       void *ctx)
{
    struct db_stmt *st = db_prepare(db, "SELECT code, level FROM regions");
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        if (each(ctx, db_column_text(st, 0), db_column_text(st, 1)) < 0) {
            db_release(db);
            return -1;
        }
    return rc == DB_DONE ? 0 : -1;
}

int store_team_serves(struct db *db, int64_t team_id, const char *region)
{
    static const char SQL[] = "SELECT count(*) FROM team_cells WHERE team_id = ?1"
                              " AND region_code IN (?2, substr(?2, 1, 12))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_text(st, 2, region);
    return db_query_int(st, 0) > 0;
}
