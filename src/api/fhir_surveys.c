/* fhir_surveys.c - questionnaires and their answers as FHIR (docs/resident-loop.md
 * "Surveys"): Questionnaire (read, search) and QuestionnaireResponse (read, search, and
 * create, which records an answer exactly as POST /api/v1/survey-responses: scored, the
 * satisfaction answer with it, its rules on who may rate a team). A questionnaire's id is
 * its code with '-' for '_' (FHIR ids have no underscore); its canonical URL is
 * urn:jiayi:fhir:Questionnaire:{code}. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/fhir.h"
#include "api/handlers.h"
#include "store/chart.h"
#include "store/surveys.h"

#define QUESTIONNAIRE_URL "urn:jiayi:fhir:Questionnaire:"
#define DIMENSION "urn:jiayi:fhir:CodeSystem:questionnaire-dimension"

/* Code <-> FHIR id: '_' <-> '-'. */
static void swap_chars(const char *in, char *out, size_t size, char from, char to)
{
    snprintf(out, size, "%s", in ? in : "");
    for (char *p = out; *p; p++)
        if (*p == from) *p = to;
}

static json_t *questionnaire(json_t *q)
{
    char id[64];
    swap_chars(fhir_text(q, "code"), id, sizeof id, '_', '-');
    json_t *items = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(q, "items"), i, it) {
        json_t *options = json_array();
        for (int64_t v = fhir_int(it, "scale_min"); v <= fhir_int(it, "scale_max"); v++)
            json_array_append_new(options, json_pack("{s:I}", "valueInteger", (json_int_t)v));
        json_t *item =
            json_pack("{s:o, s:s, s:s, s:b, s:o, s:o}", "linkId",
                      json_sprintf("%lld", (long long)fhir_int(it, "n")), "text",
                      fhir_text(it, "text") ? fhir_text(it, "text") : "", "type", "choice",
                      "required", 1, "code",
                      json_pack("[{s:s, s:s}]", "system", DIMENSION, "code",
                                fhir_text(it, "dimension") ? fhir_text(it, "dimension") : ""),
                      "answerOption", options);
        if (item && json_is_true(json_object_get(it, "reverse")))
            json_object_set_new(item, "extension",
                                json_pack("[{s:s, s:b}]", "url",
                                          "urn:jiayi:fhir:StructureDefinition:reverse-scored",
                                          "valueBoolean", 1));
        json_array_append_new(items, item);
    }
    return json_pack("{s:s, s:s, s:o, s:s, s:s, s:[s], s:o}", "resourceType", "Questionnaire", "id",
                     id, "url", json_sprintf(QUESTIONNAIRE_URL "%s", fhir_text(q, "code")), "title",
                     fhir_text(q, "name") ? fhir_text(q, "name") : "", "status", "active",
                     "subjectType", "Patient", "item", items);
}

/* The questionnaires, as the API lists them, kept when `code` is NULL or theirs. */
static json_t *questionnaires(struct request *r, const char *code)
{
    json_t *all = store_questionnaires_list(r->db, r->lang_en);
    if (!all) return NULL;
    json_t *list = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(all, i, q)
        if (!code || !strcmp(code, fhir_text(q, "code")))
            json_array_append_new(list, questionnaire(q));
    json_decref(all);
    return list;
}

int handle_fhir_questionnaire_search(struct request *r)
{
    struct fhir_search s;
    if (fhir_search_begin(r, "Questionnaire", &s) < 0) return -1;
    char code[64];
    const char *id = request_query(r, "_id");
    swap_chars(id, code, sizeof code, '-', '_');
    json_t *list = questionnaires(r, id ? code : NULL);
    if (!list) return reply_problem(r, 500, "internal_error", NULL);
    return fhir_reply_page(r, &s, list);
}

int handle_fhir_questionnaire_read(struct request *r)
{
    char code[64];
    swap_chars(r->params[0], code, sizeof code, '-', '_');
    json_t *list = questionnaires(r, code);
    if (!list) return reply_problem(r, 500, "internal_error", NULL);
    json_t *q = json_incref(json_array_get(list, 0));
    json_decref(list);
    return q ? fhir_reply(r, 200, q) : reply_problem(r, 404, "not_found", NULL);
}

/* A response with its answers (read from the store); NULL on error. */
static json_t *response_of(struct db *db, json_t *row)
{
    json_t *answers = store_chart_survey_answers(db, fhir_int(row, "id"));
    if (!answers) return NULL;
    json_t *items = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(answers, i, a)
        json_array_append_new(items,
                              json_pack("{s:o, s:[{s:I}]}", "linkId",
                                        json_sprintf("%lld", (long long)fhir_int(a, "n")), "answer",
                                        "valueInteger", (json_int_t)fhir_int(a, "value")));
    json_decref(answers);
    json_t *o = json_pack(
        "{s:s, s:o, s:o, s:s, s:o, s:s, s:[{s:s, s:s}, {s:s, s:I}]}", "resourceType",
        "QuestionnaireResponse", "id", json_sprintf("%lld", (long long)fhir_int(row, "id")),
        "questionnaire", json_sprintf(QUESTIONNAIRE_URL "%s", fhir_text(row, "questionnaire")),
        "status", "completed", "subject", fhir_reference("Patient", fhir_int(row, "resident_id")),
        "authored", fhir_text(row, "answered_on"), "extension", "url",
        "urn:jiayi:fhir:StructureDefinition:survey-channel", "valueCode", fhir_text(row, "channel"),
        "url", "urn:jiayi:fhir:StructureDefinition:survey-total", "valueInteger",
        (json_int_t)fhir_int(row, "total"));
    if (o && json_array_size(items))
        json_object_set_new(o, "item", items);
    else
        json_decref(items);
    if (o && json_object_get(row, "team_id"))
        json_array_append_new(
            json_object_get(o, "extension"),
            json_pack("{s:s, s:o}", "url", "urn:jiayi:fhir:StructureDefinition:rated-team",
                      "valueReference", fhir_reference("CareTeam", fhir_int(row, "team_id"))));
    return o;
}

int handle_fhir_questionnaire_response_search(struct request *r)
{
    struct fhir_search s;
    int64_t resident;
    if (fhir_search_begin(r, "QuestionnaireResponse", &s) < 0 ||
        fhir_search_patient(r, &resident) < 0)
        return -1;
    json_t *rows = store_chart_survey_responses(r->db, resident);
    if (!rows) return reply_problem(r, 500, "internal_error", NULL);
    if (api_audit_read(r, "survey_responses", "fhir", resident) < 0) {
        json_decref(rows);
        return -1;
    }
    const char *wanted = request_query(r, "questionnaire");
    json_t *list = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        json_t *o = response_of(r->db, row);
        if (!o) {
            json_decref(rows);
            json_decref(list);
            return reply_problem(r, 500, "internal_error", NULL);
        }
        if (wanted && !fhir_in_list(wanted, fhir_text(o, "questionnaire")))
            json_decref(o);
        else
            json_array_append_new(list, o);
    }
    json_decref(rows);
    return fhir_reply_filtered(r, &s, list, NULL, NULL, "authored", "authored");
}

int handle_fhir_questionnaire_response_read(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found;
    json_t *row = store_chart_survey_response(r->db, id, &found);
    if (!(row = fhir_fact_for_read(r, row, found, "survey_response"))) return -1;
    json_t *o = response_of(r->db, row);
    json_decref(row);
    return o ? fhir_reply(r, 200, o) : reply_problem(r, 500, "internal_error", NULL);
}

/* "Patient/123" → 123, else 0. */
static int64_t patient_id(json_t *ref)
{
    const char *text = fhir_text(ref, "reference");
    if (!text || strncmp(text, "Patient/", 8)) return 0;
    char *end;
    long long id = strtoll(text + 8, &end, 10);
    return *end || id <= 0 ? 0 : id;
}

int handle_fhir_questionnaire_response_create(struct request *r)
{
    static const char *const FIELDS[][2] = {
        {"questionnaire", "QuestionnaireResponse.questionnaire"},
        {"resident_id", "QuestionnaireResponse.subject"},
        {"answered_on", "QuestionnaireResponse.authored"},
        {"answers", "QuestionnaireResponse.item"},
        {"channel", "QuestionnaireResponse.extension"},
        {"team_id", "QuestionnaireResponse.extension"},
        {NULL, NULL}};
    r->fhir_fields = FIELDS;
    json_t *qr = request_json_body(r);
    if (!qr) return -1;
    if (!fhir_text(qr, "resourceType") ||
        strcmp(fhir_text(qr, "resourceType"), "QuestionnaireResponse")) {
        return reply_problem(r, 422, "invalid_field", "resourceType");
    }
    const char *url = fhir_text(qr, "questionnaire");
    json_t *body = json_object();
    if (url) /* the canonical URL, or the code itself */
        json_object_set_new(body, "questionnaire",
                            json_string(strncmp(url, QUESTIONNAIRE_URL, strlen(QUESTIONNAIRE_URL))
                                            ? url
                                            : url + strlen(QUESTIONNAIRE_URL)));
    int64_t resident = patient_id(json_object_get(qr, "subject"));
    if (resident) json_object_set_new(body, "resident_id", json_integer(resident));
    if (json_object_get(qr, "authored"))
        json_object_set_new(
            body, "answered_on",
            json_sprintf("%.10s", fhir_text(qr, "authored") ? fhir_text(qr, "authored") : ""));
    json_t *answers = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(qr, "item"), i, item) {
        const char *link = fhir_text(item, "linkId");
        json_t *value =
            json_object_get(json_array_get(json_object_get(item, "answer"), 0), "valueInteger");
        json_array_append_new(answers, json_pack("{s:I, s:O}", "n",
                                                 (json_int_t)(link ? strtoll(link, NULL, 10) : 0),
                                                 "value", value ? value : json_null()));
    }
    json_object_set_new(body, "answers", answers);
    json_array_foreach(json_object_get(qr, "extension"), i, item) {
        const char *ext = fhir_text(item, "url");
        if (ext && !strcmp(ext, "urn:jiayi:fhir:StructureDefinition:survey-channel"))
            json_object_set(body, "channel", json_object_get(item, "valueCode"));
    }
    int64_t id;
    int rc = api_survey_response_create(r, body, &id);
    json_decref(body);
    if (rc < 0) return -1;
    int found;
    json_t *row = store_chart_survey_response(r->db, id, &found);
    json_t *o = row ? response_of(r->db, row) : NULL;
    json_decref(row);
    return o ? fhir_reply_created(r, o) : reply_problem(r, 500, "internal_error", NULL);
}
