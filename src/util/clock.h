/* clock.h - elapsed time on the monotonic clock, for logs of how long something held. */
#ifndef JIAYI_UTIL_CLOCK_H
#define JIAYI_UTIL_CLOCK_H

#include <time.h>

/* Milliseconds since `since`, read with clock_gettime(CLOCK_MONOTONIC, ...). */
double clock_ms_since(const struct timespec *since);

#endif
