/* assessments.c (store) - see assessments.h. */
#include "store/assessments.h"

#include <stdio.h>
#include <string.h>

#include "store/pii.h"

int64_t store_assessment_round_insert(struct db *db, const struct assessment_round_input *in)
{
    static const char SQL[] =
        "INSERT INTO assessment_rounds (level, period, period_first, period_last, institution_id, region,"
        " sample_per_team, full_rate, created_by, county_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
        " RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, in->level);
    db_bind_text(st, 2, in->period);
    db_bind_text(st, 3, in->first);
    db_bind_text(st, 4, in->last);
    if (in->institution_id)
        db_bind_int(st, 5, in->institution_id);
    else
        db_bind_null(st, 5);
    db_bind_text(st, 6, in->region);
    db_bind_int(st, 7, in->sample_per_team);
    db_bind_int(st, 8, in->full_rate);
    if (in->created_by)
        db_bind_int(st, 9, in->created_by);
    else
        db_bind_null(st, 9);
    db_bind_text(st, 10, in->county_code);
    return db_insert_id(st);
}

int store_assessment_sample(struct db *db, int64_t round_id, int64_t team_id, const char *first,
                            const char *last, int n)
{
    /* A multiplicative hash of the record's id and the round's: a fixed, well-mixed order
     * that both engines compute alike in 64-bit integers. */
    static const char SQL[] =
        "INSERT INTO assessment_checks (round_id, team_id, kind, record_id, resident_id, record_date)"
        " SELECT ?1, ?2, x.kind, x.id, x.resident_id, x.day FROM ("
        "  SELECT 'followup' AS kind, f.id AS id, f.resident_id AS resident_id, f.visit_date AS day FROM followups f"
        "   JOIN residents p ON p.id = f.resident_id AND p.status = 'alive'"
        "   WHERE f.visit_date >= ?3 AND f.visit_date <= ?4 AND f.mode <> 'device'"
        "     AND f.staff_id IN (SELECT m.staff_id FROM team_members m WHERE m.team_id = ?2)"
        /* the team's own people: signed with it, or living in its grid cells (a member on two
         * teams brings only this team's patients) */
        "     AND (EXISTS (SELECT 1 FROM contracts k WHERE k.resident_id = f.resident_id AND k.team_id = ?2"
        "            AND k.status = 'active')"
        "          OR EXISTS (SELECT 1 FROM team_cells tc WHERE tc.team_id = ?2 AND tc.region_code = p.region))"
        "  UNION ALL"
        "  SELECT 'contract', c.id, c.resident_id, c.start_date FROM contracts c"
        "   JOIN residents p ON p.id = c.resident_id AND p.status = 'alive'"
        "   WHERE c.team_id = ?2 AND c.start_date >= ?3 AND c.start_date <= ?4 AND c.status <> 'scheduled'"
        " ) x ORDER BY (x.id * 2654435761 + ?1 * 40503 + CASE x.kind WHEN 'contract' THEN 7 ELSE 0 END) % 1000003,"
        " x.kind, x.id LIMIT ?5";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, round_id);
    db_bind_int(st, 2, team_id);
    db_bind_text(st, 3, first);
    db_bind_text(st, 4, last);
    db_bind_int(st, 5, n);
    if (db_run(st) != DB_DONE) return -1;
    return (int)db_changes(db);
}

int store_assessment_round_get(struct db *db, int64_t id, struct assessment_round_row *out)
{
    static const char SQL[] =
        "SELECT id, coalesce(institution_id, 0), level, period, period_first, period_last,"
        " region, status, full_rate FROM assessment_rounds WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->institution_id = db_column_int(st, 1);
        snprintf(out->level, sizeof out->level, "%s", db_column_text(st, 2));
        snprintf(out->period, sizeof out->period, "%s", db_column_text(st, 3));
        snprintf(out->first, sizeof out->first, "%s", db_column_text(st, 4));
        snprintf(out->last, sizeof out->last, "%s", db_column_text(st, 5));
        snprintf(out->region, sizeof out->region, "%s", db_column_text(st, 6));
        snprintf(out->status, sizeof out->status, "%s", db_column_text(st, 7));
        out->full_rate = (int)db_column_int(st, 8);
    }
    db_run(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The round's columns; statements are static strings (the statement cache keys on their
 * address), so each query appends its tail to this at compile time. */
#define ROUND_COLUMNS                                                                                    \
    "SELECT r.id, r.level, r.period, r.period_first, r.period_last, r.institution_id, i.name, r.region," \
    " r.sample_per_team, r.full_rate, r.status, r.signed_off_at, u.username, r.created_at,"              \
    " (SELECT count(*) FROM assessment_checks c WHERE c.round_id = r.id),"                               \
    " (SELECT count(*) FROM assessment_checks c WHERE c.round_id = r.id AND c.outcome IS NULL)"          \
    " FROM assessment_rounds r LEFT JOIN institutions i ON i.id = r.institution_id"                      \
    " LEFT JOIN users u ON u.id = r.signed_off_by"

static json_t *round_row_json(struct db_stmt *st)
{
    json_t *o =
        json_pack("{s:I,s:s,s:s,s:s,s:s,s:s?,s:s,s:i,s:i,s:s,s:s?,s:s?,s:s,s:i,s:i}", "id",
                  (json_int_t)db_column_int(st, 0), "level", db_column_text(st, 1), "period",
                  db_column_text(st, 2), "period_first", db_column_text(st, 3), "period_last",
                  db_column_text(st, 4), "institution", db_column_text(st, 6), "region",
                  db_column_text(st, 7), "sample_per_team", (int)db_column_int(st, 8), "full_rate",
                  (int)db_column_int(st, 9), "status", db_column_text(st, 10), "signed_off_at",
                  db_column_text(st, 11), "signed_off_by", db_column_text(st, 12), "created_at",
                  db_column_text(st, 13), "checks", (int)db_column_int(st, 14), "pending",
                  (int)db_column_int(st, 15));
    if (o)
        json_object_set_new(o, "institution_id",
                            db_column_is_null(st, 5) ? json_null()
                                                     : json_integer(db_column_int(st, 5)));
    return o;
}

/* Every row of `st` built by one(st) into an array; NULL on error. */
static json_t *rows_json(struct db_stmt *st, json_t *(*one)(struct db_stmt *st))
{
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = one(st);
        if (o) json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *store_assessment_rounds_list(struct db *db, int limit)
{
    static const char SQL[] = ROUND_COLUMNS " ORDER BY r.id DESC LIMIT ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, limit);
    return rows_json(st, round_row_json);
}

static json_t *team_row_json(struct db_stmt *st)
{
    json_t *o = json_pack("{s:I,s:s,s:i,s:i,s:i,s:i}", "team_id", (json_int_t)db_column_int(st, 0),
                          "team", db_column_text(st, 1), "confirmed", (int)db_column_int(st, 2),
                          "not_confirmed", (int)db_column_int(st, 3), "unreachable",
                          (int)db_column_int(st, 4), "pending", (int)db_column_int(st, 5));
    if (!o) return NULL;
    json_object_set_new(o, "coefficient",
                        db_column_is_null(st, 6) ? json_null()
                                                 : json_real((double)db_column_int(st, 6) / 1000));
    json_object_set_new(
        o, "judged", db_column_is_null(st, 7) ? json_null() : json_boolean(db_column_int(st, 7)));
    return o;
}

/* Each team of the round: its tally and, once signed off, its result. */
static json_t *teams_json(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT c.team_id, t.name, sum(CASE WHEN c.outcome = 'confirmed' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN c.outcome = 'not_confirmed' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN c.outcome = 'unreachable' THEN 1 ELSE 0 END), sum(CASE WHEN c.outcome IS NULL THEN 1 ELSE 0 END),"
        " max(a.coefficient), max(a.judged)"
        " FROM assessment_checks c JOIN teams t ON t.id = c.team_id"
        " LEFT JOIN assessment_results a ON a.round_id = c.round_id AND a.team_id = c.team_id"
        " WHERE c.round_id = ?1 GROUP BY c.team_id, t.name ORDER BY c.team_id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    return rows_json(st, team_row_json);
}

static json_t *check_row_json(struct db_stmt *st)
{
    char phone[SEAL_PLAIN_MAX + 1];
    return json_pack("{s:I,s:I,s:s,s:I,s:I,s:s,s:s?,s:s,s:s?,s:s?,s:s?,s:s?,s:s?}", "id",
                     (json_int_t)db_column_int(st, 0), "team_id", (json_int_t)db_column_int(st, 1),
                     "kind", db_column_text(st, 2), "record_id", (json_int_t)db_column_int(st, 3),
                     "resident_id", (json_int_t)db_column_int(st, 4), "name", db_column_text(st, 5),
                     "phone", pii_column(st, 6, phone), "record_date", db_column_text(st, 7),
                     "program", db_column_text(st, 8), "mode", db_column_text(st, 9), "outcome",
                     db_column_text(st, 10), "finding", db_column_text(st, 11), "checked_at",
                     db_column_text(st, 12));
}

static json_t *checks_json(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT c.id, c.team_id, c.kind, c.record_id, c.resident_id, p.name, p.phone, c.record_date,"
        " f.program, f.mode, c.outcome, c.finding, c.checked_at"
        " FROM assessment_checks c JOIN residents p ON p.id = c.resident_id"
        " LEFT JOIN followups f ON c.kind = 'followup' AND f.id = c.record_id"
        " WHERE c.round_id = ?1 ORDER BY c.team_id, c.id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    return rows_json(st, check_row_json);
}

json_t *store_assessment_round_json(struct db *db, int64_t id, int checks)
{
    static const char SQL[] = ROUND_COLUMNS " WHERE r.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) {
        db_run(st);
        return NULL;
    }
    json_t *o = round_row_json(st);
    db_run(st);
    json_t *teams = teams_json(db, id), *list = checks ? checks_json(db, id) : json_array();
    if (!o || !teams || !list) {
        json_decref(o);
        json_decref(teams);
        json_decref(list);
        return NULL;
    }
    json_object_set_new(o, "teams", teams);
    if (checks)
        json_object_set_new(o, "items", list);
    else
        json_decref(list);
    return o;
}

int store_assessment_check_get(struct db *db, int64_t round_id, int64_t check_id, int64_t *team_id,
                               int64_t *resident_id)
{
    static const char SQL[] =
        "SELECT team_id, resident_id FROM assessment_checks WHERE id = ?1 AND round_id = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, check_id);
    db_bind_int(st, 2, round_id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *team_id = db_column_int(st, 0);
        *resident_id = db_column_int(st, 1);
    }
    db_run(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int store_assessment_check_set(struct db *db, int64_t check_id, const char *outcome,
                               const char *finding, int64_t user_id)
{
    static const char SQL[] =
        "UPDATE assessment_checks SET outcome = ?2, finding = ?3, checked_by = ?4,"
        " checked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, check_id);
    db_bind_text(st, 2, outcome);
    db_bind_text(st, 3, finding);
    db_bind_int(st, 4, user_id);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_assessment_tallies(struct db *db, int64_t round_id, int64_t *teams,
                             struct assessment_tally *tallies, int max,
                             struct assessment_tally *total)
{
    static const char SQL[] =
        "SELECT team_id, sum(CASE WHEN outcome = 'confirmed' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN outcome = 'not_confirmed' THEN 1 ELSE 0 END),"
        " sum(CASE WHEN outcome = 'unreachable' THEN 1 ELSE 0 END), sum(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END)"
        " FROM assessment_checks WHERE round_id = ?1 GROUP BY team_id ORDER BY team_id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, round_id);
    *total = (struct assessment_tally){0};
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        struct assessment_tally t = {(int)db_column_int(st, 1), (int)db_column_int(st, 2),
                                     (int)db_column_int(st, 3), (int)db_column_int(st, 4)};
        total->confirmed += t.confirmed;
        total->not_confirmed += t.not_confirmed;
        total->unreachable += t.unreachable;
        total->pending += t.pending;
        if (n < max) {
            teams[n] = db_column_int(st, 0);
            tallies[n++] = t;
        }
    }
    return rc == DB_DONE ? n : -1;
}

int store_assessment_result_insert(struct db *db, int64_t round_id, int64_t team_id,
                                   const struct assessment_tally *t, int judged, int coefficient)
{
    static const char SQL[] =
        "INSERT INTO assessment_results (round_id, team_id, confirmed, not_confirmed,"
        " unreachable, judged, coefficient) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, round_id);
    db_bind_int(st, 2, team_id);
    db_bind_int(st, 3, t->confirmed);
    db_bind_int(st, 4, t->not_confirmed);
    db_bind_int(st, 5, t->unreachable);
    db_bind_int(st, 6, judged);
    db_bind_int(st, 7, coefficient);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int store_assessment_sign_off(struct db *db, int64_t round_id, int64_t user_id)
{
    static const char SQL[] =
        "UPDATE assessment_rounds SET status = 'signed_off', signed_off_by = ?2,"
        " signed_off_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1 AND status = 'open'";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, round_id);
    db_bind_int(st, 2, user_id);
    if (db_run(st) != DB_DONE) return -1;
    return db_changes(db) == 1 ? 0 : 1;
}

int store_assessment_coefficient(struct db *db, int64_t team_id, const char *first,
                                 const char *last, int *coefficient, int64_t *round_id)
{
    static const char SQL[] =
        "SELECT a.coefficient, a.round_id FROM assessment_results a JOIN assessment_rounds r ON r.id = a.round_id"
        " WHERE a.team_id = ?1 AND r.status = 'signed_off' AND r.period_first <= ?3 AND r.period_last >= ?2"
        " ORDER BY a.coefficient, a.round_id LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, team_id);
    db_bind_text(st, 2, first);
    db_bind_text(st, 3, last);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        *coefficient = (int)db_column_int(st, 0);
        *round_id = db_column_int(st, 1);
    }
    db_run(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}
