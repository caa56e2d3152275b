/* outreach.h - the rules of an outreach call on a work-list task (issue 14, after Simple's
 * overdue list): a nurse or doctor calls the patient of an open task and records what came
 * of it. Each outcome either keeps the task open (reached with a date agreed for the
 * visit, no answer) or ends it with a reason the indicators distinguish:
 *
 *   reached       task stays open; agreed_date required, from the call date to 90 days on
 *   no_answer     task stays open; the attempt is counted
 *   wrong_number  task ends: lost_to_follow_up (the patient cannot be reached)
 *   refused       task ends: lost_to_follow_up (the patient will not come)
 *   moved         task ends: moved; the resident's record is closed as moved_out
 *   died          task ends: died; the resident's record is closed as deceased
 *
 * A death or a move is what the record itself treats as leaving the population (PROTOCOLS.md
 * §11: "alive on the as-of date", domain/indicators.c: neither dead nor moved out): the
 * call closes the record the way PATCH /residents/{id} {status} does, so the patient leaves
 * the population and the care-cascade denominators from status_date on (not counted as
 * missed or lost). A lost-to-follow-up ending closes only the task: the patient stays
 * enrolled and keeps counting in htn/dm_missed_visit and _lost_to_follow_up until seen.
 * Pure: the call date is a parameter; api/ stores what this decides. */
#ifndef JIAYI_DOMAIN_OUTREACH_H
#define JIAYI_DOMAIN_OUTREACH_H

#include "util/date.h"
#include "util/error.h"

enum call_outcome {
    CALL_REACHED,
    CALL_NO_ANSWER,
    CALL_WRONG_NUMBER,
    CALL_MOVED,
    CALL_DIED,
    CALL_REFUSED,
    CALL_OUTCOME_COUNT
};

/* Why an outreach call ended a task (tasks.end_reason). */
enum task_end_reason { TASK_END_NONE, TASK_END_LOST, TASK_END_MOVED, TASK_END_DIED };

/* The farthest a visit may be agreed after the call: a task is missed 90 days after its
 * due date (PROTOCOLS.md §9), so a later promise would outlive the task it answers. */
#define CALL_AGREED_MAX_DAYS 90

/* NULL-terminated names in enum order, for jx_enum. */
extern const char *const CALL_OUTCOME_NAMES[];

struct call_input {
    enum call_outcome outcome;
    struct date called_on; /* the day of the call (today) */
    int has_agreed_date;
    struct date agreed_date; /* the visit the patient agreed to */
    int has_status_date;
    struct date status_date; /* the day of the death or move, when known */
};

struct call_effect {
    int ends_task;
    enum task_end_reason reason;
    const char *resident_status; /* "deceased", "moved_out", or NULL: the record stays open */
    struct date status_date;     /* for resident_status: given, else the call date */
};

/* Checks a call against the rules above and says what it does. 0 with *out filled, or -1
 * with err naming the field: agreed_date missing (reached: 422 missing_field), before the
 * call (422 date_in_past), more than 90 days on (422 date_too_far) or given with another
 * outcome (422 invalid_field); status_date after the call (422 invalid_date) or given with
 * an outcome other than moved or died (422 invalid_field). */
int call_check(const struct call_input *in, struct call_effect *out, struct jy_error *err);

const char *call_outcome_name(enum call_outcome o);
/* -1 when unknown. */
int call_outcome_parse(const char *name);
/* "lost_to_follow_up", "moved", "died"; NULL for TASK_END_NONE. */
const char *task_end_reason_name(enum task_end_reason r);

#endif
