/* surveys.c (store) - see surveys.h. */
#include "store/surveys.h"

#include <stdio.h>
#include <string.h>

#include "json/jsonx.h"

int store_questionnaire_load(struct db *db, const char *code, struct survey_questionnaire *out)
{
    static const char HEAD[] =
        "SELECT id, code, interval_days, coalesce(overall_item, 0) FROM questionnaires"
        " WHERE code = ?1 AND active = 1";
    static const char ITEMS[] =
        "SELECT n, scale_min, scale_max, reverse, dimension FROM questionnaire_items"
        " WHERE questionnaire_id = ?1 ORDER BY n";
    struct db_stmt *st = db_prepare(db, HEAD);
    if (!st) return -1;
    db_bind_text(st, 1, code);
    int rc = db_step(st);
    if (rc == DB_DONE) return 0;
    if (rc != DB_ROW) return -1;
    memset(out, 0, sizeof *out);
    out->id = db_column_int(st, 0);
    snprintf(out->code, sizeof out->code, "%s", db_column_text(st, 1));
    out->interval_days = (int)db_column_int(st, 2);
    out->overall_item = (int)db_column_int(st, 3);
    db_run(st);
    if (!(st = db_prepare(db, ITEMS))) return -1;
    db_bind_int(st, 1, out->id);
    while ((rc = db_step(st)) == DB_ROW) {
        if (out->q.count == QUESTIONNAIRE_MAX_ITEMS) {
            db_run(st);
            return -1;
        }
        struct questionnaire_item *it = &out->q.items[out->q.count++];
        it->n = (int)db_column_int(st, 0);
        it->min = (int)db_column_int(st, 1);
        it->max = (int)db_column_int(st, 2);
        it->reverse = (int)db_column_int(st, 3);
        snprintf(it->dimension, sizeof it->dimension, "%s", db_column_text(st, 4));
    }
    return rc == DB_DONE ? 1 : -1;
}

json_t *store_questionnaires_list(struct db *db, int en)
{
    static const char HEAD[] =
        "SELECT id, code, CASE WHEN ?1 THEN name_en ELSE name_zh END, interval_days"
        " FROM questionnaires WHERE active = 1 ORDER BY id";
    static const char DIMS[] =
        "SELECT code, CASE WHEN ?2 THEN name_en ELSE name_zh END"
        " FROM questionnaire_dimensions WHERE questionnaire_id = ?1 ORDER BY rowid";
    static const char ITEMS[] =
        "SELECT n, CASE WHEN ?2 THEN text_en ELSE text_zh END, scale_min, scale_max,"
        " reverse, dimension FROM questionnaire_items WHERE questionnaire_id = ?1 ORDER BY n";
    struct db_stmt *st = db_prepare(db, HEAD);
    if (!st) return NULL;
    db_bind_int(st, 1, en);
    json_t *list = json_array();
    int64_t ids[32];
    size_t n = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == sizeof ids / sizeof ids[0]) continue;
        ids[n++] = db_column_int(st, 0);
        json_t *o = json_object();
        jx_set_string_or_null(o, "code", db_column_text(st, 1));
        jx_set_string_or_null(o, "name", db_column_text(st, 2));
        json_object_set_new(o, "interval_days", json_integer(db_column_int(st, 3)));
        json_array_append_new(list, o);
    }
    if (rc != DB_DONE) goto fail;
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(list, i), *dims = json_array(), *items = json_array();
        json_object_set_new(o, "dimensions", dims);
        json_object_set_new(o, "items", items);
        if (!(st = db_prepare(db, DIMS))) goto fail;
        db_bind_int(st, 1, ids[i]);
        db_bind_int(st, 2, en);
        while ((rc = db_step(st)) == DB_ROW)
            json_array_append_new(dims, json_pack("{s:s, s:s}", "code", db_column_text(st, 0),
                                                  "name", db_column_text(st, 1)));
        if (rc != DB_DONE || !(st = db_prepare(db, ITEMS))) goto fail;
        db_bind_int(st, 1, ids[i]);
        db_bind_int(st, 2, en);
        while ((rc = db_step(st)) == DB_ROW)
            json_array_append_new(
                items, json_pack("{s:I, s:s, s:I, s:I, s:b, s:s}", "n",
                                 (json_int_t)db_column_int(st, 0), "text", db_column_text(st, 1),
                                 "scale_min", (json_int_t)db_column_int(st, 2), "scale_max",
                                 (json_int_t)db_column_int(st, 3), "reverse",
                                 (int)db_column_int(st, 4), "dimension", db_column_text(st, 5)));
        if (rc != DB_DONE) goto fail;
    }
    return list;
fail:
    json_decref(list);
    return NULL;
}

int64_t store_survey_response_insert(struct db *db, const struct survey_response_input *in)
{
    static const char RESPONSE[] =
        "INSERT INTO survey_responses (questionnaire_id, resident_id, team_id, channel, answered_on, total,"
        " recorded_by, satisfaction_id, county_code)"
        " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, county_code FROM residents WHERE id = ?2 RETURNING id";
    static const char ANSWER[] =
        "INSERT INTO survey_answers (response_id, n, value, scored) VALUES (?1, ?2, ?3, ?4)";
    struct db_stmt *st = db_prepare(db, RESPONSE);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->questionnaire_id);
    db_bind_int(st, 2, in->resident_id);
    if (in->team_id)
        db_bind_int(st, 3, in->team_id);
    else
        db_bind_null(st, 3);
    db_bind_text(st, 4, in->channel);
    db_bind_text(st, 5, in->answered_on);
    db_bind_int(st, 6, in->score->total);
    if (in->recorded_by)
        db_bind_int(st, 7, in->recorded_by);
    else
        db_bind_null(st, 7);
    if (in->satisfaction_id)
        db_bind_int(st, 8, in->satisfaction_id);
    else
        db_bind_null(st, 8);
    int64_t id = db_insert_id(st);
    if (id < 0) return id;
    for (int i = 0; i < in->q->count; i++) {
        if (!(st = db_prepare(db, ANSWER))) return DB_ERROR;
        db_bind_int(st, 1, id);
        db_bind_int(st, 2, in->q->items[i].n);
        db_bind_int(st, 3, in->score->value[i]);
        db_bind_int(st, 4, in->score->scored[i]);
        int rc = db_run(st);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    }
    return id;
}

int store_survey_last_answered(struct db *db, int64_t resident_id, int64_t questionnaire_id,
                               int64_t team_id, char out[11])
{
    static const char SQL[] = "SELECT max(answered_on) FROM survey_responses WHERE resident_id = ?1"
                              " AND questionnaire_id = ?2 AND coalesce(team_id, 0) = ?3";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, questionnaire_id);
    db_bind_int(st, 3, team_id);
    if (db_step(st) != DB_ROW) return -1;
    int found = !db_column_is_null(st, 0);
    if (found) snprintf(out, 11, "%s", db_column_text(st, 0));
    db_run(st);
    return found;
}

json_t *store_resident_survey_responses(struct db *db, int64_t resident_id, int en)
{
    static const char SQL[] =
        "SELECT s.id, q.code, CASE WHEN ?2 THEN q.name_en ELSE q.name_zh END, s.team_id, t.name, s.channel,"
        " s.answered_on, s.total FROM survey_responses s JOIN questionnaires q ON q.id = s.questionnaire_id"
        " LEFT JOIN teams t ON t.id = s.team_id WHERE s.resident_id = ?1"
        " ORDER BY s.answered_on DESC, s.id DESC LIMIT 200";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, resident_id);
    db_bind_int(st, 2, en);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_column_int(st, 0)));
        jx_set_string_or_null(o, "questionnaire", db_column_text(st, 1));
        jx_set_string_or_null(o, "name", db_column_text(st, 2));
        json_object_set_new(o, "team_id",
                            db_column_is_null(st, 3) ? json_null()
                                                     : json_integer(db_column_int(st, 3)));
        jx_set_string_or_null(o, "team_name", db_column_text(st, 4));
        jx_set_string_or_null(o, "channel", db_column_text(st, 5));
        jx_set_string_or_null(o, "answered_on", db_column_text(st, 6));
        json_object_set_new(o, "total", json_integer(db_column_int(st, 7)));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

/* The responses a result counts: the team's, to the questionnaire, in [?3, ?4]. */
#define RESULT_RESPONSES                                                                           \
    " FROM survey_responses s WHERE s.team_id = ?1 AND s.questionnaire_id = ?2"                    \
    " AND (?3 IS NULL OR s.answered_on >= ?3) AND (?4 IS NULL OR s.answered_on <= ?4)"

static struct db_stmt *result_query(struct db *db, const char *sql, int64_t team_id, int64_t qid,
                                    const char *from, const char *to)
{
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return NULL;
    db_bind_int(st, 1, team_id);
    db_bind_int(st, 2, qid);
    db_bind_text(st, 3, from);
    db_bind_text(st, 4, to);
    return st;
}

json_t *store_team_survey_results(struct db *db, int64_t team_id,
                                  const struct survey_questionnaire *sq, const char *from,
                                  const char *to, int en)
{
    static const char TOTALS[] = "SELECT count(*), avg(s.total)" RESULT_RESPONSES;
    static const char ITEMS[] =
        "SELECT a.n, avg(a.scored) FROM survey_answers a WHERE a.response_id IN"
        " (SELECT s.id" RESULT_RESPONSES ") GROUP BY a.n ORDER BY a.n";
    static const char DIMS[] =
        "SELECT d.code, CASE WHEN ?5 THEN d.name_en ELSE d.name_zh END, avg(a.scored)"
        " FROM questionnaire_dimensions d JOIN questionnaire_items i"
        " ON i.questionnaire_id = d.questionnaire_id AND i.dimension = d.code"
        " JOIN survey_answers a ON a.n = i.n AND a.response_id IN (SELECT s.id" RESULT_RESPONSES ")"
        " WHERE d.questionnaire_id = ?2 GROUP BY d.code, d.name_en, d.name_zh ORDER BY min(i.n)";
    struct db_stmt *st = result_query(db, TOTALS, team_id, sq->id, from, to);
    if (!st || db_step(st) != DB_ROW) return NULL;
    int64_t n = db_column_int(st, 0);
    double mean = db_column_double(st, 1);
    db_run(st);
    json_t *out =
        json_pack("{s:s, s:I, s:I, s:o}", "questionnaire", sq->code, "team_id", (json_int_t)team_id,
                  "n", (json_int_t)n, "mean_total", n ? json_real(mean) : json_null());
    json_t *items = json_array(), *dims = json_array();
    json_object_set_new(out, "items", items);
    json_object_set_new(out, "dimensions", dims);
    int rc;
    if (!(st = result_query(db, ITEMS, team_id, sq->id, from, to))) goto fail;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, json_pack("{s:I, s:f}", "n", (json_int_t)db_column_int(st, 0),
                                               "mean", db_column_double(st, 1)));
    if (rc != DB_DONE || !(st = result_query(db, DIMS, team_id, sq->id, from, to))) goto fail;
    db_bind_int(st, 5, en);
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(dims,
                              json_pack("{s:s, s:s, s:f}", "code", db_column_text(st, 0), "name",
                                        db_column_text(st, 1), "mean", db_column_double(st, 2)));
    if (rc != DB_DONE) goto fail;
    return out;
fail:
    json_decref(out);
    return NULL;
}
