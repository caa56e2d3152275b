/* reports.h (store) - finance reports (contracts' fees and payer shares per period) and the
 * county's report of high-risk pregnancies. */
#ifndef JIAYI_STORE_REPORTS_H
#define JIAYI_STORE_REPORTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"

/* Contracts in the user's scope (optionally under `region`) whose term starts between
 * `first` and `last`: {"rows":[{contract_id,start_date,status,channel,township,team,doctor,
 * packages,fee_fen,shares:{payer:fen}}], "payers":[...], "totals":{payer:fen}, "fee_fen"}.
 * No resident names: finance needs amounts, not people. */
json_t *store_fee_report(struct db *db, int64_t user_id, const char *region, const char *first,
                         const char *last);

/* Pregnancies of living residents under `region` (a division code; its subtree) and inside
 * the user's scope (a team sees its own cells' women, not the township's) whose
 * standing risk assessment is orange, red or purple, not yet over (undelivered, or delivered
 * on or after `over_before`), highest risk first: [{pregnancy_id, resident_id, name,
 * birth_date, region, township, village, lmp, delivery_date, color, purple, factors, assessed_on,
 * reported_on, referral_id, referral_target, referral_seen_on}] (the latest referral since the LMP
 * that a pregnancy risk raised). NULL on error. */
json_t *store_high_risk_pregnancies(struct db *db, int64_t user_id, const char *region,
                                    const char *over_before);

#endif
