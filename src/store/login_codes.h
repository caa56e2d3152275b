/* login_codes.h (store) - one-time login codes (migration 026, auth/login_code.h). */
#ifndef JIAYI_STORE_LOGIN_CODES_H
#define JIAYI_STORE_LOGIN_CODES_H

#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* Code requests for `phone` since `since` (Unix seconds), known phone or not; -1 on error. */
JY_MUST_USE int64_t store_login_code_requests(struct db *db, const char *phone, int64_t since);
/* Records a request; code_hash NULL when no account has the phone. The new id, or -1. */
JY_MUST_USE int64_t store_login_code_insert(struct db *db, const char *phone, const char *code_hash,
                                            int64_t now, int64_t expires_at);
/* Forgets requests made before `before`. 0 or -1. */
JY_MUST_USE int store_login_code_prune(struct db *db, int64_t before);

struct login_code_row {
    int64_t id;
    char code_hash[129];
    int64_t expires_at, used_at;
    int failures;
};
/* The phone's newest code (a request that sent one): 1 and *out, 0 none, -1 error. */
JY_MUST_USE int store_login_code_latest(struct db *db, const char *phone,
                                        struct login_code_row *out);
/* A wrong code was tried against it. 0 or -1. */
JY_MUST_USE int store_login_code_fail(struct db *db, int64_t id);
/* The code logged someone in: never again. 0, or -1 (also when it was used meanwhile). */
JY_MUST_USE int store_login_code_use(struct db *db, int64_t id, int64_t now);

/* The enabled resident accounts whose resident's phone is `phone`, by username. */
struct phone_account {
    int64_t user_id, resident_id;
    char username[64];
};
/* Fills up to max accounts; returns how many there are in all (may exceed max), or -1. */
JY_MUST_USE int store_phone_accounts(struct db *db, const char *phone, struct phone_account *out,
                                     int max);

#endif
