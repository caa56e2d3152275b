/* log.c - timestamped log lines; one fprintf per line so lines never interleave. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static void log_line(const char *level, const char *fmt, va_list ap)
{
    char msg[1024], stamp[32];
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    vsnprintf(msg, sizeof msg, fmt, ap);
    fprintf(stderr, "%s.%03ldZ %s %s\n", stamp, now.tv_nsec / 1000000, level, msg);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line("INFO", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line("ERROR", fmt, ap);
    va_end(ap);
}
