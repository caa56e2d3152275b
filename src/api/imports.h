/* imports.h - bulk imports of records from other systems (issue 18): one engine behind
 * `jiayi import` and POST /api/v1/imports. A file (api/csv_table.h: UTF-8 or GB18030,
 * headers in English or Chinese) is checked whole, then every row is validated (ID check
 * digit, dates, codes, the importer's data scope) and stored in chunks, each one
 * transaction that also records the import's progress (migration 033), its rejected rows,
 * one audit entry naming every person the chunk wrote, and the indicator counters.
 *
 * Modes: `good` keeps the good rows and reports the others; `all` stores nothing unless
 * every row is good (one transaction). A file sent again never doubles: a row already
 * stored as it is counts as unchanged. Kinds: `residents` (with their households), and
 * records of registered people: `diagnoses`, `enrolments`, `encounters`, `followups`. */
#ifndef JIAYI_API_IMPORTS_H
#define JIAYI_API_IMPORTS_H

#include <jansson.h>
#include <stdint.h>

#include "domain/roles.h"
#include "auth/scope.h"
#include "db/db.h"
#include "util/date.h"
#include "util/error.h"

/* How the engine gets the database for a chunk and gives it back: the shared writer under
 * a request, a plain connection in the command line. */
struct import_io {
    struct db *(*begin)(void *ctx); /* NULL on failure (the reason already answered/logged) */
    int (*commit)(void *ctx);       /* 0, or -1 */
    void (*rollback)(void *ctx);
    void (*progress)(void *ctx, long done, long total); /* may be NULL */
    void *ctx;
};

struct import_request {
    const char *kind;   /* residents */
    const char *mode;   /* all, good */
    const char *source; /* a name for the file, as the import row keeps it */
    const char *data;
    size_t len;
    const struct principal *who;
    const char *request_id;
    const struct scope_regions *scope; /* the importer's grants; NULL: everywhere */
    struct date today;
};

struct import_result {
    int64_t import_id;  /* 0 when nothing was stored */
    const char *status; /* complete, partial, rejected */
    long rows, accepted, unchanged, rejected;
    int stored_to_row;
    json_t *errors; /* [{"row","field","code"}] in file order, the first IMPORT_MAX_LISTED */
    int errors_truncated;
};
#define IMPORT_MAX_LISTED 1000

/* 1 when `kind` is one the engine knows. */
int import_kind_known(const char *kind);
/* What a role must be allowed to import `kind` through the API (the action of the same write
 * one by one); the command line's operator may import every kind. */
enum action import_kind_action(const char *kind);
/* The kinds, comma-separated, for messages. */
#define IMPORT_KINDS "residents, diagnoses, enrolments, encounters, followups"
/* Runs the import. `reader` answers the lookups made before the first chunk (the divisions).
 * 0 with *out filled (status complete, partial or rejected), or -1 with err filled when the
 * file is refused whole (422 with row and column: nothing stored) or a chunk failed before
 * any was kept (500/503). The caller frees out->errors. */
int import_run(struct db *reader, const struct import_request *req, const struct import_io *io,
               struct import_result *out, struct jy_error *err);

#endif
