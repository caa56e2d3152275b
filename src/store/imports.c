/* imports.c (store) - see imports.h. */
#include "store/imports.h"

#include <stdio.h>

#include "json/jsonx.h"
#include "store/pii.h"

int64_t store_import_insert(struct db *db, const char *kind, const char *source, const char *sha256,
                            const char *mode, int64_t user_id)
{
    static const char SQL[] = "INSERT INTO imports (kind, source, file_sha256, mode, user_id)"
                              " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, source);
    db_bind_text(st, 3, sha256);
    db_bind_text(st, 4, mode);
    if (user_id > 0) db_bind_int(st, 5, user_id);
    return db_insert_id(st);
}

int store_import_progress(struct db *db, int64_t import_id, const struct import_progress *p)
{
    static const char SQL[] =
        "UPDATE imports SET status = ?2, rows = ?3, accepted = ?4, unchanged = ?5, rejected = ?6,"
        " stored_to_row = ?7, finished_at = CASE WHEN ?2 = 'running' THEN NULL"
        " ELSE strftime('%Y-%m-%dT%H:%M:%SZ', 'now') END WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, import_id);
    db_bind_text(st, 2, p->status);
    db_bind_int(st, 3, p->rows);
    db_bind_int(st, 4, p->accepted);
    db_bind_int(st, 5, p->unchanged);
    db_bind_int(st, 6, p->rejected);
    db_bind_int(st, 7, p->stored_to_row);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_import_reject(struct db *db, int64_t import_id, int row, const char *field,
                        const char *code)
{
    static const char SQL[] =
        "INSERT INTO import_rejects (import_id, row, field, code) VALUES (?1, ?2, ?3, ?4)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, import_id);
    db_bind_int(st, 2, row);
    db_bind_text(st, 3, field);
    db_bind_text(st, 4, code);
    return db_run(st) == DB_DONE ? 0 : -1;
}

#define IMPORT_COLUMNS                                                                                        \
    "SELECT id, kind, source, file_sha256, mode, status, rows, accepted, unchanged, rejected, stored_to_row," \
    " user_id, started_at, finished_at FROM imports"

static json_t *import_row(struct db_stmt *st)
{
    static const char *const TEXT[] = {NULL, "kind", "source", "file_sha256", "mode", "status"};
    static const char *const INT[] = {"rows",     "accepted",      "unchanged",
                                      "rejected", "stored_to_row", "user_id"};
    json_t *o = json_pack("{s:I}", "id", (json_int_t)db_column_int(st, 0));
    for (int c = 1; c <= 5; c++)
        jx_set_string_or_null(o, TEXT[c], db_column_text(st, c));
    for (int c = 6; c <= 11; c++)
        json_object_set_new(o, INT[c - 6],
                            db_column_is_null(st, c) ? json_null()
                                                     : json_integer(db_column_int(st, c)));
    jx_set_string_or_null(o, "started_at", db_column_text(st, 12));
    jx_set_string_or_null(o, "finished_at", db_column_text(st, 13));
    return o;
}

json_t *store_import_get(struct db *db, int64_t import_id, int *found)
{
    static const char SQL[] = IMPORT_COLUMNS " WHERE id = ?1";
    *found = -1;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, import_id);
    int rc = db_step(st);
    *found = rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
    json_t *o = rc == DB_ROW ? import_row(st) : NULL;
    db_run(st);
    return o;
}

json_t *store_imports_list(struct db *db, int64_t user_id, int limit)
{
    static const char SQL[] =
        IMPORT_COLUMNS " WHERE ?1 = 0 OR user_id = ?1 ORDER BY id DESC LIMIT ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, limit);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, import_row(st));
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

json_t *store_import_rejects(struct db *db, int64_t import_id, int limit)
{
    static const char SQL[] =
        "SELECT row, field, code FROM import_rejects WHERE import_id = ?1 ORDER BY row LIMIT ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, import_id);
    db_bind_int(st, 2, limit);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_pack("{s:I}", "row", (json_int_t)db_column_int(st, 0));
        jx_set_string_or_null(o, "field", db_column_text(st, 1));
        jx_set_string_or_null(o, "code", db_column_text(st, 2));
        json_array_append_new(list, o);
    }
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

int64_t store_household_by_key(struct db *db, const char *key)
{
    static const char SQL[] = "SELECT id FROM households WHERE import_key = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, key);
    return db_query_int(st, 0);
}

int64_t store_household_insert_keyed(struct db *db, const char *region, const char *address,
                                     const char *county, const char *key)
{
    static const char SQL[] = "INSERT INTO households (region, address, county_code, import_key)"
                              " VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, region);
    db_bind_text(st, 2, address);
    db_bind_text(st, 3, county);
    db_bind_text(st, 4, key);
    return db_insert_id(st);
}

int64_t store_import_resident(struct db *db, const struct import_resident *r)
{
    static const char SQL[] =
        "INSERT INTO residents (name, id_number, sex, birth_date, phone, region, address, household_id,"
        " relation, disabled, poverty, population_class, county_code, id_digest, id_tail_digest,"
        " id_masked_digest, phone_digest)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        " ON CONFLICT (id_digest) DO NOTHING RETURNING id";
    struct pii_id_digests d;
    if (pii_id_digests(r->id_number, &d) < 0) return -1;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    char sex[2] = {r->sex, 0};
    db_bind_text(st, 1, r->name);
    db_bind_text(st, 3, sex);
    db_bind_text(st, 4, r->birth_date);
    if (pii_bind_sealed(st, 2, r->id_number) < 0 || pii_bind_sealed(st, 5, r->phone) < 0 ||
        pii_bind_digest(st, 17, "phone", r->phone) < 0) {
        db_release(db);
        return -1;
    }
    db_bind_text(st, 14, d.whole);
    db_bind_text(st, 15, d.tail);
    db_bind_text(st, 16, d.masked);
    db_bind_text(st, 6, r->region);
    db_bind_text(st, 7, r->address);
    db_bind_int(st, 8, r->household_id);
    db_bind_text(st, 9, r->relation);
    db_bind_int(st, 10, r->disabled);
    db_bind_int(st, 11, r->poverty);
    db_bind_int(st, 12, r->population_class);
    db_bind_text(st, 13, r->county_code);
    int rc = db_step(st);
    int64_t id = rc == DB_ROW ? db_column_int(st, 0) : rc == DB_DONE ? 0 : -1;
    if (rc == DB_ROW) db_run(st);
    return id;
}

int store_resident_matches(struct db *db, const char *id_number, const char *name,
                           const char *region)
{
    static const char SQL[] =
        "SELECT count(*) FROM residents WHERE id_digest = ?1 AND name = ?2 AND region = ?3";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    if (pii_bind_digest(st, 1, "id", id_number) < 0) {
        db_release(db);
        return -1;
    }
    db_bind_text(st, 2, name);
    db_bind_text(st, 3, region);
    int64_t n = db_query_int(st, -1);
    return n < 0 ? -1 : n > 0;
}

int store_import_households_settle(struct db *db, int64_t first, int64_t last)
{
    static const char CLASS_II[] =
        "UPDATE residents SET population_class = 2, updated_at = CURRENT_TIMESTAMP"
        " WHERE population_class = 3 AND household_id IN"
        "   (SELECT household_id FROM residents WHERE id BETWEEN ?1 AND ?2 AND household_id IS NOT NULL)"
        " AND EXISTS (SELECT 1 FROM residents k WHERE k.household_id = residents.household_id"
        "   AND k.population_class = 1)";
    static const char DISABLED[] =
        "UPDATE households SET family_type = 'disabled' WHERE family_type <> 'disabled' AND id IN"
        "   (SELECT household_id FROM residents WHERE id BETWEEN ?1 AND ?2 AND disabled = 1)";
    const char *const STEPS[] = {CLASS_II, DISABLED};
    for (int i = 0; i < 2; i++) {
        struct db_stmt *st = db_prepare(db, STEPS[i]);
        if (!st) return -1;
        db_bind_int(st, 1, first);
        db_bind_int(st, 2, last);
        if (db_run(st) != DB_DONE) return -1;
    }
    return 0;
}

int store_import_person(struct db *db, const char *id_number, struct import_person *out)
{
    static const char SQL[] =
        "SELECT id, coalesce(household_id, 0), region, birth_date, status, sex, name"
        " FROM residents WHERE id_digest = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    if (pii_bind_digest(st, 1, "id", id_number) < 0) {
        db_release(db);
        return -1;
    }
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    out->id = db_column_int(st, 0);
    out->household_id = db_column_int(st, 1);
    snprintf(out->region, sizeof out->region, "%s", db_column_text(st, 2));
    snprintf(out->birth_date, sizeof out->birth_date, "%s", db_column_text(st, 3));
    snprintf(out->status, sizeof out->status, "%s", db_column_text(st, 4));
    out->sex = db_column_text(st, 5)[0];
    snprintf(out->name, sizeof out->name, "%s", db_column_text(st, 6));
    db_run(st);
    return 1;
}

/* Runs a one-row existence query already bound: 1, 0, or -1. */
static int exists(struct db_stmt *st)
{
    int rc = db_step(st);
    if (rc == DB_ROW) {
        db_run(st);
        return 1;
    }
    return rc == DB_DONE ? 0 : -1;
}

int store_import_diagnosis_exists(struct db *db, int64_t resident_id, const char *icd10,
                                  const char *diagnosed_on)
{
    static const char SQL[] =
        "SELECT 1 FROM diagnoses WHERE resident_id = ?1 AND icd10 = ?2 AND diagnosed_on = ?3 LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, icd10);
    db_bind_text(st, 3, diagnosed_on);
    return exists(st);
}

int store_import_enrolment_open(struct db *db, int64_t resident_id, const char *program,
                                char *start)
{
    static const char SQL[] =
        "SELECT start_date FROM enrolments WHERE resident_id = ?1 AND program = ?2 AND end_date IS NULL";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    snprintf(start, 11, "%s", db_column_text(st, 0));
    db_run(st);
    return 1;
}

int store_import_encounter_exists(struct db *db, int64_t resident_id, const char *date,
                                  int64_t institution_id)
{
    static const char SQL[] =
        "SELECT 1 FROM encounters WHERE resident_id = ?1 AND encounter_date = ?2"
        " AND coalesce(institution_id, 0) = ?3 LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, date);
    db_bind_int(st, 3, institution_id);
    return exists(st);
}

int store_import_institution(struct db *db, const char *code, int64_t *id, char level[16],
                             char region[16])
{
    static const char SQL[] = "SELECT id, level, region FROM institutions WHERE code = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    *id = db_column_int(st, 0);
    snprintf(level, 16, "%s", db_column_text(st, 1));
    snprintf(region, 16, "%s", db_column_text(st, 2));
    db_run(st);
    return 1;
}

int store_import_followup_latest(struct db *db, int64_t resident_id, const char *program, char *out)
{
    static const char SQL[] =
        "SELECT max(visit_date) FROM followups WHERE resident_id = ?1 AND program = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    int rc = db_step(st);
    if (rc != DB_ROW) return -1;
    int found = !db_column_is_null(st, 0);
    if (found) snprintf(out, 11, "%s", db_column_text(st, 0));
    db_run(st);
    return found;
}
