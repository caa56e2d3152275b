/* password.h - argon2id password hashes (libsodium crypto_pwhash_str, interactive limits). */
#ifndef JIAYI_AUTH_PASSWORD_H
#define JIAYI_AUTH_PASSWORD_H

#include <stddef.h>

#define PASSWORD_HASH_MAX 128
#define PASSWORD_MIN_LENGTH 8

/* Initialises libsodium; call once at start. Returns 0 or -1. */
int password_init(void);
/* Writes the encoded hash (with salt and parameters) into out. Returns 0 or -1. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* 1 when password matches hash. For an unknown user pass hash = NULL: a dummy hash is
 * verified so that the answer takes the same time (no user enumeration by timing). */
int password_verify(const char *hash, const char *password);
/* 1 when the password is acceptable: at least 8 characters with a letter and a digit. */
int password_is_strong_enough(const char *password);

#endif
