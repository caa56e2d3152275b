/* import_routes.c - POST /api/v1/imports (a file imported by api/imports.c on the shared
 * writer, a chunk per request transaction, so the writer is never held for a whole file
 * unless the import is all-or-nothing), GET /api/v1/imports/{id} (an import's status, also
 * while it runs, and its rejected rows) and GET /api/v1/imports (the caller's imports). */
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/idempotency.h"
#include "api/imports.h"
#include "auth/scope.h"
#include "http/messages.h"
#include "store/imports.h"
#include "util/utf8.h"

/* The request's transactions for the engine. A failure to begin or commit has been answered
 * by api_begin/api_commit: the handler must not answer again. */
struct http_import {
    struct request *r;
    int answered;
};

static struct db *http_begin(void *ctx)
{
    struct http_import *h = ctx;
    if (api_begin(h->r) < 0) {
        h->answered = 1;
        return NULL;
    }
    return h->r->db;
}

static int http_commit(void *ctx)
{
    struct http_import *h = ctx;
    if (api_commit(h->r) < 0) return h->answered = 1, -1;
    return 0;
}

static void http_rollback(void *ctx)
{
    struct http_import *h = ctx;
    api_rollback(h->r);
}

static json_t *messages_for(json_t *errors, int en)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
        json_object_set_new(
            e, "message",
            json_string(message_for(json_string_value(json_object_get(e, "code")), en)));
    return errors;
}

int handle_import_create(struct request *r)
{
    const char *kind = request_query(r, "kind"), *mode = request_query(r, "mode"),
               *source = request_query(r, "source");
    if (!kind) return reply_problem(r, 422, "missing_field", "kind");
    if (!import_kind_known(kind)) return reply_problem(r, 422, "invalid_field", "kind");
    /* A file of records is the same write as the API's one by one: the same role. */
    if (!role_allows(r->user.role, import_kind_action(kind)))
        return reply_problem(r, 403, "out_of_role", "kind");
    if (!mode) mode = "good";
    if (strcmp(mode, "good") && strcmp(mode, "all"))
        return reply_problem(r, 422, "invalid_field", "mode");
    if (!source || !*source) source = "upload";
    if (!utf8_valid(source, strlen(source)) || strlen(source) > 300)
        return reply_problem(r, 422, "invalid_field", "source");
    struct scope_regions scope;
    if (scope_regions_load_or_reply(r, &scope) < 0) return -1;
    idempotency_chunked(r); /* a chunk a transaction: the key's answer is kept after the last */
    struct import_request req = {
        kind,        mode,     source,        r->body,
        r->body_len, &r->user, r->request_id, r->user.role == ROLE_SYSTEM_ADMIN ? NULL : &scope,
        date_today()};
    struct http_import h = {r, 0};
    struct import_io io = {http_begin, http_commit, http_rollback, NULL, &h};
    struct import_result res;
    struct jy_error err;
    if (import_run(r->db, &req, &io, &res, &err) < 0) return h.answered ? -1 : reply_error(r, &err);
    json_t *out = json_pack(
        "{s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:o, s:b}", "import_id",
        (json_int_t)res.import_id, "kind", kind, "mode", mode, "status", res.status, "rows",
        (int)res.rows, "accepted", (int)res.accepted, "unchanged", (int)res.unchanged, "rejected",
        (int)res.rejected, "stored_to_row", res.stored_to_row, "errors",
        messages_for(res.errors, r->lang_en), "errors_truncated", res.errors_truncated);
    return reply_json(r, strcmp(res.status, "partial") ? 200 : 207, out);
}

/* An import the caller may see: their own, or any for a system admin. Others read as none. */
static json_t *visible_import_or_reply(struct request *r, int64_t id)
{
    int found;
    json_t *imp = store_import_get(r->db, id, &found);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL), NULL;
    if (!imp || (r->user.role != ROLE_SYSTEM_ADMIN &&
                 json_integer_value(json_object_get(imp, "user_id")) != r->user.user_id)) {
        json_decref(imp);
        return reply_problem(r, 404, "not_found", NULL), NULL;
    }
    return imp;
}

int handle_import_get(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    json_t *imp = visible_import_or_reply(r, id);
    if (!imp) return -1;
    json_t *errors = store_import_rejects(r->db, id, 1000);
    if (!errors) {
        json_decref(imp);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    json_object_set_new(imp, "errors", messages_for(errors, r->lang_en));
    return reply_json(r, 200, imp);
}

int handle_imports_list(struct request *r)
{
    json_t *items =
        store_imports_list(r->db, r->user.role == ROLE_SYSTEM_ADMIN ? 0 : r->user.user_id, 100);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}
