/* protocol_lists.c (api) - the versioned list settings (domain/protocol_lists.h): GET
 * /protocol-lists answers every key with its value, default and version; PUT
 * /protocol-lists/{key} replaces one key's whole list. A change is checked item by item
 * (the 422 names the item, "values[3]"), stored as the key's next version and audited in
 * the same transaction; the next reader (an exam import) uses it. Sending the list in
 * force again changes nothing and adds no version. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "json/jsondump.h"
#include "store/protocol_lists.h"

int handle_protocol_lists_get(struct request *r)
{
    json_t *items = store_protocol_lists(r->db);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* Replies 422 naming the item: values[i]. */
static int reply_item(struct request *r, const char *code, size_t i)
{
    char field[32];
    snprintf(field, sizeof field, "values[%zu]", i);
    return reply_problem(r, 422, code, field);
}

/* Reads body.values into items (borrowed from body) or replies 422. */
static int values_or_reply(struct request *r, const struct protocol_list *list, json_t *body,
                           const char **items, size_t *count)
{
    json_t *values = json_object_get(body, "values");
    if (!values) return reply_problem(r, 422, "missing_field", "values");
    if (!json_is_array(values)) return reply_problem(r, 422, "invalid_field", "values");
    size_t n = json_array_size(values);
    if (n > PROTOCOL_LIST_MAX_ITEMS) return reply_problem(r, 422, "too_long", "values");
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(values, i);
        /* Strings are valid UTF-8 without NUL: the body parser refuses anything else. */
        if (!json_is_string(item)) return reply_item(r, "invalid_field", i);
        items[i] = json_string_value(item);
    }
    size_t bad;
    switch (protocol_list_check(list, items, n, &bad)) {
    case LIST_OK:
        break;
    case LIST_TOO_MANY:
        return reply_problem(r, 422, "too_long", "values");
    case LIST_ITEM_TOO_LONG:
        return reply_item(r, "too_long", bad);
    case LIST_ITEM_EMPTY:
    case LIST_ITEM_INVALID:
    case LIST_ITEM_DUPLICATE:
        return reply_item(r, "invalid_field", bad);
    }
    *count = n;
    return 0;
}

/* 1 when the list in force holds exactly `items`, in order; -1 on a failure. */
static int unchanged(struct db *db, const struct protocol_list *list, const char *const *items,
                     size_t count)
{
    struct string_list now;
    if (store_protocol_list_load(db, list, &now) < 0) return -1;
    int same = now.count == count;
    for (size_t i = 0; same && i < count; i++)
        same = strcmp(now.items[i], items[i]) == 0;
    free((void *)now.items);
    return same;
}

/* Answers the key's entry as GET lists it. */
static int reply_entry(struct request *r, const char *key)
{
    json_t *all = store_protocol_lists(r->db), *item;
    if (!all) return reply_problem(r, 500, "internal_error", NULL);
    size_t i;
    json_array_foreach(all, i, item) {
        if (strcmp(json_string_value(json_object_get(item, "key")), key) == 0) {
            json_incref(item);
            json_decref(all);
            return reply_json(r, 200, item);
        }
    }
    json_decref(all);
    return reply_problem(r, 404, "not_found", NULL);
}

static int put_list(struct request *r, const struct protocol_list *list, json_t *body)
{
    const char *items[PROTOCOL_LIST_MAX_ITEMS];
    size_t count = 0;
    if (values_or_reply(r, list, body, items, &count) < 0) return -1;
    int same = unchanged(r->db, list, items, count);
    if (same < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (same) return reply_entry(r, list->key);
    char *value = jsonx_dumps(json_object_get(body, "values"));
    if (!value) return reply_problem(r, 500, "internal_error", NULL);
    if (api_begin(r) < 0) return free(value), -1;
    int version;
    int64_t id = store_protocol_list_set(r->db, list->key, value, r->user.user_id, &version);
    free(value);
    if (id < 0) return api_fail_internal(r, "protocol list");
    if (api_audit(r, "update", "protocol_list", id, 0) < 0) return -1;
    if (api_commit(r) < 0) return -1;
    return reply_entry(r, list->key);
}

/* PUT {"values": ["...", ...]}: the key's new list, whole. */
int handle_protocol_list_put(struct request *r)
{
    const struct protocol_list *list = protocol_list_find(r->params[0]);
    if (!list) return reply_problem(r, 404, "not_found", NULL);
    json_t *body = request_json_body(r);
    if (!body) return -1;
    int rc = put_list(r, list, body);
    return rc;
}
