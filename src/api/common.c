/* common.c - transaction, audit and presentation helpers for handlers. */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "auth/audit.h"
#include "domain/id_number.h"
#include "util/log.h"

int api_begin(struct request *r)
{
    if (db_begin(r->db) != DB_DONE) return reply_problem(r, 503, "unavailable", NULL);
    return 0;
}

int api_commit(struct request *r)
{
    if (db_commit(r->db) != DB_DONE) {
        db_rollback(r->db);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    return 0;
}

int api_fail(struct request *r, const struct jy_error *err)
{
    db_rollback(r->db);
    return reply_error(r, err);
}

int api_fail_internal(struct request *r, const char *what)
{
    log_error("%s failed: %s (request %s)", what, db_errmsg(r->db), r->request_id);
    db_rollback(r->db);
    return reply_problem(r, 500, "internal_error", NULL);
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
    if (api_begin(r) < 0) return -1;
    if (audit_append(r->db, &r->user, r->request_id, "read", resource, resource_id, resident_id) < 0)
        return api_fail_internal(r, "audit append");
    return api_commit(r);
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
        json_t *record = json_object_get(o, "record");
        if (!json_is_true(json_object_get(record, "opened_to_resident"))) json_object_del(o, "diagnoses");
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
    json_object_set_new(page, "next_cursor", next_cursor ? json_sprintf("%lld", (long long)next_cursor) : json_null());
    json_object_set_new(page, "total", json_integer(total));
    return page;
}

void api_county_of(const char *region, char out[7]) { snprintf(out, 7, "%.6s", region); }
