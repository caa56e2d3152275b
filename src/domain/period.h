/* period.h - reporting periods as PROTOCOLS.md §11 names them: a year "2026", a quarter
 * "2026-Q3" or a month "2026-07", each a closed range of dates. */
#ifndef JIAYI_DOMAIN_PERIOD_H
#define JIAYI_DOMAIN_PERIOD_H

#include "util/date.h"

struct period {
    struct date first, last;
    char label[8];
};

/* 0 and the period, or -1 when `text` is none of the three forms (years 2000-2100). */
int period_parse(const char *text, struct period *out);
/* The period "as of": its last day, or `today` when the period is still open. */
struct date period_as_of(const struct period *p, struct date today);

/* The whole calendar months inside [first, last], for counters kept per month and per day:
 * [whole_first, whole_end) is those months (whole_first the 1st of the first, whole_end the
 * 1st after the last), and the days left over are [first, whole_first) and [whole_end, last].
 * With no whole month inside, whole_first = whole_end = last + 1 day, so the days are all of
 * [first, last]. `last` before `first` gives an empty range both ways. */
struct month_split {
    struct date whole_first, whole_end;
};
struct month_split period_split_months(struct date first, struct date last);

#endif
