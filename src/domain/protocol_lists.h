/* protocol_lists.h - the [jiayi] settings that are lists of short strings rather than
 * integers: the words an exam conclusion is read with (domain/conclusion.h), the services a
 * recorded service uses up (domain/entitlement_use.h), other vocabularies later. Each key
 * has a built-in default written here in domain/; a locality replaces a key's whole list
 * through PUT /protocol-lists/{key}, each change stored as a new version
 * (store/protocol_lists.h), the newest version winning and a key never set reading as its
 * default.
 *
 * Adding a key: a NULL-terminated default array, a row in PROTOCOL_LISTS (protocol_lists.c)
 * with the item check its readers rely on, and the code that reads it loads it with
 * store_protocol_list_load. Nothing else changes: the table and both routes are generic.
 * Pure: no I/O. */
#ifndef JIAYI_DOMAIN_PROTOCOL_LISTS_H
#define JIAYI_DOMAIN_PROTOCOL_LISTS_H

#include <stddef.h>

#define PROTOCOL_LIST_MAX_ITEMS 500 /* items in one list */
#define PROTOCOL_LIST_MAX_CHARS 40  /* characters (UTF-8 code points) in one item */

/* A list of strings as a rule reads it: `count` items, none NULL. */
struct string_list {
    const char *const *items;
    size_t count;
};

struct protocol_list {
    const char *key;
    const char *const *defaults; /* NULL-terminated: the value until the key is first set */
    /* 1 when an item can be stored under this key, beyond the common limits; NULL: any. */
    int (*item_valid)(const char *item);
};

/* Every key; ends with a NULL key. */
extern const struct protocol_list PROTOCOL_LISTS[];
/* The list of a key, or NULL. */
const struct protocol_list *protocol_list_find(const char *key);
/* The built-in default as a string_list (pointing at static storage, nothing to free). */
struct string_list protocol_list_default(const struct protocol_list *list);

enum protocol_list_problem {
    LIST_OK,
    LIST_TOO_MANY,      /* more than PROTOCOL_LIST_MAX_ITEMS */
    LIST_ITEM_EMPTY,    /* "" */
    LIST_ITEM_TOO_LONG, /* more than PROTOCOL_LIST_MAX_CHARS characters */
    LIST_ITEM_INVALID,  /* refused by the key's item_valid */
    LIST_ITEM_DUPLICATE /* equal to an earlier item, ignoring ASCII case */
};
/* Whether `items` (valid UTF-8, count of them) may become the value of `list`; on a
 * problem with one item, *bad is its index (the later one of a duplicate pair). */
enum protocol_list_problem protocol_list_check(const struct protocol_list *list,
                                               const char *const *items, size_t count, size_t *bad);

#endif
