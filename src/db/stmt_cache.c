/* stmt_cache.c - see stmt_cache.h. */
#include "db/stmt_cache.h"

#include <stdint.h>
#include <stdlib.h>

static size_t slot_of(const char *sql, size_t cap)
{
    uintptr_t h = (uintptr_t)sql;
    h ^= h >> 17;
    h *= 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 7) & (cap - 1);
}

int stmt_cache_init(struct stmt_cache *c)
{
    c->cap = 128;
    c->used = 0;
    c->slots = calloc(c->cap, sizeof *c->slots);
    return c->slots ? 0 : -1;
}

struct stmt_key *stmt_cache_get(struct stmt_cache *c, const char *sql)
{
    size_t i = slot_of(sql, c->cap);
    while (c->slots[i] && c->slots[i]->sql != sql)
        i = (i + 1) & (c->cap - 1);
    return c->slots[i];
}

static int grow(struct stmt_cache *c)
{
    size_t cap = c->cap * 2;
    struct stmt_key **slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->slots[i]) continue;
        size_t j = slot_of(c->slots[i]->sql, cap);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = c->slots[i];
    }
    free(c->slots);
    c->slots = slots;
    c->cap = cap;
    return 0;
}

int stmt_cache_put(struct stmt_cache *c, struct stmt_key *st)
{
    if ((c->used + 1) * 2 > c->cap && grow(c) < 0) return -1;
    size_t i = slot_of(st->sql, c->cap);
    while (c->slots[i])
        i = (i + 1) & (c->cap - 1);
    c->slots[i] = st;
    c->used++;
    return 0;
}

void stmt_cache_each(struct stmt_cache *c, void (*each)(struct stmt_key *st))
{
    for (size_t i = 0; i < c->cap; i++)
        if (c->slots[i]) each(c->slots[i]);
}

void stmt_cache_free(struct stmt_cache *c, void (*each)(struct stmt_key *st))
{
    if (c->slots && each) stmt_cache_each(c, each);
    free(c->slots);
    c->slots = NULL;
    c->cap = c->used = 0;
}
