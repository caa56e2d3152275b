/* drugs.c (api) - the county drug catalogue (docs/hospital-loop.md "Drugs and prescriptions"):
 * search a version (GET /api/v1/drugs), its versions (GET /api/v1/drugs/versions), and a new
 * version published as a whole (POST /api/v1/drugs/versions): every row validated before
 * anything is written, the first bad one named with its index ("items[41].strength"). The
 * catalogue holds no one's data, so it is readable by every staff role of the county. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "json/jsonx.h"
#include "store/prescriptions.h"

#define MAX_CATALOGUE_ITEMS 5000

/* ?name=true|false: 1 or 0; -1 when absent. Replies 422 and returns -2 when malformed. */
static int query_flag_or_reply(struct request *r, const char *name, int *out)
{
    const char *v = request_query(r, name);
    *out = -1;
    if (!v) return 0;
    if (strcmp(v, "true") == 0) return *out = 1, 0;
    if (strcmp(v, "false") == 0) return *out = 0, 0;
    reply_problem(r, 422, "invalid_field", name);
    return -2;
}

int handle_drugs_list(struct request *r)
{
    int village, primary, limit;
    int64_t cursor, total = 0;
    if (query_flag_or_reply(r, "village", &village) < 0 ||
        query_flag_or_reply(r, "primary", &primary) < 0 || request_page(r, &limit, &cursor) < 0)
        return -1;
    const char *q = request_query(r, "q"), *version_text = request_query(r, "version");
    if (q && (jx_utf8_length(q) < 0 || strlen(q) > 60))
        return reply_problem(r, 422, "invalid_field", "q");
    int version = store_drug_current_version(r->db);
    if (version < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (version_text) {
        char *end;
        long v = strtol(version_text, &end, 10);
        if (*end || v < 1 || v > 1000000) return reply_problem(r, 422, "invalid_field", "version");
        int exists = store_drug_version_exists(r->db, (int)v);
        if (exists < 0) return reply_problem(r, 500, "internal_error", NULL);
        if (!exists) return reply_problem(r, 404, "not_found", "version");
        version = (int)v;
    }
    if (cursor > 1000000) return reply_problem(r, 422, "invalid_field", "cursor");
    json_t *items =
        store_drugs_search(r->db, version, q, village, primary, limit, (int)cursor, &total);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    int64_t next = cursor + (int64_t)json_array_size(items) < total ? cursor + limit : 0;
    json_t *out = api_page(items, next, total);
    json_object_set_new(out, "version", json_integer(version));
    return reply_json(r, 200, out);
}

int handle_drug_versions_list(struct request *r)
{
    json_t *items = store_drug_versions_list(r->db);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    int current =
        items && json_array_size(items)
            ? (int)json_integer_value(json_object_get(json_array_get(items, 0), "version"))
            : 0;
    return reply_json(r, 200, json_pack("{s:o, s:i}", "items", items, "current", current));
}

/* A field of row i failed: the field named "items[i].<field>". */
static int row_error(struct jy_error *err, size_t i)
{
    char field[160];
    snprintf(field, sizeof field, "items[%zu].%s", i, err->field);
    snprintf(err->field, sizeof err->field, "%.63s", field);
    return -1;
}

/* One catalogue row from the body; the strings borrow from it. */
static int read_drug(json_t *row, size_t i, struct drug *d, struct jy_error *err)
{
    static const char *const CLASSES[] = {"A", "B", "none", NULL};
    memset(d, 0, sizeof *d);
    if (!json_is_object(row)) {
        char field[32];
        snprintf(field, sizeof field, "items[%zu]", i);
        return jy_fail(err, 422, "invalid_field", field, "an object");
    }
    d->insurance_class = "none";
    if (jx_string(row, "code", JX_REQUIRED, 40, &d->code, err) < 0 ||
        jx_string(row, "generic_name", JX_REQUIRED, 60, &d->generic_name, err) < 0 ||
        jx_string(row, "name_en", JX_OPTIONAL, 100, &d->name_en, err) < 0 ||
        jx_string(row, "pinyin", JX_OPTIONAL, 30, &d->pinyin, err) < 0 ||
        jx_string(row, "dosage_form", JX_REQUIRED, 20, &d->dosage_form, err) < 0 ||
        jx_string(row, "strength", JX_REQUIRED, 40, &d->strength, err) < 0 ||
        jx_string(row, "unit", JX_REQUIRED, 10, &d->unit, err) < 0 ||
        jx_string(row, "package", JX_OPTIONAL, 30, &d->package, err) < 0 ||
        jx_enum(row, "insurance_class", JX_OPTIONAL, CLASSES, &d->insurance_class, err) < 0 ||
        jx_bool(row, "essential", JX_OPTIONAL, &d->essential, NULL, err) < 0 ||
        jx_bool(row, "village", JX_OPTIONAL, &d->village, NULL, err) < 0 ||
        jx_bool(row, "primary_care", JX_OPTIONAL, &d->primary_care, NULL, err) < 0)
        return row_error(err, i);
    /* Codes are what prescriptions and searches name: printable ASCII without spaces. */
    for (const char *p = d->code; *p; p++)
        if (*p <= ' ' || *p > '~') {
            jy_fail(err, 422, "invalid_field", "code", "printable ASCII without spaces");
            return row_error(err, i);
        }
    for (const char *p = d->pinyin; p && *p; p++)
        if (!(*p >= 'a' && *p <= 'z')) {
            jy_fail(err, 422, "invalid_field", "pinyin", "lower-case initials a-z");
            return row_error(err, i);
        }
    return 0;
}

int handle_drug_version_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *note = NULL;
    struct date published = date_today();
    int rc = -1;
    json_t *items = json_object_get(body, "items");
    if (jx_string(body, "note", JX_OPTIONAL, 200, &note, &err) < 0 ||
        jx_date(body, "published_on", JX_OPTIONAL, &published, NULL, &err) < 0)
        goto fail;
    if (!items) {
        jy_fail(&err, 422, "missing_field", "items", NULL);
        goto fail;
    }
    if (!json_is_array(items) || json_array_size(items) == 0 ||
        json_array_size(items) > MAX_CATALOGUE_ITEMS) {
        jy_fail(&err, 422, "invalid_field", "items", "a list of 1 to %d drugs",
                MAX_CATALOGUE_ITEMS);
        goto fail;
    }
    /* Every row checked before the writer is taken: a bad catalogue costs nobody a wait. */
    size_t i, n = json_array_size(items);
    json_t *row;
    struct drug d;
    json_array_foreach(items, i, row)
        if (read_drug(row, i, &d, &err) < 0) goto fail;
    char published_text[11];
    date_format(published, published_text);
    if (api_begin(r) < 0) goto done;
    int version = store_drug_version_insert(r->db, published_text, r->user.user_id, note);
    if (version < 0) goto internal;
    for (i = 0; i < n; i++) {
        read_drug(json_array_get(items, i), i, &d, &err);
        int put = store_drug_insert(r->db, version, &d);
        if (put == DB_CONSTRAINT) { /* the same code twice in one list */
            jy_fail(&err, 422, "duplicate_drug_code", "code", NULL);
            jy_error_value(&err, d.code);
            row_error(&err, i);
            rc = api_fail(r, &err);
            goto done;
        }
        if (put < 0) goto internal;
    }
    if (api_audit(r, "create", "drug_catalogue", version, 0) < 0 || api_commit(r) < 0) goto done;
    rc = reply_json(r, 201,
                    json_pack("{s:i, s:s, s:s?, s:I}", "version", version, "published_on",
                              published_text, "note", note, "drugs", (json_int_t)n));
    goto done;
internal:
    rc = api_fail_internal(r, "drug catalogue");
    goto done;
fail:
    rc = reply_error(r, &err);
done:
    return rc;
}
