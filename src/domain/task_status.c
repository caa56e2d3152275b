/* task_status.c - PROTOCOLS.md §9 task states. */
#include "domain/task_status.h"

#include <string.h>

enum task_status task_status_on(struct date due, const struct date *next_due, struct date today)
{
    struct date missed_at = date_add_days(due, TASK_MISSED_AFTER_DAYS);
    if (next_due && date_compare(*next_due, missed_at) < 0) missed_at = *next_due;
    if (date_compare(today, missed_at) > 0) return TASK_MISSED;
    if (date_compare(today, due) > 0) return TASK_OVERDUE;
    if (date_diff_days(due, today) <= TASK_DUE_WINDOW_DAYS) return TASK_DUE;
    return TASK_UPCOMING;
}

static const char *const NAMES[] = {"upcoming", "due", "overdue", "missed"};

const char *task_status_name(enum task_status s)
{
    return NAMES[s];
}

int task_status_parse(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && strcmp(name, NAMES[i]) == 0) return i;
    return -1;
}
