/* Unit tests: the audit hash chain detects an edited, a deleted and an inserted row, and
 * names the first bad one; appends outside a transaction are refused. */
#include "test.h"

#include <string.h>

#include "auth/audit.h"
#include "fixture.h"

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
    for (int i = 0; i < n; i++) assert_int_equal(audit_append(db, &p, "req-1", "read", "resident", "7", 7), 0);
    assert_int_equal(db_commit(db), DB_DONE);
}

/* An attacker with the file can drop the append-only triggers; the chain must still tell. */
static void drop_guards(struct db *db)
{
    assert_int_equal(db_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"), DB_DONE);
}

static void intact_chain_verifies(void **state)
{
    struct fixture *f = *state;
    append_entries(f->db, 5);
    struct audit_verify_result res;
    assert_int_equal(audit_verify(f->db, &res), 0);
    assert_int_equal(res.rows, 5);
    assert_int_equal(res.first_bad_id, 0);
}

static void append_outside_a_transaction_is_refused(void **state)
{
    struct fixture *f = *state;
    struct principal p = who();
    assert_int_equal(audit_append(f->db, &p, "r", "read", "resident", "1", 1), -1);
}

static void the_table_refuses_updates_and_deletes(void **state)
{
    struct fixture *f = *state;
    append_entries(f->db, 1);
    assert_int_not_equal(db_exec(f->db, "UPDATE audit_log SET username = 'x'"), DB_DONE);
    assert_int_not_equal(db_exec(f->db, "DELETE FROM audit_log"), DB_DONE);
}

static void edited_row_is_named(void **state)
{
    struct fixture *f = *state;
    append_entries(f->db, 6);
    drop_guards(f->db);
    assert_int_equal(db_exec(f->db, "UPDATE audit_log SET username = 'someone' WHERE id = 4"), DB_DONE);
    struct audit_verify_result res;
    assert_int_equal(audit_verify(f->db, &res), 1);
    assert_int_equal(res.first_bad_id, 4);
    assert_non_null(strstr(res.reason, "edited"));
}

static void deleted_row_is_named(void **state)
{
    struct fixture *f = *state;
    append_entries(f->db, 6);
    drop_guards(f->db);
    assert_int_equal(db_exec(f->db, "DELETE FROM audit_log WHERE id = 3"), DB_DONE);
    struct audit_verify_result res;
    assert_int_equal(audit_verify(f->db, &res), 1);
    assert_int_equal(res.first_bad_id, 4);
}

static void inserted_row_is_named(void **state)
{
    struct fixture *f = *state;
    append_entries(f->db, 4);
    drop_guards(f->db);
    /* Shift rows 3.. up by one and insert a forged row 3 with a correct-looking own hash:
     * the next row's prev_hash no longer matches. */
    assert_int_equal(db_exec(f->db, "UPDATE audit_log SET id = id + 100 WHERE id >= 3;"
                                    "UPDATE audit_log SET id = id - 99 WHERE id >= 103;"), DB_DONE);
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
    char hash2[65];
    assert_int_equal(db_exec(f->db, "CREATE TEMP TABLE h AS SELECT hash FROM audit_log WHERE id = 2"), DB_DONE);
    struct db_stmt *st = db_prepare(f->db, "SELECT hash FROM temp.h");
    assert_int_equal(db_step(st), DB_ROW);
    strcpy(hash2, db_column_text(st, 0));
    db_run(st);
    strcpy(forged.prev_hash, hash2);
    audit_row_hash(&forged, forged.hash);
    assert_int_equal(store_audit_insert(f->db, &forged), 0);
    struct audit_verify_result res;
    assert_int_equal(audit_verify(f->db, &res), 1);
    assert_int_equal(res.first_bad_id, 4);
}

static int setup(void **state)
{
    static struct fixture f;
    fixture_open(&f);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture_close(*state);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(intact_chain_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(append_outside_a_transaction_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(the_table_refuses_updates_and_deletes, setup, teardown),
        cmocka_unit_test_setup_teardown(edited_row_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(deleted_row_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(inserted_row_is_named, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
