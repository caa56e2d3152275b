/* referrals.h (demo) - the demo's referrals over the year get the states a tracked referral
 * goes through (issue 15): most up-referrals seen, about 78% of the seen ones returned down
 * with the hospital's summary and plan (Yuetan), some declined or cancelled, the recent ones
 * still open - a few of them at the county people's hospital, so hospital01's incoming list
 * is not empty - each with its events and a summary of the record as it stood when it was
 * sent. Drawn from its own generator after everything else, so the county's draws stay
 * what they were. */
#ifndef JIAYI_DEMO_REFERRALS_H
#define JIAYI_DEMO_REFERRALS_H

#include <stdint.h>

#include "db/db.h"
#include "util/date.h"

/* Inside the caller's transaction or its own; 0, or -1. */
int demo_referral_states(struct db *db, struct date today, uint64_t seed, int64_t county_hospital);

#endif
