/* work.c (store) - SQL for flags, tasks and census visits. */
#include "store/work.h"

#include <stdio.h>
#include <string.h>

#include "db/fault.h"
#include "domain/task_status.h"
#include "store/outreach.h"
#include "json/jsonx.h"
#include "store/pii.h"
#include "store/page.h"
#include "store/scope.h"

int64_t store_flag_insert(struct db *db, int64_t resident_id, const char *reason, const char *note,
                          int64_t raised_by, int64_t raised_by_staff, const char *raised_at)
{
    static const char SQL[] =
        "INSERT INTO flags (resident_id, reason, note, raised_by, raised_by_staff, raised_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, coalesce(?6, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, reason);
    db_bind_text(st, 3, note);
    if (raised_by) db_bind_int(st, 4, raised_by);
    if (raised_by_staff) db_bind_int(st, 5, raised_by_staff);
    db_bind_text(st, 6, raised_at);
    return db_insert_id(st);
}

#define FLAG_COLUMNS                                                                               \
    "f.id, f.resident_id, r.name, f.reason, f.note, f.status, coalesce(rs.name, ru.username),"     \
    " f.raised_at,"                                                                                \
    " coalesce(ds.name, du.username), f.decided_at, f.decision_note, r.region"
#define FLAG_FROM                                                                                      \
    " FROM flags f JOIN residents r ON r.id = f.resident_id LEFT JOIN users ru ON ru.id = f.raised_by" \
    " LEFT JOIN staff rs ON rs.id = f.raised_by_staff"                                                 \
    " LEFT JOIN users du ON du.id = f.decided_by LEFT JOIN staff ds ON ds.user_id = f.decided_by"

static json_t *flag_from_row(struct db_stmt *st, void *unused)
{
    (void)unused;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    json_object_set_new(o, "resident_id", json_integer(db_column_int(st, 1)));
    jx_set_string_or_null(o, "resident_name", db_column_text(st, 2));
    jx_set_string_or_null(o, "reason", db_column_text(st, 3));
    jx_set_string_or_null(o, "note", db_column_text(st, 4));
    jx_set_string_or_null(o, "status", db_column_text(st, 5));
    jx_set_string_or_null(o, "raised_by", db_column_text(st, 6));
    jx_set_string_or_null(o, "raised_at", db_column_text(st, 7));
    jx_set_string_or_null(o, "decided_by", db_column_text(st, 8));
    jx_set_string_or_null(o, "decided_at", db_column_text(st, 9));
    jx_set_string_or_null(o, "decision_note", db_column_text(st, 10));
    jx_set_string_or_null(o, "region", db_column_text(st, 11));
    return o;
}

json_t *store_flag_get(struct db *db, int64_t id)
{
    static const char SQL[] = "SELECT " FLAG_COLUMNS FLAG_FROM " WHERE f.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = flag_from_row(st, NULL);
    db_run(st);
    return o;
}

#define FLAGS_WHERE                                                                                \
    " WHERE " SCOPE_VISIBLE " AND (?2 IS NULL OR f.status = ?2)"                                   \
    " AND (?3 = 0 OR f.resident_id = ?3)"

json_t *store_flags_list(struct db *db, int64_t user_id, const char *status, int64_t resident_id,
                         int limit, int64_t cursor, int64_t *total, int64_t *next_cursor)
{
    static const char COUNT[] = "SELECT count(*)" FLAG_FROM FLAGS_WHERE;
    static const char SQL[] = "SELECT " FLAG_COLUMNS FLAG_FROM FLAGS_WHERE
                              " AND (?4 = 0 OR f.id < ?4) ORDER BY f.id DESC LIMIT ?5";
    int wide;
    if (store_scope_load(db, user_id, &wide) < 0) return NULL;
    struct db_stmt *st = db_prepare(db, COUNT);
    if (!st) return NULL;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, status);
    db_bind_int(st, 3, resident_id);
    *total = db_query_int(st, 0);
    st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, user_id);
    db_bind_text(st, 2, status);
    db_bind_int(st, 3, resident_id);
    db_bind_int(st, 4, cursor);
    db_bind_int(st, 5, limit + 1);
    json_t *items = store_read_page(st, limit, next_cursor, flag_from_row, NULL);
    return items;
}

int store_flag_decide(struct db *db, int64_t id, const char *status, int64_t decided_by,
                      const char *note)
{
    static const char SQL[] =
        "UPDATE flags SET status = ?2, decided_by = nullif(?3, 0), decision_note = ?4,"
        " decided_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1 AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, status);
    db_bind_int(st, 3, decided_by);
    db_bind_text(st, 4, note);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 1 : 0;
}

int64_t store_task_insert(struct db *db, const struct task_input *in)
{
    static const char SQL[] =
        "INSERT INTO tasks (resident_id, team_id, doctor_id, kind, program, due_date, next_due,"
        " flag_id, note, county_code, referral_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?11) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->resident_id);
    if (in->team_id) db_bind_int(st, 2, in->team_id);
    if (in->doctor_id) db_bind_int(st, 3, in->doctor_id);
    db_bind_text(st, 4, in->kind);
    db_bind_text(st, 5, in->program);
    db_bind_text(st, 6, in->due_date);
    db_bind_text(st, 7, in->next_due);
    if (in->flag_id) db_bind_int(st, 8, in->flag_id);
    db_bind_text(st, 9, in->note);
    db_bind_text(st, 10, in->county_code);
    if (in->referral_id) db_bind_int(st, 11, in->referral_id);
    return db_insert_id(st);
}

int store_task_get(struct db *db, int64_t id, int64_t *resident_id, char kind[32], char status[16])
{
    static const char SQL[] = "SELECT resident_id, kind, status FROM tasks WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? STORE_NOT_FOUND : -1;
    *resident_id = db_column_int(st, 0);
    snprintf(kind, 32, "%s", db_column_text(st, 1));
    snprintf(status, 16, "%s", db_column_text(st, 2));
    db_run(st);
    return 0;
}

int store_task_close(struct db *db, int64_t id, const char *status, int64_t user_id,
                     const char *outcome)
{
    static const char SQL[] =
        "UPDATE tasks SET status = ?2, closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
        " closed_by = nullif(?3, 0), outcome = ?4 WHERE id = ?1 AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, status);
    db_bind_int(st, 3, user_id);
    db_bind_text(st, 4, outcome);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 1 : 0;
}

int store_task_set_answers(struct db *db, int64_t id, const char *answers)
{
    static const char SQL[] = "UPDATE tasks SET answers = ?2 WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, answers);
    return db_run(st) == DB_DONE ? 0 : -1;
}

long store_tasks_cancel_for(struct db *db, int64_t resident_id, const char *program,
                            int64_t user_id, const char *outcome)
{
    static const char SQL[] =
        "UPDATE tasks SET status = 'cancelled', closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
        " closed_by = nullif(?3, 0), outcome = ?4"
        " WHERE resident_id = ?1 AND status = 'open' AND (?2 IS NULL OR program = ?2)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, program);
    db_bind_int(st, 3, user_id);
    db_bind_text(st, 4, outcome);
    if (db_run(st) != DB_DONE) return -1;
    return (long)db_changes(db);
}

/* ?2 today, ?3 today+14, ?4 today-90. The status predicates mirror domain/task_status.c:
 * missed first, then overdue, due, upcoming (tests/unit/test_task_status.c checks both). */
#define TASK_MISSED "(t.due_date < ?4 OR (t.next_due IS NOT NULL AND t.next_due < ?2))"
/* The doctor or team filter comes first and as a plain equality, so that the planner walks
 * tasks_doctor_open / tasks_team_open in due-date order instead of every open task (an
 * "?5 = 0 OR ..." form hid the index: 260 ms for a doctor's list at 300k residents). */
#define WORKLIST_FILTERS                                                                           \
    " AND (?5 = 0 OR t.doctor_id = ?5) AND (?6 = 0 OR t.team_id = ?6)"                             \
    " AND (?7 IS NULL OR (r.region >= ?7 AND r.region < ?7 || ';'))"                               \
    " AND (?11 IS NULL OR t.program = ?11)"                                                        \
    " AND (?12 IS NULL OR r.name LIKE '%' || ?12 || '%' OR r.phone_digest = ?13"                   \
    "   OR r.id_digest = ?14)"
#define WORKLIST_WHERE(who)                                                                        \
    " WHERE t.status = 'open' AND " who " AND " SCOPE_VISIBLE WORKLIST_FILTERS
#define BY_DOCTOR "t.doctor_id = ?5"
#define BY_TEAM "t.team_id = ?6"
#define BY_SCOPE "1 = 1"
#define WORKLIST_STATUS                                                                            \
    " AND (?8 < 0 OR (?8 = 3 AND " TASK_MISSED ") OR (NOT " TASK_MISSED " AND ("                   \
    "   (?8 = 2 AND t.due_date < ?2) OR (?8 = 1 AND t.due_date >= ?2 AND t.due_date <= ?3)"        \
    "   OR (?8 = 0 AND t.due_date > ?3))))"
#define WORKLIST_FROM " FROM tasks t JOIN residents r ON r.id = t.resident_id"
/* A list of a scope (no doctor or team named): from the scope's residents through the region
 * index to their tasks, not every open task of the county checked against the scope (855 ms
 * for a village doctor at 300,000 residents before, 31 ms after). */
#define WORKLIST_DRIVEN_FROM SCOPE_DRIVEN_FROM " CROSS JOIN tasks t ON t.resident_id = r.id"
#define WORKLIST_DRIVEN_WHERE " WHERE t.status = 'open'" WORKLIST_FILTERS

static void bind_worklist(struct db_stmt *st, const struct worklist_filter *f, int status)
{
    char today[11], plus14[11], minus90[11];
    date_format(f->today, today);
    date_format(date_add_days(f->today, TASK_DUE_WINDOW_DAYS), plus14);
    date_format(date_add_days(f->today, -TASK_MISSED_AFTER_DAYS), minus90);
    db_bind_int(st, 1, f->user_id);
    db_bind_text(st, 2, today);
    db_bind_text(st, 3, plus14);
    db_bind_text(st, 4, minus90);
    db_bind_int(st, 5, f->doctor_id);
    db_bind_int(st, 6, f->team_id);
    db_bind_text(st, 7, f->region);
    db_bind_int(st, 8, status);
    db_bind_text(st, 11, f->program);
    db_bind_text(st, 12, f->q);
    /* A phone or an ID number is found by its digest (store/pii.h). */
    if (f->q &&
        (pii_bind_digest(st, 13, "phone", f->q) < 0 || pii_bind_digest(st, 14, "id", f->q) < 0))
        db_failure_note();
}

/* "date|a|b" from the row's latest-reading column into {date, a, b} (whole mmHg for a blood
 * pressure, mmol/L for a glucose), or null. */
static json_t *reading(const char *text, const char *a, const char *b)
{
    char date[11];
    double x = 0, y = 0;
    int n = text ? sscanf(text, "%10[^|]|%lf|%lf", date, &x, &y) : 0;
    if (n < 2) return json_null();
    json_t *o = json_pack("{s:s}", "date", date);
    json_object_set_new(o, a, b ? json_integer((json_int_t)x) : json_real(x));
    if (b && n == 3) json_object_set_new(o, b, json_integer((json_int_t)y));
    return o;
}

/* A work-list row; `arg` is the day statuses are computed for. */
static json_t *task_from_row(struct db_stmt *st, void *arg)
{
    const struct date *today = arg;
    struct date due, next, birth;
    int has_next = !db_column_is_null(st, 9) && date_parse(db_column_text(st, 9), &next) == 0;
    date_parse(db_column_text(st, 8), &due);
    date_parse(db_column_text(st, 4), &birth);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
    json_object_set_new(o, "resident_id", json_integer(db_column_int(st, 1)));
    jx_set_string_or_null(o, "resident_name", db_column_text(st, 2));
    jx_set_string_or_null(o, "sex", db_column_text(st, 3));
    json_object_set_new(o, "age", json_integer(date_age_years(birth, *today)));
    jx_set_string_or_null(o, "region", db_column_text(st, 5));
    jx_set_string_or_null(o, "kind", db_column_text(st, 6));
    jx_set_string_or_null(o, "program", db_column_text(st, 7));
    jx_set_string_or_null(o, "due_date", db_column_text(st, 8));
    jx_set_string_or_null(o, "status",
                          task_status_name(task_status_on(due, has_next ? &next : NULL, *today)));
    json_object_set_new(o, "team_id",
                        db_column_is_null(st, 10) ? json_null()
                                                  : json_integer(db_column_int(st, 10)));
    json_object_set_new(o, "doctor_id",
                        db_column_is_null(st, 11) ? json_null()
                                                  : json_integer(db_column_int(st, 11)));
    json_object_set_new(o, "flag_id",
                        db_column_is_null(st, 12) ? json_null()
                                                  : json_integer(db_column_int(st, 12)));
    jx_set_string_or_null(o, "note", db_column_text(st, 13));
    jx_set_string_or_null(o, "flag_reason", db_column_text(st, 14));
    jx_set_string_or_null(o, "flag_note", db_column_text(st, 15));
    json_object_set_new(o, "contract_id",
                        db_column_is_null(st, 16) ? json_null()
                                                  : json_integer(db_column_int(st, 16)));
    json_object_set_new(o, "referral_id",
                        db_column_is_null(st, 17) ? json_null()
                                                  : json_integer(db_column_int(st, 17)));
    /* For the call: the number to dial and the last readings to talk about. */
    pii_set(o, "phone", st, 18);
    json_object_set_new(o, "last_bp", reading(db_column_text(st, 19), "sbp", "dbp"));
    json_object_set_new(o, "last_fbg", reading(db_column_text(st, 20), "fbg", NULL));
    /* The outreach so far: attempts, the last outcome and a visit agreed (store/outreach.h). */
    json_object_set_new(o, "call", store_call_summary_from_text(db_column_text(st, 21)));
    return o;
}

#define WORKLIST_COUNTS_OF(from, where)                                                                   \
    "SELECT coalesce(sum(NOT m AND d > ?3), 0), coalesce(sum(NOT m AND d >= ?2 AND d <= ?3), 0),"         \
    " coalesce(sum(NOT m AND d < ?2), 0), coalesce(sum(m), 0) FROM (SELECT t.due_date AS d, " TASK_MISSED \
    " AS m" from where ") tasks_due"
#define WORKLIST_COUNTS(who) WORKLIST_COUNTS_OF(WORKLIST_FROM, WORKLIST_WHERE(who))
#define WORKLIST_PAGE(who) WORKLIST_PAGE_OF(WORKLIST_FROM, WORKLIST_WHERE(who))
#define WORKLIST_PAGE_OF(from, where)                                                                            \
    "SELECT t.id, t.resident_id, r.name, r.sex, r.birth_date, r.region, t.kind, t.program,"                      \
    " t.due_date, t.next_due, t.team_id, t.doctor_id, t.flag_id, t.note, fl.reason, fl.note, t.contract_id,"     \
    " t.referral_id, r.phone,"                                                                                   \
    " (SELECT f.visit_date || '|' || f.sbp || '|' || f.dbp FROM followups f WHERE f.resident_id = t.resident_id" \
    "   AND f.sbp IS NOT NULL ORDER BY f.visit_date DESC LIMIT 1),"                                              \
    " (SELECT f.visit_date || '|' || f.fbg FROM followups f WHERE f.resident_id = t.resident_id"                 \
    "   AND f.fbg IS NOT NULL ORDER BY f.visit_date DESC LIMIT 1), " CALL_SUMMARY_SQL from                       \
    " LEFT JOIN flags fl ON fl.id = t.flag_id" where WORKLIST_STATUS                                             \
    " AND (?9 = 0 OR (t.due_date, t.id) > ((SELECT due_date FROM tasks WHERE id = ?9), ?9))"                     \
    " ORDER BY t.due_date, t.id LIMIT ?10"

json_t *store_worklist(struct db *db, const struct worklist_filter *f, int limit, int64_t cursor,
                       int64_t *total, int64_t *next_cursor, int64_t counts[4])
{
    static const char *const COUNTS[] = {
        WORKLIST_COUNTS(BY_DOCTOR), WORKLIST_COUNTS(BY_TEAM), WORKLIST_COUNTS(BY_SCOPE),
        WORKLIST_COUNTS_OF(WORKLIST_DRIVEN_FROM, WORKLIST_DRIVEN_WHERE)};
    static const char *const PAGES[] = {
        WORKLIST_PAGE(BY_DOCTOR), WORKLIST_PAGE(BY_TEAM), WORKLIST_PAGE(BY_SCOPE),
        WORKLIST_PAGE_OF(WORKLIST_DRIVEN_FROM, WORKLIST_DRIVEN_WHERE)};
    int wide;
    if (store_scope_load(db, f->user_id, &wide) < 0) return NULL;
    /* A scope of regions (every caller of the work list: a centre, a team's staff) is reached
     * through its residents; the id-order plan is kept for a scope of resident ids. */
    int variant = f->doctor_id ? 0 : f->team_id ? 1 : wide >= 2 ? 2 : 3;
    struct db_stmt *st;
    if (total) { /* NULL: a file's later page, which needs no counts */
        if (!(st = db_prepare(db, COUNTS[variant]))) return NULL;
        bind_worklist(st, f, -1);
        if (db_step(st) != DB_ROW) return NULL;
        for (int s = 0; s < 4; s++)
            counts[s] = db_column_int(st, s); /* enum task_status order */
        db_run(st);
        *total = f->status < 0 ? counts[0] + counts[1] + counts[2] + counts[3] : counts[f->status];
    }
    st = db_prepare(db, PAGES[variant]);
    if (!st) return NULL;
    bind_worklist(st, f, f->status);
    db_bind_int(st, 9, cursor);
    db_bind_int(st, 10, limit + 1);
    return store_read_page(st, limit, next_cursor, task_from_row, (void *)&f->today);
}

json_t *store_resident_open_tasks(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT kind, program, due_date, next_due FROM tasks"
        " WHERE resident_id = ?1 AND status = 'open' AND kind <> 'first_discovery'"
        " ORDER BY due_date, id LIMIT 50";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        jx_set_string_or_null(o, "kind", db_column_text(st, 0));
        jx_set_string_or_null(o, "program", db_column_text(st, 1));
        jx_set_string_or_null(o, "due_date", db_column_text(st, 2));
        jx_set_string_or_null(o, "next_due", db_column_text(st, 3));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int64_t store_census_insert(struct db *db, int64_t household_id, int64_t staff_id,
                            const char *visit_date, int contact_card, int services_explained,
                            const char *plan)
{
    static const char SQL[] =
        "INSERT INTO census_visits (household_id, staff_id, visit_date, contact_card,"
        " services_explained, plan) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, staff_id);
    db_bind_text(st, 3, visit_date);
    db_bind_int(st, 4, contact_card);
    db_bind_int(st, 5, services_explained);
    db_bind_text(st, 6, plan);
    return db_insert_id(st);
}

json_t *store_census_for_household(struct db *db, int64_t household_id)
{
    static const char SQL[] =
        "SELECT c.id, c.visit_date, s.name, c.contact_card, c.services_explained, c.plan"
        " FROM census_visits c JOIN staff s ON s.id = c.staff_id WHERE c.household_id = ?1"
        " ORDER BY c.visit_date DESC, c.id DESC";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, household_id);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
        json_object_set_new(o, "household_id", json_integer(household_id));
        jx_set_string_or_null(o, "visit_date", db_column_text(st, 1));
        jx_set_string_or_null(o, "staff", db_column_text(st, 2));
        json_object_set_new(o, "contact_card", json_boolean(db_column_int(st, 3)));
        json_object_set_new(o, "services_explained", json_boolean(db_column_int(st, 4)));
        jx_set_string_or_null(o, "plan", db_column_text(st, 5));
        json_array_append_new(items, o);
    }
    return items;
}

json_t *store_census_rates(struct db *db, int64_t user_id, const char *region, const char *since)
{
    static const char SQL[] =
        /* per place first (a few hundred groups down households_region_census), then the
         * scope and the children: 50 ms at 94,000 households becomes about 10 */
        "SELECT substr(l.region, 1, ?3) AS child, g.name, sum(l.households), sum(l.visited) FROM"
        " (SELECT h.region, count(*) AS households,"
        "   count(CASE WHEN h.last_census_on >= coalesce(?2, '') THEN 1 END) AS visited"
        "  FROM households h WHERE h.region >= ?1 AND h.region < ?1 || ';' GROUP BY h.region) l"
        " JOIN regions g ON g.code = substr(l.region, 1, ?3) WHERE length(l.region) >= ?3"
        " AND EXISTS (SELECT 1 FROM temp.scope_ranges s WHERE l.region >= s.lo AND l.region < s.hi)"
        " GROUP BY child, g.name ORDER BY child";
    int wide;
    if (store_scope_load(db, user_id, &wide) < 0) return NULL;
    size_t len = strlen(region);
    int child_length = len <= 6 ? 9 : len <= 9 ? 12 : 14;
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_text(st, 1, region);
    db_bind_text(st, 2, since);
    db_bind_int(st, 3, child_length);
    json_t *items = json_array();
    while (db_step(st) == DB_ROW) {
        int64_t households = db_column_int(st, 2), visited = db_column_int(st, 3);
        json_t *o = json_object();
        jx_set_string_or_null(o, "region", db_column_text(st, 0));
        jx_set_string_or_null(o, "name", db_column_text(st, 1));
        json_object_set_new(o, "households", json_integer(households));
        json_object_set_new(o, "visited", json_integer(visited));
        json_object_set_new(
            o, "rate", households ? json_real((double)visited / (double)households) : json_null());
        json_array_append_new(items, o);
    }
    return items;
}
