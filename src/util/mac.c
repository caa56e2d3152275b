/* mac.c - HMAC-SM3 through OpenSSL 3's EVP_MAC (fetched once: a fetch takes the library's
 * locks, and an audit entry is MACed on every write) and HMAC-SHA-256 through libsodium. */
#include "util/mac.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(crypto_auth_hmacsha256_KEYBYTES == MAC_KEY_BYTES, "HMAC-SHA-256 key");
_Static_assert(crypto_auth_hmacsha256_BYTES == MAC_BYTES, "HMAC-SHA-256 tag");

static EVP_MAC *hmac;
static EVP_MD *sm3;
static pthread_once_t fetched = PTHREAD_ONCE_INIT;

static void fetch(void)
{
    hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
}

const char *mac_alg_name(enum mac_alg alg)
{
    return alg == MAC_HMAC_SM3 ? "hmac-sm3" : "hmac-sha256";
}

int mac_alg_parse(const char *name, enum mac_alg *alg)
{
    if (name && strcmp(name, "hmac-sm3") == 0)
        *alg = MAC_HMAC_SM3;
    else if (name && strcmp(name, "hmac-sha256") == 0)
        *alg = MAC_HMAC_SHA256;
    else
        return -1;
    return 0;
}

enum mac_alg mac_alg_default(void)
{
    enum mac_alg alg;
    return mac_alg_parse(getenv("JIAYI_AUDIT_MAC"), &alg) == 0 ? alg : MAC_HMAC_SM3;
}

static int hmac_sm3(const unsigned char *key, const void *data, size_t n, unsigned char *tag)
{
    pthread_once(&fetched, fetch);
    if (!hmac || !sm3) return -1;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(hmac);
    if (!ctx) return -1;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SM3", 0),
        OSSL_PARAM_construct_end()};
    size_t len = 0;
    int ok = EVP_MAC_init(ctx, key, MAC_KEY_BYTES, params) == 1 &&
             EVP_MAC_update(ctx, data, n) == 1 && EVP_MAC_final(ctx, tag, &len, MAC_BYTES) == 1 &&
             len == MAC_BYTES;
    EVP_MAC_CTX_free(ctx);
    return ok ? 0 : -1;
}

int mac_compute(enum mac_alg alg, const unsigned char key[MAC_KEY_BYTES], const void *data,
                size_t n, unsigned char tag[MAC_BYTES])
{
    if (alg == MAC_HMAC_SM3) return hmac_sm3(key, data, n, tag);
    return crypto_auth_hmacsha256(tag, data, n, key) == 0 ? 0 : -1;
}

int mac_sm3(const void *data, size_t n, unsigned char digest[MAC_BYTES])
{
    pthread_once(&fetched, fetch);
    unsigned int len = 0;
    return sm3 && EVP_Digest(data, n, digest, &len, sm3, NULL) == 1 && len == MAC_BYTES ? 0 : -1;
}
