/* audit_key.c - the audit key file: reading it, creating it on first use, rotating it.
 * Every write to it is made durable before it is relied on: an entry MACed with a key that
 * a crash then lost could never be verified again. */
#include "auth/audit_key.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"
#include "util/log.h"

_Static_assert(sizeof((struct audit_key *)0)->mac == crypto_auth_hmacsha256_KEYBYTES, "mac key");
_Static_assert(sizeof((struct audit_key *)0)->sign_public == crypto_sign_PUBLICKEYBYTES, "pk");
_Static_assert(sizeof((struct audit_key *)0)->sign_secret == crypto_sign_SECRETKEYBYTES, "sk");

#define FILE_MAX (64 * 1024) /* 256 keys of ~70 bytes and comments fit many times over */

static int key_fail(struct jy_error *err, const char *path, const char *what)
{
    return jy_fail(err, 500, "audit_key", NULL, "audit key file %s: %s", path, what);
}

/* The checkpoints are signed rather than MACed so that a signature can be checked with the
 * public half alone. The signing key is derived from the MAC key (BLAKE2b keyed with it over
 * a fixed label) so that the file keeps one secret a line and rotation renews both. */
static void derive_signing_key(struct audit_key *k)
{
    static const char LABEL[] = "jiayi audit checkpoint signing key v1";
    unsigned char seed[crypto_sign_SEEDBYTES];
    crypto_generichash(seed, sizeof seed, (const unsigned char *)LABEL, sizeof LABEL - 1, k->mac,
                       sizeof k->mac);
    crypto_sign_seed_keypair(k->sign_public, k->sign_secret, seed);
    sodium_memzero(seed, sizeof seed);
}

/* "ID HEX [ALG]": a positive decimal id, blanks, 64 hex digits, and optionally blanks and a
 * MAC's name (none: hmac-sha256, as every key was before SM3). Returns 0 or -1. */
static int parse_key_line(char *line, struct audit_key *k)
{
    if (!isdigit((unsigned char)line[0])) return -1;
    char *end;
    errno = 0;
    long long id = strtoll(line, &end, 10);
    if (errno || id <= 0 || (*end != ' ' && *end != '\t')) return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    k->alg = MAC_HMAC_SHA256;
    char *alg = strpbrk(end, " \t");
    if (alg) {
        *alg++ = '\0';
        while (*alg == ' ' || *alg == '\t')
            alg++;
        if (mac_alg_parse(alg, &k->alg) < 0) return -1;
    }
    size_t bin_len = 0;
    if (strlen(end) != 2 * sizeof k->mac ||
        sodium_hex2bin(k->mac, sizeof k->mac, end, strlen(end), NULL, &bin_len, NULL) != 0 ||
        bin_len != sizeof k->mac)
        return -1;
    k->id = id;
    derive_signing_key(k);
    return 0;
}

/* Reads the whole file behind fd (at most FILE_MAX bytes) into buf, NUL-terminated. */
static int read_all(int fd, char *buf, size_t cap, size_t *len)
{
    *len = 0;
    for (;;) {
        ssize_t r = pread(fd, buf + *len, cap - 1 - *len, (off_t)*len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (r == 0) break;
        *len += (size_t)r;
        if (*len == cap - 1) {
            errno = EFBIG;
            return -1;
        }
    }
    buf[*len] = '\0';
    return 0;
}

/* Parses every key of the file behind fd into ring (emptied first). Returns 0 or -1. */
static int load_fd(struct audit_keyring *ring, int fd, const char *path, struct jy_error *err)
{
    memset(ring, 0, sizeof *ring);
    char *text = malloc(FILE_MAX);
    if (!text) return key_fail(err, path, "out of memory");
    size_t len;
    int rc = 0;
    if (read_all(fd, text, FILE_MAX, &len) < 0) {
        rc = key_fail(err, path, strerror(errno));
        goto done;
    }
    int number = 0;
    for (char *line = text, *next; line && *line; line = next) {
        number++;
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        size_t n = strlen(line);
        while (n && isspace((unsigned char)line[n - 1]))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#') continue;
        char what[96];
        if (ring->count == AUDIT_KEYS_MAX) {
            snprintf(what, sizeof what, "more than %d keys", AUDIT_KEYS_MAX);
            rc = key_fail(err, path, what);
            goto done;
        }
        struct audit_key *k = &ring->keys[ring->count];
        if (parse_key_line(line, k) < 0) {
            snprintf(what, sizeof what,
                     "line %d is not \"ID HEXKEY [hmac-sm3|hmac-sha256]\" (an id, 64 hex digits)",
                     number);
            rc = key_fail(err, path, what);
            goto done;
        }
        if (ring->count && k->id <= ring->keys[ring->count - 1].id) {
            snprintf(what, sizeof what, "line %d: key ids must increase, newest last", number);
            rc = key_fail(err, path, what);
            goto done;
        }
        ring->count++;
    }
    if (ring->count == 0) rc = key_fail(err, path, "holds no key");
done:
    sodium_memzero(text, FILE_MAX);
    free(text);
    if (rc < 0) audit_keyring_wipe(ring);
    return rc;
}

/* Creates the key file with one new key, unless another process just did
 * (file_create_private). */
static int create_key_file(const char *path, struct jy_error *err)
{
    unsigned char key[32];
    char hex[65], text[256];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    int n = snprintf(text, sizeof text,
                     "# jiayi audit keys: \"ID HEXKEY MAC\", newest last. Secret; keep a copy, and"
                     " keep it off the database's volume.\n1 %s %s\n",
                     hex, mac_alg_name(mac_alg_default()));
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    int rc =
        file_create_private(path, text, (size_t)n) < 0 ? key_fail(err, path, strerror(errno)) : 0;
    sodium_memzero(text, sizeof text);
    return rc;
}

int audit_keyring_load(struct audit_keyring *ring, const char *path, int create,
                       struct jy_error *err)
{
    memset(ring, 0, sizeof *ring);
    if (sodium_init() < 0) return key_fail(err, path, "libsodium failed to initialise");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        if (create_key_file(path, err) < 0) return -1;
        log_info("created the audit key file %s", path);
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) return errno == ENOENT ? 0 : key_fail(err, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077))
        log_error("warning: the audit key file %s is readable by others (chmod 600 it)", path);
    /* A shared lock: a rotation appending its line is never read half-written. */
    int rc = flock(fd, LOCK_SH) < 0 ? key_fail(err, path, strerror(errno))
                                    : load_fd(ring, fd, path, err);
    close(fd);
    return rc;
}

int64_t audit_keyring_rotate(const char *path, enum mac_alg alg, struct jy_error *err)
{
    int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    if (fd < 0) return key_fail(err, path, strerror(errno));
    struct audit_keyring *ring = malloc(sizeof *ring);
    int64_t id = -1;
    char line[128];
    int n = 0;
    if (!ring) {
        key_fail(err, path, "out of memory");
        goto done;
    }
    /* Exclusive while reading the newest id and appending: two rotations take two ids. */
    if (flock(fd, LOCK_EX) < 0) {
        key_fail(err, path, strerror(errno));
        goto done;
    }
    if (load_fd(ring, fd, path, err) < 0) goto done;
    struct audit_key k;
    k.id = audit_keyring_newest(ring)->id + 1;
    randombytes_buf(k.mac, sizeof k.mac);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, k.mac, sizeof k.mac);
    char last = '\n';
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)
        last = '\n';
    /* A file edited by hand may lack its final newline: never glue the new key onto a line. */
    n = snprintf(line, sizeof line, "%s%lld %s %s\n", last == '\n' ? "" : "\n", (long long)k.id,
                 hex, mac_alg_name(alg));
    sodium_memzero(hex, sizeof hex);
    sodium_memzero(&k, sizeof k);
    if (file_write_all(fd, line, (size_t)n) < 0 || fsync(fd) < 0) {
        key_fail(err, path, strerror(errno));
        goto done;
    }
    id = audit_keyring_newest(ring)->id + 1;
done:
    sodium_memzero(line, sizeof line);
    if (ring) {
        audit_keyring_wipe(ring);
        free(ring);
    }
    close(fd);
    return id;
}

const struct audit_key *audit_keyring_find(const struct audit_keyring *ring, int64_t id)
{
    for (int i = ring->count - 1; i >= 0; i--) /* newest first: the usual case */
        if (ring->keys[i].id == id) return &ring->keys[i];
    return NULL;
}

const struct audit_key *audit_keyring_newest(const struct audit_keyring *ring)
{
    return ring->count ? &ring->keys[ring->count - 1] : NULL;
}

void audit_keyring_wipe(struct audit_keyring *ring)
{
    sodium_memzero(ring, sizeof *ring);
}
