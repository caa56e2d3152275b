/* indicator_views.c - the command dashboard's reads on top of the indicator engine:
 *   GET /api/v1/indicators/breakdown  a scope's children (villages of a township, teams of a
 *                                     region or an institution, doctors of a team), each
 *                                     one indexed read of the counters;
 *   GET /api/v1/indicators/trend      the months of a year and the year itself;
 *   GET /api/v1/indicators/patients   the residents behind a numerator or a denominator,
 *                                     computed from the raw data (kpi_scan) and audited.
 * The parent scope is checked by api_indicator_scope; children lie inside it. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "api/indicators.h"
#include "auth/scope.h"
#include "db/writer.h"
#include "http/server.h"
#include "kpi/kpi.h"
#include "kpi/views.h"
#include "util/log.h"

/* ---- breakdown ---------------------------------------------------------------------- */

int handle_indicator_breakdown(struct request *r)
{
    struct kpi_scope scope;
    struct kpi_frame frame;
    struct period p;
    struct date as_of;
    unsigned char wanted[KPI_COUNT];
    struct kpi_targets targets;
    const char *scope_text = request_query(r, "scope");
    const char *by = request_query(r, "by");
    /* A team's staff may rank their team among the teams of its township: the other teams
     * come without name or id (peers), since the township is not theirs to see. */
    int peers = scope_text && by && !strcmp(by, "team") &&
                kpi_scope_parse(scope_text, &scope) == 0 && scope.kind == 'r' &&
                scope_works_in_region(r, scope.code);
    if ((!peers && api_indicator_scope_or_reply(r, scope_text, &scope) < 0) ||
        api_indicator_codes_or_reply(r, request_query(r, "codes"), wanted) < 0 ||
        api_indicator_period_or_reply(r, request_query(r, "period"), &frame, &p, &as_of) < 0 ||
        api_indicator_targets_or_reply(r, &targets) < 0)
        return -1;
    if (!by) by = scope.kind == 't' ? "doctor" : scope.kind == 'i' ? "team" : "region";
    struct kpi_children children = {0};
    int rc = kpi_children_load(r->db, &scope, by, &children);
    if (rc == 1) {
        kpi_children_free(&children);
        return reply_problem(r, 422, "invalid_field", "by");
    }
    /* Every child at once: what no counter keeps is read once for all of them. */
    struct kpi_scope *scopes = calloc((size_t)children.n + 1, sizeof *scopes);
    struct kpi_parts *parts = calloc((size_t)children.n + 1, sizeof *parts);
    if (!scopes || !parts) rc = -1;
    for (int i = 0; rc == 0 && i < children.n; i++)
        rc = kpi_scope_parse(children.items[i].label, &scopes[i]);
    if (rc == 0 && children.n)
        rc = api_indicator_parts_many(r, &frame, scopes, children.n, &p, as_of, wanted, parts);
    json_t *items = json_array();
    for (int i = 0; rc == 0 && i < children.n; i++) {
        json_t *values = api_indicator_items(&parts[i], wanted, r->lang_en, &targets);
        if (peers && !scope_sees_team(r, scopes[i].id))
            json_array_append_new(items,
                                  json_pack("{s:n, s:n, s:o}", "scope", "name", "items", values));
        else
            json_array_append_new(items,
                                  json_pack("{s:s, s:s, s:o}", "scope", children.items[i].label,
                                            "name", children.items[i].name, "items", values));
    }
    free(scopes);
    free(parts);
    kpi_children_free(&children);
    if (rc < 0) {
        json_decref(items);
        log_error("indicator breakdown of %s by %s failed: %s", scope_text, by, db_errmsg(r->db));
        return reply_problem(r, 500, "internal_error", NULL);
    }
    char as_of_text[11];
    date_format(as_of, as_of_text);
    return reply_json(r, 200,
                      json_pack("{s:s, s:s, s:s, s:s, s:o}", "scope", scope_text, "period", p.label,
                                "as_of", as_of_text, "by", by, "items", items));
}

/* ---- trend -------------------------------------------------------------------------- */

/* {"period","as_of","items"} of one period, or NULL on a database error. */
static json_t *period_entry(struct request *r, const struct kpi_frame *frame,
                            const struct kpi_scope *scope, const struct period *p,
                            struct date today, const unsigned char wanted[KPI_COUNT],
                            const struct kpi_targets *targets)
{
    int index = kpi_frame_find(frame, p->label);
    struct date as_of = index >= 0 ? frame->period_as_of[index] : period_as_of(p, today);
    struct kpi_parts parts;
    if (api_indicator_parts(r, frame, scope, p, as_of, wanted, &parts) < 0) return NULL;
    char as_of_text[11];
    date_format(as_of, as_of_text);
    return json_pack("{s:s, s:s, s:o}", "period", p->label, "as_of", as_of_text, "items",
                     api_indicator_items(&parts, wanted, r->lang_en, targets));
}

/* A recount of a past month end (seconds for a county) is kept as that day's snapshot, so
 * only the first reader of a scope waits for it. Best effort: a failure costs a recount. */
static void keep_recounted_month_ends(struct request *r, const struct kpi_scope *scope,
                                      const struct date *days, const struct kpi_parts *parts, int n)
{
    struct db *w = writer_begin(server_db_uri());
    if (!w) return;
    int ok = 1;
    for (int i = 0; ok && i < n; i++)
        ok = kpi_snapshot_store(w, scope->key, days[i], &parts[i]) == 0;
    if (ok)
        writer_commit(w);
    else
        writer_rollback(w);
    db_release(r->db); /* the next read sees the stored days */
}

/* ?cumulative=true: each month's entry is the year to date at the month's end (the current
 * month: as of today, marked "partial"). The open month is the year's own counters; a past
 * month end is the daily snapshot of the year taken that day when there is one (the
 * county, townships, teams, institutions of a running deployment), else computed from the
 * raw rows in one pass for all the months missing. NULL on a database error. */
static json_t *cumulative_months(struct request *r, const struct kpi_frame *frame,
                                 const struct kpi_scope *scope, const struct period *year,
                                 struct date today, const unsigned char wanted[KPI_COUNT],
                                 const struct kpi_targets *targets)
{
    struct date ends[12], missing_dates[12];
    struct kpi_parts parts[12], computed[12];
    int n = 0, missing_index[12], n_missing = 0;
    for (int m = 1; m <= 12; m++) {
        char label[16];
        struct period month;
        snprintf(label, sizeof label, "%s-%02d", year->label, m % 100);
        if (period_parse(label, &month) < 0 || date_compare(month.first, today) > 0) break;
        ends[n] = period_as_of(&month, today);
        n++;
    }
    int year_index = kpi_frame_find(frame, year->label);
    struct date year_as_of =
        year_index >= 0 ? frame->period_as_of[year_index] : period_as_of(year, today);
    for (int i = 0; i < n; i++) {
        if (date_compare(ends[i], year_as_of) == 0) {
            if (api_indicator_parts(r, frame, scope, year, year_as_of, wanted, &parts[i]) < 0)
                return NULL;
            continue;
        }
        int rc = kpi_snapshot_query(r->db, scope->key, ends[i], &parts[i]);
        if (rc < 0) return NULL;
        if (rc == 0) continue;
        missing_index[n_missing] = i;
        missing_dates[n_missing++] = ends[i];
    }
    if (n_missing &&
        kpi_scan_points(r->db, scope, year->first, missing_dates, n_missing, computed) < 0)
        return NULL;
    for (int k = 0; k < n_missing; k++)
        parts[missing_index[k]] = computed[k];
    if (n_missing) keep_recounted_month_ends(r, scope, missing_dates, computed, n_missing);
    json_t *months = json_array();
    for (int i = 0; i < n; i++) {
        char label[24], as_of_text[11], first_text[11];
        snprintf(label, sizeof label, "%s-%02d", year->label, (i + 1) % 100);
        struct period month;
        period_parse(label, &month);
        date_format(ends[i], as_of_text);
        date_format(year->first, first_text);
        json_array_append_new(
            months,
            json_pack("{s:s, s:s, s:s, s:b, s:o}", "period", label, "from", first_text, "as_of",
                      as_of_text, "partial", date_compare(ends[i], month.last) < 0, "items",
                      api_indicator_items(&parts[i], wanted, r->lang_en, targets)));
    }
    return months;
}

int handle_indicator_trend(struct request *r)
{
    struct kpi_scope scope;
    struct kpi_frame frame;
    struct period year;
    unsigned char wanted[KPI_COUNT];
    struct kpi_targets targets;
    const char *scope_text = request_query(r, "scope");
    if (api_indicator_scope_or_reply(r, scope_text, &scope) < 0 ||
        api_indicator_codes_or_reply(r, request_query(r, "codes"), wanted) < 0)
        return -1;
    const char *cumulative_text = request_query(r, "cumulative");
    if (cumulative_text && strcmp(cumulative_text, "true") != 0 &&
        strcmp(cumulative_text, "false") != 0)
        return reply_problem(r, 422, "invalid_field", "cumulative");
    int cumulative = cumulative_text && strcmp(cumulative_text, "true") == 0;
    struct date today = date_today();
    char this_year[8];
    snprintf(this_year, sizeof this_year, "%04d", today.year % 10000);
    const char *year_text = request_query(r, "year");
    if (!year_text) year_text = this_year;
    if (strlen(year_text) != 4 || period_parse(year_text, &year) < 0 ||
        date_compare(year.first, today) > 0)
        return reply_problem(r, 422, "invalid_field", "year");
    if (kpi_frame_load(r->db, &frame) < 0 || api_indicator_targets_or_reply(r, &targets) < 0)
        return reply_problem(r, 500, "internal_error", NULL);

    json_t *whole = period_entry(r, &frame, &scope, &year, today, wanted, &targets);
    json_t *months = NULL;
    if (whole && cumulative) {
        months = cumulative_months(r, &frame, &scope, &year, today, wanted, &targets);
        if (!months) {
            json_decref(whole);
            whole = NULL;
        }
    } else if (whole) {
        months = json_array();
    }
    for (int m = 1; whole && !cumulative && m <= 12; m++) {
        char label[16];
        struct period month;
        snprintf(label, sizeof label, "%s-%02d", year.label, m % 100);
        if (period_parse(label, &month) < 0 || date_compare(month.first, today) > 0) break;
        json_t *entry = period_entry(r, &frame, &scope, &month, today, wanted, &targets);
        if (!entry) {
            json_decref(whole);
            whole = NULL;
            break;
        }
        json_array_append_new(months, entry);
    }
    if (!whole) {
        json_decref(months);
        log_error("indicator trend of %s %s failed: %s", scope_text, year.label, db_errmsg(r->db));
        return reply_problem(r, 500, "internal_error", NULL);
    }
    return reply_json(r, 200,
                      json_pack("{s:s, s:s, s:b, s:o, s:o}", "scope", scope_text, "year",
                                year.label, "cumulative", cumulative, "total", whole, "months",
                                months));
}

/* ---- cascade ------------------------------------------------------------------------ */

/* GET /indicators/cascade?scope=&program=hypertension|diabetes&period=|as_of=: the care
 * cascade (domain/indicator_targets.h) as of the period's "as of" (default: this year, so
 * today), or as of a date. A covered period's counters answer; any other date is computed
 * from the raw rows. */
/* The cascade's steps are all counted indicators: none counted directly is wanted. */
static const unsigned char NO_DIRECT[KPI_COUNT] = {0};

int handle_indicator_cascade(struct request *r)
{
    struct kpi_scope scope;
    struct kpi_frame frame;
    struct period p;
    struct date as_of;
    const char *scope_text = request_query(r, "scope");
    if (api_indicator_scope_or_reply(r, scope_text, &scope) < 0) return -1;
    const char *program_text = request_query(r, "program");
    if (!program_text) return reply_problem(r, 422, "missing_field", "program");
    enum kpi_program program = kpi_program_parse(program_text);
    if (program != KP_HTN && program != KP_DM)
        return reply_problem(r, 422, "invalid_field", "program");
    const char *as_of_text = request_query(r, "as_of");
    struct kpi_parts parts;
    int rc;
    if (as_of_text) {
        struct date today = date_today();
        if (request_query(r, "period")) return reply_problem(r, 422, "invalid_field", "as_of");
        if (date_parse(as_of_text, &as_of) < 0 || date_compare(as_of, today) > 0 ||
            as_of.year < 2000)
            return reply_problem(r, 422, "invalid_field", "as_of");
        if (kpi_frame_load(r->db, &frame) < 0) return reply_problem(r, 500, "internal_error", NULL);
        /* The cascade depends only on "as of": any covered period standing at that date. */
        int found = -1;
        for (int i = 0; i < frame.n && found < 0; i++)
            if (date_compare(frame.period_as_of[i], as_of) == 0) found = i;
        if (found >= 0) {
            p = frame.periods[found];
            rc = api_indicator_parts(r, &frame, &scope, &p, as_of, NO_DIRECT, &parts);
        } else {
            char year_label[8];
            snprintf(year_label, sizeof year_label, "%04d", as_of.year % 10000);
            period_parse(year_label, &p);
            rc = kpi_scan_points(r->db, &scope, p.first, &as_of, 1, &parts);
        }
    } else {
        if (api_indicator_period_or_reply(r, request_query(r, "period"), &frame, &p, &as_of) < 0)
            return -1;
        rc = api_indicator_parts(r, &frame, &scope, &p, as_of, NO_DIRECT, &parts);
    }
    if (rc < 0) {
        log_error("cascade of %s failed: %s", scope_text, db_errmsg(r->db));
        return reply_problem(r, 500, "internal_error", NULL);
    }
    struct kpi_cascade c;
    kpi_cascade_of(&parts, program, &c);
    static const char *const STEPS[4] = {"registered", "under_care", "visited_3_months",
                                         "controlled"};
    static const char *const NAMES[2][4] = {
        {"登记在管", "持续管理（12个月内随访）", "近3个月随访", "控制达标"},
        {"Registered", "Under care (seen in 12 months)", "Visited in the last 3 months",
         "Controlled"}};
    int64_t counts[4] = {c.registered, c.under_care, c.visited, c.controlled};
    json_t *steps = json_array();
    for (int i = 0; i < 4; i++)
        json_array_append_new(
            steps, json_pack("{s:s, s:s, s:I, s:o}", "step", STEPS[i], "name", NAMES[r->lang_en][i],
                             "count", (json_int_t)counts[i], "share",
                             c.registered ? json_real((double)counts[i] / (double)c.registered)
                                          : json_null()));
    char day[11];
    date_format(as_of, day);
    json_t *body = json_pack("{s:s, s:s, s:s, s:o}", "scope", scope_text, "program", program_text,
                             "as_of", day, "steps", steps);
    json_object_set_new(body, "lost_to_follow_up", json_integer(c.lost));
    json_object_set_new(body, "missed_visit", json_integer(c.missed));
    json_object_set_new(body, "control_base", json_integer(c.control_base));
    json_object_set_new(body, "control_rate",
                        c.control_base ? json_real((double)c.controlled / (double)c.control_base)
                                       : json_null());
    return reply_json(r, 200, body);
}

/* ---- patients ----------------------------------------------------------------------- */

struct patient_page {
    int code, numerator; /* which part must be positive */
    int64_t cursor;      /* residents with a larger id only */
    int limit;
    int64_t ids[501]; /* limit + 1 at most (request_page caps limit at 500) */
    int n;
    int64_t total;      /* every resident behind the number, whatever the page */
    int stop_when_full; /* a file's later page: no total, so stop after the page's people */
};

/* kpi_scan visits residents in id order: keep the page's and count every one. */
static int collect(const struct kpi_person *person, const struct kpi_parts *parts, void *ctx)
{
    struct patient_page *page = ctx;
    int64_t part = page->numerator ? parts->num[page->code] : parts->den[page->code];
    if (part <= 0) return 0;
    page->total++;
    if (person->id > page->cursor && page->n <= page->limit) page->ids[page->n++] = person->id;
    return page->stop_when_full && page->n > page->limit;
}

int handle_indicator_patients(struct request *r)
{
    struct kpi_scope scope;
    struct kpi_frame frame;
    struct period p;
    struct date as_of;
    const char *scope_text = request_query(r, "scope");
    const char *code = request_query(r, "code");
    const char *part = request_query(r, "part");
    if (api_indicator_scope_or_reply(r, scope_text, &scope) < 0) return -1;
    struct patient_page page = {0};
    page.code = kpi_code_index(code);
    if (page.code < 0) return reply_problem(r, 422, "invalid_field", "code");
    if (part && strcmp(part, "numerator") != 0 && strcmp(part, "denominator") != 0)
        return reply_problem(r, 422, "invalid_field", "part");
    page.numerator = !part || strcmp(part, "numerator") == 0;
    if (request_page(r, &page.limit, &page.cursor) < 0 ||
        api_indicator_period_or_reply(r, request_query(r, "period"), &frame, &p, &as_of) < 0)
        return -1;

    /* A file's later pages start at their cursor and stop when full: its pages together scan
     * the scope once more, not once a page. */
    page.stop_when_full = !request_wants_total(r);
    if (kpi_scan_after(r->db, &scope, &p, as_of, page.stop_when_full ? page.cursor : 0, collect,
                       &page) < 0) {
        log_error("indicator patients of %s %s failed: %s", scope_text, code, db_errmsg(r->db));
        return reply_problem(r, 500, "internal_error", NULL);
    }
    int shown = page.n > page.limit ? page.limit : page.n;
    int64_t next = page.n > page.limit ? page.ids[shown - 1] : 0;
    struct date today = date_today();
    json_t *items = json_array();
    for (int i = 0; i < shown; i++) {
        json_t *o = kpi_patient_json(r->db, page.ids[i], today);
        if (!o) {
            json_decref(items);
            return reply_problem(r, 500, "internal_error", NULL);
        }
        char id_text[24];
        snprintf(id_text, sizeof id_text, "%lld", (long long)page.ids[i]);
        api_audit_read(r, "indicator_patient", id_text, page.ids[i]);
        json_array_append_new(items, o);
    }
    json_t *body = api_page(items, next, page.total);
    char as_of_text[11];
    date_format(as_of, as_of_text);
    json_object_set_new(body, "scope", json_string(scope_text));
    json_object_set_new(body, "period", json_string(p.label));
    json_object_set_new(body, "as_of", json_string(as_of_text));
    json_object_set_new(body, "code", json_string(KPI_INFO[page.code].code));
    json_object_set_new(body, "part", json_string(page.numerator ? "numerator" : "denominator"));
    return reply_json(r, 200, body);
}
