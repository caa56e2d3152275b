/* strmap.c - see strmap.h. FNV-1a hashes; the table doubles past 70% full. */
#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

void strmap_init(struct strmap *m)
{
    memset(m, 0, sizeof *m);
}

void strmap_free(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->values);
    strmap_init(m);
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static size_t slot_of(char *const *keys, size_t cap, const char *key)
{
    size_t i = hash(key) & (cap - 1);
    while (keys[i] && strcmp(keys[i], key) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

static int grow(struct strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    char **keys = calloc(cap, sizeof *keys);
    int64_t *values = calloc(cap, sizeof *values);
    if (!keys || !values) {
        free(keys);
        free(values);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t j = slot_of(keys, cap, m->keys[i]);
            keys[j] = m->keys[i];
            values[j] = m->values[i];
        }
    free(m->keys);
    free(m->values);
    m->keys = keys;
    m->values = values;
    m->cap = cap;
    return 0;
}

int strmap_put(struct strmap *m, const char *key, int64_t value)
{
    if (m->failed) return -1;
    if ((m->used + 1) * 10 > m->cap * 7 && grow(m) < 0) return m->failed = 1, -1;
    size_t i = slot_of(m->keys, m->cap, key);
    if (!m->keys[i]) {
        if (!(m->keys[i] = strdup(key))) return m->failed = 1, -1;
        m->used++;
    }
    m->values[i] = value;
    return 0;
}

int strmap_get(const struct strmap *m, const char *key, int64_t *value)
{
    if (!m->cap) return 0;
    size_t i = slot_of(m->keys, m->cap, key);
    if (!m->keys[i]) return 0;
    *value = m->values[i];
    return 1;
}

int strmap_failed(const struct strmap *m)
{
    return m->failed;
}
