/* sums.c - see sums.h. */
#include "kpi/sums.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store/kpi_person.h"

static uint64_t hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *key; key++) h = (h ^ (unsigned char)*key) * 1099511628211ULL;
    return h;
}

void sums_free(struct sums *s)
{
    free(s->slots);
    memset(s, 0, sizeof *s);
}

void sums_clear(struct sums *s)
{
    if (s->used)
        for (size_t i = 0; i < s->cap; i++) s->slots[i].key[0] = '\0';
    s->used = 0;
}

static int grow(struct sums *s)
{
    size_t cap = s->cap ? s->cap * 2 : 64;
    struct sum *slots = calloc(cap, sizeof *slots);
    if (!slots) return -1;
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->slots[i].key[0]) continue;
        size_t j = hash(s->slots[i].key) & (cap - 1);
        while (slots[j].key[0]) j = (j + 1) & (cap - 1);
        slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return 0;
}

struct sum *sums_get(struct sums *s, const char *key)
{
    if ((s->used + 1) * 2 > s->cap && grow(s) < 0) return NULL;
    size_t j = hash(key) & (s->cap - 1);
    while (s->slots[j].key[0]) {
        if (strcmp(s->slots[j].key, key) == 0) return &s->slots[j];
        j = (j + 1) & (s->cap - 1);
    }
    struct sum *slot = &s->slots[j];
    memset(slot, 0, sizeof *slot);
    snprintf(slot->key, sizeof slot->key, "%s", key);
    s->used++;
    return slot;
}

static int parts_zero(const struct kpi_parts *p)
{
    for (int c = 0; c < KPI_COUNT; c++)
        if (p->num[c] || p->den[c]) return 0;
    return 1;
}

static void parts_add(struct kpi_parts *to, const struct kpi_parts *from, int sign)
{
    for (int c = 0; c < KPI_COUNT; c++) {
        to->num[c] += sign * from->num[c];
        to->den[c] += sign * from->den[c];
    }
}

int sums_add_person(struct sums *leaves, const struct kpi_frame *frame, const unsigned char *selected,
                    const struct kpi_rules *rules, const struct kpi_person *p, int sign)
{
    if (!p->exists) return 0;
    struct kpi_parts parts;
    for (int i = 0; i < frame->n; i++) {
        if (selected && !selected[i]) continue;
        kpi_person_parts(p, frame->periods[i].first, frame->period_as_of[i], rules, &parts);
        if (parts_zero(&parts)) continue;
        int64_t team, doctor;
        kpi_person_team(p, frame->period_as_of[i], &team, &doctor);
        char key[48];
        snprintf(key, sizeof key, "%d|%s|%" PRId64 "|%" PRId64, i, p->region, team, doctor);
        struct sum *leaf = sums_get(leaves, key);
        if (!leaf) return -1;
        leaf->period = i;
        memcpy(leaf->region, p->region, sizeof leaf->region);
        leaf->team = team;
        leaf->doctor = doctor;
        parts_add(&leaf->parts, &parts, sign);
    }
    return 0;
}

static int add_to_scope(struct sums *scopes, int period, const char *scope, const struct kpi_parts *parts)
{
    char key[48];
    snprintf(key, sizeof key, "%d|%s", period, scope);
    struct sum *s = sums_get(scopes, key);
    if (!s) return -1;
    s->period = period;
    parts_add(&s->parts, parts, 1);
    return 0;
}

/* Teams' institutions, looked up once per roll-up. */
struct team_institutions {
    int64_t (*pairs)[2];
    size_t n, cap;
};

static int64_t institution_of(struct db *db, struct team_institutions *cache, int64_t team)
{
    for (size_t i = 0; i < cache->n; i++)
        if (cache->pairs[i][0] == team) return cache->pairs[i][1];
    int64_t institution = store_kpi_team_institution(db, team);
    if (cache->n == cache->cap) {
        size_t cap = cache->cap ? cache->cap * 2 : 32;
        void *bigger = realloc(cache->pairs, cap * sizeof cache->pairs[0]);
        if (!bigger) return institution;
        cache->pairs = bigger;
        cache->cap = cap;
    }
    cache->pairs[cache->n][0] = team;
    cache->pairs[cache->n++][1] = institution;
    return institution;
}

/* GB/T 2260 and the grid: province 2, city 4, county 6, township 9, village 12, cell 14. */
static const int REGION_LEVELS[] = {2, 4, 6, 9, 12, 14};

int sums_roll_up(struct db *db, const struct sums *leaves, struct sums *scopes)
{
    struct team_institutions cache = {0};
    int rc = 0;
    for (size_t i = 0; i < leaves->cap && rc == 0; i++) {
        const struct sum *leaf = &leaves->slots[i];
        if (!leaf->key[0] || parts_zero(&leaf->parts)) continue;
        char scope[24];
        size_t length = strlen(leaf->region);
        for (size_t k = 0; k < sizeof REGION_LEVELS / sizeof REGION_LEVELS[0] && rc == 0; k++) {
            if ((size_t)REGION_LEVELS[k] > length) break;
            snprintf(scope, sizeof scope, "r:%.*s", REGION_LEVELS[k], leaf->region);
            rc = add_to_scope(scopes, leaf->period, scope, &leaf->parts);
        }
        if (rc == 0 && leaf->team) {
            snprintf(scope, sizeof scope, "t:%" PRId64, leaf->team);
            rc = add_to_scope(scopes, leaf->period, scope, &leaf->parts);
            int64_t institution = institution_of(db, &cache, leaf->team);
            if (rc == 0 && institution > 0) {
                snprintf(scope, sizeof scope, "i:%" PRId64, institution);
                rc = add_to_scope(scopes, leaf->period, scope, &leaf->parts);
            }
        }
        if (rc == 0 && leaf->doctor) {
            snprintf(scope, sizeof scope, "d:%" PRId64, leaf->doctor);
            rc = add_to_scope(scopes, leaf->period, scope, &leaf->parts);
        }
    }
    free(cache.pairs);
    return rc;
}

/* Adds the non-zero parts of one scope sum to kpi_counters: increments, never a value read
 * back, so writers on several servers add up. */
static int write_sum(struct db *db, const char *period, const char *scope, const struct kpi_parts *parts)
{
    static const char SQL[] =
        "INSERT INTO kpi_counters (period, scope, code, num, den) VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (period, scope, code) DO UPDATE SET num = kpi_counters.num + excluded.num,"
        " den = kpi_counters.den + excluded.den";
    for (int c = 0; c < KPI_COUNT; c++) {
        if (!parts->num[c] && !parts->den[c]) continue;
        struct db_stmt *st = db_prepare(db, SQL);
        if (!st) return -1;
        db_bind_text(st, 1, period);
        db_bind_text(st, 2, scope);
        db_bind_text(st, 3, KPI_INFO[c].code);
        db_bind_int(st, 4, parts->num[c]);
        db_bind_int(st, 5, parts->den[c]);
        if (db_run(st) != DB_DONE) return -1;
    }
    return 0;
}

int sums_write(struct db *db, const struct kpi_frame *frame, const struct sums *scopes)
{
    for (size_t i = 0; i < scopes->cap; i++) {
        const struct sum *s = &scopes->slots[i];
        if (!s->key[0]) continue;
        if (write_sum(db, frame->periods[s->period].label, strchr(s->key, '|') + 1, &s->parts) < 0) return -1;
    }
    return 0;
}

int sums_merge_labelled(struct sums *batch, const struct kpi_frame *frame, const struct sums *scopes)
{
    for (size_t i = 0; i < scopes->cap; i++) {
        const struct sum *s = &scopes->slots[i];
        if (!s->key[0] || parts_zero(&s->parts)) continue;
        char key[48];
        snprintf(key, sizeof key, "%s|%s", frame->periods[s->period].label, strchr(s->key, '|') + 1);
        struct sum *into = sums_get(batch, key);
        if (!into) return -1;
        parts_add(&into->parts, &s->parts, 1);
    }
    return 0;
}

int sums_write_labelled(struct db *db, const struct sums *batch)
{
    for (size_t i = 0; i < batch->cap; i++) {
        const struct sum *s = &batch->slots[i];
        if (!s->key[0]) continue;
        char period[16];
        const char *bar = strchr(s->key, '|');
        snprintf(period, sizeof period, "%.*s", (int)(bar - s->key), s->key);
        if (write_sum(db, period, bar + 1, &s->parts) < 0) return -1;
    }
    return 0;
}
