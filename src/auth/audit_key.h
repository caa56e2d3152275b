/* audit_key.h - the secret keys of the audit chain, kept in a file outside the database.
 *
 * Whoever holds the database file can recompute a plain hash chain after editing it. With
 * a keyed MAC (HMAC-SHA-256) instead, recomputing needs the key, which lives in its own
 * file: `<db>.audit-key` by default, `--audit-key FILE` or JIAYI_AUDIT_KEY_FILE otherwise,
 * best on another volume or host than the database.
 *
 * The file holds one key a line, "ID HEX ALG" (a positive id, increasing, 32 random bytes in
 * hex, and the MAC: hmac-sm3, or hmac-sha256, which a line without ALG means: the files of
 * before SM3), newest last; lines starting with '#' are comments. New entries are MACed with
 * the newest key and record its id; rotation appends a key and never removes one, so that
 * older entries still verify. From each key an Ed25519 key pair is derived that signs the
 * checkpoints (auth/audit_checkpoint.h): one file holds every audit secret. */
#ifndef JIAYI_AUTH_AUDIT_KEY_H
#define JIAYI_AUTH_AUDIT_KEY_H

#include <stdint.h>

#include "util/error.h"
#include "util/mac.h"
#include "util/must_use.h"

#define AUDIT_KEYS_MAX 256 /* rotations a key file may hold */

struct audit_key {
    int64_t id;
    enum mac_alg alg;              /* the MAC of the entries it keys */
    unsigned char mac[32];         /* the MAC's key */
    unsigned char sign_public[32]; /* Ed25519, derived from mac: checks checkpoints */
    unsigned char sign_secret[64]; /* Ed25519, derived from mac: signs checkpoints */
};

struct audit_keyring {
    int count; /* 0 only when the file does not exist */
    struct audit_key keys[AUDIT_KEYS_MAX];
};

/* Reads the key file at path into ring. When the file does not exist: with create, makes it
 * (mode 0600, one new key with id 1 for mac_alg_default()) durably before returning; without,
 * returns 0 with an empty ring. Returns 0, or -1 with err naming the file and, for a bad line, its
 * number. */
JY_MUST_USE int audit_keyring_load(struct audit_keyring *ring, const char *path, int create,
                                   struct jy_error *err);
/* Appends a new key (the newest id + 1) for `alg` to an existing key file, durably. Returns
 * the new key's id, or -1 with err. A running server keeps its key until it restarts. */
JY_MUST_USE int64_t audit_keyring_rotate(const char *path, enum mac_alg alg, struct jy_error *err);
/* The key with that id, or NULL. */
const struct audit_key *audit_keyring_find(const struct audit_keyring *ring, int64_t id);
/* The key new entries are MACed with (the last one), or NULL when the ring is empty. */
const struct audit_key *audit_keyring_newest(const struct audit_keyring *ring);
/* Zeroes the ring's secrets. */
void audit_keyring_wipe(struct audit_keyring *ring);

#endif
