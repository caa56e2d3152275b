/* immunisation.c (store) - see immunisation.h. */
#include "store/immunisation.h"

#include <stdio.h>
#include <string.h>

#include "store/work.h"

int64_t store_vaccination_insert(struct db *db, const struct vaccination_input *in)
{
    static const char SQL[] =
        "INSERT INTO vaccinations (resident_id, vaccine, dose, given_on, lot, place, recorded_by, county_code)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, in->resident_id);
    db_bind_text(st, 2, in->vaccine);
    db_bind_int(st, 3, in->dose);
    db_bind_text(st, 4, in->given_on);
    db_bind_text(st, 5, in->lot);
    db_bind_text(st, 6, in->place);
    if (in->recorded_by) db_bind_int(st, 7, in->recorded_by);
    db_bind_text(st, 8, in->county_code);
    return db_insert_id(st);
}

int store_vaccinations_given(struct db *db, int64_t resident_id, struct dose_given *out, int max,
                             json_t **rows)
{
    static const char SQL[] = "SELECT id, vaccine, dose, given_on, lot, place FROM vaccinations"
                              " WHERE resident_id = ?1 ORDER BY given_on, id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (rows) *rows = NULL;
    if (!st) return -1;
    db_bind_int(st, 1, resident_id);
    json_t *list = rows ? json_array() : NULL;
    int n = 0, rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int vaccine = vaccine_parse(db_column_text(st, 1));
        struct dose_given d = {0};
        if (vaccine < 0 || date_parse(db_column_text(st, 3), &d.date) < 0 || n >= max) continue;
        d.vaccine = (enum vaccine)vaccine;
        d.dose = (int)db_column_int(st, 2);
        out[n++] = d;
        if (list)
            json_array_append_new(
                list, json_pack("{s:I,s:s,s:i,s:s,s:s?,s:s?}", "id",
                                (json_int_t)db_column_int(st, 0), "vaccine", db_column_text(st, 1),
                                "dose", d.dose, "date", db_column_text(st, 3), "lot",
                                db_column_text(st, 4), "place", db_column_text(st, 5)));
    }
    if (rc != DB_DONE) {
        json_decref(list);
        return -1;
    }
    if (rows) *rows = list;
    return n;
}

int store_vaccination_task_open(struct db *db, int64_t resident_id, int64_t team_id,
                                int64_t doctor_id, const char *county_code,
                                const struct dose_item *next)
{
    char due[11], overdue[11], note[32];
    date_format(next->due_date, due);
    date_format(next->overdue_from, overdue);
    snprintf(note, sizeof note, "%s:%d", vaccine_code(next->vaccine), next->dose);
    struct task_input t = {.resident_id = resident_id,
                           .team_id = team_id,
                           .doctor_id = doctor_id,
                           .kind = "vaccination",
                           .program = "immunisation",
                           .due_date = due,
                           .next_due = overdue,
                           .note = note,
                           .county_code = county_code};
    return store_task_insert(db, &t) < 0 ? -1 : 0;
}
