/* task_status.h - when a task is due, overdue or missed (PROTOCOLS.md §9). */
#ifndef JIAYI_DOMAIN_TASK_STATUS_H
#define JIAYI_DOMAIN_TASK_STATUS_H

#include "util/date.h"

enum task_status { TASK_UPCOMING, TASK_DUE, TASK_OVERDUE, TASK_MISSED };

#define TASK_DUE_WINDOW_DAYS 14
#define TASK_MISSED_AFTER_DAYS 90

/* Status on `today` of an open task due on `due`. `next_due` is the next due point of
 * the same schedule, or NULL when there is none: due from 14 days before the due date,
 * overdue after it, missed once the next due point has passed or 90 days after the due
 * date, whichever comes first. */
enum task_status task_status_on(struct date due, const struct date *next_due, struct date today);
const char *task_status_name(enum task_status s);
/* Parses "upcoming|due|overdue|missed"; -1 when unknown. */
int task_status_parse(const char *name);

#endif
