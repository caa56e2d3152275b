/* home_care.c (store) - see home_care.h. */
#include "store/home_care.h"

#include "domain/visit_priority.h"
#include "store/slices.h"
#include "util/log.h"

#define SLICE_ROWS 2000

struct window {
    char eighty[11], year_start[11], due[11], year_end[11];
};

static long annual_slice(struct db *db, void *ctx)
{
    const struct window *w = ctx;
    /* ?1 born on or before: 80 today; ?2 the year's first day; ?3 due; ?4 the year's last. */
    static const char SQL[] =
        "INSERT INTO tasks (resident_id, team_id, doctor_id, kind, due_date, next_due, note, county_code)"
        " SELECT r.id, c.team_id, c.doctor_id, 'home_visit_annual', ?3, ?4, 'free_home_visit', r.county_code"
        " FROM contracts c JOIN residents r ON r.id = c.resident_id"
        " WHERE c.status = 'active' AND r.status = 'alive'"
        " AND (r.birth_date <= ?1 OR EXISTS (SELECT 1 FROM followups f WHERE f.resident_id = r.id"
        "   AND f.program = 'elderly' AND json_valid(f.result)"
        "   AND json_extract(f.result, '$.self_care_level') = 'unable'"
        "   AND NOT EXISTS (SELECT 1 FROM followups l WHERE l.resident_id = r.id AND l.program = 'elderly'"
        "     AND (l.visit_date > f.visit_date OR (l.visit_date = f.visit_date AND l.id > f.id)))))"
        " AND NOT EXISTS (SELECT 1 FROM encounters e WHERE e.resident_id = r.id AND e.at_home = 1"
        "   AND e.encounter_date >= ?2)"
        " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.resident_id = r.id AND t.kind = 'home_visit_annual'"
        "   AND (t.status = 'open' OR t.due_date >= ?2))"
        " ORDER BY r.id LIMIT ?5";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, w->eighty);
    db_bind_text(st, 2, w->year_start);
    db_bind_text(st, 3, w->due);
    db_bind_text(st, 4, w->year_end);
    db_bind_int(st, 5, SLICE_ROWS);
    if (db_run(st) != DB_DONE) return -1;
    return (long)db_changes(db);
}

long store_home_visits_daily(struct db *db, struct date today)
{
    struct window w;
    struct date first = {today.year, 1, 1}, last = {today.year, 12, 31};
    struct date due = date_add_days(today, 30);
    date_format(date_add_years(today, -VISIT_PRIORITY_AGE), w.eighty);
    date_format(first, w.year_start);
    date_format(date_compare(due, last) > 0 ? last : due, w.due);
    date_format(last, w.year_end);
    struct slices seen = {0};
    long opened = store_in_slices(db, annual_slice, &w, &seen);
    if (opened >= 0)
        log_info("daily home visits: %ld opened in %ld transactions", opened, seen.transactions);
    return opened;
}

int store_home_visit_made(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "UPDATE tasks SET status = 'done', closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE resident_id = ?1 AND kind = 'home_visit_annual' AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}
