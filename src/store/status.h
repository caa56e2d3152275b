/* status.h (store) - the answers a store function gives besides its value, named so that
 * "absent" never reads as an error, nor as db/'s DB_CONSTRAINT (-2) or DB_BUSY (-3).
 *
 * Store functions return their value (an id, a count, 1/0 for a yes/no question) or a
 * negative status: STORE_ERROR when the database failed (the caller answers 500, the
 * message is in db_errmsg), STORE_NOT_FOUND when the row a lookup names does not exist
 * (the caller answers 404, or 422 naming the field that pointed at it), and DB_CONSTRAINT
 * where a header says a unique or check constraint refused a write. Functions that fill
 * out-parameters fill them only on success; JSON a function returns is the caller's to
 * decref, NULL meaning absent or failed as its header says. */
#ifndef JIAYI_STORE_STATUS_H
#define JIAYI_STORE_STATUS_H

#include "util/must_use.h"

enum store_status {
    STORE_ERROR = -1,
    STORE_NOT_FOUND = -4,
};

#endif
