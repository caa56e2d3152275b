/* slices.h - a daily-job step as many small write transactions: a step over a whole city
 * in one transaction would hold the write lock (every server's writer on PostgreSQL) for
 * minutes. Each slice is complete in itself, and the next pass finishes what a crash left. */
#ifndef JIAYI_STORE_SLICES_H
#define JIAYI_STORE_SLICES_H

#include "db/db.h"
#include "store/status.h"

struct slices {
    long transactions;
    double longest_ms; /* the longest a slice held the write lock */
};

/* Runs `slice` in a write transaction of its own until a slice returns 0 (nothing left);
 * counts the transactions and the longest in `seen`. Returns the sum of what the slices
 * returned, or -1 (the slices before the failure stay committed). */
JY_MUST_USE long store_in_slices(struct db *db, long (*slice)(struct db *db, void *ctx), void *ctx,
                                 struct slices *seen);

#endif
