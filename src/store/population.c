/* population.c (store) - class and family-type recomputation. */
#include "store/population.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/log.h"

struct population_config store_population_config(struct db *db)
{
    static const char SQL[] =
        "SELECT key, value FROM settings WHERE key IN"
        " ('elderly_age','child_age_below','postpartum_days','poverty_is_key')";
    struct population_config c = population_config_default();
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return c;
    while (db_step(st) == DB_ROW) {
        const char *k = db_column_text(st, 0);
        int v = atoi(db_column_text(st, 1));
        if (strcmp(k, "elderly_age") == 0 && v >= 50 && v <= 80)
            c.elderly_age = v;
        else if (strcmp(k, "child_age_below") == 0 && v >= 1 && v <= 18)
            c.child_age_below = v;
        else if (strcmp(k, "postpartum_days") == 0 && v >= 0 && v <= 365)
            c.postpartum_days = v;
        else if (strcmp(k, "poverty_is_key") == 0)
            c.poverty_is_key = v != 0;
    }
    return c;
}

#define MAX_MEMBERS 64

struct member {
    int64_t id;
    int old_class;
    int key;
    int chronic;
    int disabled;
    int open_flag;
};

/* One row per member with every fact the rule needs; chronic programs are listed in
 * domain/population.c and repeated here as the SQL filter (checked by the unit tests). */
static const char MEMBERS_SQL[] =
    "SELECT r.id, r.birth_date, r.disabled, r.poverty, r.population_class,"
    " (SELECT count(*) FROM enrolments e WHERE e.resident_id = r.id AND e.end_date IS NULL"
    "   AND e.program IN ('hypertension','diabetes','smd','tb','copd')),"
    " (SELECT count(*) FROM pregnancies p WHERE p.resident_id = r.id AND p.delivery_date IS NULL),"
    " (SELECT max(p.delivery_date) FROM pregnancies p WHERE p.resident_id = r.id),"
    " EXISTS (SELECT 1 FROM flags f WHERE f.resident_id = r.id AND f.status IN ('open','confirmed'))"
    " FROM residents r WHERE r.status = 'alive' AND"
    " ((?1 > 0 AND r.household_id = ?1) OR (?1 = 0 AND r.id = ?2))";

int store_recompute_household(struct db *db, int64_t household_id, int64_t resident_id,
                              struct date today)
{
    struct population_config config = store_population_config(db);
    struct member members[MAX_MEMBERS];
    int n = 0, any_key = 0, any_disabled = 0, any_chronic = 0, any_flag = 0;
    struct db_stmt *st = db_prepare(db, MEMBERS_SQL);
    if (!st) return -1;
    db_bind_int(st, 1, household_id);
    db_bind_int(st, 2, resident_id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == MAX_MEMBERS) continue; /* a household this large is a data error; cap it */
        struct person_facts f;
        memset(&f, 0, sizeof f);
        struct member *m = &members[n++];
        m->id = db_column_int(st, 0);
        date_parse(db_column_text(st, 1), &f.birth_date);
        f.disabled = (int)db_column_int(st, 2);
        f.poverty_registered = (int)db_column_int(st, 3);
        m->old_class = (int)db_column_int(st, 4);
        f.chronic_programs = (int)db_column_int(st, 5);
        f.pregnant = db_column_int(st, 6) > 0;
        const char *delivery = db_column_text(st, 7);
        f.has_delivery = delivery && date_parse(delivery, &f.delivery_date) == 0;
        m->open_flag = (int)db_column_int(st, 8);
        m->key = population_is_key(&f, &config, today);
        m->chronic = f.chronic_programs > 0;
        m->disabled = f.disabled;
        any_key |= m->key;
        any_disabled |= m->disabled;
        any_chronic |= m->chronic;
        any_flag |= m->open_flag;
    }
    if (rc != DB_DONE) return -1;
    static const char UPDATE_CLASS[] =
        "UPDATE residents SET population_class = ?2, updated_at = CURRENT_TIMESTAMP WHERE id = ?1";
    int changed = 0;
    for (int i = 0; i < n; i++) {
        int cls = population_class(members[i].key, any_key);
        if (cls == members[i].old_class) continue;
        changed++;
        st = db_prepare(db, UPDATE_CLASS);
        if (!st) return -1;
        db_bind_int(st, 1, members[i].id);
        db_bind_int(st, 2, cls);
        if (db_run(st) != DB_DONE) return -1;
    }
    if (household_id > 0) {
        static const char UPDATE_FAMILY[] =
            "UPDATE households SET family_type = ?2 WHERE id = ?1 AND family_type <> ?2";
        st = db_prepare(db, UPDATE_FAMILY);
        if (!st) return -1;
        db_bind_int(st, 1, household_id);
        db_bind_text(st, 2, family_type_name(family_type_of(any_disabled, any_chronic, any_flag)));
        if (db_run(st) != DB_DONE) return -1;
    }
    return changed;
}

/* A pass over the whole population commits in batches from its own connection, and every
 * batch holds the write lock that the server's writer needs. SQLite's busy handler polls, so
 * a pass that begins its next batch at once starves the writer (logins time out): a pause
 * longer than the handler's longest poll lets them in. PostgreSQL queues the writers waiting
 * for the lock (db_begin's advisory lock) and wakes them in turn, so no pause is needed there;
 * but each statement is a round trip, and 2,000 households with cold pages held the lock for
 * seconds over a city (writers waited 105 ms each on average, session 6): there a batch also
 * ends once it has held the lock for RECOMPUTE_HOLD_MS. */
#define RECOMPUTE_BATCH 2000
#define RECOMPUTE_HOLD_MS 50

static void yield_to_writers(struct db *db)
{
    if (db_is_postgresql(db)) return;
    struct timespec pause = {0, 120 * 1000 * 1000};
    nanosleep(&pause, NULL);
}

long store_recompute_all(struct db *db, struct date today)
{
    static const char HOUSEHOLDS[] =
        "SELECT id FROM households WHERE id > ?1 ORDER BY id LIMIT 2000";
    static const char LONERS[] =
        "SELECT id FROM residents WHERE household_id IS NULL AND id > ?1 ORDER BY id LIMIT 2000";
    const char *queries[2] = {HOUSEHOLDS, LONERS};
    const double hold_ms = db_is_postgresql(db) ? RECOMPUTE_HOLD_MS : 1e9;
    long changed = 0, batches = 0;
    double longest_ms = 0;
    for (int q = 0; q < 2; q++) {
        int64_t last = 0;
        for (;;) {
            int64_t ids[RECOMPUTE_BATCH];
            int n = 0;
            struct db_stmt *st = db_prepare(db, queries[q]);
            if (!st) return -1;
            db_bind_int(st, 1, last);
            while (db_step(st) == DB_ROW)
                ids[n++] = db_column_int(st, 0);
            if (n == 0) break;
            for (int i = 0; i < n;) {
                struct timespec began;
                if (db_begin(db) != DB_DONE) return -1;
                clock_gettime(CLOCK_MONOTONIC, &began);
                do {
                    int rc = q == 0 ? store_recompute_household(db, ids[i], 0, today)
                                    : store_recompute_household(db, 0, ids[i], today);
                    if (rc < 0) {
                        db_rollback(db);
                        return -1;
                    }
                    changed += rc;
                } while (++i < n && clock_ms_since(&began) < hold_ms);
                if (db_commit(db) != DB_DONE) return -1;
                double held = clock_ms_since(&began);
                if (held > longest_ms) longest_ms = held;
                batches++;
                yield_to_writers(db);
            }
            last = ids[n - 1];
        }
    }
    log_info("daily recompute: %ld transactions, the longest held the write lock %.0f ms", batches,
             longest_ms);
    log_info("daily recompute: %ld population classes changed", changed);
    return changed;
}

/* The steps for one resident, or everyone (resident_id 0) with an id in [first, last]. */
static long enrol_range(struct db *db, struct date today, int64_t resident_id, int64_t first,
                        int64_t last)
{
    /* ?1 today, ?2 elderly age, ?3 child age limit, ?4 one resident or 0 for everyone with an
     * id from ?5 to ?6. The
     * statements are idempotent: each inserts only what is missing and ends only what is
     * still open, so a pass after downtime catches up and a second pass changes nothing. */
#define WHO " (?4 = 0 OR r.id = ?4) AND r.id BETWEEN ?5 AND ?6"
#define NOT_ENROLLED(program)                                                                      \
    " NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.resident_id = r.id AND e.program = '" program \
    "' AND e.end_date IS NULL)"
    static const char *const STEPS[] = {
        /* Elderly from the birthday that crosses the age (PROTOCOLS §2, §5). */
        "INSERT INTO enrolments (resident_id, program, start_date)"
        " SELECT r.id, 'elderly', date(r.birth_date, '+' || ?2 || ' years') FROM residents r"
        " WHERE r.status = 'alive' AND r.birth_date <= date(?1, '-' || ?2 || ' years') AND" WHO
        " AND" NOT_ENROLLED("elderly"),
        /* Children from birth until the day before the birthday that ends childhood (§6). */
        "INSERT INTO enrolments (resident_id, program, start_date)"
        " SELECT r.id, 'child', r.birth_date FROM residents r WHERE r.status = 'alive'"
        " AND r.birth_date > date(?1, '-' || ?3 || ' years') AND" WHO " AND" NOT_ENROLLED("child"),
        "UPDATE enrolments SET end_date = (SELECT date(r.birth_date, '+' || ?3 || ' years', '-1 day')"
        "   FROM residents r WHERE r.id = enrolments.resident_id), end_reason = 'aged_out'"
        " WHERE program = 'child' AND end_date IS NULL AND resident_id IN (SELECT r.id FROM residents r"
        "   WHERE r.birth_date <= date(?1, '-' || ?3 || ' years') AND" WHO ")",
        /* Maternal from the registered pregnancy's LMP to 42 days after delivery (§7). */
        "INSERT INTO enrolments (resident_id, program, start_date)"
        " SELECT r.id, 'maternal', max(p.lmp) FROM residents r JOIN pregnancies p ON p.resident_id = r.id"
        " WHERE r.status = 'alive' AND (p.delivery_date IS NULL OR p.delivery_date > date(?1, '-42 days'))"
        " AND" WHO " AND" NOT_ENROLLED("maternal") " GROUP BY r.id",
        "UPDATE enrolments SET end_date = (SELECT date(max(p.delivery_date), '+42 days') FROM pregnancies p"
        "   WHERE p.resident_id = enrolments.resident_id), end_reason = 'postpartum_ended'"
        " WHERE program = 'maternal' AND end_date IS NULL AND resident_id IN (SELECT r.id FROM residents r"
        "   WHERE" WHO
        ") AND NOT EXISTS (SELECT 1 FROM pregnancies p WHERE p.resident_id = enrolments.resident_id"
        "   AND (p.delivery_date IS NULL OR p.delivery_date > date(?1, '-42 days')))",
        /* A death or a move ends every program on that day. */
        "UPDATE enrolments SET end_date = (SELECT coalesce(r.status_date, ?1) FROM residents r"
        "   WHERE r.id = enrolments.resident_id), end_reason = (SELECT r.status FROM residents r"
        "   WHERE r.id = enrolments.resident_id)"
        " WHERE end_date IS NULL AND resident_id IN (SELECT r.id FROM residents r WHERE r.status <> 'alive'"
        "   AND" WHO ")",
    };
#undef WHO
#undef NOT_ENROLLED
    struct population_config config = store_population_config(db);
    char today_text[11];
    date_format(today, today_text);
    long changed = 0;
    /* Joining by age is the daily pass's, as the class at a birthday is: a record registered
     * today joins the elderly or child programme at the next pass. One resident's pass (a
     * pregnancy registered, a death recorded) runs the other steps at once. */
    for (size_t i = resident_id ? 2 : 0; i < sizeof STEPS / sizeof *STEPS; i++) {
        struct db_stmt *st = db_prepare(db, STEPS[i]);
        if (!st) return -1;
        db_bind_text(st, 1, today_text);
        db_bind_int(st, 2, config.elderly_age);
        db_bind_int(st, 3, config.child_age_below);
        db_bind_int(st, 4, resident_id);
        db_bind_int(st, 5, first);
        db_bind_int(st, 6, last);
        if (db_run(st) != DB_DONE) return -1;
        changed += (long)db_changes(db);
    }
    return changed;
}

long store_enrol_automatic(struct db *db, struct date today, int64_t resident_id)
{
    return enrol_range(db, today, resident_id, 0, INT64_MAX);
}

/* Residents per transaction of the daily pass: a city's pass must not hold the write lock
 * for minutes (logins and every other write would time out behind it). On PostgreSQL a chunk
 * of 20,000 held it about 0.8 s (the 300,000-resident county), long enough to halve the
 * follow-ups written beside it; 2,000 hold it about a tenth of that. */
#define ENROL_CHUNK 20000
#define ENROL_CHUNK_POSTGRESQL 2000

long store_enrol_all(struct db *db, struct date today)
{
    static const char MAX_ID[] = "SELECT max(id) FROM residents";
    struct db_stmt *st = db_prepare(db, MAX_ID);
    if (!st) return -1;
    int64_t max_id = db_query_int(st, 0);
    long changed = 0;
    const int64_t chunk = db_is_postgresql(db) ? ENROL_CHUNK_POSTGRESQL : ENROL_CHUNK;
    for (int64_t first = 0; first <= max_id; first += chunk) {
        if (db_begin(db) != DB_DONE) return -1;
        long n = enrol_range(db, today, 0, first, first + chunk - 1);
        if (n < 0 || db_commit(db) != DB_DONE) {
            db_rollback(db);
            return -1;
        }
        changed += n;
        yield_to_writers(db);
    }
    return changed;
}

int store_daily_claim(struct db *db, struct date day)
{
    static const char SQL[] =
        "INSERT INTO settings (key, value) VALUES ('daily_pass_claimed', ?1)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE settings.value < excluded.value";
    char text[11];
    date_format(day, text);
    if (db_begin(db) != DB_DONE) return -1;
    struct db_stmt *st = db_prepare(db, SQL);
    if (st) db_bind_text(st, 1, text);
    if (!st || db_run(st) != DB_DONE) {
        db_rollback(db);
        return -1;
    }
    int claimed = db_changes(db) > 0;
    return db_commit(db) == DB_DONE ? claimed : -1;
}
