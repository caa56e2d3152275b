/* date.c - calendar arithmetic using the days-from-civil algorithm (H. Hinnant). */
#include "util/date.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

int date_is_valid(int year, int month, int day)
{
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= date_days_in_month(year, month);
}

int date_parse(const char *text, struct date *out)
{
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9')) return -1;
    int y = atoi(text), m = atoi(text + 5), d = atoi(text + 8);
    if (!date_is_valid(y, m, d)) return -1;
    out->year = y;
    out->month = m;
    out->day = d;
    return 0;
}

void date_format(struct date d, char out[11])
{
    char text[40];
    snprintf(text, sizeof text, "%04u-%02u-%02u", (unsigned)d.year % 10000u,
             (unsigned)d.month % 100u, (unsigned)d.day % 100u);
    memcpy(out, text, 10);
    out[10] = '\0';
}

long date_to_days(struct date d)
{
    /* A parsed or computed date, or the zero date: the code's "none", earlier than any day. */
    assert((d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31) ||
           (d.year == 0 && d.month == 0 && d.day == 0));
    long y = d.year - (d.month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d.month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d.day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct date date_from_days(long z)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    struct date d;
    d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d.year = (int)(yoe + era * 400 + (d.month <= 2));
    return d;
}

struct date date_add_days(struct date d, long days)
{
    return date_from_days(date_to_days(d) + days);
}

struct date date_add_months(struct date d, int months)
{
    int index = d.year * 12 + (d.month - 1) + months;
    struct date r;
    r.year = index / 12;
    r.month = index % 12 + 1;
    int last = date_days_in_month(r.year, r.month);
    r.day = d.day > last ? last : d.day;
    return r;
}

struct date date_add_years(struct date d, int years)
{
    return date_add_months(d, years * 12);
}

int date_compare(struct date a, struct date b)
{
    long x = date_to_days(a), y = date_to_days(b);
    return (x > y) - (x < y);
}

long date_diff_days(struct date later, struct date earlier)
{
    return date_to_days(later) - date_to_days(earlier);
}

int date_age_years(struct date birth, struct date on)
{
    int age = on.year - birth.year;
    if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) age--;
    return age;
}

struct date date_today(void)
{
    struct date d;
    const char *fixed = getenv("JIAYI_TODAY");
    if (fixed && date_parse(fixed, &d) == 0) return d;
    time_t now = time(NULL) + 8 * 3600;
    struct tm tm;
    gmtime_r(&now, &tm);
    d.year = tm.tm_year + 1900;
    d.month = tm.tm_mon + 1;
    d.day = tm.tm_mday;
    return d;
}
