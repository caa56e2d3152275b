/* audit.c (store) - reading and appending audit rows. */
#include "store/audit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLUMNS                                                                                    \
    "id, at, username, role, action, resource, resource_id, coalesce(resident_id, 0),"             \
    " request_id, prev_hash, hash, coalesce(key_id, 0)"

static void read_row(struct db_stmt *st, struct audit_row *r)
{
    r->id = db_column_int(st, 0);
    snprintf(r->at, sizeof r->at, "%s", db_column_text(st, 1));
    snprintf(r->username, sizeof r->username, "%s", db_column_text(st, 2));
    snprintf(r->role, sizeof r->role, "%s", db_column_text(st, 3));
    snprintf(r->action, sizeof r->action, "%s", db_column_text(st, 4));
    snprintf(r->resource, sizeof r->resource, "%s", db_column_text(st, 5));
    snprintf(r->resource_id, sizeof r->resource_id, "%s", db_column_text(st, 6));
    r->resident_id = db_column_int(st, 7);
    snprintf(r->request_id, sizeof r->request_id, "%s", db_column_text(st, 8));
    snprintf(r->prev_hash, sizeof r->prev_hash, "%s", db_column_text(st, 9));
    snprintf(r->hash, sizeof r->hash, "%s", db_column_text(st, 10));
    r->key_id = db_column_int(st, 11);
}

int store_audit_last(struct db *db, int64_t *id, char hash[65])
{
    static const char SQL[] = "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *id = db_column_int(st, 0);
        snprintf(hash, 65, "%s", db_column_text(st, 1));
        db_run(st);
        return 0;
    }
    if (rc != DB_DONE) return -1;
    *id = 0;
    memset(hash, '0', 64);
    hash[64] = '\0';
    return 0;
}

int store_audit_insert(struct db *db, const struct audit_row *r)
{
    static const char SQL[] = "INSERT INTO audit_log (id, at, username, role, action, resource,"
                              " resource_id, resident_id, request_id, prev_hash, hash, key_id)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, r->id);
    db_bind_text(st, 2, r->at);
    db_bind_text(st, 3, r->username);
    db_bind_text(st, 4, r->role);
    db_bind_text(st, 5, r->action);
    db_bind_text(st, 6, r->resource);
    db_bind_text(st, 7, r->resource_id);
    if (r->resident_id) db_bind_int(st, 8, r->resident_id);
    db_bind_text(st, 9, r->request_id);
    db_bind_text(st, 10, r->prev_hash);
    db_bind_text(st, 11, r->hash);
    if (r->key_id) db_bind_int(st, 12, r->key_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

/* INSERTs of 1, 2, 4, ... 256 subject rows. Statements are cached by the address of their
 * text (db.h), so each text is built once, here, and kept. */
enum { SUBJECT_CHUNKS = 9, SUBJECT_CHUNK_MAX = 1 << (SUBJECT_CHUNKS - 1) };
static char subject_sql[SUBJECT_CHUNKS][64 + SUBJECT_CHUNK_MAX * 16];
static pthread_once_t subject_sql_once = PTHREAD_ONCE_INIT;

static void build_subject_sql(void)
{
    for (int k = 0; k < SUBJECT_CHUNKS; k++) {
        char *sql = subject_sql[k];
        size_t size = sizeof subject_sql[k], rows = (size_t)1 << k;
        int len = snprintf(sql, size, "INSERT INTO audit_subjects (audit_id, resident_id) VALUES ");
        for (size_t i = 0; i < rows; i++)
            len += snprintf(sql + len, size - (size_t)len, "%s(?1, ?%zu)", i ? ", " : "", i + 2);
        snprintf(sql + len, size - (size_t)len, " ON CONFLICT DO NOTHING");
    }
}

int store_audit_subjects_insert(struct db *db, int64_t audit_id, const int64_t *ids, size_t n)
{
    /* Many rows a statement: a list read names hundreds of people, and on PostgreSQL each
     * statement is a round trip made while the auditor holds the writer (one row a
     * statement kept eight writers waiting 5 s behind a burst of work-list reads). */
    pthread_once(&subject_sql_once, build_subject_sql);
    for (size_t done = 0; done < n;) {
        int k = SUBJECT_CHUNKS - 1;
        while (((size_t)1 << k) > n - done)
            k--;
        size_t rows = (size_t)1 << k;
        struct db_stmt *st = db_prepare(db, subject_sql[k]);
        if (!st) return -1;
        db_bind_int(st, 1, audit_id);
        for (size_t i = 0; i < rows; i++)
            db_bind_int(st, (int)i + 2, ids[done + i]);
        if (db_run(st) != DB_DONE) return -1;
        done += rows;
    }
    return 0;
}

int store_audit_each_list(struct db *db,
                          int (*fn)(int64_t id, const char *resource_id, const int64_t *ids,
                                    size_t n, void *),
                          void *arg)
{
    /* Every entry that has subjects or claims some: a subject row whose entry claims none,
     * or an entry whose rows were deleted, is caught by the digest either way. */
    static const char SQL[] =
        "SELECT a.id, a.resource_id, s.resident_id FROM audit_log a LEFT JOIN audit_subjects s ON s.audit_id = a.id"
        " WHERE a.resource_id LIKE '%;h=%' OR a.id IN (SELECT audit_id FROM audit_subjects)"
        " ORDER BY a.id, s.resident_id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int64_t current = 0, *ids = NULL;
    size_t n = 0, cap = 0;
    char resource_id[256] = "";
    int rc, out = 0;
    while ((rc = db_step(st)) == DB_ROW && out == 0) {
        int64_t id = db_column_int(st, 0);
        if (id != current) {
            if (current) out = fn(current, resource_id, ids, n, arg);
            current = id;
            n = 0;
            snprintf(resource_id, sizeof resource_id, "%s",
                     db_column_text(st, 1) ? db_column_text(st, 1) : "");
        }
        if (db_column_is_null(st, 2)) continue;
        if (n == cap) {
            size_t grown_cap = cap ? cap * 2 : 64;
            int64_t *grown = realloc(ids, grown_cap * sizeof *grown);
            if (!grown) {
                out = -1;
                break;
            }
            ids = grown;
            cap = grown_cap;
        }
        ids[n++] = db_column_int(st, 2);
    }
    if (out == 0 && rc != DB_ROW && rc != DB_DONE) out = -1;
    if (out == 0 && current) out = fn(current, resource_id, ids, n, arg);
    if (rc == DB_ROW) db_run(st);
    free(ids);
    return out;
}

int store_audit_each(struct db *db, int (*fn)(const struct audit_row *, void *), void *arg)
{
    static const char SQL[] = "SELECT " COLUMNS " FROM audit_log ORDER BY id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    struct audit_row row;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        read_row(st, &row);
        int stop = fn(&row, arg);
        if (stop) {
            db_prepare(db, SQL); /* resets the statement */
            return stop;
        }
    }
    return rc == DB_DONE ? 0 : -1;
}

int store_audit_for_resident(struct db *db, int64_t resident_id, int64_t before, int limit,
                             int (*fn)(const struct audit_row *, void *), void *arg)
{
    /* The entries naming the person, and the list reads that returned them. */
    static const char SQL[] = "SELECT " COLUMNS " FROM audit_log WHERE id IN"
                              " (SELECT id FROM audit_log WHERE resident_id = ?1"
                              "  UNION SELECT audit_id FROM audit_subjects WHERE resident_id = ?1)"
                              " AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, before);
    db_bind_int(st, 3, limit);
    struct audit_row row;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        read_row(st, &row);
        fn(&row, arg);
    }
    return rc == DB_DONE ? 0 : -1;
}

int64_t store_audit_count_for_resident(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT count(*) FROM (SELECT id FROM audit_log WHERE resident_id = ?1"
        " UNION SELECT audit_id FROM audit_subjects WHERE resident_id = ?1) entries";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    return db_query_int(st, 0);
}
