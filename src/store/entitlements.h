/* entitlements.h (store) - what a contract entitles its resident to, and the deliveries
 * that use it up (by hand here; recorded services through store/entitlement_use.h). */
#ifndef JIAYI_STORE_ENTITLEMENTS_H
#define JIAYI_STORE_ENTITLEMENTS_H

#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* Records a delivery against an entitlement of the contract, within what is left:
 * 1 done, 0 not enough left (or not this contract's), -1 error. */
JY_MUST_USE int store_delivery_insert(struct db *db, int64_t contract_id, int64_t entitlement_id,
                                      const char *delivered_on, int64_t staff_id, int quantity,
                                      const char *note);
/* The contract's entitlement for a service (first with something left), 0 when none. */
JY_MUST_USE int64_t store_entitlement_for_service(struct db *db, int64_t contract_id,
                                                  const char *service);
/* The service code of an entitlement into out: 0, or -1 (none, or an error). */
JY_MUST_USE int store_entitlement_service(struct db *db, int64_t entitlement_id, char out[41]);
/* Copies what remains of one contract's entitlements onto another (a transfer). */
JY_MUST_USE int store_entitlements_carry_over(struct db *db, int64_t from_contract,
                                              int64_t to_contract);
/* Delivers by hand what each entitlement of the contract lacks of `fraction` of its
 * quantity (the demo's services it does not record), one delivery per item on a day of
 * the `days` days from `from` (YYYY-MM-DD), `used` to match. 0 or -1. */
JY_MUST_USE int store_entitlements_deliver_rest(struct db *db, int64_t contract_id, double fraction,
                                                const char *from, int days, int64_t staff_id);

#endif
