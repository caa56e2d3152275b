/* seal.c - the PII key file and sealing (see seal.h). Each line's 32-byte secret is never
 * used directly: the cipher's key, the tag's key and (first line only) the index key are
 * derived from it by the line's own MAC over fixed labels, so one secret a line serves all. */
#include "util/seal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/file.h"
#include "util/log.h"
#include "util/mac.h"

#define KEYS_MAX 256
#define FILE_MAX (64 * 1024)
#define SM4_IV 16
#define GCM_NONCE 12
#define TAG 16

struct seal_key {
    int64_t id;
    enum seal_cipher cipher;
    unsigned char enc[32]; /* SM4 uses the first 16 bytes */
    unsigned char mac[32]; /* SM4's encrypt-then-MAC key */
};

static struct {
    pthread_rwlock_t lock;
    char path[4096];
    int count;
    struct seal_key keys[KEYS_MAX];
    enum mac_alg index_alg;
    unsigned char index[32];
} ring = {.lock = PTHREAD_RWLOCK_INITIALIZER};

static EVP_CIPHER *sm4_ctr, *aes_gcm;
static pthread_once_t fetched = PTHREAD_ONCE_INIT;

static void fetch(void)
{
    sm4_ctr = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
    aes_gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}

const char *seal_cipher_name(enum seal_cipher c)
{
    return c == SEAL_AES256GCM ? "aes256gcm" : "sm4";
}

int seal_cipher_parse(const char *name, enum seal_cipher *c)
{
    if (name && strcmp(name, "sm4") == 0)
        *c = SEAL_SM4;
    else if (name && strcmp(name, "aes256gcm") == 0)
        *c = SEAL_AES256GCM;
    else
        return -1;
    return 0;
}

enum seal_cipher seal_cipher_default(void)
{
    enum seal_cipher c;
    return seal_cipher_parse(getenv("JIAYI_PII_CIPHER"), &c) == 0 ? c : SEAL_SM4;
}

static enum mac_alg mac_of(enum seal_cipher c)
{
    return c == SEAL_SM4 ? MAC_HMAC_SM3 : MAC_HMAC_SHA256;
}

static int derive(enum seal_cipher c, const unsigned char *secret, const char *label,
                  unsigned char out[32])
{
    return mac_compute(mac_of(c), secret, label, strlen(label), out);
}

/* "ID HEX CIPHER". Returns 0 or -1. */
static int parse_line(char *line, struct seal_key *k, unsigned char secret[32])
{
    char hex[80], cipher[16];
    long long id;
    int used = 0;
    if (sscanf(line, "%lld %79s %15s %n", &id, hex, cipher, &used) != 3 || line[used] != '\0' ||
        id <= 0 || strlen(hex) != 64 || seal_cipher_parse(cipher, &k->cipher) < 0)
        return -1;
    size_t n = 0;
    if (sodium_hex2bin(secret, 32, hex, 64, NULL, &n, NULL) != 0 || n != 32) return -1;
    sodium_memzero(hex, sizeof hex);
    k->id = id;
    return derive(k->cipher, secret, "jiayi pii cipher key", k->enc) < 0 ||
                   derive(k->cipher, secret, "jiayi pii tag key", k->mac) < 0
               ? -1
               : 0;
}

static int fail(struct jy_error *err, const char *path, const char *what)
{
    return jy_fail(err, 500, "pii_key", NULL, "PII key file %s: %s", path, what);
}

/* Parses the text of a key file into the ring (the caller holds the write lock). */
static int load_text(char *text, const char *path, struct jy_error *err)
{
    int count = 0, number = 0;
    static struct seal_key keys[KEYS_MAX];
    unsigned char secret[32], index[32];
    enum mac_alg index_alg = MAC_HMAC_SM3;
    for (char *line = text, *next; line && *line; line = next) {
        number++;
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        size_t n = strlen(line);
        while (n && isspace((unsigned char)line[n - 1]))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#') continue;
        char what[96];
        if (count == KEYS_MAX || parse_line(line, &keys[count], secret) < 0 ||
            (count && keys[count].id <= keys[count - 1].id)) {
            snprintf(what, sizeof what,
                     "line %d is not \"ID HEXKEY sm4|aes256gcm\" with ids increasing", number);
            sodium_memzero(secret, sizeof secret);
            return fail(err, path, what);
        }
        if (count == 0) {
            index_alg = mac_of(keys[0].cipher);
            if (derive(keys[0].cipher, secret, "jiayi pii index key", index) < 0)
                return fail(err, path, "cannot derive the index key");
        }
        sodium_memzero(secret, sizeof secret);
        count++;
    }
    if (count == 0) return fail(err, path, "holds no key");
    memcpy(ring.keys, keys, sizeof keys[0] * (size_t)count);
    sodium_memzero(keys, sizeof keys);
    ring.count = count;
    ring.index_alg = index_alg;
    memcpy(ring.index, index, sizeof index);
    sodium_memzero(index, sizeof index);
    return 0;
}

static int read_locked(int fd, char *text, const char *path, struct jy_error *err)
{
    size_t len = 0;
    for (;;) {
        ssize_t r = pread(fd, text + len, FILE_MAX - 1 - len, (off_t)len);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return fail(err, path, strerror(errno));
        if (r == 0) break;
        len += (size_t)r;
        if (len == FILE_MAX - 1) return fail(err, path, "too large");
    }
    text[len] = '\0';
    return 0;
}

/* A new file with one key (file_create_private: never over one that appeared meanwhile). */
static int create_file(const char *path, struct jy_error *err)
{
    unsigned char key[32];
    char hex[65], text[256];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    int n = snprintf(text, sizeof text,
                     "# jiayi PII keys: \"ID HEXKEY CIPHER\", newest last. Secret; keep a copy,"
                     " off the database's volume. Lose it and the ID numbers are lost.\n1 %s %s\n",
                     hex, seal_cipher_name(seal_cipher_default()));
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    int rc = file_create_private(path, text, (size_t)n) < 0 ? fail(err, path, strerror(errno)) : 0;
    sodium_memzero(text, sizeof text);
    return rc;
}

/* Reads the file into the ring; the caller holds the write lock. */
static int reload(const char *path, struct jy_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(err, path, strerror(errno));
    char *text = malloc(FILE_MAX);
    int rc = !text                                  ? fail(err, path, "out of memory")
             : flock(fd, LOCK_SH) < 0               ? fail(err, path, strerror(errno))
             : read_locked(fd, text, path, err) < 0 ? -1
                                                    : load_text(text, path, err);
    close(fd);
    if (text) {
        sodium_memzero(text, FILE_MAX);
        free(text);
    }
    return rc;
}

int seal_keys_open(const char *path, int create, struct jy_error *err)
{
    if (sodium_init() < 0) return fail(err, path, "libsodium failed to initialise");
    pthread_once(&fetched, fetch);
    if (!sm4_ctr || !aes_gcm) return fail(err, path, "OpenSSL lacks SM4-CTR or AES-256-GCM");
    if (create && access(path, F_OK) != 0 && errno == ENOENT) {
        if (create_file(path, err) < 0) return -1;
        log_info("created the PII key file %s", path);
    }
    pthread_rwlock_wrlock(&ring.lock);
    int rc = snprintf(ring.path, sizeof ring.path, "%s", path) >= (int)sizeof ring.path
                 ? fail(err, path, "path too long")
                 : reload(path, err);
    if (rc < 0) ring.count = 0;
    pthread_rwlock_unlock(&ring.lock);
    return rc;
}

int seal_keys_loaded(void)
{
    pthread_rwlock_rdlock(&ring.lock);
    int n = ring.count;
    pthread_rwlock_unlock(&ring.lock);
    return n > 0;
}

int64_t seal_newest_key(void)
{
    pthread_rwlock_rdlock(&ring.lock);
    int64_t id = ring.count ? ring.keys[ring.count - 1].id : 0;
    pthread_rwlock_unlock(&ring.lock);
    return id;
}

int64_t seal_keys_rotate(const char *path, enum seal_cipher cipher, struct jy_error *err)
{
    int fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
    if (fd < 0) return fail(err, path, strerror(errno));
    char *text = malloc(FILE_MAX);
    int64_t id = -1;
    if (!text) {
        fail(err, path, "out of memory");
        goto done;
    }
    /* Exclusive while reading the newest id and appending: two rotations take two ids. */
    if (flock(fd, LOCK_EX) < 0) {
        fail(err, path, strerror(errno));
        goto done;
    }
    if (read_locked(fd, text, path, err) < 0) goto done;
    int64_t newest = 0;
    char last = '\n';
    for (const char *line = text; *line;) {
        if (isdigit((unsigned char)*line)) newest = strtoll(line, NULL, 10);
        const char *next = strchr(line, '\n');
        if (!next) break;
        line = next + 1;
    }
    size_t len = strlen(text);
    if (len) last = text[len - 1];
    unsigned char key[32];
    char hex[65], line[160];
    randombytes_buf(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    int n = snprintf(line, sizeof line, "%s%lld %s %s\n", last == '\n' ? "" : "\n",
                     (long long)(newest + 1), hex, seal_cipher_name(cipher));
    sodium_memzero(key, sizeof key);
    sodium_memzero(hex, sizeof hex);
    if (newest < 1)
        fail(err, path, "holds no key");
    else if (file_write_all(fd, line, (size_t)n) < 0 || fsync(fd) < 0)
        fail(err, path, strerror(errno));
    else
        id = newest + 1;
    sodium_memzero(line, sizeof line);
done:
    if (text) {
        sodium_memzero(text, FILE_MAX);
        free(text);
    }
    close(fd);
    return id;
}

/* ---- sealing ---- */

static int tag_sm4(const struct seal_key *k, const unsigned char *blob, size_t n,
                   unsigned char tag[MAC_BYTES])
{
    char prefix[32];
    int p = snprintf(prefix, sizeof prefix, "v1.%lld.", (long long)k->id);
    unsigned char buf[32 + SM4_IV + SEAL_PLAIN_MAX];
    memcpy(buf, prefix, (size_t)p);
    memcpy(buf + p, blob, n);
    return mac_compute(MAC_HMAC_SM3, k->mac, buf, (size_t)p + n, tag);
}

/* blob = IV|ciphertext|tag; returns its length, or -1. */
static int encrypt(const struct seal_key *k, const char *plain, size_t n, unsigned char *blob)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx) return -1;
    int len = 0, fin = 0, ok;
    if (k->cipher == SEAL_SM4) {
        randombytes_buf(blob, SM4_IV);
        ok = EVP_EncryptInit_ex2(ctx, sm4_ctr, k->enc, blob, NULL) == 1 &&
             EVP_EncryptUpdate(ctx, blob + SM4_IV, &len, (const unsigned char *)plain, (int)n) ==
                 1 &&
             EVP_EncryptFinal_ex(ctx, blob + SM4_IV + len, &fin) == 1;
        unsigned char tag[MAC_BYTES];
        ok = ok && tag_sm4(k, blob, SM4_IV + (size_t)(len + fin), tag) == 0;
        if (ok) memcpy(blob + SM4_IV + len + fin, tag, TAG);
        EVP_CIPHER_CTX_free(ctx);
        return ok ? SM4_IV + len + fin + TAG : -1;
    }
    char aad[32];
    int a = snprintf(aad, sizeof aad, "v1.%lld", (long long)k->id), unused = 0;
    randombytes_buf(blob, GCM_NONCE);
    ok =
        EVP_EncryptInit_ex2(ctx, aes_gcm, k->enc, blob, NULL) == 1 &&
        EVP_EncryptUpdate(ctx, NULL, &unused, (const unsigned char *)aad, a) == 1 &&
        EVP_EncryptUpdate(ctx, blob + GCM_NONCE, &len, (const unsigned char *)plain, (int)n) == 1 &&
        EVP_EncryptFinal_ex(ctx, blob + GCM_NONCE + len, &fin) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG, blob + GCM_NONCE + len + fin) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? GCM_NONCE + len + fin + TAG : -1;
}

static int decrypt(const struct seal_key *k, const unsigned char *blob, size_t n, char *out)
{
    size_t iv = k->cipher == SEAL_SM4 ? SM4_IV : GCM_NONCE;
    if (n < iv + TAG || n - iv - TAG > SEAL_PLAIN_MAX) return -1;
    size_t ct = n - iv - TAG;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx) return -1;
    int len = 0, fin = 0, ok;
    if (k->cipher == SEAL_SM4) {
        unsigned char tag[MAC_BYTES];
        ok = tag_sm4(k, blob, iv + ct, tag) == 0 && sodium_memcmp(tag, blob + iv + ct, TAG) == 0 &&
             EVP_DecryptInit_ex2(ctx, sm4_ctr, k->enc, blob, NULL) == 1 &&
             EVP_DecryptUpdate(ctx, (unsigned char *)out, &len, blob + iv, (int)ct) == 1 &&
             EVP_DecryptFinal_ex(ctx, (unsigned char *)out + len, &fin) == 1;
    } else {
        char aad[32];
        int a = snprintf(aad, sizeof aad, "v1.%lld", (long long)k->id), unused = 0;
        ok = EVP_DecryptInit_ex2(ctx, aes_gcm, k->enc, blob, NULL) == 1 &&
             EVP_DecryptUpdate(ctx, NULL, &unused, (const unsigned char *)aad, a) == 1 &&
             EVP_DecryptUpdate(ctx, (unsigned char *)out, &len, blob + iv, (int)ct) == 1 &&
             EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG, (void *)(blob + iv + ct)) == 1 &&
             EVP_DecryptFinal_ex(ctx, (unsigned char *)out + len, &fin) == 1;
    }
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) return -1;
    out[len + fin] = '\0';
    return 0;
}

int seal_text(const char *plain, char out[SEAL_TEXT_MAX])
{
    size_t n = strlen(plain);
    if (n > SEAL_PLAIN_MAX) return -1;
    unsigned char blob[SM4_IV + SEAL_PLAIN_MAX + TAG];
    pthread_rwlock_rdlock(&ring.lock);
    const struct seal_key *k = ring.count ? &ring.keys[ring.count - 1] : NULL;
    int len = k ? encrypt(k, plain, n, blob) : -1;
    int64_t id = k ? k->id : 0;
    pthread_rwlock_unlock(&ring.lock);
    if (len < 0) return -1;
    int p = snprintf(out, SEAL_TEXT_MAX, "v1.%lld.", (long long)id);
    if (p < 0 || sodium_base64_ENCODED_LEN((size_t)len, sodium_base64_VARIANT_URLSAFE_NO_PADDING) >
                     (size_t)(SEAL_TEXT_MAX - p))
        return -1;
    sodium_bin2base64(out + p, (size_t)(SEAL_TEXT_MAX - p), blob, (size_t)len,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return 0;
}

int seal_is_sealed(const char *text)
{
    return text && strncmp(text, "v1.", 3) == 0;
}

int64_t seal_key_of(const char *text)
{
    return seal_is_sealed(text) ? strtoll(text + 3, NULL, 10) : 0;
}

static const struct seal_key *find(int64_t id)
{
    for (int i = ring.count - 1; i >= 0; i--)
        if (ring.keys[i].id == id) return &ring.keys[i];
    return NULL;
}

int seal_open(const char *text, char out[SEAL_PLAIN_MAX + 1])
{
    if (!seal_is_sealed(text)) {
        if (strlen(text) > SEAL_PLAIN_MAX) return -1;
        strcpy(out, text);
        return 0;
    }
    char *end;
    long long id = strtoll(text + 3, &end, 10);
    unsigned char blob[SM4_IV + SEAL_PLAIN_MAX + TAG];
    size_t n = 0;
    if (id <= 0 || *end != '.' ||
        sodium_base642bin(blob, sizeof blob, end + 1, strlen(end + 1), NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return -1;
    pthread_rwlock_rdlock(&ring.lock);
    const struct seal_key *k = find(id);
    if (!k && ring.path[0]) { /* rotated by another process: read the file again */
        pthread_rwlock_unlock(&ring.lock);
        pthread_rwlock_wrlock(&ring.lock);
        struct jy_error err;
        if (!find(id) && reload(ring.path, &err) < 0) log_error("%s", err.detail);
        k = find(id);
    }
    int rc = k ? decrypt(k, blob, n, out) : -1;
    pthread_rwlock_unlock(&ring.lock);
    return rc;
}

int seal_digest(const char *label, const char *value, char out[SEAL_DIGEST_TEXT])
{
    char buf[32 + SEAL_PLAIN_MAX + 2];
    int n = snprintf(buf, sizeof buf, "%s:%s", label, value);
    if (n < 0 || n >= (int)sizeof buf) return -1;
    unsigned char tag[MAC_BYTES];
    pthread_rwlock_rdlock(&ring.lock);
    int rc = ring.count ? mac_compute(ring.index_alg, ring.index, buf, (size_t)n, tag) : -1;
    pthread_rwlock_unlock(&ring.lock);
    if (rc == 0) sodium_bin2hex(out, SEAL_DIGEST_TEXT, tag, sizeof tag);
    return rc;
}
