/* certificates.c (api) - the chronic-disease outpatient certificate (门诊慢特病证, issue 19,
 * domain/certificate.c) in one place for the team:
 *   POST /residents/{id}/certificates {disease}  screened: the team found a patient the
 *        certificate is for (a qualifying diagnosis on the record; one in progress or in force
 *        a disease);
 *   POST /certificates/{id}/transition {to, date, number?, valid_to?, reason?, note?}  notified,
 *        pre-reviewed, granted (its number and term; the renewal on the work list 30 days
 *        before the end) or rejected (with the reason);
 *   GET  /residents/{id}/certificates, GET /certificates?team=&status=  the person's and the
 *        team's, each with its history.
 * The daily pass expires a lapsed certificate (store_certificates_daily). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/handlers.h"
#include "api/protocols.h"
#include "auth/scope.h"
#include "domain/certificate.h"
#include "json/jsonx.h"
#include "store/certificates.h"
#include "store/followups.h"
#include "store/residents.h"
#include "store/work.h"

int handle_certificate_create(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    struct subject s = {0};
    const char *disease = NULL, *diagnosis = NULL;
    int rc = -1;
    if (jx_string(body, "disease", JX_REQUIRED, 20, &disease, &err) < 0) {
        rc = reply_error(r, &err);
        goto done;
    }
    if (!cert_disease_valid(disease)) {
        rc = reply_problem(r, 422, "invalid_field", "disease");
        goto done;
    }
    if (api_subject_load_or_reply(r, id, &s) < 0) goto done;
    /* The certificate needs the diagnosis on the record. */
    json_t *record = store_resident_get(r->db, id);
    size_t i;
    json_t *d;
    char code[16] = "";
    json_array_foreach(json_object_get(record, "diagnoses"), i, d) {
        const char *c = json_string_value(json_object_get(d, "icd10"));
        if (!code[0] && cert_diagnosis_qualifies(disease, c)) snprintf(code, sizeof code, "%s", c);
    }
    json_decref(record);
    if (!code[0]) {
        rc = reply_problem(r, 422, "not_eligible", "disease");
        goto done;
    }
    diagnosis = code;
    int open = store_certificate_open(r->db, id, disease);
    if (open != 0) {
        rc = open < 0 ? reply_problem(r, 500, "internal_error", NULL)
                      : reply_problem(r, 409, "certificate_exists", "disease");
        goto done;
    }
    char today[11];
    date_format(date_today(), today);
    struct certificate_input in = {id,      s.team_id, s.doctor_id, r->user.user_id,
                                   disease, diagnosis, s.county,    today};
    if (api_begin(r) < 0) goto done;
    int64_t cert = store_certificate_insert(r->db, &in);
    if (cert < 0) {
        api_fail_internal(r, "certificate");
        goto done;
    }
    if (api_audit(r, "create", "certificate", cert, id) < 0 || api_commit(r) < 0) goto done;
    json_t *out = store_certificate_json(r->db, cert);
    rc = out ? reply_json(r, 201, out) : reply_problem(r, 500, "internal_error", NULL);
done:
    json_decref(s.resident);
    return rc;
}

int handle_certificate_transition(struct request *r)
{
    static const char *const TO[] = {"notified", "pre_reviewed", "granted", "rejected", NULL};
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    struct certificate_row c;
    int found = store_certificate_get(r->db, id, &c);
    if (found < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (scope_require_resident_of(r, found ? c.resident_id : STORE_NOT_FOUND) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *to = NULL, *number = NULL, *reason = NULL, *note = NULL;
    struct date on, end;
    int has_end = 0, rc = -1;
    if (jx_enum(body, "to", JX_REQUIRED, TO, &to, &err) < 0 ||
        jx_date(body, "date", JX_REQUIRED, &on, NULL, &err) < 0 ||
        jx_string(body, "number", JX_OPTIONAL, 40, &number, &err) < 0 ||
        jx_date(body, "valid_to", JX_OPTIONAL, &end, &has_end, &err) < 0 ||
        jx_string(body, "reason", JX_OPTIONAL, 200, &reason, &err) < 0 ||
        jx_string(body, "note", JX_OPTIONAL, 200, &note, &err) < 0) {
        return reply_error(r, &err);
    }
    struct date today = date_today();
    enum cert_status from = (enum cert_status)cert_status_parse(c.status),
                     next = (enum cert_status)cert_status_parse(to);
    const char *missing = next == CERT_GRANTED && !number    ? "number"
                          : next == CERT_REJECTED && !reason ? "reason"
                                                             : NULL;
    if (date_compare(on, today) > 0) {
        return reply_problem(r, 422, "invalid_date", "date");
    }
    if (!cert_transition_allowed(from, next)) {
        return reply_problem(r, 409, "invalid_state", "to");
    }
    if (missing) {
        return reply_problem(r, 422, "missing_field", missing);
    }
    if (has_end && date_compare(end, on) <= 0) {
        return reply_problem(r, 422, "invalid_field", "valid_to");
    }
    char day[11], valid_to[11];
    date_format(on, day);
    if (next == CERT_GRANTED) date_format(has_end ? end : cert_default_end(on), valid_to);
    struct certificate_change ch = {to,
                                    day,
                                    next == CERT_GRANTED ? number : NULL,
                                    next == CERT_GRANTED ? day : NULL,
                                    next == CERT_GRANTED ? valid_to : NULL,
                                    next == CERT_REJECTED ? reason : NULL,
                                    note,
                                    r->user.user_id};
    if (api_begin(r) < 0) return rc;
    int moved = store_certificate_move(r->db, id, c.status, &ch);
    /* A grant: last term's renewal task (if any) is done; the new term's is due before it ends. */
    int ok = moved == 1;
    if (ok && next == CERT_GRANTED) {
        struct date vt, due;
        date_parse(valid_to, &vt);
        due = cert_renewal_due(vt, today);
        char due_text[11], note_text[32];
        date_format(due, due_text);
        snprintf(note_text, sizeof note_text, "%s:%lld", c.disease, (long long)id);
        struct task_input t = {.resident_id = c.resident_id,
                               .team_id = c.team_id,
                               .doctor_id = c.doctor_id,
                               .kind = "certificate_renewal",
                               .due_date = due_text,
                               .next_due = valid_to,
                               .note = note_text,
                               .county_code = c.county};
        ok = store_tasks_close(r->db, c.resident_id, "certificate_renewal", NULL) >= 0 &&
             store_task_insert(r->db, &t) > 0;
    }
    if (moved == 0) {
        jy_fail(&err, 409, "invalid_state", "to", NULL);
        api_fail(r, &err);
        return rc;
    }
    if (!ok) {
        api_fail_internal(r, "certificate transition");
        return rc;
    }
    if (api_audit(r, "update", "certificate", id, c.resident_id) < 0 || api_commit(r) < 0)
        return rc;
    json_t *out = store_certificate_json(r->db, id);
    rc = out ? reply_json(r, 200, out) : reply_problem(r, 500, "internal_error", NULL);
    return rc;
}

int handle_resident_certificates(struct request *r)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0 || scope_require_resident(r, id) < 0) return -1;
    return api_reply_resident_items(r, id, "certificates", store_certificates_of(r->db, id));
}

int handle_certificates_list(struct request *r)
{
    const char *team_text = request_query(r, "team"), *status = request_query(r, "status");
    char *end = NULL;
    int64_t team = team_text ? strtoll(team_text, &end, 10) : 0;
    if (!team_text) return reply_problem(r, 422, "missing_field", "team");
    if (*end || team <= 0) return reply_problem(r, 422, "invalid_field", "team");
    if (status && cert_status_parse(status) < 0)
        return reply_problem(r, 422, "invalid_field", "status");
    if (scope_require_team(r, team) < 0) return -1;
    json_t *items = store_certificates_of_team(r->db, team, status);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "certificates", team_text, items, "resident_id");
    return reply_json(r, 200, json_pack("{s:o}", "items", items));
}
