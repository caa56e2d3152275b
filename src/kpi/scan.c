/* scan.c - scopes, and the residents behind a scope's numbers computed from the raw data
 * (the patient lists of a drill-down, and the reference the benchmark compares with). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kpi/kpi.h"
#include "store/kpi_person.h"

int kpi_scope_parse(const char *text, struct kpi_scope *out)
{
    static const struct {
        const char *prefix;
        char kind;
    } KINDS[] = {{"region:", 'r'}, {"team:", 't'}, {"doctor:", 'd'}, {"institution:", 'i'}};
    memset(out, 0, sizeof *out);
    if (!text) return -1;
    for (size_t k = 0; k < sizeof KINDS / sizeof KINDS[0]; k++) {
        size_t n = strlen(KINDS[k].prefix);
        if (strncmp(text, KINDS[k].prefix, n) != 0) continue;
        const char *rest = text + n;
        size_t length = strlen(rest);
        if (length == 0 || length > 14 || strspn(rest, "0123456789") != length) return -1;
        out->kind = KINDS[k].kind;
        if (out->kind == 'r') {
            memcpy(out->code, rest, length + 1);
            memcpy(out->prefix, rest, length + 1);
            /* GB/T 2260: a province is NN0000 and a city NNNN00, not prefixes of their
             * counties' codes; their residents' places start with NN and NNNN. */
            if (length == 6 && strcmp(rest + 2, "0000") == 0)
                out->prefix[2] = '\0';
            else if (length == 6 && strcmp(rest + 4, "00") == 0)
                out->prefix[4] = '\0';
        } else {
            out->id = strtoll(rest, NULL, 10);
            if (out->id <= 0) return -1;
        }
        if (out->kind == 'r')
            snprintf(out->key, sizeof out->key, "r:%s", out->prefix);
        else
            snprintf(out->key, sizeof out->key, "%c:%" PRId64, out->kind, out->id);
        return 0;
    }
    return -1;
}

/* The residents who might count for the scope: a region's residents, or everyone who ever
 * had a contract with the team (doctor, institution) or lives in its grid cells. */
static const char *candidates_sql(char kind)
{
    static const char REGION[] =
        "SELECT id FROM residents WHERE region >= ?1 AND region < ?1 || ':' AND id > ?3"
        " ORDER BY id LIMIT 1000";
    static const char TEAMS[] =
        "WITH t(id) AS (SELECT id FROM teams WHERE (?4 = 't' AND id = ?2) OR (?4 = 'd' AND doctor_id = ?2)"
        "   OR (?4 = 'i' AND institution_id = ?2))"
        " SELECT id FROM residents WHERE id > ?3 AND (id IN (SELECT resident_id FROM contracts"
        "   WHERE team_id IN (SELECT id FROM t) OR (?4 = 'd' AND doctor_id = ?2))"
        "   OR region IN (SELECT tc.region_code FROM team_cells tc WHERE tc.team_id IN (SELECT id FROM t))"
        "   OR substr(region, 1, 12) IN (SELECT tc.region_code FROM team_cells tc"
        "     WHERE tc.team_id IN (SELECT id FROM t)))"
        " ORDER BY id LIMIT 1000";
    return kind == 'r' ? REGION : TEAMS;
}

static int counts_for(struct db *db, const struct kpi_scope *scope, const struct kpi_person *p,
                      struct date as_of)
{
    if (scope->kind == 'r') return 1; /* the candidates are exactly the region's residents */
    int64_t team, doctor;
    kpi_person_team(p, as_of, &team, &doctor);
    if (scope->kind == 't') return team == scope->id;
    if (scope->kind == 'd') return doctor == scope->id;
    return team && store_kpi_team_institution(db, team) == scope->id;
}

/* Loads every candidate resident of the scope once, in id order, and hands them to `fn`
 * (which returns < 0 on an error, > 0 to stop). 0, or -1. */
static int each_candidate(struct db *db, const struct kpi_scope *scope, int64_t after,
                          int (*fn)(struct db *db, const struct kpi_person *person, void *ctx),
                          void *ctx)
{
    struct kpi_person person = {0};
    const char *sql = candidates_sql(scope->kind);
    char kind[2] = {scope->kind, '\0'};
    int64_t last = after;
    int rc = 0, stop = 0;
    while (rc == 0 && !stop) {
        int64_t ids[1000];
        int n = 0;
        struct db_stmt *st = db_prepare(db, sql);
        if (!st) {
            rc = -1;
            break;
        }
        db_bind_text(st, 1, scope->prefix);
        db_bind_int(st, 2, scope->id);
        db_bind_int(st, 3, last);
        db_bind_text(st, 4, kind);
        while (db_step(st) == DB_ROW)
            ids[n++] = db_column_int(st, 0);
        if (n == 0) break;
        for (int i = 0; i < n && rc == 0 && !stop; i++) {
            rc = store_kpi_person_load(db, ids[i], &person);
            if (rc < 0) break;
            int r = fn(db, &person, ctx);
            if (r < 0) rc = -1;
            stop = r > 0;
        }
        last = ids[n - 1];
    }
    kpi_person_free(&person);
    return rc;
}

struct scan_one {
    const struct kpi_scope *scope;
    const struct period *p;
    struct date as_of;
    struct kpi_rules rules;
    kpi_visit_fn visit;
    void *ctx;
};

static int scan_one_person(struct db *db, const struct kpi_person *person, void *ctx)
{
    struct scan_one *s = ctx;
    if (!counts_for(db, s->scope, person, s->as_of)) return 0;
    struct kpi_parts parts;
    kpi_person_parts(person, s->p->first, s->as_of, &s->rules, &parts);
    return s->visit(person, &parts, s->ctx) ? 1 : 0;
}

int kpi_scan_after(struct db *db, const struct kpi_scope *scope, const struct period *p,
                   struct date as_of, int64_t after, kpi_visit_fn visit, void *ctx)
{
    struct scan_one s = {scope, p, as_of, {0}, visit, ctx};
    if (store_kpi_rules(db, &s.rules) < 0) return -1;
    return each_candidate(db, scope, after, scan_one_person, &s);
}

int kpi_scan(struct db *db, const struct kpi_scope *scope, const struct period *p,
             struct date as_of, kpi_visit_fn visit, void *ctx)
{
    return kpi_scan_after(db, scope, p, as_of, 0, visit, ctx);
}

struct scan_points {
    const struct kpi_scope *scope;
    struct date first;
    const struct date *as_of;
    int n;
    struct kpi_rules rules;
    struct kpi_parts *totals;
};

static int scan_points_person(struct db *db, const struct kpi_person *person, void *ctx)
{
    struct scan_points *s = ctx;
    struct kpi_parts parts;
    for (int i = 0; i < s->n; i++) {
        if (!counts_for(db, s->scope, person, s->as_of[i])) continue;
        kpi_person_parts(person, s->first, s->as_of[i], &s->rules, &parts);
        for (int c = 0; c < KPI_COUNT; c++) {
            s->totals[i].num[c] += parts.num[c];
            s->totals[i].den[c] += parts.den[c];
        }
    }
    return 0;
}

int kpi_scan_points(struct db *db, const struct kpi_scope *scope, struct date first,
                    const struct date *as_of, int n, struct kpi_parts *totals)
{
    struct scan_points s = {scope, first, as_of, n, {0}, totals};
    memset(totals, 0, (size_t)n * sizeof *totals);
    if (n <= 0) return 0;
    if (store_kpi_rules(db, &s.rules) < 0 ||
        each_candidate(db, scope, 0, scan_points_person, &s) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (kpi_direct_parts(db, scope, first, as_of[i], &totals[i]) < 0) return -1;
    return 0;
}
