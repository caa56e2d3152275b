/* cohort_studies.c (api) - before-and-after cohort studies (issue 22, domain/cohort.h,
 * docs/evaluation.md):
 *   POST /cohort-studies {name, kind, team_id?, package_id?, program?, region?,
 *        resident_ids?, before:{from,to}, after:{from,to}}  draws the cohort and snapshots
 *        every member's measures in both periods (one transaction, audited naming them);
 *   GET  /cohort-studies  the studies the caller may see;
 *   GET  /cohort-studies/{id}?outcome=&factors=  the report: each measure's pairs tested,
 *        and the change of `outcome` regressed on the factors;
 *   GET  /cohort-studies/{id}/regression?outcome=&factors=  the coefficients as a list;
 *   GET  /cohort-studies/{id}/members  each member's factors and values, numbered, never
 *        named (the data set for `jiayi stats`; the read audited naming them).
 * The commission, a centre and a team's lead (ACT_EVALUATION); a study of a team is seen by
 * whoever sees the team, any other by whoever's area holds its region. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/audit.h"
#include "auth/audit_queue.h"
#include "auth/scope.h"
#include "domain/cohort.h"
#include "domain/id_number.h"
#include "json/jsonx.h"
#include "store/cohort_studies.h"
#include "store/registry.h"
#include "store/residents.h"

#define MAX_LIST_RESIDENTS 10000

/* {from, to} of body.name: 0, or -1 with err naming "name.from" / "name.to". */
static int read_period(json_t *body, const char *name, struct date *from, struct date *to,
                       struct jy_error *err)
{
    json_t *o = json_object_get(body, name);
    if (!o) return jy_fail(err, 422, "missing_field", name, NULL);
    if (!json_is_object(o)) return jy_fail(err, 422, "invalid_field", name, "{from, to}");
    if (jx_date(o, "from", JX_REQUIRED, from, NULL, err) < 0 ||
        jx_date(o, "to", JX_REQUIRED, to, NULL, err) < 0) {
        /* "before.from": the period's name is short, the date's field "from" or "to". */
        const char *part = !strcmp(err->field, "from") ? "from" : "to";
        snprintf(err->field, sizeof err->field, "%.16s.%s", name, part);
        return -1;
    }
    return 0;
}

/* A list's residents: `resident_ids`, or `id_numbers` as a spreadsheet of the intervention's
 * participants has them (found by their digest); each in the caller's scope. */
static int read_residents(struct request *r, json_t *body, int64_t **out, size_t *n)
{
    json_t *ids = json_object_get(body, "resident_ids"),
           *numbers = json_object_get(body, "id_numbers");
    const char *field = numbers && !ids ? "id_numbers" : "resident_ids";
    json_t *list = numbers && !ids ? numbers : ids;
    if (!list) return reply_problem(r, 422, "missing_field", "resident_ids");
    if (!json_is_array(list) || !json_array_size(list) ||
        json_array_size(list) > MAX_LIST_RESIDENTS)
        return reply_problem(r, 422, "invalid_field", field);
    *out = malloc(json_array_size(list) * sizeof **out);
    if (!*out) return reply_problem(r, 500, "internal_error", NULL);
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        int64_t id = json_is_integer(item) ? json_integer_value(item) : 0;
        if (list == numbers) {
            struct id_number_info info;
            struct jy_error err;
            if (!json_is_string(item) ||
                id_number_parse(json_string_value(item), date_today(), field, &info, &err) < 0) {
                jy_fail(&err, 422, "invalid_id_number", field, "item %zu", i + 1);
                return reply_error(r, &err);
            }
            id = store_resident_by_id_number(r->db, info.normalized);
            if (id == STORE_NOT_FOUND) {
                jy_fail(&err, 422, "invalid_field", field, "item %zu is not registered", i + 1);
                return reply_error(r, &err);
            }
            if (id < 0) return reply_problem(r, 500, "internal_error", NULL);
        }
        if (id < 1) return reply_problem(r, 422, "invalid_field", field);
        if (scope_require_resident(r, id) < 0) return -1;
        (*out)[(*n)++] = id;
    }
    return 0;
}

/* The kind's cohort named and checked against the caller's scope; in->region filled. */
static int read_cohort(struct request *r, json_t *body, struct cohort_study_input *in,
                       char region[16], int64_t **residents)
{
    static const char *const PROGRAMS[] = {"hypertension", "diabetes", "smd",      "tb", "copd",
                                           "elderly",      "child",    "maternal", NULL};
    struct jy_error err;
    const char *region_text = NULL;
    int has_team = 0, has_package = 0;
    if (jx_int(body, "team_id", JX_OPTIONAL, 1, INT64_MAX, &in->team_id, &has_team, &err) < 0 ||
        jx_int(body, "package_id", JX_OPTIONAL, 1, INT64_MAX, &in->package_id, &has_package, &err) <
            0 ||
        jx_string(body, "region", JX_OPTIONAL, 12, &region_text, &err) < 0 ||
        (!strcmp(in->kind, "program") &&
         jx_enum(body, "program", JX_REQUIRED, PROGRAMS, &in->program, &err) < 0))
        return reply_error(r, &err);
    int by_team = !strcmp(in->kind, "service_group") || !strcmp(in->kind, "program");
    if (by_team && !has_team) return reply_problem(r, 422, "missing_field", "team_id");
    if (has_team) {
        int found = store_team_region(r->db, in->team_id, region);
        if (found == STORE_NOT_FOUND) return reply_problem(r, 422, "invalid_field", "team_id");
        if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
        if (scope_require_team(r, in->team_id) < 0) return -1;
    }
    if (by_team) return 0;
    /* A package's signers or a list: in an area the caller holds whole. */
    if (!region_text) return reply_problem(r, 422, "missing_field", "region");
    if (scope_require_region_inside(r, region_text, "region") < 0) return -1;
    snprintf(region, 16, "%s", region_text);
    if (!strcmp(in->kind, "package")) {
        if (!has_package) return reply_problem(r, 422, "missing_field", "package_id");
        int known = store_cohort_package_known(r->db, in->package_id);
        if (known < 0) return reply_problem(r, 500, "internal_error", NULL);
        if (!known) return reply_problem(r, 422, "invalid_field", "package_id");
        return 0;
    }
    return read_residents(r, body, residents, &in->n_residents);
}

int handle_cohort_study_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    static const char *const KINDS[] = {"service_group", "package", "program", "list", NULL};
    struct jy_error err;
    struct cohort_study_input in = {0};
    struct date bf, bt, af, at;
    int64_t *residents = NULL, *members = NULL;
    size_t n_members = 0;
    char region[16] = "", dates[4][11], county[7], id_text[24], when[32];
    const char *field = NULL;
    int rc = -1;
    if (jx_string(body, "name", JX_REQUIRED, 100, &in.name, &err) < 0 ||
        jx_enum(body, "kind", JX_REQUIRED, KINDS, &in.kind, &err) < 0 ||
        read_period(body, "before", &bf, &bt, &err) < 0 ||
        read_period(body, "after", &af, &at, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (cohort_periods_check(bf, bt, af, at, date_today(), &field) < 0) {
        rc = reply_problem(r, 422, "invalid_field", field);
        goto done;
    }
    if (read_cohort(r, body, &in, region, &residents) < 0) goto done;
    struct date period[4] = {bf, bt, af, at};
    for (int i = 0; i < 4; i++)
        date_format(period[i], dates[i]);
    api_county_of(region, county);
    in.region = region;
    in.county_code = county;
    in.before_from = dates[0];
    in.before_to = dates[1];
    in.after_from = dates[2];
    in.after_to = dates[3];
    in.before_months = cohort_months(bf, bt);
    in.after_months = cohort_months(af, at);
    in.residents = residents;
    in.created_by = r->user.user_id;
    if (api_begin(r) < 0) goto done;
    int64_t id = store_cohort_study_create(r->db, &in, &members, &n_members);
    if (id < 0) {
        api_fail_internal(r, "cohort study");
        goto done;
    }
    if (id == 0 || n_members == 0) {
        jy_fail(&err, 422, id == 0 ? "cohort_too_large" : "empty_cohort", "kind", NULL);
        api_fail(r, &err);
        goto done;
    }
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    audit_now(when);
    if (audit_append_subjects_at(r->db, &r->user, r->request_id, "create", "cohort_study", id_text,
                                 members, n_members, when) < 0) {
        api_fail_internal(r, "cohort study audit");
        goto done;
    }
    if (api_commit(r) < 0) goto done;
    json_t *out = store_cohort_study_json(r->db, id);
    rc = out ? reply_json(r, 201, out) : reply_problem(r, 500, "internal_error", NULL);
done:
    free(residents);
    free(members);
    return rc;
}

/* The study named by the path, if the caller may see it: 1, or -1 having replied. */
static int require_study(struct request *r, struct cohort_study_row *row)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_cohort_study_get(r->db, id, row);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found) return reply_problem(r, 404, "not_found", NULL);
    if (row->team_id) return scope_require_team(r, row->team_id) < 0 ? -1 : 1;
    return scope_require_region_inside(r, row->region, NULL) < 0 ? -1 : 1;
}

int handle_cohort_studies_list(struct request *r)
{
    struct scope_regions area;
    if (scope_regions_load_or_reply(r, &area) < 0) return -1;
    json_t *all = store_cohort_studies_list(r->db, 2000);
    if (!all) return reply_problem(r, 500, "internal_error", NULL);
    json_t *items = json_array();
    size_t i;
    json_t *study;
    json_array_foreach(all, i, study) {
        json_t *team = json_object_get(study, "team_id");
        int visible =
            json_is_integer(team)
                ? scope_sees_team(r, json_integer_value(team))
                : scope_regions_cover(&area, json_string_value(json_object_get(study, "region")));
        if (visible) json_array_append(items, study);
    }
    json_decref(all);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* Why a statistic could not be computed, as the API names it. */
static const char *why_not(enum stats_error e)
{
    static const char *const WHY[] = {"", "too_few", "not_finite", "constant", "collinear"};
    return WHY[e];
}

static json_t *test_json(const struct cohort_test *t, const char *method)
{
    if (t->err != STATS_OK) return json_pack("{s:s}", "error", why_not(t->err));
    json_t *o = json_pack("{s:f, s:f}", "statistic", t->statistic, "p", t->p);
    if (t->df > 0) json_object_set_new(o, "df", json_real(t->df));
    if (method) json_object_set_new(o, "method", json_string(method));
    return o;
}

static json_t *number_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *measure_json(const struct cohort_measure *m, const struct cohort_result *res, int en)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:I, s:o, s:o, s:o}", "code", m->code, "name",
                  en ? m->en : m->zh, "kind", m->kind == COHORT_BINARY ? "binary" : "score", "n",
                  (json_int_t)res->n, "before_mean", number_or_null(res->before_mean), "after_mean",
                  number_or_null(res->after_mean), "mean_change", number_or_null(res->mean_change));
    if (m->kind == COHORT_BINARY) {
        json_object_set_new(o, "before_yes", json_integer(res->before_yes));
        json_object_set_new(o, "after_yes", json_integer(res->after_yes));
        json_object_set_new(o, "b", json_integer(res->b));
        json_object_set_new(o, "c", json_integer(res->c));
        json_object_set_new(o, "mcnemar",
                            test_json(&res->mcnemar, res->mcnemar.exact ? "exact" : "chi2"));
        return o;
    }
    json_object_set_new(o, "before_sd", number_or_null(res->before_sd));
    json_object_set_new(o, "after_sd", number_or_null(res->after_sd));
    json_object_set_new(o, "before_median", number_or_null(res->before_median));
    json_object_set_new(o, "after_median", number_or_null(res->after_median));
    json_object_set_new(o, "paired_t", test_json(&res->paired_t, NULL));
    json_object_set_new(o, "wilcoxon",
                        test_json(&res->wilcoxon, res->wilcoxon.exact ? "exact" : "normal"));
    return o;
}

/* Every measure analysed, in domain/cohort.h's order. NULL on error. */
static json_t *measures_json(struct request *r, const struct cohort_study_row *row)
{
    size_t cap = (size_t)row->members;
    double *before = malloc((cap + 1) * sizeof *before), *after = malloc((cap + 1) * sizeof *after);
    json_t *items = before && after ? json_array() : NULL;
    for (int i = 0; items && i < COHORT_MEASURE_COUNT; i++) {
        size_t n = cap;
        if (store_cohort_values(r->db, row->id, COHORT_MEASURES[i].code, before, after, &n) < 0) {
            json_decref(items);
            items = NULL;
            break;
        }
        struct cohort_result res;
        cohort_analyse(COHORT_MEASURES[i].kind, before, after, n, &res);
        json_array_append_new(items, measure_json(&COHORT_MEASURES[i], &res, r->lang_en));
    }
    free(before);
    free(after);
    return items;
}

/* A study's measures never change (its data set is a snapshot, docs/evaluation.md), so
 * their table is computed once per study and language in this process: a township's study of
 * 11,886 members read 600,000 values (70 ms) on every open. A copy is handed out each time. */
#define MEASURES_CACHED 16
static struct {
    int64_t id;
    int en;
    json_t *items;
} measures_cache[MEASURES_CACHED];
static unsigned measures_cache_next;
static pthread_mutex_t measures_cache_lock = PTHREAD_MUTEX_INITIALIZER;

static json_t *measures_cached(struct request *r, const struct cohort_study_row *row)
{
    json_t *copy = NULL;
    pthread_mutex_lock(&measures_cache_lock);
    for (int i = 0; i < MEASURES_CACHED && !copy; i++)
        if (measures_cache[i].items && measures_cache[i].id == row->id &&
            measures_cache[i].en == r->lang_en)
            copy = json_deep_copy(measures_cache[i].items);
    pthread_mutex_unlock(&measures_cache_lock);
    if (copy) return copy;
    json_t *items = measures_json(r, row);
    if (!items) return NULL;
    pthread_mutex_lock(&measures_cache_lock);
    unsigned slot = measures_cache_next++ % MEASURES_CACHED;
    json_decref(measures_cache[slot].items);
    measures_cache[slot].id = row->id;
    measures_cache[slot].en = r->lang_en;
    measures_cache[slot].items = json_deep_copy(items);
    pthread_mutex_unlock(&measures_cache_lock);
    return items;
}

/* The regression the query asks (?outcome=, ?factors=a,b), or the defaults: the change of
 * family-doctor visits a month on every factor. NULL having replied. */
static json_t *regression_json(struct request *r, const struct cohort_study_row *row)
{
    const char *outcome = request_query(r, "outcome"), *factor_list = request_query(r, "factors");
    if (!outcome || !*outcome) outcome = "fd_visits_per_month";
    int m = cohort_measure_find(outcome);
    if (m < 0 || COHORT_MEASURES[m].kind != COHORT_SCORE) {
        reply_problem(r, 422, "invalid_field", "outcome");
        return NULL;
    }
    int chosen[COHORT_FACTOR_COUNT], p = 0;
    if (!factor_list || !*factor_list) {
        for (int j = 0; j < COHORT_FACTOR_COUNT; j++)
            chosen[p++] = j;
    } else {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", factor_list);
        for (char *save = NULL, *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
            int j = cohort_factor_find(f);
            int repeated = 0;
            for (int i = 0; i < p; i++)
                repeated |= chosen[i] == j;
            if (j < 0 || repeated) {
                reply_problem(r, 422, "invalid_field", "factors");
                return NULL;
            }
            chosen[p++] = j;
        }
    }
    size_t cap = (size_t)row->members, n = cap, nf = cap;
    double *before = malloc((cap + 1) * sizeof *before), *after = malloc((cap + 1) * sizeof *after);
    double *factors = malloc((cap + 1) * COHORT_FACTOR_COUNT * sizeof *factors);
    double *x = malloc((cap + 1) * (size_t)p * sizeof *x);
    json_t *out = NULL;
    if (!before || !after || !factors || !x ||
        store_cohort_values(r->db, row->id, outcome, before, after, &n) < 0 ||
        store_cohort_factors(r->db, row->id, factors, &nf) < 0 || n != nf) {
        reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        before[i] = after[i] - before[i]; /* the change; NaN when either is missing */
    /* By default every factor that varies among the members with a change (a cohort without
     * a disabled member cannot estimate that factor); a factor the caller names stays. */
    json_t *dropped = json_array();
    if (!factor_list || !*factor_list) {
        int kept = 0;
        for (int j = 0; j < p; j++) {
            double first = NAN;
            int varies = 0;
            for (size_t i = 0; i < n && !varies; i++) {
                if (!isfinite(before[i])) continue;
                double v = factors[i * COHORT_FACTOR_COUNT + (size_t)chosen[j]];
                if (isnan(first)) first = v;
                varies = v != first;
            }
            if (varies)
                chosen[kept++] = chosen[j];
            else
                json_array_append_new(dropped, json_string(COHORT_FACTORS[chosen[j]].code));
        }
        p = kept;
    }
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < p; j++)
            x[i * (size_t)p + (size_t)j] = factors[i * COHORT_FACTOR_COUNT + (size_t)chosen[j]];
    json_t *names = json_array();
    for (int j = 0; j < p; j++)
        json_array_append_new(names, json_string(COHORT_FACTORS[chosen[j]].code));
    out = json_pack("{s:s, s:o, s:o}", "outcome", outcome, "factors", names, "dropped", dropped);
    struct stats_ols ols;
    enum stats_error e = cohort_regress(before, x, n, (size_t)p, &ols);
    if (e != STATS_OK) {
        json_object_set_new(out, "error", json_string(why_not(e)));
        goto done;
    }
    json_t *coefficients = json_array();
    for (size_t j = 0; j < ols.k; j++) {
        const struct cohort_factor *f = j ? &COHORT_FACTORS[chosen[j - 1]] : NULL;
        json_array_append_new(
            coefficients,
            json_pack("{s:s, s:s, s:f, s:f, s:f, s:f}", "name", f ? f->code : "const", "label",
                      f ? (r->lang_en ? f->en : f->zh) : (r->lang_en ? "Intercept" : "常数项"),
                      "estimate", ols.coef[j], "se", ols.se[j], "t", ols.t[j], "p", ols.p[j]));
    }
    json_object_set_new(out, "n", json_integer((json_int_t)ols.n));
    json_object_set_new(out, "coefficients", coefficients);
    json_object_set_new(out, "r2", json_real(ols.r2));
    json_object_set_new(out, "adj_r2", json_real(ols.adj_r2));
    json_object_set_new(out, "f", json_real(ols.f));
    json_object_set_new(out, "f_p", json_real(ols.f_p));
    json_object_set_new(out, "df_resid", json_real(ols.df_resid));
done:
    free(before);
    free(after);
    free(factors);
    free(x);
    return out;
}

int handle_cohort_study_get(struct request *r)
{
    struct cohort_study_row row;
    if (require_study(r, &row) < 0) return -1;
    json_t *regression = regression_json(r, &row);
    if (!regression) return -1;
    json_t *out = store_cohort_study_json(r->db, row.id);
    json_t *items = measures_cached(r, &row);
    if (!out || !items) {
        json_decref(out);
        json_decref(items);
        json_decref(regression);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    json_object_set_new(out, "items", items);
    json_object_set_new(out, "regression", regression);
    return reply_json(r, 200, out);
}

int handle_cohort_study_regression(struct request *r)
{
    struct cohort_study_row row;
    if (require_study(r, &row) < 0) return -1;
    json_t *out = regression_json(r, &row);
    if (!out) return -1;
    json_t *coefficients = json_object_get(out, "coefficients");
    json_object_set_new(out, "items", coefficients ? json_incref(coefficients) : json_array());
    json_object_del(out, "coefficients");
    return reply_json(r, 200, out);
}

int handle_cohort_study_members(struct request *r)
{
    struct cohort_study_row row;
    int limit;
    int64_t cursor;
    if (require_study(r, &row) < 0 || request_page(r, &limit, &cursor) < 0) return -1;
    int64_t *residents = NULL;
    size_t n = 0;
    json_t *items = store_cohort_members_page(r->db, row.id, cursor, limit, &residents, &n);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)row.id);
    if (n) audit_queue_push_list(&r->user, r->request_id, "cohort_members", id_text, residents, n);
    free(residents);
    int64_t last = cursor + (int64_t)n;
    return reply_json(r, 200, api_page(items, last < row.members ? last : 0, row.members));
}
