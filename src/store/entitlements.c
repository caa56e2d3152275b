/* entitlements.c (store) - see entitlements.h. */
#include "store/entitlements.h"

#include <stdio.h>
#include <string.h>

#include "store/page.h"

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
