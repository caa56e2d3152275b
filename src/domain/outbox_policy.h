/* outbox_policy.h - the delivery rules of the outbox (docs/resident-loop.md, "The outbox"):
 * what a channel's answer means (sent, retry later, dead), how long to wait before the next
 * attempt, when a message gives up, and when quiet hours (China time) let a message go.
 * Pure: the clock and the jitter are parameters. */
#ifndef JIAYI_DOMAIN_OUTBOX_POLICY_H
#define JIAYI_DOMAIN_OUTBOX_POLICY_H

#include <stdint.h>

enum outbox_outcome {
    OUTBOX_SENT,  /* the channel took it: 2xx */
    OUTBOX_RETRY, /* try again later: 408, 429, 5xx, a timeout, a refused connection */
    OUTBOX_DEAD,  /* never again: any other 4xx (the channel refuses this message), a redirect */
};

#define OUTBOX_BACKOFF_CAP_SECONDS 3600
#define OUTBOX_QUIET_NONE (-1)

/* Quiet hours as minutes after midnight, China time (UTC+8, no daylight saving). A window
 * whose start is after its end crosses midnight (21:00-08:00); start == end, or either one
 * OUTBOX_QUIET_NONE, is no quiet hours at all. */
struct outbox_quiet {
    int start_minute, end_minute;
};

struct outbox_config {
    int max_attempts; /* failures after which a message is dead (setting outbox_max_attempts) */
    int64_t backoff_seconds; /* the first retry's delay (outbox_backoff_seconds); 0: at once */
    struct outbox_quiet quiet;
};

/* 8 attempts, 2 s, 21:00-08:00. */
struct outbox_config outbox_config_default(void);

/* The outcome of one attempt: `transport_error` non-zero when no HTTP answer came (timeout,
 * refused, reset, DNS); else the HTTP status. */
enum outbox_outcome outbox_classify(long http_status, int transport_error);

/* Seconds to wait after the failure of an attempt when `failures` attempts had failed before
 * it: base x 2^failures, capped at OUTBOX_BACKOFF_CAP_SECONDS, then "equal jitter": half of it
 * fixed and half scaled by `jitter` in [0, 1) (the caller draws it), so that messages failed
 * together do not all come back together. Never negative, never above the cap. */
int64_t outbox_backoff_delay(int64_t base_seconds, int failures, double jitter);

/* After a failed attempt (RETRY or DEAD), `failures` counting it: DEAD once failures reaches
 * max_attempts (the dead-letter state), else what the attempt said. SENT stays SENT. */
enum outbox_outcome outbox_after_failure(enum outbox_outcome outcome, int failures,
                                         int max_attempts);

/* "HH:MM" (00:00-23:59) as minutes after midnight, or -1. */
int outbox_parse_clock(const char *text);

/* 1 when `now` (Unix seconds) falls inside the quiet hours. */
int outbox_in_quiet_hours(const struct outbox_quiet *q, int64_t now);

/* The earliest time at or after `now` a message may be sent: `now` for an urgent message (a
 * one-time code) or outside quiet hours, else the end of this quiet window. */
int64_t outbox_allowed_at(const struct outbox_quiet *q, int64_t now, int urgent);

#endif
