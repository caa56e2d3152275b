/* reminders.h - reminders of due and overdue tasks (issue 16, docs/resident-loop.md): the
 * stages a deployment configures (the setting `reminder_stages`, days from the due date,
 * default "-3,0,7": three days before, on the day, seven days late), which stage is due for
 * a task on a given day, and the message the resident receives. Pure: the day is an input.
 *
 * A missed day catches up: on any day the stage to send is the latest one whose day has
 * come, as long as the next stage has not come too (then that one is sent instead), so a
 * pass that did not run on a stage's day still sends it once; reminders are unique per task
 * and stage, so a second pass on the same day sends nothing. The last stage is caught up for
 * REMINDER_LAST_STAGE_DAYS only, so that a deployment's first pass does not message every
 * task years overdue. A closed task gets no reminder. */
#ifndef JIAYI_DOMAIN_REMINDERS_H
#define JIAYI_DOMAIN_REMINDERS_H

#include <stddef.h>

#include "util/date.h"

#define REMINDER_MAX_STAGES 8
#define REMINDER_STAGE_MIN (-60)
#define REMINDER_STAGE_MAX 90
#define REMINDER_LAST_STAGE_DAYS 30
#define REMINDER_DEFAULT_STAGES "-3,0,7"

struct reminder_stages {
    int count;
    int days[REMINDER_MAX_STAGES]; /* ascending, distinct */
};

/* Parses "-3,0,7" (comma-separated integers in [REMINDER_STAGE_MIN, REMINDER_STAGE_MAX],
 * spaces allowed, at most REMINDER_MAX_STAGES, any order, no repeats) into ascending stages.
 * Returns 0, or -1 (out untouched) on anything else, an empty list included. */
int reminder_stages_parse(const char *text, struct reminder_stages *out);

/* The stage (days from due) to send on `today` for a task due on `due`, or NO_REMINDER when
 * none is: the task is closed (open == 0), no stage's day has come, or the last stage's day
 * lies more than REMINDER_LAST_STAGE_DAYS back. */
#define NO_REMINDER (-1000)
int reminder_stage_due(const struct reminder_stages *s, struct date due, struct date today,
                       int open);

/* 1 when tasks of this kind are the resident's to act on (a follow-up, a renewal, an abnormal
 * exam to have checked), so they are reminded; 0 for the team's own work. */
int reminder_kind_reminded(const char *kind);

/* The message (zh-CN) for a task of `kind` and `program` (may be NULL) due on `due`, sent on
 * `today`: what is due, in words, and when (a stage caught up late says how late it is now,
 * not what the stage would have said). Writes at most n bytes, NUL-terminated; returns the
 * length, or -1 when it did not fit. */
int reminder_message(char *out, size_t n, const char *kind, const char *program, struct date due,
                     struct date today);

#endif
