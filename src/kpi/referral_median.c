/* referral_median.c - referral_seen_days_median, see kpi.h. */
#include <stdlib.h>

#include "kpi/kpi.h"

int kpi_referral_seen_median(struct db *db, const struct kpi_scope *scope, struct date first,
                             struct date as_of, struct kpi_parts *parts)
{
    /* ?1 first, ?2 as_of, ?3 kind, ?4 region prefix, ?5 team/doctor/institution id. */
    static const char SQL[] =
        "SELECT CAST(julianday(f.seen_on) - julianday(f.referred_on) AS INTEGER)"
        " FROM referrals f JOIN residents p ON p.id = f.resident_id"
        " WHERE f.direction = 'up' AND f.seen_on >= ?1 AND f.seen_on <= ?2 AND f.status <> 'cancelled'"
        " AND CASE ?3 WHEN 'r' THEN p.region LIKE ?4 || '%'"
        "  ELSE EXISTS (SELECT 1 FROM contracts c JOIN teams t ON t.id = c.team_id"
        "   WHERE c.resident_id = p.id AND c.start_date <= ?2 AND coalesce(c.ended_on, c.end_date) >= ?2"
        "   AND CASE ?3 WHEN 't' THEN c.team_id = ?5 WHEN 'd' THEN c.doctor_id = ?5 ELSE t.institution_id = ?5 END)"
        " END";
    char first_text[11], as_of_text[11], kind[2] = {scope->kind, 0};
    date_format(first, first_text);
    date_format(as_of, as_of_text);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, first_text);
    db_bind_text(st, 2, as_of_text);
    db_bind_text(st, 3, kind);
    db_bind_text(st, 4, scope->prefix);
    db_bind_int(st, 5, scope->id);
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
