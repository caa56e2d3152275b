/* password.h - argon2id password hashes (libsodium crypto_pwhash_str) and the rules a new
 * password must meet. */
#ifndef JIAYI_AUTH_PASSWORD_H
#define JIAYI_AUTH_PASSWORD_H

#include <stddef.h>

#include "util/error.h"
#include "util/must_use.h"

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MIN_LENGTH 8        /* the demo's --password (password_is_strong_enough) */
#define PASSWORD_POLICY_MIN_CHARS 10 /* an account's password (password_policy_check) */
/* No password is longer, at login either: a longer one is a failed login without any argon2id
 * work, never cut to fit. */
#define PASSWORD_MAX_BYTES 256

/* Initialises libsodium and reads the cost of new hashes from JIAYI_PASSWORD_COST; call once
 * at start. The costs, argon2id with one lane:
 *   interactive  2 passes over 64 MiB (libsodium's interactive limits; the default)
 *   moderate     3 passes over 256 MiB (libsodium's moderate limits)
 *   minimum      5 passes over 7 MiB: the last line of OWASP's argon2id table, which rates
 *                its lines as equal defence; about 14 times cheaper in CPU here, what the
 *                test suite uses for its thousands of logins (docs/security.md)
 * A hash is checked with the cost it was made with; a login whose hash has another cost
 * stores a new one (password_needs_rehash). Returns 0, -1 when libsodium fails, -2 when
 * JIAYI_PASSWORD_COST names no cost. */
JY_MUST_USE int password_init(void);
/* Writes the encoded hash (with salt and parameters) into out. Returns 0 or -1. */
JY_MUST_USE int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* 1 when hash was not made with the configured cost (or is not an argon2id hash). */
JY_MUST_USE int password_needs_rehash(const char *hash);
/* 1 when password matches hash. For an unknown user pass hash = NULL: a dummy hash is
 * verified so that the answer takes the same time (no user enumeration by timing). */
JY_MUST_USE int password_verify(const char *hash, const char *password);
/* The demo's rule for its shared --password (kept as documented, so demo logins stay as they
 * were): 8 to PASSWORD_MAX_BYTES bytes with a letter and a digit. 1 when acceptable. */
JY_MUST_USE int password_is_strong_enough(const char *password);

/* The policy for an account's own password (`jiayi user add` and `user passwd`). Pure.
 * 0 when `password` may be set for `username`; otherwise -1 and err filled (422, field
 * "password") with the first reason, as its code:
 *   password_invalid            not UTF-8 text, or holds a control character
 *   password_too_long           more than PASSWORD_MAX_BYTES bytes
 *   password_too_short          fewer than PASSWORD_POLICY_MIN_CHARS characters (code points)
 *   password_contains_username  is, or contains, the username (ASCII case ignored; a
 *                               username shorter than 3 characters only when equal)
 *   password_too_common         password_is_common()
 * Composition rules (a digit, a capital...) are deliberately absent (NIST SP 800-63B 5.1.1.2):
 * length and refusing the guessable do more, and a Chinese passphrase is fine. */
JY_MUST_USE int password_policy_check(const char *password, const char *username,
                                      struct jy_error *err);
/* 1 when the password is one an attacker tries first: on the common list (ASCII case
 * ignored), or one of its entries with digits and symbols around it ("Password2024!",
 * "@admin123"), or fewer than 4 distinct characters ("1212121212"), or a straight run of
 * consecutive characters ("abcdefghij", "9876543210"). */
JY_MUST_USE int password_is_common(const char *password);

#endif
