/* slot_release.h - which specialist slots a hospital keeps for family doctors and from when
 * each side may book them (issue 15, docs/hospital-loop.md "Slots and bookings").
 *
 * A release rule says three things: the share of each session's slots kept for family
 * doctors (0-100 %), how many days before a slot's day family doctors may book it and how
 * many days before the public may. The seeds:
 *
 *   Shanghai   50 %, "50 % earlier": the public 14 days ahead, family doctors 21
 *   Changning  20 %, one week ahead of the public: the public 7 days, family doctors 14
 *   Hangzhou   a fixed pool of each session (30 %) two weeks ahead: the public 7, family 14
 *   Xiamen     three days earlier: the public 7 days ahead, family doctors 10 (share 30 %)
 *
 * Family doctors may always book what the public may: a public slot opens to them on the
 * public's day, and a family-doctor slot still free on the public's day is open to all
 * (it stays `family_doctors`; the list says `open_to_public`). Pure: the day is a parameter. */
#ifndef JIAYI_DOMAIN_SLOT_RELEASE_H
#define JIAYI_DOMAIN_SLOT_RELEASE_H

#include "util/date.h"

struct release_rule {
    int family_share;     /* percent of each session's slots kept for family doctors */
    int family_lead_days; /* family doctors may book this many days before the slot's day */
    int public_lead_days; /* the public likewise; never more than family_lead_days */
};

/* A hospital without a rule releases nothing early: every slot public, two weeks ahead. */
extern const struct release_rule SLOT_RELEASE_DEFAULT;

#define SLOT_RELEASE_MAX_LEAD 365

/* NULL when the rule is valid, else the field at fault ("family_share", "family_lead_days",
 * "public_lead_days"; family_lead_days also when it is less than public_lead_days). */
const char *slot_release_rule_invalid(const struct release_rule *rule);

/* How many of a session's n slots are the family doctors': n x share / 100, rounded half up. */
int slot_release_family_count(int n_slots, int family_share);

/* 1 when slot i (0-based, in time order) of a session of n slots is released to family
 * doctors: the family count spread evenly over the session (morning and late places
 * alike), so the first k are never all of them. */
int slot_release_is_family(int i, int n_slots, int family_share);

enum slot_audience { AUDIENCE_FAMILY_DOCTORS, AUDIENCE_PUBLIC };

/* The first day `audience` may book a slot of day `slot_day` released to family doctors
 * (family_slot 1) or the public (0): a family slot opens to family doctors family_lead_days
 * ahead and to the public public_lead_days ahead (when still free); a public slot opens to
 * both public_lead_days ahead. */
struct date slot_release_opens(const struct release_rule *rule, int family_slot,
                               enum slot_audience audience, struct date slot_day);

/* 1 when `audience` may book the slot on `today`: its opening day has come and the slot's
 * day has not passed (a same-day booking is fine). */
int slot_release_bookable(const struct release_rule *rule, int family_slot,
                          enum slot_audience audience, struct date slot_day, struct date today);

#endif
