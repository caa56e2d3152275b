/* page.c (store) - keyset pagination: ask for one row more than the page to learn
 * whether a next page exists, without counting. */
#include "store/page.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

json_t *store_read_page(struct db_stmt *st, int limit, int64_t *next_cursor,
                        json_t *(*row)(struct db_stmt *st, void *arg), void *arg)
{
    assert(limit > 0 && next_cursor && row); /* request_page bounds the limit */
    json_t *items = json_array();
    int n = 0, rc;
    int64_t last = 0;
    *next_cursor = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == limit) {
            *next_cursor = last;
            rc = db_run(st);
            break;
        }
        last = db_column_int(st, 0);
        json_array_append_new(items, row(st, arg));
        n++;
    }
    if (rc < 0) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int store_text_by_id(struct db *db, const char *sql, int64_t id, char *out, size_t n)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return STORE_NOT_FOUND;
    const char *text = db_column_text(st, 0);
    snprintf(out, n, "%s", text ? text : "");
    db_run(st);
    return 0;
}

json_t *store_objects_by_id(struct db *db, struct db_stmt *st, int max,
                            json_t *(*one)(struct db *db, int64_t id))
{
    int64_t *ids = calloc((size_t)max, sizeof *ids);
    if (!ids) {
        db_run(st);
        return NULL;
    }
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW)
        if (n < max) ids[n++] = db_column_int(st, 0);
    json_t *list = rc == DB_DONE ? json_array() : NULL;
    for (int i = 0; list && i < n; i++) {
        json_t *o = one(db, ids[i]);
        if (!o) {
            json_decref(list);
            list = NULL;
        } else {
            json_array_append_new(list, o);
        }
    }
    free(ids);
    return list;
}

json_t *store_int_or_null(struct db_stmt *st, int col)
{
    return db_column_is_null(st, col) ? json_null() : json_integer(db_column_int(st, col));
}
