/* seal.h - ID numbers and phone numbers encrypted at rest (issue 21, GB/T 39786-2021), and
 * found again by a keyed digest.
 *
 * Keys live in a file outside the database (`<db>.pii-key` by default, `--pii-key FILE` or
 * JIAYI_PII_KEY_FILE), one a line: "ID HEX CIPHER", a positive increasing id, 32 random bytes
 * in hex, and the cipher the key seals with:
 *   sm4        SM4-CTR (GB/T 32907) with a random IV, then HMAC-SM3 over id, IV and
 *              ciphertext (encrypt-then-MAC; Debian's OpenSSL 3.0 has no SM4-GCM);
 *   aes256gcm  AES-256-GCM, the id as associated data (by setting: JIAYI_PII_CIPHER).
 * A sealed value is text, "v1.<key id>.<base64url of IV, ciphertext, tag>", so both
 * database engines keep it in the TEXT column the plaintext had. New values are sealed with
 * the newest key; an older value names its key, so rotation (a new line) needs no downtime:
 * `jiayi pii rekey` re-seals old values while servers run, and a server that meets a key it
 * has not loaded reads the file again.
 *
 * Searching: digest(label, value) is an HMAC (SM3, or SHA-256 when the first key is an AES
 * one) under an index key derived from the file's first key, hex; equal values give equal
 * digests, so an exact search or a uniqueness check compares digests. The index key stays
 * the first key's for the life of the data: rotating it would mean recomputing every digest.
 * Thread-safe after seal_keys_open. */
#ifndef JIAYI_UTIL_SEAL_H
#define JIAYI_UTIL_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/must_use.h"

#define SEAL_PLAIN_MAX 64 /* bytes of plaintext a value may have */
#define SEAL_TEXT_MAX 160 /* a sealed value's text, NUL included */
#define SEAL_DIGEST_TEXT 65

enum seal_cipher { SEAL_SM4, SEAL_AES256GCM };

/* Loads the key file (creating it, mode 0600, with one key of seal_cipher_default(), when
 * `create` and it does not exist). Returns 0, or -1 with err. Opening again replaces the
 * keys (the tests open several databases in one process). */
JY_MUST_USE int seal_keys_open(const char *path, int create, struct jy_error *err);
/* 1 once keys are loaded. */
int seal_keys_loaded(void);
/* JIAYI_PII_CIPHER ("sm4" or "aes256gcm"), else SM4. */
enum seal_cipher seal_cipher_default(void);
/* "sm4" or "aes256gcm"; and back (0, or -1 for another name). */
const char *seal_cipher_name(enum seal_cipher c);
JY_MUST_USE int seal_cipher_parse(const char *name, enum seal_cipher *c);
/* Appends a new key for `cipher` to the key file, durably. Returns its id, or -1 with err. */
JY_MUST_USE int64_t seal_keys_rotate(const char *path, enum seal_cipher cipher,
                                     struct jy_error *err);
/* The newest key's id (0 when none is loaded). */
int64_t seal_newest_key(void);

/* Seals `plain` (at most SEAL_PLAIN_MAX bytes) with the newest key into out. 0, or -1. */
JY_MUST_USE int seal_text(const char *plain, char out[SEAL_TEXT_MAX]);
/* 1 when text is a sealed value (else it is a plaintext of before sealing). */
int seal_is_sealed(const char *text);
/* The key id a sealed value names, 0 for a plaintext. */
int64_t seal_key_of(const char *text);
/* Opens a sealed value into out (a plaintext is copied as it is). 0, or -1 when the value
 * is damaged, was forged, or names a key the file does not hold. */
JY_MUST_USE int seal_open(const char *text, char out[SEAL_PLAIN_MAX + 1]);
/* The hex digest of `value` for searches labelled `label` ("id", "phone", ...). 0, or -1. */
JY_MUST_USE int seal_digest(const char *label, const char *value, char out[SEAL_DIGEST_TEXT]);

#endif
