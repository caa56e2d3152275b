/* deliveries.c (api) - POST /contracts/{id}/deliveries: a service delivered by hand against
 * a contract's entitlement (what jiayi does not record itself; recorded services use
 * entitlements up by themselves, store/entitlement_use.h). */
#include <string.h>

#include "api/handlers.h"
#include "domain/cancer_screening.h"
#include "json/jsonx.h"
#include "store/entitlements.h"
#include "store/screening_invites.h"

int handle_delivery_create(struct request *r)
{
    int64_t id;
    json_t *c = api_contract_in_scope_or_reply(r, &id), *body = NULL;
    if (!c) return -1;
    struct jy_error err;
    int64_t entitlement = 0, quantity = 1;
    const char *service = NULL, *note = NULL;
    struct date on = date_today(), start, end;
    int rc = -1;
    if (!(body = request_json_body(r))) goto done;
    if (jx_int(body, "entitlement_id", JX_OPTIONAL, 1, INT64_MAX, &entitlement, NULL, &err) < 0 ||
        jx_string(body, "service", entitlement ? JX_OPTIONAL : JX_REQUIRED, 40, &service, &err) <
            0 ||
        jx_int(body, "quantity", JX_OPTIONAL, 1, 100, &quantity, NULL, &err) < 0 ||
        jx_date(body, "delivered_on", JX_OPTIONAL, &on, NULL, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (strcmp(json_string_value(json_object_get(c, "status")), "active") != 0) {
        rc = reply_problem(r, 409, "invalid_transition", "status");
        goto done;
    }
    date_parse(json_string_value(json_object_get(c, "start_date")), &start);
    date_parse(json_string_value(json_object_get(c, "end_date")), &end);
    if (date_compare(on, date_today()) > 0 || date_compare(on, start) < 0 ||
        date_compare(on, end) > 0) {
        rc = reply_problem(r, 422, "invalid_date", "delivered_on");
        goto done;
    }
    if (!entitlement) entitlement = store_entitlement_for_service(r->db, id, service);
    if (entitlement <= 0) {
        jy_fail(&err, 422, "invalid_field", "service", "not in this contract");
        jy_error_value(&err, service);
        rc = reply_error(r, &err);
        goto done;
    }
    char on_text[11];
    date_format(on, on_text);
    if (api_begin(r) < 0) goto done;
    int done_rc = store_delivery_insert(r->db, id, entitlement, on_text, r->user.staff_id,
                                        (int)quantity, note);
    if (done_rc == 0) {
        api_rollback(r);
        rc = reply_problem(r, 422, "entitlement_exhausted",
                           entitlement && service ? "service" : "entitlement_id");
        goto done;
    }
    /* A cancer screening delivered answers its invitation (domain/cancer_screening.h). */
    int64_t resident = json_integer_value(json_object_get(c, "resident_id"));
    char delivered[41] = "";
    if (done_rc > 0 && store_entitlement_service(r->db, entitlement, delivered) < 0) done_rc = -1;
    if (done_rc > 0 && cancer_screening_find(delivered) &&
        store_screening_delivered(r->db, resident, delivered) < 0)
        done_rc = -1;
    if (done_rc < 0) {
        api_fail_internal(r, "delivery");
        goto done;
    }
    if (api_audit(r, "deliver", "contract", id, resident) < 0 || api_commit(r) < 0) goto done;
    rc = api_reply_contract(r, 201, id);
done:
    json_decref(c);
    return rc;
}

/* ?team=ID (inside the caller's scope) and ?doctor=me|ID, 0 when absent. Replies 422/403. */
