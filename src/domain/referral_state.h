/* referral_state.h - the states of a tracked referral and who may move it along
 * (docs/hospital-loop.md "Referrals"), as one table:
 *
 *   requested -> accepted | declined     the receiving end
 *   requested | accepted -> seen         either end (the hospital records the visit; the
 *                                        family doctor confirms it, the confirm-seen task)
 *   seen -> returned                     an up-referral only, the receiving end (the hospital
 *                                        sends the patient back with its summary and plan)
 *   seen -> closed                       either end
 *   returned -> closed                   the sending end (the family doctor took the return)
 *   requested | accepted -> cancelled    the sending end
 *
 * The ends: an up-referral is sent by the family-doctor side and received by the hospital
 * it names; a down-referral is sent by a hospital and received by the family-doctor side.
 * Pure. */
#ifndef JIAYI_DOMAIN_REFERRAL_STATE_H
#define JIAYI_DOMAIN_REFERRAL_STATE_H

enum referral_status {
    RS_REQUESTED,
    RS_ACCEPTED,
    RS_DECLINED,
    RS_SEEN,
    RS_RETURNED,
    RS_CLOSED,
    RS_CANCELLED,
    RS_COUNT
};

enum referral_transition {
    RT_ACCEPT,
    RT_DECLINE,
    RT_SEE,
    RT_RETURN,
    RT_CLOSE,
    RT_CANCEL,
    RT_COUNT
};

/* Which end a user stands at (bits; a user may stand at both). */
enum referral_side { RSIDE_SENDER = 1, RSIDE_RECEIVER = 2 };

/* What the table answers. */
enum referral_verdict {
    RV_OK,       /* *to is the new state */
    RV_ILLEGAL,  /* no such transition from this state (for this direction) */
    RV_WRONG_END /* legal from this state, but not for the end(s) the user stands at */
};

/* The names as stored and sent ("requested", ...; "accept", ...); NULL out of range. */
const char *referral_status_name(enum referral_status s);
const char *referral_transition_name(enum referral_transition t);
/* The value of a name, or -1. */
int referral_status_parse(const char *name);
int referral_transition_parse(const char *name);

/* Who may make transition t from state s: RSIDE_* bits (both: either end), 0 when the
 * transition does not exist from s for that direction (up: 1 up-referral, 0 down). */
int referral_transition_who(enum referral_status s, enum referral_transition t, int up);

/* May a user standing at `sides` (RSIDE_* bits) make transition t of a referral in state s
 * (up: 1 up-referral)? RV_OK with *to set, else why not. */
enum referral_verdict referral_transition_check(enum referral_status s, enum referral_transition t,
                                                int up, int sides, enum referral_status *to);

/* The sides (RSIDE_* bits) of a user standing at the referral's ends as auth/scope.c
 * reports them (primary: the family-doctor side; hospital_to / hospital_from: a desk at
 * the hospital it was sent to / from). */
int referral_sides(int up, int primary, int hospital_to, int hospital_from);

/* 1 for the categories of the direction (up: diagnosis, imaging, treatment_adjustment,
 * admission, emergency; down: rehabilitation, chronic_management, continue_prescription). */
int referral_category_valid(const char *category, int up);

#endif
