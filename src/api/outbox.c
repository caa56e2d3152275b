/* outbox.c (api) - the outbox seen from outside (docs/resident-loop.md, "The outbox"):
 * GET /outbox for the system admin and a centre's admin (their area: the messages to the
 * residents registered in it; never the text of a one-time code), and POST /outbox/receipts,
 * where a channel that reports delivery says what became of a message it took. Receipts
 * carry no login: the channel proves itself with JIAYI_OUTBOX_RECEIPT_TOKEN (refused when
 * the server has none), compared in constant time. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "json/jsonx.h"
#include "store/outbox.h"
#include "util/log.h"

static const char *const STATUSES[] = {"pending", "sent",      "delivered", "failed",
                                       "dead",    "cancelled", NULL};
static const char *const KINDS[] = {"otp",     "reminder", "content", "consultation",
                                    "booking", "survey",   "notice",  NULL};

static int one_of(const char *value, const char *const *allowed)
{
    for (int i = 0; allowed[i]; i++)
        if (!strcmp(value, allowed[i])) return 1;
    return 0;
}

int handle_outbox_list(struct request *r)
{
    const char *status = request_query(r, "status"), *kind = request_query(r, "kind");
    const char *region = request_query(r, "region");
    int limit;
    int64_t cursor;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    if (status && !one_of(status, STATUSES))
        return reply_problem(r, 422, "invalid_field", "status");
    if (kind && !one_of(kind, KINDS)) return reply_problem(r, 422, "invalid_field", "kind");
    /* A centre's admin sees their area's residents' messages; another area is refused. The
     * system admin sees every message, or one area's. */
    if (!region && r->user.role != ROLE_SYSTEM_ADMIN) region = r->user.scope_region;
    if (r->user.role != ROLE_SYSTEM_ADMIN && (!region || !*region))
        return reply_problem(r, 403, "out_of_scope", "region");
    if (region && scope_require_region_inside(r, region, "region") < 0) return -1;
    json_t *items = json_array();
    json_t *counts = store_outbox_counts(r->db, kind, region);
    if (!items || !counts ||
        store_outbox_list(r->db, status, kind, region, cursor, limit, items) < 0) {
        json_decref(items);
        json_decref(counts);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    size_t n = json_array_size(items);
    int64_t total = 0;
    if (status)
        total = json_integer_value(json_object_get(counts, status));
    else {
        const char *k;
        json_t *v;
        json_object_foreach(counts, k, v)
            total += json_integer_value(v);
    }
    int64_t last = n ? json_integer_value(json_object_get(json_array_get(items, n - 1), "id")) : 0;
    api_audit_list(r, "outbox", region ? region : "", items, "resident_id");
    json_t *page = api_page(items, n == (size_t)limit ? last : 0, total);
    json_object_set_new(page, "counts", counts);
    return reply_json(r, 200, page);
}

/* 1 when the request carries the receipt token (constant time, whatever the lengths). */
static int receipt_token_ok(struct request *r)
{
    const char *expected = getenv("JIAYI_OUTBOX_RECEIPT_TOKEN");
    const char *h = request_header(r, "Authorization");
    if (!expected || strlen(expected) < 16 || !h || strncmp(h, "Bearer ", 7) != 0) return 0;
    unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];
    crypto_generichash(a, sizeof a, (const unsigned char *)expected, strlen(expected), NULL, 0);
    crypto_generichash(b, sizeof b, (const unsigned char *)(h + 7), strlen(h + 7), NULL, 0);
    return sodium_memcmp(a, b, sizeof a) == 0;
}

int handle_outbox_receipt(struct request *r)
{
    if (!receipt_token_ok(r)) return reply_problem(r, 401, "unauthorized", NULL);
    json_t *body = request_json_body(r);
    if (!body) return -1;
    static const char *const RESULTS[] = {"delivered", "failed", NULL};
    const char *key, *status, *error = NULL;
    struct jy_error err;
    if (jx_string(body, "key", JX_REQUIRED, 200, &key, &err) < 0 ||
        jx_enum(body, "status", JX_REQUIRED, RESULTS, &status, &err) < 0 ||
        jx_string(body, "error", JX_OPTIONAL, 200, &error, &err) < 0) {
        return reply_error(r, &err);
    }
    int delivered = !strcmp(status, "delivered");
    if (api_begin(r) < 0) {
        return -1;
    }
    int found = store_outbox_receipt(
        r->db, key, delivered, delivered ? NULL : (error ? error : "failed"), (int64_t)time(NULL));
    json_t *out = found > 0 ? json_pack("{s:s, s:s}", "key", key, "status", status) : NULL;
    if (found < 0) return api_fail_internal(r, "outbox receipt");
    if (found == 0) {
        api_rollback(r);
        return reply_problem(r, 404, "not_found", "key");
    }
    if (api_commit(r) < 0) {
        json_decref(out);
        return -1;
    }
    return reply_json(r, 200, out);
}
