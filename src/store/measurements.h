/* measurements.h (store) - a resident's measurements over time (blood pressure, fasting
 * glucose, weight, heart rate) gathered from every place the record keeps them, for the
 * trend charts. Today that is the follow-ups; exam results and device observations join
 * as further arms of the same query. */
#ifndef JIAYI_STORE_MEASUREMENTS_H
#define JIAYI_STORE_MEASUREMENTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"

/* The resident's measurements dated from `from` to `to` inclusive (YYYY-MM-DD; NULL: no
 * bound), oldest first; when more than `limit`, the newest `limit`. Each item is
 * {date, source, sbp?, dbp?, fbg?, weight_kg?, heart_rate?}: a value not measured is left
 * out. Rows that measured none of them are skipped. NULL on error; caller decrefs. */
json_t *store_measurements_list(struct db *db, int64_t resident_id, const char *from,
                                const char *to, int limit);

#endif
