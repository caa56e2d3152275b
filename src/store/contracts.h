/* contracts.h (store) - SQL for contracts: signing, their shares and status history, reading
 * and listing them, the doctor's cap, and the contract part of the daily job
 * (store/contracts_daily.c). Packages: store/packages.h; entitlements and deliveries:
 * store/entitlements.h; fulfilment: store/fulfilment.h. */
#ifndef JIAYI_STORE_CONTRACTS_H
#define JIAYI_STORE_CONTRACTS_H

#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/contract.h"
#include "domain/fees.h"
#include "store/status.h"

/* The resident's active contract id, 0 when none, -1 on error. */
JY_MUST_USE int64_t store_contract_active_id(struct db *db, int64_t resident_id);
/* Distinct households among the doctor's active contracts (only those with a personalised
 * package when personalised_only); *has_household tells whether `household_id` (the
 * signer's; 0 none) is already one of them. */
JY_MUST_USE int64_t store_doctor_households(struct db *db, int64_t staff_id, int personalised_only,
                                            int64_t household_id, int *has_household);
/* 1 when the staff member may carry contracts at all (max_contracts into *max, profession
 * into out, 16 bytes). 0 when no such staff. */
JY_MUST_USE int store_staff_capacity(struct db *db, int64_t staff_id, int *max,
                                     char profession[16]);
struct contract_input {
    int64_t resident_id, team_id, doctor_id, previous_id, signed_by;
    int64_t district_hospital_id, city_hospital_id;
    const char *status, *channel, *start_date, *end_date, *cross_grid_reason, *county_code;
    int64_t fee_fen;
    const char *signed_at; /* NULL: now (imports and the demo give the real time) */
};
/* Returns the id, DB_CONSTRAINT when the resident already has an active (or scheduled)
 * contract, or another negative code. */
JY_MUST_USE int64_t store_contract_insert(struct db *db, const struct contract_input *in);
/* Links a package version and copies its items into entitlements. */
JY_MUST_USE int store_contract_add_package(struct db *db, int64_t contract_id, int64_t package_id);
JY_MUST_USE int store_contract_add_share(struct db *db, int64_t contract_id, const char *payer,
                                         int64_t amount_fen);
JY_MUST_USE int store_contract_event(struct db *db, int64_t contract_id, const char *from,
                                     const char *to, const char *reason, int64_t user_id);
/* Moves a contract from `from` to `to` (with the end date and reason when it ends).
 * 1 done, 0 it was not in `from`, -1 error. */
JY_MUST_USE int store_contract_set_status(struct db *db, int64_t id, const char *from,
                                          const char *to, const char *ended_on, const char *reason);
/* A contract that has not ended: active, or a renewal scheduled to begin. */
struct open_contract {
    int64_t id;
    char status[16], start_date[11];
};
/* The resident's open contracts into out (at most max): their number, or -1 on error. */
JY_MUST_USE int store_contracts_open_of(struct db *db, int64_t resident_id,
                                        struct open_contract *out, int max);
/* 1 when the resident has a scheduled (renewal) contract. */
JY_MUST_USE int store_contract_has_scheduled(struct db *db, int64_t resident_id);
/* Contracts of a team (0 any) or doctor (0 any) in `status` (NULL: active and scheduled)
 * ending on or before `ending_by` (NULL: any), visible to the user; by end date. *total is left
 * alone when NULL (no count). */
json_t *store_contracts_list(struct db *db, int64_t user_id, int64_t team_id, int64_t doctor_id,
                             const char *status, const char *ending_by, int limit, int64_t cursor,
                             int64_t *total, int64_t *next_cursor);
/* The contract part of the daily job on `today`: active contracts past their end expire and
 * scheduled renewals whose start has come become active; then every active contract ending
 * within 30 days with no renewal scheduled gets a renewal task on its doctor's work list, and
 * the renewal tasks of contracts renewed or ended are done. A thousand rows a transaction,
 * so a day when a city's contracts roll over does not hold the writers for minutes.
 * Returns how many contracts changed or got a proposal, or -1. */
JY_MUST_USE long store_contracts_daily(struct db *db, struct date today);
/* The contract page: parties, packages, shares, entitlements with used/remaining and their
 * deliveries (each automatic, with the record it came from, or by hand), history. */
json_t *store_contract_get(struct db *db, int64_t id);
/* A short summary for the resident page, or JSON null. */
json_t *store_contract_summary(struct db *db, int64_t resident_id);

#endif
