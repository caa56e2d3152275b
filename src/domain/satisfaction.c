/* satisfaction.c - see satisfaction.h. */
#include "domain/satisfaction.h"

#include <string.h>

static const char *const CHANNELS[] = {"resident", "survey", "phone_callback"};

const char *satisfaction_channel_name(enum satisfaction_channel c)
{
    return CHANNELS[c];
}

int satisfaction_channel_parse(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (name && !strcmp(name, CHANNELS[i])) return i;
    return -1;
}

const char *satisfaction_refusal(int caller_is_resident, int caller_is_the_resident,
                                 int caller_on_rated_team, enum satisfaction_channel channel)
{
    if (caller_is_resident)
        return caller_is_the_resident && channel == SATISFACTION_RESIDENT ? NULL : "out_of_scope";
    if (channel == SATISFACTION_RESIDENT)
        return "out_of_scope"; /* staff cannot speak as the resident */
    /* A call-back by the team itself is still the team rating itself. */
    return caller_on_rated_team ? "rater_on_team" : NULL;
}

int satisfaction_asks_awareness(enum satisfaction_channel channel)
{
    return channel == SATISFACTION_SURVEY || channel == SATISFACTION_PHONE_CALLBACK;
}

void satisfaction_period(struct date day, struct date *first, struct date *last)
{
    int q = (day.month - 1) / 3;
    *first = (struct date){day.year, q * 3 + 1, 1};
    struct date next =
        q == 3 ? (struct date){day.year + 1, 1, 1} : (struct date){day.year, q * 3 + 4, 1};
    *last = date_add_days(next, -1);
}
