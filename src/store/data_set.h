/* data_set.h (store) - a county's data set for the provincial platform (`jiayi export`):
 * the tables, their columns as the files name them, and one page of rows at a time. */
#ifndef JIAYI_STORE_DATA_SET_H
#define JIAYI_STORE_DATA_SET_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define DATA_SET_MAX_COLUMNS 24

struct data_set_table {
    const char *name;                          /* the file's name without extension */
    const char *columns[DATA_SET_MAX_COLUMNS]; /* NULL-terminated; the first is the row id */
    int resident_column;                       /* the column naming the person; -1 none */
    const char *sql; /* ?1 the county, ?2 the last id seen, ?3 the page size; by id */
};

extern const struct data_set_table DATA_SET_TABLES[];
extern const size_t DATA_SET_TABLE_COUNT;

/* Runs one page of `t` for `county` after id `after`: the statement to step (its columns
 * are t->columns), or NULL on error. */
struct db_stmt *store_data_set_page(struct db *db, const struct data_set_table *t,
                                    const char *county, int64_t after, int limit);

#endif
