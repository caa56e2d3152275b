/* county_export.c (api) - see county_export.h. */
#include "api/county_export.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/audit.h"
#include "db/migrations.h"
#include "json/jsondump.h"
#include "store/data_set.h"
#include "store/pii.h"
#include "store/registry.h"
#include "util/date.h"

#define PAGE_ROWS 10000

/* A file being written: through a buffer, hashed and counted as each buffer is flushed. */
struct out_file {
    FILE *f;
    crypto_hash_sha256_state hash;
    long long bytes;
    int failed;
    size_t len;
    char buf[1 << 16];
};

static void flush_out(struct out_file *o)
{
    if (!o->failed && o->len && fwrite(o->buf, 1, o->len, o->f) != o->len) o->failed = 1;
    crypto_hash_sha256_update(&o->hash, (const unsigned char *)o->buf, o->len);
    o->bytes += (long long)o->len;
    o->len = 0;
}

static void put(struct out_file *o, const char *data, size_t n)
{
    while (n) {
        if (o->len == sizeof o->buf) flush_out(o);
        size_t k = sizeof o->buf - o->len < n ? sizeof o->buf - o->len : n;
        memcpy(o->buf + o->len, data, k);
        o->len += k;
        data += k;
        n -= k;
    }
}

/* A field: bare unless it holds a separator, a quote or a line break; "" for an empty text
 * (a NULL writes nothing). */
static void put_field(struct out_file *o, const char *s)
{
    if (!s) return;
    if (*s && !strpbrk(s, ",\"\r\n")) {
        put(o, s, strlen(s));
        return;
    }
    put(o, "\"", 1);
    while (*s) { /* up to and with each quote, then the quote again */
        const char *q = strchr(s, '"');
        size_t n = q ? (size_t)(q - s) + 1 : strlen(s);
        put(o, s, n);
        if (q) put(o, "\"", 1);
        s += n;
    }
    put(o, "\"", 1);
}

static int open_out(struct out_file *o, const char *path)
{
    o->len = 0;
    o->bytes = 0;
    o->failed = 0;
    /* The person's full ID number is in these files: readable by their owner only, and never
     * written through a link someone left in the directory. */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    o->f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!o->f) {
        if (fd >= 0) close(fd);
        return -1;
    }
    crypto_hash_sha256_init(&o->hash);
    return 0;
}

/* Flushes to the disk and closes; the hash into hex (65 bytes). 0 or -1. */
static int close_out(struct out_file *o, char hex[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    flush_out(o);
    int rc = o->failed || fflush(o->f) != 0 || fsync(fileno(o->f)) != 0 ? -1 : 0;
    if (fclose(o->f) != 0) rc = -1;
    o->f = NULL;
    crypto_hash_sha256_final(&o->hash, digest);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
    return rc;
}

/* The page's people in one audit entry, in its own transaction on the writing connection. */
static int audit_page(struct db *write, const struct county_export_request *req, const char *table,
                      int64_t *ids, size_t n)
{
    if (!n) return 0;
    char at[32], resource_id[64];
    audit_now(at);
    snprintf(resource_id, sizeof resource_id, "county:%s", req->county);
    if (db_begin(write) != DB_DONE) return -1;
    if (audit_append_subjects_at(write, req->who, req->request_id, "export", table, resource_id,
                                 ids, n, at) < 0 ||
        db_commit(write) != DB_DONE) {
        db_rollback(write);
        return -1;
    }
    return 0;
}

/* Writes one table to dir/NAME.csv (through .part); fills its manifest entry. */
static int export_table(struct db *read, struct db *write, const struct county_export_request *req,
                        const struct data_set_table *t, json_t *files, struct jy_error *err)
{
    char final_path[4096], part[sizeof final_path + 8];
    snprintf(final_path, sizeof final_path, "%s/%s.csv", req->dir, t->name);
    snprintf(part, sizeof part, "%s.part", final_path);
    struct out_file *o = malloc(sizeof *o);
    if (!o || open_out(o, part) < 0) {
        free(o);
        return jy_fail(err, 500, "internal_error", "to", "%s: %s", part, strerror(errno));
    }
    int columns = 0;
    for (; t->columns[columns]; columns++) {
        if (columns) put(o, ",", 1);
        put(o, t->columns[columns], strlen(t->columns[columns]));
    }
    put(o, "\r\n", 2);
    int64_t *ids = malloc(PAGE_ROWS * sizeof *ids);
    int64_t after = 0;
    long long rows = 0;
    int rc = ids ? 0 : -1, page_rows;
    do {
        struct db_stmt *st =
            rc == 0 ? store_data_set_page(read, t, req->county, after, PAGE_ROWS) : NULL;
        if (!st) {
            rc = -1;
            break;
        }
        size_t n = 0;
        page_rows = 0;
        int step;
        while ((step = db_step(st)) == DB_ROW) {
            for (int c = 0; c < columns; c++) {
                if (c) put(o, ",", 1);
                /* The receiving platform gets the numbers, not this site's ciphertext. */
                char plain[SEAL_PLAIN_MAX + 1];
                const char *v = db_column_is_null(st, c) ? NULL : db_column_text(st, c);
                put_field(o, seal_is_sealed(v) ? pii_column(st, c, plain) : v);
            }
            put(o, "\r\n", 2);
            after = db_column_int(st, 0);
            if (t->resident_column >= 0 && !db_column_is_null(st, t->resident_column))
                ids[n++] = db_column_int(st, t->resident_column);
            page_rows++;
        }
        if (step != DB_DONE || o->failed) rc = -1;
        rows += page_rows;
        if (rc == 0 && audit_page(write, req, t->name, ids, n) < 0) rc = -1;
        if (rc == 0 && req->progress) req->progress(req->ctx, t->name, rows);
    } while (rc == 0 && page_rows == PAGE_ROWS);
    free(ids);
    char hex[65];
    int closed = close_out(o, hex), failed_write = o->failed || closed < 0;
    long long bytes = o->bytes;
    const char *why = rc < 0 ? db_errmsg(read) : failed_write ? "write failed" : NULL;
    if (!why && rename(part, final_path) < 0) why = strerror(errno);
    if (why) {
        free(o);
        unlink(part);
        return jy_fail(err, 500, "internal_error", t->name, "%s: %s", t->name, why);
    }
    free(o);
    char file[64];
    snprintf(file, sizeof file, "%s.csv", t->name);
    json_t *names = json_array();
    for (int c = 0; c < columns; c++)
        json_array_append_new(names, json_string(t->columns[c]));
    json_array_append_new(files, json_pack("{s:s, s:I, s:I, s:s, s:o}", "file", file, "rows",
                                           (json_int_t)rows, "bytes", (json_int_t)bytes, "sha256",
                                           hex, "columns", names));
    return 0;
}

/* The renames into the directory, made durable before the manifest says they are done. */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static int write_manifest(const char *dir, json_t *manifest, struct jy_error *err)
{
    char path[4096], part[sizeof path + 8];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    snprintf(part, sizeof part, "%s.part", path);
    char *text = jsonx_dumps(manifest);
    struct out_file *o = malloc(sizeof *o);
    int rc = text && o && open_out(o, part) == 0 ? 0 : -1;
    if (rc == 0) {
        char hex[65];
        put(o, text, strlen(text));
        put(o, "\n", 1);
        rc = close_out(o, hex) == 0 && sync_dir(dir) == 0 && rename(part, path) == 0 &&
                     sync_dir(dir) == 0
                 ? 0
                 : -1;
        if (rc < 0) unlink(part);
    }
    free(o);
    free(text);
    return rc < 0 ? jy_fail(err, 500, "internal_error", "to", "%s: cannot write", path) : 0;
}

int county_export_run(struct db *read, struct db *write, const struct county_export_request *req,
                      struct jy_error *err)
{
    char level[16];
    int known = store_region_exists(read, req->county, level);
    if (known < 0) return jy_fail(err, 500, "internal_error", NULL, "%s", db_errmsg(read));
    if (!known || strcmp(level, "county"))
        return jy_fail(err, 422, "invalid_region", "county", "%s", req->county);
    if (strlen(req->dir) > 3900)
        return jy_fail(err, 422, "invalid_field", "to", "the path is too long");
    if (mkdir(req->dir, 0700) < 0 && errno != EEXIST)
        return jy_fail(err, 500, "internal_error", "to", "%s: %s", req->dir, strerror(errno));
    char manifest_path[4096];
    snprintf(manifest_path, sizeof manifest_path, "%s/manifest.json", req->dir);
    unlink(manifest_path); /* a manifest means every file beside it is whole */
    if (db_begin_snapshot(read) != DB_DONE)
        return jy_fail(err, 500, "internal_error", NULL, "%s", db_errmsg(read));
    char started[32], today[11];
    audit_now(started);
    date_format(date_today(), today);
    json_t *files = json_array();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < DATA_SET_TABLE_COUNT; i++)
        rc = export_table(read, write, req, &DATA_SET_TABLES[i], files, err);
    int schema = rc == 0 ? db_schema_version(read) : -1;
    db_rollback(read);
    if (rc < 0) {
        json_decref(files);
        return -1;
    }
    json_t *manifest = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:o}", "county", req->county,
                                 "as_of", today, "snapshot_at", started, "schema_version", schema,
                                 "format", "csv; utf-8; crlf; header; null as empty field",
                                 "exported_by", req->who->username, "files", files);
    rc = write_manifest(req->dir, manifest, err);
    json_decref(manifest);
    return rc;
}
