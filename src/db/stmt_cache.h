/* stmt_cache.h - a connection's prepared statements, found by the address of their SQL text
 * (static strings next to the store function that uses them). Shared by the backends: each
 * backend's struct db_stmt starts with struct stmt_key. Open addressing; each statement is
 * its own allocation, so growing never moves a statement a caller still holds. */
#ifndef JIAYI_DB_STMT_CACHE_H
#define JIAYI_DB_STMT_CACHE_H

#include <stddef.h>

struct db;

struct stmt_key {
    struct db *db; /* first: db.c finds the backend from a statement alone */
    const char *sql;
};

struct stmt_cache {
    struct stmt_key **slots;
    size_t cap, used;
};

int stmt_cache_init(struct stmt_cache *c);
/* The statement cached for `sql`, or NULL. */
struct stmt_key *stmt_cache_get(struct stmt_cache *c, const char *sql);
/* Adds a statement (its key's sql not cached yet); 0, or -1 when out of memory. */
int stmt_cache_put(struct stmt_cache *c, struct stmt_key *st);
/* Calls `each` on every cached statement, then frees the table (not the statements). */
void stmt_cache_free(struct stmt_cache *c, void (*each)(struct stmt_key *st));
/* Calls `each` on every cached statement. */
void stmt_cache_each(struct stmt_cache *c, void (*each)(struct stmt_key *st));

#endif
