/* log.h - one-line logs to stderr with a UTC timestamp; thread-safe by stdio locking. */
#ifndef JIAYI_UTIL_LOG_H
#define JIAYI_UTIL_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
