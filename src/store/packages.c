/* packages.c (store) - see packages.h. */
#include "store/packages.h"

#include <stdio.h>
#include <string.h>

#include "json/jsonx.h"
#include "store/page.h"

static void add_package_details(struct db *db, json_t *out, int64_t id)
{
    static const char ITEMS[] = "SELECT service, name_zh, name_en, quantity, workload_weight"
                                " FROM package_items WHERE package_id = ?1 ORDER BY id";
    static const char RULES[] = "SELECT payer, kind, value FROM package_fee_rules"
                                " WHERE package_id = ?1 ORDER BY position";
    json_t *items = json_array(), *rules = json_array();
    struct db_stmt *st = db_prepare(db, ITEMS);
    if (st) {
        db_bind_int(st, 1, id);
        while (db_step(st) == DB_ROW)
            json_array_append_new(
                items, json_pack("{s:s, s:s, s:s, s:I, s:f}", "service", db_column_text(st, 0),
                                 "name", db_column_text(st, 1), "name_en", db_column_text(st, 2),
                                 "quantity", (json_int_t)db_column_int(st, 3), "workload_weight",
                                 db_column_double(st, 4)));
    }
    st = db_prepare(db, RULES);
    if (st) {
        db_bind_int(st, 1, id);
        while (db_step(st) == DB_ROW)
            json_array_append_new(
                rules, json_pack("{s:s, s:s, s:I}", "payer", db_column_text(st, 0), "kind",
                                 db_column_text(st, 1), "value", (json_int_t)db_column_int(st, 2)));
    }
    json_object_set_new(out, "items", items);
    json_object_set_new(out, "fee_rules", rules);
}

json_t *store_packages_list(struct db *db)
{
    static const char SQL[] =
        "SELECT id, code, version, name_zh, name_en, tier, type, payment_type, price_fen, min_age,"
        " max_age, required_program, required_class, personalised, institution_id,"
        " (SELECT name FROM institutions i WHERE i.id = institution_id) FROM packages WHERE current = 1"
        " ORDER BY CASE tier WHEN 'basic' THEN 0 WHEN 'primary' THEN 1 WHEN 'intermediate' THEN 2"
        " ELSE 3 END, price_fen, code";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    json_t *list = json_array();
    int64_t ids[256];
    int n = 0;
    while (db_step(st) == DB_ROW && n < 256) {
        ids[n++] = db_column_int(st, 0);
        json_t *p = json_object();
        jx_set_string_or_null(p, "code", db_column_text(st, 1));
        json_object_set_new(p, "version", json_integer(db_column_int(st, 2)));
        jx_set_string_or_null(p, "name", db_column_text(st, 3));
        jx_set_string_or_null(p, "name_en", db_column_text(st, 4));
        jx_set_string_or_null(p, "tier", db_column_text(st, 5));
        jx_set_string_or_null(p, "type", db_column_text(st, 6));
        jx_set_string_or_null(p, "payment_type", db_column_text(st, 7));
        json_object_set_new(p, "price_fen", json_integer(db_column_int(st, 8)));
        json_object_set_new(
            p, "eligibility",
            json_pack("{s:o, s:o, s:o, s:o}", "min_age", store_int_or_null(st, 9), "max_age",
                      store_int_or_null(st, 10), "required_program",
                      db_column_is_null(st, 11) ? json_null() : json_string(db_column_text(st, 11)),
                      "required_class", store_int_or_null(st, 12)));
        json_object_set_new(p, "personalised", json_boolean(db_column_int(st, 13)));
        json_object_set_new(p, "institution_id", store_int_or_null(st, 14));
        jx_set_string_or_null(p, "institution", db_column_text(st, 15));
        json_array_append_new(list, p);
    }
    db_release(db);
    for (int i = 0; i < n; i++)
        add_package_details(db, json_array_get(list, (size_t)i), ids[i]);
    return list;
}

int store_package_load(struct db *db, const char *code, struct package_row *out)
{
    static const char SQL[] =
        "SELECT id, code, price_fen, personalised, coalesce(min_age, -1),"
        " coalesce(max_age, -1), coalesce(required_program, ''),"
        " coalesce(required_class, 0), coalesce(institution_id, 0) FROM packages WHERE code = ?1 AND current = 1";
    static const char RULES[] =
        "SELECT payer, kind, value FROM package_fee_rules WHERE package_id = ?1"
        " ORDER BY position";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    memset(out, 0, sizeof *out);
    out->id = db_column_int(st, 0);
    snprintf(out->code, sizeof out->code, "%s", db_column_text(st, 1));
    out->price_fen = db_column_int(st, 2);
    out->personalised = (int)db_column_int(st, 3);
    out->requires.min_age = (int)db_column_int(st, 4);
    out->requires.max_age = (int)db_column_int(st, 5);
    snprintf(out->required_program, sizeof out->required_program, "%s", db_column_text(st, 6));
    out->requires.required_program = out->required_program;
    out->requires.required_class = (int)db_column_int(st, 7);
    out->institution_id = db_column_int(st, 8);
    db_run(st);
    st = db_prepare(db, RULES);
    if (!st) return -1;
    db_bind_int(st, 1, out->id);
    while (db_step(st) == DB_ROW && out->rule_count < FEE_MAX_PAYERS) {
        struct fee_rule *r = &out->rules[out->rule_count++];
        snprintf(r->payer, sizeof r->payer, "%s", db_column_text(st, 0));
        r->kind = strcmp(db_column_text(st, 1), "fixed") == 0 ? FEE_FIXED : FEE_PERCENT;
        r->value = db_column_int(st, 2);
    }
    return 1;
}

int64_t store_package_insert(struct db *db, const struct package_input *in)
{
    static const char SQL[] =
        "INSERT INTO packages (code, name_zh, name_en, tier, type, payment_type, price_fen, min_age,"
        " max_age, required_program, required_class, personalised, version, institution_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, max(?13, 1), nullif(?14, 0)) RETURNING id";
    static const char ITEM[] =
        "INSERT INTO package_items (package_id, service, name_zh, name_en, quantity,"
        " workload_weight) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    static const char RULE[] =
        "INSERT INTO package_fee_rules (package_id, position, payer, kind, value)"
        " VALUES (?1, ?2, ?3, ?4, ?5)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, in->code);
    db_bind_text(st, 2, in->name_zh);
    db_bind_text(st, 3, in->name_en);
    db_bind_text(st, 4, in->tier);
    db_bind_text(st, 5, in->type);
    db_bind_text(st, 6, in->payment_type);
    db_bind_int(st, 7, in->price_fen);
    if (in->min_age >= 0) db_bind_int(st, 8, in->min_age);
    if (in->max_age >= 0) db_bind_int(st, 9, in->max_age);
    db_bind_text(st, 10, in->required_program);
    if (in->required_class) db_bind_int(st, 11, in->required_class);
    db_bind_int(st, 12, in->personalised);
    db_bind_int(st, 13, in->version);
    db_bind_int(st, 14, in->institution_id);
    int64_t id = db_insert_id(st);
    if (id < 0) return id;
    for (int i = 0; i < in->item_count; i++) {
        st = db_prepare(db, ITEM);
        if (!st) return DB_ERROR;
        db_bind_int(st, 1, id);
        db_bind_text(st, 2, in->items[i].service);
        db_bind_text(st, 3, in->items[i].name_zh);
        db_bind_text(st, 4, in->items[i].name_en);
        db_bind_int(st, 5, in->items[i].quantity);
        db_bind_double(st, 6, in->items[i].workload_weight);
        if (db_run(st) != DB_DONE) return DB_ERROR;
    }
    for (int i = 0; i < in->rule_count; i++) {
        st = db_prepare(db, RULE);
        if (!st) return DB_ERROR;
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, i);
        db_bind_text(st, 3, in->rules[i].payer);
        db_bind_text(st, 4, in->rules[i].kind == FEE_FIXED ? "fixed" : "percent");
        db_bind_int(st, 5, in->rules[i].value);
        if (db_run(st) != DB_DONE) return DB_ERROR;
    }
    return id;
}

int64_t store_package_institution(struct db *db, const char *code)
{
    static const char SQL[] =
        "SELECT coalesce(institution_id, 0) FROM packages WHERE code = ?1 AND current = 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    return db_query_int(st, STORE_NOT_FOUND);
}

int store_package_retire(struct db *db, const char *code)
{
    static const char SQL[] =
        "UPDATE packages SET current = 0 WHERE code = ?1 AND current = 1 RETURNING version";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    int version = (int)db_column_int(st, 0);
    db_run(st);
    return version;
}
