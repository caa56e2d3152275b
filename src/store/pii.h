/* pii.h (store) - the columns that hold ID numbers and phone numbers, sealed at rest
 * (util/seal.h, migration 046). Writes bind the sealed text and the search digests; reads
 * open the column. A value that cannot be opened (damaged, forged, or its key missing from
 * the key file) is logged and counted as a database failure (db/fault.h), so the request
 * answers 500 rather than show a person without their number. */
#ifndef JIAYI_STORE_PII_H
#define JIAYI_STORE_PII_H

#include <jansson.h>

#include "db/db.h"
#include "util/must_use.h"
#include "util/seal.h"

/* The digests a resident's ID number is found by: the whole number, its last four
 * characters, and its first three with its last four (a masked number as printed on
 * paper: 511***********1234). */
struct pii_id_digests {
    char whole[SEAL_DIGEST_TEXT], tail[SEAL_DIGEST_TEXT], masked[SEAL_DIGEST_TEXT];
};
JY_MUST_USE int pii_id_digests(const char *id_number, struct pii_id_digests *out);

/* Binds plain sealed (NULL for NULL or ""). 0, or -1. */
JY_MUST_USE int pii_bind_sealed(struct db_stmt *st, int index, const char *plain);
/* Binds the digest of value under label ("id", "id_tail", "id_masked", "phone"; NULL for
 * NULL or ""). 0, or -1. */
JY_MUST_USE int pii_bind_digest(struct db_stmt *st, int index, const char *label,
                                const char *value);
/* The column opened into out, or NULL when it is NULL or cannot be opened (then a database
 * failure is noted). */
const char *pii_column(struct db_stmt *st, int col, char out[SEAL_PLAIN_MAX + 1]);
/* o[key] = the opened column, or null. */
void pii_set(json_t *o, const char *key, struct db_stmt *st, int col);
/* Seals what migration 046 left in plain text (residents' ID numbers and phones, with their
 * digests; the outbox's addresses; the one-time codes' phones, as digests), at most
 * `batch` rows a transaction, and re-seals values of older keys when `rekey`. Returns the
 * number of values changed, or -1. */
JY_MUST_USE int64_t pii_seal_pending(struct db *db, int rekey, int batch);

#endif
