/* login_code.h - one-time login codes (docs/resident-loop.md, docs/security.md "One-time
 * codes"): six random digits, of which only a keyed hash is stored. The key is drawn at start
 * and lives only in the server's memory, so a copy of the database cannot be searched for the
 * codes (a million candidates would take no time against an unkeyed hash); a restart
 * invalidates the codes in flight, which costs a resident one more request. */
#ifndef JIAYI_AUTH_LOGIN_CODE_H
#define JIAYI_AUTH_LOGIN_CODE_H

#include <stddef.h>

#include "util/must_use.h"

#define LOGIN_CODE_DIGITS 6
#define LOGIN_CODE_SECONDS 300
#define LOGIN_CODE_MAX_FAILURES 5
#define LOGIN_CODE_PER_MINUTE 1
#define LOGIN_CODE_PER_HOUR 5
#define LOGIN_CODE_HASH_HEX 65 /* 32 bytes, hex, NUL */

/* Six uniformly random digits (libsodium randombytes_uniform). Wipe with sodium_memzero. */
void login_code_new(char out[LOGIN_CODE_DIGITS + 1]);
/* The keyed BLAKE2b of phone and code, hex. */
void login_code_hash(const char *phone, const char *code, char out[LOGIN_CODE_HASH_HEX]);
/* 1 when `code` hashes to `stored` (compared in constant time), else 0. */
JY_MUST_USE int login_code_matches(const char *phone, const char *code, const char *stored);
/* 1 for a phone number as an account may have one: 5 to 20 digits, optionally after '+'. */
JY_MUST_USE int login_code_phone_valid(const char *phone);

#endif
