/* audit.h (store) - SQL of the append-only audit table. The chain logic is auth/audit.c. */
#ifndef JIAYI_STORE_AUDIT_H
#define JIAYI_STORE_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "store/status.h"

struct audit_row {
    int64_t id;
    char at[32];
    char username[64];
    char role[32];
    char action[32];
    char resource[32];
    char resource_id[256];
    int64_t resident_id; /* 0 when none */
    char request_id[32];
    char prev_hash[65];
    char hash[65];
    int64_t key_id; /* the audit key the hash is a MAC with; 0: a legacy plain SHA-256 entry */
};

/* The last row's (id, hash); id 0 and an all-zero hash when the table is empty. */
JY_MUST_USE int store_audit_last(struct db *db, int64_t *id, char hash[65]);
JY_MUST_USE int store_audit_insert(struct db *db, const struct audit_row *row);
/* The people a list entry returned (migration 016), n of them. Returns 0 or -1. */
JY_MUST_USE int store_audit_subjects_insert(struct db *db, int64_t audit_id, const int64_t *ids,
                                            size_t n);
/* Calls fn for each list entry (resource_id with ";h="): its id, resource_id, and its
 * subjects' ids in ascending order. Returns 0, the first non-zero fn result, or -1. */
JY_MUST_USE int store_audit_each_list(struct db *db,
                                      int (*fn)(int64_t id, const char *resource_id,
                                                const int64_t *ids, size_t n, void *),
                                      void *arg);
/* Calls fn for every row in id order; stops when fn returns non-zero (returned). */
JY_MUST_USE int store_audit_each(struct db *db, int (*fn)(const struct audit_row *row, void *arg),
                                 void *arg);
/* Rows about one resident, newest first, id < before (0: from the newest). */
JY_MUST_USE int store_audit_for_resident(struct db *db, int64_t resident_id, int64_t before,
                                         int limit,
                                         int (*fn)(const struct audit_row *row, void *arg),
                                         void *arg);

/* Number of rows about one resident. */
JY_MUST_USE int64_t store_audit_count_for_resident(struct db *db, int64_t resident_id);

#endif
