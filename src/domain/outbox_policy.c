/* outbox_policy.c - see outbox_policy.h. */
#include "domain/outbox_policy.h"

#include <ctype.h>

#define CHINA_OFFSET_SECONDS (8 * 3600)

struct outbox_config outbox_config_default(void)
{
    struct outbox_config c = {8, 2, {21 * 60, 8 * 60}};
    return c;
}

enum outbox_outcome outbox_classify(long http_status, int transport_error)
{
    if (transport_error) return OUTBOX_RETRY;
    if (http_status >= 200 && http_status < 300) return OUTBOX_SENT;
    /* A request timeout or "slow down" is the channel's trouble, not the message's. */
    if (http_status == 408 || http_status == 429) return OUTBOX_RETRY;
    if (http_status >= 500 && http_status < 600) return OUTBOX_RETRY;
    /* A refusal (400 bad number, 401 wrong credentials, 404 wrong URL) will be the same
     * next time; so will a redirect, which the worker does not follow. */
    if (http_status >= 300 && http_status < 500) return OUTBOX_DEAD;
    /* 1xx as a final answer, or nonsense: the channel misbehaved; try again. */
    return OUTBOX_RETRY;
}

int64_t outbox_backoff_delay(int64_t base_seconds, int failures, double jitter)
{
    if (base_seconds <= 0) return 0;
    if (failures < 0) failures = 0;
    if (!(jitter >= 0.0)) jitter = 0.0; /* also NaN */
    if (jitter >= 1.0) jitter = 0.999999;
    int64_t full = base_seconds;
    for (int i = 0; i < failures && full < OUTBOX_BACKOFF_CAP_SECONDS; i++)
        full *= 2;
    if (full > OUTBOX_BACKOFF_CAP_SECONDS) full = OUTBOX_BACKOFF_CAP_SECONDS;
    int64_t half = full / 2;
    return (full - half) + (int64_t)((double)half * jitter);
}

enum outbox_outcome outbox_after_failure(enum outbox_outcome outcome, int failures,
                                         int max_attempts)
{
    if (outcome == OUTBOX_RETRY && failures >= max_attempts) return OUTBOX_DEAD;
    return outcome;
}

int outbox_parse_clock(const char *text)
{
    if (!text || !isdigit((unsigned char)text[0]) || !isdigit((unsigned char)text[1]) ||
        text[2] != ':' || !isdigit((unsigned char)text[3]) || !isdigit((unsigned char)text[4]) ||
        text[5] != '\0')
        return -1;
    int hours = (text[0] - '0') * 10 + (text[1] - '0');
    int minutes = (text[3] - '0') * 10 + (text[4] - '0');
    if (hours > 23 || minutes > 59) return -1;
    return hours * 60 + minutes;
}

static int quiet_defined(const struct outbox_quiet *q)
{
    return q && q->start_minute >= 0 && q->end_minute >= 0 && q->start_minute < 1440 &&
           q->end_minute < 1440 && q->start_minute != q->end_minute;
}

static int64_t local_seconds(int64_t now)
{
    int64_t local = now + CHINA_OFFSET_SECONDS;
    int64_t into_day = local % 86400;
    return into_day < 0 ? into_day + 86400 : into_day;
}

int outbox_in_quiet_hours(const struct outbox_quiet *q, int64_t now)
{
    if (!quiet_defined(q)) return 0;
    int minute = (int)(local_seconds(now) / 60);
    if (q->start_minute < q->end_minute) return minute >= q->start_minute && minute < q->end_minute;
    return minute >= q->start_minute || minute < q->end_minute; /* across midnight */
}

int64_t outbox_allowed_at(const struct outbox_quiet *q, int64_t now, int urgent)
{
    if (urgent || !outbox_in_quiet_hours(q, now)) return now;
    int64_t into_day = local_seconds(now);
    int64_t end = (int64_t)q->end_minute * 60;
    /* The window ends later today, or (we are before midnight in a window across it)
     * tomorrow. */
    int64_t wait = end > into_day ? end - into_day : end + 86400 - into_day;
    return now + wait;
}
