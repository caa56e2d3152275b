/* grid.c (store) - see grid.h. */
#include "store/grid.h"

#include <stdio.h>
#include <string.h>

#include "json/jsonx.h"

int store_region_rename(struct db *db, const char *code, const char *name)
{
    static const char SQL[] = "UPDATE regions SET name = ?2 WHERE code = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, name);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) > 0 ? 1 : 0;
}

int64_t store_region_adopt(struct db *db, const char *code, const char *area, int province)
{
    static const char SQL[] =
        "UPDATE regions SET parent = ?1 WHERE parent IS NULL AND code <> ?1"
        " AND code >= ?2 AND code < ?2 || ';' AND (level = 'county' OR (?3 = 1 AND level = 'city'))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, area);
    db_bind_int(st, 3, province);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db);
}

int store_region_parent(struct db *db, const char *code, char out[16])
{
    static const char SQL[] = "SELECT coalesce(parent, '') FROM regions WHERE code = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        snprintf(out, 16, "%s", db_column_text(st, 0));
        db_run(st);
        return 1;
    }
    return rc == DB_DONE ? 0 : -1;
}

json_t *store_redraw_residents(struct db *db, const char *household_ids_json, const char *from)
{
    static const char SQL[] =
        "SELECT id FROM residents WHERE household_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))"
        " UNION SELECT id FROM residents WHERE region = ?2 ORDER BY 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, household_ids_json ? household_ids_json : "[]");
    db_bind_text(st, 2, from);
    json_t *ids = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(ids, json_integer(db_column_int(st, 0)));
    if (rc != DB_DONE) {
        json_decref(ids);
        return NULL;
    }
    return ids;
}

int64_t store_redraw_apply(struct db *db, const char *to, const char *household_ids_json,
                           const char *from, const char *resident_ids_json)
{
    static const char HOUSEHOLDS[] =
        "UPDATE households SET region = ?1 WHERE region <> ?1 AND"
        " (id IN (SELECT CAST(value AS INTEGER) FROM json_each(?2)) OR region = ?3)";
    static const char RESIDENTS[] =
        "UPDATE residents SET region = ?1, updated_at = CURRENT_TIMESTAMP"
        " WHERE region <> ?1 AND id IN (SELECT CAST(value AS INTEGER) FROM json_each(?2))";
    struct db_stmt *st = db_prepare(db, HOUSEHOLDS);
    if (!st) return -1;
    db_bind_text(st, 1, to);
    db_bind_text(st, 2, household_ids_json ? household_ids_json : "[]");
    db_bind_text(st, 3, from);
    if (db_run(st) != DB_DONE) return -1;
    int64_t moved = db_changes(db);
    st = db_prepare(db, RESIDENTS);
    if (!st) return -1;
    db_bind_text(st, 1, to);
    db_bind_text(st, 2, resident_ids_json);
    if (db_run(st) != DB_DONE) return -1;
    return moved;
}

int store_institution_code_taken(struct db *db, const char *code)
{
    static const char SQL[] = "SELECT count(*) FROM institutions WHERE code = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    int64_t n = db_query_int(st, -1);
    return n < 0 ? -1 : n > 0;
}

json_t *store_institution_get(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT i.id, i.code, i.name, i.kind, i.level, i.region, g.name FROM institutions i"
        " JOIN regions g ON g.code = i.region WHERE i.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    jx_set_string_or_null(o, "code", db_column_text(st, 1));
    jx_set_string_or_null(o, "name", db_column_text(st, 2));
    jx_set_string_or_null(o, "kind", db_column_text(st, 3));
    jx_set_string_or_null(o, "level", db_column_text(st, 4));
    jx_set_string_or_null(o, "region", db_column_text(st, 5));
    jx_set_string_or_null(o, "region_name", db_column_text(st, 6));
    db_run(st);
    return o;
}

int store_institution_update(struct db *db, int64_t id, const char *name, const char *kind,
                             const char *level)
{
    static const char SQL[] =
        "UPDATE institutions SET name = coalesce(?2, name),"
        " kind = coalesce(?3, kind), level = coalesce(?4, level) WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, kind);
    db_bind_text(st, 4, level);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) > 0 ? 1 : 0;
}

int store_staff_update(struct db *db, int64_t id, const char *name, const char *phone,
                       int64_t max_contracts)
{
    static const char SQL[] =
        "UPDATE staff SET name = coalesce(?2, name), phone = CASE WHEN ?3 IS NULL THEN phone"
        " WHEN ?3 = '' THEN NULL ELSE ?3 END,"
        " max_contracts = CASE WHEN ?4 < 0 THEN max_contracts ELSE ?4 END WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, phone);
    db_bind_int(st, 4, max_contracts);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) > 0 ? 1 : 0;
}

json_t *store_staff_get(struct db *db, int64_t id)
{
    /* Households under active contracts, as the capacity rule counts them (contracts.c). */
    static const char SQL[] =
        "SELECT s.id, s.name, s.profession, s.institution_id, s.phone, s.max_contracts,"
        " (SELECT count(DISTINCT coalesce(r.household_id, -r.id)) FROM contracts c"
        "   JOIN residents r ON r.id = c.resident_id WHERE c.doctor_id = s.id AND c.status = "
        "'active')"
        " FROM staff s WHERE s.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    jx_set_string_or_null(o, "name", db_column_text(st, 1));
    jx_set_string_or_null(o, "profession", db_column_text(st, 2));
    json_object_set_new(o, "institution_id", json_integer(db_column_int(st, 3)));
    jx_set_string_or_null(o, "phone", db_column_text(st, 4));
    json_object_set_new(o, "max_contracts", json_integer(db_column_int(st, 5)));
    json_object_set_new(o, "households", json_integer(db_column_int(st, 6)));
    db_run(st);
    return o;
}

int store_rule_setting_set(struct db *db, const char *key, int value)
{
    static const char SQL[] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    char text[16];
    snprintf(text, sizeof text, "%d", value);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, text);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_rule_setting_version(struct db *db, const char *key, char changed_at[32])
{
    static const char SQL[] = "SELECT version, changed_at FROM protocol_settings WHERE key = ?1"
                              " ORDER BY version DESC LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, key);
    changed_at[0] = '\0';
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    int version = (int)db_column_int(st, 0);
    snprintf(changed_at, 32, "%s", db_column_text(st, 1) ? db_column_text(st, 1) : "");
    db_run(st);
    return version;
}
