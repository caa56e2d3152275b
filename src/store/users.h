/* users.h - SQL for users and login sessions. */
#ifndef JIAYI_STORE_USERS_H
#define JIAYI_STORE_USERS_H

#include <stdint.h>

#include "domain/roles.h"
#include "db/db.h"
#include "store/status.h"

struct user_row {
    int64_t id;
    char username[64];
    char password_hash[128];
    enum role role;
    char display_name[128];
    int disabled;
};

/* The account with this username in any ASCII letter case: 1 found, 0 not found, -1 error. */
JY_MUST_USE int store_user_by_username(struct db *db, const char *username, struct user_row *out);
/* Returns the new id, or DB_CONSTRAINT when the username exists (in any letter case), or
 * another negative code. */
JY_MUST_USE int64_t store_user_insert(struct db *db, const char *username,
                                      const char *password_hash, enum role role,
                                      const char *display_name, const char *scope_region,
                                      int64_t resident_id);
/* Both by username in any letter case: 0, or -1 when no such user or on error. */
JY_MUST_USE int store_user_set_password(struct db *db, const char *username,
                                        const char *password_hash);
/* A new hash of the same password (a login at another argon2id cost): 0 or -1. */
JY_MUST_USE int store_user_set_password_hash(struct db *db, int64_t user_id,
                                             const char *password_hash);
JY_MUST_USE int store_user_set_disabled(struct db *db, const char *username, int disabled);
/* Links a staff record to a user. */
JY_MUST_USE int store_staff_link_user(struct db *db, int64_t staff_id, int64_t user_id);

JY_MUST_USE int store_session_insert(struct db *db, const char *token_hash, int64_t user_id,
                                     const char *csrf_token, int64_t now, int64_t expires_at);
/* Loads the principal of a live session (not expired, user not disabled): 1, 0 none, -1 error. */
JY_MUST_USE int store_session_principal(struct db *db, const char *token_hash, int64_t now,
                                        struct principal *out);
JY_MUST_USE int store_session_delete(struct db *db, const char *token_hash);
/* Ends every session of the user (password change, disable). */
JY_MUST_USE int store_sessions_delete_user(struct db *db, const char *username);

#endif
