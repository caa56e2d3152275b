/* mac.h - the keyed MACs jiayi can chain its audit entries with: HMAC-SM3 (GB/T 32905 and
 * GB/T 15852.2, through OpenSSL 3: the national cryptography GB/T 39786-2021 asks of a
 * level-3 system) and HMAC-SHA-256 (libsodium; the entries written before SM3 and wherever
 * a site chooses it). Both take a 32-byte key and give a 32-byte tag. */
#ifndef JIAYI_UTIL_MAC_H
#define JIAYI_UTIL_MAC_H

#include <stddef.h>

#include "util/must_use.h"

enum mac_alg { MAC_HMAC_SHA256, MAC_HMAC_SM3 };

#define MAC_KEY_BYTES 32
#define MAC_BYTES 32

/* "hmac-sha256" or "hmac-sm3". */
const char *mac_alg_name(enum mac_alg alg);
/* Parses a name of mac_alg_name. Returns 0, or -1 for anything else. */
JY_MUST_USE int mac_alg_parse(const char *name, enum mac_alg *alg);
/* The algorithm new audit keys get: JIAYI_AUDIT_MAC when set to a valid name, else SM3. */
enum mac_alg mac_alg_default(void);
/* tag = MAC(key, data). Returns 0, or -1 when the algorithm is not available. */
JY_MUST_USE int mac_compute(enum mac_alg alg, const unsigned char key[MAC_KEY_BYTES],
                            const void *data, size_t n, unsigned char tag[MAC_BYTES]);
/* SM3 of data (GB/T 32905), for the test vectors and digests. Returns 0 or -1. */
JY_MUST_USE int mac_sm3(const void *data, size_t n, unsigned char digest[MAC_BYTES]);

#endif
