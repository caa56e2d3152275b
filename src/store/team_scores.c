/* team_scores.c (store) - see team_scores.h. The settings are rows of protocol_settings
 * (versioned per key, the newest wins) under keys "team_score.*", so their history is kept
 * the way every [jiayi] setting's is. */
#include "store/team_scores.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/period.h"
#include "store/followups.h"

#define PREFIX "team_score."
#define REVISION_KEY PREFIX "revision"

/* The config field a stored key names, or NULL. */
static int *config_field(struct team_score_config *c, const char *key)
{
    if (strncmp(key, PREFIX, strlen(PREFIX)) != 0) return NULL;
    key += strlen(PREFIX);
    if (!strcmp(key, "institution_share")) return &c->institution_share;
    if (!strcmp(key, "bonus_share")) return &c->bonus_share;
    if (!strncmp(key, "weight.", 7)) {
        int k = kpi_code_index(key + 7);
        return k >= 0 ? &c->weights[k] : NULL;
    }
    return NULL;
}

int store_team_score_config(struct db *db, struct team_score_config *c, int *version,
                            char *changed_at)
{
    static const char SQL[] =
        "SELECT key, value, changed_at FROM protocol_settings s WHERE key LIKE 'team\\_score.%' ESCAPE '\\'"
        " AND version = (SELECT max(version) FROM protocol_settings WHERE key = s.key)";
    *c = team_score_default();
    *version = 0;
    changed_at[0] = '\0';
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *key = db_column_text(st, 0);
        if (!strcmp(key, REVISION_KEY)) {
            *version = (int)db_column_int(st, 1);
            snprintf(changed_at, 21, "%s", db_column_text(st, 2) ? db_column_text(st, 2) : "");
            continue;
        }
        int *field = config_field(c, key);
        if (field) *field = (int)db_column_int(st, 1);
    }
    return rc == DB_DONE ? 0 : -1;
}

int store_team_score_config_save(struct db *db, const struct team_score_config *before,
                                 const struct team_score_config *after, int64_t user_id)
{
    char key[64];
    for (int k = 0; k < KPI_COUNT; k++) {
        if (before->weights[k] == after->weights[k]) continue;
        snprintf(key, sizeof key, PREFIX "weight.%s", KPI_INFO[k].code);
        if (store_protocol_setting_set(db, key, after->weights[k], user_id) < 0) return -1;
    }
    if (before->institution_share != after->institution_share &&
        store_protocol_setting_set(db, PREFIX "institution_share", after->institution_share,
                                   user_id) < 0)
        return -1;
    if (before->bonus_share != after->bonus_share &&
        store_protocol_setting_set(db, PREFIX "bonus_share", after->bonus_share, user_id) < 0)
        return -1;
    /* The revision's value is its own version: one number names the whole set. */
    static const char SQL[] =
        "INSERT INTO protocol_settings (key, value, version, changed_by) SELECT ?1, v, v, ?2 FROM"
        " (SELECT coalesce(max(version), 0) + 1 AS v FROM protocol_settings WHERE key = ?1) next_version RETURNING version";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, REVISION_KEY);
    db_bind_int(st, 2, user_id);
    return (int)db_insert_id(st);
}

/* The teams of institutions in a region subtree (?1 'r', ?2 the code) or of one institution
 * (?1 'i', ?3 its id), on teams t joined to institutions i. */
#define SCOPE_TEAMS_WHERE                                                                          \
    " WHERE (?1 = 'r' AND i.region >= ?2 AND i.region < ?2 || ':') OR (?1 = 'i' AND i.id = ?3)"

int store_scope_teams(struct db *db, char kind, const char *code, int64_t id,
                      struct scope_team *out, int max)
{
    static const char SQL[] =
        "SELECT t.id, t.name, i.id, i.name FROM teams t JOIN institutions i ON i.id = t.institution_id" SCOPE_TEAMS_WHERE
        " ORDER BY t.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    char k[2] = {kind, '\0'};
    db_bind_text(st, 1, k);
    db_bind_text(st, 2, code ? code : "");
    db_bind_int(st, 3, id);
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == max) {
            db_run(st);
            return -1; /* more teams than one page can show: refuse rather than cut */
        }
        out[n].id = db_column_int(st, 0);
        snprintf(out[n].name, sizeof out[n].name, "%s", db_column_text(st, 1));
        out[n].institution_id = db_column_int(st, 2);
        snprintf(out[n].institution, sizeof out[n].institution, "%s", db_column_text(st, 3));
        n++;
    }
    return rc == DB_DONE ? n : -1;
}

/* The counters of a scope's teams (teams in the same order as store_scope_teams) in one
 * range of months ('YYYY-MM', half-open) or days (closed), added to out[]. */
#define SCOPE_TEAM_TOTALS(table, column, range)                                                    \
    "SELECT tt.team_id, sum(tt.units), sum(tt.workload), sum(tt.income_fen) FROM teams t"          \
    " JOIN institutions i ON i.id = t.institution_id JOIN " table " tt ON tt.team_id = t.id"       \
    " AND tt." column " >= ?4 AND tt." column range " ?5" SCOPE_TEAMS_WHERE " GROUP BY tt.team_id"

static int by_id(const void *a, const void *b)
{
    int64_t x = ((const struct scope_team *)a)->id, y = ((const struct scope_team *)b)->id;
    return (x > y) - (x < y);
}

static int add_totals(struct db *db, const char *sql, char kind, const char *code, int64_t id,
                      const char *from, const char *to, const struct scope_team *teams, int n,
                      int want_work, int want_income, struct team_totals *out)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return -1;
    char k[2] = {kind, '\0'};
    db_bind_text(st, 1, k);
    db_bind_text(st, 2, code ? code : "");
    db_bind_int(st, 3, id);
    db_bind_text(st, 4, from);
    db_bind_text(st, 5, to);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct scope_team key = {.id = db_column_int(st, 0)};
        const struct scope_team *team = bsearch(&key, teams, (size_t)n, sizeof *teams, by_id);
        if (!team) continue;
        struct team_totals *t = &out[team - teams];
        if (want_work) {
            t->units += db_column_int(st, 1);
            t->workload += db_column_double(st, 2);
        }
        if (want_income) t->income_fen += db_column_int(st, 3);
    }
    return rc == DB_DONE ? 0 : -1;
}

/* One window [first, last] of the counters: its whole months from the monthly table, the
 * days at either end from the daily one. */
static int add_window(struct db *db, char kind, const char *code, int64_t id, struct date first,
                      struct date last, const struct scope_team *teams, int n, int want_work,
                      int want_income, struct team_totals *out)
{
    static const char MONTHS[] = SCOPE_TEAM_TOTALS("team_month_totals", "month", " <");
    static const char DAYS[] = SCOPE_TEAM_TOTALS("team_day_totals", "day", " <=");
    struct month_split split = period_split_months(first, last);
    char from[11], head_last[11], tail_first[11], to[11], month_first[11];
    date_format(first, from);
    date_format(date_add_days(split.whole_first, -1), head_last);
    date_format(split.whole_end, tail_first);
    date_format(last, to);
    date_format(split.whole_first, month_first);
    char m1[8], m2[8]; /* YYYY-MM */
    snprintf(m1, sizeof m1, "%.7s", month_first);
    snprintf(m2, sizeof m2, "%.7s", tail_first);
    return add_totals(db, MONTHS, kind, code, id, m1, m2, teams, n, want_work, want_income, out) ||
                   add_totals(db, DAYS, kind, code, id, from, head_last, teams, n, want_work,
                              want_income, out) ||
                   add_totals(db, DAYS, kind, code, id, tail_first, to, teams, n, want_work,
                              want_income, out)
               ? -1
               : 0;
}

int store_team_totals(struct db *db, char kind, const char *code, int64_t id,
                      const struct scope_team *teams, int n, struct date first,
                      struct date work_last, struct date income_last, struct team_totals *out)
{
    memset(out, 0, (size_t)n * sizeof *out);
    if (n <= 0) return 0;
    return add_window(db, kind, code, id, first, work_last, teams, n, 1, 0, out) ||
                   add_window(db, kind, code, id, first, income_last, teams, n, 0, 1, out)
               ? -1
               : 0;
}

int store_overdue_facts(struct db *db, int64_t resident_id, const char *program, const char *as_of,
                        struct overdue_facts *out)
{
    static const char SQL[] =
        "SELECT r.name,"
        " (SELECT max(visit_date) FROM followups WHERE resident_id = r.id AND program = ?2 AND visit_date <= ?3),"
        " (SELECT count(*) FROM followups WHERE resident_id = r.id AND program = ?2 AND visit_date <= ?3"
        "   AND emergency = 1),"
        " (SELECT uncontrolled FROM followups WHERE resident_id = r.id AND program = ?2 AND visit_date <= ?3"
        "   ORDER BY visit_date DESC, id DESC LIMIT 1)"
        " FROM residents r WHERE r.id = ?1";
    memset(out, 0, sizeof *out);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    db_bind_text(st, 3, as_of);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 1 : -1;
    snprintf(out->name, sizeof out->name, "%s", db_column_text(st, 0));
    if (!db_column_is_null(st, 1))
        snprintf(out->last_followup, sizeof out->last_followup, "%s", db_column_text(st, 1));
    out->emergency = db_column_int(st, 2) > 0;
    out->uncontrolled = !db_column_is_null(st, 3) && db_column_int(st, 3) != 0;
    db_run(st);
    return 0;
}
