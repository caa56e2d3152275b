/* consultations.c (api) - consultations (在线咨询, issue 16, docs/resident-loop.md): a thread
 * between a signed resident and their team. The resident (or a household member with proxy
 * consent) asks; the team's staff answer, the first answer setting first_response_at, each
 * answer going to the resident through the outbox in the answering transaction; either side
 * closes it. The team's list shows what waits longest first, with the median first-response
 * time and the resolved share. */
#include <stdio.h>
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "json/jsonx.h"
#include "store/outbox.h"
#include "store/registry.h"
#include "store/service_group.h"

#define SUBJECT_MAX 60
#define MESSAGE_MAX 2000
#define TEAM_LIST_MAX 200

static int is_staff(struct request *r)
{
    return r->user.role != ROLE_RESIDENT;
}

/* A staff member answers and closes for their own team only. */
static int answering_team_or_reply(struct request *r, int64_t team_id)
{
    if (!is_staff(r)) return 0;
    int member = r->user.staff_id ? store_team_has_member(r->db, team_id, r->user.staff_id) : 0;
    if (member < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (member != 1) return reply_problem(r, 403, "out_of_scope", NULL);
    return 0;
}

/* The consultation named by the path, in scope (its resident visible to the user). */
static int consultation_or_reply(struct request *r, struct consultation_ref *c)
{
    int64_t id;
    if (request_param_id(r, 0, &id) < 0) return -1;
    int found = store_consultation_ref(r->db, id, c);
    return scope_require_resident_of(r, found < 0 ? found : c->resident_id);
}

static int reply_thread(struct request *r, int status, int64_t id, int64_t resident_id)
{
    json_t *thread = store_consultation_get(r->db, id);
    if (!thread) return reply_problem(r, 500, "internal_error", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    api_audit_read(r, "consultation", id_text, resident_id);
    return reply_json(r, status, thread);
}

int handle_consultation_create(struct request *r)
{
    int64_t resident;
    if (request_param_id(r, 0, &resident) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *subject = NULL, *text = NULL;
    int rc = -1;
    if (jx_string(body, "subject", JX_REQUIRED, SUBJECT_MAX, &subject, &err) < 0 ||
        jx_string(body, "body", JX_REQUIRED, MESSAGE_MAX, &text, &err) < 0) {
        return reply_error(r, &err);
    }
    if (scope_require_resident(r, resident) < 0) return rc;
    int64_t team = store_resident_signed_team(r->db, resident);
    if (team < 0) {
        return reply_problem(r, 500, "internal_error", NULL);
    }
    if (team == 0) {
        return reply_problem(r, 422, "not_signed", "resident_id");
    }
    if (api_begin(r) < 0) return rc;
    int64_t id = store_consultation_create(r->db, resident, team, subject, text, r->user.user_id,
                                           r->user.display_name, NULL);
    if (id < 0) {
        api_fail_internal(r, "consultation create");
        return rc;
    }
    if (api_audit(r, "create", "consultation", id, resident) < 0 || api_commit(r) < 0) return rc;
    rc = reply_thread(r, 201, id, resident);
    return rc;
}

int handle_resident_consultations(struct request *r)
{
    int64_t resident;
    if (request_param_id(r, 0, &resident) < 0) return -1;
    if (scope_require_resident(r, resident) < 0) return -1;
    return api_reply_resident_items(r, resident, "consultation",
                                    store_resident_consultations(r->db, resident));
}

int handle_consultation_get(struct request *r)
{
    struct consultation_ref c;
    if (consultation_or_reply(r, &c) < 0) return -1;
    return reply_thread(r, 200, c.id, c.resident_id);
}

int handle_consultation_message(struct request *r)
{
    struct consultation_ref c;
    if (consultation_or_reply(r, &c) < 0) return -1;
    json_t *body = request_json_body(r);
    if (!body) return -1;
    struct jy_error err;
    const char *text = NULL;
    int rc = -1;
    if (jx_string(body, "body", JX_REQUIRED, MESSAGE_MAX, &text, &err) < 0) {
        return reply_error(r, &err);
    }
    if (answering_team_or_reply(r, c.team_id) < 0) return rc;
    if (!strcmp(c.status, "closed")) {
        return reply_problem(r, 409, "consultation_closed", NULL);
    }
    if (api_begin(r) < 0) return rc;
    int64_t message = store_consultation_message(r->db, c.id, is_staff(r), r->user.user_id,
                                                 r->user.display_name, text, NULL);
    if (message < 0) {
        api_fail_internal(r, "consultation message");
        return rc;
    }
    if (is_staff(r)) { /* the answer goes to the resident */
        char key[80], subject[320], sent[2400];
        snprintf(key, sizeof key, "consultation:%lld:message:%lld", (long long)c.id,
                 (long long)message);
        snprintf(subject, sizeof subject, "咨询回复：%s", c.subject);
        snprintf(sent, sizeof sent, "【%s】您咨询的“%s”有了回复：%s", c.team_name, c.subject, text);
        struct outbox_message m = {.key = key,
                                   .kind = "consultation",
                                   .resident_id = c.resident_id,
                                   .subject = subject,
                                   .body = sent,
                                   .source_kind = "consultation",
                                   .source_id = c.id};
        if (store_outbox_put(r->db, &m) < 0) {
            api_fail_internal(r, "consultation outbox");
            return rc;
        }
    }
    if (api_audit(r, "update", "consultation", c.id, c.resident_id) < 0 || api_commit(r) < 0)
        return rc;
    rc = reply_thread(r, 201, c.id, c.resident_id);
    return rc;
}

int handle_consultation_close(struct request *r)
{
    struct consultation_ref c;
    if (consultation_or_reply(r, &c) < 0) return -1;
    if (answering_team_or_reply(r, c.team_id) < 0) return -1;
    if (api_begin(r) < 0) return -1;
    int closed = store_consultation_close(r->db, c.id, r->user.user_id, NULL);
    if (closed < 0) return api_fail_internal(r, "consultation close");
    if (closed == 0) {
        api_rollback(r);
        return reply_problem(r, 409, "consultation_closed", NULL);
    }
    if (api_audit(r, "update", "consultation", c.id, c.resident_id) < 0 || api_commit(r) < 0)
        return -1;
    return reply_thread(r, 200, c.id, c.resident_id);
}

int handle_team_consultations(struct request *r)
{
    static const char *const STATUSES[] = {"open", "answered", "closed", NULL};
    int64_t team;
    if (request_param_id(r, 0, &team) < 0) return -1;
    const char *status = request_query(r, "status");
    if (status) {
        int known = 0;
        for (int i = 0; STATUSES[i]; i++)
            known |= strcmp(STATUSES[i], status) == 0;
        if (!known) return reply_problem(r, 422, "invalid_field", "status");
    }
    if (scope_require_team(r, team) < 0) return -1;
    json_t *answer = store_team_consultations(r->db, team, status, TEAM_LIST_MAX);
    if (!answer) return reply_problem(r, 500, "internal_error", NULL);
    char id_text[24];
    snprintf(id_text, sizeof id_text, "team:%lld", (long long)team);
    api_audit_list(r, "consultation", id_text, json_object_get(answer, "items"), "resident_id");
    return reply_json(r, 200, answer);
}
