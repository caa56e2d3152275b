/* fixture.h - a small real county in a temporary SQLite file, built through store/. */
#ifndef JIAYI_TESTS_FIXTURE_H
#define JIAYI_TESTS_FIXTURE_H

#include <stdint.h>

#include "db/db.h"

enum {
    R_SELF,
    R_PROXY,
    R_NO_PROXY,
    R_OTHER_CELL,
    R_OTHER_TOWN,
    R_VILLAGE_LEVEL,
    R_TOWNSHIP_LEVEL,
    R_COUNT
};
enum { U_ADMIN, U_COMMISSION, U_CENTER, U_DOCTOR1, U_DOCTOR2, U_VILLAGE, U_RESIDENT, U_COUNT };

struct fixture {
    char path[64];
    struct db *db;
    int64_t resident[R_COUNT];
    int64_t user[U_COUNT];
    int64_t team1, team2;
};

/* Creates and fills the fixture; asserts on failure. */
void fixture_open(struct fixture *f);
void fixture_close(struct fixture *f);

#endif
