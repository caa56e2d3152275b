/* service_group.h (store) - the resident in the loop on the team's side (issue 16, migration
 * 027, docs/resident-loop.md): reminders of due and overdue tasks, the team's service group
 * (content pushed to its signed residents, read receipts) and consultations. Each message
 * to a person is written with store_outbox_put inside the caller's transaction. */
#ifndef JIAYI_STORE_SERVICE_GROUP_H
#define JIAYI_STORE_SERVICE_GROUP_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "util/date.h"
#include "store/status.h"

/* ---- reminders ---- */

/* The reminder pass for `today`, a slice of tasks to a transaction of its own: every open
 * task of a reminded kind (domain/reminders.c) of a living resident with an active contract
 * gets the stage due on the day (the setting reminder_stages), once per task and stage, with
 * its outbox message keyed reminder:task:<id>:<stage>. Returns how many reminders were
 * written, -1 on error (the slices before it stay written). Running it again the same day
 * writes nothing more, so a pass cut short is finished by the next. */
JY_MUST_USE long store_reminders_pass(struct db *db, struct date today);

/* ---- the service group ---- */

struct content_input {
    int64_t team_id, user_id;
    const char *kind, *title, *body;
    const char *program;  /* audience: enrolled in this programme (NULL: any) */
    int population_class; /* audience: 1, 2 or 3 (0: any) */
    const char *cell;     /* audience: registered in this grid cell or below (NULL: any) */
    const char *at;       /* published at (UTC, YYYY-MM-DDTHH:MM:SSZ); NULL: now */
};
/* Publishes the item to every matching resident with an active contract with the team: a
 * content_recipients row and one outbox message (content:<id>:resident:<rid>) each. Returns
 * the item's id and the recipients in *recipients, or -1. */
JY_MUST_USE int64_t store_content_publish(struct db *db, const struct content_input *in,
                                          int64_t *recipients);
/* The team's items, newest first, with recipients, read and read_rate; NULL on error. */
json_t *store_team_content(struct db *db, int64_t team_id, int limit);
/* {"items":[{id,kind,title,body,published_at,team_name,read_at}],"unread"} of what was sent to
 * the resident, newest first; NULL on error. */
json_t *store_resident_content(struct db *db, int64_t resident_id, int limit);
/* The read receipt: 1 recorded now (the first read), 0 already read, STORE_NOT_FOUND the item was
 * not sent to the resident (or there is no such item), -1 error. `at` NULL: now. */
JY_MUST_USE int store_content_read(struct db *db, int64_t content_id, int64_t resident_id,
                                   const char *at);
/* Who an item went to and when each read it (NULL: not yet), unread first then by name, so
 * the team sees whom to remind; NULL on error. */
json_t *store_content_receipts(struct db *db, int64_t content_id);
/* The team of an item: 0, STORE_NOT_FOUND no such item, -1 error. */
JY_MUST_USE int store_content_team(struct db *db, int64_t content_id, int64_t *team_id);

/* ---- consultations ---- */

/* The team of the resident's active contract: its id, 0 when none, -1 error. */
JY_MUST_USE int64_t store_resident_signed_team(struct db *db, int64_t resident_id);
/* A new consultation with its first message (the resident's question), signed author_name
 * (NULL: the resident's name). `at` NULL: now.
 * Returns its id or -1. */
JY_MUST_USE int64_t store_consultation_create(struct db *db, int64_t resident_id, int64_t team_id,
                                              const char *subject, const char *body,
                                              int64_t user_id, const char *author_name,
                                              const char *at);
struct consultation_ref {
    int64_t id, resident_id, team_id;
    char status[16], subject[256], team_name[128];
};
/* 0 and *out, STORE_NOT_FOUND no such consultation, -1 error. */
JY_MUST_USE int store_consultation_ref(struct db *db, int64_t id, struct consultation_ref *out);
/* Adds a message. A staff message answers (status answered, first_response_at set by the
 * first), a resident's reopens it (status open, waiting since then). The message's id, or -1.
 * The author's name is the staff member's when the user is staff, else `author_name`. */
JY_MUST_USE int64_t store_consultation_message(struct db *db, int64_t id, int staff,
                                               int64_t user_id, const char *author_name,
                                               const char *body, const char *at);
/* Closes it: 1 closed, 0 it was closed already, -1 error. */
JY_MUST_USE int store_consultation_close(struct db *db, int64_t id, int64_t user_id,
                                         const char *at);
/* The thread: the consultation with its messages; NULL on error (or none). */
json_t *store_consultation_get(struct db *db, int64_t id);
/* The resident's consultations, newest first; NULL on error. */
json_t *store_resident_consultations(struct db *db, int64_t resident_id);
/* The team's consultations (status NULL: all; open first, the longest waiting first), with
 * waiting_minutes, and the team's median_first_response_minutes and resolved_share over all
 * its consultations; NULL on error. */
json_t *store_team_consultations(struct db *db, int64_t team_id, const char *status, int limit);

#endif
