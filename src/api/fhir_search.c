/* fhir_search.c (api) - the parsers of FHIR search parameters that need no database: a date
 * parameter with its prefix (eq, gt, ge, lt, le) narrowed to a range of days. Pure, so that
 * tests/unit/test_fhir_search.c and the fuzz target tests/fuzz/fuzz_fhir_date.c reach it. */
#include <stdio.h>
#include <string.h>

#include "api/fhir.h"
#include "util/date.h"

/* The first and last day of the year, month or day that `text` names. */
static int date_period(const char *text, struct date *first, struct date *last)
{
    int y, m = 0, used = 0;
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i++) /* digits, with '-' only where YYYY-MM-DD has it */
        if ((i == 4 || i == 7) ? text[i] != '-' : (text[i] < '0' || text[i] > '9')) return -1;
    if (n == 4 && sscanf(text, "%4d%n", &y, &used) == 1 && used == 4 && y >= 1) {
        *first = (struct date){y, 1, 1};
        *last = (struct date){y, 12, 31};
        return 0;
    }
    if (n == 7 && sscanf(text, "%4d-%2d%n", &y, &m, &used) == 2 && used == 7 &&
        date_is_valid(y, m, 1)) {
        *first = (struct date){y, m, 1};
        *last = (struct date){y, m, date_days_in_month(y, m)};
        return 0;
    }
    if (n == 10 && date_parse(text, first) == 0) {
        *last = *first;
        return 0;
    }
    return -1;
}

int fhir_date_narrow(const char *value, char from[11], char to[11])
{
    static const char *const PREFIXES[] = {"eq", "gt", "ge", "lt", "le", NULL};
    const char *prefix = "eq", *text = value;
    if (value[0] >= 'a' && value[0] <= 'z') {
        prefix = NULL;
        for (const char *const *p = PREFIXES; *p; p++)
            if (!strncmp(value, *p, 2)) prefix = *p;
        if (!prefix) return -1;
        text = value + 2;
    }
    struct date first, last;
    if (date_period(text, &first, &last) < 0) return -1;
    /* Before the year 1 or after 9999 is off the calendar a bound is written in (the fuzz
     * target found "lt0001" narrowing to 0000-12-31): refused, as an impossible date is. */
    if ((!strcmp(prefix, "lt") && first.year == 1 && first.month == 1 && first.day == 1) ||
        (!strcmp(prefix, "gt") && last.year == 9999 && last.month == 12 && last.day == 31))
        return -1;
    char lo[11] = "", hi[11] = "";
    if (!strcmp(prefix, "eq") || !strcmp(prefix, "ge")) date_format(first, lo);
    if (!strcmp(prefix, "gt")) date_format(date_add_days(last, 1), lo);
    if (!strcmp(prefix, "eq") || !strcmp(prefix, "le")) date_format(last, hi);
    if (!strcmp(prefix, "lt")) date_format(date_add_days(first, -1), hi);
    /* Dates as YYYY-MM-DD compare as text. */
    if (lo[0] && (!from[0] || strcmp(lo, from) > 0)) memcpy(from, lo, 11);
    if (hi[0] && (!to[0] || strcmp(hi, to) < 0)) memcpy(to, hi, 11);
    return 0;
}
