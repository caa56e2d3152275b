/* overdue.c (api) - the care cascade's missed visits as a work list: enrolled hypertension
 * or diabetes patients in a scope with no follow-up of the programme in the last 3 months,
 * riskiest first. Who is listed comes from kpi_scan, the very parts the counters sum, so
 * the list's length is always the numerator of htn_missed_visit / dm_missed_visit. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/indicators.h"
#include "store/team_scores.h"
#include "util/log.h"

struct overdue {
    int64_t id;
    struct date birth, since; /* since: the last follow-up, else the enrolment start */
    char region[16];
    struct overdue_facts facts;
    long days;
};

struct collect {
    enum kpi_program program;
    int code;
    struct date as_of;
    struct overdue *items;
    int n, cap, failed;
};

static int collect_missed(const struct kpi_person *person, const struct kpi_parts *parts, void *ctx)
{
    struct collect *c = ctx;
    if (!parts->num[c->code]) return 0;
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 256;
        struct overdue *bigger = realloc(c->items, (size_t)cap * sizeof *bigger);
        if (!bigger) return c->failed = 1;
        c->items = bigger;
        c->cap = cap;
    }
    struct overdue *o = &c->items[c->n++];
    memset(o, 0, sizeof *o);
    o->id = person->id;
    o->birth = person->birth;
    snprintf(o->region, sizeof o->region, "%s", person->region);
    /* the enrolment counted on as_of (the latest one started by then) */
    for (int i = 0; i < person->n_enrolments; i++) {
        const struct kpi_enrolment *e = &person->enrolments[i];
        if (e->program == c->program && date_compare(e->start, c->as_of) <= 0 &&
            date_compare(e->start, o->since) > 0)
            o->since = e->start;
    }
    return 0;
}

/* An emergency in the history first, then an uncontrolled latest result, then the longest
 * without a follow-up; the id keeps the order stable between pages. */
static int by_risk(const void *a, const void *b)
{
    const struct overdue *x = a, *y = b;
    if (x->facts.emergency != y->facts.emergency) return y->facts.emergency - x->facts.emergency;
    if (x->facts.uncontrolled != y->facts.uncontrolled)
        return y->facts.uncontrolled - x->facts.uncontrolled;
    if (x->days != y->days) return x->days < y->days ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

int handle_indicators_overdue(struct request *r)
{
    struct kpi_scope scope;
    struct kpi_frame frame;
    struct period p;
    struct date as_of;
    int limit;
    int64_t cursor;
    const char *scope_text = request_query(r, "scope"), *program = request_query(r, "program");
    if (!scope_text) return reply_problem(r, 422, "missing_field", "scope");
    if (api_indicator_scope_or_reply(r, scope_text, &scope) < 0) return -1;
    struct collect c = {.program = kpi_program_parse(program)};
    if (c.program == KP_HTN)
        c.code = KPI_HTN_MISSED_VISIT;
    else if (c.program == KP_DM)
        c.code = KPI_DM_MISSED_VISIT;
    else
        return reply_problem(r, 422, program ? "invalid_field" : "missing_field", "program");
    if (request_page(r, &limit, &cursor) < 0 ||
        api_indicator_period_or_reply(r, NULL, &frame, &p, &as_of) < 0)
        return -1;
    c.as_of = as_of;
    char as_of_text[11];
    date_format(as_of, as_of_text);
    int rc = kpi_scan(r->db, &scope, &p, as_of, collect_missed, &c);
    for (int i = 0; rc == 0 && !c.failed && i < c.n; i++) {
        struct overdue *o = &c.items[i];
        if (store_overdue_facts(r->db, o->id, program, as_of_text, &o->facts) < 0) rc = -1;
        struct date last;
        if (o->facts.last_followup[0] && date_parse(o->facts.last_followup, &last) == 0)
            o->since = last;
        o->days = date_diff_days(as_of, o->since);
    }
    if (rc < 0 || c.failed) {
        log_error("overdue list for %s failed: %s", scope_text, db_errmsg(r->db));
        free(c.items);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    if (c.n > 1)
        qsort(c.items, (size_t)c.n, sizeof *c.items, by_risk); /* items is NULL when none */
    json_t *items = json_array();
    char id_text[24];
    int64_t end = cursor + limit < c.n ? cursor + limit : c.n;
    for (int64_t i = cursor; i < end; i++) {
        const struct overdue *o = &c.items[i];
        json_array_append_new(
            items,
            json_pack("{s:I, s:s, s:i, s:s, s:o, s:i, s:b, s:b}", "id", (json_int_t)o->id, "name",
                      o->facts.name, "age", date_age_years(o->birth, as_of), "region", o->region,
                      "last_followup",
                      o->facts.last_followup[0] ? json_string(o->facts.last_followup) : json_null(),
                      "days_overdue", (int)o->days, "emergency", o->facts.emergency, "uncontrolled",
                      o->facts.uncontrolled));
        snprintf(id_text, sizeof id_text, "%lld", (long long)o->id);
        api_audit_read(r, "overdue_list", id_text, o->id);
    }
    json_t *page = api_page(items, end < c.n ? end : 0, c.n);
    json_object_set_new(page, "as_of", json_string(as_of_text));
    json_object_set_new(page, "program", json_string(program));
    free(c.items);
    return reply_json(r, 200, page);
}
