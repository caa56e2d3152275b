/* audit_checkpoint.c - writing and reading the signed checkpoint file (see the header). */
#include "auth/audit_checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"

#define SIGNATURE_HEX (2 * crypto_sign_BYTES)

static int checkpoint_fail(struct jy_error *err, const char *path, const char *what)
{
    return jy_fail(err, 500, "audit_checkpoint", NULL, "audit checkpoint file %s: %s", path, what);
}

static int checkpoint_invalid(struct jy_error *err, const char *path, const char *what)
{
    return jy_fail(err, 422, AUDIT_CHECKPOINT_INVALID, NULL, "checkpoint file %s: %s", path, what);
}

static int is_hex(const char *s, size_t n)
{
    if (strlen(s) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return 1;
}

int audit_checkpoint_append(const char *path, const struct audit_key *key, int64_t last_id,
                            const char hash[65], const char *at, struct jy_error *err)
{
    /* The head comes from a database that may have been tampered with: never let its hash
     * (or a time) break the line format. */
    if (!is_hex(hash, 64) || !at[0] || strpbrk(at, " \n") || strlen(at) >= 32 || last_id < 0)
        return checkpoint_fail(err, path, "the head to record is malformed");
    char message[160];
    int n = snprintf(message, sizeof message, "v1 %lld %lld %lld %s %s", (long long)key->id,
                     (long long)last_id, (long long)last_id, hash, at);
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, NULL, (const unsigned char *)message, (unsigned long long)n,
                         key->sign_secret);
    char signature_hex[SIGNATURE_HEX + 1];
    sodium_bin2hex(signature_hex, sizeof signature_hex, signature, sizeof signature);

    int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return checkpoint_fail(err, path, strerror(errno));
    struct stat st;
    char last = '\n';
    if (fstat(fd, &st) < 0) {
        close(fd);
        return checkpoint_fail(err, path, strerror(errno));
    }
    if (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1) last = '\n';
    /* After a crash in the middle of an append, start on a fresh line: the torn one stays
     * alone and is skipped by readers, instead of spoiling this one. */
    char line[512];
    int len =
        snprintf(line, sizeof line, "%s%s %s\n", last == '\n' ? "" : "\n", message, signature_hex);
    int rc = 0;
    if (file_write_all(fd, line, (size_t)len) < 0 || fsync(fd) < 0 ||
        (st.st_size == 0 && file_sync_parent(path) < 0))
        rc = checkpoint_fail(err, path, strerror(errno));
    close(fd);
    return rc;
}

/* Splits a line into its 7 fields and checks each one's form. Returns 0, or -1 when the
 * line is not a complete checkpoint. `message_len` is the length of the signed part. */
static int parse_line(char *line, struct audit_checkpoint *cp, unsigned char signature[64],
                      size_t *message_len)
{
    char *fields[8];
    int n = 0;
    for (char *p = line; n < 8;) {
        fields[n++] = p;
        p = strchr(p, ' ');
        if (!p) break;
        *p++ = '\0';
    }
    if (n != 7 || strcmp(fields[0], "v1") != 0) return -1;
    int64_t numbers[3];
    for (int i = 0; i < 3; i++) {
        char *end;
        errno = 0;
        long long v = strtoll(fields[1 + i], &end, 10);
        if (errno || end == fields[1 + i] || *end || v < 0) return -1;
        numbers[i] = v;
    }
    if (!is_hex(fields[4], 64) || !fields[5][0] || strlen(fields[5]) >= sizeof cp->at ||
        !is_hex(fields[6], SIGNATURE_HEX))
        return -1;
    cp->key_id = numbers[0];
    cp->last_id = numbers[1];
    cp->count = numbers[2];
    memcpy(cp->hash, fields[4], 65);
    snprintf(cp->at, sizeof cp->at, "%s", fields[5]);
    sodium_hex2bin(signature, crypto_sign_BYTES, fields[6], SIGNATURE_HEX, NULL, NULL, NULL);
    *message_len = (size_t)(fields[6] - 1 - line);
    /* Put the blanks back: the signature covers the text as written. */
    for (int i = 1; i < 6; i++)
        fields[i][-1] = ' ';
    return 0;
}

static int by_last_id(const void *a, const void *b)
{
    const struct audit_checkpoint *x = a, *y = b;
    return (x->last_id > y->last_id) - (x->last_id < y->last_id);
}

int audit_checkpoints_read(const char *path, const struct audit_keyring *ring,
                           struct audit_checkpoints *cps, struct jy_error *err)
{
    memset(cps, 0, sizeof *cps);
    FILE *f = fopen(path, "re");
    if (!f) {
        if (errno != ENOENT) return checkpoint_fail(err, path, strerror(errno));
        cps->missing = 1;
        return 0;
    }
    size_t cap = 0;
    char *line = NULL, what[160];
    size_t line_cap = 0;
    ssize_t len;
    int number = 0, rc = 0;
    while ((len = getline(&line, &line_cap, f)) >= 0) {
        number++;
        int complete = len > 0 && line[len - 1] == '\n';
        if (complete) line[--len] = '\0';
        struct audit_checkpoint cp = {.line = number};
        unsigned char signature[crypto_sign_BYTES];
        size_t message_len;
        if (!complete || parse_line(line, &cp, signature, &message_len) < 0) {
            cps->torn++;
            continue;
        }
        const struct audit_key *key = audit_keyring_find(ring, cp.key_id);
        if (!key) {
            snprintf(what, sizeof what,
                     "line %d is signed with key %lld, which is not in the key file", number,
                     (long long)cp.key_id);
            rc = checkpoint_invalid(err, path, what);
            break;
        }
        if (crypto_sign_verify_detached(signature, (const unsigned char *)line, message_len,
                                        key->sign_public) != 0) {
            snprintf(what, sizeof what, "line %d: the signature is wrong (forged or edited)",
                     number);
            rc = checkpoint_invalid(err, path, what);
            break;
        }
        if (cps->count == cap) {
            size_t grown = cap ? 2 * cap : 64;
            struct audit_checkpoint *items = realloc(cps->items, grown * sizeof *items);
            if (!items) {
                rc = checkpoint_fail(err, path, "out of memory");
                break;
            }
            cps->items = items;
            cap = grown;
        }
        cps->items[cps->count++] = cp;
    }
    if (rc == 0 && ferror(f)) rc = checkpoint_fail(err, path, strerror(errno));
    free(line);
    fclose(f);
    if (rc < 0) {
        audit_checkpoints_free(cps);
        return -1;
    }
    if (cps->count) qsort(cps->items, cps->count, sizeof *cps->items, by_last_id);
    return 0;
}

void audit_checkpoints_free(struct audit_checkpoints *cps)
{
    free(cps->items);
    cps->items = NULL;
    cps->count = 0;
}
