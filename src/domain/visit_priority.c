/* visit_priority.c - the rules of a visit request; see visit_priority.h. */
#include "domain/visit_priority.h"

#include <string.h>

static const char *const KINDS[VISIT_KIND_COUNT] = {"clinic", "home", "specialist"};
static const char *const STATUSES[VISIT_STATUS_COUNT] = {"requested", "confirmed", "done",
                                                         "cancelled"};

const char *visit_kind_name(enum visit_kind k)
{
    return k >= 0 && k < VISIT_KIND_COUNT ? KINDS[k] : "?";
}

int visit_kind_parse(const char *name)
{
    for (int i = 0; name && i < VISIT_KIND_COUNT; i++)
        if (!strcmp(name, KINDS[i])) return i;
    return -1;
}

const char *visit_status_name(enum visit_status s)
{
    return s >= 0 && s < VISIT_STATUS_COUNT ? STATUSES[s] : "?";
}

int visit_status_parse(const char *name)
{
    for (int i = 0; name && i < VISIT_STATUS_COUNT; i++)
        if (!strcmp(name, STATUSES[i])) return i;
    return -1;
}

int visit_time_valid(const char *time)
{
    return time && (!strcmp(time, "am") || !strcmp(time, "pm"));
}

int visit_priority_reasons(struct date birth, struct date on, int bedridden)
{
    int reasons = 0;
    if (date_age_years(birth, on) >= VISIT_PRIORITY_AGE) reasons |= VISIT_REASON_AGE;
    if (bedridden) reasons |= VISIT_REASON_BEDRIDDEN;
    return reasons;
}

const char *visit_priority_name(int reasons)
{
    return reasons ? "high" : "normal";
}

int visit_transition_allowed(enum visit_status from, enum visit_status to)
{
    switch (to) {
    case VISIT_CONFIRMED:
        return from == VISIT_REQUESTED;
    case VISIT_DONE:
        return from == VISIT_CONFIRMED;
    case VISIT_CANCELLED:
        return from == VISIT_REQUESTED || from == VISIT_CONFIRMED;
    default:
        return 0; /* nothing goes back to requested */
    }
}

const char *visit_date_problem(struct date day, struct date today)
{
    if (date_compare(day, today) < 0) return "date_in_past";
    if (date_diff_days(day, today) > VISIT_MAX_LEAD_DAYS) return "date_too_far";
    return NULL;
}

int visit_is_due(struct date day, struct date today)
{
    return date_compare(day, today) <= 0;
}

const char *visit_half_day_of(int minutes)
{
    return minutes < 12 * 60 ? "am" : "pm";
}

int visit_reminder_time(struct date day, struct date today, int64_t *at)
{
    if (date_compare(day, today) <= 0) return 0;
    /* 09:00 in UTC+8 is 01:00 UTC of the same day. */
    *at = (int64_t)date_to_days(date_add_days(day, -1)) * 86400 + (VISIT_REMINDER_HOUR - 8) * 3600;
    return 1;
}
