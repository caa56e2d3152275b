/* surveys.c - questionnaires and their answers (docs/resident-loop.md "Surveys"): the two
 * instruments migration 030 ships (post-service satisfaction by dimension, the revised
 * Wake Forest physician trust scale), a response given by the resident on the portal or
 * collected on a telephone call-back by someone outside the rated team (the independence
 * rule of domain/satisfaction.h), what a resident has due and has answered, and a team's
 * results. The overall satisfaction answer is also a satisfaction_answers row, so
 * satisfaction_rate reads it; the trust total feeds trust_score_mean (kpi/direct.c). */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/questionnaire.h"
#include "domain/satisfaction.h"
#include "json/jsonx.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/services.h"
#include "store/surveys.h"

int handle_questionnaires_list(struct request *r)
{
    json_t *items = store_questionnaires_list(r->db, r->lang_en);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}

/* The answers of the body: [{"n","value"}], each field named on error. 0, or -1 with err. */
static int read_answers(json_t *body, struct questionnaire_answer *out, size_t *count,
                        struct jy_error *err)
{
    json_t *answers = json_object_get(body, "answers");
    if (!answers) return jy_fail(err, 422, "missing_field", "answers", NULL);
    if (!json_is_array(answers) || json_array_size(answers) > QUESTIONNAIRE_MAX_ITEMS)
        return jy_fail(err, 422, "invalid_field", "answers", "a list of at most %d answers",
                       QUESTIONNAIRE_MAX_ITEMS);
    size_t i;
    json_t *a;
    json_array_foreach(answers, i, a) {
        char field[32];
        snprintf(field, sizeof field, "answers[%zu]", i);
        if (!json_is_object(a)) return jy_fail(err, 422, "invalid_field", field, "an object");
        if (jx_int(a, "n", JX_REQUIRED, 1, 1000, &out[i].n, NULL, err) < 0 ||
            jx_int(a, "value", JX_REQUIRED, -1000, 1000, &out[i].value, NULL, err) < 0) {
            char named[sizeof field + sizeof err->field + 1];
            snprintf(named, sizeof named, "%s.%s", field, err->field);
            memcpy(err->field, named, sizeof err->field - 1);
            err->field[sizeof err->field - 1] = 0;
            return -1;
        }
    }
    *count = json_array_size(answers);
    return 0;
}

/* The team a response rates: the one named (the caller's to name) or the resident's
 * contract team; when the resident has a contract, a named team must be that one; a team
 * there must be. 0 and *team, or replies and -1. */
static int rated_team_or_reply(struct request *r, int64_t resident, int has_team, int64_t *team)
{
    int64_t signed_with = store_active_contract_team(r->db, resident);
    if (signed_with < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!has_team) {
        if (!signed_with) return reply_problem(r, 422, "missing_field", "team_id");
        *team = signed_with;
        return 0;
    }
    if (store_team_exists(r->db, *team) != 1)
        return reply_problem(r, 422, "invalid_field", "team_id");
    if (r->user.role != ROLE_RESIDENT && scope_require_team(r, *team) < 0) return -1;
    if (signed_with != *team) return reply_problem(r, 422, "invalid_field", "team_id");
    return 0;
}

static json_t *dimensions_json(const struct questionnaire_score *s)
{
    json_t *list = json_array();
    for (int d = 0; d < s->dimension_count; d++)
        json_array_append_new(
            list, json_pack("{s:s, s:f}", "code", s->dimension[d], "mean", s->dimension_mean[d]));
    return list;
}

/* The overall satisfaction answer as a satisfaction_answers row, once per resident, team and
 * quarter (domain/satisfaction.h): its id, 0 when the quarter already has one, -1 on error. */
static int64_t overall_satisfaction(struct request *r, const struct survey_questionnaire *sq,
                                    const struct questionnaire_score *s, int64_t resident,
                                    int64_t team, struct date on, const char *on_text,
                                    enum satisfaction_channel channel)
{
    struct date first, last;
    char from[11], to[11], region[16], county[7];
    int score = 0;
    for (int i = 0; i < sq->q.count; i++)
        if (sq->q.items[i].n == sq->overall_item) score = s->scored[i];
    if (!score) return 0;
    satisfaction_period(on, &first, &last);
    date_format(first, from);
    date_format(last, to);
    int answered = store_satisfaction_answered(r->db, resident, team, from, to);
    if (answered) return answered < 0 ? -1 : 0;
    if (store_resident_region(r->db, resident, region) < 0) return -1;
    api_county_of(region, county);
    return store_satisfaction_insert(r->db, resident, on_text, team, score, county,
                                     satisfaction_channel_name(channel), -1, r->user.user_id);
}

/* Records a response from a body shaped as POST /survey-responses takes it: 0 and *out (the
 * API's answer), or -1 after replying. */
static int record_response(struct request *r, json_t *body, json_t **out)
{
    static const char *const CHANNELS[] = {"portal", "phone_callback", NULL};
    struct survey_questionnaire sq;
    struct questionnaire_answer answers[QUESTIONNAIRE_MAX_ITEMS];
    struct questionnaire_score score;
    size_t count = 0;
    int64_t resident, team = 0;
    int has_team = 0, has_on = 0, rc = -1;
    struct date on = date_today();
    char on_text[11];
    const char *code = NULL, *channel_text = NULL;
    struct jy_error err;
    int is_resident = r->user.role == ROLE_RESIDENT;
    if (jx_string(body, "questionnaire", JX_REQUIRED, 40, &code, &err) < 0 ||
        jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        jx_int(body, "team_id", JX_OPTIONAL, 1, INT64_MAX, &team, &has_team, &err) < 0 ||
        jx_enum(body, "channel", JX_OPTIONAL, CHANNELS, &channel_text, &err) < 0 ||
        jx_date(body, "answered_on", JX_OPTIONAL, &on, &has_on, &err) < 0)
        goto bad;
    if (has_on && date_compare(on, date_today()) > 0) {
        jy_fail(&err, 422, "invalid_date", "answered_on", "in the future");
        goto bad;
    }
    int found = store_questionnaire_load(r->db, code, &sq);
    if (found < 0) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    if (!found) {
        jy_fail(&err, 422, "invalid_field", "questionnaire", "no such questionnaire");
        goto bad;
    }
    if (read_answers(body, answers, &count, &err) < 0 ||
        questionnaire_score(&sq.q, answers, count, &score, &err) < 0)
        goto bad;
    if (!channel_text) channel_text = is_resident ? "portal" : "phone_callback";
    enum satisfaction_channel channel =
        strcmp(channel_text, "portal") ? SATISFACTION_PHONE_CALLBACK : SATISFACTION_RESIDENT;
    /* A resident answers for themself only, not for the household members they see. */
    if (is_resident && resident != r->user.resident_id) {
        rc = reply_problem(r, 403, "out_of_scope", "resident_id");
        goto done;
    }
    if (scope_require_resident(r, resident) < 0 ||
        rated_team_or_reply(r, resident, has_team, &team) < 0)
        goto done;
    int on_team = !is_resident && r->user.staff_id &&
                  store_team_has_member(r->db, team, r->user.staff_id) == 1;
    const char *refusal =
        satisfaction_refusal(is_resident, resident == r->user.resident_id, on_team, channel);
    if (refusal) {
        rc = reply_problem(r, 403, refusal,
                           strcmp(refusal, "rater_on_team") ? "channel" : "team_id");
        goto done;
    }
    date_format(on, on_text);
    if (api_begin(r) < 0) goto done;
    /* Inside the writer, so two answers at the same moment see each other. */
    char last[11];
    struct date last_day;
    int answered = store_survey_last_answered(r->db, resident, sq.id, team, last);
    if (answered < 0) goto internal;
    if (answered && date_parse(last, &last_day) == 0 &&
        date_compare(on, date_add_days(last_day, sq.interval_days)) < 0 &&
        date_compare(on, last_day) >= 0) {
        api_rollback(r);
        rc = reply_problem(r, 409, "survey_not_due", "questionnaire");
        goto done;
    }
    int64_t satisfaction =
        sq.overall_item ? overall_satisfaction(r, &sq, &score, resident, team, on, on_text, channel)
                        : 0;
    if (satisfaction < 0) goto internal;
    struct survey_response_input in = {.questionnaire_id = sq.id,
                                       .resident_id = resident,
                                       .team_id = team,
                                       .recorded_by = r->user.user_id,
                                       .satisfaction_id = satisfaction,
                                       .channel = channel_text,
                                       .answered_on = on_text,
                                       .q = &sq.q,
                                       .score = &score};
    int64_t id = store_survey_response_insert(r->db, &in);
    if (id < 0) goto internal;
    if ((satisfaction &&
         api_audit(r, "create", "satisfaction_answer", satisfaction, resident) < 0) ||
        api_audit(r, "create", "survey_response", id, resident) < 0 || api_commit(r) < 0)
        goto done;
    *out =
        json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:i, s:i, s:i, s:o, s:b}", "id", (json_int_t)id,
                  "questionnaire", sq.code, "resident_id", (json_int_t)resident, "team_id",
                  (json_int_t)team, "channel", channel_text, "answered_on", on_text, "total",
                  score.total, "min_total", score.min_total, "max_total", score.max_total,
                  "dimensions", dimensions_json(&score), "satisfaction_recorded", satisfaction > 0);
    rc = *out ? 0 : reply_problem(r, 500, "internal_error", NULL);
    goto done;
bad:
    rc = reply_error(r, &err);
    goto done;
internal:
    rc = api_fail_internal(r, "survey response");
done:
    return rc;
}

int handle_survey_response_create(struct request *r)
{
    json_t *body = request_json_body(r), *out = NULL;
    if (!body) return -1;
    int rc = record_response(r, body, &out);
    return rc < 0 ? -1 : reply_json(r, 201, out);
}

int api_survey_response_create(struct request *r, json_t *body, int64_t *id)
{
    json_t *out = NULL;
    if (record_response(r, body, &out) < 0) return -1;
    *id = json_integer_value(json_object_get(out, "id"));
    json_decref(out);
    return 0;
}

int handle_resident_surveys(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    int64_t team = store_active_contract_team(r->db, id);
    json_t *list = team < 0 ? NULL : store_questionnaires_list(r->db, r->lang_en);
    json_t *answered = list ? store_resident_survey_responses(r->db, id, r->lang_en) : NULL;
    if (!answered) {
        json_decref(list);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    json_t *due = json_array();
    struct date today = date_today();
    size_t i;
    json_t *q;
    /* Due: each questionnaire not answered for the contract team within its interval. */
    json_array_foreach(list, i, q) {
        struct survey_questionnaire sq;
        const char *code = json_string_value(json_object_get(q, "code"));
        char last[11];
        struct date last_day;
        if (!team || store_questionnaire_load(r->db, code, &sq) != 1) continue;
        int was = store_survey_last_answered(r->db, id, sq.id, team, last);
        if (was < 0) continue;
        if (was && date_parse(last, &last_day) == 0 &&
            date_compare(today, date_add_days(last_day, sq.interval_days)) < 0)
            continue;
        json_t *o = json_pack("{s:s, s:O, s:I}", "questionnaire", code, "name",
                              json_object_get(q, "name"), "team_id", (json_int_t)team);
        jx_set_string_or_null(o, "last_answered_on", was ? last : NULL);
        json_array_append_new(due, o);
    }
    json_decref(list);
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)id);
    api_audit_read(r, "surveys", text, id);
    return reply_json(r, 200,
                      json_pack("{s:I, s:o, s:o}", "resident_id", (json_int_t)id, "due", due,
                                "answered", answered));
}

/* A date of the query (optional): 0 (text NULL when absent), or replies 422 and -1. */
static int query_date_or_reply(struct request *r, const char *name, char out[11], const char **text)
{
    const char *v = request_query(r, name);
    struct date d;
    *text = NULL;
    if (!v) return 0;
    if (date_parse(v, &d) < 0) return reply_problem(r, 422, "invalid_date", name);
    date_format(d, out);
    *text = out;
    return 0;
}

int handle_team_survey_results(struct request *r)
{
    int64_t team;
    if (request_param_id(r, 0, &team) < 0 || scope_require_team(r, team) < 0) return -1;
    const char *code = request_query(r, "questionnaire"), *from, *to;
    char from_text[11], to_text[11];
    if (!code) return reply_problem(r, 422, "missing_field", "questionnaire");
    if (query_date_or_reply(r, "from", from_text, &from) < 0 ||
        query_date_or_reply(r, "to", to_text, &to) < 0)
        return -1;
    struct survey_questionnaire sq;
    int found = store_questionnaire_load(r->db, code, &sq);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found) return reply_problem(r, 422, "invalid_field", "questionnaire");
    json_t *out = store_team_survey_results(r->db, team, &sq, from, to, r->lang_en);
    if (!out) return reply_problem(r, 500, "internal_error", NULL);
    return reply_json(r, 200, out);
}
