/* daily.h - the daily job while serving: population classes follow birthdays (65, 7) and
 * postpartum ends (PROTOCOLS §2), contracts expire and scheduled renewals start (§10).
 * Runs once at start (catching up after downtime), then
 * every day at 02:00 China time, on its own connection, never blocking requests. */
#ifndef JIAYI_API_DAILY_H
#define JIAYI_API_DAILY_H

/* Starts the job thread. Returns 0, or -1 when the thread cannot start. */
int daily_job_start(const char *db_uri);

#endif
