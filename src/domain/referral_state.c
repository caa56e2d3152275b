/* referral_state.c - see referral_state.h. */
#include "domain/referral_state.h"

#include <stddef.h>
#include <string.h>

static const char *const STATUS_NAMES[RS_COUNT] = {"requested", "accepted", "declined", "seen",
                                                   "returned",  "closed",   "cancelled"};
static const char *const TRANSITION_NAMES[RT_COUNT] = {"accept", "decline", "seen",
                                                       "return", "close",   "cancel"};

#define S RSIDE_SENDER
#define R RSIDE_RECEIVER
#define EITHER (RSIDE_SENDER | RSIDE_RECEIVER)
/* WHO[state][transition]: who may; 0 none. Return is for up-referrals only (below). */
static const unsigned char WHO[RS_COUNT][RT_COUNT] = {
    /*                accept decline seen    return close   cancel */
    [RS_REQUESTED] = {R, R, EITHER, 0, 0, S}, [RS_ACCEPTED] = {0, 0, EITHER, 0, 0, S},
    [RS_DECLINED] = {0, 0, 0, 0, 0, 0},       [RS_SEEN] = {0, 0, 0, R, EITHER, 0},
    [RS_RETURNED] = {0, 0, 0, 0, S, 0},       [RS_CLOSED] = {0, 0, 0, 0, 0, 0},
    [RS_CANCELLED] = {0, 0, 0, 0, 0, 0},
};
static const unsigned char TO[RT_COUNT] = {RS_ACCEPTED, RS_DECLINED, RS_SEEN,
                                           RS_RETURNED, RS_CLOSED,   RS_CANCELLED};
#undef S
#undef R
#undef EITHER

const char *referral_status_name(enum referral_status s)
{
    return s >= 0 && s < RS_COUNT ? STATUS_NAMES[s] : NULL;
}

const char *referral_transition_name(enum referral_transition t)
{
    return t >= 0 && t < RT_COUNT ? TRANSITION_NAMES[t] : NULL;
}

int referral_status_parse(const char *name)
{
    for (int i = 0; name && i < RS_COUNT; i++)
        if (!strcmp(STATUS_NAMES[i], name)) return i;
    return -1;
}

int referral_transition_parse(const char *name)
{
    for (int i = 0; name && i < RT_COUNT; i++)
        if (!strcmp(TRANSITION_NAMES[i], name)) return i;
    return -1;
}

int referral_transition_who(enum referral_status s, enum referral_transition t, int up)
{
    if (s < 0 || s >= RS_COUNT || t < 0 || t >= RT_COUNT) return 0;
    if (t == RT_RETURN && !up) return 0; /* a down-referral has nothing to return */
    return WHO[s][t];
}

enum referral_verdict referral_transition_check(enum referral_status s, enum referral_transition t,
                                                int up, int sides, enum referral_status *to)
{
    int who = referral_transition_who(s, t, up);
    if (!who) return RV_ILLEGAL;
    if (!(who & sides)) return RV_WRONG_END;
    if (to) *to = (enum referral_status)TO[t];
    return RV_OK;
}

int referral_sides(int up, int primary, int hospital_to, int hospital_from)
{
    int sides = 0;
    if (up) {
        if (primary) sides |= RSIDE_SENDER;
        if (hospital_to) sides |= RSIDE_RECEIVER;
    } else {
        if (hospital_from) sides |= RSIDE_SENDER;
        if (primary) sides |= RSIDE_RECEIVER;
    }
    return sides;
}

int referral_category_valid(const char *category, int up)
{
    static const char *const UP[] = {"diagnosis", "imaging",   "treatment_adjustment",
                                     "admission", "emergency", NULL};
    static const char *const DOWN[] = {"rehabilitation", "chronic_management",
                                       "continue_prescription", NULL};
    const char *const *list = up ? UP : DOWN;
    for (int i = 0; category && list[i]; i++)
        if (!strcmp(list[i], category)) return 1;
    return 0;
}
