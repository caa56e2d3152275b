/* throttle.c - the login throttle's counters: a fixed open-addressed table, so memory stays
 * bounded whatever an attacker sends. Entries are found by a keyed BLAKE2b hash of (kind,
 * account, address), with a key drawn at start: nobody can aim names at one slot to evict a
 * victim's counter, and long names cannot be cut into sharing one. When a slot must be reused
 * the least recently touched entry without an attempt in flight goes. */
#include "auth/throttle.h"

#include <arpa/inet.h>
#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 16384
#define PROBES 8

enum kind { KIND_PAIR, KIND_ADDRESS, KIND_ACCOUNT, KIND_KNOWN };

static const int LIMITS[3] = {THROTTLE_MAX_PER_USER, THROTTLE_MAX_PER_ADDRESS,
                              THROTTLE_MAX_PER_ACCOUNT};

struct entry {
    unsigned char key[THROTTLE_KEY_BYTES];
    int used;
    int failures;
    int pending;    /* admitted attempts not yet settled */
    time_t first;   /* the window's start; for KIND_KNOWN the last success */
    time_t touched; /* last use, for reuse of the slot */
};

static struct entry table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char hash_secret[crypto_generichash_KEYBYTES];
static pthread_once_t secret_once = PTHREAD_ONCE_INIT;

static void make_secret(void)
{
    if (sodium_init() < 0) abort();
    randombytes_buf(hash_secret, sizeof hash_secret);
}

/* The address as counted: IPv4 as is, IPv6 by its /64 (inet_ntop's canonical text). */
static void address_counted(const char *address, char *out, size_t n)
{
    unsigned char a6[16];
    if (inet_pton(AF_INET6, address, a6) == 1) {
        memset(a6 + 8, 0, 8);
        if (inet_ntop(AF_INET6, a6, out, (socklen_t)n)) return;
    }
    snprintf(out, n, "%s", address);
}

static void make_key(enum kind kind, const char *account, const char *address,
                     unsigned char out[THROTTLE_KEY_BYTES])
{
    pthread_once(&secret_once, make_secret);
    crypto_generichash_state st;
    unsigned char k = (unsigned char)kind, zero = 0;
    crypto_generichash_init(&st, hash_secret, sizeof hash_secret, THROTTLE_KEY_BYTES);
    crypto_generichash_update(&st, &k, 1);
    if (account) {
        for (const char *p = account; *p; p++) {
            unsigned char c = (unsigned char)*p;
            if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
            crypto_generichash_update(&st, &c, 1);
        }
    }
    crypto_generichash_update(&st, &zero, 1);
    if (address) {
        char counted[64];
        address_counted(address, counted, sizeof counted);
        crypto_generichash_update(&st, (const unsigned char *)counted, strlen(counted));
    }
    crypto_generichash_final(&st, out, THROTTLE_KEY_BYTES);
}

/* The entry for key, or NULL. Lock held. */
static struct entry *lookup(const unsigned char key[THROTTLE_KEY_BYTES])
{
    uint64_t h;
    memcpy(&h, key, sizeof h);
    for (int i = 0; i < PROBES; i++) {
        struct entry *e = &table[(h + (uint64_t)i) % SLOTS];
        if (e->used && memcmp(e->key, key, THROTTLE_KEY_BYTES) == 0) return e;
    }
    return NULL;
}

/* The counter for key, its window restarted when over; with create, a new one in a free slot
 * or in place of the least recently touched entry that has no attempt in flight. NULL when
 * not found (or, with create, when every probed slot holds an attempt in flight). Lock held. */
static struct entry *find(const unsigned char key[THROTTLE_KEY_BYTES], time_t now, int create)
{
    struct entry *e = lookup(key);
    if (e) {
        if (now - e->first > THROTTLE_WINDOW_SECONDS) {
            e->failures = 0;
            e->first = now;
        }
        return e;
    }
    if (!create) return NULL;
    uint64_t h;
    memcpy(&h, key, sizeof h);
    struct entry *victim = NULL;
    for (int i = 0; i < PROBES && !(victim && !victim->used); i++) {
        struct entry *c = &table[(h + (uint64_t)i) % SLOTS];
        if (!c->used)
            victim = c;
        else if (c->pending == 0 && (!victim || c->touched < victim->touched))
            victim = c;
    }
    if (!victim) return NULL;
    memset(victim, 0, sizeof *victim);
    memcpy(victim->key, key, THROTTLE_KEY_BYTES);
    victim->used = 1;
    victim->first = victim->touched = now;
    return victim;
}

static int is_known(const unsigned char key[THROTTLE_KEY_BYTES], time_t now)
{
    const struct entry *e = lookup(key);
    return e && now - e->first <= THROTTLE_KNOWN_SECONDS;
}

int throttle_reserve(const char *account, const char *address, time_t now,
                     struct throttle_ticket *t)
{
    memset(t, 0, sizeof *t);
    make_key(KIND_PAIR, account, address, t->keys[0]);
    make_key(KIND_ADDRESS, NULL, address, t->keys[1]);
    make_key(KIND_ACCOUNT, account, NULL, t->keys[2]);
    make_key(KIND_KNOWN, account, address, t->known_key);
    pthread_mutex_lock(&lock);
    int known = is_known(t->known_key, now);
    struct entry *e[3] = {NULL, NULL, NULL};
    int refused = 0;
    for (int k = 0; k < 3 && !refused; k++) {
        e[k] = find(t->keys[k], now, 1);
        if (!e[k])
            refused = 1; /* the table is full of attempts in flight: fail closed */
        else
            e[k]->pending++; /* held while we look: no later find() may reuse the slot */
    }
    if (!refused) {
        for (int k = 0; k < 3; k++) {
            if (known && k > 0) continue; /* a known address answers only to its own counter */
            if (e[k]->failures + e[k]->pending - 1 >= LIMITS[k]) refused = 1;
        }
    }
    for (int k = 0; k < 3; k++) {
        if (!e[k]) continue;
        e[k]->touched = now;
        if (refused) e[k]->pending--;
    }
    t->admitted = !refused;
    pthread_mutex_unlock(&lock);
    return refused ? -1 : 0;
}

void throttle_settle(struct throttle_ticket *t, enum throttle_outcome outcome, time_t now)
{
    if (!t->admitted) return;
    t->admitted = 0;
    pthread_mutex_lock(&lock);
    struct entry *e[3];
    for (int k = 0; k < 3; k++) {
        /* An entry with an attempt in flight is never reused, so it is still there. */
        e[k] = find(t->keys[k], now, 0);
        assert(e[k] && e[k]->pending > 0);
        if (!e[k]) continue;
        if (e[k]->pending > 0) e[k]->pending--;
        e[k]->touched = now;
        if (outcome == THROTTLE_FAILED) e[k]->failures++;
    }
    if (outcome == THROTTLE_SUCCEEDED && e[0]) {
        int forgiven = e[0]->failures;
        e[0]->failures = 0;
        for (int k = 1; k < 3; k++)
            if (e[k]) e[k]->failures = e[k]->failures > forgiven ? e[k]->failures - forgiven : 0;
    }
    if (outcome == THROTTLE_SUCCEEDED) {
        struct entry *known = find(t->known_key, now, 1);
        if (known) known->first = known->touched = now;
    }
    pthread_mutex_unlock(&lock);
}

void throttle_reset(void)
{
    pthread_mutex_lock(&lock);
    memset(table, 0, sizeof table);
    pthread_mutex_unlock(&lock);
}
