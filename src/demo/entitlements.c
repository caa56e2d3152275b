/* entitlements.c (demo) - see entitlements.h. */
#include "demo/entitlements.h"
#include "store/contracts.h"
#include "store/entitlements.h"

/* The demo's records reach back one year from today. */
#define RECORD_YEAR_DAYS 365

/* Delivers by hand what item `i` lacks of `fraction` of its quantity, on a day of [from, to]
 * spread by the entitlement's id (the same county from the same seed). The fraction of a
 * quantity is rounded up or down by a fixed draw from the id, so that small items (one or
 * two a year) come out right on average. */
static int deliver_rest(struct db *db, const struct entitlement_account *a, int i, double fraction,
                        struct date from, struct date to, int64_t staff_id)
{
    const struct entitlement_item *it = &a->items[i];
    int target = (int)(it->quantity * fraction + (double)((it->id * 40503) % 1000) / 1000.0);
    if (target > it->quantity) target = it->quantity;
    if (target <= it->used) return 0;
    long days = date_diff_days(to, from) + 1;
    char day[11];
    date_format(date_add_days(from, days > 0 ? (long)((it->id * 7919) % days) : 0), day);
    return store_delivery_insert(db, a->contracts[it->contract].id, it->id, day, staff_id,
                                 target - it->used, NULL) < 0
               ? -1
               : 0;
}

int demo_entitlements_for(struct db *db, const struct entitlement_rules *rules,
                          struct entitlement_account *account, struct date today,
                          const struct demo_contracts *c)
{
    if (!c->active_id && !c->ended_id) return 0;
    if (store_entitlement_use_records(db, rules, c->resident_id, NULL, NULL, account) < 0)
        return -1;
    for (int i = 0; i < account->n_items; i++) {
        const struct entitlement_contract *k = &account->contracts[account->items[i].contract];
        if (k->id == c->active_id &&
            !entitlement_rules_cover(rules->rules, rules->count, account->items[i].service) &&
            deliver_rest(db, account, i, c->active_fraction, k->start, today, c->staff_id) < 0)
            return -1;
    }
    /* The ended contract: every service up to the fraction, what its records did not reach
     * dated before the records begin (one statement for the contract: the demo's largest
     * share of deliveries). */
    for (int i = 0; c->ended_id && i < account->n_contracts; i++) {
        const struct entitlement_contract *k = &account->contracts[i];
        if (k->id != c->ended_id) continue;
        struct date before_records = date_add_days(today, -RECORD_YEAR_DAYS - 1);
        struct date to = date_compare(k->last, before_records) < 0 ? k->last : before_records;
        char from[11];
        date_format(k->start, from);
        if (store_entitlements_deliver_rest(db, k->id, c->ended_fraction, from,
                                            (int)date_diff_days(to, k->start) + 1, c->staff_id) < 0)
            return -1;
    }
    return 0;
}
