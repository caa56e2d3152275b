/* certificates.c (store) - see certificates.h. */
#include "store/certificates.h"

#include <stdio.h>
#include <string.h>

#include "store/page.h"

static int event(struct db *db, int64_t id, const char *from, const char *to, const char *on,
                 int64_t by, const char *note)
{
    static const char SQL[] =
        "INSERT INTO certificate_events (certificate_id, from_status, to_status, on_date,"
        " by_user, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, to);
    db_bind_text(st, 4, on);
    if (by) db_bind_int(st, 5, by);
    db_bind_text(st, 6, note);
    return db_run(st) == DB_DONE ? 0 : -1;
}

int64_t store_certificate_insert(struct db *db, const struct certificate_input *in)
{
    static const char SQL[] =
        "INSERT INTO chronic_certificates (resident_id, disease, diagnosis, team_id, doctor_id,"
        " county_code, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->disease);
    db_bind_text(st, 3, in->diagnosis);
    if (in->team_id) db_bind_int(st, 4, in->team_id);
    if (in->doctor_id) db_bind_int(st, 5, in->doctor_id);
    db_bind_text(st, 6, in->county_code);
    if (in->created_by) db_bind_int(st, 7, in->created_by);
    int64_t id = db_insert_id(st);
    return id > 0 && event(db, id, NULL, "screened", in->on, in->created_by, NULL) < 0 ? DB_ERROR
                                                                                       : id;
}

int store_certificate_open(struct db *db, int64_t resident_id, const char *disease)
{
    static const char SQL[] =
        "SELECT count(*) FROM chronic_certificates WHERE resident_id = ?1 AND disease = ?2"
        " AND status NOT IN ('rejected', 'expired')";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_text(st, 2, disease);
    int64_t n = db_query_int(st, -1);
    return n < 0 ? -1 : n > 0;
}

int store_certificate_get(struct db *db, int64_t id, struct certificate_row *out)
{
    static const char SQL[] =
        "SELECT id, resident_id, coalesce(team_id, 0), coalesce(doctor_id, 0), status,"
        " county_code, disease FROM chronic_certificates WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    memset(out, 0, sizeof *out);
    out->id = db_column_int(st, 0);
    out->resident_id = db_column_int(st, 1);
    out->team_id = db_column_int(st, 2);
    out->doctor_id = db_column_int(st, 3);
    snprintf(out->status, sizeof out->status, "%s", db_column_text(st, 4));
    snprintf(out->county, sizeof out->county, "%s", db_column_text(st, 5));
    snprintf(out->disease, sizeof out->disease, "%s", db_column_text(st, 6));
    db_run(st);
    return 1;
}

int store_certificate_move(struct db *db, int64_t id, const char *from,
                           const struct certificate_change *c)
{
    /* A grant sets its number and term; a rejection its reason; other steps keep them. */
    static const char SQL[] =
        "UPDATE chronic_certificates SET status = ?3, number = coalesce(?4, number),"
        " valid_from = coalesce(?5, valid_from), valid_to = coalesce(?6, valid_to),"
        " reason = CASE WHEN ?3 = 'rejected' THEN ?7 ELSE reason END WHERE id = ?1 AND status = ?2";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, from);
    db_bind_text(st, 3, c->to);
    db_bind_text(st, 4, c->number);
    db_bind_text(st, 5, c->valid_from);
    db_bind_text(st, 6, c->valid_to);
    db_bind_text(st, 7, c->reason);
    if (db_run(st) != DB_DONE) return -1;
    if (db_changes(db) != 1) return 0;
    return event(db, id, from, c->to, c->on, c->by_user, c->note ? c->note : c->reason) < 0 ? -1
                                                                                            : 1;
}

#define CERT_COLUMNS                                                                                     \
    "c.id, c.resident_id, r.name, c.disease, c.diagnosis, c.status, c.number, c.valid_from, c.valid_to," \
    " c.reason, c.team_id"

static json_t *row_json(struct db_stmt *st)
{
    json_t *o = json_pack(
        "{s:I,s:I,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?}", "id", (json_int_t)db_column_int(st, 0),
        "resident_id", (json_int_t)db_column_int(st, 1), "name", db_column_text(st, 2), "disease",
        db_column_text(st, 3), "diagnosis", db_column_text(st, 4), "status", db_column_text(st, 5),
        "number", db_column_text(st, 6), "valid_from", db_column_text(st, 7), "valid_to",
        db_column_text(st, 8), "reason", db_column_text(st, 9));
    json_object_set_new(o, "team_id",
                        db_column_is_null(st, 10) ? json_null()
                                                  : json_integer(db_column_int(st, 10)));
    return o;
}

static int add_events(struct db *db, json_t *o)
{
    static const char EVENTS[] =
        "SELECT from_status, to_status, on_date, note FROM certificate_events"
        " WHERE certificate_id = ?1 ORDER BY id";
    struct db_stmt *e = db_prepare(db, EVENTS);
    if (!e) return -1;
    db_bind_int(e, 1, json_integer_value(json_object_get(o, "id")));
    json_t *events = json_array();
    int rc;
    while ((rc = db_step(e)) == DB_ROW)
        json_array_append_new(events,
                              json_pack("{s:s?,s:s,s:s,s:s?}", "from", db_column_text(e, 0), "to",
                                        db_column_text(e, 1), "on", db_column_text(e, 2), "note",
                                        db_column_text(e, 3)));
    json_object_set_new(o, "events", events);
    return rc == DB_DONE ? 0 : -1;
}

json_t *store_certificate_json(struct db *db, int64_t id)
{
    static const char SQL[] =
        "SELECT " CERT_COLUMNS
        " FROM chronic_certificates c JOIN residents r ON r.id = c.resident_id"
        " WHERE c.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    json_t *o = row_json(st);
    db_run(st);
    if (add_events(db, o) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *store_certificates_of(struct db *db, int64_t resident_id)
{
    static const char SQL[] =
        "SELECT id FROM chronic_certificates WHERE resident_id = ?1 ORDER BY id DESC";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    return store_objects_by_id(db, st, 500, store_certificate_json);
}

json_t *store_certificates_of_team(struct db *db, int64_t team_id, const char *status)
{
    static const char SQL[] = "SELECT id FROM chronic_certificates WHERE team_id = ?1"
                              " AND (?2 IS NULL OR status = ?2) ORDER BY id DESC LIMIT 500";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, team_id);
    db_bind_text(st, 2, status);
    return store_objects_by_id(db, st, 500, store_certificate_json);
}

long store_certificates_daily(struct db *db, struct date today)
{
    static const char LAPSED[] =
        "SELECT id FROM chronic_certificates WHERE status = 'granted' AND valid_to < ?1 LIMIT 500";
    char day[11];
    date_format(today, day);
    long expired = 0;
    for (;;) {
        if (db_begin(db) != DB_DONE) return -1;
        struct db_stmt *st = db_prepare(db, LAPSED);
        int64_t ids[500];
        int n = 0, rc = DB_ERROR;
        if (st) {
            db_bind_text(st, 1, day);
            while ((rc = db_step(st)) == DB_ROW)
                ids[n++] = db_column_int(st, 0);
        }
        struct certificate_change c = {.to = "expired", .on = day, .note = "term_ended"};
        for (int i = 0; rc == DB_DONE && i < n; i++)
            if (store_certificate_move(db, ids[i], "granted", &c) < 0) rc = DB_ERROR;
        if (rc != DB_DONE || db_commit(db) != DB_DONE) {
            db_rollback(db);
            return -1;
        }
        expired += n;
        if (n < 500) return expired;
    }
}
