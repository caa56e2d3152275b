/* throttle.c - a small fixed table of failure counters; the stalest entry is evicted when
 * full, so memory stays bounded whatever an attacker sends. */
#include "auth/throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096

struct counter {
    char key[96];
    int failures;
    time_t first;
};

static struct counter table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long hash_key(const char *s)
{
    unsigned long h = 5381;
    for (; *s; s++) h = h * 33 + (unsigned char)*s;
    return h;
}

/* Returns the slot for key: its own, a free one, or the stalest among 8 probes. */
static struct counter *slot_for(const char *key, time_t now, int create)
{
    unsigned long h = hash_key(key);
    struct counter *stalest = NULL;
    for (int i = 0; i < 8; i++) {
        struct counter *c = &table[(h + (unsigned long)i) % SLOTS];
        if (c->key[0] && strcmp(c->key, key) == 0) {
            if (now - c->first > THROTTLE_WINDOW_SECONDS) c->failures = 0, c->first = now;
            return c;
        }
        if (!stalest || !c->key[0] || c->first < stalest->first) stalest = c;
    }
    if (!create) return NULL;
    snprintf(stalest->key, sizeof stalest->key, "%s", key);
    stalest->failures = 0;
    stalest->first = now;
    return stalest;
}

int throttle_blocked(const char *key, int max, time_t now)
{
    pthread_mutex_lock(&lock);
    struct counter *c = slot_for(key, now, 0);
    int blocked = c && c->failures >= max;
    pthread_mutex_unlock(&lock);
    return blocked;
}

void throttle_fail(const char *key, time_t now)
{
    pthread_mutex_lock(&lock);
    struct counter *c = slot_for(key, now, 1);
    c->failures++;
    pthread_mutex_unlock(&lock);
}

void throttle_clear(const char *key)
{
    pthread_mutex_lock(&lock);
    struct counter *c = slot_for(key, 0, 0);
    if (c) c->key[0] = '\0';
    pthread_mutex_unlock(&lock);
}
