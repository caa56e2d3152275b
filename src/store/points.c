/* points.c (store) - see points.h. The balance lives in points_accounts and every change of
 * it is a points_ledger row carrying the balance after it. A redemption's two takes are
 * conditional UPDATEs (`stock > 0`, `balance >= cost`): whichever of two concurrent
 * redemptions comes second sees the first's result and finds nothing to take, on SQLite's
 * single writer as on several processes sharing PostgreSQL (row locks). */
#include "store/points.h"

#include <stdio.h>
#include <string.h>

#include "json/jsonx.h"

int store_points_rules_load(struct db *db, struct points_rules *rules)
{
    static const char SQL[] = "SELECT event, points FROM points_rules";
    points_rules_default(rules);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int e = points_event_parse(db_column_text(st, 0));
        if (e >= 0) rules->points[e] = (int)db_column_int(st, 1);
    }
    return rc == DB_DONE ? 0 : -1;
}

int store_points_rules_save(struct db *db, const struct points_rules *rules)
{
    static const char SQL[] = "INSERT INTO points_rules (event, points) VALUES (?1, ?2)"
                              " ON CONFLICT (event) DO UPDATE SET points = excluded.points";
    for (int e = 0; e < POINTS_EVENT_COUNT; e++) {
        struct db_stmt *st = db_prepare(db, SQL);
        if (!st) return -1;
        db_bind_text(st, 1, points_event_name((enum points_event)e));
        db_bind_int(st, 2, rules->points[e]);
        if (db_run(st) != DB_DONE) return -1;
    }
    return 0;
}

/* Adds `delta` to the resident's balance (earned when positive), creating the account;
 * the new balance, or a negative DB_* code. */
static int64_t account_add(struct db *db, int64_t resident_id, int64_t delta)
{
    static const char SQL[] =
        "INSERT INTO points_accounts (resident_id, balance, earned) VALUES (?1, ?2, ?2)"
        " ON CONFLICT (resident_id) DO UPDATE SET balance = points_accounts.balance + excluded.balance,"
        " earned = points_accounts.earned + excluded.earned RETURNING balance";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, delta);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc < 0 ? rc : DB_ERROR;
    int64_t balance = db_column_int(st, 0);
    db_run(st);
    return balance;
}

static int ledger_set_balance(struct db *db, const char *event_key, int64_t balance)
{
    static const char SQL[] = "UPDATE points_ledger SET balance_after = ?2 WHERE event_key = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, event_key);
    db_bind_int(st, 2, balance);
    return db_run(st) == DB_DONE ? 0 : DB_ERROR;
}

int store_points_award(struct db *db, int64_t resident_id, const char *event, const char *event_key,
                       const char *date)
{
    static const char SQL[] =
        "INSERT INTO points_ledger (resident_id, event, event_key, points, occurred_on, county_code)"
        " SELECT ?1, ?2, ?3, ?4, ?5, county_code FROM residents WHERE id = ?1"
        " ON CONFLICT (event_key) DO NOTHING";
    struct points_rules rules;
    if (!event_key || !date) return DB_ERROR;
    if (store_points_rules_load(db, &rules) < 0) return DB_ERROR;
    int points = points_award_amount(&rules, event);
    if (points <= 0) return 0;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, event);
    db_bind_text(st, 3, event_key);
    db_bind_int(st, 4, points);
    db_bind_text(st, 5, date);
    int rc = db_run(st);
    if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    if (db_changes(db) != 1) return 0; /* this event was awarded before */
    int64_t balance = account_add(db, resident_id, points);
    if (balance < 0) return (int)balance;
    return ledger_set_balance(db, event_key, balance) < 0 ? DB_ERROR : 1;
}

int64_t store_points_balance(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT coalesce((SELECT balance FROM points_accounts WHERE resident_id = ?1), 0)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    return db_query_int(st, -1);
}

json_t *store_points_summary(struct db *db, int64_t resident_id, int limit)
{
    static const char ACCOUNT[] =
        "SELECT balance, earned, spent FROM points_accounts WHERE resident_id = ?1";
    static const char LEDGER[] =
        "SELECT l.id, l.event, l.points, l.balance_after, l.occurred_on, x.item_id, i.name"
        " FROM points_ledger l LEFT JOIN points_redemptions x ON x.id = l.redemption_id"
        " LEFT JOIN points_items i ON i.id = x.item_id"
        " WHERE l.resident_id = ?1 ORDER BY l.occurred_on DESC, l.id DESC LIMIT ?2";
    int64_t balance = 0, earned = 0, spent = 0;
    struct db_stmt *st = db_prepare(db, ACCOUNT);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        balance = db_column_int(st, 0);
        earned = db_column_int(st, 1);
        spent = db_column_int(st, 2);
        db_run(st);
    } else if (rc != DB_DONE) {
        return NULL;
    }
    if (!(st = db_prepare(db, LEDGER))) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, limit);
    json_t *items = json_array();
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(o, "event", db_column_text(st, 1));
        json_object_set_new(o, "points", json_integer(db_column_int(st, 2)));
        json_object_set_new(o, "balance_after",
                            db_column_is_null(st, 3) ? json_null()
                                                     : json_integer(db_column_int(st, 3)));
        jx_set_string_or_null(o, "occurred_on", db_column_text(st, 4));
        json_object_set_new(o, "item_id",
                            db_column_is_null(st, 5) ? json_null()
                                                     : json_integer(db_column_int(st, 5)));
        jx_set_string_or_null(o, "item_name", db_column_text(st, 6));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return json_pack("{s:I, s:I, s:I, s:o}", "balance", (json_int_t)balance, "earned",
                     (json_int_t)earned, "spent", (json_int_t)spent, "items", items);
}

json_t *store_points_catalogue(struct db *db, const char *county_code)
{
    static const char SQL[] =
        "SELECT p.id, p.name, p.kind, p.cost, p.stock, p.institution_id, i.name FROM points_items p"
        " LEFT JOIN institutions i ON i.id = p.institution_id"
        " WHERE p.active = 1 AND (?1 IS NULL OR p.county_code = ?1) ORDER BY p.cost, p.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, county_code && *county_code ? county_code : NULL);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(o, "name", db_column_text(st, 1));
        jx_set_string_or_null(o, "kind", db_column_text(st, 2));
        json_object_set_new(o, "cost", json_integer(db_column_int(st, 3)));
        json_object_set_new(o, "stock", json_integer(db_column_int(st, 4)));
        json_object_set_new(o, "institution_id",
                            db_column_is_null(st, 5) ? json_null()
                                                     : json_integer(db_column_int(st, 5)));
        jx_set_string_or_null(o, "institution_name", db_column_text(st, 6));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int store_points_item_get(struct db *db, int64_t id, struct points_item *out)
{
    static const char SQL[] =
        "SELECT id, cost, stock, coalesce(institution_id, 0), active, name, kind,"
        " county_code FROM points_items WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    memset(out, 0, sizeof *out);
    out->id = db_column_int(st, 0);
    out->cost = db_column_int(st, 1);
    out->stock = db_column_int(st, 2);
    out->institution_id = db_column_int(st, 3);
    out->active = (int)db_column_int(st, 4);
    snprintf(out->name, sizeof out->name, "%s", db_column_text(st, 5) ? db_column_text(st, 5) : "");
    snprintf(out->kind, sizeof out->kind, "%s", db_column_text(st, 6) ? db_column_text(st, 6) : "");
    snprintf(out->county, sizeof out->county, "%s",
             db_column_text(st, 7) ? db_column_text(st, 7) : "");
    db_run(st);
    return 1;
}

int64_t store_points_item_insert(struct db *db, const struct points_item *in)
{
    static const char SQL[] =
        "INSERT INTO points_items (name, kind, cost, stock, institution_id, county_code)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, in->name);
    db_bind_text(st, 2, in->kind);
    db_bind_int(st, 3, in->cost);
    db_bind_int(st, 4, in->stock);
    if (in->institution_id)
        db_bind_int(st, 5, in->institution_id);
    else
        db_bind_null(st, 5);
    db_bind_text(st, 6, in->county);
    return db_insert_id(st);
}

int store_points_item_restock(struct db *db, int64_t id, int64_t add)
{
    static const char SQL[] = "UPDATE points_items SET stock = stock + ?2 WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, add);
    return db_run(st) == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

/* Runs a conditional UPDATE: 1 it changed a row, 0 its condition held nowhere, -1 error. */
static int take(struct db_stmt *st, struct db *db)
{
    if (!st) return -1;
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 1 : 0;
}

int store_points_redeem(struct db *db, int64_t resident_id, int64_t item_id, const char *date,
                        int64_t user_id, int64_t *redemption_id, int64_t *balance_after,
                        int64_t *stock_after, const char **refusal)
{
    static const char STOCK[] =
        "UPDATE points_items SET stock = stock - 1 WHERE id = ?1 AND active = 1 AND stock > 0";
    static const char BALANCE[] =
        "UPDATE points_accounts SET balance = balance - ?2, spent = spent + ?2"
        " WHERE resident_id = ?1 AND balance >= ?2";
    static const char REDEMPTION[] =
        "INSERT INTO points_redemptions (resident_id, item_id, cost, redeemed_on, recorded_by, county_code)"
        " SELECT ?1, ?2, ?3, ?4, ?5, county_code FROM residents WHERE id = ?1 RETURNING id";
    static const char LEDGER[] =
        "INSERT INTO points_ledger (resident_id, event, event_key, points, balance_after, occurred_on,"
        " redemption_id, county_code) SELECT ?1, 'redemption', ?2, ?3, ?4, ?5, ?6, county_code"
        " FROM residents WHERE id = ?1";
    struct points_item item;
    *refusal = NULL;
    /* Read inside the writer's transaction: the cost cannot change under us. */
    int found = store_points_item_get(db, item_id, &item);
    if (found < 0) return -1;
    int64_t before = store_points_balance(db, resident_id);
    if (before < 0) return -1;
    if ((*refusal = points_redemption_refusal(before, found ? item.cost : 0,
                                              found && item.active ? item.stock : 0)))
        return 1;
    struct db_stmt *st = db_prepare(db, STOCK);
    if (st) db_bind_int(st, 1, item_id);
    int took = found ? take(st, db) : 0;
    if (took < 0) return -1;
    if (!took) {
        *refusal = "out_of_stock";
        return 1;
    }
    if ((st = db_prepare(db, BALANCE))) {
        db_bind_int(st, 1, resident_id);
        db_bind_int(st, 2, item.cost);
    }
    if ((took = take(st, db)) < 0) return -1;
    if (!took) {
        *refusal = "insufficient_points";
        return 1;
    }
    if (!(st = db_prepare(db, REDEMPTION))) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, item_id);
    db_bind_int(st, 3, item.cost);
    db_bind_text(st, 4, date);
    if (user_id)
        db_bind_int(st, 5, user_id);
    else
        db_bind_null(st, 5);
    int64_t id = db_insert_id(st);
    if (id <= 0) return -1;
    int64_t balance = store_points_balance(db, resident_id);
    if (balance < 0) return -1;
    char key[48];
    snprintf(key, sizeof key, "redemption:%lld", (long long)id);
    if (!(st = db_prepare(db, LEDGER))) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, key);
    db_bind_int(st, 3, -item.cost);
    db_bind_int(st, 4, balance);
    db_bind_text(st, 5, date);
    db_bind_int(st, 6, id);
    if (db_run(st) != DB_DONE) return -1;
    *redemption_id = id;
    *balance_after = balance;
    *stock_after = item.stock - 1;
    return 0;
}
