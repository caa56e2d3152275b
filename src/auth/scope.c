/* scope.c - role policy and data-scope checks, in one place. */
#include "auth/scope.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/points.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/scope.h"
#include "store/services.h"
#include "util/file.h"
#include "util/log.h"

_Static_assert(SCOPE_MAX_GRANTS == STORE_SCOPE_MAX, "the scope loaders hold as many grants");

/* GET /metrics may also be read by a scraper (Prometheus) that cannot log in: it presents the
 * token of --metrics-token as a bearer. No token configured, no such door. */
static char metrics_token[129];

int scope_load_metrics_token(const char *path)
{
    size_t len = 0;
    char *text = file_read_all(path, &len);
    if (!text) {
        log_error("cannot read the metrics token file %s", path);
        return -1;
    }
    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        text[--len] = '\0';
    int ok = len >= 32 && len < sizeof metrics_token && !strpbrk(text, " \t\r\n");
    if (ok) memcpy(metrics_token, text, len + 1);
    sodium_memzero(text, len);
    free(text);
    if (!ok) log_error("the metrics token in %s must be 32 to 128 characters on one line", path);
    return ok ? 0 : -1;
}

static int metrics_token_presented(struct request *r)
{
    const char *h = request_header(r, "Authorization");
    size_t n = strlen(metrics_token);
    return n && h && strncmp(h, "Bearer ", 7) == 0 && strlen(h + 7) == n &&
           sodium_memcmp(h + 7, metrics_token, n) == 0;
}

int scope_authorize(struct request *r)
{
    if (r->action == ACT_PUBLIC) return 0;
    if (r->action == ACT_METRICS_READ && r->user.role == ROLE_NONE && metrics_token_presented(r))
        return 0;
    if (r->user.role == ROLE_NONE) return reply_problem(r, 401, "unauthorized", NULL);
    if (!role_allows(r->user.role, r->action)) return reply_problem(r, 403, "out_of_role", NULL);
    return 0;
}

/* 档案开放: a resident reads the record itself (follow-ups, exams, measurements,
 * schedules: the routes of ACT_RECORD_READ) only once it has been opened to them with
 * consent, their own and each proxy-consenting member's alike. Decided here, from the
 * route's action, so that no handler can forget it; staff are not affected. */
static int record_opened_or_reply(struct request *r, int64_t resident_id)
{
    if (r->user.role != ROLE_RESIDENT || r->action != ACT_RECORD_READ) return 0;
    int opened = store_record_opened(r->db, resident_id);
    if (opened < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!opened) return reply_problem(r, 403, "record_not_opened", NULL);
    return 0;
}

int scope_require_resident(struct request *r, int64_t resident_id)
{
    int v = store_resident_visible(r->db, r->user.user_id, resident_id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!v) return reply_problem(r, 403, "out_of_scope", NULL);
    return record_opened_or_reply(r, resident_id);
}

int scope_require_resident_of(struct request *r, int64_t lookup)
{
    if (lookup == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (lookup < 0) return reply_problem(r, 500, "internal_error", NULL);
    return scope_require_resident(r, lookup);
}

/* The region must exist (else 422) and overlap the user's scope; `covers`, when given, must
 * moreover hold for it (inside a subtree grant, or granted). Else 403 naming field. */
static int require_region(struct request *r, const char *code, const char *field,
                          int (*covers)(struct db *, int64_t, const char *))
{
    int v = store_region_overlaps_scope(r->db, r->user.user_id, code);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 422, "invalid_region", field);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!v || (covers && covers(r->db, r->user.user_id, code) != 1))
        return reply_problem(r, 403, "out_of_scope", field);
    return 0;
}

int scope_require_region(struct request *r, const char *code, const char *field)
{
    return require_region(r, code, field, NULL);
}

int scope_require_region_inside(struct request *r, const char *code, const char *field)
{
    return require_region(r, code, field, store_region_inside_scope);
}

int scope_require_region_granted(struct request *r, const char *code, const char *field)
{
    return require_region(r, code, field, store_region_granted);
}

int scope_require_team(struct request *r, int64_t team_id)
{
    int v = store_team_visible(r->db, r->user.user_id, team_id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!v) return reply_problem(r, 403, "out_of_scope", NULL);
    return 0;
}

int scope_require_doctor(struct request *r, int64_t staff_id)
{
    int v = store_doctor_visible(r->db, r->user.user_id, staff_id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!v) return reply_problem(r, 403, "out_of_scope", "scope");
    return 0;
}

int scope_require_institution(struct request *r, int64_t institution_id, const char *field)
{
    char region[16];
    if (store_institution_region(r->db, institution_id, region) != 0)
        return reply_problem(r, 422, "invalid_field", field);
    return scope_require_region_inside(r, region, field);
}

int scope_require_staff(struct request *r, int64_t staff_id, const char *field)
{
    int v = store_staff_visible(r->db, r->user.user_id, staff_id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 422, "invalid_field", field);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!v) return reply_problem(r, 403, "out_of_scope", field);
    return 0;
}

int scope_require_affiliation(struct request *r, int64_t institution_id, const char *field)
{
    char region[16];
    if (store_institution_region(r->db, institution_id, region) != 0)
        return reply_problem(r, 422, "invalid_field", field);
    int v = store_institution_affiliated(r->db, r->user.user_id, institution_id);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!v) return reply_problem(r, 403, "out_of_scope", field);
    return 0;
}

void scope_hide_phones(struct request *r, json_t *people)
{
    size_t i;
    json_t *person;
    json_array_foreach(people, i, person) {
        int64_t id = json_integer_value(json_object_get(person, "id"));
        if (json_object_get(person, "phone") &&
            store_staff_phone_visible(r->db, r->user.user_id, id) != 1)
            json_object_set_new(person, "phone", json_null());
    }
}

int scope_sees_team(struct request *r, int64_t team_id)
{
    return store_team_visible(r->db, r->user.user_id, team_id) == 1;
}

int scope_works_in_region(struct request *r, const char *code)
{
    return store_region_granted(r->db, r->user.user_id, code) == 1 &&
           store_region_inside_scope(r->db, r->user.user_id, code) == 0;
}

int scope_regions_load_or_reply(struct request *r, struct scope_regions *out)
{
    out->count = 0;
    if (r->user.role == ROLE_RESIDENT) return 0;
    int n = store_scope_entries(r->db, r->user.user_id, out->codes, out->subtree, SCOPE_MAX_GRANTS);
    if (n < 0) return reply_problem(r, 500, "internal_error", NULL);
    out->count = n;
    return 0;
}

int scope_regions_cover(const struct scope_regions *s, const char *region)
{
    for (int i = 0; i < s->count; i++) {
        size_t n = strlen(s->codes[i]);
        if (strncmp(region, s->codes[i], n) == 0 && (s->subtree[i] || region[n] == 0)) return 1;
    }
    return 0;
}

int scope_require_group(struct request *r, int64_t group_id)
{
    int v = store_group_visible(r->db, r->user.user_id, group_id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!v) return reply_problem(r, 403, "out_of_scope", NULL);
    return 0;
}

int scope_require_hospital_desk(struct request *r, int64_t institution_id, const char *field)
{
    int v = store_hospital_desk(r->db, r->user.user_id, institution_id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 422, "invalid_field", field);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!v) return reply_problem(r, 403, "out_of_scope", field);
    return 0;
}

int scope_require_referral(struct request *r, int64_t referral_id, int64_t *resident_id)
{
    int ends = store_referral_ends(r->db, r->user.user_id, referral_id, resident_id);
    if (ends == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (ends < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!ends) return reply_problem(r, 403, "out_of_scope", NULL);
    /* The family-doctor side goes through the resident check, which replies a closed record
     * to a resident and keeps the rules in one place. */
    if (ends == REFERRAL_END_PRIMARY && scope_require_resident(r, *resident_id) < 0) return -1;
    return ends;
}

/* ---- health points (issue 16) ---- */

int scope_require_points_item(struct request *r, int64_t item_id, int64_t resident_id,
                              const char *field)
{
    struct points_item item;
    char region[16];
    int found = store_points_item_get(r->db, item_id, &item);
    if (found < 0 || store_resident_region(r->db, resident_id, region) < 0)
        return reply_problem(r, 500, "internal_error", NULL);
    if (!found || !item.active) return reply_problem(r, 422, "invalid_field", field);
    if (strncmp(item.county, region, 6) != 0) return reply_problem(r, 403, "out_of_scope", field);
    return 0;
}

int scope_require_care_team(struct request *r, int64_t resident_id, const char *field)
{
    if (r->user.role == ROLE_RESIDENT) return 0; /* scope_require_resident: self or proxy */
    int64_t team = store_active_contract_team(r->db, resident_id);
    if (team < 0) return reply_problem(r, 500, "internal_error", NULL);
    int member =
        team && r->user.staff_id ? store_team_has_member(r->db, team, r->user.staff_id) : 0;
    if (member < 0) return reply_problem(r, 500, "internal_error", NULL);
    return member ? 0 : reply_problem(r, 403, "out_of_scope", field);
}

/* ---- visit requests (issue 16) ---- */

int scope_require_team_staff(struct request *r, int64_t team_id)
{
    int v = store_user_on_team(r->db, r->user.user_id, team_id);
    if (v == STORE_NOT_FOUND) return reply_problem(r, 404, "not_found", NULL);
    if (v < 0) return reply_problem(r, 500, "internal_error", NULL);
    if (!v) return reply_problem(r, 403, "out_of_scope", NULL);
    return 0;
}

int scope_on_team(struct request *r, int64_t team_id)
{
    return store_user_on_team(r->db, r->user.user_id, team_id) == 1;
}
