/* visit_priority.h - the rules of a visit request (issue 16, docs/resident-loop.md "Visit
 * requests"): a resident, a household member with proxy consent or the team asks the
 * resident's family-doctor team for a clinic visit, a home visit or a specialist appointment
 * booked through the team; the team confirms it with a day and a half-day, cancels it or marks
 * it done.
 *
 * Priority: `high` for residents aged 80 or over on the day of the request (高龄) and for the
 * bedridden (卧床, 失能), else `normal`; the team's list shows high priority first. Who is
 * bedridden is the store's business (store/visit_requests.c: the latest annual elderly
 * assessment rated 完全不能自理 "unable"); the rule only takes the answer.
 *
 * The states: requested -> confirmed -> done, and requested or confirmed -> cancelled; done
 * and cancelled are final. Pure: no I/O, the day is a parameter. */
#ifndef JIAYI_DOMAIN_VISIT_PRIORITY_H
#define JIAYI_DOMAIN_VISIT_PRIORITY_H

#include <stdint.h>

#include "util/date.h"

enum visit_kind { VISIT_CLINIC, VISIT_HOME, VISIT_SPECIALIST, VISIT_KIND_COUNT };
enum visit_status {
    VISIT_REQUESTED,
    VISIT_CONFIRMED,
    VISIT_DONE,
    VISIT_CANCELLED,
    VISIT_STATUS_COUNT
};

/* Residents this old or older on the day of the request come first. */
#define VISIT_PRIORITY_AGE 80
/* A preferred or confirmed day lies from today to this many days ahead. */
#define VISIT_MAX_LEAD_DAYS 90
/* China Standard Time is UTC+8; the reminder goes out at 09:00 the day before. */
#define VISIT_REMINDER_HOUR 9

/* The names used by the API and the database ("clinic", "home", "specialist"; "requested",
 * "confirmed", "done", "cancelled"), and back: -1 for an unknown name (NULL too). */
const char *visit_kind_name(enum visit_kind k);
int visit_kind_parse(const char *name);
const char *visit_status_name(enum visit_status s);
int visit_status_parse(const char *name);
/* 1 when `time` is a half-day: "am" or "pm". */
int visit_time_valid(const char *time);

/* Why a request is high priority: VISIT_REASON_AGE and/or VISIT_REASON_BEDRIDDEN bits, 0 for
 * normal. `birth` is the resident's birth date, `on` the day of the request. */
enum { VISIT_REASON_AGE = 1, VISIT_REASON_BEDRIDDEN = 2 };
int visit_priority_reasons(struct date birth, struct date on, int bedridden);
/* "high" or "normal" for the reasons above. */
const char *visit_priority_name(int reasons);

/* 1 when a request may move from `from` to `to`, else 0. */
int visit_transition_allowed(enum visit_status from, enum visit_status to);

/* A preferred or confirmed day: NULL when it lies from today to VISIT_MAX_LEAD_DAYS ahead,
 * else the problem code ("date_in_past", "date_too_far"). */
const char *visit_date_problem(struct date day, struct date today);
/* A visit may be marked done from its day on: 1 when `day` is today or before. */
int visit_is_due(struct date day, struct date today);
/* The half-day of a time of day in minutes since midnight: "am" before noon, else "pm". */
const char *visit_half_day_of(int minutes);

/* The reminder of a visit on `day`: 1 when one is written (the visit is after today, so the
 * day before has not passed), and its time in *at: Unix seconds of 09:00 China time the day
 * before. */
int visit_reminder_time(struct date day, struct date today, int64_t *at);

#endif
