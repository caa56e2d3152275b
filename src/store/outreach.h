/* outreach.h (store) - outreach calls on work-list tasks (task_calls) and the tasks they end. */
#ifndef JIAYI_STORE_OUTREACH_H
#define JIAYI_STORE_OUTREACH_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

struct task_call_input {
    int64_t task_id, resident_id, user_id, staff_id;      /* staff_id 0: not staff */
    const char *outcome, *called_on, *agreed_date, *note; /* agreed_date, note may be NULL */
};
/* Stores one call attempt; its id, or a negative DB_ error. */
JY_MUST_USE int64_t store_task_call_insert(struct db *db, const struct task_call_input *in);

/* Ends an open task a call closed (status cancelled, end_reason, who, the note): 1 ended,
 * 0 it was not open, -1 on error. */
JY_MUST_USE int store_task_end(struct db *db, int64_t task_id, const char *end_reason,
                               int64_t user_id, const char *note);
/* Ends every other open task of the resident with the same reason (a death or a move ends
 * all their work). The number ended, or -1. */
JY_MUST_USE long store_resident_tasks_end(struct db *db, int64_t resident_id,
                                          const char *end_reason, int64_t user_id,
                                          const char *note);
/* The resident's record status ("alive", "deceased", "moved_out") into status (16 bytes):
 * 0, STORE_NOT_FOUND no such resident, -1 error. */
JY_MUST_USE int store_resident_status(struct db *db, int64_t resident_id, char status[16]);

/* A task's outreach state as the work list shows it: {"attempts", "last_outcome",
 * "last_called_on", "agreed_date"} (agreed_date: of the last reached call, null when the
 * last call was not one), or JSON null when never called. NULL on error; caller decrefs.
 * `text` is the row's "n|outcome|called_on|agreed_date" summary column (CALL_SUMMARY_SQL). */
json_t *store_call_summary_from_text(const char *text);
json_t *store_task_call_summary(struct db *db, int64_t task_id);

/* SQL for the summary column of a task row aliased t. */
#define CALL_SUMMARY_SQL                                                                           \
    "(SELECT (SELECT count(*) FROM task_calls c2 WHERE c2.task_id = t.id) || '|' || c.outcome"     \
    " || '|' || c.called_on || '|' || coalesce(c.agreed_date, '') FROM task_calls c"               \
    " WHERE c.task_id = t.id ORDER BY c.id DESC LIMIT 1)"

#endif
