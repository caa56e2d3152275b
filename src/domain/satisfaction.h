/* satisfaction.h - who may record a satisfaction answer, and how often, so that a team
 * cannot raise its own satisfaction rate (an indicator of its score and bonus).
 *
 * An answer rates the team the resident signed with. It is given by the resident
 * (the portal), or collected by someone independent of that team: staff of another team or
 * the centre, in a survey or a marked telephone call-back. A member of the rated team may
 * not enter answers about their own team, whatever the channel. One answer per resident
 * per rated team per calendar quarter (the reporting period of the county's survey).
 * Pure: api/ asks, store/ counts. */
#ifndef JIAYI_DOMAIN_SATISFACTION_H
#define JIAYI_DOMAIN_SATISFACTION_H

#include "util/date.h"

enum satisfaction_channel {
    SATISFACTION_RESIDENT,
    SATISFACTION_SURVEY,
    SATISFACTION_PHONE_CALLBACK
};

/* The stored name of a channel, and the channel a name gives (-1 when none). */
const char *satisfaction_channel_name(enum satisfaction_channel c);
int satisfaction_channel_parse(const char *name);

/* NULL when the answer may be recorded, else the error code that refuses it:
 * "out_of_scope" a resident answering for someone else (or staff claiming the resident
 * channel), "rater_on_team" a member of the rated team. */
const char *satisfaction_refusal(int caller_is_resident, int caller_is_the_resident,
                                 int caller_on_rated_team, enum satisfaction_channel channel);

/* Whether an answer by `channel` may say if the resident knows their family doctor
 * (awareness_rate, 知晓率, PROTOCOLS.md §15): only a survey or call-back by someone outside
 * the team asks it. A resident answering on the portal has the doctor's name on the screen,
 * so their "yes" measures nothing. */
int satisfaction_asks_awareness(enum satisfaction_channel channel);

/* The first and last day of the quarter holding `day`: one answer per resident and team
 * within it. */
void satisfaction_period(struct date day, struct date *first, struct date *last);

#endif
