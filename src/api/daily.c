/* daily.c - the background thread of the daily job. Each pass is idempotent (it recomputes
 * from the data), so a missed day is simply caught up by the next pass. */
#include "api/daily.h"
#include "api/idempotency.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "kpi/kpi.h"
#include "store/contracts.h"
#include "store/certificates.h"
#include "store/home_care.h"
#include "store/screening_invites.h"
#include "store/population.h"
#include "store/service_group.h"
#include "util/log.h"

static char *job_db_uri;
static struct db *job_db; /* global so that it stays reachable for the leak checker */

static unsigned seconds_until_2am_china(void)
{
    time_t now = time(NULL) + 8 * 3600;
    long into_day = (long)(now % 86400);
    long wait = 2 * 3600 - into_day;
    if (wait <= 0) wait += 86400;
    return (unsigned)wait;
}

static void *daily_loop(void *arg)
{
    (void)arg;
    struct jy_error err;
    job_db = db_open(job_db_uri, &err);
    if (!job_db) {
        log_error("daily job: cannot open the database: %s", err.detail);
        return NULL;
    }
    for (;;) {
        /* Servers sharing one PostgreSQL database: the first to claim the day runs its pass.
         * A single SQLite server runs it at every start (tests and demos move the date). */
        int mine = !db_is_postgresql(job_db) || store_daily_claim(job_db, date_today()) == 1;
        if (!mine) {
            log_info("daily job: another server has run today's pass");
            unsigned wait = seconds_until_2am_china();
            while (wait > 0)
                wait = sleep(wait);
            continue;
        }
        long changed = store_recompute_all(job_db, date_today());
        if (changed < 0) log_error("daily job failed; retrying at the next pass");
        long enrolled = store_enrol_all(job_db, date_today());
        if (enrolled < 0)
            log_error("daily job: enrolments failed; retrying at the next pass");
        else
            log_info("daily job: %ld enrolments started or ended by age, pregnancy or death",
                     enrolled);
        long contracts = store_contracts_daily(job_db, date_today());
        if (contracts < 0)
            log_error("daily job: contracts failed; retrying at the next pass");
        else
            log_info("daily job: %ld contracts expired, started or proposed for renewal",
                     contracts);
        if (store_home_visits_daily(job_db, date_today()) < 0)
            log_error("daily job: annual home visits failed; retrying at the next pass");
        if (store_certificates_daily(job_db, date_today()) < 0)
            log_error("daily job: certificates failed to expire; retrying at the next pass");
        /* Before the reminders: an invitation's first message goes out the day it is made. */
        if (store_screening_invitations_daily(job_db, date_today()) < 0)
            log_error("daily job: screening invitations failed; retrying at the next pass");
        /* Reminders of the day's due and overdue tasks (issue 16), after the contracts, whose
         * renewals are tasks too. */
        long reminded = store_reminders_pass(job_db, date_today());
        if (reminded < 0)
            log_error("daily job: reminders failed; retrying at the next pass");
        else
            log_info("daily job: %ld reminders written to the outbox", reminded);
        /* Idempotency keys older than 48 hours answer nothing any more (api/idempotency.c). */
        if (idempotency_prune(job_db, (int64_t)time(NULL)) < 0)
            log_error("daily job: idempotency keys not pruned; retrying at the next pass");
        /* Last: the day's enrolment and contract changes are already in the counters. */
        if (kpi_advance(job_db, date_today()) < 0)
            log_error("daily job: indicators failed to advance; retrying at the next pass");
        log_info("daily job: the pass is done");
        unsigned wait = seconds_until_2am_china();
        while (wait > 0)
            wait = sleep(wait);
    }
    return NULL;
}

int daily_job_start(const char *db_uri)
{
    job_db_uri = (char *)db_uri;
    pthread_t thread;
    if (pthread_create(&thread, NULL, daily_loop, NULL) != 0) return -1;
    pthread_detach(thread);
    return 0;
}
