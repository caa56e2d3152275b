/* referrals.h (store) - the tracked referral (issue 15): one referral with its summary and
 * events, the work lists of either end, and the guarded state changes (the state machine
 * itself is domain/referral_state.c). */
#ifndef JIAYI_STORE_REFERRALS_H
#define JIAYI_STORE_REFERRALS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

/* What a transition needs to know of the referral. */
struct referral_core {
    int64_t id, resident_id, from_institution_id, to_institution_id;
    int up;
    char status[16], referred_on[11], county[7];
};
/* 0 and *out, STORE_NOT_FOUND no such referral, -1 error. */
JY_MUST_USE int store_referral_core(struct db *db, int64_t id, struct referral_core *out);

/* One state change: the columns the new state sets (NULL: untouched). */
struct referral_move {
    const char *from_status, *to_status;
    const char *seen_on;                                                         /* seen */
    const char *returned_on, *return_summary, *return_plan, *return_medications; /* returned */
    const char *decline_reason;                                                  /* declined */
    const char *closed_on; /* closed, cancelled */
    int64_t by_user;
    const char *note; /* kept on the event */
};
/* Moves the referral when it is still in from_status and records the event: 1 moved, 0 it
 * was no longer in from_status (a concurrent change), -1 error. */
JY_MUST_USE int store_referral_move(struct db *db, int64_t id, const struct referral_move *m);

/* The referral's open tasks of `kind` (NULL: any) closed as `status` (done/cancelled) with
 * outcome; the number closed, -1 error. */
JY_MUST_USE long store_referral_tasks_close(struct db *db, int64_t id, const char *kind,
                                            const char *status, int64_t by_user,
                                            const char *outcome);
/* The team and doctor who look after the resident for a returned referral: its confirm
 * task's, else the active contract's, else the sender's (0 when none). 0, -1 error. */
JY_MUST_USE int store_referral_carer(struct db *db, int64_t id, int64_t resident_id,
                                     int64_t *team_id, int64_t *doctor_id);

/* The satisfaction score the resident's team recorded for the referral. 1 set, 0 already
 * scored, -1 error. */
JY_MUST_USE int store_referral_satisfaction(struct db *db, int64_t id, int score, const char *on);

/* The referral with its summary, return, events and institution names; NULL on error. */
json_t *store_referral_get(struct db *db, int64_t id);

struct referral_filter {
    int64_t user_id;
    int64_t hospital; /* a desk user's hospital; 0: the family-doctor side (scope) */
    const char *side; /* incoming, outgoing or NULL (both) */
    const char *status, *direction, *from, *to; /* NULL: any; from/to bound referred_on */
    int limit;
    int64_t cursor; /* the last referral of the previous page (0: the first page) */
};
/* The work list, newest first (without summaries), a page of f->limit after f->cursor;
 * *next_cursor the page's last id when more follow, else 0. NULL on error. */
json_t *store_referrals_query(struct db *db, const struct referral_filter *f, int64_t *next_cursor);

/* 1 when the hospital had an up-referral of the resident sent to it, 0 not, -1 error. */
JY_MUST_USE int store_referral_hospital_had(struct db *db, int64_t hospital, int64_t resident);

#endif
