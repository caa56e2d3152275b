/* audit_checkpoint.h - signed checkpoints of the audit chain's head, kept outside the database.
 *
 * A keyed chain stops whoever lacks the key from rewriting entries, but not from cutting off
 * the newest ones: a shorter chain is still a valid chain. So the head (its last id, that
 * entry's hash, the number of entries, the time) is appended now and then to an append-only
 * file, `<db>.audit-checkpoints` by default (`--audit-checkpoints FILE` or
 * JIAYI_AUDIT_CHECKPOINTS), as one line signed with the Ed25519 key derived from an audit key:
 *
 *     v1 KEYID LASTID COUNT HASH TIME SIGNATURE
 *
 * The signature (hex) covers the line up to the blank before it. COUNT equals LASTID (entries
 * are numbered from 1 without gaps, which verification checks); it is written so that a
 * reader of the file needs no such knowledge. A database that ends before a checkpoint's
 * entry, or whose entry there has another hash, was cut or rewritten. */
#ifndef JIAYI_AUTH_AUDIT_CHECKPOINT_H
#define JIAYI_AUTH_AUDIT_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "auth/audit_key.h"
#include "util/error.h"
#include "util/must_use.h"

/* The error code of a checkpoint that fails its check (not an I/O error). */
#define AUDIT_CHECKPOINT_INVALID "audit_checkpoint_invalid"

struct audit_checkpoint {
    int line; /* in the file, from 1 */
    int64_t key_id, last_id, count;
    char hash[65];
    char at[32];
};

struct audit_checkpoints {
    struct audit_checkpoint *items; /* sorted by last_id */
    size_t count;
    int torn;    /* incomplete lines skipped: a crash in the middle of an append */
    int missing; /* the file does not exist */
};

/* Appends the checkpoint of the head (last_id, its hash) at time `at`, signed with key, and
 * fsyncs it before returning (the file is opened O_APPEND; one write a line, so concurrent
 * appenders do not interleave). Returns 0 or -1 with err. */
JY_MUST_USE int audit_checkpoint_append(const char *path, const struct audit_key *key,
                                        int64_t last_id, const char hash[65], const char *at,
                                        struct jy_error *err);

/* Reads every checkpoint of path and checks its signature against the keys of ring. Returns
 * 0 (also when the file does not exist: cps->missing), or -1 with err naming the line whose
 * key is unknown or whose signature is wrong, or the I/O error. Lines that are not complete
 * checkpoints are skipped and counted in cps->torn (deleting a line was always possible; a
 * crash may leave half of one). Caller frees with audit_checkpoints_free. */
JY_MUST_USE int audit_checkpoints_read(const char *path, const struct audit_keyring *ring,
                                       struct audit_checkpoints *cps, struct jy_error *err);
void audit_checkpoints_free(struct audit_checkpoints *cps);

#endif
