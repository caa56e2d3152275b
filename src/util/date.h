/* date.h - calendar dates (proleptic Gregorian), the arithmetic PROTOCOLS.md uses:
 * "3 months" is the same day three calendar months later, clamped to month end
 * (2026-11-30 + 3 months = 2027-02-28). Pure functions except date_today(). */
#ifndef JIAYI_UTIL_DATE_H
#define JIAYI_UTIL_DATE_H

struct date {
    int year, month, day;
};

int date_is_valid(int year, int month, int day);
int date_days_in_month(int year, int month);
/* Parses exactly "YYYY-MM-DD" into a valid date. Returns 0, or -1 on anything else. */
int date_parse(const char *text, struct date *out);
/* Writes "YYYY-MM-DD" and a NUL into out (11 bytes). */
void date_format(struct date d, char out[11]);
/* Days since 1970-01-01 (negative before). */
long date_to_days(struct date d);
struct date date_from_days(long days);
struct date date_add_days(struct date d, long days);
struct date date_add_months(struct date d, int months);
struct date date_add_years(struct date d, int years);
/* Negative if a < b, 0 if equal, positive if a > b. */
int date_compare(struct date a, struct date b);
long date_diff_days(struct date later, struct date earlier);
/* Completed years of age on `on` for someone born on `birth` (Feb 29 birthdays count on Mar 1). */
int date_age_years(struct date birth, struct date on);
/* Today's date in UTC+8 (China Standard Time), the only place the clock is read for dates.
 * JIAYI_TODAY=YYYY-MM-DD overrides it, so tests and demos can fix the day. */
struct date date_today(void);

#endif
