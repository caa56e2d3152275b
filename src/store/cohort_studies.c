/* cohort_studies.c (store) - see cohort_studies.h. Each measure is one INSERT ... SELECT over
 * the study's members with the "before" period in ?2-?3 and the "after" one in ?4-?5: the
 * same expression written twice by a macro, so both periods are measured alike. Dates are
 * inclusive. "Own team" is PROTOCOLS.md's fd_visit_share's: the team of a contract of the
 * resident's that was running on the day of the visit (domain/indicators.h). */
#include "store/cohort_studies.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/cohort.h"
#include "store/page.h"
#include "util/date.h"

/* The resident of the row being measured is m.resident_id. */
#define IN_PERIOD(col, F, T) " AND " col " >= " F " AND " col " <= " T
#define ENCOUNTERS(F, T)                                                                           \
    "(SELECT count(*) FROM encounters e WHERE e.resident_id = m.resident_id" IN_PERIOD(            \
        "e.encounter_date", F, T) ")"
#define PRIMARY_VISITS(F, T)                                                                                   \
    "(SELECT count(*) FROM encounters e WHERE e.resident_id = m.resident_id AND e.primary_care = 1" IN_PERIOD( \
        "e.encounter_date", F, T) ")"
#define OWN_TEAM                                                                                   \
    " AND EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = e.resident_id"                   \
    " AND c.team_id = e.team_id AND c.start_date <= e.encounter_date"                              \
    " AND coalesce(c.ended_on, c.end_date) >= e.encounter_date)"
#define FD_VISITS(F, T)                                                                            \
    "(SELECT count(*) FROM encounters e WHERE e.resident_id = m.resident_id" IN_PERIOD(            \
        "e.encounter_date", F, T) OWN_TEAM ")"
#define LATEST(col, from, where, F, T, datecol)                                                    \
    "(SELECT " col " FROM " from " WHERE s.resident_id = m.resident_id " where IN_PERIOD(          \
        datecol, F, T) " ORDER BY " datecol " DESC, s.id DESC LIMIT 1)"
#define TRUST_TOTAL(F, T)                                                                          \
    LATEST("s.total", "survey_responses s", "AND s.questionnaire_id = 2", F, T, "s.answered_on")
/* ?7 the item's number */
#define TRUST_ITEM(F, T)                                                                           \
    LATEST("a.scored",                                                                             \
           "survey_responses s JOIN survey_answers a ON a.response_id = s.id AND a.n = ?7",        \
           "AND s.questionnaire_id = 2", F, T, "s.answered_on")
#define SATISFACTION(F, T) LATEST("s.score", "satisfaction_answers s", "", F, T, "s.answered_on")
#define SATISFIED(F, T)                                                                            \
    LATEST("CASE WHEN s.score >= 4 THEN 1 ELSE 0 END", "satisfaction_answers s", "", F, T,         \
           "s.answered_on")
#define SBP(F, T)                                                                                  \
    LATEST("s.sbp", "followups s", "AND s.program = 'hypertension' AND s.sbp IS NOT NULL", F, T,   \
           "s.visit_date")
#define FBG(F, T)                                                                                  \
    LATEST("s.fbg", "followups s", "AND s.program = 'diabetes' AND s.fbg IS NOT NULL", F, T,       \
           "s.visit_date")
#define CONTROLLED(F, T)                                                                           \
    LATEST("CASE WHEN s.classification = 'controlled' THEN 1 ELSE 0 END", "followups s",           \
           "AND s.program IN ('hypertension', 'diabetes')", F, T, "s.visit_date")
#define FOLLOWUPS(F, T)                                                                            \
    "(SELECT count(*) FROM followups f WHERE f.resident_id = m.resident_id" IN_PERIOD(             \
        "f.visit_date", F, T) ")"
#define SERVICES(F, T)                                                                                \
    "(SELECT coalesce(sum(d.quantity), 0) FROM deliveries d JOIN contracts c ON c.id = d.contract_id" \
    " WHERE c.resident_id = m.resident_id" IN_PERIOD("d.delivered_on", F, T) ")"
#define SIGNED(F, T)                                                                               \
    "(CASE WHEN EXISTS (SELECT 1 FROM contracts c WHERE c.resident_id = m.resident_id"             \
    " AND c.start_date <= " T " AND coalesce(c.ended_on, c.end_date) >= " T ") THEN 1 ELSE 0 END)"
/* ?7 and ?8 the periods' months */
#define PER_MONTH(F, T, M) "(CAST(" FD_VISITS(F, T) " AS REAL) / " M ")"
#define SHARE(F, T)                                                                                \
    "(CASE WHEN " ENCOUNTERS(F, T) " = 0 THEN NULL ELSE CAST(" FD_VISITS(                          \
        F, T) " AS REAL) / " ENCOUNTERS(F, T) " END)"
#define ANY_FD_VISIT(F, T) "(CASE WHEN " FD_VISITS(F, T) " > 0 THEN 1 ELSE 0 END)"

#define INSERT_HEAD                                                                                \
    "INSERT INTO cohort_values (study_id, member, measure, before_value, after_value)"             \
    " SELECT m.study_id, m.member, ?6, "
#define INSERT_TAIL " FROM cohort_members m WHERE m.study_id = ?1"
#define MEASURE(X) INSERT_HEAD X("?2", "?3") ", " X("?4", "?5") INSERT_TAIL

static const struct {
    const char *code, *sql;
} SNAPSHOTS[] = {
    {"encounters", MEASURE(ENCOUNTERS)},
    {"primary_visits", MEASURE(PRIMARY_VISITS)},
    {"fd_visits", MEASURE(FD_VISITS)},
    {"fd_visits_per_month",
     INSERT_HEAD PER_MONTH("?2", "?3", "?7") ", " PER_MONTH("?4", "?5", "?8") INSERT_TAIL},
    {"fd_share", MEASURE(SHARE)},
    {"followups", MEASURE(FOLLOWUPS)},
    {"services", MEASURE(SERVICES)},
    {"trust_total", MEASURE(TRUST_TOTAL)},
    {"trust_item_", MEASURE(TRUST_ITEM)}, /* trust_item_1 .. _10 */
    {"satisfaction", MEASURE(SATISFACTION)},
    {"sbp", MEASURE(SBP)},
    {"fbg", MEASURE(FBG)},
    {"signed", MEASURE(SIGNED)},
    {"any_fd_visit", MEASURE(ANY_FD_VISIT)},
    {"controlled", MEASURE(CONTROLLED)},
    {"satisfied", MEASURE(SATISFIED)},
};

/* The snapshot statement of a measure's code, and the trust item's number (else 0). */
static const char *snapshot_sql(const char *code, int *item)
{
    *item = 0;
    for (size_t i = 0; i < sizeof SNAPSHOTS / sizeof SNAPSHOTS[0]; i++) {
        size_t n = strlen(SNAPSHOTS[i].code);
        if (SNAPSHOTS[i].code[n - 1] == '_' && !strncmp(code, SNAPSHOTS[i].code, n)) {
            *item = atoi(code + n);
            return SNAPSHOTS[i].sql;
        }
        if (!strcmp(code, SNAPSHOTS[i].code)) return SNAPSHOTS[i].sql;
    }
    return NULL;
}

/* The cohort as of ?2 (the first day of "after"): alive, or dead or gone only after it. */
#define ALIVE_ON " AND (p.status = 'alive' OR p.status_date IS NULL OR p.status_date >= ?2)"
static const char SERVICE_GROUP_SQL[] =
    "SELECT DISTINCT c.resident_id FROM contracts c JOIN residents p ON p.id = c.resident_id"
    " WHERE c.team_id = ?1 AND c.start_date <= ?2 AND coalesce(c.ended_on, c.end_date) >= ?2" ALIVE_ON
    " ORDER BY c.resident_id";
static const char PACKAGE_SQL[] =
    "SELECT DISTINCT c.resident_id FROM contracts c JOIN residents p ON p.id = c.resident_id"
    " JOIN contract_packages cp ON cp.contract_id = c.id"
    " WHERE cp.package_id IN (SELECT k.id FROM packages k WHERE k.code ="
    "  (SELECT code FROM packages WHERE id = ?1))"
    " AND c.start_date <= ?2 AND coalesce(c.ended_on, c.end_date) >= ?2" ALIVE_ON
    " AND p.region >= ?3 AND p.region < ?3 || ';' AND (?4 = 0 OR c.team_id = ?4)"
    " ORDER BY c.resident_id";
static const char PROGRAM_SQL[] =
    "SELECT DISTINCT e.resident_id FROM enrolments e JOIN residents p ON p.id = e.resident_id"
    " JOIN contracts c ON c.resident_id = e.resident_id AND c.team_id = ?1"
    "  AND c.start_date <= ?2 AND coalesce(c.ended_on, c.end_date) >= ?2"
    " WHERE e.program = ?3 AND e.start_date <= ?2 AND (e.end_date IS NULL OR e.end_date > ?2)" ALIVE_ON
    " ORDER BY e.resident_id";

/* The cohort's residents into a growing array. 0, 1 too many, -1 error. */
static int draw(struct db *db, const struct cohort_study_input *in, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    if (!strcmp(in->kind, "list")) {
        *ids = malloc((in->n_residents + 1) * sizeof **ids);
        if (!*ids) return -1;
        for (size_t i = 0; i < in->n_residents; i++) { /* once each */
            size_t j = 0;
            while (j < *n && (*ids)[j] != in->residents[i])
                j++;
            if (j == *n) (*ids)[(*n)++] = in->residents[i];
        }
        return *n > COHORT_MAX_MEMBERS;
    }
    const char *sql = !strcmp(in->kind, "service_group") ? SERVICE_GROUP_SQL
                      : !strcmp(in->kind, "package")     ? PACKAGE_SQL
                                                         : PROGRAM_SQL;
    struct db_stmt *st = db_prepare(db, sql);
    if (!st) return -1;
    db_bind_int(st, 1, sql == PACKAGE_SQL ? in->package_id : in->team_id);
    db_bind_text(st, 2, in->after_from);
    if (sql == PACKAGE_SQL) {
        db_bind_text(st, 3, in->region);
        db_bind_int(st, 4, in->team_id);
    } else if (sql == PROGRAM_SQL) {
        db_bind_text(st, 3, in->program);
    }
    size_t cap = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (*n == COHORT_MAX_MEMBERS) {
            db_run(st);
            return 1;
        }
        if (*n == cap) {
            cap = cap ? 2 * cap : 256;
            int64_t *grown = realloc(*ids, cap * sizeof *grown);
            if (!grown) {
                db_run(st);
                return -1;
            }
            *ids = grown;
        }
        (*ids)[(*n)++] = db_column_int(st, 0);
    }
    return rc == DB_DONE ? 0 : -1;
}

/* A member's row with the factors as of the day the cohort was fixed. */
static int insert_member(struct db *db, int64_t study, int64_t member, int64_t resident,
                         const char *as_of)
{
    static const char READ[] =
        "SELECT p.birth_date, p.sex, p.population_class, p.poverty, p.disabled,"
        " (SELECT count(*) FROM enrolments e WHERE e.resident_id = p.id"
        "   AND e.program IN ('hypertension', 'diabetes', 'smd', 'tb', 'copd')"
        "   AND e.start_date <= ?2 AND (e.end_date IS NULL OR e.end_date > ?2))"
        " FROM residents p WHERE p.id = ?1";
    static const char INSERT[] =
        "INSERT INTO cohort_members (study_id, member, resident_id, age, male, chronic_conditions,"
        " key_population, poverty, disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    struct db_stmt *st = db_prepare(db, READ);
    if (!st) return -1;
    db_bind_int(st, 1, resident);
    db_bind_text(st, 2, as_of);
    if (db_step(st) != DB_ROW) {
        db_run(st);
        return -1;
    }
    struct date birth, on;
    int age = date_parse(db_column_text(st, 0), &birth) == 0 && date_parse(as_of, &on) == 0
                  ? date_age_years(birth, on)
                  : 0;
    int64_t male = !strcmp(db_column_text(st, 1), "M"), key = db_column_int(st, 2) == 1,
            poverty = db_column_int(st, 3) != 0, disabled = db_column_int(st, 4) != 0,
            chronic = db_column_int(st, 5);
    db_run(st);
    st = db_prepare(db, INSERT);
    if (!st) return -1;
    int64_t values[] = {study, member, resident, age, male, chronic, key, poverty, disabled};
    for (int i = 0; i < 9; i++)
        db_bind_int(st, i + 1, values[i]);
    return db_run(st) == DB_DONE ? 0 : -1;
}

static int snapshot(struct db *db, int64_t study, const struct cohort_study_input *in)
{
    for (int i = 0; i < COHORT_MEASURE_COUNT; i++) {
        int item;
        const char *sql = snapshot_sql(COHORT_MEASURES[i].code, &item);
        struct db_stmt *st = sql ? db_prepare(db, sql) : NULL;
        if (!st) return -1;
        const char *dates[] = {in->before_from, in->before_to, in->after_from, in->after_to};
        db_bind_int(st, 1, study);
        for (int d = 0; d < 4; d++)
            db_bind_text(st, d + 2, dates[d]);
        /* Each statement names exactly the parameters it binds (PostgreSQL types them all). */
        db_bind_text(st, 6, COHORT_MEASURES[i].code);
        if (item) db_bind_int(st, 7, item);
        if (strstr(sql, "?8")) {
            db_bind_double(st, 7, in->before_months);
            db_bind_double(st, 8, in->after_months);
        }
        if (db_run(st) != DB_DONE) return -1;
    }
    return 0;
}

int64_t store_cohort_study_create(struct db *db, const struct cohort_study_input *in,
                                  int64_t **members, size_t *n_members)
{
    static const char INSERT[] =
        "INSERT INTO cohort_studies (name, kind, team_id, package_id, program, region, before_from,"
        " before_to, after_from, after_to, created_by, county_code)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id";
    static const char COUNT[] = "UPDATE cohort_studies SET members = ?2 WHERE id = ?1";
    int drawn = draw(db, in, members, n_members);
    if (drawn != 0) return drawn > 0 ? 0 : -1;
    struct db_stmt *st = db_prepare(db, INSERT);
    if (!st) return -1;
    db_bind_text(st, 1, in->name);
    db_bind_text(st, 2, in->kind);
    if (in->team_id)
        db_bind_int(st, 3, in->team_id);
    else
        db_bind_null(st, 3);
    if (in->package_id)
        db_bind_int(st, 4, in->package_id);
    else
        db_bind_null(st, 4);
    db_bind_text(st, 5, in->program);
    db_bind_text(st, 6, in->region);
    db_bind_text(st, 7, in->before_from);
    db_bind_text(st, 8, in->before_to);
    db_bind_text(st, 9, in->after_from);
    db_bind_text(st, 10, in->after_to);
    if (in->created_by)
        db_bind_int(st, 11, in->created_by);
    else
        db_bind_null(st, 11);
    db_bind_text(st, 12, in->county_code);
    int64_t id = db_insert_id(st);
    if (id <= 0) return -1;
    for (size_t i = 0; i < *n_members; i++)
        if (insert_member(db, id, (int64_t)i + 1, (*members)[i], in->after_from) < 0) return -1;
    if (snapshot(db, id, in) < 0) return -1;
    st = db_prepare(db, COUNT);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    db_bind_int(st, 2, (int64_t)*n_members);
    return db_run(st) == DB_DONE ? id : -1;
}

int store_cohort_package_known(struct db *db, int64_t package_id)
{
    static const char SQL[] = "SELECT code FROM packages WHERE id = ?1";
    char code[64];
    int rc = store_text_by_id(db, SQL, package_id, code, sizeof code);
    return rc == 0 ? 1 : rc == STORE_NOT_FOUND ? 0 : -1;
}

#define STUDY_COLUMNS                                                                              \
    "SELECT s.id, s.name, s.kind, s.team_id, t.name, s.package_id,"                                \
    " k.name_zh, s.program, s.region, s.before_from, s.before_to, s.after_from, s.after_to,"       \
    " s.members, s.created_at FROM cohort_studies s LEFT JOIN teams t ON t.id = s.team_id"         \
    " LEFT JOIN packages k ON k.id = s.package_id"

static json_t *study_json(struct db_stmt *st)
{
    json_t *o = json_pack("{s:I, s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:I, s:s, s:s}", "id",
                          (json_int_t)db_column_int(st, 0), "name", db_column_text(st, 1), "kind",
                          db_column_text(st, 2), "before", "from", db_column_text(st, 9), "to",
                          db_column_text(st, 10), "after", "from", db_column_text(st, 11), "to",
                          db_column_text(st, 12), "members", (json_int_t)db_column_int(st, 13),
                          "created_at", db_column_text(st, 14), "region", db_column_text(st, 8));
    if (!o) return NULL;
    json_object_set_new(o, "team_id", store_int_or_null(st, 3));
    if (!db_column_is_null(st, 4))
        json_object_set_new(o, "team", json_string(db_column_text(st, 4)));
    json_object_set_new(o, "package_id", store_int_or_null(st, 5));
    if (!db_column_is_null(st, 6))
        json_object_set_new(o, "package", json_string(db_column_text(st, 6)));
    json_object_set_new(
        o, "program", db_column_is_null(st, 7) ? json_null() : json_string(db_column_text(st, 7)));
    return o;
}

json_t *store_cohort_study_json(struct db *db, int64_t id)
{
    static const char SQL[] = STUDY_COLUMNS " WHERE s.id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, id);
    json_t *o = db_step(st) == DB_ROW ? study_json(st) : NULL;
    db_run(st);
    return o;
}

json_t *store_cohort_studies_list(struct db *db, int limit)
{
    static const char SQL[] = STUDY_COLUMNS " ORDER BY s.id DESC LIMIT ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return NULL;
    db_bind_int(st, 1, limit);
    json_t *items = json_array();
    int rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(items, study_json(st));
    if (rc != DB_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

int store_cohort_study_get(struct db *db, int64_t id, struct cohort_study_row *out)
{
    static const char SQL[] =
        "SELECT id, coalesce(team_id, 0), coalesce(package_id, 0), members, kind, region,"
        " coalesce(program, '') FROM cohort_studies WHERE id = ?1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, id);
    int rc = db_step(st);
    if (rc == DB_ROW) {
        out->id = db_column_int(st, 0);
        out->team_id = db_column_int(st, 1);
        out->package_id = db_column_int(st, 2);
        out->members = db_column_int(st, 3);
        snprintf(out->kind, sizeof out->kind, "%s", db_column_text(st, 4));
        snprintf(out->region, sizeof out->region, "%s", db_column_text(st, 5));
        snprintf(out->program, sizeof out->program, "%s", db_column_text(st, 6));
    }
    db_run(st);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

int store_cohort_values(struct db *db, int64_t study_id, const char *measure, double *before,
                        double *after, size_t *n)
{
    static const char SQL[] = "SELECT before_value, after_value FROM cohort_values"
                              " WHERE study_id = ?1 AND measure = ?2 ORDER BY member";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, study_id);
    db_bind_text(st, 2, measure);
    size_t cap = *n;
    *n = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && *n < cap) {
        before[*n] = db_column_is_null(st, 0) ? NAN : db_column_double(st, 0);
        after[*n] = db_column_is_null(st, 1) ? NAN : db_column_double(st, 1);
        ++*n;
    }
    if (rc == DB_ROW) rc = db_run(st);
    return rc == DB_DONE ? 0 : -1;
}

#define FACTOR_COLUMNS "age, male, chronic_conditions, key_population, poverty, disabled"

int store_cohort_factors(struct db *db, int64_t study_id, double *factors, size_t *n)
{
    static const char SQL[] =
        "SELECT " FACTOR_COLUMNS " FROM cohort_members WHERE study_id = ?1 ORDER BY member";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_int(st, 1, study_id);
    size_t cap = *n;
    *n = 0;
    int rc;
    while ((rc = db_step(st)) == DB_ROW && *n < cap) {
        for (int j = 0; j < COHORT_FACTOR_COUNT; j++)
            factors[*n * COHORT_FACTOR_COUNT + (size_t)j] = (double)db_column_int(st, j);
        ++*n;
    }
    if (rc == DB_ROW) rc = db_run(st);
    return rc == DB_DONE ? 0 : -1;
}

json_t *store_cohort_members_page(struct db *db, int64_t study_id, int64_t after, int limit,
                                  int64_t **residents, size_t *n_residents)
{
    static const char MEMBERS[] = "SELECT member, resident_id, " FACTOR_COLUMNS
                                  " FROM cohort_members WHERE study_id = ?1 AND member > ?2"
                                  " ORDER BY member LIMIT ?3";
    static const char VALUES[] =
        "SELECT member, measure, before_value, after_value FROM cohort_values"
        " WHERE study_id = ?1 AND member > ?2 AND member <= ?3";
    *residents = malloc(((size_t)limit + 1) * sizeof **residents);
    *n_residents = 0;
    json_t *items = json_array();
    struct db_stmt *st = *residents && items ? db_prepare(db, MEMBERS) : NULL;
    if (!st) goto fail;
    db_bind_int(st, 1, study_id);
    db_bind_int(st, 2, after);
    db_bind_int(st, 3, limit);
    int rc;
    int64_t last = after;
    while ((rc = db_step(st)) == DB_ROW) {
        last = db_column_int(st, 0);
        (*residents)[(*n_residents)++] = db_column_int(st, 1);
        json_t *o = json_pack("{s:I}", "member", (json_int_t)last);
        for (int j = 0; j < COHORT_FACTOR_COUNT; j++)
            json_object_set_new(o, COHORT_FACTORS[j].code, json_integer(db_column_int(st, 2 + j)));
        json_array_append_new(items, o);
    }
    if (rc != DB_DONE) goto fail;
    st = db_prepare(db, VALUES);
    if (!st) goto fail;
    db_bind_int(st, 1, study_id);
    db_bind_int(st, 2, after);
    db_bind_int(st, 3, last);
    while ((rc = db_step(st)) == DB_ROW) {
        json_t *o = json_array_get(items, (size_t)(db_column_int(st, 0) - after - 1));
        char key[64];
        for (int half = 0; o && half < 2; half++) {
            snprintf(key, sizeof key, "%s_%s", db_column_text(st, 1), half ? "after" : "before");
            json_object_set_new(o, key,
                                db_column_is_null(st, 2 + half)
                                    ? json_null()
                                    : json_real(db_column_double(st, 2 + half)));
        }
    }
    if (rc == DB_DONE) return items;
fail:
    json_decref(items);
    free(*residents);
    *residents = NULL;
    return NULL;
}
