/* prescriptions.c (store) - see prescriptions.h. */
#include "store/prescriptions.h"

#include <stdio.h>
#include <string.h>

#include "json/jsonx.h"
#include "store/page.h"

static void copy_text(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

int store_drug_current_version(struct db *db)
{
    static const char SQL[] = "SELECT coalesce(max(version), 0) FROM drug_catalogue_versions";
    struct db_stmt *st = db_prepare(db, SQL);
    return st ? (int)db_query_int(st, -1) : -1;
}

json_t *store_drug_versions_list(struct db *db)
{
    static const char SQL[] =
        "SELECT v.version, v.published_on, v.published_by, v.note, v.created_at,"
        " (SELECT count(*) FROM drugs d WHERE d.version = v.version),"
        " (SELECT count(*) FROM drugs d WHERE d.version = v.version AND d.primary_care = 1),"
        " (SELECT count(*) FROM drugs d WHERE d.version = v.version AND d.village = 1)"
        " FROM drug_catalogue_versions v ORDER BY v.version DESC";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "version", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(o, "published_on", db_column_text(st, 1));
        json_object_set_new(o, "published_by", store_int_or_null(st, 2));
        jx_set_string_or_null(o, "note", db_column_text(st, 3));
        jx_set_string_or_null(o, "created_at", db_column_text(st, 4));
        json_object_set_new(o, "drugs", json_integer(db_column_int(st, 5)));
        json_object_set_new(o, "primary_care", json_integer(db_column_int(st, 6)));
        json_object_set_new(o, "village", json_integer(db_column_int(st, 7)));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int store_drug_version_exists(struct db *db, int version)
{
    static const char SQL[] = "SELECT count(*) FROM drug_catalogue_versions WHERE version = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, version);
    return (int)db_query_int(st, -1);
}

int store_drug_version_insert(struct db *db, const char *published_on, int64_t user_id,
                              const char *note)
{
    static const char SQL[] =
        "INSERT INTO drug_catalogue_versions (version, published_on, published_by, note)"
        " VALUES ((SELECT coalesce(max(version), 0) + 1 FROM drug_catalogue_versions), ?1, ?2, ?3)"
        " RETURNING version";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, published_on);
    if (user_id)
        db_bind_int(st, 2, user_id);
    else
        db_bind_null(st, 2);
    db_bind_text(st, 3, note);
    int64_t v = db_insert_id(st);
    return v > 0 ? (int)v : -1;
}

int store_drug_insert(struct db *db, int version, const struct drug *d)
{
    static const char SQL[] =
        "INSERT INTO drugs (version, code, generic_name, name_en, pinyin, dosage_form, strength,"
        " unit, insurance_class, essential, village, primary_care, package)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, version);
    db_bind_text(st, 2, d->code);
    db_bind_text(st, 3, d->generic_name);
    db_bind_text(st, 4, d->name_en);
    db_bind_text(st, 5, d->pinyin);
    db_bind_text(st, 6, d->dosage_form);
    db_bind_text(st, 7, d->strength);
    db_bind_text(st, 8, d->unit);
    db_bind_text(st, 9, d->insurance_class);
    db_bind_int(st, 10, d->essential);
    db_bind_int(st, 11, d->village);
    db_bind_int(st, 12, d->primary_care);
    db_bind_text(st, 13, d->package);
    int rc = db_run(st);
    return rc == DB_DONE ? 0 : rc == DB_CONSTRAINT ? DB_CONSTRAINT : -1;
}

static json_t *drug_row(struct db_stmt *st)
{
    json_t *o = json_object();
    jx_set_string_or_null(o, "code", db_column_text(st, 0));
    jx_set_string_or_null(o, "generic_name", db_column_text(st, 1));
    jx_set_string_or_null(o, "name_en", db_column_text(st, 2));
    jx_set_string_or_null(o, "pinyin", db_column_text(st, 3));
    jx_set_string_or_null(o, "dosage_form", db_column_text(st, 4));
    jx_set_string_or_null(o, "strength", db_column_text(st, 5));
    jx_set_string_or_null(o, "unit", db_column_text(st, 6));
    jx_set_string_or_null(o, "insurance_class", db_column_text(st, 7));
    json_object_set_new(o, "essential", json_boolean(db_column_int(st, 8)));
    json_object_set_new(o, "village", json_boolean(db_column_int(st, 9)));
    json_object_set_new(o, "primary_care", json_boolean(db_column_int(st, 10)));
    jx_set_string_or_null(o, "package", db_column_text(st, 11));
    return o;
}

json_t *store_drugs_search(struct db *db, int version, const char *q, int village, int primary_care,
                           int limit, int offset, int64_t *total)
{
    /* ?2 is the text searched for; ?6 the same escaped for LIKE, so a % or _ typed in the
     * box is a character, not a pattern. */
#define DRUG_FILTER                                                                                \
    " FROM drugs WHERE version = ?1 AND (?3 < 0 OR village = ?3) AND (?4 < 0 OR primary_care = "   \
    "?4)"                                                                                          \
    " AND (?2 IS NULL OR code LIKE ?6 || '%' ESCAPE '\\' OR generic_name LIKE '%' || ?6 || '%'"    \
    " ESCAPE '\\' OR lower(name_en) LIKE '%' || lower(?6) || '%' ESCAPE '\\'"                      \
    " OR pinyin LIKE lower(?6) || '%' ESCAPE '\\')"
    static const char SQL[] =
        "SELECT code, generic_name, name_en, pinyin, dosage_form, strength, unit, insurance_class,"
        " essential, village, primary_care, package" DRUG_FILTER
        " ORDER BY generic_name, code LIMIT ?5 OFFSET ?7";
    static const char COUNT[] = "SELECT count(*)" DRUG_FILTER " AND ?5 = ?5 AND ?7 = ?7";
#undef DRUG_FILTER
    char escaped[200];
    size_t n = 0;
    for (const char *p = q; p && *p && n + 2 < sizeof escaped; p++) {
        if (*p == '%' || *p == '_' || *p == '\\') escaped[n++] = '\\';
        escaped[n++] = *p;
    }
    escaped[n] = 0;
    json_t *items = json_array();
    for (int pass = 0; pass < 2; pass++) {
        struct db_stmt *st = db_prepare(db, pass ? COUNT : SQL);
        if (!st) goto fail;
        db_bind_int(st, 1, version);
        db_bind_text(st, 2, q);
        db_bind_int(st, 3, village);
        db_bind_int(st, 4, primary_care);
        db_bind_int(st, 5, limit);
        db_bind_text(st, 6, escaped);
        db_bind_int(st, 7, offset);
        if (pass) {
            *total = db_query_int(st, -1);
            if (*total < 0) goto fail;
            break;
        }
        int rc;
        while ((rc = db_step(st)) == DB_ROW)
            json_array_append_new(items, drug_row(st));
        if (rc != DB_DONE) goto fail;
    }
    return items;
fail:
    json_decref(items);
    return NULL;
}

int store_drug_flags(struct db *db, int version, const char *code, int *village, int *primary_care,
                     char *name, size_t name_size)
{
    static const char SQL[] =
        "SELECT village, primary_care, generic_name || ' ' || strength || ' ' || dosage_form"
        " FROM drugs WHERE version = ?1 AND code = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, version);
    db_bind_text(st, 2, code);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    *village = (int)db_column_int(st, 0);
    *primary_care = (int)db_column_int(st, 1);
    copy_text(name, name_size, db_column_text(st, 2));
    db_step(st);
    return 1;
}

int store_rx_followup_facts(struct db *db, int64_t resident_id, const char *program, int *enrolled,
                            int *has_followup, char date[11], char classification[32],
                            char adherence[16])
{
    static const char ENROLLED[] = "SELECT count(*) FROM enrolments WHERE resident_id = ?1"
                                   " AND program = ?2 AND end_date IS NULL";
    static const char LATEST[] =
        "SELECT visit_date, classification, medication_adherence FROM followups"
        " WHERE resident_id = ?1 AND program = ?2 ORDER BY visit_date DESC, id DESC LIMIT 1";
    struct db_stmt *st = db_prepare(db, ENROLLED);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    int64_t n = db_query_int(st, -1);
    if (n < 0) return -1;
    *enrolled = n > 0;
    if (!(st = db_prepare(db, LATEST))) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    int rc = db_step(st);
    *has_followup = rc == DB_ROW;
    date[0] = classification[0] = adherence[0] = 0;
    if (rc == DB_ROW) {
        copy_text(date, 11, db_column_text(st, 0));
        copy_text(classification, 32, db_column_text(st, 1));
        copy_text(adherence, 16, db_column_text(st, 2));
        rc = db_step(st);
    }
    return rc == DB_DONE ? 0 : -1;
}

int store_institution_level(struct db *db, int64_t id, char level[16], char kind[32])
{
    static const char SQL[] = "SELECT level, kind FROM institutions WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    copy_text(level, 16, db_column_text(st, 0));
    copy_text(kind, 32, db_column_text(st, 1));
    db_step(st);
    return 1;
}

int64_t store_staff_institution(struct db *db, int64_t staff_id)
{
    static const char SQL[] = "SELECT institution_id FROM staff WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return 0;
    db_bind_int(st, 1, staff_id);
    int64_t id = db_query_int(st, 0);
    return id > 0 ? id : 0;
}

static void bind_id_or_null(struct db_stmt *st, int index, int64_t id)
{
    if (id > 0)
        db_bind_int(st, index, id);
    else
        db_bind_null(st, index);
}

int64_t store_prescription_insert(struct db *db, const struct prescription_input *in)
{
    static const char SQL[] =
        "INSERT INTO prescriptions (resident_id, kind, program, prescribed_on, prescriber_id,"
        " institution_id, days_supply, catalogue_version, source_institution_id, source_reference,"
        " source_prescriber, source_date, referral_id, delivery_method, pickup_institution_id,"
        " delivery_status, created_by, county_code)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
        " CASE WHEN ?14 IS NULL THEN NULL ELSE 'pending' END, ?16, ?17) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->kind);
    db_bind_text(st, 3, in->program);
    db_bind_text(st, 4, in->prescribed_on);
    bind_id_or_null(st, 5, in->prescriber_id);
    bind_id_or_null(st, 6, in->institution_id);
    db_bind_int(st, 7, in->days_supply);
    db_bind_int(st, 8, in->catalogue_version);
    bind_id_or_null(st, 9, in->source_institution_id);
    db_bind_text(st, 10, in->source_reference);
    db_bind_text(st, 11, in->source_prescriber);
    db_bind_text(st, 12, in->source_date);
    bind_id_or_null(st, 13, in->referral_id);
    db_bind_text(st, 14, in->delivery_method);
    bind_id_or_null(st, 15, in->pickup_institution_id);
    bind_id_or_null(st, 16, in->created_by);
    db_bind_text(st, 17, in->county_code);
    int64_t id = db_insert_id(st);
    return id > 0 ? id : -1;
}

int64_t store_prescription_item_insert(struct db *db, int64_t prescription_id,
                                       const struct prescription_item_input *in)
{
    static const char SQL[] =
        "INSERT INTO prescription_items (prescription_id, drug_code, drug_name, dose, unit,"
        " frequency, route, days, quantity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING "
        "id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, prescription_id);
    db_bind_text(st, 2, in->drug_code);
    db_bind_text(st, 3, in->drug_name);
    db_bind_text(st, 4, in->dose);
    db_bind_text(st, 5, in->unit);
    db_bind_text(st, 6, in->frequency);
    db_bind_text(st, 7, in->route ? in->route : "oral");
    db_bind_int(st, 8, in->days);
    db_bind_int(st, 9, in->quantity);
    int64_t id = db_insert_id(st);
    return id > 0 ? id : -1;
}

static int items_of(struct db *db, json_t *prescription)
{
    static const char SQL[] =
        "SELECT id, drug_code, drug_name, dose, unit, frequency, route, days, quantity"
        " FROM prescription_items WHERE prescription_id = ?1 ORDER BY id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, json_integer_value(json_object_get(prescription, "id")));
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(o, "drug_code", db_column_text(st, 1));
        jx_set_string_or_null(o, "drug_name", db_column_text(st, 2));
        jx_set_string_or_null(o, "dose", db_column_text(st, 3));
        jx_set_string_or_null(o, "unit", db_column_text(st, 4));
        jx_set_string_or_null(o, "frequency", db_column_text(st, 5));
        jx_set_string_or_null(o, "route", db_column_text(st, 6));
        json_object_set_new(o, "days", json_integer(db_column_int(st, 7)));
        json_object_set_new(o, "quantity", json_integer(db_column_int(st, 8)));
        json_array_append_new(items, o);
    }
    json_object_set_new(prescription, "items", items);
    return rc == DB_DONE ? 0 : -1;
}

#define PRESCRIPTION_COLUMNS                                                                       \
    "SELECT p.id, p.resident_id, p.kind, p.program, p.prescribed_on, p.prescriber_id, s.name,"     \
    " p.institution_id, i.name, p.days_supply, p.status, p.catalogue_version,"                     \
    " p.source_institution_id, si.name, p.source_reference, p.source_prescriber, p.source_date,"   \
    " p.referral_id, p.delivery_method, p.pickup_institution_id, pi.name, p.delivery_status,"      \
    " p.dispatched_at, p.delivered_at, p.picked_up_at, p.tracking_number, p.created_at"            \
    " FROM prescriptions p LEFT JOIN staff s ON s.id = p.prescriber_id"                            \
    " LEFT JOIN institutions i ON i.id = p.institution_id"                                         \
    " LEFT JOIN institutions si ON si.id = p.source_institution_id"                                \
    " LEFT JOIN institutions pi ON pi.id = p.pickup_institution_id"

static json_t *prescription_row(struct db_stmt *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    json_object_set_new(o, "resident_id", json_integer(db_column_int(st, 1)));
    jx_set_string_or_null(o, "kind", db_column_text(st, 2));
    jx_set_string_or_null(o, "program", db_column_text(st, 3));
    jx_set_string_or_null(o, "prescribed_on", db_column_text(st, 4));
    json_object_set_new(o, "prescriber_id", store_int_or_null(st, 5));
    jx_set_string_or_null(o, "prescriber_name", db_column_text(st, 6));
    json_object_set_new(o, "institution_id", store_int_or_null(st, 7));
    jx_set_string_or_null(o, "institution_name", db_column_text(st, 8));
    json_object_set_new(o, "days_supply", json_integer(db_column_int(st, 9)));
    jx_set_string_or_null(o, "status", db_column_text(st, 10));
    json_object_set_new(o, "catalogue_version", json_integer(db_column_int(st, 11)));
    if (!db_column_is_null(st, 12) || !db_column_is_null(st, 14)) {
        json_t *src = json_object();
        json_object_set_new(src, "institution_id", store_int_or_null(st, 12));
        jx_set_string_or_null(src, "institution_name", db_column_text(st, 13));
        jx_set_string_or_null(src, "reference", db_column_text(st, 14));
        jx_set_string_or_null(src, "prescriber", db_column_text(st, 15));
        jx_set_string_or_null(src, "date", db_column_text(st, 16));
        json_object_set_new(src, "referral_id", store_int_or_null(st, 17));
        json_object_set_new(o, "source", src);
    } else {
        json_object_set_new(o, "source", json_null());
    }
    if (!db_column_is_null(st, 18)) {
        json_t *del = json_object();
        jx_set_string_or_null(del, "method", db_column_text(st, 18));
        json_object_set_new(del, "institution_id", store_int_or_null(st, 19));
        jx_set_string_or_null(del, "institution_name", db_column_text(st, 20));
        jx_set_string_or_null(del, "status", db_column_text(st, 21));
        jx_set_string_or_null(del, "dispatched_at", db_column_text(st, 22));
        jx_set_string_or_null(del, "delivered_at", db_column_text(st, 23));
        jx_set_string_or_null(del, "picked_up_at", db_column_text(st, 24));
        jx_set_string_or_null(del, "tracking_number", db_column_text(st, 25));
        json_object_set_new(o, "delivery", del);
    } else {
        json_object_set_new(o, "delivery", json_null());
    }
    jx_set_string_or_null(o, "created_at", db_column_text(st, 26));
    return o;
}

json_t *store_prescription_get(struct db *db, int64_t id, int *found)
{
    static const char SQL[] = PRESCRIPTION_COLUMNS " WHERE p.id = ?1";
    *found = 0;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return NULL;
    json_t *o = prescription_row(st);
    db_step(st);
    *found = 1;
    if (items_of(db, o) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *store_prescriptions_list(struct db *db, int64_t resident_id, int limit)
{
    static const char SQL[] = PRESCRIPTION_COLUMNS
        " WHERE p.resident_id = ?1 ORDER BY p.prescribed_on DESC, p.id DESC LIMIT ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, limit);
    json_t *list = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(list, prescription_row(st));
    if (rc != DB_DONE) goto fail;
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p)
        if (items_of(db, p) < 0) goto fail;
    return list;
fail:
    json_decref(list);
    return NULL;
}

int64_t store_prescription_resident(struct db *db, int64_t id)
{
    static const char SQL[] = "SELECT resident_id FROM prescriptions WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    return db_query_int(st, STORE_NOT_FOUND);
}

int store_prescription_delivery_get(struct db *db, int64_t id, char method[16], char status[16])
{
    static const char SQL[] =
        "SELECT delivery_method, delivery_status FROM prescriptions WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    copy_text(method, 16, db_column_text(st, 0));
    copy_text(status, 16, db_column_text(st, 1));
    db_step(st);
    return 1;
}

int store_prescription_delivery_set(struct db *db, int64_t id, const char *status,
                                    const char *tracking)
{
    static const char SQL[] =
        "UPDATE prescriptions SET delivery_status = ?2,"
        " dispatched_at = CASE WHEN ?2 = 'dispatched' THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        "   ELSE dispatched_at END,"
        " delivered_at = CASE WHEN ?2 = 'delivered' THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        "   ELSE delivered_at END,"
        " picked_up_at = CASE WHEN ?2 = 'picked_up' THEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        "   ELSE picked_up_at END,"
        " tracking_number = coalesce(?3, tracking_number) WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, status);
    db_bind_text(st, 3, tracking);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_prescription_item_for(struct db *db, int64_t item_id, int64_t *resident_id, char *name,
                                size_t name_size, char *dose, size_t dose_size, char *frequency,
                                size_t frequency_size)
{
    static const char SQL[] = "SELECT p.resident_id, i.drug_name, i.dose || i.unit, i.frequency"
                              " FROM prescription_items i JOIN prescriptions p ON p.id = "
                              "i.prescription_id WHERE i.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, item_id);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    *resident_id = db_column_int(st, 0);
    copy_text(name, name_size, db_column_text(st, 1));
    copy_text(dose, dose_size, db_column_text(st, 2));
    copy_text(frequency, frequency_size, db_column_text(st, 3));
    db_step(st);
    return 1;
}

int store_rx_resident(struct db *db, int64_t id, char region[16], char status[16])
{
    static const char SQL[] = "SELECT region, status FROM residents WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    copy_text(region, 16, db_column_text(st, 0));
    copy_text(status, 16, db_column_text(st, 1));
    db_step(st);
    return 1;
}
