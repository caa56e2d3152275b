/* read_routing.c - see read_routing.h. */
#include "api/read_routing.h"

#include <stdatomic.h>
#include <string.h>

#include "db/wal.h"
#include "http/server.h"
#include "util/log.h"

/* Dashboards and lists: the reads that are many, wide and content to be a moment old. A
 * record page, a form's data and everything a write needs stay on the primary. */
static const char *const STANDBY_ROUTES[] = {
    "/api/v1/indicators",
    "/api/v1/indicators/breakdown",
    "/api/v1/indicators/trend",
    "/api/v1/indicators/patients",
    "/api/v1/indicators/overdue",
    "/api/v1/indicators/cascade",
    "/api/v1/team-scores",
    "/api/v1/reports/fees",
    "/api/v1/reports/high-risk-pregnancies",
    "/api/v1/fulfilment",
    "/api/v1/slots/utilisation",
    "/api/v1/reminders/effect",
    "/api/v1/census-rates",
    "/api/v1/residents",
    "/api/v1/households",
    "/api/v1/worklist",
    "/api/v1/contracts",
    "/api/v1/referrals",
    "/api/v1/flags",
    "/api/v1/teams/{id}/survey-results",
};

static int standby_route(const struct route *route)
{
    if (!route || strcmp(route->method, "GET") != 0) return 0;
    for (size_t i = 0; i < sizeof STANDBY_ROUTES / sizeof STANDBY_ROUTES[0]; i++)
        if (strcmp(route->pattern, STANDBY_ROUTES[i]) == 0) return 1;
    return 0;
}

/* The last write's position per session, in slots by the session's hash. Two sessions in
 * one slot share the later position: one of them may read from the primary when it need
 * not, never from a standby that lacks its write. */
enum { SLOTS = 4096 };
static _Atomic uint64_t written[SLOTS];

/* The session's slot (FNV-1a of its token); -1 without a session. */
static long session_slot(const struct request *r)
{
    if (!r->session_token) return -1;
    uint64_t h = 1469598103934665603ULL;
    for (const char *c = r->session_token; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211ULL;
    return (long)(h % SLOTS);
}

static void raise_to(_Atomic uint64_t *at, uint64_t value)
{
    uint64_t seen = atomic_load(at);
    while (seen < value && !atomic_compare_exchange_weak(at, &seen, value)) {
    }
}

void read_routing_note_write(struct request *r)
{
    long slot = session_slot(r);
    if (slot < 0 || !server_has_read_db()) return;
    struct db *primary = server_thread_db(); /* r->db may be the standby's */
    uint64_t lsn = 0;
    if (primary && db_wal_position(primary, WAL_WRITTEN, &lsn) == 0 && lsn)
        raise_to(&written[slot], lsn);
    else
        log_error("no WAL position after a write (request %s): its session may read a moment old",
                  r->request_id);
}

struct db *read_routing_pick(struct request *r)
{
    /* Asked at every read: it also finds a standby that has gone away before a handler would. */
    if (!standby_route(r->route)) return NULL;
    struct db *standby = server_thread_read_db();
    uint64_t replayed;
    if (!standby || db_wal_position(standby, WAL_REPLAYED, &replayed) < 0) return NULL;
    long slot = session_slot(r);
    uint64_t needed = slot < 0 ? 0 : atomic_load(&written[slot]);
    return replayed >= needed ? standby : NULL;
}
