/* visit_offers.h (store) - the offers visits made and their answers (migration 038). */
#ifndef JIAYI_STORE_VISIT_OFFERS_H
#define JIAYI_STORE_VISIT_OFFERS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

struct visit_offer_input {
    int64_t resident_id, offered_by, staff_id;
    const char *kind, *program, *diagnosis, *response, *offered_on, *county_code;
};
JY_MUST_USE int64_t store_visit_offer_insert(struct db *db, const struct visit_offer_input *in);

/* The offers made to residents under `region` (a division code prefix) in [from, to]:
 * {"enrol":{"offered","accepted"},"sign":{...},"by_program":{program:{"offered","accepted"}}};
 * NULL on error. */
json_t *store_visit_offers_report(struct db *db, const char *region, const char *from,
                                  const char *to);

/* The people a team expects on `date` (pre-visit): those whose visit request was confirmed
 * for that day (reason {"source":"request","kind","time"}) and those with a task needing them
 * in person due that day (follow-up, TB visit, vaccination; {"source":"task","kind",
 * "program"}), one item a person in order of name: {resident_id, name, sex, birth_date,
 * population_class, reasons, due_count (their open tasks), colours (the latest follow-up
 * classification of each programme)}. NULL on error. */
json_t *store_visit_day(struct db *db, int64_t team_id, const char *date);

#endif
