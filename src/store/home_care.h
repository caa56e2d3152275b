/* home_care.h (store) - the free annual home visit (issue 19, seed 004 Xiamen:
 * 80岁以上老人及行动不便老人每年不少于一次的免费上门出诊服务): every signed resident of 80 or
 * more, or bedridden (their latest elderly assessment: unable to care for themselves), has a
 * home visit a year on the team's work list until one is made. */
#ifndef JIAYI_STORE_HOME_CARE_H
#define JIAYI_STORE_HOME_CARE_H

#include "db/db.h"
#include "util/date.h"
#include "store/status.h"

/* The daily pass: a `home_visit_annual` task (due in 30 days, the 31st of December at the
 * latest; missed once the year is out) for each such resident with no home visit this year
 * and no such task this year, in slices. The number opened, or -1. */
JY_MUST_USE long store_home_visits_daily(struct db *db, struct date today);

/* A home visit was made: the person's open annual home-visit task is done. 0 or -1. */
JY_MUST_USE int store_home_visit_made(struct db *db, int64_t resident_id);

#endif
