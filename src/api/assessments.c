/* assessments.c (api) - assessment rounds with spot checks (考核与抽查, issue 19,
 * domain/assessment.h, docs/assessments.md):
 *   POST /assessment-rounds {level, period, institution_id | region, sample_per_team?,
 *        full_rate?}  a round: each team of the institution (or county) gets a sample of its
 *        records of the period to re-verify by phone;
 *   GET  /assessment-rounds  the rounds inside the caller's area;
 *   GET  /assessment-rounds/{id}  a round with its teams' tallies, and for the assessors the
 *        checks with the residents' names and phones (audited as a read of each);
 *   POST /assessment-rounds/{id}/checks/{check_id} {outcome, finding?}  a call's outcome,
 *        by someone not on the checked team;
 *   POST /assessment-rounds/{id}/sign-off  every check done: each team's coefficient kept,
 *        applied from then on to its appraisal score (GET /team-scores).
 * A centre's administrator runs institution rounds, the health commission both. One
 * transaction each, audited. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/assessment.h"
#include "json/jsonx.h"
#include "store/assessments.h"
#include "store/registry.h"
#include "store/team_scores.h"

#define MAX_ROUND_TEAMS 400

int handle_assessment_round_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *level_text = NULL, *period = NULL, *region_text = NULL;
    int64_t institution = 0, sample = ASSESSMENT_SAMPLE_DEFAULT,
            full_rate = ASSESSMENT_FULL_RATE_DEFAULT;
    int has_institution = 0, rc = -1;
    static const char *const LEVELS[] = {"institution", "county", NULL};
    struct scope_team *teams = NULL;
    if (jx_enum(body, "level", JX_REQUIRED, LEVELS, &level_text, &err) < 0 ||
        jx_string(body, "period", JX_REQUIRED, 7, &period, &err) < 0 ||
        jx_int(body, "institution_id", JX_OPTIONAL, 1, INT64_MAX, &institution, &has_institution,
               &err) < 0 ||
        jx_string(body, "region", JX_OPTIONAL, 12, &region_text, &err) < 0 ||
        jx_int(body, "sample_per_team", JX_OPTIONAL, 1, 100, &sample, NULL, &err) < 0 ||
        jx_int(body, "full_rate", JX_OPTIONAL, 50, 100, &full_rate, NULL, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    enum assessment_level level = (enum assessment_level)assessment_level_parse(level_text);
    struct date first, last;
    if (assessment_period_parse(period, level, &first, &last) < 0) {
        rc = reply_problem(r, 422, "invalid_field", "period");
        goto done;
    }
    if (date_compare(first, date_today()) > 0) { /* nothing recorded yet to check */
        rc = reply_problem(r, 422, "invalid_field", "period");
        goto done;
    }
    char region[16];
    if (level == ASSESSMENT_INSTITUTION) {
        if (!has_institution) {
            rc = reply_problem(r, 422, "missing_field", "institution_id");
            goto done;
        }
        if (scope_require_institution(r, institution, "institution_id") < 0) goto done;
        if (store_institution_region(r->db, institution, region) != 0) {
            rc = reply_problem(r, 500, "internal_error", NULL);
            goto done;
        }
    } else {
        /* The county assesses: its commission, not a centre. */
        if (r->user.role != ROLE_HEALTH_COMMISSION) {
            rc = reply_problem(r, 403, "out_of_role", "level");
            goto done;
        }
        if (!region_text) {
            rc = reply_problem(r, 422, "missing_field", "region");
            goto done;
        }
        /* a county (GB/T 2260: not a city NNNN00 nor a province NN0000) */
        if (strlen(region_text) != 6 || strspn(region_text, "0123456789") != 6 ||
            !strcmp(region_text + 4, "00")) {
            rc = reply_problem(r, 422, "invalid_field", "region");
            goto done;
        }
        if (scope_require_region_inside(r, region_text, "region") < 0) goto done;
        snprintf(region, sizeof region, "%s", region_text);
    }
    teams = calloc(MAX_ROUND_TEAMS, sizeof *teams);
    int n = teams ? store_scope_teams(r->db, level == ASSESSMENT_INSTITUTION ? 'i' : 'r', region,
                                      institution, teams, MAX_ROUND_TEAMS)
                  : -1;
    if (n < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    char first_text[11], last_text[11], county[7];
    date_format(first, first_text);
    date_format(last, last_text);
    api_county_of(region, county);
    struct assessment_round_input in = {level_text,
                                        period,
                                        first_text,
                                        last_text,
                                        region,
                                        county,
                                        level == ASSESSMENT_INSTITUTION ? institution : 0,
                                        r->user.user_id,
                                        (int)sample,
                                        (int)full_rate};
    if (api_begin(r) < 0) goto done;
    int64_t id = store_assessment_round_insert(r->db, &in);
    if (id == DB_CONSTRAINT) {
        jy_fail(&err, 409, "round_exists", "period", NULL);
        api_fail(r, &err);
        goto done;
    }
    for (int t = 0; id > 0 && t < n; t++)
        if (store_assessment_sample(r->db, id, teams[t].id, first_text, last_text, (int)sample) < 0)
            id = -1;
    if (id < 0) {
        api_fail_internal(r, "assessment round");
        goto done;
    }
    if (api_audit(r, "create", "assessment_round", id, 0) < 0 || api_commit(r) < 0) goto done;
    json_t *out = store_assessment_round_json(r->db, id, 0);
    rc = out ? reply_json(r, 201, out) : reply_problem(r, 500, "internal_error", NULL);
done:
    free(teams);
    return rc;
}

/* The round named by the path, wholly inside the caller's area: 1 and *row, or -1 (replied).
 * An unknown round and one outside the area answer alike. */
static int require_round(struct request *r, struct assessment_round_row *row)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_assessment_round_get(r->db, id, row);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found) return reply_problem(r, 404, "not_found", NULL);
    return scope_require_region_inside(r, row->region, NULL) < 0 ? -1 : 1;
}

/* The county's round is the commission's to call and sign, whoever else's area holds it. */
static int require_assessor(struct request *r, const struct assessment_round_row *row)
{
    if (!strcmp(row->level, "county") && r->user.role != ROLE_HEALTH_COMMISSION)
        return reply_problem(r, 403, "out_of_role", NULL);
    return 0;
}

int handle_assessment_rounds_list(struct request *r)
{
    struct scope_regions area;
    if (scope_regions_load_or_reply(r, &area) < 0) return -1;
    json_t *all = store_assessment_rounds_list(r->db, 2000);
    if (!all) return reply_problem(r, 500, "internal_error", NULL);
    json_t *items = json_array();
    size_t i;
    json_t *round;
    json_array_foreach(all, i, round) {
        if (scope_regions_cover(&area, json_string_value(json_object_get(round, "region"))))
            json_array_append(items, round);
    }
    json_decref(all);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

int handle_assessment_round_get(struct request *r)
{
    struct assessment_round_row row;
    if (require_round(r, &row) < 0) return -1;
    int assessor = role_allows(r->user.role, ACT_ASSESSMENT_WRITE);
    json_t *out = store_assessment_round_json(r->db, row.id, assessor);
    if (!out) return reply_problem(r, 500, "internal_error", NULL);
    if (assessor) {
        char id_text[24];
        snprintf(id_text, sizeof id_text, "%lld", (long long)row.id);
        api_audit_list(r, "assessment_round", id_text, json_object_get(out, "items"),
                       "resident_id");
    }
    return reply_json(r, 200, out);
}

int handle_assessment_check_set(struct request *r)
{
    struct assessment_round_row row;
    int64_t check_id, team = 0, resident = 0;
    if (require_round(r, &row) < 0 || require_assessor(r, &row) < 0 ||
        request_param_id(r, 1, &check_id) < 0)
        return -1;
    int found = store_assessment_check_get(r->db, row.id, check_id, &team, &resident);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found) return reply_problem(r, 404, "not_found", NULL);
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *outcome = NULL, *finding = NULL;
    static const char *const OUTCOMES[] = {"confirmed", "not_confirmed", "unreachable", NULL};
    int rc = -1;
    if (jx_enum(body, "outcome", JX_REQUIRED, OUTCOMES, &outcome, &err) < 0 ||
        jx_string(body, "finding", JX_OPTIONAL, 500, &finding, &err) < 0) {
        return reply_error(r, &err);
    }
    /* A team does not check its own records. */
    if (scope_on_team(r, team)) {
        return reply_problem(r, 403, "rater_on_team", "check_id");
    }
    if (strcmp(row.status, "open")) {
        return reply_problem(r, 409, "round_signed_off", NULL);
    }
    if (api_begin(r) < 0) return rc;
    /* Re-read inside the writer: a sign-off may have come in between. */
    if (store_assessment_round_get(r->db, row.id, &row) != 1 || strcmp(row.status, "open")) {
        api_rollback(r);
        return reply_problem(r, 409, "round_signed_off", NULL);
    }
    if (store_assessment_check_set(r->db, check_id, outcome, finding, r->user.user_id) < 0) {
        api_fail_internal(r, "assessment check");
        return rc;
    }
    if (api_audit(r, "update", "assessment_check", check_id, resident) < 0 || api_commit(r) < 0)
        return rc;
    rc = reply_json(r, 200,
                    json_pack("{s:I,s:I,s:I,s:s,s:s?}", "id", (json_int_t)check_id, "round_id",
                              (json_int_t)row.id, "team_id", (json_int_t)team, "outcome", outcome,
                              "finding", finding));
    return rc;
}

int handle_assessment_sign_off(struct request *r)
{
    struct assessment_round_row row;
    if (require_round(r, &row) < 0 || require_assessor(r, &row) < 0) return -1;
    int64_t teams[MAX_ROUND_TEAMS];
    struct assessment_tally tallies[MAX_ROUND_TEAMS], total;
    if (api_begin(r) < 0) return -1;
    int n = store_assessment_tallies(r->db, row.id, teams, tallies, MAX_ROUND_TEAMS, &total);
    if (n < 0) return api_fail_internal(r, "assessment tallies");
    const char *refusal = assessment_signoff_refusal(&total);
    if (refusal) {
        api_rollback(r);
        return reply_problem(r, 409, refusal, NULL);
    }
    int signed_off = store_assessment_sign_off(r->db, row.id, r->user.user_id);
    if (signed_off < 0) return api_fail_internal(r, "assessment sign-off");
    if (signed_off == 1) {
        api_rollback(r);
        return reply_problem(r, 409, "round_signed_off", NULL);
    }
    for (int t = 0; t < n; t++) {
        int judged;
        int coefficient = assessment_coefficient(&tallies[t], row.full_rate, &judged);
        if (store_assessment_result_insert(r->db, row.id, teams[t], &tallies[t], judged,
                                           coefficient) < 0)
            return api_fail_internal(r, "assessment result");
    }
    if (api_audit(r, "sign_off", "assessment_round", row.id, 0) < 0 || api_commit(r) < 0) return -1;
    json_t *out = store_assessment_round_json(r->db, row.id, 0);
    return out ? reply_json(r, 200, out) : reply_problem(r, 500, "internal_error", NULL);
}
