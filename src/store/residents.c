/* residents.c (store) - SQL for residents and their record. */
#include "store/residents.h"

#include <stdio.h>
#include <string.h>

#include "json/jsonx.h"
#include "store/contracts.h"
#include "store/page.h"
#include "store/pii.h"
#include "store/scope.h"

int64_t store_resident_insert(struct db *db, const struct resident_input *in)
{
    static const char SQL[] =
        "INSERT INTO residents (name, id_number, sex, birth_date, phone, region, address,"
        " household_id, relation, disabled, poverty, proxy_consent, county_code, id_digest,"
        " id_tail_digest, id_masked_digest, phone_digest)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        " RETURNING id";
    struct pii_id_digests d;
    if (pii_id_digests(in->id_number, &d) < 0) return DB_ERROR;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    char sex[2] = {in->sex, 0};
    db_bind_text(st, 1, in->name);
    db_bind_text(st, 3, sex);
    db_bind_text(st, 4, in->birth_date);
    if (pii_bind_sealed(st, 2, in->id_number) < 0 || pii_bind_sealed(st, 5, in->phone) < 0 ||
        pii_bind_digest(st, 17, "phone", in->phone) < 0) {
        db_release(db);
        return DB_ERROR;
    }
    db_bind_text(st, 14, d.whole);
    db_bind_text(st, 15, d.tail);
    db_bind_text(st, 16, d.masked);
    db_bind_text(st, 6, in->region);
    db_bind_text(st, 7, in->address);
    if (in->household_id > 0) db_bind_int(st, 8, in->household_id);
    db_bind_text(st, 9, in->relation);
    db_bind_int(st, 10, in->disabled);
    db_bind_int(st, 11, in->poverty);
    db_bind_int(st, 12, in->proxy_consent);
    db_bind_text(st, 13, in->county_code);
    return db_insert_id(st);
}

int store_resident_id_number_taken(struct db *db, const char *id_number)
{
    static const char SQL[] = "SELECT count(*) FROM residents WHERE id_digest = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    if (pii_bind_digest(st, 1, "id", id_number) < 0) {
        db_release(db);
        return -1;
    }
    int64_t n = db_query_int(st, -1);
    return n < 0 ? -1 : n > 0;
}

int64_t store_resident_by_id_number(struct db *db, const char *id_number)
{
    static const char SQL[] = "SELECT id FROM residents WHERE id_digest = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    if (pii_bind_digest(st, 1, "id", id_number) < 0) {
        db_release(db);
        return -1;
    }
    return db_query_int(st, STORE_NOT_FOUND);
}

int store_record_create(struct db *db, int64_t resident_id, const char *on)
{
    static const char SQL[] = "INSERT INTO health_records (resident_id, created_on) VALUES (?1, ?2)"
                              " ON CONFLICT (resident_id) DO NOTHING";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, on);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_record_set_open(struct db *db, int64_t resident_id, int opened, const char *consent_date)
{
    static const char SQL[] =
        "UPDATE health_records SET opened_to_resident = ?2, consent_date = ?3 WHERE resident_id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, opened);
    db_bind_text(st, 3, consent_date);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 0 : -1;
}

/* Columns shared by the page and the search list, in this order. */
#define RESIDENT_COLUMNS                                                                           \
    "r.id, r.name, r.sex, r.birth_date, r.id_number, r.phone, r.region, g.name,"                   \
    " r.household_id, r.population_class, r.status, r.status_date, r.address, r.relation,"         \
    " r.disabled, r.poverty, r.proxy_consent"

static void set_text(json_t *o, const char *key, struct db_stmt *st, int col)
{
    jx_set_string_or_null(o, key, db_column_text(st, col));
}

static json_t *resident_from_row(struct db_stmt *st, void *unused)
{
    (void)unused;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    set_text(o, "name", st, 1);
    set_text(o, "sex", st, 2);
    set_text(o, "birth_date", st, 3);
    pii_set(o, "id_number", st, 4);
    pii_set(o, "phone", st, 5);
    set_text(o, "region", st, 6);
    set_text(o, "region_name", st, 7);
    json_object_set_new(o, "household_id",
                        db_column_is_null(st, 8) ? json_null()
                                                 : json_integer(db_column_int(st, 8)));
    json_object_set_new(o, "population_class", json_integer(db_column_int(st, 9)));
    set_text(o, "status", st, 10);
    set_text(o, "status_date", st, 11);
    set_text(o, "address", st, 12);
    set_text(o, "relation", st, 13);
    json_object_set_new(o, "disabled", json_boolean(db_column_int(st, 14)));
    json_object_set_new(o, "poverty", json_boolean(db_column_int(st, 15)));
    json_object_set_new(o, "proxy_consent", json_boolean(db_column_int(st, 16)));
    return o;
}

static int add_record(struct db *db, json_t *o, int64_t id)
{
    static const char SQL[] = "SELECT opened_to_resident, consent_date, created_on"
                              " FROM health_records WHERE resident_id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        json_t *rec = json_object();
        json_object_set_new(rec, "opened_to_resident", json_boolean(db_column_int(st, 0)));
        set_text(rec, "consent_date", st, 1);
        set_text(rec, "created_on", st, 2);
        json_object_set_new(o, "record", rec);
        db_run(st);
        return 0;
    }
    json_object_set_new(o, "record", json_null());
    return rc == DB_DONE ? 0 : -1;
}

static int add_enrolments(struct db *db, json_t *o, int64_t id)
{
    static const char SQL[] =
        "SELECT id, program, start_date FROM enrolments"
        " WHERE resident_id = ?1 AND end_date IS NULL ORDER BY start_date, id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    json_t *programs = json_array(), *enrolments = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_array_append_new(programs, json_string(db_column_text(st, 1)));
        json_array_append_new(enrolments,
                              json_pack("{s:I, s:s, s:s}", "id", (json_int_t)db_column_int(st, 0),
                                        "program", db_column_text(st, 1), "start_date",
                                        db_column_text(st, 2)));
    }
    json_object_set_new(o, "programs", programs);
    json_object_set_new(o, "enrolments", enrolments);
    return rc == DB_DONE ? 0 : -1;
}

static int add_diagnoses(struct db *db, json_t *o, int64_t id)
{
    static const char SQL[] = "SELECT id, icd10, diagnosed_on, note FROM diagnoses"
                              " WHERE resident_id = ?1 ORDER BY diagnosed_on, id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *d = json_object();
        json_object_set_new(d, "id", json_integer(db_column_int(st, 0)));
        set_text(d, "icd10", st, 1);
        set_text(d, "diagnosed_on", st, 2);
        set_text(d, "note", st, 3);
        json_array_append_new(list, d);
    }
    json_object_set_new(o, "diagnoses", list);
    return rc == DB_DONE ? 0 : -1;
}

static int add_flags(struct db *db, json_t *o, int64_t id)
{
    static const char SQL[] = "SELECT id, reason, note, status, raised_at FROM flags"
                              " WHERE resident_id = ?1 ORDER BY id DESC LIMIT 20";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *f = json_object();
        json_object_set_new(f, "id", json_integer(db_column_int(st, 0)));
        set_text(f, "reason", st, 1);
        set_text(f, "note", st, 2);
        set_text(f, "status", st, 3);
        set_text(f, "raised_at", st, 4);
        json_array_append_new(list, f);
    }
    json_object_set_new(o, "flags", list);
    return rc == DB_DONE ? 0 : -1;
}

static int add_teams(struct db *db, json_t *o, const char *region)
{
    /* The teams serving the resident's grid cell (or, for a village-level address, its village). */
    static const char SQL[] =
        "SELECT DISTINCT t.id, t.name FROM team_cells tc JOIN teams t ON t.id = tc.team_id"
        " WHERE tc.region_code IN (?1, substr(?1, 1, 12)) ORDER BY t.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, region);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, json_pack("{s:I, s:s}", "id", (json_int_t)db_column_int(st, 0),
                                              "name", db_column_text(st, 1)));
    json_object_set_new(o, "teams", list);
    return rc == DB_DONE ? 0 : -1;
}

json_t *store_resident_get(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT " RESIDENT_COLUMNS
        " FROM residents r LEFT JOIN regions g ON g.code = r.region WHERE r.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = resident_from_row(st, NULL);
    db_run(st);
    char region[16];
    snprintf(region, sizeof region, "%s", json_string_value(json_object_get(o, "region")));
    if (add_record(db, o, id) < 0 || add_enrolments(db, o, id) < 0 ||
        add_diagnoses(db, o, id) < 0 || add_flags(db, o, id) < 0 || add_teams(db, o, region) < 0) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "contract", store_contract_summary(db, id));
    return o;
}

json_t *store_resident_brief(struct db *db, int64_t id)
{
    static const char SQL[] = "SELECT sex, birth_date, region, status FROM residents WHERE id = ?1";
    static const char PROGRAMS[] =
        "SELECT program FROM enrolments"
        " WHERE resident_id = ?1 AND end_date IS NULL ORDER BY start_date, id";
    /* store_contract_summary's choice of contract. */
    static const char CONTRACT[] =
        "SELECT c.team_id, c.doctor_id FROM contracts c JOIN teams t ON t.id = c.team_id"
        " JOIN staff doc ON doc.id = c.doctor_id WHERE c.resident_id = ?1 AND c.status IN ('active','scheduled')"
        " ORDER BY c.status = 'active' DESC, c.start_date LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = json_object();
    set_text(o, "sex", st, 0);
    set_text(o, "birth_date", st, 1);
    set_text(o, "region", st, 2);
    set_text(o, "status", st, 3);
    db_run(st);
    json_t *programs = json_array();
    json_object_set_new(o, "programs", programs);
    int rc = DB_DONE;
    if ((st = db_prepare(db, PROGRAMS))) {
        db_bind_int(st, 1, id);
        while ((rc = db_step(st)) == DB_ROW)
            json_array_append_new(programs, json_string(db_column_text(st, 0)));
    }
    json_t *contract = json_null();
    if (st && rc == DB_DONE && (st = db_prepare(db, CONTRACT))) {
        db_bind_int(st, 1, id);
        if ((rc = db_step(st)) == DB_ROW) {
            contract = json_pack("{s:I, s:I}", "team_id", (json_int_t)db_column_int(st, 0),
                                 "doctor_id", (json_int_t)db_column_int(st, 1));
            rc = db_run(st);
        }
    }
    json_object_set_new(o, "contract", contract);
    if (!st || rc != DB_DONE) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int64_t store_resident_household(struct db *db, int64_t id)
{
    static const char SQL[] = "SELECT coalesce(household_id, 0) FROM residents WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    return db_query_int(st, STORE_NOT_FOUND);
}

int store_resident_region(struct db *db, int64_t id, char out[16])
{
    static const char SQL[] = "SELECT region FROM residents WHERE id = ?1";
    return store_text_by_id(db, SQL, id, out, 16);
}

/* ?3 is the q text (a name part), or for the sealed numbers (store/pii.h) its digest; ?4
 * its kind: 1 name part, 2 phone, 3 full ID, 4 masked ID (its first three and last four),
 * 5 last four of the ID. Unused filters are NULL. */
#define SEARCH_FILTERS                                                                              \
    " AND (?4 IS NULL OR (?4 = 1 AND r.name LIKE '%' || ?3 || '%')"                                 \
    "   OR (?4 = 2 AND r.phone_digest = ?3) OR (?4 = 3 AND r.id_digest = ?3)"                       \
    "   OR (?4 = 4 AND r.id_masked_digest = ?3) OR (?4 = 5 AND r.id_tail_digest = ?3))"             \
    " AND (?5 IS NULL OR (r.region >= ?5 AND r.region < ?5 || ';'))"                                \
    " AND (?6 = 0 OR r.population_class = ?6)"                                                      \
    " AND (?7 IS NULL OR EXISTS (SELECT 1 FROM enrolments e WHERE e.resident_id = r.id"             \
    "   AND e.program = ?7 AND e.end_date IS NULL))"                                                \
    " AND (?8 = 0 OR EXISTS (SELECT 1 FROM team_cells tc WHERE tc.team_id = ?8"                     \
    "   AND r.region >= tc.region_code AND r.region < tc.region_code || ';'))"                      \
    " AND (?9 IS NULL OR r.status = ?9)"                                                            \
    " AND (?11 < 0 OR ?11 = CASE WHEN EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = r.id" \
    "   AND c.status IN ('active', 'scheduled')) THEN 1 ELSE 0 END)"                                \
    " AND (?12 = 0 OR r.id = ?12) AND (?13 IS NULL OR r.id_digest = ?13)"                           \
    " AND (?14 IS NULL OR r.sex = ?14)"                                                             \
    " AND (?15 IS NULL OR r.birth_date >= ?15) AND (?16 IS NULL OR r.birth_date <= ?16)"

/* The kind of q, and what ?3 is bound to: q itself (a name part), or a digest. */
static int classify_query(const char *q, char bound[SEAL_DIGEST_TEXT])
{
    size_t n = strlen(q), digits = 0;
    for (size_t i = 0; i < n; i++)
        if ((q[i] >= '0' && q[i] <= '9') || q[i] == 'X' || q[i] == 'x') digits++;
    char masked[8];
    if (n == 18 && strchr(q, '*')) {
        snprintf(masked, sizeof masked, "%.3s%.4s", q, q + 14);
        return seal_digest("id_masked", masked, bound) < 0 ? -1 : 4;
    }
    if (n == 18 && digits == 18) return seal_digest("id", q, bound) < 0 ? -1 : 3;
    if (n == 4 && digits == 4) return seal_digest("id_tail", q, bound) < 0 ? -1 : 5;
    if (digits == n && n >= 7 && n <= 15) return seal_digest("phone", q, bound) < 0 ? -1 : 2;
    return 1;
}

/* q's kind (classify_query's, 0 without q) and what ?3 is bound to. */
struct search_query {
    int kind;
    char bound[SEAL_DIGEST_TEXT];
};

static int bind_search(struct db_stmt *st, const struct resident_filter *f,
                       const struct search_query *q)
{
    db_bind_int(st, 1, f->user_id);
    if (q->kind) {
        db_bind_text(st, 3, q->kind == 1 ? f->q : q->bound);
        db_bind_int(st, 4, q->kind);
    }
    db_bind_text(st, 5, f->region);
    db_bind_int(st, 6, f->population_class);
    db_bind_text(st, 7, f->program);
    db_bind_int(st, 8, f->team_id);
    db_bind_text(st, 9, f->status);
    db_bind_int(st, 11, f->signed_state);
    db_bind_int(st, 12, f->id);
    if (pii_bind_digest(st, 13, "id", f->id_number) < 0) return -1;
    db_bind_text(st, 14, f->sex);
    db_bind_text(st, 15, f->birth_from);
    db_bind_text(st, 16, f->birth_to);
    return 0;
}

/* The first two characters of a name part (or its one), as resident_name_grams holds them
 * (lower-cased there by SQL): 1, or 0 for an empty or invalid part (then the rows are
 * scanned, as before the index). */
static int name_gram(const char *q, char out[16])
{
    size_t at = 0;
    for (int chars = 0; chars < 2 && q[at]; chars++) {
        unsigned char c = (unsigned char)q[at];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        for (size_t k = 1; k < len; k++)
            if (((unsigned char)q[at + k] >> 6) != 2) len = 0;
        if (!len) return 0;
        at += len;
    }
    if (at == 0 || at >= 16) return 0;
    memcpy(out, q, at);
    out[at] = '\0';
    return 1;
}

json_t *store_resident_search(struct db *db, const struct resident_filter *f, int limit,
                              int64_t cursor, int64_t *total, int64_t *next_cursor)
{
    /* Two plans for the same question (measured at 300k residents, bench/RESULTS.md): a wide
     * scope scans residents in id order and stops at the page; a team's few cells are
     * reached through the region index. */
    static const char COUNT_WIDE[] =
        "SELECT count(*) FROM residents r WHERE " SCOPE_VISIBLE SEARCH_FILTERS;
    static const char COUNT_NARROW[] =
        "SELECT count(*)" SCOPE_DRIVEN_FROM " WHERE 1 = 1" SEARCH_FILTERS;
    static const char PAGE_WIDE[] =
        "SELECT " RESIDENT_COLUMNS " FROM residents r"
        " LEFT JOIN regions g ON g.code = r.region WHERE " SCOPE_VISIBLE SEARCH_FILTERS
        " AND r.id > ?2 ORDER BY r.id LIMIT ?10";
    static const char PAGE_NARROW[] =
        "SELECT " RESIDENT_COLUMNS SCOPE_DRIVEN_FROM
        " LEFT JOIN regions g ON g.code = r.region WHERE 1 = 1" SEARCH_FILTERS
        " AND r.id > ?2 ORDER BY r.id LIMIT ?10";
    /* A resident's own and their proxies' rows: a handful, by id. */
    static const char COUNT_IDS[] = "SELECT count(*)" SCOPE_IDS_FROM " WHERE 1 = 1" SEARCH_FILTERS;
    static const char PAGE_IDS[] =
        "SELECT " RESIDENT_COLUMNS SCOPE_IDS_FROM
        " LEFT JOIN regions g ON g.code = r.region WHERE 1 = 1" SEARCH_FILTERS
        " AND r.id > ?2 ORDER BY r.id LIMIT ?10";
    /* A name part: the residents holding its first pair of characters (or its one), from
     * resident_name_grams (?17), checked against the whole part; a number: its digest's
     * index. Either way a few rows, whatever the scope. */
    static const char COUNT_NAME[] =
        "SELECT count(*) FROM resident_name_grams ng CROSS JOIN residents r"
        " ON r.id = ng.resident_id WHERE ng.gram = lower(?17) AND " SCOPE_VISIBLE SEARCH_FILTERS;
    static const char PAGE_NAME[] =
        "SELECT " RESIDENT_COLUMNS " FROM resident_name_grams ng CROSS JOIN residents r"
        " ON r.id = ng.resident_id LEFT JOIN regions g ON g.code = r.region"
        " WHERE ng.gram = lower(?17) AND " SCOPE_VISIBLE SEARCH_FILTERS
        " AND ng.resident_id > ?2 ORDER BY ng.resident_id LIMIT ?10";
#define BY_DIGEST                                                                                  \
    " r.id IN (SELECT id FROM residents WHERE ?4 = 2 AND phone_digest = ?3"                        \
    " UNION ALL SELECT id FROM residents WHERE ?4 = 3 AND id_digest = ?3"                          \
    " UNION ALL SELECT id FROM residents WHERE ?4 = 4 AND id_masked_digest = ?3"                   \
    " UNION ALL SELECT id FROM residents WHERE ?4 = 5 AND id_tail_digest = ?3) AND "
    static const char COUNT_DIGEST[] =
        "SELECT count(*) FROM residents r WHERE" BY_DIGEST SCOPE_VISIBLE SEARCH_FILTERS;
    static const char PAGE_DIGEST[] =
        "SELECT " RESIDENT_COLUMNS " FROM residents r LEFT JOIN regions g ON g.code = r.region"
        " WHERE" BY_DIGEST SCOPE_VISIBLE SEARCH_FILTERS " AND r.id > ?2 ORDER BY r.id LIMIT ?10";
#undef BY_DIGEST
    int wide = 0;
    if (store_scope_load(db, f->user_id, &wide) < 0) return NULL;
    char gram[16] = "";
    struct search_query q = {0, ""};
    if (f->q && (q.kind = classify_query(f->q, q.bound)) < 0) return NULL;
    int by_digest = q.kind > 1, by_name = q.kind == 1 && name_gram(f->q, gram);
    /* Counting through the region index is cheapest unless a filter needs the rows. */
    int row_filters = f->q || f->population_class || f->program || f->team_id || f->status ||
                      f->signed_state >= 0 || f->id || f->id_number || f->sex || f->birth_from ||
                      f->birth_to;
    const char *COUNT = by_name                              ? COUNT_NAME
                        : by_digest                          ? COUNT_DIGEST
                        : wide == 3                          ? COUNT_IDS
                        : wide == 2 || (wide && row_filters) ? COUNT_WIDE
                                                             : COUNT_NARROW;
    const char *PAGE = by_name     ? PAGE_NAME
                       : by_digest ? PAGE_DIGEST
                       : wide == 3 ? PAGE_IDS
                       : wide      ? PAGE_WIDE
                                   : PAGE_NARROW;
    struct db_stmt *st;
    if (total) {
        if (!(st = db_prepare(db, COUNT))) return NULL;
        if (bind_search(st, f, &q) < 0) {
            db_release(db);
            return NULL;
        }
        if (by_name) db_bind_text(st, 17, gram);
        *total = db_query_int(st, 0);
    }
    st = db_prepare(db, PAGE);
    if (!st) return NULL;
    if (bind_search(st, f, &q) < 0) {
        db_release(db);
        return NULL;
    }
    if (by_name) db_bind_text(st, 17, gram);
    db_bind_int(st, 2, cursor);
    db_bind_int(st, 10, limit + 1);
    json_t *items = store_read_page(st, limit, next_cursor, resident_from_row, NULL);
    return items;
}

int store_resident_update(struct db *db, int64_t id, const struct resident_update *u)
{
    static const char SQL[] =
        "UPDATE residents SET name = coalesce(?2, name), phone = coalesce(?3, phone),"
        " phone_digest = CASE WHEN ?3 IS NULL THEN phone_digest ELSE ?13 END,"
        " address = coalesce(?4, address), region = coalesce(?5, region),"
        " relation = coalesce(?6, relation), status = coalesce(?7, status),"
        " status_date = CASE WHEN ?7 IS NULL THEN status_date ELSE ?8 END,"
        " household_id = CASE WHEN ?9 < 0 THEN household_id WHEN ?9 = 0 THEN NULL ELSE ?9 END,"
        " disabled = CASE WHEN ?10 < 0 THEN disabled ELSE ?10 END,"
        " poverty = CASE WHEN ?11 < 0 THEN poverty ELSE ?11 END,"
        " proxy_consent = CASE WHEN ?12 < 0 THEN proxy_consent ELSE ?12 END,"
        " updated_at = CURRENT_TIMESTAMP WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, u->name);
    /* "" clears the phone: kept as "" (not NULL, which keeps the old one), with no digest. */
    if (u->phone && !*u->phone)
        db_bind_text(st, 3, "");
    else if (pii_bind_sealed(st, 3, u->phone) < 0 ||
             pii_bind_digest(st, 13, "phone", u->phone) < 0) {
        db_release(db);
        return -1;
    }
    db_bind_text(st, 4, u->address);
    db_bind_text(st, 5, u->region);
    db_bind_text(st, 6, u->relation);
    db_bind_text(st, 7, u->status);
    db_bind_text(st, 8, u->status_date);
    db_bind_int(st, 9, u->household_id);
    db_bind_int(st, 10, u->disabled);
    db_bind_int(st, 11, u->poverty);
    db_bind_int(st, 12, u->proxy_consent);
    int rc = db_run(st);
    return rc == DB_DONE ? 0 : rc;
}

int64_t store_diagnosis_insert(struct db *db, int64_t resident_id, const char *icd10,
                               const char *diagnosed_on, const char *note)
{
    static const char SQL[] = "INSERT INTO diagnoses (resident_id, icd10, diagnosed_on, note)"
                              " VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, icd10);
    db_bind_text(st, 3, diagnosed_on);
    db_bind_text(st, 4, note);
    return db_insert_id(st);
}

int64_t store_enrolment_insert(struct db *db, int64_t resident_id, const char *program,
                               const char *start_date)
{
    static const char SQL[] = "INSERT INTO enrolments (resident_id, program, start_date)"
                              " VALUES (?1, ?2, ?3) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    db_bind_text(st, 3, start_date);
    return db_insert_id(st);
}

int store_enrolment_get(struct db *db, int64_t id, struct enrolment_row *out)
{
    static const char SQL[] = "SELECT resident_id, program, start_date, coalesce(end_date, '')"
                              " FROM enrolments WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    out->resident_id = db_column_int(st, 0);
    snprintf(out->program, sizeof out->program, "%s", db_column_text(st, 1));
    snprintf(out->start_date, sizeof out->start_date, "%s", db_column_text(st, 2));
    snprintf(out->end_date, sizeof out->end_date, "%s", db_column_text(st, 3));
    db_run(st);
    return 1;
}

int store_enrolment_end(struct db *db, int64_t id, const char *end_date, const char *reason)
{
    static const char SQL[] = "UPDATE enrolments SET end_date = ?2, end_reason = ?3"
                              " WHERE id = ?1 AND end_date IS NULL";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, end_date);
    db_bind_text(st, 3, reason);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 1 : 0;
}

int64_t store_pregnancy_insert(struct db *db, int64_t resident_id, const char *lmp,
                               const char *delivery_date, const char *discharge_date)
{
    static const char SQL[] =
        "INSERT INTO pregnancies (resident_id, lmp, delivery_date, discharge_date)"
        " VALUES (?1, ?2, ?3, ?4) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, lmp);
    db_bind_text(st, 3, delivery_date);
    db_bind_text(st, 4, discharge_date);
    return db_insert_id(st);
}

json_t *store_resident_possible_duplicates(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT o.id FROM residents r JOIN residents o ON o.name = r.name AND o.birth_date = r.birth_date"
        " AND o.id <> r.id WHERE r.id = ?1 ORDER BY o.id LIMIT 10";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    json_t *ids = json_array();
    while (db_step(st) == DB_ROW)
        json_array_append_new(ids, json_integer(db_column_int(st, 0)));
    return ids;
}

int store_pregnancy_latest(struct db *db, int64_t resident_id, int64_t *id, char lmp[11],
                           char delivery[11], char discharge[11])
{
    static const char SQL[] =
        "SELECT id, lmp, coalesce(delivery_date, ''), coalesce(discharge_date, '')"
        " FROM pregnancies WHERE resident_id = ?1 ORDER BY lmp DESC, id DESC LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    if (db_step(st) != DB_ROW) return 0;
    *id = db_column_int(st, 0);
    snprintf(lmp, 11, "%s", db_column_text(st, 1));
    snprintf(delivery, 11, "%s", db_column_text(st, 2));
    snprintf(discharge, 11, "%s", db_column_text(st, 3));
    db_run(st);
    return 1;
}

int store_pregnancy_update(struct db *db, int64_t id, const char *delivery, const char *discharge)
{
    static const char SQL[] = "UPDATE pregnancies SET delivery_date = coalesce(?2, delivery_date),"
                              " discharge_date = coalesce(?3, discharge_date) WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, delivery);
    db_bind_text(st, 3, discharge);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_pregnancy_risk_get(struct db *db, int64_t pregnancy_id, struct pregnancy_risk *out)
{
    static const char SQL[] = "SELECT risk_color, risk_purple, coalesce(risk_assessed_on, ''),"
                              " coalesce(risk_reported_on, '') FROM pregnancies WHERE id = ?1";
    memset(out, 0, sizeof *out);
    snprintf(out->color, sizeof out->color, "green");
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, pregnancy_id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    if (!db_column_is_null(st, 0)) {
        out->assessed = 1;
        snprintf(out->color, sizeof out->color, "%s", db_column_text(st, 0));
        out->purple = (int)db_column_int(st, 1);
        snprintf(out->assessed_on, sizeof out->assessed_on, "%s", db_column_text(st, 2));
        snprintf(out->reported_on, sizeof out->reported_on, "%s", db_column_text(st, 3));
    }
    db_run(st);
    return 0;
}

int store_pregnancy_risk_set(struct db *db, int64_t pregnancy_id, const char *color, int purple,
                             const char *factors, const char *assessed_on, const char *reported_on)
{
    static const char SQL[] = "UPDATE pregnancies SET risk_color = ?2, risk_purple = ?3,"
                              " risk_factors = ?4, risk_assessed_on = ?5, risk_reported_on = ?6"
                              " WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, pregnancy_id);
    db_bind_text(st, 2, color);
    db_bind_int(st, 3, purple != 0);
    db_bind_text(st, 4, factors);
    db_bind_text(st, 5, assessed_on);
    db_bind_text(st, 6, reported_on);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int64_t store_resident_next_id(struct db *db)
{
    struct db_stmt *st = db_prepare(db, "SELECT coalesce(max(id), 0) + 1 FROM residents");
    return st ? db_query_int(st, -1) : -1;
}
