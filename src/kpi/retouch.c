/* retouch.c - names to the tracker the residents whose counters a grid or settings change
 * moves although none of their own rows changes: the residents of the cells a team gains or
 * loses (their grid team and doctor follow team_cells and teams.doctor_id), and the residents
 * an indicator rule counts differently (the elderly and child age limits, the renewal window).
 *
 * The schema's triggers cannot see these (no row of theirs changes), so the handler calls one
 * of these BEFORE making the change, inside its transaction: the tracker takes each named
 * resident's parts out as they stand, and at the commit puts them back as they stand then
 * (tracker.c reloads the rules for that). A superset is harmless - a resident whose parts did
 * not change is taken out and put back the same - so the sets below are generous. */
#include <stdlib.h>
#include <string.h>

#include "kpi/kpi.h"

/* Reads every resident id the statement answers (column 0), then names each to the tracker:
 * reading first, because a touch prepares statements of its own and may move the cache the
 * statement lives in. 0, or -1. */
static int touch_all(struct db *db, struct db_stmt *st)
{
    if (!st) return -1;
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            size_t bigger = cap ? cap * 2 : 256;
            int64_t *grown = realloc(ids, bigger * sizeof *grown);
            if (!grown) {
                db_release(db);
                free(ids);
                return -1;
            }
            ids = grown;
            cap = bigger;
        }
        ids[n++] = db_column_int(st, 0);
    }
    if (rc == DB_DONE && db->tracker.touch && db->in_transaction)
        for (size_t i = 0; i < n; i++)
            db->tracker.touch(db, ids[i], 0, db->tracker.ctx);
    free(ids);
    return rc == DB_DONE ? 0 : -1;
}

/* Residents registered at one of the codes or anywhere under one (a village cell covers the
 * grid cells below it); `codes` is a JSON array of region codes. */
int kpi_retouch_regions(struct db *db, const char *codes_json)
{
    static const char SQL[] = "SELECT DISTINCT r.id FROM json_each(?1) j JOIN residents r"
                              " ON r.region >= j.value AND r.region < j.value || ':'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (st) db_bind_text(st, 1, codes_json);
    return touch_all(db, st);
}

int kpi_retouch_residents(struct db *db, const char *ids_json)
{
    static const char SQL[] = "SELECT CAST(value AS INTEGER) FROM json_each(?1)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (st) db_bind_text(st, 1, ids_json);
    return touch_all(db, st);
}

int kpi_retouch_team(struct db *db, int64_t team_id)
{
    static const char SQL[] =
        "SELECT DISTINCT r.id FROM team_cells tc JOIN residents r"
        " ON r.region >= tc.region_code AND r.region < tc.region_code || ':' WHERE tc.team_id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (st) db_bind_int(st, 1, team_id);
    return touch_all(db, st);
}

/* Everyone whose age on some day of [first, last] is at least `low` and below `high` (an age
 * limit moving between them), with a week's margin for leap days. */
static int touch_ages(struct db *db, struct date first, struct date last, int low, int high)
{
    static const char SQL[] = "SELECT id FROM residents WHERE birth_date > ?1 AND birth_date <= ?2";
    char from[11], to[11];
    date_format(date_add_days(date_add_years(first, -high), -7), from);
    date_format(date_add_days(date_add_years(last, -low), 7), to);
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    return touch_all(db, st);
}

int kpi_retouch_rules(struct db *db, const struct kpi_rules *before, const struct kpi_rules *after)
{
    struct kpi_frame frame;
    if (kpi_frame_load(db, &frame) < 0) return -1;
    if (!frame.as_of.year || frame.n == 0) return 0; /* never built: nothing counted yet */
    struct date first = frame.periods[0].first, last = frame.as_of;
    int limits[2][2] = {{before->elderly_age, after->elderly_age},
                        {before->child_age_below, after->child_age_below}};
    for (int i = 0; i < 2; i++) {
        int low = limits[i][0] < limits[i][1] ? limits[i][0] : limits[i][1];
        int high = limits[i][0] < limits[i][1] ? limits[i][1] : limits[i][0];
        if (low != high && touch_ages(db, first, last, low, high) < 0) return -1;
    }
    /* Another JE or hepatitis A vaccine changes the doses owed by children under 7 then. */
    if ((before->immunisation_je_inactivated != after->immunisation_je_inactivated ||
         before->immunisation_hepa_inactivated != after->immunisation_hepa_inactivated) &&
        touch_ages(db, first, last, 0, 7) < 0)
        return -1;
    if (before->renewal_days != after->renewal_days) {
        /* Renewal counts the contracts that reached their term in a covered period. */
        static const char SQL[] =
            "SELECT DISTINCT resident_id FROM contracts WHERE end_date >= ?1 AND end_date <= ?2";
        char from[11], to[11];
        date_format(date_add_days(first, -1), from);
        date_format(date_add_days(last, 1), to);
        struct db_stmt *st = db_prepare(db, SQL);
        if (!st) return -1;
        db_bind_text(st, 1, from);
        db_bind_text(st, 2, to);
        if (touch_all(db, st) < 0) return -1;
    }
    return 0;
}
