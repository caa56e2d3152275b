/* test_results.h (store) - results recognised across the county (migration 041). */
#ifndef JIAYI_STORE_TEST_RESULTS_H
#define JIAYI_STORE_TEST_RESULTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* The item's validity window in days: > 0, 0 when the county does not recognise it, -1. */
JY_MUST_USE int store_recognised_item_days(struct db *db, const char *code);
/* The catalogue: [{code, name, name_en, kind, valid_days}]; NULL on error. */
json_t *store_recognised_items(struct db *db);

struct test_result_input {
    int64_t resident_id, institution_id, recorded_by;
    const char *item, *taken_on, *value, *conclusion, *source, *county_code;
};
JY_MUST_USE int64_t store_test_result_insert(struct db *db, const struct test_result_input *in);

/* The person's results, newest first (of `item` only when not NULL), each with the item's
 * name, kind and window and the institution's name: [{id, item, name, name_en, kind,
 * valid_days, taken_on, value, conclusion, institution_id, institution_name, source}]. */
json_t *store_test_results(struct db *db, int64_t resident_id, const char *item);

#endif
