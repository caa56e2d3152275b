/* pii.c (store) - sealed ID numbers and phones in the rows that hold them (see pii.h). */
#include "store/pii.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/fault.h"
#include "util/log.h"

int pii_id_digests(const char *id_number, struct pii_id_digests *out)
{
    size_t n = strlen(id_number);
    char masked[8];
    if (n < 7) return -1;
    snprintf(masked, sizeof masked, "%.3s%s", id_number, id_number + n - 4);
    return seal_digest("id", id_number, out->whole) < 0 ||
                   seal_digest("id_tail", id_number + n - 4, out->tail) < 0 ||
                   seal_digest("id_masked", masked, out->masked) < 0
               ? -1
               : 0;
}

int pii_bind_sealed(struct db_stmt *st, int index, const char *plain)
{
    if (!plain || !*plain) {
        db_bind_null(st, index);
        return 0;
    }
    char sealed[SEAL_TEXT_MAX];
    if (seal_text(plain, sealed) < 0) {
        log_error("cannot seal a value: are the PII keys loaded?");
        return -1;
    }
    db_bind_text(st, index, sealed);
    return 0;
}

int pii_bind_digest(struct db_stmt *st, int index, const char *label, const char *value)
{
    if (!value || !*value) {
        db_bind_null(st, index);
        return 0;
    }
    char digest[SEAL_DIGEST_TEXT];
    if (seal_digest(label, value, digest) < 0) return -1;
    db_bind_text(st, index, digest);
    return 0;
}

const char *pii_column(struct db_stmt *st, int col, char out[SEAL_PLAIN_MAX + 1])
{
    const char *text = db_column_text(st, col);
    if (!text) return NULL;
    if (seal_open(text, out) == 0) return out;
    log_error("a sealed value (key %lld) cannot be opened: damaged, or its key is missing",
              (long long)seal_key_of(text));
    db_failure_note();
    return NULL;
}

void pii_set(json_t *o, const char *key, struct db_stmt *st, int col)
{
    char plain[SEAL_PLAIN_MAX + 1];
    const char *v = pii_column(st, col, plain);
    json_object_set_new(o, key, v ? json_string(v) : json_null());
}

/* One batch of residents: re-sealed and digested. Returns how many, or -1. */
static int64_t seal_residents(struct db *db, const char *current, int rekey, int batch)
{
    static const char PICK[] =
        "SELECT id, id_number, phone FROM residents WHERE id_digest IS NULL OR (?1 = 1 AND"
        " (id_number NOT LIKE ?2 OR phone NOT LIKE ?2)) ORDER BY id LIMIT ?3";
    static const char SET[] =
        "UPDATE residents SET id_number = ?2, id_digest = ?3, id_tail_digest = ?4,"
        " id_masked_digest = ?5, phone = ?6, phone_digest = ?7 WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, PICK);
    if (!st) return -1;
    db_bind_int(st, 1, rekey);
    db_bind_text(st, 2, current);
    db_bind_int(st, 3, batch);
    struct row {
        int64_t id;
        char id_number[SEAL_PLAIN_MAX + 1], phone[SEAL_PLAIN_MAX + 1];
        int has_phone;
    } *rows = calloc((size_t)batch, sizeof *rows);
    int n = 0, rc = DB_DONE;
    while (rows && (rc = db_step(st)) == DB_ROW) {
        struct row *r = &rows[n++];
        r->id = db_column_int(st, 0);
        const char *id = pii_column(st, 1, r->id_number);
        r->has_phone = pii_column(st, 2, r->phone) != NULL;
        if (!id) {
            rc = DB_ERROR;
            break;
        }
    }
    db_release(db);
    int64_t done = rows && rc == DB_DONE ? 0 : -1;
    for (int i = 0; done >= 0 && i < n; i++) {
        struct pii_id_digests d;
        struct row *r = &rows[i];
        st = db_prepare(db, SET);
        if (!st || pii_id_digests(r->id_number, &d) < 0) {
            done = -1;
            break;
        }
        db_bind_int(st, 1, r->id);
        db_bind_text(st, 3, d.whole);
        db_bind_text(st, 4, d.tail);
        db_bind_text(st, 5, d.masked);
        if (pii_bind_sealed(st, 2, r->id_number) < 0 ||
            pii_bind_sealed(st, 6, r->has_phone ? r->phone : NULL) < 0 ||
            pii_bind_digest(st, 7, "phone", r->has_phone ? r->phone : NULL) < 0 ||
            db_run(st) != DB_DONE)
            done = -1;
        else
            done++;
    }
    free(rows);
    return done;
}

/* One batch of outbox addresses (phones) sealed. Returns how many, or -1. */
static int64_t seal_outbox(struct db *db, const char *current, int rekey, int batch)
{
    static const char PICK[] = "SELECT id, address FROM outbox WHERE address IS NOT NULL AND"
                               " address <> '' AND (address NOT LIKE 'v1.%' OR"
                               " (?1 = 1 AND address NOT LIKE ?2)) ORDER BY id LIMIT ?3";
    struct db_stmt *st = db_prepare(db, PICK);
    if (!st) return -1;
    db_bind_int(st, 1, rekey);
    db_bind_text(st, 2, current);
    db_bind_int(st, 3, batch);
    int64_t ids[512];
    char(*plain)[SEAL_PLAIN_MAX + 1] = calloc(512, sizeof *plain);
    int n = 0, rc = DB_DONE;
    while (plain && n < 512 && (rc = db_step(st)) == DB_ROW) {
        ids[n] = db_column_int(st, 0);
        if (!pii_column(st, 1, plain[n])) {
            rc = DB_ERROR;
            break;
        }
        n++;
    }
    db_release(db);
    int64_t done = plain && (rc == DB_DONE || n == 512) ? 0 : -1;
    for (int i = 0; done >= 0 && i < n; i++) {
        st = db_prepare(db, "UPDATE outbox SET address = ?2 WHERE id = ?1");
        if (!st) {
            done = -1;
            break;
        }
        db_bind_int(st, 1, ids[i]);
        if (pii_bind_sealed(st, 2, plain[i]) < 0 || db_run(st) != DB_DONE)
            done = -1;
        else
            done++;
    }
    free(plain);
    return done;
}

/* The one-time codes' phones of before 046, as digests (they are only ever compared). */
static int64_t digest_login_codes(struct db *db)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT DISTINCT phone FROM login_codes WHERE length(phone) < 64 LIMIT 256");
    if (!st) return -1;
    char phones[256][SEAL_PLAIN_MAX + 1];
    int n = 0, rc = DB_DONE;
    while (n < 256 && (rc = db_step(st)) == DB_ROW)
        snprintf(phones[n++], SEAL_PLAIN_MAX + 1, "%s", db_column_text(st, 0));
    db_release(db);
    if (n < 256 && rc != DB_DONE) return -1;
    for (int i = 0; i < n; i++) {
        st = db_prepare(db, "UPDATE login_codes SET phone = ?2 WHERE phone = ?1");
        if (!st) return -1;
        db_bind_text(st, 1, phones[i]);
        if (pii_bind_digest(st, 2, "phone", phones[i]) < 0 || db_run(st) != DB_DONE) return -1;
    }
    return n;
}

int64_t pii_seal_pending(struct db *db, int rekey, int batch)
{
    if (batch < 1 || batch > 512) batch = 512;
    char current[32];
    snprintf(current, sizeof current, "v1.%lld.%%", (long long)seal_newest_key());
    int64_t total = 0;
    for (;;) {
        if (db_begin(db) != DB_DONE) return -1;
        int64_t a = seal_residents(db, current, rekey, batch);
        int64_t b = a < 0 ? -1 : seal_outbox(db, current, rekey, batch);
        int64_t c = b < 0 ? -1 : digest_login_codes(db);
        if (c < 0 || db_commit(db) != DB_DONE) {
            db_rollback(db);
            return -1;
        }
        total += a + b + c;
        if (a + b + c == 0) return total;
    }
}
