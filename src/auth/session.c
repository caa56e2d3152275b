/* session.c - login with throttling, session tokens, logout. */
#include "auth/session.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "auth/throttle.h"
#include "store/users.h"

static int64_t session_seconds(void)
{
    const char *h = getenv("JIAYI_SESSION_HOURS");
    long hours = h ? strtol(h, NULL, 10) : 10;
    if (hours < 1 || hours > 24 * 30) hours = 10;
    return (int64_t)hours * 3600;
}

void session_token_hash(const char *token, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

static void random_hex(char *out, size_t bytes)
{
    unsigned char buf[32];
    randombytes_buf(buf, bytes);
    sodium_bin2hex(out, bytes * 2 + 1, buf, bytes);
}

int session_check_password(struct db *db, const char *username, const char *password,
                           const char *address, int64_t *user_id, char new_hash[PASSWORD_HASH_MAX],
                           struct jy_error *err)
{
    new_hash[0] = '\0';
    /* The attempt is reserved before the slow check, so parallel ones count against the limit
     * while they are still running (throttle.h). */
    struct throttle_ticket ticket;
    if (throttle_reserve(username, address, time(NULL), &ticket) < 0)
        return jy_fail(err, 429, "too_many_attempts", NULL, NULL);
    /* No account has a longer password (password.h): a failed login like any other, but not
     * worth argon2id work on whatever length the body limit lets through. */
    if (strlen(password) > PASSWORD_MAX_BYTES) {
        throttle_settle(&ticket, THROTTLE_FAILED, time(NULL));
        return jy_fail(err, 401, "invalid_credentials", NULL, NULL);
    }
    struct user_row user;
    int found = store_user_by_username(db, username, &user);
    if (found < 0) {
        throttle_settle(&ticket, THROTTLE_ABANDONED, time(NULL));
        return jy_fail(err, 500, "internal_error", NULL, "user lookup");
    }
    int ok = password_verify(found ? user.password_hash : NULL, password);
    if (!ok || user.disabled) {
        throttle_settle(&ticket, THROTTLE_FAILED, time(NULL));
        return jy_fail(err, 401, "invalid_credentials", NULL, NULL);
    }
    throttle_settle(&ticket, THROTTLE_SUCCEEDED, time(NULL));
    *user_id = user.id;
    /* The cost was changed since this hash was made: the password is at hand only now. */
    if (password_needs_rehash(user.password_hash) && password_hash(password, new_hash) < 0)
        new_hash[0] = '\0';
    return 0;
}

int session_create(struct db *db, int64_t user_id, struct login_result *out)
{
    char token_hash[65];
    time_t now = time(NULL);
    random_hex(out->token, 32);
    random_hex(out->csrf_token, 20);
    session_token_hash(out->token, token_hash);
    out->expires_in = session_seconds();
    return store_session_insert(db, token_hash, user_id, out->csrf_token, now,
                                now + out->expires_in);
}

int session_lookup(struct db *db, const char *token, struct principal *out)
{
    if (!token || strlen(token) != 64) return 0;
    char token_hash[65];
    session_token_hash(token, token_hash);
    return store_session_principal(db, token_hash, time(NULL), out);
}

int session_delete(struct db *db, const char *token)
{
    char token_hash[65];
    session_token_hash(token, token_hash);
    return store_session_delete(db, token_hash);
}
