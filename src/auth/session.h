/* session.h - login, logout and session lookup (API.md "Login").
 * A session is a random 256-bit token (only its SHA-256 is stored) plus a CSRF token
 * for cookie clients; it lasts JIAYI_SESSION_HOURS (default 10) hours. */
#ifndef JIAYI_AUTH_SESSION_H
#define JIAYI_AUTH_SESSION_H

#include "auth/password.h"
#include "domain/roles.h"
#include "db/db.h"
#include "util/error.h"
#include "util/must_use.h"

#define SESSION_COOKIE "jiayi_session"

struct login_result {
    char token[65];
    char csrf_token[41];
    struct principal user;
    int64_t expires_in; /* seconds */
};

/* Checks the password (the username in any letter case) behind the login throttle (throttle.h:
 * 429 too_many_attempts), and answers the same 401 invalid_credentials for an unknown user, a
 * disabled one or a wrong password (with the same argon2id work), and for a password longer
 * than PASSWORD_MAX_BYTES (with none). Holds no database lock: the slow part of a login never
 * blocks writers. Fills *user_id, and new_hash with a hash of the password at the configured
 * cost when the stored one has another (store it with the session; else new_hash is "").
 * Returns 0 or -1. */
JY_MUST_USE int session_check_password(struct db *db, const char *username, const char *password,
                                       const char *address, int64_t *user_id,
                                       char new_hash[PASSWORD_HASH_MAX], struct jy_error *err);
/* Creates the session row for user_id inside the caller's write transaction and fills the
 * token, CSRF token and lifetime of out (not out->user). Returns 0 or -1. */
JY_MUST_USE int session_create(struct db *db, int64_t user_id, struct login_result *out);
/* Deletes a session inside the caller's write transaction. */
JY_MUST_USE int session_delete(struct db *db, const char *token);
/* 1 and the principal when the token is a live session, 0 when not, -1 on error. */
JY_MUST_USE int session_lookup(struct db *db, const char *token, struct principal *out);
/* SHA-256 of a token, hex. */
void session_token_hash(const char *token, char out[65]);

#endif
