/* reports.c (store) - the fee report in two queries: the contracts, then their shares. */
#include "store/reports.h"

#include "json/jsonx.h"
#include "store/scope.h"

json_t *store_fee_report(struct db *db, int64_t user_id, const char *region, const char *first,
                         const char *last)
{
#define FEE_WHERE                                                                                  \
    " FROM contracts c JOIN residents r ON r.id = c.resident_id"                                   \
    " WHERE c.start_date BETWEEN ?1 AND ?2 AND " SCOPE_VISIBLE                                     \
    " AND (?3 IS NULL OR (r.region >= ?3 AND r.region < ?3 || ';'))"
    static const char ROWS[] =
        "SELECT c.id, c.start_date, c.status, c.channel, g.name, t.name, s.name,"
        " (SELECT group_concat(p.code, ' ') FROM contract_packages cp JOIN packages p ON p.id = cp.package_id"
        "   WHERE cp.contract_id = c.id), c.fee_fen"
        " FROM contracts c JOIN residents r ON r.id = c.resident_id JOIN teams t ON t.id = c.team_id"
        " JOIN staff s ON s.id = c.doctor_id LEFT JOIN regions g ON g.code = substr(r.region, 1, 9)"
        " WHERE c.start_date BETWEEN ?1 AND ?2 AND " SCOPE_VISIBLE
        " AND (?3 IS NULL OR (r.region >= ?3 AND r.region < ?3 || ';')) ORDER BY c.start_date, c.id";
    static const char SHARES[] =
        "SELECT sh.contract_id, sh.payer, sh.amount_fen FROM contract_shares sh"
        " WHERE sh.contract_id IN (SELECT c.id" FEE_WHERE ") ORDER BY sh.contract_id, sh.rowid";
#undef FEE_WHERE
    int wide;
    if (store_scope_load(db, user_id, &wide) < 0) return NULL;
    struct db_stmt *st = db_prepare(db, ROWS);
    if (!st) return NULL;
    db_bind_text(st, 1, first);
    db_bind_text(st, 2, last);
    db_bind_text(st, 3, region);
    json_t *rows = json_array(), *by_id = json_object(), *payers = json_array(),
           *totals = json_object();
    int64_t fee_total = 0;
    while (db_step(st) == DB_ROW) {
        json_t *row = json_object();
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)db_column_int(st, 0));
        json_object_set_new(row, "contract_id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(row, "start_date", db_column_text(st, 1));
        jx_set_string_or_null(row, "status", db_column_text(st, 2));
        jx_set_string_or_null(row, "channel", db_column_text(st, 3));
        jx_set_string_or_null(row, "township", db_column_text(st, 4));
        jx_set_string_or_null(row, "team", db_column_text(st, 5));
        jx_set_string_or_null(row, "doctor", db_column_text(st, 6));
        jx_set_string_or_null(row, "packages", db_column_text(st, 7));
        json_object_set_new(row, "fee_fen", json_integer(db_column_int(st, 8)));
        json_object_set_new(row, "shares", json_object());
        fee_total += db_column_int(st, 8);
        json_array_append_new(rows, row);
        json_object_set(by_id, key, row);
    }
    st = db_prepare(db, SHARES);
    if (st) {
        db_bind_text(st, 1, first);
        db_bind_text(st, 2, last);
        db_bind_text(st, 3, region);
        while (db_step(st) == DB_ROW) {
            char key[24];
            snprintf(key, sizeof key, "%lld", (long long)db_column_int(st, 0));
            const char *payer = db_column_text(st, 1);
            int64_t amount = db_column_int(st, 2);
            json_t *row = json_object_get(by_id, key);
            if (row)
                json_object_set_new(json_object_get(row, "shares"), payer, json_integer(amount));
            json_t *total = json_object_get(totals, payer);
            if (!total) {
                json_array_append_new(payers, json_string(payer));
                json_object_set_new(totals, payer, json_integer(amount));
            } else {
                json_integer_set(total, json_integer_value(total) + amount);
            }
        }
    }
    json_decref(by_id);
    return json_pack("{s:o, s:o, s:o, s:I}", "rows", rows, "payers", payers, "totals", totals,
                     "fee_fen", (json_int_t)fee_total);
}

json_t *store_high_risk_pregnancies(struct db *db, int64_t user_id, const char *region,
                                    const char *over_before)
{
#define LATEST_REFERRAL(column)                                                                    \
    "(SELECT " column " FROM referrals f WHERE f.resident_id = p.resident_id"                      \
    " AND f.referred_on >= p.lmp AND f.reason LIKE 'pregnancy_%' ORDER BY f.id DESC LIMIT 1)"
    /* The macro calls inside the SQL would otherwise be laid out as code. */
    // clang-format off
    static const char SQL[] =
        "SELECT p.id, r.id, r.name, r.birth_date, r.region, p.lmp, p.delivery_date, p.risk_color,"
        " p.risk_purple, p.risk_factors, p.risk_assessed_on, p.risk_reported_on, "
        LATEST_REFERRAL("f.id") ", " LATEST_REFERRAL("f.target_level") ", " LATEST_REFERRAL("f.seen_on") ","
        " (SELECT name FROM regions WHERE code = substr(r.region, 1, 9)),"
        " (SELECT name FROM regions WHERE code = substr(r.region, 1, 12))"
        " FROM pregnancies p JOIN residents r ON r.id = p.resident_id"
        " WHERE p.risk_reported_on IS NOT NULL AND r.status = 'alive'"
        " AND substr(r.region, 1, length(?1)) = ?1 AND " SCOPE_VISIBLE
        " AND (p.delivery_date IS NULL OR p.delivery_date >= ?2)"
        " ORDER BY p.risk_color = 'red' DESC, p.risk_color = 'orange' DESC, p.risk_purple DESC,"
        " p.risk_assessed_on DESC, p.id";
    // clang-format on
#undef LATEST_REFERRAL
    int wide;
    if (store_scope_load(db, user_id, &wide) < 0) return NULL;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    db_bind_text(st, 2, over_before);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "pregnancy_id",
                              (json_int_t)db_column_int(st, 0), "resident_id",
                              (json_int_t)db_column_int(st, 1), "name", db_column_text(st, 2),
                              "birth_date", db_column_text(st, 3), "region", db_column_text(st, 4),
                              "lmp", db_column_text(st, 5), "color", db_column_text(st, 7),
                              "purple", (int)db_column_int(st, 8));
        jx_set_string_or_null(o, "delivery_date", db_column_text(st, 6));
        json_t *factors =
            db_column_is_null(st, 9) ? NULL : json_loads(db_column_text(st, 9), 0, NULL);
        json_object_set_new(o, "factors", factors ? factors : json_array());
        jx_set_string_or_null(o, "assessed_on", db_column_text(st, 10));
        jx_set_string_or_null(o, "reported_on", db_column_text(st, 11));
        json_object_set_new(o, "referral_id",
                            db_column_is_null(st, 12) ? json_null()
                                                      : json_integer(db_column_int(st, 12)));
        jx_set_string_or_null(o, "referral_target", db_column_text(st, 13));
        jx_set_string_or_null(o, "referral_seen_on", db_column_text(st, 14));
        jx_set_string_or_null(o, "township", db_column_text(st, 15));
        jx_set_string_or_null(o, "village", db_column_text(st, 16));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}
