/* common.c - transaction, audit and presentation helpers for handlers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/idempotency.h"
#include "api/read_routing.h"
#include "auth/audit.h"
#include "auth/audit_queue.h"
#include "db/fault.h"
#include "db/writer.h"
#include "http/server.h"
#include "domain/id_number.h"
#include "util/log.h"

int api_begin(struct request *r)
{
    if (r->idem_state == IDEM_DEFERRED) { /* still holds the writer: a second begin would hang */
        log_error("%s %s began a second write after committing (request %s)", r->method, r->path,
                  r->request_id);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    /* A write decided on reads that failed is not made (db/fault.h). */
    if (r->judging && db_failures() > r->db_failures_before) {
        log_error("%s %s: the database failed before the write; not made (request %s)", r->method,
                  r->path, r->request_id);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    struct db *w = writer_begin(server_db_uri());
    if (!w) return reply_problem(r, 503, "unavailable", NULL);
    r->thread_db = r->db;
    r->db = w;
    r->holds_writer = 1;
    r->db_failures_at_begin = db_failures();
    return idempotency_on_writer(r);
}

/* The handler saw the failure, discarded the write and answered 500 for it: a request that
 * goes on (an import's next chunk) or reports it in a later answer (an import's 207, naming
 * the chunk that failed) is not held to it again (db/fault.h). */
static void failure_reported(struct request *r)
{
    r->db_failures_before = r->db_failures_at_begin = db_failures();
}

static void give_writer_back(struct request *r)
{
    r->db = r->thread_db;
    r->holds_writer = 0;
    /* A read left mid-step before the write would pin a snapshot from before the commit:
     * release it so this request's next read sees what it just wrote. */
    db_release(r->db);
}

int api_commit(struct request *r)
{
    /* The database failed during this write: whatever the handler made of it, what was
     * written cannot be trusted to be whole, so none of it is kept (db/fault.h). */
    if (db_failures() > r->db_failures_at_begin) {
        log_error("%s %s: the database failed during the write; rolled back (request %s)",
                  r->method, r->path, r->request_id);
        api_rollback(r);
        reply_problem(r, 500, "internal_error", NULL);
        failure_reported(r);
        return -1;
    }
    if (idempotency_defer_commit(r)) return 0; /* the key's answer commits with the write */
    int rc = writer_commit(r->db);
    give_writer_back(r);
    if (rc < 0) {
        reply_problem(r, 500, "internal_error", NULL);
        failure_reported(r);
        return -1;
    }
    read_routing_note_write(r);
    return 0;
}

void api_rollback(struct request *r)
{
    if (!r->holds_writer) return;
    writer_rollback(r->db);
    give_writer_back(r);
}

int api_fail(struct request *r, const struct jy_error *err)
{
    api_rollback(r);
    return reply_error(r, err);
}

int api_fail_internal(struct request *r, const char *what)
{
    log_error("%s failed: %s (request %s)", what, db_errmsg(r->db), r->request_id);
    api_rollback(r);
    int rc = reply_problem(r, 500, "internal_error", NULL);
    failure_reported(r);
    return rc;
}

int api_audit(struct request *r, const char *action, const char *resource, int64_t id,
              int64_t resident_id)
{
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    if (audit_append(r->db, &r->user, r->request_id, action, resource, id_text, resident_id) < 0)
        return api_fail_internal(r, "audit append");
    return 0;
}

int api_audit_read(struct request *r, const char *resource, const char *resource_id,
                   int64_t resident_id)
{
    audit_queue_push(&r->user, r->request_id, resource, resource_id, resident_id);
    return 0;
}

/* Without memory for the list, each person gets an entry of their own: never a lost name. */
static void audit_each(struct request *r, const char *resource, const char *resource_id,
                       json_t *items, const char *key)
{
    size_t i, k;
    json_t *item, *member;
    json_array_foreach(items, i, item) {
        json_t *id = json_object_get(item, key);
        if (json_is_integer(id)) api_audit_read(r, resource, resource_id, json_integer_value(id));
        json_array_foreach(json_object_get(item, "members"), k, member)
            if (json_is_integer(json_object_get(member, "id")))
                api_audit_read(r, resource, resource_id,
                               json_integer_value(json_object_get(member, "id")));
    }
}

void api_audit_list(struct request *r, const char *resource, const char *resource_id, json_t *items,
                    const char *key)
{
    size_t n = 0, cap = 0, i, k;
    int64_t *ids = NULL;
    json_t *item, *member;
    json_array_foreach(items, i, item) {
        /* Up to one id of the item and its household members. */
        size_t need = n + 1 + json_array_size(json_object_get(item, "members"));
        if (need > cap) {
            int64_t *grown = realloc(ids, (need + 64) * sizeof *grown);
            if (!grown) {
                free(ids);
                audit_each(r, resource, resource_id, items, key);
                return;
            }
            ids = grown;
            cap = need + 64;
        }
        json_t *id = json_object_get(item, key);
        if (json_is_integer(id)) ids[n++] = json_integer_value(id);
        json_array_foreach(json_object_get(item, "members"), k, member) {
            json_t *mid = json_object_get(member, "id");
            if (json_is_integer(mid)) ids[n++] = json_integer_value(mid);
        }
    }
    if (n > 0) audit_queue_push_list(&r->user, r->request_id, resource, resource_id, ids, n);
    free(ids);
}

int api_reply_resident_items(struct request *r, int64_t resident_id, const char *resource,
                             json_t *items)
{
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)resident_id);
    api_audit_read(r, resource, id_text, resident_id);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

void api_present_resident(struct request *r, json_t *o, struct date today)
{
    const char *id_number = json_string_value(json_object_get(o, "id_number"));
    char masked[19];
    id_number_mask(id_number ? id_number : "", masked);
    json_object_set_new(o, "id_number_masked", json_string(masked));
    if (!role_sees_id_number(r->user.role)) json_object_del(o, "id_number");
    if (r->user.role == ROLE_RESIDENT) {
        /* 档案开放: the clinical record is the resident's to see once opened with consent;
         * first-discovery flags are the team's working notes. */
        json_object_del(o, "flags");
        json_object_del(o, "poverty"); /* 建档立卡 is the county's label, not the person's */
        json_t *record = json_object_get(o, "record");
        if (!json_is_true(json_object_get(record, "opened_to_resident")))
            json_object_del(o, "diagnoses");
    }
    struct date birth;
    const char *b = json_string_value(json_object_get(o, "birth_date"));
    if (b && date_parse(b, &birth) == 0)
        json_object_set_new(o, "age", json_integer(date_age_years(birth, today)));
}

json_t *api_page(json_t *items, int64_t next_cursor, int64_t total)
{
    json_t *page = json_object();
    json_object_set_new(page, "items", items ? items : json_array());
    json_object_set_new(page, "next_cursor",
                        next_cursor ? json_sprintf("%lld", (long long)next_cursor) : json_null());
    json_object_set_new(page, "total", json_integer(total));
    return page;
}

void api_county_of(const char *region, char out[7])
{
    snprintf(out, 7, "%.6s", region);
}
