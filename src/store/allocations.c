/* allocations.c (store) - see allocations.h. */
#include "store/allocations.h"

int64_t store_allocation_insert(struct db *db, int64_t team, const char *period, int64_t pool_fen,
                                const char *note, int64_t user)
{
    static const char SQL[] =
        "INSERT INTO allocations (team_id, period, pool_fen, note, created_by)"
        " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, team);
    db_bind_text(st, 2, period);
    db_bind_int(st, 3, pool_fen);
    db_bind_text(st, 4, note);
    if (user) db_bind_int(st, 5, user);
    return db_insert_id(st);
}

int store_allocation_share_insert(struct db *db, int64_t allocation, int64_t staff, int64_t weight,
                                  int64_t amount_fen)
{
    static const char SQL[] =
        "INSERT INTO allocation_shares (allocation_id, staff_id, weight, amount_fen)"
        " VALUES (?1, ?2, ?3, ?4)";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, allocation);
    db_bind_int(st, 2, staff);
    if (weight >= 0) db_bind_int(st, 3, weight);
    db_bind_int(st, 4, amount_fen);
    return db_run(st) == DB_DONE ? 0 : -1;
}

json_t *store_allocations(struct db *db, int64_t team)
{
    static const char SQL[] =
        "SELECT a.id, a.period, a.pool_fen, a.note, a.created_at, s.staff_id, st.name, s.weight,"
        " s.amount_fen FROM allocations a JOIN allocation_shares s ON s.allocation_id = a.id"
        " JOIN staff st ON st.id = s.staff_id WHERE a.team_id = ?1"
        " ORDER BY a.period DESC, a.id DESC, s.amount_fen DESC, s.staff_id";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, team);
    json_t *list = json_array(), *current = NULL;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        int64_t id = db_column_int(st, 0);
        if (!current || json_integer_value(json_object_get(current, "id")) != id) {
            current = json_pack("{s:I,s:I,s:s,s:I,s:s?,s:s,s:[]}", "id", (json_int_t)id, "team_id",
                                (json_int_t)team, "period", db_column_text(st, 1), "pool_fen",
                                (json_int_t)db_column_int(st, 2), "note", db_column_text(st, 3),
                                "created_at", db_column_text(st, 4), "shares");
            json_array_append_new(list, current);
        }
        json_t *share =
            json_pack("{s:I,s:s,s:I}", "staff_id", (json_int_t)db_column_int(st, 5), "name",
                      db_column_text(st, 6), "amount_fen", (json_int_t)db_column_int(st, 8));
        json_object_set_new(share, "weight",
                            db_column_is_null(st, 7) ? json_null()
                                                     : json_integer(db_column_int(st, 7)));
        json_array_append_new(json_object_get(current, "shares"), share);
    }
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}
