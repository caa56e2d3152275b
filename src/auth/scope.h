/* scope.h - THE access-control module: every handler goes through it.
 *
 * Two questions: may this role attempt this route's action at all (domain/roles.c policy,
 * answered by scope_authorize for the action api/dispatch.c set on the request, before the
 * handler runs), and is this person / region / team inside the user's data scope (the
 * scope_require_* calls handlers make for every id they touch). Each scope_require_* replies the
 * error itself (401, 403 out_of_role / out_of_scope, 404) and returns -1, or returns 0. */
#ifndef JIAYI_AUTH_SCOPE_H
#define JIAYI_AUTH_SCOPE_H

#include <stdint.h>

#include "http/request.h"
#include "util/must_use.h"

int scope_authorize(struct request *r);
/* Reads the bearer token that also admits GET /metrics (32-128 characters, one line) from a
 * file. Returns 0, or -1 (logged). */
JY_MUST_USE int scope_load_metrics_token(const char *path);
/* The person must exist (else 404) and be in the user's scope (else 403 out_of_scope). On a
 * route of ACT_RECORD_READ a resident must moreover have had that person's record opened
 * to them (档案开放), else 403 record_not_opened; the refusal says nothing more. */
int scope_require_resident(struct request *r, int64_t resident_id);
/* The same for the resident a store lookup answered for a row the request names (a
 * referral, a task): its id, STORE_NOT_FOUND when there is no such row (404), -1 on error (500). */
int scope_require_resident_of(struct request *r, int64_t lookup);
/* The region must overlap the user's scope (a filter may name an ancestor). */
int scope_require_region(struct request *r, const char *code, const char *field);
/* The region must be one the user holds a grant on, exact or below a subtree (a filter of
 * a list that the store intersects with the scope: never wider than the user). */
int scope_require_region_granted(struct request *r, const char *code, const char *field);
/* The region must lie wholly inside the user's scope, under a subtree grant (writes, and
 * the area of an aggregate: an indicator, a ranking). */
int scope_require_region_inside(struct request *r, const char *code, const char *field);
int scope_require_team(struct request *r, int64_t team_id);
/* The staff member must belong to (or lead) a team the user may see; 404 when unknown. */
int scope_require_doctor(struct request *r, int64_t staff_id);
/* The institution must exist (else 422 naming field) and sit wholly inside the user's scope. */
int scope_require_institution(struct request *r, int64_t institution_id, const char *field);
/* A staff member a request names (a team's GP, a member to add, a group leader, who saw
 * the resident): the user, a colleague at an institution inside the user's area or on a
 * shared team, or a member of a team the user may see. 422 naming field when unknown. */
int scope_require_staff(struct request *r, int64_t staff_id, const char *field);
/* An institution the user acts for (a referral's sender): the user works there, or it
 * lies inside the user's area. 422 naming field when unknown. */
int scope_require_affiliation(struct request *r, int64_t institution_id, const char *field);
/* Removes "phone" from each object of `people` (staff rows, team members; their id under
 * "id") whose phone the user may not read (store_staff_phone_visible). */
void scope_hide_phones(struct request *r, json_t *people);
/* Quiet: 1 when the user may see the team (store_team_visible), else 0; no reply. */
int scope_sees_team(struct request *r, int64_t team_id);
/* Quiet: 1 when the user holds only an exact grant on the region (a team's township or
 * village): enough to compare their team with its anonymous peers there, nothing wider. */
int scope_works_in_region(struct request *r, const char *code);
/* The hospital desk (issue 15): the institution must be a hospital (else 422 naming field)
 * that the user acts for - a system admin, or a hospital_office/specialist working there
 * (else 403 out_of_scope naming field). */
int scope_require_hospital_desk(struct request *r, int64_t institution_id, const char *field);
/* The referral must exist (else 404) and the user stand at one of its ends (else 403
 * out_of_scope): the family-doctor side through its resident (scope_require_resident,
 * audited reads and 档案开放 included), a hospital through its desk. Returns the ends
 * (store/scope.h REFERRAL_END_* bits, never 0) and the resident, or -1 having replied. */
int scope_require_referral(struct request *r, int64_t referral_id, int64_t *resident_id);

/* The self-management group must exist (else 404) and be visible (store_group_visible). */
int scope_require_group(struct request *r, int64_t group_id);

/* Health points (issue 16). The item a redemption names must exist and be offered (else 422
 * naming field) in the resident's county (else 403 out_of_scope naming field). */
int scope_require_points_item(struct request *r, int64_t item_id, int64_t resident_id,
                              const char *field);
/* Acting for a resident (a redemption): the resident themself or a household member with
 * proxy consent (scope_require_resident decides that), or staff of the team the resident
 * holds an active contract with; anyone else 403 out_of_scope naming field. Call after
 * scope_require_resident. */
int scope_require_care_team(struct request *r, int64_t resident_id, const char *field);

/* For bulk work (an exam file of a whole township): the user's region grants loaded once,
 * then checked per row in memory with the rule store_resident_visible() applies. Residents
 * see by identity, not region, so for them nothing is covered. */
#define SCOPE_MAX_GRANTS 512
struct scope_regions {
    int count;
    char codes[SCOPE_MAX_GRANTS][16];
    int subtree[SCOPE_MAX_GRANTS];
};
/* Returns 0, or replies 500 and returns -1. */
JY_MUST_USE int scope_regions_load_or_reply(struct request *r, struct scope_regions *out);
/* 1 when a resident registered at `region` is inside the grants. */
JY_MUST_USE int scope_regions_cover(const struct scope_regions *s, const char *region);

/* The team's own work (issue 16, visit requests): the user must be on the team (a member or
 * its GP) - seeing it is not enough. 404 when there is no such team, else 403 out_of_scope. */
int scope_require_team_staff(struct request *r, int64_t team_id);

/* Quiet: 1 when the user is on the team (as scope_require_team_staff allows), else 0. */
int scope_on_team(struct request *r, int64_t team_id);

#endif
