/* slices.c - a daily-job step as many small write transactions (see slices.h). */
#include "store/slices.h"

#include <time.h>

#include "util/clock.h"

long store_in_slices(struct db *db, long (*slice)(struct db *db, void *ctx), void *ctx,
                     struct slices *seen)
{
    long total = 0, n;
    do {
        struct timespec began;
        clock_gettime(CLOCK_MONOTONIC, &began);
        if (db_begin(db) != DB_DONE) return -1;
        n = slice(db, ctx);
        if (n < 0 || db_commit(db) != DB_DONE) {
            db_rollback(db);
            return -1;
        }
        double held = clock_ms_since(&began);
        if (held > seen->longest_ms) seen->longest_ms = held;
        seen->transactions++;
        total += n;
    } while (n > 0);
    return total;
}
