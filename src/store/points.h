/* points.h (store) - health points: the rule table, the ledger with each resident's balance,
 * the catalogue with its stock, and redemptions (migration 029, docs/resident-loop.md).
 * Every write runs inside the caller's transaction. */
#ifndef JIAYI_STORE_POINTS_H
#define JIAYI_STORE_POINTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/points.h"
#include "store/status.h"

/* Awards the points the rule for `event` (domain/points.h) gives, once per `event_key`
 * ("followup:42", "exam_result:7", "group_activity:3:resident:9"): a second award with the
 * same key writes nothing. `date` (YYYY-MM-DD) is when the action happened. Call it in the
 * same transaction as the action it rewards. 1 awarded, 0 nothing to award (already, a
 * rule of 0, an unknown event), negative DB_* code on failure. */
JY_MUST_USE int store_points_award(struct db *db, int64_t resident_id, const char *event,
                                   const char *event_key, const char *date);

/* The rule table (the defaults for a rule not stored). 0 or -1. */
JY_MUST_USE int store_points_rules_load(struct db *db, struct points_rules *rules);
JY_MUST_USE int store_points_rules_save(struct db *db, const struct points_rules *rules);

/* {"balance","earned","spent","items":[{"id","event","points","balance_after","occurred_on",
 * "item_id","item_name"}]} newest first, at most `limit` items; NULL on error. */
json_t *store_points_summary(struct db *db, int64_t resident_id, int limit);

/* The active items of the county ("" or NULL: every county), cheapest first:
 * [{"id","name","kind","cost","stock","institution_id","institution_name"}]; NULL on error. */
json_t *store_points_catalogue(struct db *db, const char *county_code);

struct points_item {
    int64_t id, cost, stock, institution_id; /* institution_id 0: none */
    int active;
    char name[128], kind[16], county[7];
};
/* 1 found, 0 no such item, -1 on error. */
JY_MUST_USE int store_points_item_get(struct db *db, int64_t id, struct points_item *out);
/* A new item: its id or a negative DB_* code. */
JY_MUST_USE int64_t store_points_item_insert(struct db *db, const struct points_item *in);
/* Adds `add` to the stock (it cannot go below zero: the CHECK); 0 or -1. */
JY_MUST_USE int store_points_item_restock(struct db *db, int64_t id, int64_t add);

/* Takes one of the item and its cost from the resident's balance, where both suffice, and
 * writes the redemption with its ledger row. 0 and *redemption_id, *balance_after, *stock_after;
 * 1 refused with *refusal ("out_of_stock", "insufficient_points": the caller rolls back);
 * -1 on error. */
JY_MUST_USE int store_points_redeem(struct db *db, int64_t resident_id, int64_t item_id,
                                    const char *date, int64_t user_id, int64_t *redemption_id,
                                    int64_t *balance_after, int64_t *stock_after,
                                    const char **refusal);

/* The resident's balance (0 when they have never earned), -1 on error. */
JY_MUST_USE int64_t store_points_balance(struct db *db, int64_t resident_id);

#endif
