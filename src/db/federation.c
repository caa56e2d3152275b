/* federation.c - a coordinator's view of counties kept on other PostgreSQL nodes
 * (federation.h). Everything is PostgreSQL's own: postgres_fdw servers and user mappings,
 * tables partitioned by LIST (county_code) whose partitions are foreign tables, and views
 * that add up the nodes' indicator counters (the one query allowed across counties). */
#include "db/federation.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/sbuf.h"

/* The large tables: each carries county_code (001_foundation.sql) and is partitioned by it.
 * The outbox is left out: a queue of the node's own, whose county is optional. */
static const char *const COUNTY_TABLES[] = {
    "households",      "residents",     "tasks",         "teams",
    "contracts",       "followups",     "exam_results",  "observations",
    "groups",          "encounters",    "referrals",     "satisfaction_answers",
    "prescriptions",   "consultations", "content_items", "reminders",
    "visit_requests",  "points_items",  "points_ledger", "points_redemptions",
    "survey_responses"};

static int valid_name(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 32) return 0;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

/* "511524,511502" -> "'511524', '511502'"; 0 when any code is not six digits. */
static int county_list(const char *csv, struct sbuf *out)
{
    if (!csv || !*csv) return 0;
    for (const char *p = csv; *p;) {
        size_t n = strcspn(p, ",");
        if (n != 6) return 0;
        for (size_t i = 0; i < n; i++)
            if (!isdigit((unsigned char)p[i])) return 0;
        sbuf_printf(out, "%s'%.6s'", p == csv ? "" : ", ", p);
        p += n;
        if (*p == ',') p++;
    }
    return !sbuf_failed(out);
}

static void literal(struct sbuf *out, const char *s)
{
    sbuf_puts(out, "'");
    for (; *s; s++) {
        if (*s == '\'')
            sbuf_puts(out, "''");
        else
            sbuf_append(out, s, 1);
    }
    sbuf_puts(out, "'");
}

/* The foreign server's and the user mapping's options from the node's connection string:
 * who connects goes to the mapping, where to the server. */
static int connection_options(const char *uri, struct sbuf *server, struct sbuf *mapping,
                              struct jy_error *err)
{
    static const char *const WHERE[] = {
        "host", "hostaddr", "port", "dbname", "sslmode", "connect_timeout", "target_session_attrs"};
    char *why = NULL;
    PQconninfoOption *opts = PQconninfoParse(uri, &why);
    if (!opts) {
        jy_fail(err, 400, "validation_failed", "node_db", "the node's connection string: %s",
                why ? why : "out of memory");
        PQfreemem(why);
        return -1;
    }
    int servers = 0, mappings = 0;
    for (PQconninfoOption *o = opts; o->keyword; o++) {
        if (!o->val || !*o->val) continue;
        int is_server = 0;
        for (size_t i = 0; i < sizeof WHERE / sizeof WHERE[0]; i++)
            is_server |= !strcmp(o->keyword, WHERE[i]);
        int is_mapping = !strcmp(o->keyword, "user") || !strcmp(o->keyword, "password");
        if (!is_server && !is_mapping) continue;
        struct sbuf *to = is_server ? server : mapping;
        sbuf_printf(to, "%s%s ", (is_server ? servers++ : mappings++) ? ", " : "", o->keyword);
        literal(to, o->val);
    }
    PQconninfoFree(opts);
    return 0;
}

/* The coordinator's sums over every attached node (their schemas jiayi_node_*). */
static int add_roll_up_views(struct db *db, struct sbuf *sql)
{
    struct db_stmt *st =
        db_prepare(db, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'jiayi_node_%'"
                       " ORDER BY nspname");
    if (!st) return -1;
    struct sbuf counters, closings, snapshots, as_of;
    sbuf_init(&counters), sbuf_init(&closings), sbuf_init(&snapshots), sbuf_init(&as_of);
    int rc, n = 0;
    while ((rc = db_step(st)) == DB_ROW) {
        const char *node = db_column_text(st, 0), *glue = n++ ? " UNION ALL " : "";
        sbuf_printf(&counters, "%sSELECT period, scope, code, num, den FROM %s.kpi_counters", glue,
                    node);
        sbuf_printf(&closings,
                    "%sSELECT period, scope, code, num, den, closed_on FROM %s.kpi_closings", glue,
                    node);
        sbuf_printf(&snapshots, "%sSELECT taken_on, scope, code, num, den FROM %s.kpi_snapshots",
                    glue, node);
        sbuf_printf(&as_of, "%sSELECT value FROM %s.settings WHERE key = 'kpi_as_of'", glue, node);
    }
    if (rc == DB_DONE) {
        sbuf_printf(sql,
                    "CREATE VIEW " FEDERATION_SCHEMA ".kpi_counters AS SELECT period, scope, code,"
                    " sum(num)::bigint AS num, sum(den)::bigint AS den FROM (%s) AS nodes"
                    " GROUP BY period, scope, code;\n",
                    sbuf_cstr(&counters));
        sbuf_printf(sql,
                    "CREATE VIEW " FEDERATION_SCHEMA ".kpi_closings AS SELECT period, scope, code,"
                    " sum(num)::bigint AS num, sum(den)::bigint AS den, max(closed_on) AS closed_on"
                    " FROM (%s) AS nodes GROUP BY period, scope, code;\n",
                    sbuf_cstr(&closings));
        sbuf_printf(sql,
                    "CREATE VIEW " FEDERATION_SCHEMA
                    ".kpi_snapshots AS SELECT taken_on, scope, code,"
                    " sum(num)::bigint AS num, sum(den)::bigint AS den FROM (%s) AS nodes"
                    " GROUP BY taken_on, scope, code;\n",
                    sbuf_cstr(&snapshots));
        /* The counters stand at the day every node has reached. */
        sbuf_printf(
            sql,
            "CREATE VIEW " FEDERATION_SCHEMA
            ".settings AS SELECT s.key, CASE WHEN s.key = 'kpi_as_of'"
            " THEN coalesce((SELECT min(value) FROM (%s) AS nodes), '') ELSE s.value END AS value"
            " FROM public.settings AS s;\n",
            sbuf_cstr(&as_of));
    }
    int failed = rc != DB_DONE || sbuf_failed(&counters) || sbuf_failed(&closings) ||
                 sbuf_failed(&snapshots) || sbuf_failed(&as_of);
    sbuf_free(&counters), sbuf_free(&closings), sbuf_free(&snapshots), sbuf_free(&as_of);
    return failed ? -1 : 0;
}

static int run(struct db *db, struct sbuf *sql, struct jy_error *err)
{
    if (sbuf_failed(sql)) return jy_fail(err, 500, "internal_error", NULL, "out of memory");
    int rc = db_exec(db, sbuf_cstr(sql));
    sbuf_free(sql); /* empty again, for the next statements */
    return rc == DB_DONE ? 0
                         : jy_fail(err, 400, "validation_failed", "node_db", "%s", db_errmsg(db));
}

/* The node's schema matches the coordinator's, or the partitions would not line up. */
static void same_schema(struct sbuf *sql, const char *node)
{
    sbuf_printf(
        sql,
        "DO $$ BEGIN IF (SELECT max(version) FROM jiayi_node_%s.schema_migrations) IS DISTINCT FROM"
        " (SELECT max(version) FROM public.schema_migrations) THEN RAISE EXCEPTION"
        " 'node %s and the coordinator are at different schema versions: migrate both'; END IF; END $$;\n",
        node, node);
}

int db_federate(struct db *db, const struct federation_node *node, struct jy_error *err)
{
    if (!db_is_postgresql(db))
        return jy_fail(err, 400, "validation_failed", "db",
                       "a coordinator is a PostgreSQL database");
    if (!valid_name(node->name))
        return jy_fail(err, 400, "validation_failed", "node",
                       "a node's name is 1 to 32 of a-z, 0-9 and _");
    struct sbuf counties, server, mapping, sql;
    sbuf_init(&counties), sbuf_init(&server), sbuf_init(&mapping), sbuf_init(&sql);
    int rc = -1;
    if (!county_list(node->counties, &counties)) {
        jy_fail(err, 400, "validation_failed", "counties",
                "counties are six-digit codes separated by commas");
        goto out;
    }
    if (connection_options(node->uri, &server, &mapping, err) < 0) goto out;
    const char *n = node->name;
    if (db_begin(db) != DB_DONE) {
        jy_fail(err, 500, "internal_error", "db", "%s", db_errmsg(db));
        goto out;
    }
    /* Dropping the node's server drops its foreign tables, so a second run replaces the
     * first; the roll-up views over every node are built again at the end. */
    sbuf_printf(
        &sql,
        "CREATE EXTENSION IF NOT EXISTS postgres_fdw;\n"
        "CREATE SCHEMA IF NOT EXISTS " FEDERATION_SCHEMA ";\n"
        "DROP VIEW IF EXISTS " FEDERATION_SCHEMA ".kpi_counters, " FEDERATION_SCHEMA
        ".kpi_closings, " FEDERATION_SCHEMA ".kpi_snapshots, " FEDERATION_SCHEMA ".settings;\n"
        "DROP SERVER IF EXISTS jiayi_node_%s CASCADE;\n"
        "DROP SCHEMA IF EXISTS jiayi_node_%s CASCADE;\n"
        "CREATE SCHEMA jiayi_node_%s;\n"
        /* Read-only: a county's records are written by its own servers on its node,
         * under that node's one-writer lock, never through the coordinator. */
        "CREATE SERVER jiayi_node_%s FOREIGN DATA WRAPPER postgres_fdw OPTIONS (%s%supdatable 'false',"
        " fetch_size '10000', async_capable 'true');\n"
        "CREATE USER MAPPING FOR CURRENT_USER SERVER jiayi_node_%s%s%s%s;\n"
        "IMPORT FOREIGN SCHEMA public EXCEPT (",
        n, n, n, n, sbuf_cstr(&server), *sbuf_cstr(&server) ? ", " : "", n,
        *sbuf_cstr(&mapping) ? " OPTIONS (" : "", sbuf_cstr(&mapping),
        *sbuf_cstr(&mapping) ? ")" : "");
    /* Every other table of the node, whole, in its own schema: the counters and settings the
     * roll-up adds up, and the rest for an analyst who joins within one node. */
    for (size_t i = 0; i < sizeof COUNTY_TABLES / sizeof COUNTY_TABLES[0]; i++)
        sbuf_printf(&sql, "%s%s", i ? ", " : "", COUNTY_TABLES[i]);
    sbuf_printf(&sql, ") FROM SERVER jiayi_node_%s INTO jiayi_node_%s;\n", n, n);
    for (size_t i = 0; i < sizeof COUNTY_TABLES / sizeof COUNTY_TABLES[0]; i++) {
        const char *t = COUNTY_TABLES[i];
        sbuf_printf(&sql,
                    "CREATE TABLE IF NOT EXISTS " FEDERATION_SCHEMA
                    ".%s (LIKE public.%s) PARTITION BY LIST (county_code);\n"
                    "CREATE FOREIGN TABLE jiayi_node_%s.%s PARTITION OF " FEDERATION_SCHEMA
                    ".%s FOR VALUES IN (%s)"
                    " SERVER jiayi_node_%s OPTIONS (schema_name 'public', table_name '%s');\n",
                    t, t, n, t, t, sbuf_cstr(&counties), n, t);
    }
    /* The coordinator's own copy of the nodes' region trees: its logins' scopes and the
     * city's breakdown by county read it (one INSERT: the parents are checked at its end). */
    sbuf_printf(
        &sql,
        "INSERT INTO public.regions (code, name, level, parent) SELECT code, name, level, parent"
        " FROM jiayi_node_%s.regions ON CONFLICT (code) DO UPDATE SET name = excluded.name;\n",
        n);
    same_schema(&sql, n);
    if (run(db, &sql, err) < 0 || add_roll_up_views(db, &sql) < 0 || run(db, &sql, err) < 0) {
        if (!err || !err->status) jy_fail(err, 500, "internal_error", "db", "%s", db_errmsg(db));
        db_rollback(db);
        goto out;
    }
    if (db_commit(db) != DB_DONE) {
        jy_fail(err, 500, "internal_error", "db", "%s", db_errmsg(db));
        goto out;
    }
    /* Statistics of the nodes' rows: without them the planner guesses a foreign table is
     * small and fetches whole tables rather than join them on the node. */
    sbuf_puts(&sql, "ANALYZE ");
    for (size_t i = 0; i < sizeof COUNTY_TABLES / sizeof COUNTY_TABLES[0]; i++)
        sbuf_printf(&sql, "%s" FEDERATION_SCHEMA ".%s", i ? ", " : "", COUNTY_TABLES[i]);
    if (run(db, &sql, err) < 0) goto out;
    rc = 0;
out:
    sbuf_free(&counties), sbuf_free(&server), sbuf_free(&mapping), sbuf_free(&sql);
    return rc;
}

int db_is_coordinator(struct db *db)
{
    if (!db_is_postgresql(db)) return 0;
    struct db_stmt *st =
        db_prepare(db, "SELECT count(*) FROM pg_namespace WHERE nspname = '" FEDERATION_SCHEMA "'");
    if (!st) return -1;
    int64_t n = db_query_int(st, -1);
    return n < 0 ? -1 : n > 0;
}
