/* sums.c - see sums.h. */
#include "kpi/sums.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/kpi_person.h"

static uint64_t hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211ULL;
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
        for (size_t i = 0; i < s->cap; i++)
            s->slots[i].key[0] = '\0';
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
        while (slots[j].key[0])
            j = (j + 1) & (cap - 1);
        slots[j] = s->slots[i];
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return 0;
}

/* Keys are built by hand: snprintf was a tenth of a bulk import's time (a key per person,
 * period and scope). Each appends at `at`, within the key's 48 bytes, and returns the end. */
static char *put_text(char *at, char *end, const char *text)
{
    while (*text && at < end)
        *at++ = *text++;
    return at;
}

static char *put_int(char *at, char *end, int64_t v)
{
    char digits[24];
    int n = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        digits[n++] = (char)('0' + u % 10);
    while ((u /= 10) && n < (int)sizeof digits);
    if (v < 0 && at < end) *at++ = '-';
    while (n && at < end)
        *at++ = digits[--n];
    return at;
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
    size_t n = strnlen(key, sizeof slot->key - 1);
    memcpy(slot->key, key, n);
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

int sums_add_person(struct sums *leaves, const struct kpi_frame *frame,
                    const unsigned char *selected, const struct kpi_rules *rules,
                    const struct kpi_person *p, int sign)
{
    if (!p->exists) return 0;
    struct kpi_parts parts;
    for (int i = 0; i < frame->n; i++) {
        if (selected && !selected[i]) continue;
        kpi_person_parts(p, frame->periods[i].first, frame->period_as_of[i], rules, &parts);
        if (parts_zero(&parts)) continue;
        int64_t team, doctor;
        kpi_person_team(p, frame->period_as_of[i], &team, &doctor);
        char key[48], *at = key, *end = key + sizeof key - 1;
        at = put_int(at, end, i);
        at = put_text(at, end, "|");
        at = put_text(at, end, p->region);
        at = put_text(at, end, "|");
        at = put_int(at, end, team);
        at = put_text(at, end, "|");
        at = put_int(at, end, doctor);
        *at = '\0';
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

static int add_to_scope(struct sums *scopes, int period, const char *scope,
                        const struct kpi_parts *parts)
{
    char key[48], *at = key, *end = key + sizeof key - 1;
    at = put_int(at, end, period);
    at = put_text(at, end, "|");
    at = put_text(at, end, scope);
    *at = '\0';
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

/* The team's institution (0 when none), or -1 when it cannot be read: the roll-up then
 * fails rather than leave the institution's counters short (the fault test found that). */
static int64_t institution_of(struct db *db, struct team_institutions *cache, int64_t team)
{
    for (size_t i = 0; i < cache->n; i++)
        if (cache->pairs[i][0] == team) return cache->pairs[i][1];
    int64_t institution = store_kpi_team_institution(db, team);
    if (institution < 0) return -1;
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
            if (institution < 0) rc = -1;
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

/* Counter rows go to kpi_counters as increments, never a value read back, so writers on
 * several servers add up. They are sent many rows to a statement: on PostgreSQL each
 * statement is a round trip, and a rebuild of the demo county writes 270,000 rows. */
enum { BATCH_MAX = 64 };
static const int BATCH_SIZES[] = {BATCH_MAX, 16, 4, 1}; /* a statement for each, largest first */
#define N_SIZES (sizeof BATCH_SIZES / sizeof BATCH_SIZES[0])
static char *batch_sql[N_SIZES];
static pthread_once_t batch_sql_once = PTHREAD_ONCE_INIT;

/* The statements' texts, built once: the statement cache knows a statement by its text's
 * address, so each text must live as long as the program. */
static void build_batch_sql(void)
{
    static const char HEAD[] = "INSERT INTO kpi_counters (period, scope, code, num, den) VALUES ";
    static const char TAIL[] =
        " ON CONFLICT (period, scope, code) DO UPDATE SET num = kpi_counters.num + excluded.num,"
        " den = kpi_counters.den + excluded.den";
    for (size_t k = 0; k < N_SIZES; k++) {
        size_t size = sizeof HEAD + sizeof TAIL + (size_t)BATCH_SIZES[k] * 48;
        char *sql = malloc(size);
        if (!sql) continue;
        size_t at = (size_t)snprintf(sql, size, "%s", HEAD);
        for (int r = 0; r < BATCH_SIZES[k]; r++) {
            int p = r * 5;
            at += (size_t)snprintf(sql + at, size - at, "%s(?%d, ?%d, ?%d, ?%d, ?%d)",
                                   r ? ", " : "", p + 1, p + 2, p + 3, p + 4, p + 5);
        }
        snprintf(sql + at, size - at, "%s", TAIL);
        batch_sql[k] = sql;
    }
}

struct counter_row {
    char period[48]; /* the sizes of a sum's key, which holds both */
    char scope[48];
    const char *code;
    int64_t num, den;
};

struct counter_batch {
    struct db *db;
    int n;
    struct counter_row rows[BATCH_MAX];
};

/* Sends the rows held, in as few statements as the sizes allow. */
static int batch_flush(struct counter_batch *b)
{
    pthread_once(&batch_sql_once, build_batch_sql);
    int done = 0;
    for (size_t k = 0; k < N_SIZES && done < b->n; k++) {
        while (b->n - done >= BATCH_SIZES[k]) {
            if (!batch_sql[k]) return -1;
            struct db_stmt *st = db_prepare(b->db, batch_sql[k]);
            if (!st) return -1;
            for (int r = 0; r < BATCH_SIZES[k]; r++) {
                const struct counter_row *row = &b->rows[done + r];
                int p = r * 5;
                db_bind_text(st, p + 1, row->period);
                db_bind_text(st, p + 2, row->scope);
                db_bind_text(st, p + 3, row->code);
                db_bind_int(st, p + 4, row->num);
                db_bind_int(st, p + 5, row->den);
            }
            if (db_run(st) != DB_DONE) return -1;
            done += BATCH_SIZES[k];
        }
    }
    b->n = 0;
    return 0;
}

/* Queues the non-zero parts of one scope sum. */
static int batch_add(struct counter_batch *b, const char *period, const char *scope,
                     const struct kpi_parts *parts)
{
    for (int c = 0; c < KPI_COUNT; c++) {
        if (!parts->num[c] && !parts->den[c]) continue;
        if (b->n == BATCH_MAX && batch_flush(b) < 0) return -1;
        struct counter_row *row = &b->rows[b->n++];
        *put_text(row->period, row->period + sizeof row->period - 1, period) = '\0';
        *put_text(row->scope, row->scope + sizeof row->scope - 1, scope) = '\0';
        row->code = KPI_INFO[c].code;
        row->num = parts->num[c];
        row->den = parts->den[c];
    }
    return 0;
}

static struct counter_batch *batch_open(struct db *db)
{
    struct counter_batch *b = malloc(sizeof *b); /* 64 rows: too large for a stack frame */
    if (b) {
        b->db = db;
        b->n = 0;
    }
    return b;
}

/* Sends what is left when all went well, and frees the batch; returns rc or the flush's. */
static int batch_close(struct counter_batch *b, int rc)
{
    if (rc == 0) rc = batch_flush(b);
    free(b);
    return rc;
}

int sums_write(struct db *db, const struct kpi_frame *frame, const struct sums *scopes)
{
    struct counter_batch *b = batch_open(db);
    if (!b) return -1;
    int rc = 0;
    for (size_t i = 0; i < scopes->cap && rc == 0; i++) {
        const struct sum *s = &scopes->slots[i];
        if (s->key[0])
            rc = batch_add(b, frame->periods[s->period].label, strchr(s->key, '|') + 1, &s->parts);
    }
    return batch_close(b, rc);
}

int sums_merge_labelled(struct sums *batch, const struct kpi_frame *frame,
                        const struct sums *scopes)
{
    for (size_t i = 0; i < scopes->cap; i++) {
        const struct sum *s = &scopes->slots[i];
        if (!s->key[0] || parts_zero(&s->parts)) continue;
        char key[48];
        snprintf(key, sizeof key, "%s|%s", frame->periods[s->period].label,
                 strchr(s->key, '|') + 1);
        struct sum *into = sums_get(batch, key);
        if (!into) return -1;
        parts_add(&into->parts, &s->parts, 1);
    }
    return 0;
}

int sums_write_labelled(struct db *db, const struct sums *batch)
{
    struct counter_batch *b = batch_open(db);
    if (!b) return -1;
    int rc = 0;
    for (size_t i = 0; i < batch->cap && rc == 0; i++) {
        const struct sum *s = &batch->slots[i];
        if (!s->key[0]) continue;
        char period[16];
        const char *bar = strchr(s->key, '|');
        snprintf(period, sizeof period, "%.*s", (int)(bar - s->key), s->key);
        rc = batch_add(b, period, bar + 1, &s->parts);
    }
    return batch_close(b, rc);
}
