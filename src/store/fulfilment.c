/* fulfilment.c (store) - see fulfilment.h. */
#include "store/fulfilment.h"

#include <stdio.h>
#include <string.h>

#include "store/scope.h"

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
