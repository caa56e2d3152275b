/* screening_invites.c (store) - see screening_invites.h. */
#include "store/screening_invites.h"

#include <stddef.h>

#include "domain/cancer_screening.h"
#include "util/log.h"

long store_screening_invitations_daily(struct db *db, struct date today)
{
    /* ?1 service, ?2 sex ('' both), ?3..?4 born between, ?5 screened or invited since,
     * ?6 due. */
    static const char SQL[] =
        "INSERT INTO tasks (resident_id, team_id, doctor_id, kind, program, due_date, note, contract_id, county_code)"
        " SELECT r.id, c.team_id, c.doctor_id, 'screening_invite', ?1, ?6, 'invitation', c.id, r.county_code"
        " FROM contracts c JOIN residents r ON r.id = c.resident_id"
        " WHERE c.status = 'active' AND r.status = 'alive' AND (?2 = '' OR r.sex = ?2)"
        " AND r.birth_date >= ?3 AND r.birth_date <= ?4"
        " AND EXISTS (SELECT 1 FROM entitlements e WHERE e.contract_id = c.id AND e.service = ?1 AND e.used < e.quantity)"
        " AND NOT EXISTS (SELECT 1 FROM deliveries d JOIN entitlements x ON x.id = d.entitlement_id"
        "   JOIN contracts k ON k.id = d.contract_id WHERE k.resident_id = r.id AND x.service = ?1"
        "   AND d.delivered_on >= ?5)"
        " AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.resident_id = r.id AND t.kind = 'screening_invite'"
        "   AND t.program = ?1 AND (t.status = 'open' OR t.due_date >= ?5))";
    long opened = 0;
    char due[11];
    date_format(date_add_days(today, CANCER_INVITE_DAYS), due);
    for (int k = 0; k < CANCER_SCREENING_COUNT; k++) {
        const struct cancer_screening *s = &CANCER_SCREENINGS[k];
        struct date from, to, since;
        cancer_screening_window(s, today, &from, &to, &since);
        char from_text[11], to_text[11], since_text[11], sex[2] = {s->sex, '\0'};
        date_format(from, from_text);
        date_format(to, to_text);
        date_format(since, since_text);
        if (db_begin(db) != DB_DONE) return -1;
        struct db_stmt *st = db_prepare(db, SQL);
        int ok = st != NULL;
        if (ok) {
            db_bind_text(st, 1, s->service);
            db_bind_text(st, 2, sex);
            db_bind_text(st, 3, from_text);
            db_bind_text(st, 4, to_text);
            db_bind_text(st, 5, since_text);
            db_bind_text(st, 6, due);
            ok = db_run(st) == DB_DONE;
        }
        long n = ok ? (long)db_changes(db) : -1;
        if (!ok || db_commit(db) != DB_DONE) {
            db_rollback(db);
            return -1;
        }
        opened += n;
    }
    log_info("daily screening invitations: %ld opened", opened);
    return opened;
}

int store_screening_delivered(struct db *db, int64_t resident_id, const char *service)
{
    static const char SQL[] =
        "UPDATE tasks SET status = 'done', closed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"
        " WHERE resident_id = ?1 AND kind = 'screening_invite' AND program = ?2 AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, service);
    return db_run(st) == DB_DONE ? 0 : -1;
}
