/* slots.h (api) - the booking of a specialist slot that api/slots.c makes for POST
 * /bookings, offered to the other handlers that book for a signed resident (issue 16: a
 * specialist visit request confirmed by the team, api/visit_requests.c), so that the rules
 * hold the same everywhere: only slots released to family doctors by today, never more
 * bookings than places, one place per resident, the contract's priority_booking entitlement
 * used up. */
#ifndef JIAYI_API_SLOTS_H
#define JIAYI_API_SLOTS_H

#include <jansson.h>
#include <stdint.h>

#include "http/request.h"
#include "store/entitlement_use.h"
#include "store/slots.h"

/* Before the transaction: the slot exists and family doctors may book it today; 0 and *slot,
 * else replied (422 naming slot_id: invalid_field, not_released) and -1. */
int slots_require_bookable(struct request *r, int64_t slot_id, struct slot_row *slot);
/* Inside the caller's transaction: takes a place and writes the booking with what it uses up
 * (appended to `used`), audited. The booking's id, or -1 having rolled back and replied
 * (409 slot_taken, 409 already_booked, 500). */
int64_t slots_book_in_transaction(struct request *r, const struct entitlement_rules *rules,
                                  const struct booking_input *in, json_t *used);

#endif
