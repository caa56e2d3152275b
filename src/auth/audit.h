/* audit.h - the audit chain: every read or write of a person's data appends
 * (user, role, action, resource, id, time, request id, previous hash, hash), where
 * hash = SHA-256 over the previous hash and every field. Editing, deleting or inserting
 * a row breaks the chain at that row, which audit_verify() names. */
#ifndef JIAYI_AUTH_AUDIT_H
#define JIAYI_AUTH_AUDIT_H

#include <stdint.h>

#include "auth/roles.h"
#include "db/db.h"
#include "store/audit.h"

/* Appends one entry; must run inside the caller's write transaction so the entry
 * commits (or rolls back) with the change it records. Returns 0 or -1. */
int audit_append(struct db *db, const struct principal *who, const char *request_id,
                 const char *action, const char *resource, const char *resource_id,
                 int64_t resident_id);
/* The same with the time the access happened (ISO 8601 UTC, from audit_now). */
int audit_append_at(struct db *db, const struct principal *who, const char *request_id,
                    const char *action, const char *resource, const char *resource_id,
                    int64_t resident_id, const char *at);
/* The current time as the audit log writes it, into out (32 bytes). */
void audit_now(char out[32]);
/* The hash a row must carry, from its fields and prev_hash (hex, 65 bytes). */
void audit_row_hash(const struct audit_row *row, char out[65]);

struct audit_verify_result {
    int64_t rows;
    int64_t first_bad_id; /* 0 when intact */
    char reason[128];
};
/* Walks the whole chain. Returns 0 intact, 1 broken (result names the first bad row), -1 error. */
int audit_verify(struct db *db, struct audit_verify_result *result);

#endif
