/* indicators.c - GET /api/v1/indicators: every PROTOCOLS.md §11 indicator for a scope and a
 * period, read from the incremental counters (one row per indicator whatever the scope's
 * size); periods older than the counters cover are computed from the raw data. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/indicators.h"
#include "auth/scope.h"
#include "kpi/kpi.h"
#include "store/indicator_targets.h"
#include "util/log.h"

int api_indicator_scope_or_reply(struct request *r, const char *text, struct kpi_scope *scope)
{
    if (kpi_scope_parse(text, scope) < 0) return reply_problem(r, 422, "invalid_field", "scope");
    switch (scope->kind) {
    case 'r':
        return scope_require_region_inside(r, scope->code, "scope");
    case 't':
        return scope_require_team(r, scope->id);
    case 'd':
        return scope_require_doctor(r, scope->id);
    default:
        return scope_require_institution(r, scope->id, "scope");
    }
}

int api_indicator_codes_or_reply(struct request *r, const char *text,
                                 unsigned char wanted[KPI_COUNT])
{
    memset(wanted, text ? 0 : 1, KPI_COUNT);
    if (!text) return 0;
    char copy[1024];
    if (strlen(text) >= sizeof copy) return reply_problem(r, 422, "invalid_field", "codes");
    memcpy(copy, text, strlen(text) + 1);
    char *save = NULL;
    int any = 0;
    for (char *code = strtok_r(copy, ",", &save); code; code = strtok_r(NULL, ",", &save)) {
        int index = kpi_code_index(code);
        if (index < 0) return reply_problem(r, 422, "invalid_field", "codes");
        wanted[index] = 1;
        any = 1;
    }
    return any ? 0 : reply_problem(r, 422, "invalid_field", "codes");
}

int api_indicator_period_or_reply(struct request *r, const char *text, struct kpi_frame *frame,
                                  struct period *p, struct date *as_of)
{
    struct date today = date_today();
    char this_year[16];
    snprintf(this_year, sizeof this_year, "%04d", today.year % 10000);
    if (period_parse(text ? text : this_year, p) < 0 || date_compare(p->first, today) > 0)
        return reply_problem(r, 422, "invalid_field", "period");
    if (kpi_frame_load(r->db, frame) < 0) return reply_problem(r, 500, "internal_error", NULL);
    int index = kpi_frame_find(frame, p->label);
    *as_of = index >= 0 ? frame->period_as_of[index] : period_as_of(p, today);
    return 0;
}

static int add_parts(const struct kpi_person *person, const struct kpi_parts *parts, void *ctx)
{
    (void)person;
    struct kpi_parts *total = ctx;
    for (int c = 0; c < KPI_COUNT; c++) {
        total->num[c] += parts->num[c];
        total->den[c] += parts->den[c];
    }
    return 0;
}

/* The parts the counters keep (or a scan of the raw data computes). */
static int counted_parts(struct request *r, const struct kpi_frame *frame,
                         const struct kpi_scope *scope, const struct period *p, struct date as_of,
                         struct kpi_parts *out)
{
    int rc = kpi_query(r->db, frame, p->label, scope->key, out);
    if (rc == 1) { /* not covered by the counters: from the raw data */
        memset(out, 0, sizeof *out);
        rc = kpi_scan(r->db, scope, p, as_of, add_parts, out);
    }
    return rc;
}

int api_indicator_parts(struct request *r, const struct kpi_frame *frame,
                        const struct kpi_scope *scope, const struct period *p, struct date as_of,
                        const unsigned char *wanted, struct kpi_parts *out)
{
    int rc = counted_parts(r, frame, scope, p, as_of, out);
    if (rc == 0 && kpi_direct_wanted(wanted))
        rc = kpi_direct_parts(r->db, scope, p->first, as_of, out);
    return rc;
}

int api_indicator_parts_many(struct request *r, const struct kpi_frame *frame,
                             const struct kpi_scope *scopes, int n, const struct period *p,
                             struct date as_of, const unsigned char *wanted, struct kpi_parts *out)
{
    for (int i = 0; i < n; i++)
        if (counted_parts(r, frame, &scopes[i], p, as_of, &out[i]) != 0) return -1;
    if (!kpi_direct_wanted(wanted)) return 0;
    return kpi_direct_parts_all(r->db, scopes, n, p->first, as_of, out);
}

int api_indicator_targets_or_reply(struct request *r, struct kpi_targets *targets)
{
    if (store_indicator_targets(r->db, targets, NULL) == 0) return 0;
    log_error("indicator targets: %s", db_errmsg(r->db));
    return reply_problem(r, 500, "internal_error", NULL);
}

json_t *api_indicator_item(const struct kpi_parts *parts, int c, int en,
                           const struct kpi_targets *targets)
{
    int64_t den = KPI_INFO[c].is_count ? 1 : parts->den[c];
    if (c == KPI_REFERRAL_SEEN_MEDIAN && !parts->den[c]) den = 0; /* a median of nothing */
    double value = den ? (double)parts->num[c] / (double)den : 0;
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:o}", "code", KPI_INFO[c].code, "name",
                          en ? KPI_INFO[c].name_en : KPI_INFO[c].name_zh, "numerator",
                          (json_int_t)parts->num[c], "denominator", (json_int_t)den, "value",
                          den ? json_real(value) : json_null());
    /* Added with issue 14: how to show the number and what it is judged against. */
    enum kpi_direction direction = kpi_direction_of(c);
    int has_target = targets && targets->has[c];
    json_object_set_new(o, "unit", json_string(kpi_unit_name(kpi_unit_of(c))));
    json_object_set_new(o, "direction", json_string(kpi_direction_name(direction)));
    json_object_set_new(o, "target", has_target ? json_real(targets->value[c]) : json_null());
    json_object_set_new(
        o, "status",
        json_string(kpi_status_name(kpi_target_status(
            den != 0, value, has_target, has_target ? targets->value[c] : 0, direction))));
    return o;
}

json_t *api_indicator_items(const struct kpi_parts *parts, const unsigned char wanted[KPI_COUNT],
                            int en, const struct kpi_targets *targets)
{
    json_t *items = json_array();
    for (int c = 0; c < KPI_COUNT; c++)
        if (wanted[c]) json_array_append_new(items, api_indicator_item(parts, c, en, targets));
    return items;
}

int handle_indicators(struct request *r)
{
    struct kpi_scope scope;
    struct kpi_frame frame;
    struct period p;
    struct date as_of;
    unsigned char wanted[KPI_COUNT];
    struct kpi_targets targets;
    const char *scope_text = request_query(r, "scope");
    if (api_indicator_scope_or_reply(r, scope_text, &scope) < 0 ||
        api_indicator_codes_or_reply(r, request_query(r, "codes"), wanted) < 0 ||
        api_indicator_period_or_reply(r, request_query(r, "period"), &frame, &p, &as_of) < 0 ||
        api_indicator_targets_or_reply(r, &targets) < 0)
        return -1;
    /* ?source=raw computes from the raw rows: to verify, and the benchmark's reference. */
    const char *source = request_query(r, "source");
    if (source && strcmp(source, "raw") != 0 && strcmp(source, "counters") != 0)
        return reply_problem(r, 422, "invalid_field", "source");
    struct kpi_parts parts;
    int rc;
    if (source && strcmp(source, "raw") == 0) {
        memset(&parts, 0, sizeof parts);
        rc = kpi_scan(r->db, &scope, &p, as_of, add_parts, &parts);
        if (rc == 0) rc = kpi_direct_parts(r->db, &scope, p.first, as_of, &parts);
    } else {
        rc = api_indicator_parts(r, &frame, &scope, &p, as_of, wanted, &parts);
    }
    if (rc < 0) {
        log_error("indicators for %s %s failed: %s", scope_text, p.label, db_errmsg(r->db));
        return reply_problem(r, 500, "internal_error", NULL);
    }
    char as_of_text[11];
    date_format(as_of, as_of_text);
    return reply_json(r, 200,
                      json_pack("{s:s, s:s, s:s, s:o}", "scope", scope_text, "period", p.label,
                                "as_of", as_of_text, "items",
                                api_indicator_items(&parts, wanted, r->lang_en, &targets)));
}
