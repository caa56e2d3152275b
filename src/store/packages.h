/* packages.h (store) - the service-package catalogue: its current versions with items and
 * fee rules, one loaded for signing, new versions published, retired. */
#ifndef JIAYI_STORE_PACKAGES_H
#define JIAYI_STORE_PACKAGES_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/contract.h"
#include "domain/fees.h"
#include "store/status.h"

/* The current version of every package on offer, with items and fee rules. */
json_t *store_packages_list(struct db *db);

struct package_row {
    int64_t id;
    char code[32];
    int64_t price_fen;
    int64_t institution_id; /* 0: the county-wide catalogue; else only that institution's teams
                               offer it */
    int personalised;
    struct package_requirements requires;
    char required_program[24];
    struct fee_rule rules[FEE_MAX_PAYERS];
    int rule_count;
};
/* Loads the current version of package `code`: 1, 0 when there is none, -1 on error. */
JY_MUST_USE int store_package_load(struct db *db, const char *code, struct package_row *out);

struct package_item_input {
    const char *service, *name_zh, *name_en;
    int quantity;
    double workload_weight;
};
struct package_input {
    int version; /* 0 or 1 for a new package */
    const char *code, *name_zh, *name_en, *tier, *type, *payment_type;
    int64_t price_fen;
    int min_age, max_age, required_class; /* -1, -1, 0: none */
    const char *required_program;
    int personalised;
    const struct package_item_input *items;
    int item_count;
    const struct fee_rule *rules;
    int rule_count;
    int64_t institution_id; /* 0: county-wide */
};
/* Inserts a package version (current) with its items and rules; returns its id, or
 * DB_CONSTRAINT when that code already has a current version. */
JY_MUST_USE int64_t store_package_insert(struct db *db, const struct package_input *in);
/* Retires the current version of `code` (contracts keep referencing it); returns its
 * version number, 0 when the code has no current version, -1 on error. */
JY_MUST_USE int store_package_retire(struct db *db, const char *code);
/* The institution offering the current version of `code`: its id, 0 when county-wide,
 * STORE_NOT_FOUND when there is no such package, -1 on error. */
JY_MUST_USE int64_t store_package_institution(struct db *db, const char *code);

#endif
