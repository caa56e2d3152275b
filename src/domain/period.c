/* period.c - year, quarter and month periods. */
#include "domain/period.h"

#include <stdio.h>
#include <string.h>

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

int period_parse(const char *text, struct period *out)
{
    if (!text) return -1;
    size_t n = strlen(text);
    if (n < 4 || !digits(text, 4)) return -1;
    int year =
        (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    if (year < 2000 || year > 2100) return -1;
    int first_month, months;
    if (n == 4) {
        first_month = 1;
        months = 12;
    } else if (n == 7 && text[4] == '-' && text[5] == 'Q' && text[6] >= '1' && text[6] <= '4') {
        first_month = (text[6] - '1') * 3 + 1;
        months = 3;
    } else if (n == 7 && text[4] == '-' && digits(text + 5, 2)) {
        first_month = (text[5] - '0') * 10 + (text[6] - '0');
        if (first_month < 1 || first_month > 12) return -1;
        months = 1;
    } else {
        return -1;
    }
    out->first = (struct date){year, first_month, 1};
    out->last = date_add_days(date_add_months(out->first, months), -1);
    snprintf(out->label, sizeof out->label, "%s", text);
    return 0;
}

struct date period_as_of(const struct period *p, struct date today)
{
    return date_compare(today, p->last) < 0 ? today : p->last;
}

struct month_split period_split_months(struct date first, struct date last)
{
    struct date after = date_add_days(last, 1);
    struct date whole_first = first;
    if (first.day != 1) whole_first = date_add_months((struct date){first.year, first.month, 1}, 1);
    struct date whole_end = {after.year, after.month, 1}; /* the month `after` falls in */
    if (date_compare(whole_first, whole_end) >= 0) return (struct month_split){after, after};
    return (struct month_split){whole_first, whole_end};
}
