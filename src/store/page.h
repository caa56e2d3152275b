/* page.h (store) - reading one page of a list query (the one place cursor logic lives),
 * one text column of one row by id, and a list of objects built one by one from their ids. */
#ifndef JIAYI_STORE_PAGE_H
#define JIAYI_STORE_PAGE_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* Steps `st`, whose first column is the row id and whose SQL has LIMIT limit + 1; builds
 * each of the first `limit` rows with row(st, arg). *next_cursor is the last id returned
 * when the extra row shows there is more, else 0. Returns the JSON array, NULL on error. */
json_t *store_read_page(struct db_stmt *st, int limit, int64_t *next_cursor,
                        json_t *(*row)(struct db_stmt *st, void *arg), void *arg);

/* Runs `sql` (one ?1 id parameter, one text column) and copies the first row's text into
 * out: 0, STORE_NOT_FOUND when there is no row, -1 on error. */
JY_MUST_USE int store_text_by_id(struct db *db, const char *sql, int64_t id, char *out, size_t n);

/* Steps `st`, whose first column is an id, and builds each row (at most `max`) with one(db,
 * id) once the statement is done (so that one() may run queries of its own): the JSON array,
 * NULL on error. */
json_t *store_objects_by_id(struct db *db, struct db_stmt *st, int max,
                            json_t *(*one)(struct db *db, int64_t id));

/* A column as a JSON integer, or JSON null when SQL NULL. */
json_t *store_int_or_null(struct db_stmt *st, int col);

#endif
