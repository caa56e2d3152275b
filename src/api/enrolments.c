/* enrolments.c (api) - enrolling a person in a programme (规范管理 from the first visit on
 * the work list) and ending it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "domain/copd.h"
#include "domain/enrolment.h"
#include "json/jsonx.h"
#include "store/followups.h"
#include "store/population.h"
#include "store/residents.h"
#include "store/work.h"

int handle_enrolment_create(struct request *r)
{
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    int64_t resident = 0;
    const char *program = NULL;
    struct date start;
    struct subject subject = {0}; /* COPD: whose team the first visit goes to */
    int rc = -1;
    static const char *const PROGRAMS[] = {"hypertension", "diabetes", "smd",      "tb", "copd",
                                           "elderly",      "child",    "maternal", NULL};
    if (jx_int(body, "resident_id", JX_REQUIRED, 1, INT64_MAX, &resident, NULL, &err) < 0 ||
        jx_enum(body, "program", JX_REQUIRED, PROGRAMS, &program, &err) < 0 ||
        jx_date(body, "start_date", JX_REQUIRED, &start, NULL, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    /* A programme is enrolled only where a follow-up protocol can manage it, and an
     * enrolment no follow-up accepts would count in the indicators as a patient nobody can
     * see: TB is enrolled by the county TB institution's notice (POST /tb-cases, PROTOCOLS.md
     * §14); COPD is followed by its own visits (api/copd.c). */
    int copd = !strcmp(program, "copd");
    if (!copd && protocol_program_parse(program) < 0) {
        rc = reply_problem(r, 422, "no_protocol", "program");
        goto done;
    }
    if (scope_require_resident(r, resident) < 0) goto done;
    json_t *person = store_resident_get(r->db, resident);
    if (!person) {
        rc = reply_problem(r, 500, "internal_error", NULL);
        goto done;
    }
    /* The daily pass would end it that night: someone who died or moved away is not enrolled. */
    if (strcmp(json_string_value(json_object_get(person, "status")), "alive") != 0) {
        json_decref(person);
        rc = reply_problem(r, 422, "not_alive", "resident_id");
        goto done;
    }
    struct date birth;
    date_parse(json_string_value(json_object_get(person, "birth_date")), &birth);
    struct population_config config = store_population_config(r->db);
    int eligible = enrolment_eligible(program, date_age_years(birth, start),
                                      json_string_value(json_object_get(person, "sex")), &config);
    json_decref(person);
    if (!eligible) {
        rc = reply_problem(r, 422, "not_eligible", "program");
        goto done;
    }
    if (date_compare(start, date_today()) > 0) {
        rc = reply_problem(r, 422, "invalid_date", "start_date");
        goto done;
    }
    char start_text[11], first_due[11];
    date_format(start, start_text);
    if (copd) { /* the first visit goes to the patient's team */
        struct protocol_config protocols = store_protocol_config(r->db);
        date_format(copd_first_visit_due(start, &protocols), first_due);
        if (api_subject_read_or_reply(r, resident, &subject) < 0) goto done;
    }
    if (api_begin(r) < 0) goto done;
    int64_t id = store_enrolment_insert(r->db, resident, program, start_text);
    if (id == DB_CONSTRAINT) {
        api_rollback(r);
        rc = reply_problem(r, 409, "already_enrolled", "program");
        goto done;
    }
    if (id < 0 ||
        store_recompute_household(r->db, store_resident_household(r->db, resident), resident,
                                  date_today()) < 0 ||
        (copd && api_copd_task(r->db, &subject, resident, first_due, "first_visit") < 0)) {
        api_fail_internal(r, "enrolment");
        goto done;
    }
    if (api_audit(r, "create", "enrolment", id, resident) < 0 || api_commit(r) < 0) goto done;
    rc = reply_json(r, 201,
                    json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "resident_id",
                              (json_int_t)resident, "program", program, "start_date", start_text));
done:
    json_decref(subject.resident);
    return rc;
}

/* POST /enrolments/{id}/end {end_date, reason, note?}: a doctor ends a programme's
 * management (结案). The programme's open tasks are cancelled with the reason and the
 * household's classes recomputed, in one transaction; the indicator counters follow
 * through the schema's triggers. Death and moving away are the resident's status (PATCH
 * /residents/{id}), not a reason here; the age- and pregnancy-driven programmes end by
 * themselves (domain/enrolment.h). */
int handle_enrolment_end(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    struct enrolment_row e;
    int found = store_enrolment_get(r->db, id, &e);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!found) return reply_problem(r, 404, "not_found", NULL);
    if (scope_require_resident(r, e.resident_id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *reason = NULL, *note = NULL, *field = NULL;
    struct date end, start;
    int rc = -1;
    if (jx_date(body, "end_date", JX_REQUIRED, &end, NULL, &err) < 0 ||
        jx_enum(body, "reason", JX_REQUIRED, ENROLMENT_END_REASONS, &reason, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 500, &note, &err) < 0) {
        return reply_error(r, &err);
    }
    if (e.end_date[0]) {
        return reply_problem(r, 409, "already_ended", "id");
    }
    date_parse(e.start_date, &start);
    const char *refusal = enrolment_end_refusal(e.program, start, end, date_today(), &field);
    if (refusal) {
        return reply_problem(r, 422, refusal, field);
    }
    char end_text[11];
    date_format(end, end_text);
    if (api_begin(r) < 0) return rc;
    int ended = store_enrolment_end(r->db, id, end_text, reason);
    if (ended == 0) { /* ended by another request meanwhile */
        api_rollback(r);
        return reply_problem(r, 409, "already_ended", "id");
    }
    long cancelled = ended < 0 ? -1
                               : store_tasks_cancel_for(r->db, e.resident_id, e.program,
                                                        r->user.user_id, reason);
    if (cancelled < 0 ||
        store_recompute_household(r->db, store_resident_household(r->db, e.resident_id),
                                  e.resident_id, date_today()) < 0) {
        api_fail_internal(r, "enrolment end");
        return rc;
    }
    if (api_audit(r, "end", "enrolment", id, e.resident_id) < 0 || api_commit(r) < 0) return rc;
    json_t *out = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)id,
                            "resident_id", (json_int_t)e.resident_id, "program", e.program,
                            "start_date", e.start_date, "end_date", end_text, "end_reason", reason,
                            "tasks_cancelled", (json_int_t)cancelled);
    jx_set_string_or_null(out, "note", note);
    rc = reply_json(r, 200, out);
    return rc;
}
