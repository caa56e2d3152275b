/* standard.c - see standard.h. */
#include "domain/standard.h"

static int days_in_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 366 : 365;
}

int standard_days_enrolled(struct date start, int has_end, struct date end, int year,
                           struct date as_of)
{
    struct date first = {year, 1, 1}, last = {year, 12, 31};
    if (date_compare(as_of, last) < 0) last = as_of;
    if (date_compare(start, first) > 0) first = start;
    if (has_end && date_compare(end, last) < 0) last = end;
    long days = date_diff_days(last, first) + 1;
    return days > 0 ? (int)days : 0;
}

int standard_required(int days_enrolled, int year)
{
    if (days_enrolled <= 0) return 0;
    long total = days_in_year(year);
    return (int)((STANDARD_FOLLOWUPS_PER_YEAR * (long)days_enrolled + total - 1) / total);
}
