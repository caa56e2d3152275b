/* page.c (store) - keyset pagination: ask for one row more than the page to learn
 * whether a next page exists, without counting. */
#include "store/page.h"

#include <stdio.h>

json_t *store_read_page(struct db_stmt *st, int limit, int64_t *next_cursor,
                        json_t *(*row)(struct db_stmt *st, void *arg), void *arg)
{
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
    if (db_step(st) != DB_ROW) return -2;
    const char *text = db_column_text(st, 0);
    snprintf(out, n, "%s", text ? text : "");
    db_run(st);
    return 0;
}
