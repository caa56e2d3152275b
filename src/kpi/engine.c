/* engine.c - the periods the counters cover, full recomputation (rebuild, check, the daily
 * advance) and the reads. The incremental path is tracker.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/kpi.h"
#include "kpi/sums.h"
#include "store/kpi_person.h"
#include "util/log.h"

static int setting_text(struct db *db, const char *key, char *out, size_t size)
{
    static const char SQL[] = "SELECT value FROM settings WHERE key = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, key);
    out[0] = '\0';
    int rc = db_step(st);
    if (rc == DB_ROW && db_column_text(st, 0)) snprintf(out, size, "%s", db_column_text(st, 0));
    if (rc == DB_ROW) db_run(st);
    return rc < 0 ? -1 : 0;
}

static int set_as_of(struct db *db, struct date as_of)
{
    static const char SQL[] = "INSERT INTO settings (key, value) VALUES ('kpi_as_of', ?1)"
                              " ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    char text[11];
    date_format(as_of, text);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, text);
    return db_run(st) == DB_DONE ? 0 : -1;
}

static int covered_years(struct db *db)
{
    char text[16];
    if (setting_text(db, "kpi_years", text, sizeof text) < 0) return 2;
    int years = atoi(text);
    return years < 1 ? 1 : years > KPI_MAX_YEARS ? KPI_MAX_YEARS : years;
}

void kpi_frame_at(struct kpi_frame *frame, struct date as_of, int years)
{
    memset(frame, 0, sizeof *frame);
    frame->as_of = as_of;
    for (int year = as_of.year - years + 1; year <= as_of.year; year++) {
        char labels[KPI_PERIODS_PER_YEAR][24];
        int y = year % 10000;
        snprintf(labels[0], sizeof labels[0], "%04d", y);
        for (int q = 1; q <= 4; q++)
            snprintf(labels[q], sizeof labels[q], "%04d-Q%d", y, q);
        for (int m = 1; m <= 12; m++)
            snprintf(labels[4 + m], sizeof labels[4 + m], "%04d-%02d", y, m);
        for (int k = 0; k < KPI_PERIODS_PER_YEAR; k++) {
            struct period p;
            if (period_parse(labels[k], &p) < 0 || date_compare(p.first, as_of) > 0) continue;
            frame->periods[frame->n] = p;
            frame->period_as_of[frame->n++] = period_as_of(&p, as_of);
        }
    }
}

int kpi_frame_load(struct db *db, struct kpi_frame *frame)
{
    char text[16];
    memset(frame, 0, sizeof *frame);
    if (setting_text(db, "kpi_as_of", text, sizeof text) < 0) return -1;
    struct date as_of;
    if (!text[0] || date_parse(text, &as_of) < 0) return 0; /* never built */
    kpi_frame_at(frame, as_of, covered_years(db));
    return 0;
}

int kpi_frame_find(const struct kpi_frame *frame, const char *label)
{
    for (int i = 0; i < frame->n; i++)
        if (strcmp(frame->periods[i].label, label) == 0) return i;
    return -1;
}

/* Bounds on memory at city scale: leaves are rolled up into scopes, and (when writing)
 * scopes added to kpi_counters, whenever they grow past these; both steps are additive. */
#define LEAVES_MAX 50000
#define SCOPES_MAX 100000

enum { PEOPLE_BATCH = 1000 };

/* Every resident's parts (or those with ids in [first, last] when last > 0) for the
 * selected periods, rolled up to scopes. With `write`, the scopes are added to kpi_counters
 * as they fill (and at the end) and left empty. `people` (PEOPLE_BATCH of them) and the
 * empty `leaves` are the caller's, so that a bulk count reuses their memory chunk after
 * chunk. */
static int recompute_range(struct db *db, const struct kpi_frame *frame,
                           const unsigned char *selected, struct sums *scopes, int write,
                           int64_t first, int64_t last_id, struct kpi_person *people,
                           struct sums *leaves)
{
    struct kpi_rules rules;
    if (store_kpi_rules(db, &rules) < 0) return -1;
    int rc = 0;
    int64_t last = first > 0 ? first - 1 : 0;
    for (;;) {
        int n = store_kpi_people_next(db, last, people, PEOPLE_BATCH);
        if (n <= 0) {
            rc = n;
            break;
        }
        int beyond = 0; /* the batch reached past the range */
        for (int i = 0; i < n && rc == 0; i++) {
            if (last_id > 0 && people[i].id > last_id) {
                beyond = 1;
                break;
            }
            rc = sums_add_person(leaves, frame, selected, &rules, &people[i], 1);
        }
        if (rc == 0 && leaves->used > LEAVES_MAX) {
            rc = sums_roll_up(db, leaves, scopes);
            sums_clear(leaves);
        }
        if (rc == 0 && write && scopes->used > SCOPES_MAX) {
            rc = sums_write(db, frame, scopes);
            sums_clear(scopes);
        }
        if (rc < 0 || beyond) break;
        last = people[n - 1].id;
    }
    if (rc == 0) rc = sums_roll_up(db, leaves, scopes);
    if (rc == 0 && write) rc = sums_write(db, frame, scopes);
    if (write) sums_clear(scopes);
    sums_clear(leaves);
    return rc;
}

static int delete_period(struct db *db, const char *label)
{
    static const char SQL[] = "DELETE FROM kpi_counters WHERE period = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, label);
    return db_run(st) == DB_DONE ? 0 : -1;
}

static void free_people(struct kpi_person *people)
{
    for (int i = 0; people && i < PEOPLE_BATCH; i++)
        kpi_person_free(&people[i]);
    free(people);
}

static int recompute(struct db *db, const struct kpi_frame *frame, const unsigned char *selected,
                     struct sums *scopes, int write)
{
    struct kpi_person *people = calloc(PEOPLE_BATCH, sizeof *people);
    struct sums leaves = {0};
    int rc =
        people ? recompute_range(db, frame, selected, scopes, write, 0, 0, people, &leaves) : -1;
    free_people(people);
    sums_free(&leaves);
    return rc;
}

struct kpi_bulk {
    struct kpi_person *people;
    struct sums leaves, scopes;
};

struct kpi_bulk *kpi_bulk_new(void)
{
    struct kpi_bulk *b = calloc(1, sizeof *b);
    if (b && !(b->people = calloc(PEOPLE_BATCH, sizeof *b->people))) {
        free(b);
        return NULL;
    }
    return b;
}

void kpi_bulk_free(struct kpi_bulk *b)
{
    if (!b) return;
    free_people(b->people);
    sums_free(&b->leaves);
    sums_free(&b->scopes);
    free(b);
}

int kpi_count_new(struct db *db, struct kpi_bulk *bulk, int64_t first, int64_t last)
{
    struct kpi_frame frame;
    if (kpi_frame_load(db, &frame) < 0) return -1;
    if (!frame.as_of.year || last < first) return 0; /* never built: a rebuild counts everyone */
    return recompute_range(db, &frame, NULL, &bulk->scopes, 1, first, last, bulk->people,
                           &bulk->leaves);
}

/* Replaces the selected periods' counters by a recomputation; inside the caller's
 * transaction. Returns the rows written or -1. */
static long replace(struct db *db, const struct kpi_frame *frame, const unsigned char *selected)
{
    int ok = 1;
    for (int i = 0; i < frame->n && ok; i++)
        if (!selected || selected[i]) ok = delete_period(db, frame->periods[i].label) == 0;
    struct sums scopes = {0};
    long rows = -1;
    if (ok && recompute(db, frame, selected, &scopes, 1) == 0) {
        static const char COUNT[] = "SELECT count(*) FROM kpi_counters";
        struct db_stmt *st = db_prepare(db, COUNT);
        if (st) rows = (long)db_query_int(st, 0);
    }
    sums_free(&scopes);
    return rows;
}

/* The indicators no counter keeps (kpi_direct_parts) into the day's snapshot of each broad
 * scope the counters hold for the year `label`: all scopes in one pass over each
 * indicator's rows (kpi_direct_parts_all). */
static int snapshot_direct(struct db *db, const char *label, int year, struct date day)
{
    static const char SCOPES[] =
        "SELECT DISTINCT scope FROM kpi_counters WHERE period = ?1"
        " AND ((scope LIKE 'r:%' AND length(scope) <= 11) OR scope LIKE 't:%' OR scope LIKE 'i:%')";
    struct db_stmt *st = db_prepare(db, SCOPES);
    if (!st) return -1;
    db_bind_text(st, 1, label);
    struct kpi_scope *scopes = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *key = db_column_text(st, 0);
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct kpi_scope *bigger = realloc(scopes, (size_t)cap * sizeof *scopes);
            if (!bigger) {
                rc = DB_ERROR;
                db_run(st);
                break;
            }
            scopes = bigger;
        }
        /* A counter key is "r:PREFIX" or "t:ID", "i:ID" (kpi_scope_parse). */
        struct kpi_scope *sc = &scopes[n++];
        memset(sc, 0, sizeof *sc);
        sc->kind = key[0];
        snprintf(sc->key, sizeof sc->key, "%s", key);
        if (sc->kind == 'r')
            snprintf(sc->prefix, sizeof sc->prefix, "%s", key + 2);
        else
            sc->id = strtoll(key + 2, NULL, 10);
    }
    struct date first = {year, 1, 1};
    struct kpi_parts *parts = rc == DB_DONE ? calloc((size_t)(n ? n : 1), sizeof *parts) : NULL;
    if (!parts || kpi_direct_parts_all(db, scopes, n, first, day, parts) < 0) rc = DB_ERROR;
    static const int CODES[] = {KPI_REFERRAL_SEEN_MEDIAN, KPI_LONG_PRESCRIPTIONS, KPI_SLOT_USE,
                                KPI_TRUST_SCORE_MEAN, KPI_REMINDER_COMPLETION};
    char text[11];
    date_format(day, text);
    for (int i = 0; rc == DB_DONE && i < n; i++) {
        for (size_t k = 0; rc == DB_DONE && k < sizeof CODES / sizeof CODES[0]; k++) {
            static const char SQL[] =
                "INSERT INTO kpi_snapshots (taken_on, scope, code, num, den)"
                " VALUES (?1, ?2, ?3, ?4, ?5)"
                " ON CONFLICT (scope, code, taken_on) DO UPDATE SET num = excluded.num, den = excluded.den";
            struct db_stmt *w = db_prepare(db, SQL);
            if (!w) {
                rc = DB_ERROR;
                break;
            }
            db_bind_text(w, 1, text);
            db_bind_text(w, 2, scopes[i].key);
            db_bind_text(w, 3, KPI_INFO[CODES[k]].code);
            db_bind_int(w, 4, parts[i].num[CODES[k]]);
            db_bind_int(w, 5, parts[i].den[CODES[k]]);
            if (db_run(w) != DB_DONE) rc = DB_ERROR;
        }
    }
    free(parts);
    free(scopes);
    return rc == DB_DONE ? 0 : -1;
}

/* The day's values of the open year for the broad scopes (see kpi_snapshots). */
static int snapshot(struct db *db, const struct kpi_frame *frame, struct date day)
{
    static const char SQL[] =
        "INSERT INTO kpi_snapshots (taken_on, scope, code, num, den)"
        " SELECT ?2, scope, code, num, den FROM kpi_counters WHERE period = ?1"
        " AND ((scope LIKE 'r:%' AND length(scope) <= 11) OR scope LIKE 't:%' OR scope LIKE 'i:%')"
        " ON CONFLICT (scope, code, taken_on) DO UPDATE SET num = excluded.num, den = excluded.den";
    char label[16], text[11];
    snprintf(label, sizeof label, "%04d", frame->as_of.year % 10000);
    date_format(day, text);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, label);
    db_bind_text(st, 2, text);
    if (db_run(st) != DB_DONE) return -1;
    return snapshot_direct(db, label, frame->as_of.year, day);
}

long kpi_rebuild(struct db *db, struct date as_of)
{
    struct kpi_frame frame;
    if (db_begin(db) != DB_DONE) return -1;
    kpi_frame_at(&frame, as_of, covered_years(db));
    long rows = db_exec(db, "DELETE FROM kpi_counters") == DB_DONE ? replace(db, &frame, NULL) : -1;
    if (rows < 0 || snapshot(db, &frame, as_of) < 0 || set_as_of(db, as_of) < 0 ||
        db_commit(db) != DB_DONE) {
        db_rollback(db);
        return -1;
    }
    return rows;
}

long kpi_check(struct db *db, FILE *out)
{
    static const char ROWS[] = "SELECT period, scope, code, num, den FROM kpi_counters";
    /* One read snapshot for the recomputation and the stored rows. */
    if (db_exec(db, "BEGIN") != DB_DONE) return -1;
    struct kpi_frame frame;
    struct sums scopes = {0};
    long differences = -1;
    if (kpi_frame_load(db, &frame) < 0) goto out;
    if (!frame.as_of.year) {
        fprintf(out, "the indicators were never built (run jiayi kpi rebuild)\n");
        differences = 1;
        goto out;
    }
    if (recompute(db, &frame, NULL, &scopes, 0) < 0) goto out;
    struct db_stmt *st = db_prepare(db, ROWS);
    if (!st) goto out;
    differences = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *label = db_column_text(st, 0), *scope = db_column_text(st, 1);
        int period = kpi_frame_find(&frame, label), code = kpi_code_index(db_column_text(st, 2));
        int64_t num = db_column_int(st, 3), den = db_column_int(st, 4);
        if (period < 0 || code < 0) {
            if (num || den) {
                fprintf(out, "%s %s %s: stored %lld/%lld outside the covered periods\n", label,
                        scope, db_column_text(st, 2), (long long)num, (long long)den);
                differences++;
            }
            continue;
        }
        char key[48];
        snprintf(key, sizeof key, "%d|%s", period, scope);
        struct sum *s = sums_get(&scopes, key);
        if (!s) {
            differences = -1;
            break;
        }
        if (s->parts.num[code] != num || s->parts.den[code] != den) {
            fprintf(out, "%s %s %s: stored %lld/%lld, recomputed %lld/%lld\n", label, scope,
                    KPI_INFO[code].code, (long long)num, (long long)den,
                    (long long)s->parts.num[code], (long long)s->parts.den[code]);
            differences++;
        }
        s->parts.num[code] = s->parts.den[code] = 0; /* matched */
    }
    if (rc < 0) differences = -1;
    for (size_t i = 0; differences >= 0 && i < scopes.cap; i++) {
        const struct sum *s = &scopes.slots[i];
        if (!s->key[0]) continue;
        for (int c = 0; c < KPI_COUNT; c++)
            if (s->parts.num[c] || s->parts.den[c]) {
                fprintf(out, "%s %s %s: stored nothing, recomputed %lld/%lld\n",
                        frame.periods[s->period].label, strchr(s->key, '|') + 1, KPI_INFO[c].code,
                        (long long)s->parts.num[c], (long long)s->parts.den[c]);
                differences++;
            }
    }
out:
    sums_free(&scopes);
    db_release(db);
    db_exec(db, "COMMIT");
    return differences;
}

static int freeze(struct db *db, const char *label, struct date today)
{
    static const char SQL[] =
        "INSERT INTO kpi_closings (period, scope, code, num, den, closed_on)"
        " SELECT period, scope, code, num, den, ?2 FROM kpi_counters WHERE period = ?1"
        " ON CONFLICT DO NOTHING";
    char day[11];
    date_format(today, day);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, label);
    db_bind_text(st, 2, day);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int kpi_advance(struct db *db, struct date today)
{
    struct kpi_frame old, now;
    if (kpi_frame_load(db, &old) < 0) return -1;
    if (!old.as_of.year) return kpi_rebuild(db, today) < 0 ? -1 : 0;
    if (date_compare(old.as_of, today) >= 0) return 0;
    if (db_begin(db) != DB_DONE) return -1;
    /* Read again inside the transaction: another pass may have moved it meanwhile. */
    if (kpi_frame_load(db, &old) < 0 || date_compare(old.as_of, today) >= 0) {
        db_rollback(db);
        return 0;
    }
    kpi_frame_at(&now, today, covered_years(db));
    unsigned char selected[KPI_MAX_PERIODS] = {0};
    for (int i = 0; i < now.n; i++) {
        int before = kpi_frame_find(&old, now.periods[i].label);
        selected[i] =
            before < 0 || date_compare(old.period_as_of[before], now.period_as_of[i]) != 0;
    }
    static const char DROP[] = "DELETE FROM kpi_counters WHERE period < ?1";
    char first_year[16];
    snprintf(first_year, sizeof first_year, "%04d", now.periods[0].first.year % 10000);
    struct db_stmt *drop = db_prepare(db, DROP);
    int ok = drop != NULL;
    if (ok) db_bind_text(drop, 1, first_year);
    ok = ok && db_run(drop) == DB_DONE && replace(db, &now, selected) >= 0;
    for (int i = 0; i < now.n && ok; i++)
        if (selected[i] && date_compare(now.periods[i].last, today) < 0)
            ok = freeze(db, now.periods[i].label, today) == 0;
    if (!ok || snapshot(db, &now, today) < 0 || set_as_of(db, today) < 0 ||
        db_commit(db) != DB_DONE) {
        db_rollback(db);
        return -1;
    }
    int moved = 0;
    for (int i = 0; i < now.n; i++)
        moved += selected[i];
    log_info("indicators advanced to %04d-%02d-%02d: %d periods recomputed", today.year,
             today.month, today.day, moved);
    return 0;
}

int kpi_query(struct db *db, const struct kpi_frame *frame, const char *period_label,
              const char *scope_key, struct kpi_parts *out)
{
    static const char SQL[] =
        "SELECT code, num, den FROM kpi_counters WHERE period = ?1 AND scope = ?2";
    memset(out, 0, sizeof *out);
    if (kpi_frame_find(frame, period_label) < 0) return 1;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, period_label);
    db_bind_text(st, 2, scope_key);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int code = kpi_code_index(db_column_text(st, 0));
        if (code < 0) continue;
        out->num[code] = db_column_int(st, 1);
        out->den[code] = db_column_int(st, 2);
    }
    return rc < 0 ? -1 : 0;
}

int kpi_snapshot_query(struct db *db, const char *scope_key, struct date day, struct kpi_parts *out)
{
    static const char SQL[] =
        "SELECT code, num, den FROM kpi_snapshots WHERE scope = ?1 AND taken_on = ?2";
    char text[11];
    date_format(day, text);
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, scope_key);
    db_bind_text(st, 2, text);
    int rc, rows = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        rows++;
        int code = kpi_code_index(db_column_text(st, 0));
        if (code < 0) continue;
        out->num[code] = db_column_int(st, 1);
        out->den[code] = db_column_int(st, 2);
    }
    return rc < 0 ? -1 : rows ? 0 : 1;
}

int kpi_snapshot_store(struct db *db, const char *scope_key, struct date day,
                       const struct kpi_parts *parts)
{
    static const char SQL[] =
        "INSERT INTO kpi_snapshots (taken_on, scope, code, num, den)"
        " VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT (scope, code, taken_on) DO UPDATE SET num = excluded.num, den = excluded.den";
    int broad = (scope_key[0] == 'r' && strlen(scope_key) <= 11) || scope_key[0] == 't' ||
                scope_key[0] == 'i';
    if (!broad) return 0;
    char text[11];
    date_format(day, text);
    for (int c = 0; c < KPI_COUNT; c++) {
        struct db_stmt *st = db_prepare(db, SQL);
        if (!st) return -1;
        db_bind_text(st, 1, text);
        db_bind_text(st, 2, scope_key);
        db_bind_text(st, 3, KPI_INFO[c].code);
        db_bind_int(st, 4, parts->num[c]);
        db_bind_int(st, 5, parts->den[c]);
        if (db_run(st) != DB_DONE) return -1;
    }
    return 0;
}

int kpi_snapshot_month_ends(struct db *db, const char *scope_text, struct date today)
{
    struct kpi_scope scope;
    struct date ends[12];
    struct kpi_parts parts[12];
    struct period year;
    char label[16];
    int n = 0;
    if (kpi_scope_parse(scope_text, &scope) < 0) return -1;
    for (int m = 1; m < today.month; m++) {
        struct period month;
        snprintf(label, sizeof label, "%04d-%02d", today.year % 10000, m % 100);
        if (period_parse(label, &month) < 0) return -1;
        ends[n++] = month.last;
    }
    snprintf(label, sizeof label, "%04d", today.year % 10000);
    if (n == 0) return 0;
    if (period_parse(label, &year) < 0 ||
        kpi_scan_points(db, &scope, year.first, ends, n, parts) < 0 || db_begin(db) != DB_DONE)
        return -1;
    for (int i = 0; i < n; i++) {
        if (kpi_snapshot_store(db, scope.key, ends[i], &parts[i]) < 0) {
            db_rollback(db);
            return -1;
        }
    }
    return db_commit(db) == DB_DONE ? 0 : -1;
}
