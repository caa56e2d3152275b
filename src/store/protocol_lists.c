/* protocol_lists.c (store) - see protocol_lists.h. */
#include "store/protocol_lists.h"

#include <stdlib.h>
#include <string.h>

#include "json/jsonx.h"
#include "util/log.h"

static const char NEWEST[] = "SELECT value, version, changed_at, changed_by FROM protocol_lists"
                             " WHERE key = ?1 ORDER BY version DESC LIMIT 1";

/* The default as one allocation of pointers to the static strings. */
static int load_default(const struct protocol_list *list, struct string_list *out)
{
    struct string_list d = protocol_list_default(list);
    const char **items = malloc((d.count ? d.count : 1) * sizeof *items);
    if (!items) return -1;
    memcpy(items, d.items, d.count * sizeof *items);
    out->items = items;
    out->count = d.count;
    return 0;
}

/* The strings of a JSON array copied behind their pointers, in one allocation. */
static int load_value(const char *key, const json_t *array, struct string_list *out)
{
    size_t n = json_array_size(array), bytes = (n ? n : 1) * sizeof(char *);
    for (size_t i = 0; i < n; i++) {
        const json_t *item = json_array_get(array, i);
        if (!json_is_string(item)) {
            log_error("protocol list %s: item %zu is not a string", key, i);
            return -1;
        }
        bytes += json_string_length(item) + 1;
    }
    const char **items = malloc(bytes);
    if (!items) return -1;
    char *text = (char *)(items + (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        const json_t *item = json_array_get(array, i);
        size_t len = json_string_length(item);
        memcpy(text, json_string_value(item), len + 1);
        items[i] = text;
        text += len + 1;
    }
    out->items = items;
    out->count = n;
    return 0;
}

int store_protocol_list_load(struct db *db, const struct protocol_list *list,
                             struct string_list *out)
{
    out->items = NULL;
    out->count = 0;
    struct db_stmt *st = db_prepare(db, NEWEST);
    if (!st) return -1;
    db_bind_text(st, 1, list->key);
    int rc = db_step(st);
    if (rc == DB_DONE) return load_default(list, out) < 0 ? -1 : 0;
    if (rc != DB_ROW) return -1;
    int version = (int)db_column_int(st, 1);
    json_t *value = json_loads(db_column_text(st, 0), 0, NULL);
    db_run(st); /* done with the row: let go of the read */
    if (!json_is_array(value)) {
        log_error("protocol list %s version %d is not a JSON array", list->key, version);
        json_decref(value);
        return -1;
    }
    rc = load_value(list->key, value, out);
    json_decref(value);
    return rc < 0 ? -1 : version;
}

int64_t store_protocol_list_set(struct db *db, const char *key, const char *value, int64_t user_id,
                                int *version)
{
    static const char SQL[] =
        "INSERT INTO protocol_lists (key, version, value, changed_by) VALUES"
        " (?1, (SELECT coalesce(max(version), 0) + 1 FROM protocol_lists WHERE key = ?1), ?2, ?3)"
        " RETURNING id, version";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, value);
    db_bind_int(st, 3, user_id);
    if (db_step(st) != DB_ROW) return -1;
    int64_t id = db_column_int(st, 0);
    *version = (int)db_column_int(st, 1);
    return db_run(st) == DB_DONE ? id : -1;
}

static json_t *strings_json(const char *const *items)
{
    json_t *array = json_array();
    for (size_t i = 0; items[i]; i++)
        json_array_append_new(array, json_string(items[i]));
    return array;
}

json_t *store_protocol_lists(struct db *db)
{
    json_t *out = json_array();
    for (const struct protocol_list *l = PROTOCOL_LISTS; l->key; l++) {
        json_t *o = json_pack("{s:s, s:o, s:o, s:i, s:n, s:n}", "key", l->key, "value",
                              strings_json(l->defaults), "default", strings_json(l->defaults),
                              "version", 0, "changed_at", "changed_by");
        json_array_append_new(out, o);
        struct db_stmt *st = db_prepare(db, NEWEST);
        if (!st) return json_decref(out), NULL;
        db_bind_text(st, 1, l->key);
        int rc = db_step(st);
        if (rc == DB_DONE) continue;
        if (rc != DB_ROW) return json_decref(out), NULL;
        json_t *value = json_loads(db_column_text(st, 0), 0, NULL);
        if (!json_is_array(value)) {
            log_error("protocol list %s is not a JSON array", l->key);
            json_decref(value);
            db_run(st);
            return json_decref(out), NULL;
        }
        json_object_set_new(o, "value", value);
        json_object_set_new(o, "version", json_integer(db_column_int(st, 1)));
        jx_set_string_or_null(o, "changed_at", db_column_text(st, 2));
        json_object_set_new(o, "changed_by",
                            db_column_is_null(st, 3) ? json_null()
                                                     : json_integer(db_column_int(st, 3)));
        db_run(st);
    }
    return out;
}
