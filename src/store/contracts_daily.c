/* contracts_daily.c (store) - the contract part of the daily job (store_contracts_daily,
 * contracts.h): roll-over, renewal proposals, closing the proposals of contracts dealt with. */
#include "store/contracts.h"

#include <stdio.h>
#include <string.h>

#include "store/slices.h"
#include "util/log.h"

/* The daily job's contract changes go SLICE rows to a transaction (store/slices.h): on
 * 1 January most of a city's contracts roll over on one day. A contract that ends also
 * moves its resident's indicators, about 0.7 ms on SQLite and 7 ms on PostgreSQL (the resident read
 * before and after, a round trip a table): the roll-over takes SLICE_POSTGRESQL there, so
 * a slice holds the lock about 0.7 s on SQLite and 0.15 s on PostgreSQL. */
enum { SLICE = 1000, SLICE_POSTGRESQL = 20 };

struct day_window {
    const char *today, *in_30_days;
};

static int64_t slice_rows(struct db *db)
{
    return db_is_postgresql(db) ? SLICE_POSTGRESQL : SLICE;
}

/* One slice of the roll-over on `today`: active contracts past their end expire, or, when
 * none is left, scheduled renewals whose start has come become active. */
static long roll_slice(struct db *db, void *ctx)
{
    const char *today = ((const struct day_window *)ctx)->today;
    /* Each change with its history event; expiries first, so a renewal never starts beside
     * the contract it renews. */
    static const char EXPIRE[] =
        "UPDATE contracts SET status = 'expired', ended_on = end_date,"
        " end_reason = 'term_ended' WHERE id IN (SELECT id FROM contracts"
        " WHERE status = 'active' AND end_date < ?1 LIMIT ?2) RETURNING id";
    static const char START[] =
        "UPDATE contracts SET status = 'active' WHERE id IN (SELECT id FROM contracts"
        " WHERE status = 'scheduled' AND start_date <= ?1 LIMIT ?2) RETURNING id";
    const char *steps[2][3] = {{EXPIRE, "active", "expired"}, {START, "scheduled", "active"}};
    for (int s = 0; s < 2; s++) {
        int64_t ids[SLICE];
        int n = 0;
        struct db_stmt *st = db_prepare(db, steps[s][0]);
        if (!st) return -1;
        db_bind_text(st, 1, today);
        db_bind_int(st, 2, slice_rows(db));
        int rc;
        while ((rc = db_step(st)) == DB_ROW)
            if (n < SLICE) ids[n++] = db_column_int(st, 0);
        if (rc != DB_DONE) return -1;
        for (int i = 0; i < n; i++)
            if (store_contract_event(db, ids[i], steps[s][1], steps[s][2],
                                     s == 0 ? "term_ended" : "renewal_started", 0) < 0)
                return -1;
        if (n) return n;
    }
    return 0;
}

/* A slice of renewal tasks, on the responsible doctor's work list, for active contracts
 * ending within 30 days that have no renewal scheduled and no renewal task yet; due on the
 * end date. */
static long propose_slice(struct db *db, void *ctx)
{
    const struct day_window *w = ctx;
    static const char SQL[] =
        "INSERT INTO tasks (resident_id, team_id, doctor_id, kind, due_date, contract_id, note, county_code)"
        " SELECT c.resident_id, c.team_id, c.doctor_id, 'renewal', c.end_date, c.id, 'contract_renewal', c.county_code"
        " FROM contracts c WHERE c.status = 'active' AND c.end_date BETWEEN ?1 AND ?2"
        " AND NOT EXISTS (SELECT 1 FROM contracts n WHERE n.previous_id = c.id)"
        " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.contract_id = c.id AND t.kind = 'renewal') LIMIT ?3";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, w->today);
    db_bind_text(st, 2, w->in_30_days);
    db_bind_int(st, 3, SLICE);
    if (db_run(st) != DB_DONE) return -1;
    return (long)db_changes(db);
}

/* A slice of the renewal tasks of contracts that were renewed, ended or moved are done. */
static long close_slice(struct db *db, void *ctx)
{
    (void)ctx;
    static const char CLOSE[] =
        "UPDATE tasks SET status = 'done', closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE id IN (SELECT t.id FROM tasks t JOIN contracts c ON c.id = t.contract_id"
        "   WHERE t.kind = 'renewal' AND t.status = 'open'"
        "   AND (c.status <> 'active' OR EXISTS (SELECT 1 FROM contracts n WHERE n.previous_id = c.id)) LIMIT ?1)";
    struct db_stmt *st = db_prepare(db, CLOSE);
    if (!st) return -1;
    db_bind_int(st, 1, SLICE);
    if (db_run(st) != DB_DONE) return -1;
    return (long)db_changes(db);
}

long store_contracts_daily(struct db *db, struct date today)
{
    char day[11], horizon[11];
    date_format(today, day);
    date_format(date_add_days(today, 30), horizon);
    struct day_window window = {day, horizon};
    struct slices seen = {0};
    long rolled = store_in_slices(db, roll_slice, &window, &seen);
    long proposed = rolled < 0 ? -1 : store_in_slices(db, propose_slice, &window, &seen);
    if (proposed < 0 || store_in_slices(db, close_slice, NULL, &seen) < 0) return -1;
    log_info("daily contracts: %ld transactions, the longest held the write lock %.0f ms",
             seen.transactions, seen.longest_ms);
    return rolled + proposed;
}
