/* test_results.c (api) - results recognised across the county (检查检验结果互认, issue 19,
 * domain/recognition.c):
 *   POST /residents/{id}/test-results {item, taken_on, value?, conclusion?, institution_id?,
 *        source?}  a laboratory or imaging result from any institution (a hospital system
 *        sends it, or the team copies it from the report);
 *   GET  /residents/{id}/test-results  every result with its source, date, window and whether
 *        it is still valid;
 *   GET  /residents/{id}/test-results/check?item=  before ordering a test: the result that
 *        still spares a repeat, or repeat: true;
 *   GET  /recognised-items  the county's recognised items and their windows. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/recognition.h"
#include "json/jsonx.h"
#include "store/residents.h"
#include "store/services.h"
#include "store/test_results.h"

/* Adds valid_until and still_valid to each result (as of today). */
static void present(json_t *items, struct date today)
{
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o) {
        struct date taken;
        int days = (int)json_integer_value(json_object_get(o, "valid_days"));
        char until[11];
        date_parse(json_string_value(json_object_get(o, "taken_on")), &taken);
        date_format(recognition_valid_until(taken, days), until);
        json_object_set_new(o, "valid_until", json_string(until));
        json_object_set_new(o, "still_valid",
                            json_boolean(recognition_still_valid(taken, days, today)));
    }
}

int handle_test_result_create(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct test_result_input in = {.resident_id = id, .recorded_by = r->user.user_id};
    struct date taken;
    char taken_text[11], county[7];
    int rc = -1;
    if (jx_string(body, "item", JX_REQUIRED, 30, &in.item, &err) < 0 ||
        jx_date(body, "taken_on", JX_REQUIRED, &taken, NULL, &err) < 0 ||
        jx_string(body, "value", JX_OPTIONAL, 100, &in.value, &err) < 0 ||
        jx_string(body, "conclusion", JX_OPTIONAL, 500, &in.conclusion, &err) < 0 ||
        jx_int(body, "institution_id", JX_OPTIONAL, 1, INT64_MAX, &in.institution_id, NULL, &err) <
            0 ||
        jx_string(body, "source", JX_OPTIONAL, 100, &in.source, &err) < 0) {
        return reply_error(r, &err);
    }
    int days = store_recognised_item_days(r->db, in.item);
    if (days <= 0) {
        return days < 0 ? reply_problem(r, 500, "internal_error", NULL)
                        : reply_problem(r, 422, "invalid_field", "item");
    }
    if (date_compare(taken, date_today()) > 0) {
        return reply_problem(r, 422, "invalid_date", "taken_on");
    }
    if (!in.institution_id && !in.source) {
        return reply_problem(r, 422, "missing_field", "institution_id");
    }
    char level[16], region[16];
    if (in.institution_id &&
        store_institution_level_region(r->db, in.institution_id, level, region) != 0) {
        return reply_problem(r, 422, "invalid_field", "institution_id");
    }
    json_t *resident = store_resident_brief(r->db, id);
    if (!resident) {
        return reply_problem(r, 404, "not_found", NULL);
    }
    snprintf(county, sizeof county, "%.6s", json_string_value(json_object_get(resident, "region")));
    json_decref(resident);
    date_format(taken, taken_text);
    in.taken_on = taken_text;
    in.county_code = county;
    if (api_begin(r) < 0) return rc;
    int64_t result = store_test_result_insert(r->db, &in);
    if (result < 0) {
        api_fail_internal(r, "test result");
        return rc;
    }
    if (api_audit(r, "create", "test_result", result, id) < 0 || api_commit(r) < 0) return rc;
    json_t *items = store_test_results(r->db, id, in.item), *out = NULL;
    present(items, date_today());
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
        if (json_integer_value(json_object_get(o, "id")) == result) out = json_incref(o);
    json_decref(items);
    rc = out ? reply_json(r, 201, out) : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}

int handle_test_results(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *items = store_test_results(r->db, id, NULL);
    if (items) present(items, date_today());
    return api_reply_resident_items(r, id, "test_results", items);
}

int handle_test_result_check(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    const char *item = request_query(r, "item");
    if (!item) return reply_problem(r, 422, "missing_field", "item");
    int days = store_recognised_item_days(r->db, item);
    if (days < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (days == 0) return reply_problem(r, 422, "invalid_field", "item");
    json_t *items = store_test_results(r->db, id, item);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    present(items, date_today());
    json_t *valid = NULL;
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
        if (!valid && json_is_true(json_object_get(o, "still_valid"))) valid = o;
    json_t *out = json_pack("{s:s,s:b,s:O}", "item", item, "repeat", valid == NULL, "result",
                            valid ? valid : json_null());
    json_decref(items);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    if (api_audit_read(r, "test_results", id_text, id) < 0) {
        json_decref(out);
        return -1;
    }
    return reply_json(r, 200, out);
}

int handle_recognised_items(struct request *r)
{
    json_t *items = store_recognised_items(r->db);
    return items ? reply_json(r, 200, json_pack("{s:o}", "items", items))
                 : reply_problem(r, 500, "internal_error", NULL);
}
