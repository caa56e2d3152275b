/* contract_lists.c (api) - lists of contracts (a team's or a doctor's, those ending soon)
 * and their fulfilment (履约). */
#include <string.h>

#include "api/handlers.h"
#include "auth/scope.h"
#include "domain/contract.h"
#include "store/contracts.h"
#include "store/fulfilment.h"

/* ?team=ID (inside the caller's scope) and ?doctor=me|ID, 0 when absent. Replies 422/403. */
static int team_and_doctor_query_or_reply(struct request *r, int64_t *team, int64_t *doctor)
{
    const char *team_q = request_query(r, "team"), *doctor_q = request_query(r, "doctor");
    char *end;
    *team = *doctor = 0;
    if (team_q) {
        *team = strtoll(team_q, &end, 10);
        if (*end || *team <= 0) return reply_problem(r, 422, "invalid_field", "team");
        if (scope_require_team(r, *team) < 0) return -1;
    }
    if (doctor_q && !strcmp(doctor_q, "me")) {
        if (!r->user.staff_id) return reply_problem(r, 422, "invalid_field", "doctor");
        *doctor = r->user.staff_id;
    } else if (doctor_q && ((*doctor = strtoll(doctor_q, &end, 10)) <= 0 || *end)) {
        return reply_problem(r, 422, "invalid_field", "doctor");
    } else if (doctor_q && scope_require_doctor(r, *doctor) < 0) {
        return -1;
    }
    return 0;
}

int handle_contracts_list(struct request *r)
{
    int limit;
    int64_t cursor, total = 0, next = 0, team, doctor;
    if (request_page(r, &limit, &cursor) < 0 ||
        team_and_doctor_query_or_reply(r, &team, &doctor) < 0)
        return -1;
    const char *status = request_query(r, "status"), *within = request_query(r, "expiring_within");
    char *end;
    char ending_by[11];
    if (status && contract_status_parse(status) < 0)
        return reply_problem(r, 422, "invalid_field", "status");
    if (within) {
        long days = strtol(within, &end, 10);
        if (*end || days < 0 || days > 366)
            return reply_problem(r, 422, "invalid_field", "expiring_within");
        date_format(date_add_days(date_today(), days), ending_by);
    }
    json_t *items = store_contracts_list(r->db, r->user.user_id, team, doctor, status,
                                         within ? ending_by : NULL, limit, cursor,
                                         request_wants_total(r) ? &total : NULL, &next);
    if (!items) return reply_problem(r, 500, "internal_error", NULL);
    api_audit_list(r, "contract_list", status ? status : "current", items, "resident_id");
    return reply_json(r, 200, api_page(items, next, total));
}

int handle_fulfilment(struct request *r)
{
    int64_t team, doctor;
    if (team_and_doctor_query_or_reply(r, &team, &doctor) < 0) return -1;
    json_t *out = store_fulfilment(r->db, r->user.user_id, team, doctor);
    if (!out) return reply_problem(r, 500, "internal_error", NULL);
    if (team) json_object_set_new(out, "team_id", json_integer(team));
    if (doctor) json_object_set_new(out, "doctor_id", json_integer(doctor));
    return reply_json(r, 200, out);
}
