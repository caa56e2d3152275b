/* login_code.c - see login_code.h. */
#include "auth/login_code.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static unsigned char key[crypto_generichash_KEYBYTES];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void draw_key(void)
{
    randombytes_buf(key, sizeof key);
}

void login_code_new(char out[LOGIN_CODE_DIGITS + 1])
{
    uint32_t n = randombytes_uniform(1000000);
    snprintf(out, LOGIN_CODE_DIGITS + 1, "%06u", (unsigned)n);
}

void login_code_hash(const char *phone, const char *code, char out[LOGIN_CODE_HASH_HEX])
{
    pthread_once(&key_once, draw_key);
    unsigned char digest[32];
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, sizeof key, sizeof digest);
    /* The NUL between them: "1380013800" + "0123456" never hashes as "13800138000" + "123456". */
    crypto_generichash_update(&state, (const unsigned char *)phone, strlen(phone) + 1);
    crypto_generichash_update(&state, (const unsigned char *)code, strlen(code));
    crypto_generichash_final(&state, digest, sizeof digest);
    sodium_bin2hex(out, LOGIN_CODE_HASH_HEX, digest, sizeof digest);
    sodium_memzero(&state, sizeof state);
}

int login_code_matches(const char *phone, const char *code, const char *stored)
{
    char hash[LOGIN_CODE_HASH_HEX];
    login_code_hash(phone, code, hash);
    if (strlen(stored) != LOGIN_CODE_HASH_HEX - 1) return 0;
    return sodium_memcmp(hash, stored, LOGIN_CODE_HASH_HEX - 1) == 0;
}

int login_code_phone_valid(const char *phone)
{
    const char *p = phone;
    if (*p == '+') p++;
    size_t n = strlen(p);
    if (n < 5 || n > 20) return 0;
    for (; *p; p++)
        if (!isdigit((unsigned char)*p)) return 0;
    return 1;
}
