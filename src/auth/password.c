/* password.c - argon2id hashing and constant-work verification. */
#include "auth/password.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char random_password[33];
    randombytes_buf(random_password, 32);
    for (int i = 0; i < 32; i++) random_password[i] = (char)('a' + ((unsigned char)random_password[i] % 26));
    random_password[32] = '\0';
    password_hash(random_password, dummy_hash);
}

int password_init(void) { return sodium_init() < 0 ? -1 : 0; }

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    _Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer too small");
    return crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                 crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) == 0
               ? 0
               : -1;
}

int password_verify(const char *hash, const char *password)
{
    if (!hash) {
        pthread_once(&dummy_once, make_dummy);
        /* Same work as a real check; the result is meaningless and always "no". */
        int ignored = crypto_pwhash_str_verify(dummy_hash, password, strlen(password));
        return ignored * 0;
    }
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int password_is_strong_enough(const char *password)
{
    int letter = 0, digit = 0;
    for (const char *p = password; *p; p++) {
        if (isalpha((unsigned char)*p)) letter = 1;
        if (isdigit((unsigned char)*p)) digit = 1;
    }
    return strlen(password) >= PASSWORD_MIN_LENGTH && letter && digit;
}
