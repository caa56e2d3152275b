/* protocol_lists.h (store) - the versioned list settings (migration 007, keys and defaults
 * in domain/protocol_lists.h). A value is a JSON array stored as text; each change is a
 * new row with the next version of its key, the newest version wins, and a key without
 * rows reads as its built-in default. The store neither knows the keys' meaning nor
 * checks items: the API checks a value before it is stored. */
#ifndef JIAYI_STORE_PROTOCOL_LISTS_H
#define JIAYI_STORE_PROTOCOL_LISTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/protocol_lists.h"
#include "store/status.h"

/* The value of `list` now in force into *out: the strings of its newest version, else its
 * default. One allocation holds the pointers and the strings: the caller frees it with
 * free((void *)out->items). Returns the version (0: the default), -1 on a database
 * failure, a stored value that is not a JSON array of strings, or no memory (logged). */
JY_MUST_USE int store_protocol_list_load(struct db *db, const struct protocol_list *list,
                                         struct string_list *out);
/* Stores `value` (JSON array text) as the next version of `key`; returns the new row's id
 * (for the audit entry) and the version in *version, or -1 on error. Inside a transaction. */
JY_MUST_USE int64_t store_protocol_list_set(struct db *db, const char *key, const char *value,
                                            int64_t user_id, int *version);
/* [{key, value, default, version, changed_at, changed_by}] for every key of PROTOCOL_LISTS,
 * version 0 and changed_at null for a key never set. NULL on error. */
json_t *store_protocol_lists(struct db *db);

#endif
