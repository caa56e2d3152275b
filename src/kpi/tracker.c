/* tracker.c - keeps the counters exact write by write. The schema's triggers call
 * kpi_touch(resident) before each change to an indicator input; the first touch of a
 * resident in a request takes their current parts out of the pending sums, and just before
 * the request's changes are kept their new parts are put back and the net difference is
 * added to kpi_counters in the same transaction. A rolled-back request leaves nothing. */
#include <stdlib.h>
#include <string.h>

#include "kpi/kpi.h"
#include "kpi/sums.h"
#include "store/kpi_person.h"
#include "util/log.h"

struct tracker {
    struct kpi_frame frame;
    struct kpi_rules rules;
    struct sums leaves, scopes;
    struct kpi_person person;
    int64_t *ids;
    int n_ids, cap_ids;
    int started, active, failed;
};

static void reset(struct tracker *t)
{
    sums_clear(&t->leaves);
    sums_clear(&t->scopes);
    t->n_ids = 0;
    t->started = t->active = t->failed = 0;
}

static void touch(struct db *db, int64_t resident_id, int is_new, void *ctx)
{
    struct tracker *t = ctx;
    db = db_before(db); /* the resident as they were: see db.h */
    if (!t->started) {
        t->started = 1;
        if (kpi_frame_load(db, &t->frame) < 0 || store_kpi_rules(db, &t->rules) < 0) {
            t->failed = 1;
            return;
        }
        t->active = t->frame.as_of.year != 0; /* nothing to keep before the first build */
    }
    if (!t->active || t->failed) return;
    for (int i = 0; i < t->n_ids; i++)
        if (t->ids[i] == resident_id) return;
    if (t->n_ids == t->cap_ids) {
        int cap = t->cap_ids ? t->cap_ids * 2 : 16;
        int64_t *bigger = realloc(t->ids, (size_t)cap * sizeof *bigger);
        if (!bigger) {
            t->failed = 1;
            return;
        }
        t->ids = bigger;
        t->cap_ids = cap;
    }
    t->ids[t->n_ids++] = resident_id;
    if (is_new) return; /* nothing counted yet */
    if (store_kpi_person_load(db, resident_id, &t->person) < 0 ||
        sums_add_person(&t->leaves, &t->frame, NULL, &t->rules, &t->person, -1) < 0)
        t->failed = 1;
}

static int before_commit(struct db *db, void *ctx)
{
    struct tracker *t = ctx;
    int rc = t->failed ? -1 : 0;
    /* Put back under the rules as they stand now: a settings change of this request (the
     * elderly age, the renewal window) took its residents out under the old ones. */
    if (rc == 0 && t->n_ids) rc = store_kpi_rules(db, &t->rules);
    for (int i = 0; rc == 0 && i < t->n_ids; i++) {
        rc = store_kpi_person_load(db, t->ids[i], &t->person);
        if (rc == 0) rc = sums_add_person(&t->leaves, &t->frame, NULL, &t->rules, &t->person, 1);
    }
    if (rc == 0 && t->n_ids) rc = sums_roll_up(db, &t->leaves, &t->scopes);
    if (rc == 0 && t->n_ids) rc = sums_write(db, &t->frame, &t->scopes);
    if (rc < 0) log_error("indicator counters could not follow a write: %s", db_errmsg(db));
    reset(t);
    return rc;
}

static void after_rollback(struct db *db, void *ctx)
{
    (void)db;
    reset(ctx);
}

static void release(void *ctx)
{
    struct tracker *t = ctx;
    sums_free(&t->leaves);
    sums_free(&t->scopes);
    kpi_person_free(&t->person);
    free(t->ids);
    free(t);
}

void kpi_attach(struct db *db)
{
    struct tracker *t = calloc(1, sizeof *t);
    if (!t) return;
    db->tracker = (struct db_tracker){touch, before_commit, after_rollback, release, t};
}
