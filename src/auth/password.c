/* password.c - argon2id hashing and constant-work verification; the password policy. */
#include "auth/password.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/common_passwords.h"

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char random_password[33];
    randombytes_buf(random_password, 32);
    for (int i = 0; i < 32; i++)
        random_password[i] = (char)('a' + ((unsigned char)random_password[i] % 26));
    random_password[32] = '\0';
    /* Out of memory: no dummy, so an unknown user's login answers faster, nothing worse. */
    if (password_hash(random_password, dummy_hash) < 0) dummy_hash[0] = '\0';
}

/* The argon2id costs JIAYI_PASSWORD_COST may name (password.h). */
static const struct {
    const char *name;
    unsigned long long passes;
    size_t memory;
} COSTS[] = {
    {"interactive", crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE},
    {"moderate", crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE},
    {"minimum", 5, 7168u * 1024u},
};
static unsigned long long cost_passes = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t cost_memory = crypto_pwhash_MEMLIMIT_INTERACTIVE;

int password_init(void)
{
    if (sodium_init() < 0) return -1;
    const char *name = getenv("JIAYI_PASSWORD_COST");
    if (!name || !*name) return 0;
    for (size_t i = 0; i < sizeof COSTS / sizeof COSTS[0]; i++)
        if (!strcmp(name, COSTS[i].name)) {
            cost_passes = COSTS[i].passes;
            cost_memory = COSTS[i].memory;
            return 0;
        }
    return -2;
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
    _Static_assert(crypto_pwhash_STRBYTES <= PASSWORD_HASH_MAX, "hash buffer too small");
    return crypto_pwhash_str_alg(out, password, strlen(password), cost_passes, cost_memory,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0
               ? 0
               : -1;
}

int password_needs_rehash(const char *hash)
{
    return crypto_pwhash_str_needs_rehash(hash, cost_passes, cost_memory) != 0;
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
    size_t n = strlen(password);
    return n >= PASSWORD_MIN_LENGTH && n <= PASSWORD_MAX_BYTES && letter && digit;
}

/* Decodes UTF-8 into at most max code points. Returns their number, or -1 when the text is
 * not well-formed (a stray, truncated or overlong sequence, a surrogate) or longer than max. */
static long utf8_decode(const char *s, uint32_t *out, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        uint32_t c;
        int extra;
        if (*p < 0x80)
            c = *p, extra = 0;
        else if ((*p & 0xE0) == 0xC0)
            c = *p & 0x1Fu, extra = 1;
        else if ((*p & 0xF0) == 0xE0)
            c = *p & 0x0Fu, extra = 2;
        else if ((*p & 0xF8) == 0xF0)
            c = *p & 0x07u, extra = 3;
        else
            return -1;
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xC0) != 0x80) return -1;
            c = c << 6 | (*p & 0x3Fu);
        }
        static const uint32_t LEAST[4] = {0, 0x80, 0x800, 0x10000};
        if (c < LEAST[extra] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return -1;
        if (n == max) return -1;
        out[n++] = c;
    }
    return (long)n;
}

/* Copies s with ASCII letters in lower case (other bytes as they are). */
static void fold_ascii(const char *s, char *out, size_t n)
{
    size_t i = 0;
    for (; s[i] && i + 1 < n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = '\0';
}

static int on_common_list(const char *folded, size_t len)
{
    for (size_t i = 0; i < COMMON_PASSWORD_COUNT; i++)
        if (strlen(COMMON_PASSWORDS[i]) == len && memcmp(COMMON_PASSWORDS[i], folded, len) == 0)
            return 1;
    return 0;
}

static int digit_or_symbol(char c)
{
    return isdigit((unsigned char)c) || ispunct((unsigned char)c);
}

int password_is_common(const char *password)
{
    char folded[PASSWORD_MAX_BYTES + 1];
    uint32_t cp[PASSWORD_MAX_BYTES];
    size_t len = strlen(password);
    if (len > PASSWORD_MAX_BYTES) return 0; /* refused as too long, not as common */
    fold_ascii(password, folded, sizeof folded);
    if (on_common_list(folded, len)) return 1;
    size_t start = 0, end = len;
    while (start < end && digit_or_symbol(folded[start]))
        start++;
    while (end > start && digit_or_symbol(folded[end - 1]))
        end--;
    if (end - start >= 3 && end - start < len && on_common_list(folded + start, end - start))
        return 1;
    long n = utf8_decode(password, cp, sizeof cp / sizeof cp[0]);
    if (n <= 0) return 0;
    int distinct = 0;
    for (long i = 0; i < n && distinct < 4; i++) {
        long j = 0;
        while (j < i && cp[j] != cp[i])
            j++;
        if (j == i) distinct++;
    }
    if (distinct < 4) return 1;
    int up = 1, down = 1;
    for (long i = 1; i < n; i++) {
        if (cp[i] != cp[i - 1] + 1) up = 0;
        if (cp[i] + 1 != cp[i - 1]) down = 0;
    }
    return up || down;
}

/* 1 when haystack contains needle, ASCII letters compared without case. */
static int contains_folded(const char *haystack, const char *needle)
{
    char h[PASSWORD_MAX_BYTES + 1], n[PASSWORD_MAX_BYTES + 1];
    fold_ascii(haystack, h, sizeof h);
    fold_ascii(needle, n, sizeof n);
    return strstr(h, n) != NULL;
}

int password_policy_check(const char *password, const char *username, struct jy_error *err)
{
    uint32_t cp[PASSWORD_MAX_BYTES];
    size_t bytes = strlen(password);
    if (bytes > PASSWORD_MAX_BYTES)
        return jy_fail(err, 422, "password_too_long", "password", "%zu bytes, at most %d", bytes,
                       PASSWORD_MAX_BYTES);
    long chars = utf8_decode(password, cp, sizeof cp / sizeof cp[0]);
    if (chars < 0) return jy_fail(err, 422, "password_invalid", "password", "not UTF-8 text");
    for (long i = 0; i < chars; i++)
        if (cp[i] < 0x20 || cp[i] == 0x7F)
            return jy_fail(err, 422, "password_invalid", "password", "a control character");
    if (chars < PASSWORD_POLICY_MIN_CHARS)
        return jy_fail(err, 422, "password_too_short", "password", "%ld characters, at least %d",
                       chars, PASSWORD_POLICY_MIN_CHARS);
    uint32_t ucp[PASSWORD_MAX_BYTES];
    long user_chars = username && strlen(username) <= PASSWORD_MAX_BYTES
                          ? utf8_decode(username, ucp, sizeof ucp / sizeof ucp[0])
                          : -1;
    if (user_chars > 0 && contains_folded(password, username) &&
        (user_chars >= 3 || strlen(username) == bytes))
        return jy_fail(err, 422, "password_contains_username", "password", NULL);
    if (password_is_common(password))
        return jy_fail(err, 422, "password_too_common", "password", NULL);
    return 0;
}
