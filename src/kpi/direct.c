/* direct.c - the indicators counted from their own rows when read (kpi_direct_parts, kpi.h):
 * a median is no sum of per-resident parts, and slots belong to hospitals, not residents.
 * Every join of two county tables matches county_code as well as the id: on a coordinator
 * (db/federation.h) the nodes' ids overlap, and a county's row must meet its own county's. */
#include <stdlib.h>
#include <string.h>

#include "kpi/direct_sql.h"
#include "kpi/kpi.h"

/* The residents a scope holds, as a condition on p (residents) with ?2 as_of and ?3 the
 * scope (the region prefix, or the team, doctor or institution id): a region's registered
 * residents; a team's, doctor's or institution's signed ones on as_of. One statement per kind
 * (SCOPED), so each names the index its kind needs: the region's rows are found by the
 * period and kept by place; the others are driven from the scope's few contracts (a team's
 * referrals in 3 ms instead of 120 ms over every referral of the county). */
#define SIGNED_ON_AS_OF(condition)                                                                 \
    " (p.id, p.county_code) IN (SELECT c.resident_id, c.county_code FROM contracts c"              \
    "  JOIN teams t ON t.id = c.team_id AND t.county_code = c.county_code WHERE " condition        \
    "  AND c.start_date <= ?2"                                                                     \
    "  AND coalesce(c.ended_on, c.end_date) >= ?2)"
#define IN_REGION " p.region LIKE ?3 || '%'"
/* A county's or a city's rows (a prefix of six digits or fewer) without reading their
 * residents: by the rows' own county_code, for a resident's place always begins with their
 * county's code (api/residents.c keeps a move inside the county). A township's or smaller
 * are kept by their residents' place (IN_REGION). */
#define IN_COUNTIES(a) " " a ".county_code LIKE ?3 || '%'"
/* The five statements, by prepare()'s index: a township's (or smaller), the signed ones' of a
 * team, a doctor and an institution (head, condition, tail), and a county's (or more). */
#define SCOPED_EACH(area_sql, counties_sql, signed_head, tail)                                     \
    {                                                                                              \
        area_sql, signed_head SIGNED_ON_AS_OF("c.team_id = ?3") tail,                              \
            signed_head SIGNED_ON_AS_OF("c.doctor_id = ?3") tail,                                  \
            signed_head SIGNED_ON_AS_OF("t.institution_id = ?3") tail, counties_sql                \
    }
#define SCOPED(head) SCOPED_EACH(head IN_REGION, head IN_REGION, head, "")

/* The statement of `sql` (a SCOPED table) for the scope's kind, bound: ?1 first, ?2 as_of,
 * ?3 the scope. */
static struct db_stmt *prepare(struct db *db, const char *const sql[5],
                               const struct kpi_scope *scope, struct date first, struct date as_of)
{
    char first_text[11], as_of_text[11];
    date_format(first, first_text);
    date_format(as_of, as_of_text);
    int kind = scope->kind == 'r'   ? (strlen(scope->prefix) <= 6 ? 4 : 0)
               : scope->kind == 't' ? 1
               : scope->kind == 'd' ? 2
                                    : 3;
    struct db_stmt *st = db_prepare(db, sql[kind]);
    if (!st) return NULL;
    db_bind_text(st, 1, first_text);
    db_bind_text(st, 2, as_of_text);
    if (scope->kind == 'r')
        db_bind_text(st, 3, scope->prefix);
    else
        db_bind_int(st, 3, scope->id);
    return st;
}

/* referral_seen_days_median: the lower median of the days from request to seen of the
 * up-referrals seen in [first, as_of]; den = how many (0: none, the value is null). */
static int referral_seen_median(struct db *db, const struct kpi_scope *scope, struct date first,
                                struct date as_of, struct kpi_parts *parts)
{
    static const char *const SQL[5] = SCOPED_EACH(
        "SELECT " SEEN_DAYS SEEN_REFERRALS_FROM SEEN_REFERRALS_WHERE " AND" IN_REGION,
        "SELECT " SEEN_DAYS " FROM referrals f" SEEN_REFERRALS_WHERE " AND" IN_COUNTIES("f"),
        "SELECT " SEEN_DAYS SEEN_REFERRALS_FROM SEEN_REFERRALS_WHERE " AND", "");
    struct db_stmt *st = prepare(db, SQL, scope, first, as_of);
    if (!st) return -1;
    int64_t *days = NULL;
    int n = 0, cap = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            int64_t *bigger = realloc(days, (size_t)cap * sizeof *days);
            if (!bigger) {
                free(days);
                db_run(st);
                return -1;
            }
            days = bigger;
        }
        days[n++] = db_column_int(st, 0);
    }
    if (rc != DB_DONE) {
        free(days);
        return -1;
    }
    parts->num[KPI_REFERRAL_SEEN_MEDIAN] = kpi_median_lower(days, n);
    parts->den[KPI_REFERRAL_SEEN_MEDIAN] = n;
    free(days);
    return 0;
}

/* long_prescription_count: long prescriptions of the scope's residents issued in
 * [first, as_of] and not cancelled. */
static int long_prescriptions(struct db *db, const struct kpi_scope *scope, struct date first,
                              struct date as_of, struct kpi_parts *parts)
{
    static const char *const SQL[5] = SCOPED_EACH(
        "SELECT count(*)" LONG_PRESCRIPTIONS_FROM LONG_PRESCRIPTIONS_WHERE " AND" IN_REGION,
        "SELECT count(*) FROM prescriptions x" LONG_PRESCRIPTIONS_WHERE " AND" IN_COUNTIES("x"),
        /* `|| ''` keeps SQLite off the kind-and-date index, which would read every
         * long prescription of the county, for the residents' own (8 ms, not 41) */
        "SELECT count(*)" LONG_PRESCRIPTIONS_FROM " WHERE x.kind || '' = 'long'"
        " AND x.prescribed_on >= ?1 AND x.prescribed_on <= ?2"
        " AND x.status <> 'cancelled' AND",
        "");
    struct db_stmt *st = prepare(db, SQL, scope, first, as_of);
    if (!st) return -1;
    int64_t n = db_query_int(st, -1);
    if (n < 0) return -1;
    parts->num[KPI_LONG_PRESCRIPTIONS] = n;
    parts->den[KPI_LONG_PRESCRIPTIONS] = 1;
    return 0;
}

/* slot_use_rate: places of the slots released to family doctors in [first, as_of] (their
 * family window opened then) that family doctors booked / all those places. A hospital's own (an
 * institution scope), or the hospitals of a region; a team or a doctor releases nothing. */
static int slot_use(struct db *db, const struct kpi_scope *scope, struct date first,
                    struct date as_of, struct kpi_parts *parts)
{
#define RELEASED_SLOTS                                                                             \
    "SELECT coalesce(sum(s.booked), 0), coalesce(sum(s.capacity), 0)" RELEASED_SLOTS_FROM          \
        RELEASED_SLOTS_WHERE
    /* only regions (0) and institutions (3): a team or a doctor releases nothing */
    static const char *const SQL[5] = {RELEASED_SLOTS " AND i.region LIKE ?3 || '%'", NULL, NULL,
                                       RELEASED_SLOTS " AND i.id = ?3",
                                       RELEASED_SLOTS " AND i.region LIKE ?3 || '%'"};
    parts->num[KPI_SLOT_USE] = parts->den[KPI_SLOT_USE] = 0;
    if (scope->kind != 'r' && scope->kind != 'i') return 0;
    struct db_stmt *st = prepare(db, SQL, scope, first, as_of);
    if (!st) return -1;
    if (db_step(st) != DB_ROW) {
        db_run(st);
        return -1;
    }
    parts->num[KPI_SLOT_USE] = db_column_int(st, 0);
    parts->den[KPI_SLOT_USE] = db_column_int(st, 1);
    db_run(st);
    return 0;
}

/* trust_score_mean: the mean total of the revised Wake Forest physician trust scale
 * (PROTOCOLS.md §12) over the responses answered in [first, as_of] that rate a team of the
 * scope; a region's by where the resident is registered. */
static int trust_score(struct db *db, const struct kpi_scope *scope, struct date first,
                       struct date as_of, struct kpi_parts *parts)
{
#define TRUST_RESPONSES                                                                            \
    "SELECT coalesce(sum(s.total), 0), count(*)" TRUST_RESPONSES_FROM TRUST_RESPONSES_WHERE
    /* the responses rating a team of the scope; a region's by where the resident lives */
    static const char *const SQL[5] = {
        TRUST_RESPONSES " AND" IN_REGION, TRUST_RESPONSES " AND s.team_id = ?3",
        TRUST_RESPONSES " AND t.doctor_id = ?3", TRUST_RESPONSES " AND t.institution_id = ?3",
        TRUST_RESPONSES " AND" IN_REGION};
    struct db_stmt *st = prepare(db, SQL, scope, first, as_of);
    if (!st) return -1;
    if (db_step(st) != DB_ROW) {
        db_run(st);
        return -1;
    }
    parts->num[KPI_TRUST_SCORE_MEAN] = db_column_int(st, 0);
    parts->den[KPI_TRUST_SCORE_MEAN] = db_column_int(st, 1);
    db_run(st);
    return 0;
}

/* reminder_completion_rate: tasks of the scope's residents first reminded in [first, as_of];
 * num = those done within REMINDER_EFFECT_DAYS of the first reminder. */
static int reminder_completion(struct db *db, const struct kpi_scope *scope, struct date first,
                               struct date as_of, struct kpi_parts *parts)
{
    /* Each task's first reminder day is kept on it (migration 052): a region's tasks are
     * found by that day's index; a team's, doctor's or institution's from its residents.
     * SQL assembled from macros: laid out by hand, as clang-format would lay it out as code. */
    // clang-format off
#define REMINDED_TASKS                                                                             \
    "SELECT count(*), coalesce(sum(" DONE_WITHIN("k.first_reminded_on") "), 0) FROM tasks k"      \
    " WHERE k.first_reminded_on >= ?1 AND k.first_reminded_on <= ?2 AND"
#define SIGNED_TASKS                                                                               \
    "SELECT count(*), coalesce(sum(" DONE_WITHIN("k.first_reminded_on") "), 0) FROM (SELECT"      \
    " x.status, x.closed_at, x.first_reminded_on FROM tasks x JOIN residents p"                   \
    "  ON p.id = x.resident_id AND p.county_code = x.county_code WHERE"
    static const char *const SQL[5] = SCOPED_EACH(
        "SELECT count(*), coalesce(sum(" DONE_WITHIN("k.first_reminded_on") "), 0)"
        FIRST_REMINDERS_FROM FIRST_REMINDERS_WHERE " AND" IN_REGION,
        REMINDED_TASKS IN_COUNTIES("k"), SIGNED_TASKS,
        ") k WHERE k.first_reminded_on >= ?1 AND k.first_reminded_on <= ?2");
    // clang-format on
    struct db_stmt *st = prepare(db, SQL, scope, first, as_of);
    if (!st) return -1;
    if (db_step(st) != DB_ROW) {
        db_run(st);
        return -1;
    }
    parts->den[KPI_REMINDER_COMPLETION] = db_column_int(st, 0);
    parts->num[KPI_REMINDER_COMPLETION] = db_column_int(st, 1);
    db_run(st);
    return 0;
}

int kpi_reminder_effect(struct db *db, const struct kpi_scope *scope, struct date from,
                        struct date to, struct reminder_effect *out)
{
    /* SQL assembled from macros: laid out by hand, as clang-format would lay it out as code. */
    // clang-format off
    static const char *const NOT_REMINDED[5] = SCOPED(
        "SELECT count(*), coalesce(sum(" DONE_WITHIN("k.due_date") "), 0)"
        " FROM tasks k JOIN residents p ON p.id = k.resident_id AND p.county_code = k.county_code"
        " WHERE k.due_date >= ?1 AND k.due_date <= ?2"
        " AND k.kind IN ('followup', 'renewal', 'exam_abnormal') AND k.status <> 'cancelled'"
        " AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.task_id = k.id"
        "  AND m.county_code = k.county_code) AND");
    // clang-format on
    struct kpi_parts parts;
    memset(&parts, 0, sizeof parts);
    if (reminder_completion(db, scope, from, to, &parts) < 0) return -1;
    out->reminded = parts.den[KPI_REMINDER_COMPLETION];
    out->reminded_done = parts.num[KPI_REMINDER_COMPLETION];
    struct db_stmt *st = prepare(db, NOT_REMINDED, scope, from, to);
    if (!st) return -1;
    if (db_step(st) != DB_ROW) {
        db_run(st);
        return -1;
    }
    out->not_reminded = db_column_int(st, 0);
    out->not_reminded_done = db_column_int(st, 1);
    db_run(st);
    return 0;
}

int kpi_direct_wanted(const unsigned char *wanted)
{
    static const int DIRECT[] = {KPI_REFERRAL_SEEN_MEDIAN, KPI_LONG_PRESCRIPTIONS, KPI_SLOT_USE,
                                 KPI_TRUST_SCORE_MEAN, KPI_REMINDER_COMPLETION};
    for (size_t i = 0; i < sizeof DIRECT / sizeof DIRECT[0]; i++)
        if (!wanted || wanted[DIRECT[i]]) return 1;
    return 0;
}

int kpi_direct_parts(struct db *db, const struct kpi_scope *scope, struct date first,
                     struct date as_of, struct kpi_parts *parts)
{
    if (referral_seen_median(db, scope, first, as_of, parts) < 0 ||
        long_prescriptions(db, scope, first, as_of, parts) < 0 ||
        slot_use(db, scope, first, as_of, parts) < 0 ||
        trust_score(db, scope, first, as_of, parts) < 0 ||
        reminder_completion(db, scope, first, as_of, parts) < 0)
        return -1;
    return 0;
}
