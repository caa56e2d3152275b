/* audit.h - the audit chain: every read or write of a person's data appends
 * (user, role, action, resource, id, time, request id, previous hash, hash, key id), where
 * hash = HMAC-SHA-256 with an audit key (auth/audit_key.h) over the previous hash and every
 * field. Editing, deleting or inserting a row breaks the chain at that row, which
 * audit_verify() names; without the key, the chain cannot be recomputed after an edit. Signed
 * checkpoints of the head in a file outside the database (auth/audit_checkpoint.h) catch a
 * cut tail and a rewrite by someone who holds the key but not the checkpoints.
 *
 * Entries written before migration 012 have no key id: their hash is the plain SHA-256 of
 * the same text. They still verify, but only before every keyed entry and before the first
 * checkpoint (which the first keyed process writes), so a chain recomputed unkeyed is told. */
#ifndef JIAYI_AUTH_AUDIT_H
#define JIAYI_AUTH_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "auth/audit_key.h"
#include "domain/roles.h"
#include "db/db.h"
#include "store/audit.h"
#include "util/error.h"
#include "util/must_use.h"

/* This process's anchor: loads the key file at key_path (creating it when create and it
 * does not exist) and remembers the checkpoint file. From then on appended entries are
 * MACed with the newest key. Call once, before any thread appends. Returns 0 or -1 (err). */
JY_MUST_USE int audit_anchor_open(const char *key_path, const char *checkpoint_path, int create,
                                  struct jy_error *err);
/* Appends a signed checkpoint of db's committed head, unless fewer than min_new entries were
 * appended since this process's previous checkpoint (min_new 0: always). Thread-safe.
 * Returns 1 written, 0 not needed (or the anchor is closed or not open), -1 (err). */
JY_MUST_USE int audit_anchor_checkpoint(struct db *db, int64_t min_new, struct jy_error *err);
/* No checkpoint after this one returns (a clean stop: the last one has been written). */
void audit_anchor_close(void);

/* Appends one entry; must run inside the caller's write transaction so the entry
 * commits (or rolls back) with the change it records. Returns 0, or -1 (also when no
 * anchor is open: an entry is never written without a key). */
JY_MUST_USE int audit_append(struct db *db, const struct principal *who, const char *request_id,
                             const char *action, const char *resource, const char *resource_id,
                             int64_t resident_id);
/* The same with the time the access happened (ISO 8601 UTC, from audit_now). */
JY_MUST_USE int audit_append_at(struct db *db, const struct principal *who, const char *request_id,
                                const char *action, const char *resource, const char *resource_id,
                                int64_t resident_id, const char *at);
/* A list read: one entry for the whole answer, its people in audit_subjects (so each is
 * found by GET /audit?resident=N) and their count and digest appended to resource_id, so
 * the keyed chain covers them. Sorts and deduplicates `subjects` in place. 0 or -1. */
JY_MUST_USE int audit_append_list_at(struct db *db, const struct principal *who,
                                     const char *request_id, const char *resource,
                                     const char *resource_id, int64_t *subjects, size_t n,
                                     const char *at);
/* The same for any action: one entry for a bulk write naming every person it wrote (an
 * import's chunk). */
JY_MUST_USE int audit_append_subjects_at(struct db *db, const struct principal *who,
                                         const char *request_id, const char *action,
                                         const char *resource, const char *resource_id,
                                         int64_t *subjects, size_t n, const char *at);
/* The current time as the audit log writes it, into out (32 bytes). */
void audit_now(char out[32]);
/* The hash a row must carry, from its fields, prev_hash and key_id (hex, 65 bytes): the MAC
 * with key (whose id must be row->key_id), or the legacy SHA-256 when row->key_id is 0 (key
 * unused). Returns 0 or -1 (out of memory). */
JY_MUST_USE int audit_row_hash(const struct audit_row *row, const struct audit_key *key,
                               char out[65]);

struct audit_verify_result {
    int64_t rows;
    int64_t checkpoints;  /* checkpoints read and checked */
    int64_t torn;         /* incomplete checkpoint lines skipped */
    int64_t first_bad_id; /* the first bad entry; 0 when intact or when no one entry is at fault */
    char reason[256];     /* why it is not intact */
};
/* Walks the whole chain with the keys of ring and checks every checkpoint of the file at
 * checkpoint_path: its signature, its entry's hash, and that the database reaches it. A key
 * file (a non-empty ring) without any checkpoint fails: nothing would anchor the chain.
 * Returns 0 intact, 1 not (result says where and why), -1 error (reason says which). */
JY_MUST_USE int audit_verify(struct db *db, const struct audit_keyring *ring,
                             const char *checkpoint_path, struct audit_verify_result *result);

#endif
