/* scope.h (store) - the SQL behind data scope. The rule (see the user_scope view, migration
 * 001, and 031 for provinces and cities: a region written 510000 or 511500 grants the area
 * prefix 51 or 5115, every place whose code starts with it): a user sees the regions of their scope
 * rows (code, subtree), a team's staff also the people signed with the team
 * (store_resident_visible: cross-grid contracts), and a resident sees themself and the household
 * members who gave proxy consent. auth/scope.c is the only caller. */
#ifndef JIAYI_STORE_SCOPE_H
#define JIAYI_STORE_SCOPE_H

#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* Loads the user's scope into this connection's temp tables, for list queries:
 * temp.scope_ranges(lo, hi) - region ranges (lo <= region < hi), never overlapping;
 * temp.scope_ids(id)        - residents visible by identity (the resident role).
 * Sets *wide to 1 when the scope covers a township or more (then a rowid scan with
 * SCOPE_VISIBLE is fastest; otherwise drive the query from the ranges), to 2 when the
 * scope holds resident ids besides regions (the id-order plan is then the only correct one),
 * and to 3 when it is resident ids only (a resident and the household members they act for:
 * SCOPE_IDS_FROM reaches them by id; the id-order plan is also correct, but reads every row).
 * Returns 0 or -1; -1 too when the user holds more than STORE_SCOPE_MAX uncovered grants (or
 * resident ids): a scope is refused whole, never cut short. */
#define STORE_SCOPE_MAX 512 /* auth/scope.h's SCOPE_MAX_GRANTS */
JY_MUST_USE int store_scope_load(struct db *db, int64_t user_id, int *wide);
/* As store_scope_load, and *broad = 1 when the scope holds a county or more: a count over a
 * township is quickest from its residents, over a county from the rows themselves. */
JY_MUST_USE int store_scope_load_broad(struct db *db, int64_t user_id, int *wide, int *broad);

/* Predicate on a residents row `r` after store_scope_load(); compile-time text. */
#define SCOPE_VISIBLE                                                                              \
    "(EXISTS (SELECT 1 FROM temp.scope_ranges s WHERE r.region >= s.lo AND r.region < s.hi)"       \
    " OR r.id IN (SELECT id FROM temp.scope_ids))"
/* FROM clause for a scope of resident ids only (wide 3): those rows by their key. */
#define SCOPE_IDS_FROM " FROM temp.scope_ids i CROSS JOIN residents r ON r.id = i.id"
/* FROM clause for a narrow scope: residents reached through the region index per range. */
#define SCOPE_DRIVEN_FROM                                                                          \
    " FROM temp.scope_ranges s CROSS JOIN residents r ON r.region >= s.lo AND r.region < s.hi"

/* The user's region grants (user_scope): code and whether the subtree below is included
 * (0: that exact region only, e.g. a village above a team's cells). Up to max entries;
 * returns the count, -1 on error. */
JY_MUST_USE int store_scope_entries(struct db *db, int64_t user_id, char (*codes)[16], int *subtree,
                                    int max);

/* 1 visible, 0 not visible, STORE_NOT_FOUND no such resident, -1 error. */
JY_MUST_USE int store_resident_visible(struct db *db, int64_t user_id, int64_t resident_id);
/* 1 when the resident's health record is opened to them (档案开放), 0 when it is not or
 * there is no record yet, -1 error. */
JY_MUST_USE int store_record_opened(struct db *db, int64_t resident_id);
/* 1 when region `code` overlaps the user's scope (inside it, or an ancestor of part of it),
 * 0 when disjoint, STORE_NOT_FOUND unknown region, -1 error. */
JY_MUST_USE int store_region_overlaps_scope(struct db *db, int64_t user_id, const char *code);
/* 1 when the user holds a grant on the region: under a subtree grant, or an exact grant
 * on that very code (a team's township); 0 not; -1 error. */
JY_MUST_USE int store_region_granted(struct db *db, int64_t user_id, const char *code);
/* 1 when the region is wholly inside the user's scope: under a subtree grant (an exact
 * grant opens the people registered at that code only, not the area). */
JY_MUST_USE int store_region_inside_scope(struct db *db, int64_t user_id, const char *code);
/* 1 when the user is a member of the team or the team serves a cell inside the user's
 * scope; 0 not; STORE_NOT_FOUND no such team; -1 error. */
JY_MUST_USE int store_team_visible(struct db *db, int64_t user_id, int64_t team_id);
/* 1 when the self-management group meets inside the user's regions or the user is on the
 * team that runs it; 0 not; STORE_NOT_FOUND no such group; -1 error. */
/* 1 when a team the staff member belongs to (or leads) is visible, 0 if not, STORE_NOT_FOUND when
 * the staff member is in no team, -1 on error. */
JY_MUST_USE int store_doctor_visible(struct db *db, int64_t user_id, int64_t staff_id);
JY_MUST_USE int store_group_visible(struct db *db, int64_t user_id, int64_t group_id);
/* 1 when the staff member is the user, works at an institution inside the user's area,
 * shares a team with the user, belongs to a team the user may see, or is a hospital's
 * (county and city specialists serve every township: 1+4+N teams, referrals); 0 not;
 * STORE_NOT_FOUND no such staff member; -1 error. */
JY_MUST_USE int store_staff_visible(struct db *db, int64_t user_id, int64_t staff_id);
/* Minimum necessary for the staff directory: 1 when the user may read this staff member's
 * phone (themself, a colleague of their institution or team, an institution inside their
 * area; for a resident, the team they signed with), else 0; -1 error. */
JY_MUST_USE int store_staff_phone_visible(struct db *db, int64_t user_id, int64_t staff_id);
/* 1 when the user works at the institution (as staff or through a team of it) or the
 * institution lies inside the user's area; 0 not; -1 error. */
JY_MUST_USE int store_institution_affiliated(struct db *db, int64_t user_id,
                                             int64_t institution_id);

/* The hospital desk (issue 15). 1 when the user may act for the hospital: a system admin, or
 * a hospital_office/specialist working there; 0 not; STORE_NOT_FOUND no such hospital (an
 * institution of level secondary or tertiary); -1 error. */
JY_MUST_USE int store_hospital_desk(struct db *db, int64_t user_id, int64_t institution_id);
/* The hospital a hospital_office/specialist works at; 0 for other users; -1 error. */
JY_MUST_USE int64_t store_user_hospital(struct db *db, int64_t user_id);
/* Which ends of a referral the user stands at (REFERRAL_END_* bits, 0: neither), with the
 * referral's resident in *resident_id; STORE_NOT_FOUND no such referral; -1 error. */
enum {
    REFERRAL_END_PRIMARY = 1,       /* may see the resident: the family-doctor side */
    REFERRAL_END_HOSPITAL_TO = 2,   /* works at the hospital it was sent to */
    REFERRAL_END_HOSPITAL_FROM = 4, /* works at the hospital that sent it (a down-referral) */
};
JY_MUST_USE int store_referral_ends(struct db *db, int64_t user_id, int64_t referral_id,
                                    int64_t *resident_id);

/* 1 when the user is on the team: a member, or its responsible GP; 0 not; STORE_NOT_FOUND no such
 * team; -1 error (issue 16: the team's own work, such as its residents' visit requests). */
JY_MUST_USE int store_user_on_team(struct db *db, int64_t user_id, int64_t team_id);

#endif
