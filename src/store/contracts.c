/* contracts.c (store) - see contracts.h. */
#include "store/contracts.h"

#include <stdio.h>
#include <string.h>

#include "json/jsonx.h"
#include "store/page.h"
#include "store/scope.h"

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
    json_object_set_new(c, "district_hospital_id", store_int_or_null(st, 12));
    json_object_set_new(c, "city_hospital_id", store_int_or_null(st, 13));
    jx_set_string_or_null(c, "cross_grid_reason", db_column_text(st, 14));
    json_object_set_new(c, "previous_id", store_int_or_null(st, 15));
    jx_set_string_or_null(c, "ended_on", db_column_text(st, 16));
    jx_set_string_or_null(c, "end_reason", db_column_text(st, 17));
    jx_set_string_or_null(c, "signed_at", db_column_text(st, 18));
    json_object_set_new(c, "renewed_by",
                        store_int_or_null(st, 19)); /* the renewal or transfer that follows */
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

static json_t *contract_list_row(struct db_stmt *st, void *unused)
{
    (void)unused;
    return contract_from_row(st);
}

json_t *store_contracts_list(struct db *db, int64_t user_id, int64_t team_id, int64_t doctor_id,
                             const char *status, const char *ending_by, int limit, int64_t cursor,
                             int64_t *total, int64_t *next_cursor)
{
    /* ?3 a status, or NULL for the current ones: two texts, so that a status is an equality
     * the status-and-end-date index can walk in order (an OR of both read every contract). */
#define CONTRACTS_FILTERS(status)                                                                  \
    " AND (?1 = 0 OR c.team_id = ?1) AND (?2 = 0 OR c.doctor_id = ?2) AND " status                 \
    " AND (?4 IS NULL OR c.end_date <= ?4)"
#define CURRENT "?3 IS NULL AND c.status IN ('active','scheduled')"
#define CONTRACTS_PAGE                                                                             \
    " AND (?5 = 0 OR (c.end_date, c.id) > ((SELECT end_date FROM contracts WHERE id = ?5), ?5))"   \
    " ORDER BY c.end_date, c.id LIMIT ?6"
    /* Two plans, as for the resident search: a wide scope walks the contracts in end-date
     * order; a team's cells are reached through the region index (a doctor's list took
     * 1.7 s at 300k walking every contract of the county). [plan][status given] */
#define COUNT_WIDE(status)                                                                         \
    "SELECT count(*)" CONTRACT_FROM " WHERE " SCOPE_VISIBLE CONTRACTS_FILTERS(status)
#define PAGE_WIDE(status)                                                                          \
    "SELECT " CONTRACT_COLUMNS CONTRACT_FROM " WHERE " SCOPE_VISIBLE CONTRACTS_FILTERS(status)     \
        CONTRACTS_PAGE
#define COUNT_NARROW(status)                                                                       \
    "SELECT count(*)" CONTRACT_FROM_NARROW " WHERE 1 = 1" CONTRACTS_FILTERS(status)
#define PAGE_NARROW(status)                                                                        \
    "SELECT " CONTRACT_COLUMNS CONTRACT_FROM_NARROW " WHERE 1 = 1" CONTRACTS_FILTERS(status)       \
        CONTRACTS_PAGE
    static const char *const COUNTS[2][2] = {{COUNT_NARROW(CURRENT), COUNT_NARROW("c.status = ?3")},
                                             {COUNT_WIDE(CURRENT), COUNT_WIDE("c.status = ?3")}};
    static const char *const PAGES[2][2] = {{PAGE_NARROW(CURRENT), PAGE_NARROW("c.status = ?3")},
                                            {PAGE_WIDE(CURRENT), PAGE_WIDE("c.status = ?3")}};
#undef CONTRACTS_FILTERS
#undef CURRENT
#undef CONTRACTS_PAGE
#undef COUNT_WIDE
#undef PAGE_WIDE
#undef COUNT_NARROW
#undef PAGE_NARROW
    int wide, broad;
    if (store_scope_load_broad(db, user_id, &wide, &broad) < 0) return NULL;
    /* A township is quickest from its residents (inside contracts_resident_cover: its count
     * 21 ms against 52 over the county's rows), except a page of one status, which the
     * status-and-end-date index gives in order; a county reads the contracts themselves. */
    int township = wide == 1 && !broad;
    int narrow_count = !wide || township, narrow_page = !wide || (township && !status);
    struct db_stmt *st;
    if (total) { /* NULL: a later page of an export, which needs no count */
        if (!(st = db_prepare(db, COUNTS[!narrow_count][status != NULL]))) return NULL;
        db_bind_int(st, 1, team_id);
        db_bind_int(st, 2, doctor_id);
        db_bind_text(st, 3, status);
        db_bind_text(st, 4, ending_by);
        *total = db_query_int(st, 0);
    }
    st = db_prepare(db, PAGES[!narrow_page][status != NULL]);
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
