/* fulfilment.h (store) - 履约: how much of what contracts entitle has been delivered. */
#ifndef JIAYI_STORE_FULFILMENT_H
#define JIAYI_STORE_FULFILMENT_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"

/* Fulfilment (履约) of the active contracts of a team or a doctor (0: any), visible to the
 * user: {contracts, entitled, delivered, rate,
 * by_service:[{service,name,name_en,entitled,delivered,rate}]}. */
json_t *store_fulfilment(struct db *db, int64_t user_id, int64_t team_id, int64_t doctor_id);

#endif
