/* kpi.h - the indicator engine: exact numerators and denominators of every PROTOCOLS.md §11
 * indicator per period and scope, kept incrementally.
 *
 * Counters live in kpi_counters, one row per (period, scope key, code). Scope keys are
 * "r:<region code>" for every ancestor of the resident's place (a code's ancestors are its
 * prefixes), "t:<team>", "d:<doctor>" and "i:<institution>" for the team and doctor the
 * resident counts for. A write changes counters in its own transaction: the schema's
 * triggers name each touched resident before the change (kpi_touch), the tracker takes
 * that resident's parts out, and just before the request's changes are kept it puts the
 * new parts back. A query reads one row per indicator, whatever the size of the scope.
 *
 * The counters cover the periods (years, quarters, months) of the last `kpi_years` years
 * up to the `kpi_as_of` date; the daily job moves that date and recomputes the periods
 * whose "as of" moved (kpi_advance), freezing the values of periods that closed. */
#ifndef JIAYI_KPI_KPI_H
#define JIAYI_KPI_KPI_H

#include <stdio.h>

#include "db/db.h"
#include "domain/indicators.h"
#include "domain/period.h"
#include "util/must_use.h"

#define KPI_MAX_YEARS 5
#define KPI_PERIODS_PER_YEAR 17
#define KPI_MAX_PERIODS (KPI_MAX_YEARS * KPI_PERIODS_PER_YEAR)

/* The periods the counters cover and the date they stand at. */
struct kpi_frame {
    struct date as_of; /* year 0: never built */
    int n;
    struct period periods[KPI_MAX_PERIODS];
    struct date period_as_of[KPI_MAX_PERIODS];
};

/* Reads kpi_as_of and kpi_years. 0, or -1 on a database error. */
JY_MUST_USE int kpi_frame_load(struct db *db, struct kpi_frame *frame);
/* The frame the counters would have at `as_of`. */
void kpi_frame_at(struct kpi_frame *frame, struct date as_of, int years);

/* Installs the change tracker on a connection (db_set_open_hook(kpi_attach) in serve). */
void kpi_attach(struct db *db);
/* Reads a resident's indicator facts on this thread's reader before a write takes the
 * writer (SQLite): the tracker's "before" of them, unless a batch changed them since. Saves
 * the writer that read. kpi_prefetch_drop frees them when the request ends. */
void kpi_prefetch(struct db *reader, int64_t resident_id);
void kpi_prefetch_drop(void);
/* The shared writer's batch hooks (writer_set_batch_hooks in serve): a request released into
 * the batch adds its net sums to the batch's; the flush adds the batch's to kpi_counters
 * just before it commits (< 0: the batch must not commit). */
void kpi_batch_kept(struct db *writer);
JY_MUST_USE int kpi_batch_flush(struct db *writer);

/* Adds the residents with ids in [first, last], new to the counters (a bulk insert that
 * left them untracked: db_track_untracked_from), to kpi_counters; inside the caller's
 * transaction, after every change to them. Nothing to do while the counters were never
 * built. `bulk` is working memory kept from one call to the next (kpi_bulk_new). 0, or -1. */
struct kpi_bulk;
struct kpi_bulk *kpi_bulk_new(void);
void kpi_bulk_free(struct kpi_bulk *bulk);
JY_MUST_USE int kpi_count_new(struct db *db, struct kpi_bulk *bulk, int64_t first, int64_t last);
/* Recomputes every counter from the raw data as of `as_of`, in one transaction. Returns the
 * number of counter rows, or -1. */
JY_MUST_USE long kpi_rebuild(struct db *db, struct date as_of);
/* Recomputes and compares with the stored counters; prints each difference to `out`.
 * Returns the number of differences (0: exact), or -1 on an error. */
JY_MUST_USE long kpi_check(struct db *db, FILE *out);
/* The daily step: when `today` is past kpi_as_of, recomputes the periods whose "as of"
 * moved, freezes those that closed and drops years no longer covered. Idempotent; builds
 * everything when the counters were never built. 0, or -1. */
JY_MUST_USE int kpi_advance(struct db *db, struct date today);

/* A scope as the API names it: region:CODE, team:ID, doctor:ID or institution:ID. */
struct kpi_scope {
    char kind;       /* 'r', 't', 'd', 'i' */
    char code[16];   /* region code */
    char prefix[16]; /* the prefix its residents' places start with: a city 511500 is 5115 */
    int64_t id;      /* team, doctor or institution */
    char key[24];    /* the counter scope key */
};
/* 0 and the scope, or -1 when the text is none of the forms. */
JY_MUST_USE int kpi_scope_parse(const char *text, struct kpi_scope *out);

/* The stored parts of every indicator for a covered period; 0, 1 when the period is not
 * covered (or not started), -1 on a database error. */
JY_MUST_USE int kpi_query(struct db *db, const struct kpi_frame *frame, const char *period_label,
                          const char *scope_key, struct kpi_parts *out);
/* The index of a period in the frame, or -1. */
JY_MUST_USE int kpi_frame_find(const struct kpi_frame *frame, const char *label);

/* Visits every resident who counts for `scope` in period `p` as of `as_of` (computed from
 * the raw data), with their parts. Returns 0, or -1. The callback returns non-zero to stop. */
typedef int (*kpi_visit_fn)(const struct kpi_person *person, const struct kpi_parts *parts,
                            void *ctx);
JY_MUST_USE int kpi_scan(struct db *db, const struct kpi_scope *scope, const struct period *p,
                         struct date as_of, kpi_visit_fn visit, void *ctx);
/* The same from the resident after id `after` on (a file's next page, which need not revisit
 * the people before it). */
JY_MUST_USE int kpi_scan_after(struct db *db, const struct kpi_scope *scope, const struct period *p,
                               struct date as_of, int64_t after, kpi_visit_fn visit, void *ctx);
/* The scope's totals for the periods [first, as_of[i]], i < n, computed from the raw data in
 * one pass over its residents (each loaded once): the year to date at several month ends.
 * 0, or -1. */
JY_MUST_USE int kpi_scan_points(struct db *db, const struct kpi_scope *scope, struct date first,
                                const struct date *as_of, int n, struct kpi_parts *totals);
/* The stored daily value of the open year's indicators for a broad scope (the county, a
 * township, a team, an institution) on `day`: 0, 1 when none was taken that day, -1. */
JY_MUST_USE int kpi_snapshot_query(struct db *db, const char *scope_key, struct date day,
                                   struct kpi_parts *out);
/* Keeps `parts` as the stored value of `scope_key` on `day` (a past month end recounted from
 * the raw rows), so the next reader of that day need not recount. Only broad scopes are
 * kept, as the daily snapshot keeps them; a narrow key is ignored. 0, or -1. */
JY_MUST_USE int kpi_snapshot_store(struct db *db, const char *scope_key, struct date day,
                                   const struct kpi_parts *parts);
/* Recounts the year to date at each past month end of `today`'s year for the scope written
 * as `scope_text` (region:CODE, team:ID, ...) and keeps them as snapshots (the demo does it
 * for the county, whose recount takes seconds, so its first dashboard need not). 0, or -1. */
JY_MUST_USE int kpi_snapshot_month_ends(struct db *db, const char *scope_text, struct date today);

/* The indicators of PROTOCOLS.md §15 that are no sum of per-resident parts, counted from
 * their own rows whenever indicators are read or recounted (direct.c), for [first, as_of]:
 * - referral_seen_days_median: the up-referrals seen of the residents the scope holds (a
 *   region: registered there; a team, doctor or institution: signed with it on as_of);
 *   num = the lower median of the days from request to seen, den = how many (0: none);
 * - long_prescription_count: the long prescriptions of those residents;
 * - slot_use_rate: the places of slots released to family doctors in the period (their
 *   family window opened) that they booked, of the hospitals of a region or of one hospital
 *   (an institution scope); a team or doctor releases nothing (den 0);
 * - trust_score_mean (issue 16): the Wake Forest trust totals answered in the period rating a
 *   team of the scope (a region: residents registered there; a team, doctor or institution:
 *   the rated team, its GP, its institution); num = their sum, den = how many. 0, or -1. */
JY_MUST_USE int kpi_direct_parts(struct db *db, const struct kpi_scope *scope, struct date first,
                                 struct date as_of, struct kpi_parts *parts);
/* 1 when `wanted` (a mask over the codes; NULL: every code) asks for an indicator counted
 * directly: a read that asks for none need not count them (hundreds of milliseconds a scope
 * at county scale). */
int kpi_direct_wanted(const unsigned char *wanted);
/* - reminder_completion_rate (issue 16): the tasks of the scope's residents first reminded in
 *   the period; num = those done within REMINDER_EFFECT_DAYS of that first reminder. */
#define REMINDER_EFFECT_DAYS 14
/* kpi_direct_parts for n scopes at once, into parts[0..n-1] (only those indicators' parts):
 * each indicator's rows read once, for the daily snapshot of a city's thousands of scopes
 * (direct_all.c). 0, or -1. */
JY_MUST_USE int kpi_direct_parts_all(struct db *db, const struct kpi_scope *scopes, int n,
                                     struct date first, struct date as_of, struct kpi_parts *parts);

/* GET /reminders/effect: the scope's residents' reminded tasks (first reminded in [from, to])
 * against their tasks due in [from, to] that were never reminded, each with how many were
 * done within REMINDER_EFFECT_DAYS (of the first reminder; of the due date). 0, or -1. */
struct reminder_effect {
    int64_t reminded, reminded_done, not_reminded, not_reminded_done;
};
JY_MUST_USE int kpi_reminder_effect(struct db *db, const struct kpi_scope *scope, struct date from,
                                    struct date to, struct reminder_effect *out);

/* Grid and rule changes the triggers cannot see (retouch.c): call BEFORE the change, inside
 * its transaction; the named residents' counters follow it at the commit. 0, or -1.
 * The residents registered at or under any code of a JSON array of region codes: */
JY_MUST_USE int kpi_retouch_regions(struct db *db, const char *codes_json);
/* The residents of a JSON array of ids: */
JY_MUST_USE int kpi_retouch_residents(struct db *db, const char *ids_json);
/* The residents of a team's grid cells (its responsible doctor or its cells change): */
JY_MUST_USE int kpi_retouch_team(struct db *db, int64_t team_id);
/* The residents the rules count differently when they change from `before` to `after`: */
JY_MUST_USE int kpi_retouch_rules(struct db *db, const struct kpi_rules *before,
                                  const struct kpi_rules *after);

#endif
