/* county_export.h (api) - `jiayi export`: a county's whole data set for the provincial
 * platform, one CSV file per table (store/data_set.h) and a manifest, in a directory.
 *
 * The files are read in one snapshot (every file as of the same moment, while the server
 * goes on writing), page by page, so memory stays that of one page; each page's people are
 * named in one audit entry (`export`), written on a second connection. A file is written as
 * NAME.csv.part and renamed when whole; manifest.json, written last, lists each file's rows,
 * bytes and SHA-256, so a reader that finds the manifest has every file complete.
 *
 * CSV: UTF-8 without byte-order mark, CRLF rows, a header of the column names; a NULL is
 * an empty field, an empty text a quoted "" (as PostgreSQL's COPY CSV writes them); a field
 * is quoted when it holds a comma, a quote or a line break. */
#ifndef JIAYI_API_COUNTY_EXPORT_H
#define JIAYI_API_COUNTY_EXPORT_H

#include "domain/roles.h"
#include "db/db.h"
#include "util/error.h"

struct county_export_request {
    const char *county; /* a county-level division code, e.g. 511524 */
    const char *dir;    /* created when missing */
    const struct principal *who;
    const char *request_id;
    /* called after every page: the table and the rows written of it so far */
    void (*progress)(void *ctx, const char *table, long long rows);
    void *ctx;
};

/* Writes the data set; `read` and `write` are two connections to the same database.
 * 0, or -1 with err (no manifest then). */
int county_export_run(struct db *read, struct db *write, const struct county_export_request *req,
                      struct jy_error *err);

#endif
