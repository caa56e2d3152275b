/* standard.h - "standardised management" (规范管理) of an enrolled patient in a year
 * (PROTOCOLS.md §11 htn_standard_rate): at least ceil(4 x days enrolled in the year / days
 * in the year) follow-ups in that year, so a patient enrolled in October owes one visit,
 * not four. The same rule serves hypertension, diabetes and SMD. */
#ifndef JIAYI_DOMAIN_STANDARD_H
#define JIAYI_DOMAIN_STANDARD_H

#include "util/date.h"

#define STANDARD_FOLLOWUPS_PER_YEAR 4 /* [spec] at least four face-to-face follow-ups */

/* Days of `year` on which the enrolment [start, end] (end inclusive; has_end 0 = still
 * enrolled) overlaps [Jan 1, as_of]; as_of caps an open year at today. */
int standard_days_enrolled(struct date start, int has_end, struct date end, int year,
                           struct date as_of);
/* The follow-ups owed for that many days enrolled in `year`: ceil(4 x days / days in year). */
int standard_required(int days_enrolled, int year);

#endif
