/* tracker.c - keeps the counters exact write by write. The schema's triggers call
 * kpi_touch(resident) before each change to an indicator input; the first touch of a
 * resident in a request loads them as they stand (their "before"), and just before the
 * request's changes are kept they are loaded again and the net difference of their parts is
 * added to kpi_counters in the same transaction. A rolled-back request leaves nothing.
 *
 * The work is cut to what a change can move: the parts are derived only for the periods
 * whose "as of" the change reaches (kpi_person_changed_from: a follow-up recorded today
 * re-derives the open year, quarter and month, not every period of two years), and on the
 * shared writer the request's net sums join the batch's, which go to kpi_counters once, just
 * before the batch commits (kpi_batch_flush): a county's, township's, team's and doctor's
 * rows are shared by most requests of a batch. Every write stays an increment
 * (num = num + delta), so several servers can keep the same counters.
 *
 * On PostgreSQL a resident's "before" is read from the last committed state (db_before),
 * which a batch's earlier requests have not reached. So the shared writer's tracker carries
 * the residents the open batch has changed, as its kept requests left them, and a later
 * request of the batch takes its "before" from there. */
#include <stdlib.h>
#include <string.h>

#include "db/writer.h"
#include "kpi/kpi.h"
#include "kpi/sums.h"
#include "store/kpi_person.h"
#include "util/log.h"

/* Residents whose "before" is kept whole until the commit; past this many in one request (a
 * grid change retouching thousands) the rest are taken out at once over every period. */
#define KEEP_MAX 64

enum { BEFORE_NONE, BEFORE_KEPT, BEFORE_TAKEN };

struct touched {
    int64_t id;
    int before; /* BEFORE_NONE: new, nothing counted yet; KEPT: in befores[slot]; TAKEN */
    int slot;
};

struct tracker {
    struct kpi_frame frame;
    struct kpi_rules rules, rules_before;
    struct sums leaves, scopes;
    struct sums batch; /* the shared writer's: kept requests' sums by "label|scope" */
    struct kpi_person person;
    struct kpi_person befores[KEEP_MAX];
    int n_befores;
    struct touched *ids;
    int n_ids, cap_ids;
    int started, active, failed;
    int batch_failed; /* a kept request's sums could not join the batch */
    /* PostgreSQL's shared writer: residents as the open batch left them, [0, n_kept) from
     * kept requests, [n_kept, n_carried) from the request being kept; the latest wins. */
    struct carried {
        int64_t id;
        struct kpi_person after;
    } * carried;
    int n_carried, n_kept, cap_carried;
    struct kpi_rules carried_rules, pending_rules; /* the rules as the batch left them */
};

/* A resident's facts read before the request took the writer (kpi_prefetch): the "before"
 * of the writer's first touch of them when no batch since has changed them, so that the
 * writer does not read them again. Per thread: the request's thread takes the writer. */
static _Thread_local struct {
    int64_t id;
    uint64_t generation;
    int ready;
    struct kpi_person person;
} prefetched;

void kpi_prefetch(struct db *reader, int64_t resident_id)
{
    prefetched.ready = 0;
    if (strcmp(db_backend_name(reader), "sqlite") != 0) return; /* see writer_generation */
    db_release(reader);
    prefetched.generation = writer_generation(); /* before the snapshot: it holds at least this */
    if (db_exec(reader, "BEGIN") != DB_DONE) return;
    int rc = store_kpi_person_load(reader, resident_id, &prefetched.person);
    if (db_exec(reader, "COMMIT") != DB_DONE) { /* never leave the reader's snapshot pinned */
        db_exec(reader, "ROLLBACK");
        rc = -1;
    }
    prefetched.id = resident_id;
    prefetched.ready = rc == 0;
}

void kpi_prefetch_drop(void)
{
    prefetched.ready = 0;
    kpi_person_free(&prefetched.person);
}

/* Whether this connection's "before" misses its own batch's changes (see the top). */
static int carries(struct db *db)
{
    return db_before(db) != db && writer_batches(db);
}

/* The resident as the open batch's kept requests left them, or NULL. */
static const struct kpi_person *carried_after(const struct tracker *t, int64_t id)
{
    for (int i = t->n_kept - 1; i >= 0; i--)
        if (t->carried[i].id == id) return &t->carried[i].after;
    return NULL;
}

/* Remembers t->person (resident `id` after this request) until the request is kept. */
static int carry(struct tracker *t, int64_t id)
{
    if (t->n_carried == t->cap_carried) {
        int cap = t->cap_carried ? t->cap_carried * 2 : 64;
        struct carried *bigger = realloc(t->carried, (size_t)cap * sizeof *bigger);
        if (!bigger) return -1;
        memset(bigger + t->cap_carried, 0, (size_t)(cap - t->cap_carried) * sizeof *bigger);
        t->carried = bigger;
        t->cap_carried = cap;
    }
    struct carried *c = &t->carried[t->n_carried++];
    c->id = id;
    return kpi_person_copy(&c->after, &t->person);
}

static void reset(struct tracker *t)
{
    sums_clear(&t->leaves);
    sums_clear(&t->scopes);
    t->n_ids = t->n_befores = 0;
    t->started = t->active = t->failed = 0;
}

static void touch(struct db *db, int64_t resident_id, int is_new, void *ctx)
{
    struct tracker *t = ctx;
    /* SQLite's shared writer: the prefetched "before" serves when no batch changed the
     * resident since it was read (asked before this change is noted). */
    int shared = writer_batches(db) && db_before(db) == db;
    int prefetch_holds = 0;
    if (shared && prefetched.ready && prefetched.id == resident_id) {
        prefetch_holds = writer_unchanged_since(resident_id, prefetched.generation);
        prefetched.ready = 0; /* once: this is the request's first touch of them */
    }
    if (shared) writer_note_change(resident_id);
    db = db_before(db); /* the resident as they were: see db.h */
    if (!t->started) {
        t->started = 1;
        if (kpi_frame_load(db, &t->frame) < 0 || store_kpi_rules(db, &t->rules_before) < 0) {
            t->failed = 1;
            return;
        }
        if (t->n_kept) t->rules_before = t->carried_rules;
        t->active = t->frame.as_of.year != 0; /* nothing to keep before the first build */
    }
    if (!t->active || t->failed) return;
    for (int i = 0; i < t->n_ids; i++)
        if (t->ids[i].id == resident_id) return;
    if (t->n_ids == t->cap_ids) {
        int cap = t->cap_ids ? t->cap_ids * 2 : 16;
        struct touched *bigger = realloc(t->ids, (size_t)cap * sizeof *bigger);
        if (!bigger) {
            t->failed = 1;
            return;
        }
        t->ids = bigger;
        t->cap_ids = cap;
    }
    struct touched *k = &t->ids[t->n_ids++];
    *k = (struct touched){resident_id, BEFORE_NONE, 0};
    /* The resident as they stand before this request's first change to them: as the open
     * batch left them, or as read before the writer when nothing changed them since. */
    const struct kpi_person *carried = carried_after(t, resident_id);
    if (!carried && prefetch_holds) carried = &prefetched.person;
    if (is_new) return; /* nothing counted yet */
    if (t->n_befores < KEEP_MAX) {
        k->before = BEFORE_KEPT;
        k->slot = t->n_befores++;
        struct kpi_person *before = &t->befores[k->slot];
        if ((carried ? kpi_person_copy(before, carried)
                     : store_kpi_person_load(db, resident_id, before)) < 0)
            t->failed = 1;
        return;
    }
    k->before = BEFORE_TAKEN;
    if ((carried ? kpi_person_copy(&t->person, carried)
                 : store_kpi_person_load(db, resident_id, &t->person)) < 0 ||
        sums_add_person(&t->leaves, &t->frame, NULL, &t->rules_before, &t->person, -1) < 0)
        t->failed = 1;
}

/* Takes the kept "before" out and puts the loaded "after" (t->person) back, for the periods
 * the change can reach. */
static int move(struct tracker *t, const struct kpi_person *before)
{
    unsigned char selected[KPI_MAX_PERIODS];
    const unsigned char *only = NULL;
    if (memcmp(&t->rules, &t->rules_before, sizeof t->rules) == 0) {
        struct date from;
        int reach = kpi_person_changed_from(before, &t->person, &from);
        if (reach == 0) return 0;
        if (reach > 0) {
            for (int i = 0; i < t->frame.n; i++)
                selected[i] = date_compare(t->frame.period_as_of[i], from) >= 0;
            only = selected;
        }
    }
    if (sums_add_person(&t->leaves, &t->frame, only, &t->rules_before, before, -1) < 0) return -1;
    return sums_add_person(&t->leaves, &t->frame, only, &t->rules, &t->person, 1);
}

static int before_commit(struct db *db, void *ctx)
{
    struct tracker *t = ctx;
    int rc = t->failed ? -1 : 0;
    /* Put back under the rules as they stand now: a settings change of this request (the
     * elderly age, the renewal window) took its residents out under the old ones. */
    if (rc == 0 && t->n_ids) rc = store_kpi_rules(db, &t->rules);
    int carrying = rc == 0 && t->n_ids && carries(db);
    for (int i = 0; rc == 0 && i < t->n_ids; i++) {
        const struct touched *k = &t->ids[i];
        rc = store_kpi_person_load(db, k->id, &t->person);
        if (rc == 0 && k->before == BEFORE_KEPT)
            rc = move(t, &t->befores[k->slot]);
        else if (rc == 0)
            rc = sums_add_person(&t->leaves, &t->frame, NULL, &t->rules, &t->person, 1);
        if (rc == 0 && carrying) rc = carry(t, k->id);
    }
    if (carrying) t->pending_rules = t->rules;
    if (rc == 0 && t->n_ids) rc = sums_roll_up(db, &t->leaves, &t->scopes);
    /* On the shared writer the sums wait for kpi_batch_kept (the savepoint released) and go
     * to kpi_counters with the batch; elsewhere they are written now. */
    if (rc == 0 && t->n_ids && !writer_batches(db)) rc = sums_write(db, &t->frame, &t->scopes);
    if (rc < 0) log_error("indicator counters could not follow a write: %s", db_errmsg(db));
    sums_clear(&t->leaves);
    t->n_ids = t->n_befores = 0;
    t->started = t->active = t->failed = 0;
    if (rc < 0) sums_clear(&t->scopes);
    return rc;
}

static void after_rollback(struct db *db, void *ctx)
{
    (void)db;
    struct tracker *t = ctx;
    t->n_carried = t->n_kept; /* the request's residents are as the batch left them */
    reset(t);
}

static void release(void *ctx)
{
    struct tracker *t = ctx;
    sums_free(&t->leaves);
    sums_free(&t->scopes);
    sums_free(&t->batch);
    kpi_person_free(&t->person);
    for (int i = 0; i < KEEP_MAX; i++)
        kpi_person_free(&t->befores[i]);
    for (int i = 0; i < t->cap_carried; i++)
        kpi_person_free(&t->carried[i].after);
    free(t->carried);
    free(t->ids);
    free(t);
}

void kpi_attach(struct db *db)
{
    struct tracker *t = calloc(1, sizeof *t);
    if (!t) return;
    db->tracker = (struct db_tracker){touch, before_commit, after_rollback, release, t};
}

static struct tracker *tracker_of(struct db *db)
{
    return db->tracker.before_commit == before_commit ? db->tracker.ctx : NULL;
}

void kpi_batch_kept(struct db *w)
{
    struct tracker *t = tracker_of(w);
    if (!t) return;
    if (t->n_carried > t->n_kept) t->carried_rules = t->pending_rules;
    t->n_kept = t->n_carried;
    if (!t->scopes.used) return;
    /* Keyed by period label, not index: a frame is the request's own. */
    if (sums_merge_labelled(&t->batch, &t->frame, &t->scopes) < 0) {
        log_error("indicator counters: out of memory for the batch; its commit will fail");
        t->batch_failed = 1; /* the flush fails the batch */
    }
    sums_clear(&t->scopes);
}

int kpi_batch_flush(struct db *w)
{
    struct tracker *t = tracker_of(w);
    if (!t) return 0;
    int rc = t->batch_failed ? -1 : 0;
    if (rc == 0 && t->batch.used) rc = sums_write_labelled(w, &t->batch);
    if (rc < 0) log_error("indicator counters could not follow a batch: %s", db_errmsg(w));
    sums_clear(&t->batch);
    t->batch_failed = 0;
    t->n_carried = t->n_kept = 0; /* the batch commits (or fails) now: nothing left to carry */
    return rc;
}
