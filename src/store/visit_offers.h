/* visit_offers.h (store) - the offers visits made and their answers (migration 038). */
#ifndef JIAYI_STORE_VISIT_OFFERS_H
#define JIAYI_STORE_VISIT_OFFERS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"

struct visit_offer_input {
    int64_t resident_id, offered_by, staff_id;
    const char *kind, *program, *diagnosis, *response, *offered_on, *county_code;
};
int64_t store_visit_offer_insert(struct db *db, const struct visit_offer_input *in);

/* The offers made to residents under `region` (a division code prefix) in [from, to]:
 * {"enrol":{"offered","accepted"},"sign":{...},"by_program":{program:{"offered","accepted"}}};
 * NULL on error. */
json_t *store_visit_offers_report(struct db *db, const char *region, const char *from, const char *to);

#endif
