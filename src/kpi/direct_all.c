/* direct_all.c - the indicators counted from their own rows (kpi_direct_parts) for many
 * scopes at once (kpi_direct_parts_all, kpi.h). The daily snapshot takes them for every
 * township, team and institution the counters hold: thousands of scopes in a city. Asked one
 * scope at a time, each question read every reminder of the city again, and a 10-million
 * city's pass had not ended after 25 minutes. Here each indicator's rows are read once, each
 * with the places it counts for (its resident's region; the team, doctor and institution of
 * the contract on as_of, or of the rated team), and added to every scope asked for that it
 * matches. Same rows and conditions as direct.c (direct_sql.h); tests/api/dashboard.test.mjs
 * checks that the two agree scope by scope. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/direct_sql.h"
#include "kpi/kpi.h"

/* The contract a resident p holds on ?2, joined to its team; the columns team, doctor and
 * institution (all NULL without one). As SCOPE_RESIDENTS in direct.c: a contract counts
 * only with its team. */
#define CONTRACT_ON_AS_OF                                                                          \
    " LEFT JOIN contracts c ON c.resident_id = p.id AND c.county_code = p.county_code"             \
    "  AND c.start_date <= ?2 AND coalesce(c.ended_on, c.end_date) >= ?2"                          \
    " LEFT JOIN teams t ON t.id = c.team_id AND t.county_code = c.county_code"
#define CONTRACT_PLACES                                                                            \
    ", p.region, t.id, CASE WHEN t.id IS NOT NULL THEN c.doctor_id END, t.institution_id"

/* Every query answers: county, item id, region, team, doctor, institution, a, b; the rows of
 * one item (several when a resident held two contracts on as_of) next to each other. */
enum { COL_COUNTY, COL_ID, COL_REGION, COL_TEAM, COL_DOCTOR, COL_INSTITUTION, COL_A, COL_B };

enum fold { FOLD_SUM, FOLD_MEDIAN }; /* num += a, den += b; or a into the scope's list */

/* SQL assembled from macros: laid out by hand, as clang-format would lay it out as code. */
// clang-format off
static const struct direct_query {
    int code;
    enum fold fold;
    const char *sql;
} QUERIES[] = {
    {KPI_REFERRAL_SEEN_MEDIAN, FOLD_MEDIAN,
     "SELECT f.county_code, f.id" CONTRACT_PLACES ", " SEEN_DAYS ", 0"
     SEEN_REFERRALS_FROM CONTRACT_ON_AS_OF SEEN_REFERRALS_WHERE " ORDER BY f.county_code, f.id"},
    {KPI_LONG_PRESCRIPTIONS, FOLD_SUM,
     "SELECT x.county_code, x.id" CONTRACT_PLACES ", 1, 0"
     LONG_PRESCRIPTIONS_FROM CONTRACT_ON_AS_OF LONG_PRESCRIPTIONS_WHERE " ORDER BY x.county_code, x.id"},
    {KPI_SLOT_USE, FOLD_SUM,
     "SELECT '', i.id, i.region, NULL, NULL, i.id, sum(s.booked), sum(s.capacity)"
     RELEASED_SLOTS_FROM RELEASED_SLOTS_WHERE " GROUP BY i.id, i.region ORDER BY i.id"},
    {KPI_TRUST_SCORE_MEAN, FOLD_SUM,
     "SELECT s.county_code, s.id, p.region, s.team_id, t.doctor_id, t.institution_id, s.total, 1"
     TRUST_RESPONSES_FROM TRUST_RESPONSES_WHERE " ORDER BY s.county_code, s.id"},
    {KPI_REMINDER_COMPLETION, FOLD_SUM,
     "SELECT k.county_code, k.id" CONTRACT_PLACES ", CASE WHEN " DONE_WITHIN("k.first_reminded_on") " THEN 1 ELSE 0 END, 1"
     FIRST_REMINDERS_FROM CONTRACT_ON_AS_OF FIRST_REMINDERS_WHERE " ORDER BY k.county_code, k.id"},
};
// clang-format on

struct days {
    int64_t *v;
    int n, cap;
};

struct keyed {
    const char *key;
    int index;
};

struct pass {
    int n;
    struct keyed *by_key; /* the scopes sorted by key, for find() */
    long *last_item;      /* per scope: the item it last counted, so an item counts once */
    struct kpi_parts *parts;
    struct days *days; /* per scope, FOLD_MEDIAN */
};

static int by_key(const void *a, const void *b)
{
    return strcmp(((const struct keyed *)a)->key, ((const struct keyed *)b)->key);
}

static int find(const struct pass *p, const char *key)
{
    int lo = 0, hi = p->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2, c = strcmp(p->by_key[mid].key, key);
        if (c == 0) return p->by_key[mid].index;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static int count_in(struct pass *p, int scope, long item, const struct direct_query *q, int64_t a,
                    int64_t b)
{
    if (scope < 0 || p->last_item[scope] == item) return 0;
    p->last_item[scope] = item;
    if (q->fold == FOLD_SUM) {
        p->parts[scope].num[q->code] += a;
        p->parts[scope].den[q->code] += b;
        return 0;
    }
    struct days *d = &p->days[scope];
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 16;
        int64_t *bigger = realloc(d->v, (size_t)cap * sizeof *bigger);
        if (!bigger) return -1;
        d->v = bigger;
        d->cap = cap;
    }
    d->v[d->n++] = a;
    return 0;
}

/* Adds one row's item to every scope it matches: the region scopes its region starts with,
 * and its team, doctor and institution. */
static int count_row(struct pass *p, struct db_stmt *st, long item, const struct direct_query *q)
{
    int64_t a = db_column_int(st, COL_A), b = db_column_int(st, COL_B);
    char key[32];
    const char *region = db_column_is_null(st, COL_REGION) ? NULL : db_column_text(st, COL_REGION);
    for (size_t length = 0; region && length <= strlen(region) && length < 16; length++) {
        snprintf(key, sizeof key, "r:%.*s", (int)length, region);
        if (count_in(p, find(p, key), item, q, a, b) < 0) return -1;
    }
    static const struct {
        int col;
        char kind;
    } IDS[] = {{COL_TEAM, 't'}, {COL_DOCTOR, 'd'}, {COL_INSTITUTION, 'i'}};
    for (size_t k = 0; k < sizeof IDS / sizeof IDS[0]; k++) {
        if (db_column_is_null(st, IDS[k].col)) continue;
        snprintf(key, sizeof key, "%c:%lld", IDS[k].kind, (long long)db_column_int(st, IDS[k].col));
        if (count_in(p, find(p, key), item, q, a, b) < 0) return -1;
    }
    return 0;
}

static int run_query(struct db *db, struct pass *p, const struct direct_query *q, struct date first,
                     struct date as_of)
{
    char first_text[11], as_of_text[11], county[16] = "";
    date_format(first, first_text);
    date_format(as_of, as_of_text);
    struct db_stmt *st = db_prepare(db, q->sql);
    if (!st) return -1;
    db_bind_text(st, 1, first_text);
    db_bind_text(st, 2, as_of_text);
    long item = 0;
    int64_t id = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *row_county = db_column_text(st, COL_COUNTY);
        int64_t row_id = db_column_int(st, COL_ID);
        if (!row_county) row_county = "";
        if (item == 0 || row_id != id || strcmp(row_county, county) != 0) {
            item++;
            id = row_id;
            snprintf(county, sizeof county, "%s", row_county);
        }
        if (count_row(p, st, item, q) < 0) {
            db_run(st);
            return -1;
        }
    }
    return rc == DB_DONE ? 0 : -1;
}

int kpi_direct_parts_all(struct db *db, const struct kpi_scope *scopes, int n, struct date first,
                         struct date as_of, struct kpi_parts *parts)
{
    struct pass p = {.n = n, .parts = parts};
    p.by_key = malloc((size_t)(n ? n : 1) * sizeof *p.by_key);
    p.last_item = malloc((size_t)(n ? n : 1) * sizeof *p.last_item);
    p.days = calloc((size_t)(n ? n : 1), sizeof *p.days);
    int rc = p.by_key && p.last_item && p.days ? 0 : -1;
    for (int i = 0; rc == 0 && i < n; i++) {
        p.by_key[i] = (struct keyed){scopes[i].key, i};
        for (size_t k = 0; k < sizeof QUERIES / sizeof QUERIES[0]; k++)
            parts[i].num[QUERIES[k].code] = parts[i].den[QUERIES[k].code] = 0;
        parts[i].den[KPI_LONG_PRESCRIPTIONS] = 1; /* a count */
    }
    if (rc == 0) qsort(p.by_key, (size_t)n, sizeof *p.by_key, by_key);
    for (size_t k = 0; rc == 0 && k < sizeof QUERIES / sizeof QUERIES[0]; k++) {
        for (int i = 0; i < n; i++)
            p.last_item[i] = 0;
        rc = run_query(db, &p, &QUERIES[k], first, as_of);
    }
    for (int i = 0; i < n; i++) {
        if (rc == 0) {
            parts[i].num[KPI_REFERRAL_SEEN_MEDIAN] = kpi_median_lower(p.days[i].v, p.days[i].n);
            parts[i].den[KPI_REFERRAL_SEEN_MEDIAN] = p.days[i].n;
        }
        if (p.days) free(p.days[i].v);
    }
    free(p.by_key);
    free(p.last_item);
    free(p.days);
    return rc;
}
