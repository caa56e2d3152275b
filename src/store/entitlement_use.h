/* entitlement_use.h (store) - recorded services using up entitlements (issue 12), the SQL
 * around the pure rule of domain/entitlement_use.h: the mapping in force (the protocol list
 * `service_entitlements`), a resident's contracts and entitlements, and the deliveries a
 * record writes (deliveries.source_kind/source_id, migration 010) or takes back. Every
 * write runs inside the caller's transaction, so the indicator counters (the triggers on
 * entitlements and deliveries) follow it, and a rolled-back record leaves nothing. */
#ifndef JIAYI_STORE_ENTITLEMENT_USE_H
#define JIAYI_STORE_ENTITLEMENT_USE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/entitlement_use.h"
#include "domain/protocol_lists.h"
#include "store/status.h"

/* The mapping in force: the list's strings and the rules pointing into them. */
struct entitlement_rules {
    struct string_list list;
    struct entitlement_rule *rules;
    size_t count;
};
/* Loads the mapping's newest version (else its default). 0, or -1 on a failure (logged);
 * the caller frees with store_entitlement_rules_free either way. */
JY_MUST_USE int store_entitlement_rules_load(struct db *db, struct entitlement_rules *out);
void store_entitlement_rules_free(struct entitlement_rules *rules);

/* The resident's contracts whose term holds `on` (NULL: all of them, the newest first when
 * there are more than the account holds) and their entitlements, into *a. 0, or -1. */
JY_MUST_USE int store_entitlement_account_load(struct db *db, int64_t resident_id, const char *on,
                                               struct entitlement_account *a);

/* One record that has used nothing yet using up what the rule chooses from the loaded
 * account: a delivery of 1 per use naming the source (kind, source_id; staff_id 0: none),
 * `used` raised on the entitlement and in *a (the unique index on the source and the
 * entitlement is the backstop). Each use written is appended to `used_out` (when not NULL)
 * as {contract_id, entitlement_id, service, event}. Returns how many were written, or -1. */
JY_MUST_USE int store_entitlement_apply(struct db *db, struct entitlement_account *a,
                                        const struct entitlement_rules *rules, int64_t source_id,
                                        int64_t staff_id, const struct service_record *record,
                                        json_t *used_out);

/* store_entitlement_apply for one record of `resident_id`, loading the contracts in force
 * on the record's date. Idempotent: a record that already used something uses nothing more
 * (a corrected record is undone first). Returns how many units were used, or -1. */
JY_MUST_USE int store_entitlement_use(struct db *db, const struct entitlement_rules *rules,
                                      int64_t resident_id, int64_t source_id, int64_t staff_id,
                                      const struct service_record *record, json_t *used_out);

/* Takes back what a record used: its deliveries on the resident's contracts are removed and
 * each entitlement's `used` lowered by their quantity. Returns how many deliveries were
 * removed (0: it had used nothing), or -1. */
JY_MUST_USE int store_entitlement_undo(struct db *db, enum service_source kind, int64_t source_id,
                                       int64_t resident_id);

/* The resident's stored records (follow-ups, exam rows, encounters, group attendance)
 * dated from `from` to `to` (YYYY-MM-DD, NULL: no bound) that have used nothing yet, in date
 * order, through store_entitlement_apply with *a loaded with all the resident's contracts:
 * what a contract signed from a past day takes from the records of its term, and what the
 * demo county, built records first and contracts after, uses. *a is left loaded, with what
 * the records used. Returns the units used, or -1. */
JY_MUST_USE long store_entitlement_use_records(struct db *db, const struct entitlement_rules *rules,
                                               int64_t resident_id, const char *from,
                                               const char *to, struct entitlement_account *a);

#endif
