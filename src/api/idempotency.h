/* idempotency.h - Idempotency-Key on writes (API.md): a retry with the same key gets the
 * first answer and stores nothing new. See api/idempotency.c for the design. */
#ifndef JIAYI_API_IDEMPOTENCY_H
#define JIAYI_API_IDEMPOTENCY_H

#include <stdint.h>

#include "db/db.h"
#include "http/request.h"

/* How long a key is remembered: a retry later than this is a new request. */
#define IDEMPOTENCY_TTL_SECONDS (48 * 3600)

enum idempotency_state {
    IDEM_NONE = 0, /* no key, a read, or nobody logged in */
    IDEM_ACTIVE,   /* keyed; not yet inside the writer */
    IDEM_WRITING,  /* inside the writer, the key is new: this request executes */
    IDEM_DEFERRED, /* the handler committed: the commit waits for the answer (see .c) */
    IDEM_ANSWERED, /* answered from the store, or the answer is stored */
    IDEM_CHUNKED,  /* a handler of many transactions (an import): see idempotency_chunked */
};

/* Before the handler (after session, CSRF and role): reads the key, replays a stored answer
 * or refuses a reused key. 0 to run the handler, -1 when answered. */
int idempotency_start(struct request *r);
/* In api_begin, with the writer held: the authoritative check (a twin request may have
 * committed or be in the open batch). 0 to go on writing, -1 when answered (writer given
 * back). */
int idempotency_on_writer(struct request *r);
/* In api_commit: 1 when the commit is deferred until the handler has answered (the writer
 * stays r->db), 0 to commit now. */
int idempotency_defer_commit(struct request *r);
/* For a handler that writes in several transactions (a file imported chunk by chunk): each
 * commits as it goes, and the answer is stored on its own once the handler has answered, so
 * a retry with the key gets it. (The write itself must be safe to repeat, as an import is:
 * a retry while the first still runs imports nothing twice.) */
void idempotency_chunked(struct request *r);
/* After the handler: stores the answer with the write and commits both, or replays an answer
 * a twin committed meanwhile. Returns the handler's rc, or -1 when the answer changed to
 * an error. */
int idempotency_finish(struct request *r, int rc);
/* The daily job: drops answers older than the TTL as of `now`. Number dropped or -1. */
int64_t idempotency_prune(struct db *db, int64_t now);

#endif
