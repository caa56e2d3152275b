/* fixture.c - township 101 with two villages (one split into two cells) and township 102;
 * team 1 serves cell 51152410100101, team 2 cell 51152410200101. Household H1 in team 1's
 * cell holds the resident user (self), a proxy-consenting member and one without consent. */
#include "fixture.h"

#include "test.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/migrations.h"
#include "domain/id_number.h"
#include "store/registry.h"
#include "store/residents.h"
#include "store/users.h"
#include "util/seal.h"

static int64_t resident(struct fixture *f, const char *region, int64_t household, int seq,
                        int proxy)
{
    char id[19];
    id_number_make("511524", (struct date){1970, 1, 1 + seq}, 101 + 2 * seq, id);
    struct resident_input in = {
        "测试", id, 'M',   "1970-01-01", NULL, region, NULL, household, household ? "other" : NULL,
        0,      0,  proxy, "511524"};
    int64_t rid = store_resident_insert(f->db, &in);
    assert_true(rid > 0);
    return rid;
}

static int64_t user(struct fixture *f, const char *name, enum role role, const char *scope,
                    int64_t staff, int64_t resident_id)
{
    int64_t id = store_user_insert(f->db, name, "not-a-hash", role, name, scope, resident_id);
    assert_true(id > 0);
    if (staff) assert_int_equal(store_staff_link_user(f->db, staff, id), 0);
    return id;
}

void fixture_open(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/jiayi-unit-%d-%p.sqlite", (int)getpid(), (void *)f);
    unlink(f->path);
    struct jy_error err;
    f->db = db_open(f->path, &err);
    assert_non_null(f->db);
    assert_true(db_migrate(f->db) > 0);
    /* ID numbers and phones are sealed (util/seal.h): a key file beside the database. */
    char keys[96];
    snprintf(keys, sizeof keys, "%s.pii-key", f->path);
    unlink(keys);
    assert_int_equal(seal_keys_open(keys, 1, &err), 0);
    struct db *db = f->db;
    assert_int_equal(db_begin(db), DB_DONE);
    static const char *const REGIONS[][4] = {
        {"511524", "县", "county", NULL},
        {"511524101", "镇一", "township", "511524"},
        {"511524102", "镇二", "township", "511524"},
        {"511524101001", "村一", "village", "511524101"},
        {"511524101002", "村二", "village", "511524101"},
        {"511524102001", "村三", "village", "511524102"},
        {"51152410100101", "网格1", "grid", "511524101001"},
        {"51152410100102", "网格2", "grid", "511524101001"},
        {"51152410100201", "网格3", "grid", "511524101002"},
        {"51152410200101", "网格4", "grid", "511524102001"},
    };
    for (size_t i = 0; i < sizeof REGIONS / sizeof REGIONS[0]; i++)
        assert_int_equal(
            store_region_insert(db, REGIONS[i][0], REGIONS[i][1], REGIONS[i][2], REGIONS[i][3]), 0);
    int64_t c1 =
        store_institution_insert(db, "T1", "卫生院一", "township_center", "primary", "511524101");
    int64_t c2 =
        store_institution_insert(db, "T2", "卫生院二", "township_center", "primary", "511524102");
    int64_t gp1 = store_staff_insert(db, "医生一", "gp", c1, NULL, 1000);
    int64_t gp2 = store_staff_insert(db, "医生二", "gp", c2, NULL, 1000);
    int64_t vd = store_staff_insert(db, "村医", "village_doctor", c1, NULL, 100);
    f->team1 = store_team_insert(db, "团队一", "1+4+N", c1, "511524");
    f->team2 = store_team_insert(db, "团队二", "1+4+N", c2, "511524");
    assert_int_equal(store_team_member_insert(db, f->team1, gp1, "lead"), 0);
    assert_int_equal(store_team_member_insert(db, f->team1, vd, "village_doctor"), 0);
    assert_int_equal(store_team_member_insert(db, f->team2, gp2, "lead"), 0);
    assert_int_equal(store_team_cell_insert(db, f->team1, "51152410100101"), 0);
    assert_int_equal(store_team_cell_insert(db, f->team2, "51152410200101"), 0);
    int64_t h1 = store_household_insert(db, "51152410100101", NULL, "511524");
    f->resident[R_SELF] = resident(f, "51152410100101", h1, 0, 0);
    f->resident[R_PROXY] = resident(f, "51152410100101", h1, 1, 1);
    f->resident[R_NO_PROXY] = resident(f, "51152410100101", h1, 2, 0);
    f->resident[R_OTHER_CELL] = resident(f, "51152410100102", 0, 3, 0);
    f->resident[R_OTHER_TOWN] = resident(f, "51152410200101", 0, 4, 0);
    f->resident[R_VILLAGE_LEVEL] = resident(f, "511524101001", 0, 5, 0);
    f->resident[R_TOWNSHIP_LEVEL] = resident(f, "511524101", 0, 6, 0);
    f->user[U_ADMIN] = user(f, "admin", ROLE_SYSTEM_ADMIN, NULL, 0, 0);
    f->user[U_COMMISSION] = user(f, "county", ROLE_HEALTH_COMMISSION, "511524", 0, 0);
    f->user[U_CENTER] = user(f, "town01", ROLE_CENTER_ADMIN, "511524101", 0, 0);
    f->user[U_DOCTOR1] = user(f, "doctor01", ROLE_DOCTOR, NULL, gp1, 0);
    f->user[U_DOCTOR2] = user(f, "doctor02", ROLE_DOCTOR, NULL, gp2, 0);
    f->user[U_VILLAGE] = user(f, "village01", ROLE_VILLAGE_DOCTOR, "511524101001", vd, 0);
    f->user[U_RESIDENT] = user(f, "resident01", ROLE_RESIDENT, NULL, 0, f->resident[R_SELF]);
    assert_int_equal(db_commit(db), DB_DONE);
}

void fixture_close(struct fixture *f)
{
    char wal[80], shm[80];
    db_close(f->db);
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    snprintf(shm, sizeof shm, "%s-shm", f->path);
    char keys[96];
    snprintf(keys, sizeof keys, "%s.pii-key", f->path);
    unlink(f->path);
    unlink(wal);
    unlink(shm);
    unlink(keys);
}
