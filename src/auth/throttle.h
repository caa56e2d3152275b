/* throttle.h - failed-login throttling per username and per client address.
 * In memory: a restart forgets, which only ever helps a legitimate user. */
#ifndef JIAYI_AUTH_THROTTLE_H
#define JIAYI_AUTH_THROTTLE_H

#include <time.h>

#define THROTTLE_WINDOW_SECONDS 900
#define THROTTLE_MAX_PER_USER 5
#define THROTTLE_MAX_PER_ADDRESS 20

/* 1 when `key` has reached `max` failures within the window ending at `now`. */
int throttle_blocked(const char *key, int max, time_t now);
void throttle_fail(const char *key, time_t now);
void throttle_clear(const char *key);

#endif
