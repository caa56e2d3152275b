/* contracts.c (store) - packages and contracts. */
#include "store/contracts.h"

#include <stdio.h>
#include <string.h>

#include "json/jsonx.h"
#include "store/page.h"
#include "store/scope.h"
#include "store/slices.h"
#include "util/log.h"

static json_t *int_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : json_integer(db_column_int(st, col));
}

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
            json_pack("{s:o, s:o, s:o, s:o}", "min_age", int_or_null(st, 9), "max_age",
                      int_or_null(st, 10), "required_program",
                      db_column_is_null(st, 11) ? json_null() : json_string(db_column_text(st, 11)),
                      "required_class", int_or_null(st, 12)));
        json_object_set_new(p, "personalised", json_boolean(db_column_int(st, 13)));
        json_object_set_new(p, "institution_id", int_or_null(st, 14));
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

int64_t store_contract_active_id(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT id FROM contracts WHERE resident_id = ?1 AND status = 'active'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    return db_query_int(st, 0);
}

int64_t store_doctor_households(struct db *db, int64_t staff_id, int personalised_only,
                                int64_t household_id, int *has_household)
{
    static const char SQL[] =
        "SELECT count(DISTINCT coalesce(r.household_id, -r.id)), max(r.household_id = ?3)"
        " FROM contracts c JOIN residents r ON r.id = c.resident_id WHERE c.doctor_id = ?1"
        " AND c.status = 'active'"
        " AND (?2 = 0 OR EXISTS (SELECT 1 FROM contract_packages cp JOIN packages p ON p.id = cp.package_id"
        "   WHERE cp.contract_id = c.id AND p.personalised = 1))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, staff_id);
    db_bind_int(st, 2, personalised_only);
    db_bind_int(st, 3, household_id);
    if (db_step(st) != DB_ROW) return -1;
    int64_t n = db_column_int(st, 0);
    *has_household = household_id > 0 && db_column_int(st, 1) == 1;
    db_run(st);
    return n;
}

int store_staff_capacity(struct db *db, int64_t staff_id, int *max, char profession[16])
{
    static const char SQL[] = "SELECT max_contracts, profession FROM staff WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, staff_id);
    if (db_step(st) != DB_ROW) return 0;
    *max = (int)db_column_int(st, 0);
    snprintf(profession, 16, "%s", db_column_text(st, 1));
    db_run(st);
    return 1;
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

int64_t store_contract_insert(struct db *db, const struct contract_input *in)
{
    static const char SQL[] =
        "INSERT INTO contracts (resident_id, team_id, doctor_id, status, channel, start_date, end_date,"
        " fee_fen, district_hospital_id, city_hospital_id, cross_grid_reason, previous_id, signed_by,"
        " county_code, signed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, nullif(?9, 0), nullif(?10, 0), ?11,"
        " nullif(?12, 0), nullif(?13, 0), ?14, coalesce(?15, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        " RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->resident_id);
    db_bind_int(st, 2, in->team_id);
    db_bind_int(st, 3, in->doctor_id);
    db_bind_text(st, 4, in->status);
    db_bind_text(st, 5, in->channel);
    db_bind_text(st, 6, in->start_date);
    db_bind_text(st, 7, in->end_date);
    db_bind_int(st, 8, in->fee_fen);
    db_bind_int(st, 9, in->district_hospital_id);
    db_bind_int(st, 10, in->city_hospital_id);
    db_bind_text(st, 11, in->cross_grid_reason);
    db_bind_int(st, 12, in->previous_id);
    db_bind_int(st, 13, in->signed_by);
    db_bind_text(st, 14, in->county_code);
    db_bind_text(st, 15, in->signed_at);
    return db_insert_id(st);
}

int store_contract_add_package(struct db *db, int64_t contract_id, int64_t package_id)
{
    static const char LINK[] =
        "INSERT INTO contract_packages (contract_id, package_id) VALUES (?1, ?2)";
    static const char COPY[] =
        "INSERT INTO entitlements (contract_id, package_item_id, service, quantity)"
        " SELECT ?1, id, service, quantity FROM package_items WHERE package_id = ?2";
    const char *sqls[2] = {LINK, COPY};
    for (int i = 0; i < 2; i++) {
        struct db_stmt *st = db_prepare(db, sqls[i]);
        if (!st) return -1;
        db_bind_int(st, 1, contract_id);
        db_bind_int(st, 2, package_id);
        if (db_run(st) != DB_DONE) return -1;
    }
    return 0;
}

int store_contract_add_share(struct db *db, int64_t contract_id, const char *payer,
                             int64_t amount_fen)
{
    static const char SQL[] =
        "INSERT INTO contract_shares (contract_id, payer, amount_fen) VALUES (?1, ?2, ?3)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, contract_id);
    db_bind_text(st, 2, payer);
    db_bind_int(st, 3, amount_fen);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_contract_event(struct db *db, int64_t contract_id, const char *from, const char *to,
                         const char *reason, int64_t user_id)
{
    static const char SQL[] =
        "INSERT INTO contract_events (contract_id, from_status, to_status, reason, user_id)"
        " VALUES (?1, ?2, ?3, ?4, nullif(?5, 0))";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, contract_id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_text(st, 4, reason);
    db_bind_int(st, 5, user_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

static void add_contract_lists(struct db *db, json_t *c, int64_t id)
{
    static const char PACKAGES[] =
        "SELECT p.code, p.version, p.name_zh, p.name_en, p.price_fen FROM contract_packages cp"
        " JOIN packages p ON p.id = cp.package_id WHERE cp.contract_id = ?1 ORDER BY p.id";
    static const char SHARES[] =
        "SELECT payer, amount_fen FROM contract_shares WHERE contract_id = ?1 ORDER BY rowid";
    static const char ENTITLEMENTS[] =
        "SELECT e.id, e.service, i.name_zh, i.name_en, e.quantity, e.used, p.code FROM entitlements e"
        " JOIN package_items i ON i.id = e.package_item_id JOIN packages p ON p.id = i.package_id"
        " WHERE e.contract_id = ?1 ORDER BY e.id";
    /* Each delivery with where it came from: a record (source_kind, source_id) or by hand. */
    static const char DELIVERIES[] =
        "SELECT d.id, d.entitlement_id, d.delivered_on, d.quantity, d.source_kind, d.source_id, s.name, d.note"
        " FROM deliveries d LEFT JOIN staff s ON s.id = d.staff_id WHERE d.contract_id = ?1"
        " ORDER BY d.delivered_on, d.id";
    static const char EVENTS[] =
        "SELECT e.at, e.from_status, e.to_status, e.reason, u.username FROM contract_events e"
        " LEFT JOIN users u ON u.id = e.user_id WHERE e.contract_id = ?1 ORDER BY e.id";
    json_t *packages = json_array(), *shares = json_array(), *entitlements = json_array(),
           *history = json_array();
    int64_t entitled = 0, used = 0;
    struct db_stmt *st = db_prepare(db, PACKAGES);
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW)
        json_array_append_new(packages,
                              json_pack("{s:s, s:I, s:s, s:s, s:I}", "code", db_column_text(st, 0),
                                        "version", (json_int_t)db_column_int(st, 1), "name",
                                        db_column_text(st, 2), "name_en", db_column_text(st, 3),
                                        "price_fen", (json_int_t)db_column_int(st, 4)));
    st = db_prepare(db, SHARES);
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW)
        json_array_append_new(shares, json_pack("{s:s, s:I}", "payer", db_column_text(st, 0),
                                                "amount_fen", (json_int_t)db_column_int(st, 1)));
    st = db_prepare(db, ENTITLEMENTS);
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        int64_t q = db_column_int(st, 4), u = db_column_int(st, 5);
        entitled += q;
        used += u < q ? u : q;
        json_array_append_new(
            entitlements,
            json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:s}", "id",
                      (json_int_t)db_column_int(st, 0), "service", db_column_text(st, 1), "name",
                      db_column_text(st, 2), "name_en", db_column_text(st, 3), "quantity",
                      (json_int_t)q, "used", (json_int_t)u, "remaining",
                      (json_int_t)(q > u ? q - u : 0), "package", db_column_text(st, 6)));
        /* Filled from the deliveries below: recorded services and deliveries by hand. */
        json_t *last = json_array_get(entitlements, json_array_size(entitlements) - 1);
        json_object_set_new(last, "used_automatic", json_integer(0));
        json_object_set_new(last, "used_manual", json_integer(0));
        json_object_set_new(last, "deliveries", json_array());
    }
    st = db_prepare(db, DELIVERIES);
    if (st) db_bind_int(st, 1, id);
    while (st && db_step(st) == DB_ROW) {
        json_t *owner = NULL, *e;
        size_t i;
        json_array_foreach(entitlements, i, e)
            if (json_integer_value(json_object_get(e, "id")) == db_column_int(st, 1)) owner = e;
        if (!owner) continue;
        int automatic = !db_column_is_null(st, 4);
        int64_t quantity = db_column_int(st, 3);
        json_t *d = json_pack("{s:I, s:s, s:I, s:b}", "id", (json_int_t)db_column_int(st, 0),
                              "delivered_on", db_column_text(st, 2), "quantity",
                              (json_int_t)quantity, "automatic", automatic);
        json_object_set_new(d, "source",
                            automatic ? json_pack("{s:s, s:I}", "kind", db_column_text(st, 4), "id",
                                                  (json_int_t)db_column_int(st, 5))
                                      : json_null());
        jx_set_string_or_null(d, "staff_name", db_column_text(st, 6));
        jx_set_string_or_null(d, "note", db_column_text(st, 7));
        json_array_append_new(json_object_get(owner, "deliveries"), d);
        const char *key = automatic ? "used_automatic" : "used_manual";
        json_object_set_new(
            owner, key, json_integer(json_integer_value(json_object_get(owner, key)) + quantity));
    }
    st = db_prepare(db, EVENTS);
    db_bind_int(st, 1, id);
    while (db_step(st) == DB_ROW) {
        json_t *e = json_object();
        jx_set_string_or_null(e, "at", db_column_text(st, 0));
        jx_set_string_or_null(e, "from", db_column_text(st, 1));
        jx_set_string_or_null(e, "to", db_column_text(st, 2));
        jx_set_string_or_null(e, "reason", db_column_text(st, 3));
        jx_set_string_or_null(e, "by", db_column_text(st, 4));
        json_array_append_new(history, e);
    }
    json_object_set_new(c, "packages", packages);
    json_object_set_new(c, "shares", shares);
    json_object_set_new(c, "entitlements", entitlements);
    json_object_set_new(
        c, "fulfilment",
        json_pack("{s:I, s:I, s:o}", "delivered", (json_int_t)used, "entitled",
                  (json_int_t)entitled, "rate",
                  entitled ? json_real((double)used / (double)entitled) : json_null()));
    json_object_set_new(c, "history", history);
}

#define CONTRACT_COLUMNS                                                                           \
    "c.id, c.resident_id, r.name, c.team_id, t.name, c.doctor_id, doc.name, c.status, c.channel,"  \
    " c.start_date, c.end_date, c.fee_fen, c.district_hospital_id, c.city_hospital_id,"            \
    " c.cross_grid_reason, c.previous_id, c.ended_on, c.end_reason, c.signed_at,"                  \
    " (SELECT max(n.id) FROM contracts n WHERE n.previous_id = c.id AND n.status IN ('scheduled','active'))"
#define CONTRACT_JOINS " JOIN teams t ON t.id = c.team_id JOIN staff doc ON doc.id = c.doctor_id"
#define CONTRACT_FROM " FROM contracts c JOIN residents r ON r.id = c.resident_id" CONTRACT_JOINS
/* A team's few cells: their residents through the region index, then their contracts
 * (CROSS JOIN keeps that order; the planner would otherwise walk every active contract). */
#define CONTRACT_FROM_NARROW                                                                       \
    SCOPE_DRIVEN_FROM " CROSS JOIN contracts c ON c.resident_id = r.id" CONTRACT_JOINS

static json_t *contract_from_row(struct db_stmt *st)
{
    json_t *c = json_object();
    json_object_set_new(c, "id", json_integer(db_column_int(st, 0)));
    json_object_set_new(c, "resident_id", json_integer(db_column_int(st, 1)));
    jx_set_string_or_null(c, "resident_name", db_column_text(st, 2));
    json_object_set_new(c, "team_id", json_integer(db_column_int(st, 3)));
    jx_set_string_or_null(c, "team_name", db_column_text(st, 4));
    json_object_set_new(c, "doctor_id", json_integer(db_column_int(st, 5)));
    jx_set_string_or_null(c, "doctor_name", db_column_text(st, 6));
    jx_set_string_or_null(c, "status", db_column_text(st, 7));
    jx_set_string_or_null(c, "channel", db_column_text(st, 8));
    jx_set_string_or_null(c, "start_date", db_column_text(st, 9));
    jx_set_string_or_null(c, "end_date", db_column_text(st, 10));
    json_object_set_new(c, "fee_fen", json_integer(db_column_int(st, 11)));
    json_object_set_new(c, "district_hospital_id", int_or_null(st, 12));
    json_object_set_new(c, "city_hospital_id", int_or_null(st, 13));
    jx_set_string_or_null(c, "cross_grid_reason", db_column_text(st, 14));
    json_object_set_new(c, "previous_id", int_or_null(st, 15));
    jx_set_string_or_null(c, "ended_on", db_column_text(st, 16));
    jx_set_string_or_null(c, "end_reason", db_column_text(st, 17));
    jx_set_string_or_null(c, "signed_at", db_column_text(st, 18));
    json_object_set_new(c, "renewed_by",
                        int_or_null(st, 19)); /* the renewal or transfer that follows */
    return c;
}

json_t *store_contract_get(struct db *db, int64_t id)
{
    static const char SQL[] = "SELECT " CONTRACT_COLUMNS CONTRACT_FROM " WHERE c.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *c = contract_from_row(st);
    db_run(st);
    add_contract_lists(db, c, id);
    return c;
}

json_t *store_contract_summary(struct db *db, int64_t resident_id)
{
    /* The active contract, or else the scheduled renewal. */
    static const char SQL[] = "SELECT " CONTRACT_COLUMNS CONTRACT_FROM
                              " WHERE c.resident_id = ?1 AND c.status IN ('active','scheduled')"
                              " ORDER BY c.status = 'active' DESC, c.start_date LIMIT 1";
    static const char CODES[] =
        "SELECT p.code FROM contract_packages cp JOIN packages p ON p.id = cp.package_id"
        " WHERE cp.contract_id = ?1 ORDER BY p.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return json_null();
    db_bind_int(st, 1, resident_id);
    if (db_step(st) != DB_ROW) return json_null();
    json_t *c = contract_from_row(st);
    db_run(st);
    json_t *codes = json_array();
    st = db_prepare(db, CODES);
    if (st) {
        db_bind_int(st, 1, json_integer_value(json_object_get(c, "id")));
        while (db_step(st) == DB_ROW)
            json_array_append_new(codes, json_string(db_column_text(st, 0)));
    }
    json_object_set_new(c, "packages", codes);
    return c;
}

int store_contract_set_status(struct db *db, int64_t id, const char *from, const char *to,
                              const char *ended_on, const char *reason)
{
    static const char SQL[] =
        "UPDATE contracts SET status = ?3, ended_on = coalesce(?4, ended_on),"
        " end_reason = coalesce(?5, end_reason) WHERE id = ?1 AND status = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_text(st, 4, ended_on);
    db_bind_text(st, 5, reason);
    int rc = db_run(st);
    if (rc == DB_CONSTRAINT) return 0;
    if (rc != DB_DONE) return -1;
    return db_changes(db) == 1;
}

int store_contract_has_scheduled(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT count(*) FROM contracts WHERE resident_id = ?1 AND status = 'scheduled'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    return db_query_int(st, 0) > 0;
}

int store_delivery_insert(struct db *db, int64_t contract_id, int64_t entitlement_id,
                          const char *delivered_on, int64_t staff_id, int quantity,
                          const char *note)
{
    static const char USE[] =
        "UPDATE entitlements SET used = used + ?3 WHERE id = ?1 AND contract_id = ?2"
        " AND used + ?3 <= quantity";
    static const char SQL[] =
        "INSERT INTO deliveries (entitlement_id, contract_id, delivered_on, staff_id,"
        " quantity, note) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?6)";
    struct db_stmt *st = db_prepare(db, USE);
    if (!st) return -1;
    db_bind_int(st, 1, entitlement_id);
    db_bind_int(st, 2, contract_id);
    db_bind_int(st, 3, quantity);
    if (db_run(st) != DB_DONE) return -1;
    if (db_changes(db) != 1) return 0;
    st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, entitlement_id);
    db_bind_int(st, 2, contract_id);
    db_bind_text(st, 3, delivered_on);
    db_bind_int(st, 4, staff_id);
    db_bind_int(st, 5, quantity);
    db_bind_text(st, 6, note);
    return db_run(st) == DB_DONE ? 1 : -1;
}

int store_entitlement_service(struct db *db, int64_t entitlement_id, char out[41])
{
    static const char SQL[] = "SELECT service FROM entitlements WHERE id = ?1";
    return store_text_by_id(db, SQL, entitlement_id, out, 41) == 0 ? 0 : -1;
}

int64_t store_entitlement_for_service(struct db *db, int64_t contract_id, const char *service)
{
    static const char SQL[] = "SELECT id FROM entitlements WHERE contract_id = ?1 AND service = ?2"
                              " ORDER BY used < quantity DESC, id LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, contract_id);
    db_bind_text(st, 2, service);
    return db_query_int(st, 0);
}

int store_entitlements_carry_over(struct db *db, int64_t from_contract, int64_t to_contract)
{
    static const char SQL[] =
        "INSERT INTO entitlements (contract_id, package_item_id, service, quantity, used)"
        " SELECT ?2, package_item_id, service, quantity, used FROM entitlements"
        " WHERE contract_id = ?1 ORDER BY id";
    static const char PACKAGES[] =
        "INSERT INTO contract_packages (contract_id, package_id)"
        " SELECT ?2, package_id FROM contract_packages WHERE contract_id = ?1";
    const char *sqls[2] = {PACKAGES, SQL};
    for (int i = 0; i < 2; i++) {
        struct db_stmt *st = db_prepare(db, sqls[i]);
        if (!st) return -1;
        db_bind_int(st, 1, from_contract);
        db_bind_int(st, 2, to_contract);
        if (db_run(st) != DB_DONE) return -1;
    }
    return 0;
}

/* The part of an item delivered by `fraction`: quantity * fraction rounded up or down by a
 * fixed draw from the item's id, so small items (one or two a year) come out right on
 * average. */
#define SHARE "min(quantity, CAST(quantity * ?2 + ((id * 40503) % 1000) / 1000.0 AS INTEGER))"

int store_entitlements_deliver_rest(struct db *db, int64_t contract_id, double fraction,
                                    const char *from, int days, int64_t staff_id)
{
    static const char DELIVER[] =
        "INSERT INTO deliveries (entitlement_id, contract_id, delivered_on, staff_id, quantity)"
        " SELECT id, contract_id, date(?3, '+' || ((id * 7919) % ?4) || ' days'), nullif(?5, 0),"
        " " SHARE " - used FROM entitlements WHERE contract_id = ?1 AND " SHARE " > used";
    static const char USED[] =
        "UPDATE entitlements SET used = " SHARE " WHERE contract_id = ?1 AND " SHARE " > used";
    struct db_stmt *st = db_prepare(db, DELIVER);
    if (!st) return -1;
    db_bind_int(st, 1, contract_id);
    db_bind_double(st, 2, fraction);
    db_bind_text(st, 3, from);
    db_bind_int(st, 4, days > 0 ? days : 1);
    db_bind_int(st, 5, staff_id);
    if (db_run(st) != DB_DONE || !(st = db_prepare(db, USED))) return -1;
    db_bind_int(st, 1, contract_id);
    db_bind_double(st, 2, fraction);
    return db_run(st) == DB_DONE ? 0 : -1;
}
#undef SHARE

static json_t *contract_list_row(struct db_stmt *st, void *unused)
{
    (void)unused;
    return contract_from_row(st);
}

json_t *store_contracts_list(struct db *db, int64_t user_id, int64_t team_id, int64_t doctor_id,
                             const char *status, const char *ending_by, int limit, int64_t cursor,
                             int64_t *total, int64_t *next_cursor)
{
#define CONTRACTS_FILTERS                                                                          \
    " AND (?1 = 0 OR c.team_id = ?1) AND (?2 = 0 OR c.doctor_id = ?2)"                             \
    " AND ((?3 IS NULL AND c.status IN ('active','scheduled')) OR c.status = ?3)"                  \
    " AND (?4 IS NULL OR c.end_date <= ?4)"
#define CONTRACTS_PAGE                                                                             \
    " AND (?5 = 0 OR (c.end_date, c.id) > ((SELECT end_date FROM contracts WHERE id = ?5), ?5))"   \
    " ORDER BY c.end_date, c.id LIMIT ?6"
    /* Two plans, as for the resident search: a wide scope walks the contracts in end-date
     * order; a team's cells are reached through the region index (a doctor's list took
     * 1.7 s at 300k walking every contract of the county). */
    static const char COUNT_WIDE[] =
        "SELECT count(*)" CONTRACT_FROM " WHERE " SCOPE_VISIBLE CONTRACTS_FILTERS;
    static const char SQL_WIDE[] = "SELECT " CONTRACT_COLUMNS CONTRACT_FROM
                                   " WHERE " SCOPE_VISIBLE CONTRACTS_FILTERS CONTRACTS_PAGE;
    static const char COUNT_NARROW[] =
        "SELECT count(*)" CONTRACT_FROM_NARROW " WHERE 1 = 1" CONTRACTS_FILTERS;
    static const char SQL_NARROW[] = "SELECT " CONTRACT_COLUMNS CONTRACT_FROM_NARROW
                                     " WHERE 1 = 1" CONTRACTS_FILTERS CONTRACTS_PAGE;
#undef CONTRACTS_FILTERS
#undef CONTRACTS_PAGE
    int wide;
    if (store_scope_load(db, user_id, &wide) < 0) return NULL;
    struct db_stmt *st;
    if (total) { /* NULL: a later page of an export, which needs no count */
        if (!(st = db_prepare(db, wide ? COUNT_WIDE : COUNT_NARROW))) return NULL;
        db_bind_int(st, 1, team_id);
        db_bind_int(st, 2, doctor_id);
        db_bind_text(st, 3, status);
        db_bind_text(st, 4, ending_by);
        *total = db_query_int(st, 0);
    }
    st = db_prepare(db, wide ? SQL_WIDE : SQL_NARROW);
    if (!st) return NULL;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, doctor_id);
    db_bind_text(st, 3, status);
    db_bind_text(st, 4, ending_by);
    db_bind_int(st, 5, cursor);
    db_bind_int(st, 6, limit + 1);
    return store_read_page(st, limit, next_cursor, contract_list_row, NULL);
}

int store_contracts_open_of(struct db *db, int64_t resident_id, struct open_contract *out, int max)
{
    static const char SQL[] =
        "SELECT id, status, start_date FROM contracts"
        " WHERE resident_id = ?1 AND status IN ('active', 'scheduled') ORDER BY start_date, id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == max) continue;
        out[n].id = db_column_int(st, 0);
        snprintf(out[n].status, sizeof out[n].status, "%s", db_column_text(st, 1));
        snprintf(out[n].start_date, sizeof out[n].start_date, "%s", db_column_text(st, 2));
        n++;
    }
    return rc == DB_DONE ? n : -1;
}

/* The daily job's contract changes go SLICE rows to a transaction (store/slices.h): on
 * 1 January most of a city's contracts roll over on one day. A contract that ends also
 * moves its resident's indicators, about 0.7 ms on SQLite and 7 ms on PostgreSQL (the resident read
 * before and after, a round trip a table): the roll-over takes SLICE_POSTGRESQL there, so
 * a slice holds the lock about 0.7 s on SQLite and 0.15 s on PostgreSQL. */
enum { SLICE = 1000, SLICE_POSTGRESQL = 20 };

struct day_window {
    const char *today, *in_30_days;
};

static int64_t slice_rows(struct db *db)
{
    return db_is_postgresql(db) ? SLICE_POSTGRESQL : SLICE;
}

/* One slice of the roll-over on `today`: active contracts past their end expire, or, when
 * none is left, scheduled renewals whose start has come become active. */
static long roll_slice(struct db *db, void *ctx)
{
    const char *today = ((const struct day_window *)ctx)->today;
    /* Each change with its history event; expiries first, so a renewal never starts beside
     * the contract it renews. */
    static const char EXPIRE[] =
        "UPDATE contracts SET status = 'expired', ended_on = end_date,"
        " end_reason = 'term_ended' WHERE id IN (SELECT id FROM contracts"
        " WHERE status = 'active' AND end_date < ?1 LIMIT ?2) RETURNING id";
    static const char START[] =
        "UPDATE contracts SET status = 'active' WHERE id IN (SELECT id FROM contracts"
        " WHERE status = 'scheduled' AND start_date <= ?1 LIMIT ?2) RETURNING id";
    const char *steps[2][3] = {{EXPIRE, "active", "expired"}, {START, "scheduled", "active"}};
    for (int s = 0; s < 2; s++) {
        int64_t ids[SLICE];
        int n = 0;
        struct db_stmt *st = db_prepare(db, steps[s][0]);
        if (!st) return -1;
        db_bind_text(st, 1, today);
        db_bind_int(st, 2, slice_rows(db));
        int rc;
        while ((rc = db_step(st)) == DB_ROW)
            if (n < SLICE) ids[n++] = db_column_int(st, 0);
        if (rc != DB_DONE) return -1;
        for (int i = 0; i < n; i++)
            if (store_contract_event(db, ids[i], steps[s][1], steps[s][2],
                                     s == 0 ? "term_ended" : "renewal_started", 0) < 0)
                return -1;
        if (n) return n;
    }
    return 0;
}

/* A slice of renewal tasks, on the responsible doctor's work list, for active contracts
 * ending within 30 days that have no renewal scheduled and no renewal task yet; due on the
 * end date. */
static long propose_slice(struct db *db, void *ctx)
{
    const struct day_window *w = ctx;
    static const char SQL[] =
        "INSERT INTO tasks (resident_id, team_id, doctor_id, kind, due_date, contract_id, note, county_code)"
        " SELECT c.resident_id, c.team_id, c.doctor_id, 'renewal', c.end_date, c.id, 'contract_renewal', c.county_code"
        " FROM contracts c WHERE c.status = 'active' AND c.end_date BETWEEN ?1 AND ?2"
        " AND NOT EXISTS (SELECT 1 FROM contracts n WHERE n.previous_id = c.id)"
        " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.contract_id = c.id AND t.kind = 'renewal') LIMIT ?3";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, w->today);
    db_bind_text(st, 2, w->in_30_days);
    db_bind_int(st, 3, SLICE);
    if (db_run(st) != DB_DONE) return -1;
    return (long)db_changes(db);
}

/* A slice of the renewal tasks of contracts that were renewed, ended or moved are done. */
static long close_slice(struct db *db, void *ctx)
{
    (void)ctx;
    static const char CLOSE[] =
        "UPDATE tasks SET status = 'done', closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE id IN (SELECT t.id FROM tasks t JOIN contracts c ON c.id = t.contract_id"
        "   WHERE t.kind = 'renewal' AND t.status = 'open'"
        "   AND (c.status <> 'active' OR EXISTS (SELECT 1 FROM contracts n WHERE n.previous_id = c.id)) LIMIT ?1)";
    struct db_stmt *st = db_prepare(db, CLOSE);
    if (!st) return -1;
    db_bind_int(st, 1, SLICE);
    if (db_run(st) != DB_DONE) return -1;
    return (long)db_changes(db);
}

long store_contracts_daily(struct db *db, struct date today)
{
    char day[11], horizon[11];
    date_format(today, day);
    date_format(date_add_days(today, 30), horizon);
    struct day_window window = {day, horizon};
    struct slices seen = {0};
    long rolled = store_in_slices(db, roll_slice, &window, &seen);
    long proposed = rolled < 0 ? -1 : store_in_slices(db, propose_slice, &window, &seen);
    if (proposed < 0 || store_in_slices(db, close_slice, NULL, &seen) < 0) return -1;
    log_info("daily contracts: %ld transactions, the longest held the write lock %.0f ms",
             seen.transactions, seen.longest_ms);
    return rolled + proposed;
}

static json_t *rate_or_null(int64_t part, int64_t whole)
{
    return whole ? json_real((double)part / (double)whole) : json_null();
}

json_t *store_fulfilment(struct db *db, int64_t user_id, int64_t team_id, int64_t doctor_id)
{
    static const char SQL[] =
        "SELECT e.service, min(i.name_zh), min(i.name_en), sum(e.quantity), sum(min(e.used, e.quantity)),"
        " count(DISTINCT c.id) FROM contracts c JOIN residents r ON r.id = c.resident_id"
        " JOIN entitlements e ON e.contract_id = c.id JOIN package_items i ON i.id = e.package_item_id"
        " WHERE c.status = 'active' AND (?1 = 0 OR c.team_id = ?1) AND (?2 = 0 OR c.doctor_id = ?2)"
        " AND " SCOPE_VISIBLE " GROUP BY e.service ORDER BY sum(e.quantity) DESC";
    static const char CONTRACTS[] =
        "SELECT count(*) FROM contracts c JOIN residents r ON r.id = c.resident_id WHERE c.status = 'active'"
        " AND (?1 = 0 OR c.team_id = ?1) AND (?2 = 0 OR c.doctor_id = ?2) AND " SCOPE_VISIBLE;
    int wide;
    if (store_scope_load(db, user_id, &wide) < 0) return NULL;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, doctor_id);
    json_t *services = json_array();
    int64_t entitled = 0, delivered = 0;
    while (db_step(st) == DB_ROW) {
        int64_t q = db_column_int(st, 3), u = db_column_int(st, 4);
        entitled += q;
        delivered += u;
        json_array_append_new(services,
                              json_pack("{s:s, s:s, s:s, s:I, s:I, s:o}", "service",
                                        db_column_text(st, 0), "name", db_column_text(st, 1),
                                        "name_en", db_column_text(st, 2), "entitled", (json_int_t)q,
                                        "delivered", (json_int_t)u, "rate", rate_or_null(u, q)));
    }
    st = db_prepare(db, CONTRACTS);
    if (!st) {
        json_decref(services);
        return NULL;
    }
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, doctor_id);
    int64_t contracts = db_query_int(st, 0);
    return json_pack("{s:I, s:I, s:I, s:o, s:o}", "contracts", (json_int_t)contracts, "entitled",
                     (json_int_t)entitled, "delivered", (json_int_t)delivered, "rate",
                     rate_or_null(delivered, entitled), "by_service", services);
}
