/* idempotency.h (store) - the stored answers of writes sent with an Idempotency-Key
 * (migration 020; the policy is api/idempotency.c's). */
#ifndef JIAYI_STORE_IDEMPOTENCY_H
#define JIAYI_STORE_IDEMPOTENCY_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

struct idempotent_answer {
    char request_hash[65];
    int status;
    char content_type[96];
    char *body; /* NUL-terminated; caller frees */
    size_t body_len;
};

/* The answer stored for (user, key) no earlier than `since` (Unix seconds): 1 found (out
 * filled; free out->body), 0 none, -1 on error. */
JY_MUST_USE int store_idempotency_get(struct db *db, int64_t user_id, const char *key,
                                      int64_t since, struct idempotent_answer *out);
/* Stores the answer for (user, key) at `now`, replacing a row of the same key only when it
 * expired (stored before `expired_before`): the first answer stored wins. Runs inside the
 * write's own transaction. 0, or -1 on error. */
JY_MUST_USE int store_idempotency_put(struct db *db, int64_t user_id, const char *key,
                                      const char *request_hash, int status,
                                      const char *content_type, const char *body, int64_t now,
                                      int64_t expired_before);
/* Drops the answers stored before `before`: the number dropped, or -1 on error. */
JY_MUST_USE int64_t store_idempotency_prune(struct db *db, int64_t before);

#endif
