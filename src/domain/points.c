/* points.c - see points.h. */
#include "domain/points.h"

#include <string.h>

static const char *const EVENTS[POINTS_EVENT_COUNT] = {
    "exam_done", "followup_attended", "vaccination", "content_read", "group_activity"};

/* [jiayi]: a check-up (once a year) earns most, a vaccination and a group activity a
 * little, each follow-up a little, a read article a token. */
static const int DEFAULTS[POINTS_EVENT_COUNT] = {50, 10, 20, 2, 10};

const char *points_event_name(enum points_event e)
{
    return e >= 0 && e < POINTS_EVENT_COUNT ? EVENTS[e] : "?";
}

int points_event_parse(const char *name)
{
    for (int i = 0; name && i < POINTS_EVENT_COUNT; i++)
        if (!strcmp(EVENTS[i], name)) return i;
    return -1;
}

void points_rules_default(struct points_rules *rules)
{
    for (int i = 0; i < POINTS_EVENT_COUNT; i++)
        rules->points[i] = DEFAULTS[i];
}

int points_rule_set(struct points_rules *rules, const char *event, int64_t points,
                    const char *event_field, const char *points_field, struct jy_error *err)
{
    int e = points_event_parse(event);
    if (e < 0) return jy_fail(err, 422, "invalid_field", event_field, "unknown event");
    if (points < 0 || points > POINTS_MAX_AWARD)
        return jy_fail(err, 422, "invalid_field", points_field, "between 0 and %d",
                       POINTS_MAX_AWARD);
    rules->points[e] = (int)points;
    return 0;
}

int points_award_amount(const struct points_rules *rules, const char *event)
{
    int e = points_event_parse(event);
    return e < 0 ? 0 : rules->points[e];
}

const char *points_redemption_refusal(int64_t balance, int64_t cost, int64_t stock)
{
    if (stock <= 0) return "out_of_stock";
    if (balance < cost) return "insufficient_points";
    return NULL;
}
