/* audit_trail.c (api) - GET /residents/{id}/audit: who read or changed a person's data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/audit_queue.h"
#include "auth/scope.h"
#include "store/audit.h"

static int add_audit_row(const struct audit_row *row, void *arg)
{
    json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                                         (json_int_t)row->id, "at", row->at, "username",
                                         row->username, "role", row->role, "action", row->action,
                                         "resource", row->resource, "resource_id", row->resource_id,
                                         "request_id", row->request_id));
    return 0;
}

int handle_audit_list(struct request *r)
{
    const char *res = request_query(r, "resident");
    int limit;
    int64_t cursor;
    if (request_page(r, &limit, &cursor) < 0) return -1;
    if (!res) return reply_problem(r, 422, "missing_field", "resident");
    char *end;
    int64_t resident = strtoll(res, &end, 10);
    if (*end || resident <= 0) return reply_problem(r, 422, "invalid_field", "resident");
    if (scope_require_resident(r, resident) < 0) return -1;
    if (audit_queue_flush() < 0)
        return reply_problem(r, 500, "internal_error", NULL); /* see all reads so far */
    json_t *items = json_array();
    if (store_audit_for_resident(r->db, resident, cursor, limit, add_audit_row, items) < 0) {
        json_decref(items);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    size_t n = json_array_size(items);
    int64_t total = store_audit_count_for_resident(r->db, resident);
    int64_t last = n ? json_integer_value(json_object_get(json_array_get(items, n - 1), "id")) : 0;
    int64_t next = n == (size_t)limit ? last : 0;
    if (api_audit_read(r, "audit", res, resident) < 0) {
        json_decref(items);
        return -1;
    }
    return reply_json(r, 200, api_page(items, next, total));
}
