/* outreach.c - see outreach.h. */
#include "domain/outreach.h"

#include <string.h>

const char *const CALL_OUTCOME_NAMES[] = {"reached", "no_answer", "wrong_number", "moved", "died",
                                          "refused", NULL};

static const char *const END_REASON_NAMES[] = {NULL, "lost_to_follow_up", "moved", "died"};

/* What each outcome does: ends the task, with which reason, closing the record how. */
static const struct {
    int ends_task;
    enum task_end_reason reason;
    const char *resident_status;
} EFFECTS[CALL_OUTCOME_COUNT] = {
    [CALL_REACHED] = {0, TASK_END_NONE, NULL},      [CALL_NO_ANSWER] = {0, TASK_END_NONE, NULL},
    [CALL_WRONG_NUMBER] = {1, TASK_END_LOST, NULL}, [CALL_MOVED] = {1, TASK_END_MOVED, "moved_out"},
    [CALL_DIED] = {1, TASK_END_DIED, "deceased"},   [CALL_REFUSED] = {1, TASK_END_LOST, NULL},
};

int call_check(const struct call_input *in, struct call_effect *out, struct jy_error *err)
{
    if (in->outcome < 0 || in->outcome >= CALL_OUTCOME_COUNT)
        return jy_fail(err, 422, "invalid_field", "outcome", "unknown outcome");
    if (in->outcome == CALL_REACHED) {
        if (!in->has_agreed_date)
            return jy_fail(err, 422, "missing_field", "agreed_date",
                           "a reached patient agrees a date");
        if (date_compare(in->agreed_date, in->called_on) < 0)
            return jy_fail(err, 422, "date_in_past", "agreed_date", "before the call");
        if (date_diff_days(in->agreed_date, in->called_on) > CALL_AGREED_MAX_DAYS)
            return jy_fail(err, 422, "date_too_far", "agreed_date", "more than %d days on",
                           CALL_AGREED_MAX_DAYS);
    } else if (in->has_agreed_date) {
        return jy_fail(err, 422, "invalid_field", "agreed_date",
                       "only a reached patient agrees a date");
    }
    const char *status = EFFECTS[in->outcome].resident_status;
    if (in->has_status_date && !status)
        return jy_fail(err, 422, "invalid_field", "status_date",
                       "only a death or a move has a date");
    if (in->has_status_date && date_compare(in->status_date, in->called_on) > 0)
        return jy_fail(err, 422, "invalid_date", "status_date", "after the call");
    out->ends_task = EFFECTS[in->outcome].ends_task;
    out->reason = EFFECTS[in->outcome].reason;
    out->resident_status = status;
    out->status_date = in->has_status_date ? in->status_date : in->called_on;
    return 0;
}

const char *call_outcome_name(enum call_outcome o)
{
    return o >= 0 && o < CALL_OUTCOME_COUNT ? CALL_OUTCOME_NAMES[o] : NULL;
}

int call_outcome_parse(const char *name)
{
    for (int i = 0; name && CALL_OUTCOME_NAMES[i]; i++)
        if (strcmp(name, CALL_OUTCOME_NAMES[i]) == 0) return i;
    return -1;
}

const char *task_end_reason_name(enum task_end_reason r)
{
    return r >= TASK_END_NONE && r <= TASK_END_DIED ? END_REASON_NAMES[r] : NULL;
}
