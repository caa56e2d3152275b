/* Unit tests: the writer's generations (db/writer.h), which say whether something read before
 * taking the writer still holds inside it: a change noted by a batch, by the open batch, or
 * a commit of another connection makes it read again. A real SQLite file. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

#include "db/writer.h"

static char path[64];

static void write_once(int64_t changed_key)
{
    struct db *w = writer_begin(path);
    assert_non_null(w);
    if (changed_key) writer_note_change(changed_key);
    assert_int_equal(writer_commit(w), 0);
}

static void generations_say_what_changed_since(void **state)
{
    (void)state;
    write_once(0); /* the first batch: every snapshot before it is suspect */
    uint64_t before = writer_generation();
    write_once(42);
    uint64_t after = writer_generation();
    assert_true(after > before);

    struct db *w = writer_begin(path);
    assert_non_null(w);
    assert_false(writer_unchanged_since(42, before)); /* a batch since changed it */
    assert_true(writer_unchanged_since(42, after));
    assert_true(writer_unchanged_since(7, before)); /* nobody changed 7 */
    writer_note_change(7);
    assert_false(writer_unchanged_since(7, after)); /* the open batch changes it */
    assert_int_equal(writer_commit(w), 0);
    assert_true(writer_unchanged_since(7, writer_generation()));

    /* Another connection commits (a jiayi command, the sqlite3 CLI): everything read before
     * the writer's next batch is read again, whatever the key. */
    uint64_t read_at = writer_generation();
    struct jy_error err;
    struct db *other = db_open(path, &err);
    assert_non_null(other);
    assert_int_equal(db_exec(other, "CREATE TABLE elsewhere (x INTEGER)"), DB_DONE);
    db_close(other);
    w = writer_begin(path);
    assert_non_null(w);
    assert_false(writer_unchanged_since(99, read_at));
    assert_int_equal(writer_commit(w), 0);
    w = writer_begin(path);
    assert_non_null(w);
    assert_true(writer_unchanged_since(99, writer_generation())); /* read after that batch */
    writer_rollback(w);

    struct writer_stats s = writer_stats();
    assert_true(s.unchanged >= 4 && s.changed >= 3);
}

int main(void)
{
    snprintf(path, sizeof path, "/tmp/jiayi-writer-%d.sqlite", (int)getpid());
    const struct CMUnitTest tests[] = {cmocka_unit_test(generations_say_what_changed_since)};
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char side[80];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return failed;
}
