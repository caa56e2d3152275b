/* Unit tests: the audit chain detects an edited, a deleted and an inserted row, and names
 * the first bad one; appends outside a transaction are refused. The keyed chain and its
 * checkpoints (issue 13) tell an attacker who holds the database file but not the key file
 * or the checkpoint file: a chain recomputed with plain SHA-256, downgraded to unkeyed
 * entries, or MACed with another key; a rewrite with the key caught by a checkpoint; a cut
 * tail; a forged checkpoint. Old unkeyed entries and entries of a rotated key still verify. */
#include "test.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/audit_checkpoint.h"
#include "fixture.h"

struct audit_fixture {
    struct fixture f;
    char key_path[96], checkpoint_path[96];
};

static struct audit_keyring ring; /* the keys as `jiayi audit verify` would load them */

static struct principal who(void)
{
    struct principal p;
    memset(&p, 0, sizeof p);
    p.role = ROLE_DOCTOR;
    strcpy(p.username, "doctor01");
    return p;
}

static void append_entries(struct db *db, int n)
{
    struct principal p = who();
    assert_int_equal(db_begin(db), DB_DONE);
    for (int i = 0; i < n; i++)
        assert_int_equal(audit_append(db, &p, "req-1", "read", "resident", "7", 7), 0);
    assert_int_equal(db_commit(db), DB_DONE);
}

static void checkpoint(struct audit_fixture *a)
{
    struct jy_error err;
    assert_int_equal(audit_anchor_checkpoint(a->f.db, 0, &err), 1);
}

static int verify(struct audit_fixture *a, struct audit_verify_result *res)
{
    struct jy_error err;
    assert_int_equal(audit_keyring_load(&ring, a->key_path, 0, &err), 0);
    return audit_verify(a->f.db, &ring, a->checkpoint_path, res);
}

static void assert_broken_at(struct audit_fixture *a, int64_t id, const char *reason)
{
    struct audit_verify_result res;
    assert_int_equal(verify(a, &res), 1);
    if (res.first_bad_id != id || !strstr(res.reason, reason))
        fail_msg("expected entry %lld (%s), got entry %lld: %s", (long long)id, reason,
                 (long long)res.first_bad_id, res.reason);
}

/* An attacker with the file can drop the append-only triggers; the chain must still tell. */
static void drop_guards(struct db *db)
{
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"),
                     DB_DONE);
}

struct rows {
    struct audit_row row[32];
    int n;
};

static int collect(const struct audit_row *row, void *arg)
{
    struct rows *rows = arg;
    assert_true(rows->n < 32);
    rows->row[rows->n++] = *row;
    return 0;
}

enum rehash { PLAIN_SHA256, UNKEYED, WITH_KEY };

/* The attacker's rewrite: edits entry `from`, then recomputes it and every later entry's
 * prev_hash and hash: with plain SHA-256 keeping the key ids, as unkeyed (pre-012) entries,
 * or with `key` (theirs, or the real one). */
static void rewrite_from(struct db *db, int64_t from, enum rehash how, const struct audit_key *key)
{
    static const char SQL[] = "UPDATE audit_log SET username = ?2, prev_hash = ?3, hash = ?4,"
                              " key_id = ?5 WHERE id = ?1";
    struct rows rows = {.n = 0};
    assert_int_equal(store_audit_each(db, collect, &rows), 0);
    drop_guards(db);
    for (int i = 0; i < rows.n; i++) {
        struct audit_row *r = &rows.row[i];
        if (r->id < from) continue;
        if (r->id == from) strcpy(r->username, "someone");
        if (i > 0) strcpy(r->prev_hash, rows.row[i - 1].hash);
        if (how == UNKEYED) r->key_id = 0;
        if (how == WITH_KEY) r->key_id = key->id;
        if (how == PLAIN_SHA256) {
            int64_t kept = r->key_id;
            r->key_id = 0; /* the legacy hash function, the key id left in place */
            assert_int_equal(audit_row_hash(r, NULL, r->hash), 0);
            r->key_id = kept;
        } else {
            assert_int_equal(audit_row_hash(r, key, r->hash), 0);
        }
        struct db_stmt *st = db_prepare(db, SQL);
        db_bind_int(st, 1, r->id);
        db_bind_text(st, 2, r->username);
        db_bind_text(st, 3, r->prev_hash);
        db_bind_text(st, 4, r->hash);
        if (r->key_id) db_bind_int(st, 5, r->key_id);
        assert_int_equal(db_run(st), DB_DONE);
    }
}

static void intact_chain_verifies(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 5);
    checkpoint(a);
    struct audit_verify_result res;
    assert_int_equal(verify(a, &res), 0);
    assert_int_equal(res.rows, 5);
    assert_int_equal(res.checkpoints, 1);
    assert_int_equal(res.first_bad_id, 0);
}

static void append_outside_a_transaction_is_refused(void **state)
{
    struct audit_fixture *a = *state;
    struct principal p = who();
    assert_int_equal(audit_append(a->f.db, &p, "r", "read", "resident", "1", 1), -1);
}

static void the_table_refuses_updates_and_deletes(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 1);
    assert_int_not_equal(db_exec(a->f.db, "UPDATE audit_log SET username = 'x'"), DB_DONE);
    assert_int_not_equal(db_exec(a->f.db, "DELETE FROM audit_log"), DB_DONE);
}

static void new_entries_are_keyed_with_the_newest_key(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 3);
    struct db_stmt *st = db_prepare(a->f.db, "SELECT count(*) FROM audit_log WHERE key_id = 1");
    assert_int_equal(db_query_int(st, -1), 3);
}

static void edited_row_is_named(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 6);
    checkpoint(a);
    drop_guards(a->f.db);
    assert_int_equal(db_exec(a->f.db, "UPDATE audit_log SET username = 'someone' WHERE id = 4"),
                     DB_DONE);
    assert_broken_at(a, 4, "edited");
}

static void deleted_row_is_named(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 6);
    checkpoint(a);
    drop_guards(a->f.db);
    assert_int_equal(db_exec(a->f.db, "DELETE FROM audit_log WHERE id = 3"), DB_DONE);
    assert_broken_at(a, 4, "deleted or inserted");
}

static void inserted_row_is_named(void **state)
{
    struct audit_fixture *a = *state;
    struct db *db = a->f.db;
    append_entries(db, 4);
    checkpoint(a);
    drop_guards(db);
    /* Shift rows 3.. up by one and insert a forged row 3 with a correct own MAC (even with
     * the key): the next row's prev_hash no longer matches. */
    assert_int_equal(db_exec(db, "UPDATE audit_log SET id = id + 100 WHERE id >= 3;"
                                 "UPDATE audit_log SET id = id - 99 WHERE id >= 103;"),
                     DB_DONE);
    struct audit_row forged;
    memset(&forged, 0, sizeof forged);
    forged.id = 3;
    strcpy(forged.at, "2026-01-01T00:00:00.000Z");
    strcpy(forged.username, "forger");
    strcpy(forged.role, "doctor");
    strcpy(forged.action, "read");
    strcpy(forged.resource, "resident");
    strcpy(forged.resource_id, "7");
    strcpy(forged.request_id, "x");
    struct db_stmt *st = db_prepare(db, "SELECT hash FROM audit_log WHERE id = 2");
    assert_int_equal(db_step(st), DB_ROW);
    strcpy(forged.prev_hash, db_column_text(st, 0));
    db_run(st);
    struct jy_error err;
    assert_int_equal(audit_keyring_load(&ring, a->key_path, 0, &err), 0);
    forged.key_id = audit_keyring_newest(&ring)->id;
    assert_int_equal(audit_row_hash(&forged, audit_keyring_newest(&ring), forged.hash), 0);
    assert_int_equal(store_audit_insert(db, &forged), 0);
    assert_broken_at(a, 4, "previous hash");
}

static void chain_recomputed_with_plain_sha256_is_named(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 6);
    checkpoint(a);
    rewrite_from(a->f.db, 3, PLAIN_SHA256, NULL);
    assert_broken_at(a, 3, "recomputed without the key");
}

static void chain_downgraded_to_unkeyed_entries_is_named(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 6);
    checkpoint(a);
    rewrite_from(a->f.db, 3, UNKEYED, NULL);
    assert_broken_at(a, 3, "an unkeyed entry after keyed ones");
}

static void whole_chain_downgraded_is_caught_by_the_first_checkpoint(void **state)
{
    struct audit_fixture *a = *state;
    checkpoint(a); /* as `serve` does before its first entry */
    append_entries(a->f.db, 4);
    rewrite_from(a->f.db, 1, UNKEYED, NULL);
    assert_broken_at(a, 1, "after the first checkpoint");
}

static void chain_recomputed_with_another_key_is_named(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 6);
    checkpoint(a);
    struct audit_key theirs;
    memset(&theirs, 0x5a, sizeof theirs);
    theirs.id = 1; /* the id the real key has */
    rewrite_from(a->f.db, 2, WITH_KEY, &theirs);
    assert_broken_at(a, 2, "MAC does not match");
}

static void rewrite_with_the_key_is_caught_by_a_checkpoint(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 6);
    checkpoint(a);
    struct jy_error err;
    static struct audit_keyring stolen;
    assert_int_equal(audit_keyring_load(&stolen, a->key_path, 0, &err), 0);
    rewrite_from(a->f.db, 2, WITH_KEY, audit_keyring_newest(&stolen));
    assert_broken_at(a, 6, "rewritten");
}

static void cut_tail_is_reported_missing(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 6);
    checkpoint(a);
    drop_guards(a->f.db);
    assert_int_equal(db_exec(a->f.db, "DELETE FROM audit_log WHERE id > 4"), DB_DONE);
    struct audit_verify_result res;
    assert_int_equal(verify(a, &res), 1);
    assert_int_equal(res.first_bad_id, 0);
    assert_string_equal(
        res.reason, "missing tail: checkpoint says 6 entries up to id 6, database ends at id 4");
}

static void forged_checkpoint_is_refused(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 2);
    checkpoint(a);
    /* Claim one entry fewer, keeping the signature. */
    FILE *f = fopen(a->checkpoint_path, "r+");
    assert_non_null(f);
    char line[512];
    assert_non_null(fgets(line, sizeof line, f));
    assert_int_equal(strncmp(line, "v1 1 2 2 ", 9), 0);
    line[5] = line[7] = '1';
    rewind(f);
    fputs(line, f);
    fclose(f);
    struct audit_verify_result res;
    assert_int_equal(verify(a, &res), 1);
    assert_non_null(strstr(res.reason, "line 1: the signature is wrong"));
}

static void key_file_without_checkpoints_fails(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 3);
    struct audit_verify_result res;
    assert_int_equal(verify(a, &res), 1);
    assert_non_null(strstr(res.reason, "no checkpoint"));
}

static void torn_checkpoint_line_is_skipped(void **state)
{
    struct audit_fixture *a = *state;
    append_entries(a->f.db, 2);
    checkpoint(a);
    FILE *f = fopen(a->checkpoint_path, "a");
    fputs("v1 1 2 2 abc", f); /* a crash in the middle of an append */
    fclose(f);
    append_entries(a->f.db, 1);
    checkpoint(a); /* starts on a fresh line */
    struct audit_verify_result res;
    assert_int_equal(verify(a, &res), 0);
    assert_int_equal(res.checkpoints, 2);
    assert_int_equal(res.torn, 1);
}

/* Rows of a database from before migration 012: plain SHA-256, no key id. */
static void insert_legacy_rows(struct db *db, int n)
{
    char prev[65];
    memset(prev, '0', 64);
    prev[64] = '\0';
    assert_int_equal(db_begin(db), DB_DONE);
    for (int i = 1; i <= n; i++) {
        struct audit_row r;
        memset(&r, 0, sizeof r);
        r.id = i;
        strcpy(r.at, "2025-01-01T00:00:00.000Z");
        strcpy(r.username, "doctor01");
        strcpy(r.role, "doctor");
        strcpy(r.action, "read");
        strcpy(r.resource, "resident");
        strcpy(r.resource_id, "7");
        r.resident_id = 7;
        strcpy(r.request_id, "old");
        strcpy(r.prev_hash, prev);
        assert_int_equal(audit_row_hash(&r, NULL, r.hash), 0);
        assert_int_equal(store_audit_insert(db, &r), 0);
        strcpy(prev, r.hash);
    }
    assert_int_equal(db_commit(db), DB_DONE);
}

static void entries_from_before_the_migration_still_verify(void **state)
{
    struct audit_fixture *a = *state;
    insert_legacy_rows(a->f.db, 3);
    checkpoint(a);
    append_entries(a->f.db, 3);
    checkpoint(a);
    struct audit_verify_result res;
    assert_int_equal(verify(a, &res), 0);
    assert_int_equal(res.rows, 6);
    /* and an edited old entry is still named */
    drop_guards(a->f.db);
    assert_int_equal(db_exec(a->f.db, "UPDATE audit_log SET request_id = 'x' WHERE id = 2"),
                     DB_DONE);
    assert_broken_at(a, 2, "hash does not match");
}

static void rotated_key_keeps_old_entries_verifiable(void **state)
{
    struct audit_fixture *a = *state;
    struct jy_error err;
    checkpoint(a);
    append_entries(a->f.db, 3);
    /* From the default HMAC-SM3 to HMAC-SHA-256 (a site's setting): one chain, two MACs. */
    assert_int_equal(audit_keyring_rotate(a->key_path, MAC_HMAC_SHA256, &err), 2);
    assert_int_equal(audit_anchor_open(a->key_path, a->checkpoint_path, 0, &err),
                     0); /* a restart */
    append_entries(a->f.db, 3);
    checkpoint(a);
    struct db_stmt *st = db_prepare(a->f.db, "SELECT group_concat(key_id) FROM audit_log");
    assert_int_equal(db_step(st), DB_ROW);
    assert_string_equal(db_column_text(st, 0), "1,1,1,2,2,2");
    db_run(st);
    struct audit_verify_result res;
    assert_int_equal(verify(a, &res), 0);
    assert_int_equal(res.rows, 6);
    assert_int_equal(res.checkpoints, 2);
    /* Without the old key, its entries (and its checkpoint) no longer verify. */
    FILE *f = fopen(a->key_path, "r");
    char line[256], newest[256] = "";
    while (fgets(line, sizeof line, f))
        if (line[0] == '2') strcpy(newest, line);
    fclose(f);
    f = fopen(a->key_path, "w");
    fputs(newest, f);
    fclose(f);
    assert_int_equal(verify(a, &res), 1);
    assert_non_null(strstr(res.reason, "signed with key 1, which is not in the key file"));
}

static void key_file_is_private_and_a_bad_line_is_named(void **state)
{
    struct audit_fixture *a = *state;
    struct stat st;
    assert_int_equal(stat(a->key_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    struct jy_error err;
    FILE *f = fopen(a->key_path, "a");
    fputs("2 not-hex\n", f);
    fclose(f);
    {
        FILE *k = fopen(a->key_path, "r");
        char first[256] = "";
        while (fgets(first, sizeof first, k) && first[0] == '#')
            ;
        fclose(k);
        assert_non_null(strstr(first, " hmac-sm3\n")); /* new key files: SM3 */
    }
    assert_int_equal(audit_keyring_load(&ring, a->key_path, 0, &err), -1);
    assert_non_null(strstr(err.detail, "line 3"));
    assert_int_equal(ring.count, 0);
    /* A missing file without create is an empty ring, not an error. */
    assert_int_equal(audit_keyring_load(&ring, "/nonexistent/key", 0, &err), 0);
    assert_int_equal(ring.count, 0);
}

static int setup(void **state)
{
    static struct audit_fixture a;
    fixture_open(&a.f);
    snprintf(a.key_path, sizeof a.key_path, "%s.audit-key", a.f.path);
    snprintf(a.checkpoint_path, sizeof a.checkpoint_path, "%s.audit-checkpoints", a.f.path);
    unlink(a.key_path);
    unlink(a.checkpoint_path);
    struct jy_error err;
    assert_int_equal(audit_anchor_open(a.key_path, a.checkpoint_path, 1, &err), 0);
    *state = &a;
    return 0;
}

static int teardown(void **state)
{
    struct audit_fixture *a = *state;
    fixture_close(&a->f);
    unlink(a->key_path);
    unlink(a->checkpoint_path);
    audit_keyring_wipe(&ring);
    return 0;
}

#define TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(intact_chain_verifies),
        TEST(append_outside_a_transaction_is_refused),
        TEST(the_table_refuses_updates_and_deletes),
        TEST(new_entries_are_keyed_with_the_newest_key),
        TEST(edited_row_is_named),
        TEST(deleted_row_is_named),
        TEST(inserted_row_is_named),
        TEST(chain_recomputed_with_plain_sha256_is_named),
        TEST(chain_downgraded_to_unkeyed_entries_is_named),
        TEST(whole_chain_downgraded_is_caught_by_the_first_checkpoint),
        TEST(chain_recomputed_with_another_key_is_named),
        TEST(rewrite_with_the_key_is_caught_by_a_checkpoint),
        TEST(cut_tail_is_reported_missing),
        TEST(forged_checkpoint_is_refused),
        TEST(key_file_without_checkpoints_fails),
        TEST(torn_checkpoint_line_is_skipped),
        TEST(entries_from_before_the_migration_still_verify),
        TEST(rotated_key_keeps_old_entries_verifiable),
        TEST(key_file_is_private_and_a_bad_line_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
