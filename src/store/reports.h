/* reports.h (store) - finance reports: contracts' fees and payer shares per period. */
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

#endif
