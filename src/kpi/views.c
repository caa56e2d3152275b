/* views.c - see views.h. */
#include "kpi/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"

static int children_add(struct kpi_children *c, char kind, const char *code, int64_t id,
                        const char *name)
{
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 32;
        struct kpi_child *grown = realloc(c->items, (size_t)cap * sizeof *grown);
        if (!grown) return -1;
        c->items = grown;
        c->cap = cap;
    }
    struct kpi_child *ch = &c->items[c->n++];
    if (kind == 'r')
        snprintf(ch->label, sizeof ch->label, "region:%s", code);
    else
        snprintf(ch->label, sizeof ch->label, "%s:%lld", kind == 't' ? "team" : "doctor",
                 (long long)id);
    ch->name = strdup(name ? name : "");
    return ch->name ? 0 : -1;
}

void kpi_children_free(struct kpi_children *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->items[i].name);
    free(c->items);
}

/* The child regions, the teams serving a region or belonging to an institution, or a
 * team's doctors (its members and any doctor holding a contract of the team). */
static const char *const REGION_CHILDREN_SQL =
    "SELECT code, 0, name FROM regions WHERE parent = ?1 ORDER BY code";
static const char *const REGION_TEAMS_SQL =
    "SELECT DISTINCT NULL, t.id, t.name FROM team_cells c JOIN teams t ON t.id = c.team_id"
    " WHERE c.region_code >= ?1 AND c.region_code < ?1 || 'z' ORDER BY t.id";
static const char *const INSTITUTION_TEAMS_SQL =
    "SELECT NULL, id, name FROM teams WHERE institution_id = ?2 ORDER BY id";
static const char *const TEAM_DOCTORS_SQL =
    "SELECT NULL, s.id, s.name FROM staff s WHERE s.id IN"
    " (SELECT staff_id FROM team_members WHERE team_id = ?2"
    "  UNION SELECT doctor_id FROM contracts WHERE team_id = ?2 AND doctor_id IS NOT NULL)"
    " ORDER BY s.id";

int kpi_children_load(struct db *db, const struct kpi_scope *scope, const char *by,
                      struct kpi_children *out)
{
    const char *sql = NULL;
    char kind = 0;
    if (strcmp(by, "region") == 0 && scope->kind == 'r')
        sql = REGION_CHILDREN_SQL, kind = 'r';
    else if (strcmp(by, "team") == 0 && scope->kind == 'r')
        sql = REGION_TEAMS_SQL, kind = 't';
    else if (strcmp(by, "team") == 0 && scope->kind == 'i')
        sql = INSTITUTION_TEAMS_SQL, kind = 't';
    else if (strcmp(by, "doctor") == 0 && scope->kind == 't')
        sql = TEAM_DOCTORS_SQL, kind = 'd';
    if (!sql) return 1;
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return -1;
    /* The teams of an area are found by its places' prefix (5115 for 511500); its child
     * regions by their parent, the code as written. */
    db_bind_text(st, 1, sql == REGION_TEAMS_SQL ? scope->prefix : scope->code);
    db_bind_int(st, 2, scope->id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        if (children_add(out, kind, db_column_text(st, 0), db_column_int(st, 1),
                         db_column_text(st, 2)) < 0)
            return -1;
    return rc == DB_DONE ? 0 : -1;
}

static const char *const PATIENT_SQL =
    "SELECT p.id, p.name, p.sex, p.birth_date, p.region, g.name FROM residents p"
    " LEFT JOIN regions g ON g.code = p.region WHERE p.id = ?1";

json_t *kpi_patient_json(struct db *db, int64_t id, struct date today)
{
    struct db_stmt *st = db_prepare(db, PATIENT_SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    if (db_step(st) != DB_ROW) return NULL;
    struct date birth = {0};
    const char *birth_text = db_column_text(st, 3);
    int age = birth_text && date_parse(birth_text, &birth) == 0 ? date_age_years(birth, today) : 0;
    json_t *o = json_pack("{s:I, s:s, s:s, s:i, s:s}", "id", (json_int_t)db_column_int(st, 0),
                          "name", db_column_text(st, 1), "sex", db_column_text(st, 2), "age", age,
                          "region", db_column_text(st, 4));
    if (o && !db_column_is_null(st, 5))
        json_object_set_new(o, "region_name", json_string(db_column_text(st, 5)));
    return o;
}
