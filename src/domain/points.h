/* points.h - health points (积分换健康, seed 003): the healthy actions that earn points, the
 * rule table a county configures, the amount an event earns, and whether a redemption may
 * go ahead. Pure: store/points.c loads and writes, api/points.c asks.
 *
 * An event is awarded at most once (the ledger is unique on its key); a rule of 0 points
 * turns an action off. A redemption never takes a balance or a stock below zero. */
#ifndef JIAYI_DOMAIN_POINTS_H
#define JIAYI_DOMAIN_POINTS_H

#include <stdint.h>

#include "util/error.h"

enum points_event {
    POINTS_EXAM_DONE,         /* a health check-up's results recorded (体检) */
    POINTS_FOLLOWUP_ATTENDED, /* a programme follow-up recorded (随访) */
    POINTS_VACCINATION,       /* a vaccine dose recorded (疫苗接种) */
    POINTS_CONTENT_READ,      /* the team's pushed health education read (健康知识学习) */
    POINTS_GROUP_ACTIVITY,    /* a self-management group activity attended */
    POINTS_EVENT_COUNT
};

#define POINTS_MAX_AWARD 10000 /* [jiayi] a rule's ceiling: a typo must not mint a fortune */

struct points_rules {
    int points[POINTS_EVENT_COUNT];
};

/* The stored name of an event ("exam_done"), and the event a name gives (-1 when none). */
const char *points_event_name(enum points_event e);
int points_event_parse(const char *name);

/* The [jiayi] defaults, as migration 029 writes them. */
void points_rules_default(struct points_rules *rules);

/* Sets one rule of an update: 0, or -1 with err 422 invalid_field naming `field` (the unknown
 * event's or the out-of-range amount's). */
int points_rule_set(struct points_rules *rules, const char *event, int64_t points,
                    const char *event_field, const char *points_field, struct jy_error *err);

/* The points `event` earns under `rules`: 0 for an unknown event or a rule turned off. */
int points_award_amount(const struct points_rules *rules, const char *event);

/* NULL when a redemption of an item costing `cost` may take it, else the refusal:
 * "out_of_stock" (nothing left: said first, as no balance would help) or
 * "insufficient_points". */
const char *points_redemption_refusal(int64_t balance, int64_t cost, int64_t stock);

#endif
