/* main.c - the jiayi command line: serve, migrate, demo, user, audit, backup, daily.
 * Every command takes --db FILE (or JIAYI_DB). This is the only file that exits. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/api.h"
#include "api/qca_report.h"
#include "api/stats_command.h"
#include "api/routes.h"
#include "api/daily.h"
#include "api/outbox_worker.h"
#include "api/idempotency.h"
#include "api/county_export.h"
#include "api/imports.h"
#include "auth/accounts.h"
#include "auth/audit.h"
#include "auth/audit_queue.h"
#include "auth/scope.h"
#include "auth/password.h"
#include "domain/roles.h"
#include "db/copy.h"
#include "db/federation.h"
#include "db/migrations.h"
#include "db/writer.h"
#include "demo/demo.h"
#include "http/messages.h"
#include "http/server.h"
#include "http/request.h"
#include "json/jsondump.h"
#include "kpi/kpi.h"
#include "store/contracts.h"
#include "store/certificates.h"
#include "store/home_care.h"
#include "store/screening_invites.h"
#include "store/outbox.h"
#include "store/pii.h"
#include "store/population.h"
#include "store/scope.h"
#include "store/service_group.h"
#include "store/users.h"
#include "util/file.h"
#include "util/log.h"

struct options {
    const char *db, *bind, *password, *to, *username, *role, *name, *region, *web;
    const char *audit_key, *audit_checkpoints; /* as given; resolved into the paths below */
    char key_path[4096], checkpoint_path[4096], pii_path[4096];
    const char *pii_key, *cipher; /* --pii-key FILE; pii rotate-key --cipher */
    const char *trusted_proxies;
    const char *metrics_token; /* a file holding the bearer token of GET /metrics */
    const char *mac;           /* audit rotate-key: the new key's MAC */
    const char *csv, *columns; /* stats */
    const char *outcome, *conditions, *cutoff, *thresholds; /* qca */
    const char *outbox, *body, *subject, *key, *read_db, *county;
    const char *node, *node_db, *counties;   /* federate */
    const char *kind, *file, *mode, *source; /* import */
    long team_id;
    int port, threads, secure_cookies, max_connections;
    long residents;
    unsigned long seed;
    long staff_id, resident_id;
};

static void usage(void)
{
    fputs(
        "usage: jiayi COMMAND [options]\n"
        "  serve   --db FILE [--port 8080] [--bind 127.0.0.1] [--threads N] [--web DIR]\n"
        "          [--secure-cookies] [--trusted-proxy ADDR[,ADDR...]] [--outbox CHANNEL]\n"
        "          [--read-db URI] [--max-connections 4000] [--metrics-token FILE]\n"
        "          (CHANNEL: file:PATH or http(s)://URL, else JIAYI_OUTBOX, else\n"
        "          file:<db>.outbox.jsonl; --read-db, or JIAYI_READ_DB: a PostgreSQL standby\n"
        "          for dashboard and list reads, a session reading its own writes;\n"
        "          --max-connections, or JIAYI_MAX_CONNECTIONS: requests on more connections\n"
        "          are answered 503; --metrics-token, or JIAYI_METRICS_TOKEN_FILE: a file whose\n"
        "          token a scraper presents as a bearer to GET /metrics)\n"
        "  migrate --db FILE\n"
        "  copy    --db FILE --to URI  a county's SQLite file into an empty PostgreSQL database\n"
        "  federate --db URI --node NAME --node-db URI --counties CODE[,CODE...]\n"
        "          attach a PostgreSQL node's counties to a coordinator (docs/scale.md)\n"
        "  demo    --db FILE [--residents 300000] [--seed 1] [--password P] [--county CODE]\n"
        "  user add     --db FILE --username U --role ROLE --name NAME [--password P]\n"
        "               [--region CODE] [--staff ID] [--resident ID]\n"
        "               (resident: --resident ID required; health_commission, center_admin:\n"
        "               --region required; a province or a city, e.g. 510000 or 511500:\n"
        "               health_commission only)\n"
        "  user passwd  --db FILE --username U [--password P]\n"
        "  user disable --db FILE --username U\n"
        "  audit verify     --db FILE   check the keyed chain and every checkpoint\n"
        "  audit checkpoint --db FILE   append a signed checkpoint of the chain's head\n"
        "  audit rotate-key --db FILE [--mac hmac-sm3|hmac-sha256]\n"
        "                             add a new audit key (serve uses it from its next start;\n"
        "                             the MAC: JIAYI_AUDIT_MAC, else hmac-sm3)\n"
        "  stats   paired-t|wilcoxon|mcnemar|ols --csv FILE --columns A,B[,...]\n"
        "                             a test on a CSV file's columns, as JSON (no database;\n"
        "                             ols: the outcome first, then the regressors)\n"
        "  qca     --csv FILE --outcome COL [--conditions A,B,...] [--cutoff 0.8]\n"
        "          [--thresholds A=3,B=0.5]\n"
        "                             crisp-set QCA of the cases in a CSV file: the truth table,\n"
        "                             the complex and parsimonious solutions, as JSON\n"
        "  pii rotate-key --db FILE [--cipher sm4|aes256gcm]\n"
        "                             add a PII key; new ID numbers and phones are sealed with it\n"
        "  pii rekey --db FILE        re-seal the older ones with the newest key (servers running)\n"
        "  import  --db FILE --kind KIND --file CSV [--mode good|all] [--username U]\n"
        "          KIND: " IMPORT_KINDS "\n"
        "          [--source NAME]  rows checked as the API checks them, as user U (admin);\n"
        "          good: the good rows kept, all: nothing unless every row is good\n"
        "  export  --db FILE --county CODE --to DIR [--username U]  the county's data set for\n"
        "          the provincial platform: a CSV file per table and manifest.json (rows,\n"
        "          SHA-256), read in one snapshot as user U (admin); audited per page\n"
        "  backup  --db FILE --to FILE\n"
        "  kpi rebuild|check --db FILE\n"
        "  daily   --db FILE          recompute population classes (the daily job)\n"
        "  notice  --db FILE (--team ID | --region CODE) --body TEXT [--subject S] [--key TAG]\n"
        "          a notice to the team's (or the region's) signed residents, through the outbox;\n"
        "          the same TAG (default: from the text and the day) never sends twice\n"
        "  reminders --db FILE        write the day's reminders of due tasks to the outbox\n"
        "  routes                     print the route table with its role policy\n"
        "--db may be replaced by the JIAYI_DB environment variable, --secure-cookies by\n"
        "JIAYI_SECURE_COOKIES=1, --trusted-proxy by JIAYI_TRUSTED_PROXY. A password comes from\n"
        "--password, JIAYI_PASSWORD or a line on standard input; an account's needs at least\n"
        "10 characters, at most 256 bytes, not the username, not a common one; JIAYI_PASSWORD_COST\n"
        "(interactive, the default; moderate; minimum) sets the argon2id cost of new hashes.\n"
        "Every command takes --pii-key FILE (or JIAYI_PII_KEY_FILE; default <db>.pii-key, or\n"
        "<audit key>.pii on PostgreSQL; created on first use; keep it off the database's volume\n"
        "and back it up: without it the ID numbers and phones are lost).\n"
        "serve, demo, daily and audit take --audit-key FILE (or JIAYI_AUDIT_KEY_FILE; default\n"
        "<db>.audit-key, created on first use) and --audit-checkpoints FILE (or\n"
        "JIAYI_AUDIT_CHECKPOINTS; default <db>.audit-checkpoints). Keep both off the database's\n"
        "volume: whoever holds the database and the key file can rewrite the audit trail.\n"
        "--db FILE is a SQLite file, or a PostgreSQL URI (postgresql://user@host[,host2]/db\n"
        "?target_session_attrs=read-write), which needs --audit-key, --audit-checkpoints and\n"
        "--outbox named (docs/scale.md); `backup` is SQLite's only.\n",
        stderr);
}

static int parse_options(int argc, char **argv, int first, struct options *o)
{
    memset(o, 0, sizeof *o);
    o->db = getenv("JIAYI_DB");
    o->trusted_proxies = getenv("JIAYI_TRUSTED_PROXY");
    o->outbox = getenv("JIAYI_OUTBOX");
    o->read_db = getenv("JIAYI_READ_DB");
    const char *secure = getenv("JIAYI_SECURE_COOKIES");
    o->secure_cookies = secure && (!strcmp(secure, "1") || !strcasecmp(secure, "true") ||
                                   !strcasecmp(secure, "yes") || !strcasecmp(secure, "on"));
    o->bind = "127.0.0.1";
    o->port = 8080;
    o->threads = 8;
    const char *max_connections = getenv("JIAYI_MAX_CONNECTIONS");
    o->max_connections = max_connections ? atoi(max_connections) : 4000;
    o->metrics_token = getenv("JIAYI_METRICS_TOKEN_FILE");
    o->residents = 300000;
    o->seed = 1;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--secure-cookies")) { /* the one option without a value */
            o->secure_cookies = 1;
            continue;
        }
        if (!v) {
            fprintf(stderr, "jiayi: %s needs a value\n", a);
            return -1;
        }
        if (!strcmp(a, "--db"))
            o->db = v;
        else if (!strcmp(a, "--bind"))
            o->bind = v;
        else if (!strcmp(a, "--port"))
            o->port = atoi(v);
        else if (!strcmp(a, "--threads"))
            o->threads = atoi(v);
        else if (!strcmp(a, "--max-connections"))
            o->max_connections = atoi(v);
        else if (!strcmp(a, "--metrics-token"))
            o->metrics_token = v;
        else if (!strcmp(a, "--mac"))
            o->mac = v;
        else if (!strcmp(a, "--pii-key"))
            o->pii_key = v;
        else if (!strcmp(a, "--csv"))
            o->csv = v;
        else if (!strcmp(a, "--columns"))
            o->columns = v;
        else if (!strcmp(a, "--outcome"))
            o->outcome = v;
        else if (!strcmp(a, "--conditions"))
            o->conditions = v;
        else if (!strcmp(a, "--cutoff"))
            o->cutoff = v;
        else if (!strcmp(a, "--thresholds"))
            o->thresholds = v;
        else if (!strcmp(a, "--cipher"))
            o->cipher = v;
        else if (!strcmp(a, "--residents"))
            o->residents = atol(v);
        else if (!strcmp(a, "--seed"))
            o->seed = strtoul(v, NULL, 10);
        else if (!strcmp(a, "--county"))
            o->county = v;
        else if (!strcmp(a, "--node"))
            o->node = v;
        else if (!strcmp(a, "--node-db"))
            o->node_db = v;
        else if (!strcmp(a, "--counties"))
            o->counties = v;
        else if (!strcmp(a, "--password"))
            o->password = v;
        else if (!strcmp(a, "--to"))
            o->to = v;
        else if (!strcmp(a, "--username"))
            o->username = v;
        else if (!strcmp(a, "--role"))
            o->role = v;
        else if (!strcmp(a, "--name"))
            o->name = v;
        else if (!strcmp(a, "--region"))
            o->region = v;
        else if (!strcmp(a, "--staff"))
            o->staff_id = atol(v);
        else if (!strcmp(a, "--resident"))
            o->resident_id = atol(v);
        else if (!strcmp(a, "--web"))
            o->web = v;
        else if (!strcmp(a, "--audit-key"))
            o->audit_key = v;
        else if (!strcmp(a, "--audit-checkpoints"))
            o->audit_checkpoints = v;
        else if (!strcmp(a, "--trusted-proxy"))
            o->trusted_proxies = v;
        else if (!strcmp(a, "--outbox"))
            o->outbox = v;
        else if (!strcmp(a, "--read-db"))
            o->read_db = v;
        else if (!strcmp(a, "--team"))
            o->team_id = atol(v);
        else if (!strcmp(a, "--body"))
            o->body = v;
        else if (!strcmp(a, "--subject"))
            o->subject = v;
        else if (!strcmp(a, "--key"))
            o->key = v;
        else if (!strcmp(a, "--kind"))
            o->kind = v;
        else if (!strcmp(a, "--file"))
            o->file = v;
        else if (!strcmp(a, "--mode"))
            o->mode = v;
        else if (!strcmp(a, "--source"))
            o->source = v;
        else {
            fprintf(stderr, "jiayi: unknown option %s\n", a);
            return -1;
        }
        i++;
    }
    if (o->port < 0 || o->port > 65535 || o->threads < 1 || o->threads > 256 || o->residents < 0 ||
        o->max_connections < 1 || o->max_connections > 1000000) {
        fputs("jiayi: --port, --threads, --max-connections or --residents out of range\n", stderr);
        return -1;
    }
    return 0;
}

static struct db *open_migrated(const struct options *o)
{
    struct jy_error err;
    struct db *db = db_open(o->db, &err);
    if (!db) {
        fprintf(stderr, "jiayi: %s\n", err.detail);
        return NULL;
    }
    if (db_migrate(db) < 0) {
        fprintf(stderr, "jiayi: migration failed\n");
        db_close(db);
        return NULL;
    }
    /* ID numbers and phones are sealed with the PII keys (created on first use); what an
     * older version left in plain text is sealed now, before anything reads it. */
    if (seal_keys_open(o->pii_path, 1, &err) < 0) {
        fprintf(stderr, "jiayi: %s\n", err.detail);
        db_close(db);
        return NULL;
    }
    int64_t sealed = pii_seal_pending(db, 0, 512);
    if (sealed < 0) {
        fprintf(stderr, "jiayi: cannot seal the ID numbers and phones left in plain text\n");
        db_close(db);
        return NULL;
    }
    if (sealed > 0) log_info("sealed %lld ID numbers, phones and addresses", (long long)sealed);
    return db;
}

static int is_postgresql_uri(const char *db)
{
    return db && (!strncmp(db, "postgresql://", 13) || !strncmp(db, "postgres://", 11));
}

/* The audit key and checkpoint files: the option, else the environment, else next to the
 * database (so that a fresh install works; docs/security.md says to move them away). */
static int resolve_audit_files(struct options *o)
{
    const char *key = o->audit_key ? o->audit_key : getenv("JIAYI_AUDIT_KEY_FILE");
    const char *checkpoints =
        o->audit_checkpoints ? o->audit_checkpoints : getenv("JIAYI_AUDIT_CHECKPOINTS");
    if (!(key && *key && checkpoints && *checkpoints) && is_postgresql_uri(o->db)) {
        /* Several servers share one database: they must share the key, so it is named. */
        fputs("jiayi: a PostgreSQL database needs --audit-key FILE and --audit-checkpoints FILE\n"
              "(or JIAYI_AUDIT_KEY_FILE and JIAYI_AUDIT_CHECKPOINTS): there is no database file\n"
              "to keep them next to\n",
              stderr);
        return -1;
    }
    int n = key && *key ? snprintf(o->key_path, sizeof o->key_path, "%s", key)
                        : snprintf(o->key_path, sizeof o->key_path, "%s.audit-key", o->db);
    int m = checkpoints && *checkpoints
                ? snprintf(o->checkpoint_path, sizeof o->checkpoint_path, "%s", checkpoints)
                : snprintf(o->checkpoint_path, sizeof o->checkpoint_path, "%s.audit-checkpoints",
                           o->db);
    /* The PII key (util/seal.h): named, else beside the database file, else (PostgreSQL)
     * beside the audit key, which the servers of one database already share. */
    const char *pii = o->pii_key ? o->pii_key : getenv("JIAYI_PII_KEY_FILE");
    int p = pii && *pii ? snprintf(o->pii_path, sizeof o->pii_path, "%s", pii)
            : is_postgresql_uri(o->db)
                ? snprintf(o->pii_path, sizeof o->pii_path, "%s.pii", o->key_path)
                : snprintf(o->pii_path, sizeof o->pii_path, "%s.pii-key", o->db);
    if (n >= (int)sizeof o->key_path || m >= (int)sizeof o->checkpoint_path ||
        p >= (int)sizeof o->pii_path) {
        fputs("jiayi: the audit key, checkpoint or PII key file path is too long\n", stderr);
        return -1;
    }
    return 0;
}

/* Loads this process's audit key (creating the key file on first use) for the entries it
 * will append and the checkpoints it will sign. */
static int open_anchor(const struct options *o)
{
    struct jy_error err;
    if (audit_anchor_open(o->key_path, o->checkpoint_path, 1, &err) == 0) return 0;
    fprintf(stderr, "jiayi: %s\n", err.detail);
    return -1;
}

/* Appends a signed checkpoint of the chain's head as db sees it. */
static int write_checkpoint(struct db *db)
{
    struct jy_error err;
    if (audit_anchor_checkpoint(db, 0, &err) >= 0) return 0;
    fprintf(stderr, "jiayi: %s\n", err.detail);
    return -1;
}

static void print_port(int port)
{
    printf("listening on port %d\n", port);
    fflush(stdout);
}

static int cmd_serve(const struct options *o)
{
    if (request_set_trusted_proxies(o->trusted_proxies) < 0) {
        fprintf(stderr, "jiayi serve: --trusted-proxy %s: not a list of at most 8 IP addresses\n",
                o->trusted_proxies);
        return 2;
    }
    if (o->read_db && *o->read_db && !(is_postgresql_uri(o->read_db) && is_postgresql_uri(o->db))) {
        fputs("jiayi serve: --read-db names a PostgreSQL standby of a PostgreSQL --db\n", stderr);
        return 2;
    }
    if (o->metrics_token && *o->metrics_token && scope_load_metrics_token(o->metrics_token) < 0)
        return 2;
    api_set_secure_cookies(o->secure_cookies);
    if (o->secure_cookies) log_info("session cookies carry Secure (--secure-cookies)");
    if (o->trusted_proxies && *o->trusted_proxies)
        log_info("trusting X-Forwarded-For and X-Forwarded-Proto from %s", o->trusted_proxies);
    /* Before the daily job's and the auditor's threads start, so they inherit the mask. */
    server_block_signals();
    struct db *db = open_migrated(o);
    if (!db) return 1;
    /* A checkpoint before the first entry: it also marks where unkeyed (pre-012) entries end. */
    if (open_anchor(o) < 0 || write_checkpoint(db) < 0) {
        db_close(db);
        return 1;
    }
    /* A coordinator's counties are kept, and passed daily, by their own nodes' servers. */
    int coordinator = db_is_coordinator(db);
    db_close(db);
    log_info("audit key file %s, checkpoints %s", o->key_path, o->checkpoint_path);
    if (coordinator)
        log_info("coordinator: county data read from the nodes; no daily job here");
    else if (daily_job_start(o->db) < 0)
        fputs("jiayi: cannot start the daily job\n", stderr);
    if (audit_queue_start(o->db) < 0) {
        fputs("jiayi: cannot start the auditor\n", stderr);
        return 1;
    }
    if (outbox_worker_start(o->db, o->outbox) < 0) return 2;
    if (o->web) api_set_web_dir(o->web);
    struct server_config config = {.bind = o->bind,
                                   .port = o->port,
                                   .db_uri = o->db,
                                   .max_body = 1024 * 1024,
                                   .max_file_body = 64 * 1024 * 1024,
                                   .threads = (unsigned)o->threads,
                                   .timeout_s = 30,
                                   .max_connections = (unsigned)o->max_connections,
                                   .dispatch = api_dispatch,
                                   .on_started = print_port,
                                   .read_db_uri = o->read_db && *o->read_db ? o->read_db : NULL};
    if (config.read_db_uri) log_info("dashboard and list reads from the standby of --read-db");
    int rc = server_run(&config);
    outbox_worker_stop();
    /* Requests have stopped: every queued read entry reaches the chain before exit, and the
     * chain's final head is anchored. */
    if (audit_queue_flush() < 0) rc = -1;
    struct jy_error err;
    if (!(db = db_open(o->db, &err))) {
        fprintf(stderr, "jiayi: %s\n", err.detail);
        rc = -1;
    } else {
        if (write_checkpoint(db) < 0) rc = -1;
        db_close(db);
    }
    audit_anchor_close();
    return rc == 0 ? 0 : 1;
}

/* A password from --password, JIAYI_PASSWORD or a line on standard input, whole: never cut to
 * a buffer (the policy refuses one that is too long). Caller frees. NULL when there is none. */
static char *read_password(const struct options *o)
{
    const char *p = o->password ? o->password : getenv("JIAYI_PASSWORD");
    if (p && (*p || o->password)) return strdup(p); /* an empty JIAYI_PASSWORD is no password */
    if (isatty(0)) fputs("password: ", stderr);
    char *line = NULL;
    size_t cap = 0;
    if (getline(&line, &cap, stdin) < 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

static void free_password(char *password)
{
    if (!password) return;
    sodium_memzero(password, strlen(password));
    free(password);
}

/* Messages of the command line are zh-CN, like the API's, unless the locale asks for English. */
static int cli_english(void)
{
    const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(names[i]);
        if (v && *v) return strncmp(v, "en", 2) == 0;
    }
    return 0;
}

/* Prints err as "jiayi WHAT: message [value] (code)"; returns the exit status it calls for:
 * 2 for input the policy refuses, 1 for a conflict or a failure. */
static int report(const char *what, const struct jy_error *err)
{
    fprintf(stderr, "jiayi %s: %s", what, message_for(err->code, cli_english()));
    if (err->value[0]) fprintf(stderr, " [%s]", err->value);
    fprintf(stderr, " (%s)\n", err->code);
    return err->status == 422 ? 2 : 1;
}

static int user_add(struct db *db, const struct options *o, const char *password)
{
    enum role role = role_parse(o->role);
    struct account_request a = {o->username, password,    o->name,       role,
                                o->region,   o->staff_id, o->resident_id};
    struct jy_error err;
    if (account_check_new(db, &a, &err) < 0) return report("user add", &err);
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) < 0 || db_begin(db) != DB_DONE) {
        fprintf(stderr, "jiayi user add: %s\n", db_errmsg(db));
        return 1;
    }
    int64_t id = store_user_insert(db, o->username, hash, role, o->name, o->region, o->resident_id);
    if (id > 0 && (!o->staff_id || store_staff_link_user(db, o->staff_id, id) == 0) &&
        db_commit(db) == DB_DONE) {
        printf("added %s (%s)\n", o->username, role_name(role));
        return 0;
    }
    db_rollback(db);
    fprintf(stderr, "jiayi user add: cannot add %s: %s\n", o->username, db_errmsg(db));
    return 1;
}

static int user_passwd(struct db *db, const struct options *o, const char *password)
{
    struct user_row user;
    int found = store_user_by_username(db, o->username, &user);
    if (found <= 0) {
        fprintf(stderr, "jiayi: no user %s\n", o->username);
        return 1;
    }
    struct jy_error err;
    if (password_policy_check(password, user.username, &err) < 0)
        return report("user passwd", &err);
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash) < 0) return 1;
    if (db_begin(db) == DB_DONE && store_user_set_password(db, user.username, hash) == 0 &&
        store_sessions_delete_user(db, user.username) == 0 && db_commit(db) == DB_DONE) {
        printf("password changed for %s; their sessions were ended\n", user.username);
        return 0;
    }
    db_rollback(db);
    fprintf(stderr, "jiayi user passwd: %s\n", db_errmsg(db));
    return 1;
}

static int cmd_user(const char *sub, const struct options *o)
{
    if (!o->username) {
        fputs("jiayi user: --username is required\n", stderr);
        return 2;
    }
    int add = !strcmp(sub, "add"), passwd = !strcmp(sub, "passwd");
    if (!add && !passwd && strcmp(sub, "disable") != 0) {
        usage();
        return 2;
    }
    if (add && (role_parse(o->role) == ROLE_NONE || !o->name)) {
        fputs("jiayi user add: --role (system_admin, health_commission, center_admin, team_lead,"
              " doctor, nurse, public_health_doctor, village_doctor, assistant, resident) and"
              " --name are required\n",
              stderr);
        return 2;
    }
    struct db *db = open_migrated(o);
    if (!db) return 1;
    int rc = 1;
    if (!add && !passwd) {
        if (db_begin(db) == DB_DONE && store_user_set_disabled(db, o->username, 1) == 0 &&
            store_sessions_delete_user(db, o->username) == 0 && db_commit(db) == DB_DONE) {
            printf("disabled %s\n", o->username);
            rc = 0;
        } else {
            db_rollback(db);
            fprintf(stderr, "jiayi: no user %s\n", o->username);
        }
        db_close(db);
        return rc;
    }
    char *password = read_password(o);
    if (!password) {
        fputs("jiayi user: no password given (--password, JIAYI_PASSWORD or standard input)\n",
              stderr);
        rc = 2;
    } else {
        rc = add ? user_add(db, o, password) : user_passwd(db, o, password);
    }
    free_password(password);
    db_close(db);
    return rc;
}

static int cmd_audit_verify(const struct options *o)
{
    static struct audit_keyring ring; /* 35 KB: not on the stack */
    struct jy_error err;
    if (audit_keyring_load(&ring, o->key_path, 0, &err) < 0) {
        fprintf(stderr, "jiayi: %s\n", err.detail);
        return 1;
    }
    struct db *db = open_migrated(o);
    if (!db) return 1;
    struct audit_verify_result result;
    int rc = audit_verify(db, &ring, o->checkpoint_path, &result);
    int has_keys = ring.count > 0;
    db_close(db);
    audit_keyring_wipe(&ring);
    if (rc == 0) {
        printf("audit chain intact: %lld entries, %lld checkpoints\n", (long long)result.rows,
               (long long)result.checkpoints);
        if (result.torn)
            printf("note: %lld incomplete checkpoint lines skipped (a crash while appending)\n",
                   (long long)result.torn);
        if (!has_keys && !result.checkpoints)
            printf("note: no key file at %s and no checkpoints: only an unkeyed chain was"
                   " checked\n",
                   o->key_path);
        return 0;
    }
    if (rc > 0 && result.first_bad_id)
        printf("audit chain broken at entry %lld: %s\n", (long long)result.first_bad_id,
               result.reason);
    else if (rc > 0)
        printf("audit chain broken: %s\n", result.reason);
    else
        fprintf(stderr, "jiayi: %s\n", result.reason);
    return 1;
}

static int cmd_audit_checkpoint(const struct options *o)
{
    struct db *db = open_migrated(o);
    if (!db) return 1;
    int rc = open_anchor(o) < 0 || write_checkpoint(db) < 0 ? 1 : 0;
    db_close(db);
    if (rc == 0) printf("checkpoint appended to %s\n", o->checkpoint_path);
    return rc;
}

/* A new key for new entries; the old ones stay in the file so that their entries verify. A
 * checkpoint signed with the new key follows at once, proving it works. */
static int cmd_audit_rotate_key(const struct options *o)
{
    struct jy_error err;
    enum mac_alg alg = mac_alg_default();
    if (o->mac && mac_alg_parse(o->mac, &alg) < 0) {
        fprintf(stderr, "jiayi: --mac %s: hmac-sm3 or hmac-sha256\n", o->mac);
        return 2;
    }
    int64_t id = audit_keyring_rotate(o->key_path, alg, &err);
    if (id < 0) {
        fprintf(stderr, "jiayi: %s\n", err.detail);
        return 1;
    }
    printf("added audit key %lld (%s) to %s; a running server uses it after its next start\n",
           (long long)id, mac_alg_name(alg), o->key_path);
    return cmd_audit_checkpoint(o);
}

/* A new PII key for new values; `pii rekey` then re-seals the older ones, servers running. */
static int cmd_pii(const char *sub, const struct options *o)
{
    struct jy_error err;
    if (!strcmp(sub, "rotate-key")) {
        enum seal_cipher cipher = seal_cipher_default();
        if (o->cipher && seal_cipher_parse(o->cipher, &cipher) < 0) {
            fprintf(stderr, "jiayi: --cipher %s: sm4 or aes256gcm\n", o->cipher);
            return 2;
        }
        struct db *db = open_migrated(o); /* the file exists, and nothing is left in plain */
        if (!db) return 1;
        db_close(db);
        int64_t id = seal_keys_rotate(o->pii_path, cipher, &err);
        if (id < 0) {
            fprintf(stderr, "jiayi: %s\n", err.detail);
            return 1;
        }
        printf("added PII key %lld (%s) to %s; `jiayi pii rekey` re-seals the older values\n",
               (long long)id, seal_cipher_name(cipher), o->pii_path);
        return 0;
    }
    if (!strcmp(sub, "rekey")) {
        struct db *db = open_migrated(o);
        if (!db) return 1;
        int64_t n = pii_seal_pending(db, 1, 512);
        db_close(db);
        if (n < 0) {
            fputs("jiayi pii rekey: failed; run it again (each batch is whole)\n", stderr);
            return 1;
        }
        printf("re-sealed %lld values with PII key %lld\n", (long long)n,
               (long long)seal_newest_key());
        return 0;
    }
    usage();
    return 2;
}

static int cmd_audit(const char *sub, const struct options *o)
{
    if (!strcmp(sub, "verify")) return cmd_audit_verify(o);
    if (!strcmp(sub, "checkpoint")) return cmd_audit_checkpoint(o);
    if (!strcmp(sub, "rotate-key")) return cmd_audit_rotate_key(o);
    usage();
    return 2;
}

static int cmd_backup(const struct options *o)
{
    if (!o->to) {
        fputs("jiayi backup: --to FILE is required\n", stderr);
        return 2;
    }
    struct jy_error err;
    struct db *db = db_open(o->db, &err);
    if (!db) {
        fprintf(stderr, "jiayi: %s\n", err.detail);
        return 1;
    }
    int rc = db_backup(db, o->to, &err);
    db_close(db);
    if (rc < 0) {
        fprintf(stderr, "jiayi: %s\n", err.detail);
        return 1;
    }
    printf("backed up %s to %s\n", o->db, o->to);
    return 0;
}

static int cmd_kpi(const char *sub, const struct options *o)
{
    struct db *db = open_migrated(o);
    if (!db) return 1;
    int rc = 1;
    if (!strcmp(sub, "rebuild")) {
        struct kpi_frame frame;
        struct date as_of = date_today();
        /* Keep the date the counters stand at; the daily job moves it. */
        if (kpi_frame_load(db, &frame) == 0 && frame.as_of.year) as_of = frame.as_of;
        long rows = kpi_rebuild(db, as_of);
        if (rows >= 0) {
            printf("indicators rebuilt: %ld counters\n", rows);
            rc = 0;
        } else {
            fprintf(stderr, "jiayi kpi rebuild: %s\n", db_errmsg(db));
        }
    } else if (!strcmp(sub, "check")) {
        long differences = kpi_check(db, stdout);
        if (differences == 0) {
            puts("indicators exact: the counters equal a recomputation from the raw data");
            rc = 0;
        } else if (differences > 0) {
            printf("%ld differences\n", differences);
        } else {
            fprintf(stderr, "jiayi kpi check: %s\n", db_errmsg(db));
        }
    } else {
        fprintf(stderr, "jiayi kpi: unknown command %s (rebuild or check)\n", sub);
        rc = 2;
    }
    db_close(db);
    return rc;
}

/* A notice to the signed residents of a team or a region, through the outbox (the serving
 * process's delivery worker sends it). */
struct cli_import {
    struct db *db;
    int tty;
};

static struct db *cli_import_begin(void *ctx)
{
    struct cli_import *c = ctx;
    return db_begin(c->db) == DB_DONE ? c->db : NULL;
}

static int cli_import_commit(void *ctx)
{
    struct cli_import *c = ctx;
    return db_commit(c->db) == DB_DONE ? 0 : -1;
}

static void cli_import_rollback(void *ctx)
{
    struct cli_import *c = ctx;
    db_rollback(c->db);
}

static void cli_import_progress(void *ctx, long done, long total)
{
    struct cli_import *c = ctx;
    fprintf(stderr, c->tty ? "\rjiayi import: %ld of %ld rows" : "jiayi import: %ld of %ld rows\n",
            done, total);
}

/* The importing user as a principal, with the regions they may register people in (NULL:
 * everywhere, a system admin). 0, or -1 with a message. */
static int import_user(struct db *db, const char *username, struct principal *who,
                       struct scope_regions *scope, const struct scope_regions **grants)
{
    struct user_row u;
    if (store_user_by_username(db, username, &u) != 1 || u.disabled) {
        fprintf(stderr, "jiayi import: no such user %s\n", username);
        return -1;
    }
    memset(who, 0, sizeof *who);
    who->user_id = u.id;
    who->role = u.role;
    snprintf(who->username, sizeof who->username, "%s", u.username);
    snprintf(who->display_name, sizeof who->display_name, "%s", u.display_name);
    *grants = NULL;
    if (u.role == ROLE_SYSTEM_ADMIN) return 0;
    int n = store_scope_entries(db, u.id, scope->codes, scope->subtree, SCOPE_MAX_GRANTS);
    if (n < 0) return -1;
    scope->count = n;
    *grants = scope;
    return 0;
}

static int cmd_import(const struct options *o)
{
    if (!o->kind || !o->file) {
        fputs("jiayi import: --kind and --file are required\n", stderr);
        return 2;
    }
    if (!import_kind_known(o->kind)) {
        fprintf(stderr, "jiayi import: --kind %s: not one of " IMPORT_KINDS "\n", o->kind);
        return 2;
    }
    size_t len;
    char *data = file_read_all(o->file, &len);
    if (!data) {
        fprintf(stderr, "jiayi import: %s: %s\n", o->file, strerror(errno));
        return 1;
    }
    struct db *db = open_migrated(o);
    struct principal who;
    struct scope_regions scope;
    const struct scope_regions *grants;
    int rc = 1;
    if (!db || open_anchor(o) < 0 ||
        import_user(db, o->username ? o->username : "admin", &who, &scope, &grants) < 0)
        goto out;
    const char *slash = strrchr(o->file, '/');
    struct import_request req = {o->kind,
                                 o->mode ? o->mode : "good",
                                 o->source ? o->source
                                 : slash   ? slash + 1
                                           : o->file,
                                 data,
                                 len,
                                 &who,
                                 "cli-import",
                                 grants,
                                 date_today()};
    struct cli_import c = {db, isatty(2)};
    struct import_io io = {cli_import_begin, cli_import_commit, cli_import_rollback,
                           cli_import_progress, &c};
    struct import_result res;
    struct jy_error err;
    if (import_run(db, &req, &io, &res, &err) < 0) {
        fprintf(stderr, "%sjiayi import: %s%s%s (%s)\n", c.tty ? "\n" : "", err.code,
                err.field[0] ? ": " : "", err.field, err.detail);
        goto out;
    }
    if (c.tty) fputc('\n', stderr);
    json_t *summary =
        json_pack("{s:I, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:o, s:b}", "import_id",
                  (json_int_t)res.import_id, "kind", o->kind, "status", res.status, "rows",
                  (int)res.rows, "accepted", (int)res.accepted, "unchanged", (int)res.unchanged,
                  "rejected", (int)res.rejected, "stored_to_row", res.stored_to_row, "errors",
                  res.errors, "errors_truncated", res.errors_truncated);
    char *text = summary ? jsonx_dumps(summary) : NULL;
    if (text) puts(text);
    free(text);
    json_decref(summary);
    rc = write_checkpoint(db) < 0 ? 1 : !strcmp(res.status, "complete") ? 0 : 3;
out:
    db_close(db);
    free(data);
    return rc;
}

static void cli_export_progress(void *ctx, const char *table, long long rows)
{
    int tty = *(const int *)ctx;
    fprintf(stderr, tty ? "\rjiayi export: %-14s %lld rows" : "jiayi export: %s %lld rows\n", table,
            rows);
}

/* The county's whole data set as CSV files and a manifest (api/county_export.h), read as
 * user U, who must read residents and see the whole county. */
static int cmd_export(const struct options *o)
{
    if (!o->county || !o->to) {
        fputs("jiayi export: --county and --to are required\n", stderr);
        return 2;
    }
    struct jy_error err;
    struct db *db = open_migrated(o), *audit_db = db ? db_open(o->db, &err) : NULL;
    struct principal who;
    struct scope_regions scope;
    const struct scope_regions *grants;
    int rc = 1, tty = isatty(2);
    if (!db || !audit_db || open_anchor(o) < 0 ||
        import_user(db, o->username ? o->username : "admin", &who, &scope, &grants) < 0)
        goto out;
    int covered = !grants && role_allows(who.role, ACT_RESIDENT_READ);
    for (int i = 0; grants && role_allows(who.role, ACT_RESIDENT_READ) && i < grants->count; i++)
        if (grants->subtree[i] && !strncmp(o->county, grants->codes[i], strlen(grants->codes[i])))
            covered = 1;
    if (!covered) {
        fprintf(stderr, "jiayi export: %s may not read every resident of %s\n", who.username,
                o->county);
        goto out;
    }
    struct county_export_request req = {o->county,           o->to, &who, "cli-export",
                                        cli_export_progress, &tty};
    if (county_export_run(db, audit_db, &req, &err) < 0) {
        fprintf(stderr, "%sjiayi export: %s%s%s (%s)\n", tty ? "\n" : "", err.code,
                err.field[0] ? ": " : "", err.field, err.detail);
        goto out;
    }
    if (tty) fputc('\n', stderr);
    printf("%s/manifest.json\n", o->to);
    rc = write_checkpoint(audit_db) < 0 ? 1 : 0;
out:
    if (audit_db) db_close(audit_db);
    if (db) db_close(db);
    return rc;
}

static int cmd_notice(const struct options *o)
{
    if ((o->team_id <= 0) == (!o->region) || !o->body || !*o->body) {
        fputs("jiayi notice: --body and one of --team ID or --region CODE are required\n", stderr);
        return 2;
    }
    if (strlen(o->body) > 2000 || (o->subject && strlen(o->subject) > 200) ||
        (o->key && (strlen(o->key) > 64 || strchr(o->key, ':')))) {
        fputs(
            "jiayi notice: --body over 2000 bytes, --subject over 200, or --key over 64 or with ':'\n",
            stderr);
        return 2;
    }
    char tag[65];
    if (o->key) {
        snprintf(tag, sizeof tag, "%s", o->key);
    } else {
        /* The same text to the same people on the same day is one notice. */
        char today[11];
        date_format(date_today(), today);
        unsigned char digest[8];
        crypto_generichash_state h;
        crypto_generichash_init(&h, NULL, 0, sizeof digest);
        char team[24];
        snprintf(team, sizeof team, "%ld", o->team_id);
        const char *parts[] = {team, o->region ? o->region : "", o->subject ? o->subject : "",
                               o->body, today};
        for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
            crypto_generichash_update(&h, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
        crypto_generichash_final(&h, digest, sizeof digest);
        sodium_bin2hex(tag, sizeof tag, digest, sizeof digest);
    }
    struct db *db = open_migrated(o);
    if (!db) return 1;
    int64_t no_phone = 0, n = -1;
    if (db_begin(db) == DB_DONE) {
        n = store_outbox_notice(db, o->team_id, o->region, tag, o->subject, o->body, &no_phone);
        if (n < 0 || db_commit(db) != DB_DONE) {
            db_rollback(db);
            n = -1;
        }
    }
    if (n < 0)
        fprintf(stderr, "jiayi notice: %s\n", db_errmsg(db));
    else
        printf("notice %s: %lld signed residents, %lld of them without a phone (not sent)\n", tag,
               (long long)n, (long long)no_phone);
    db_close(db);
    return n < 0 ? 1 : 0;
}

static int cmd_routes(void)
{
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        printf("%-6s %-40s %-16s", ROUTES[i].method, ROUTES[i].pattern,
               action_name(ROUTES[i].action));
        for (int role = 1; role < ROLE_COUNT; role++)
            if (role_allows((enum role)role, ROUTES[i].action))
                printf(" %s", role_name((enum role)role));
        putchar('\n');
    }
    return 0;
}

/* A county from its SQLite file into an empty PostgreSQL database (db/copy.h). */
static int cmd_copy(const struct options *o)
{
    if (!o->to || !is_postgresql_uri(o->to) || is_postgresql_uri(o->db)) {
        fputs("jiayi copy: --db FILE (SQLite) --to URI (PostgreSQL) are required\n", stderr);
        return 2;
    }
    struct options target = *o;
    target.db = o->to;
    struct db *from = open_migrated(o), *to = from ? open_migrated(&target) : NULL;
    if (!to) {
        db_close(from);
        return 1;
    }
    time_t started = time(NULL);
    struct jy_error err = {0};
    long rows = db_copy_database(from, to, &err);
    if (rows < 0)
        fprintf(stderr, "jiayi copy: %s\n", err.detail);
    else
        printf("copied %ld rows in %lds\n", rows, (long)(time(NULL) - started));
    db_close(to);
    db_close(from);
    return rows < 0 ? 1 : 0;
}

/* Attaches a node's counties to a coordinator (db/federation.h). */
static int cmd_federate(const struct options *o)
{
    if (!o->node || !o->node_db || !o->counties) {
        fputs("jiayi federate: --node NAME --node-db URI --counties CODE[,CODE...] are required\n",
              stderr);
        return 2;
    }
    struct db *db = open_migrated(o);
    if (!db) return 1;
    struct federation_node node = {o->node, o->node_db, o->counties};
    struct jy_error err = {0};
    int rc = db_federate(db, &node, &err);
    if (rc < 0)
        fprintf(stderr, "jiayi federate: %s%s%s\n", err.field, *err.field ? ": " : "", err.detail);
    else
        printf("node %s attached: counties %s\n", o->node, o->counties);
    db_close(db);
    return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage();
        return argc < 2 ? 2 : 0;
    }
    int password_ready = password_init();
    if (password_ready == -2) {
        fputs("jiayi: JIAYI_PASSWORD_COST must be interactive, moderate or minimum\n", stderr);
        return 2;
    }
    if (password_ready < 0) {
        fputs("jiayi: libsodium failed to initialise\n", stderr);
        return 1;
    }
    /* Every connection keeps the indicator counters in step with its writes (a no-op until
     * the counters are first built, so the demo writes freely and builds them at the end). */
    db_set_open_hook(kpi_attach);
    writer_set_batch_hooks(kpi_batch_kept, kpi_batch_flush);
    const char *cmd = argv[1];
    const char *sub = argc > 2 && argv[2][0] != '-' ? argv[2] : NULL;
    struct options o;
    if (parse_options(argc, argv, sub ? 3 : 2, &o) < 0) return 2;
    if (!strcmp(cmd, "routes")) return cmd_routes();
    if (!strcmp(cmd, "stats")) return stats_command(sub, o.csv, o.columns, stdout, stderr);
    if (!strcmp(cmd, "qca"))
        return qca_command(o.csv, o.outcome, o.conditions, o.cutoff, o.thresholds, stdout, stderr);
    if (!o.db) {
        fputs("jiayi: --db FILE (or JIAYI_DB) is required\n", stderr);
        return 2;
    }
    if (resolve_audit_files(&o) < 0) return 2;
    if (!strcmp(cmd, "serve")) return cmd_serve(&o);
    if (!strcmp(cmd, "migrate")) {
        struct db *db = open_migrated(&o);
        if (!db) return 1;
        printf("schema version %d\n", db_schema_version(db));
        db_close(db);
        return 0;
    }
    if (!strcmp(cmd, "demo")) {
        struct db *db = open_migrated(&o);
        if (!db) return 1;
        struct demo_options d = {o.residents, o.seed, o.password, o.county};
        int rc = open_anchor(&o) < 0 ? -1 : demo_build(db, &d);
        if (rc == 0 && write_checkpoint(db) < 0) rc = -1;
        db_close(db);
        return rc == 0 ? 0 : 1;
    }
    if (!strcmp(cmd, "federate")) return cmd_federate(&o);
    if (!strcmp(cmd, "copy")) return cmd_copy(&o);
    if (!strcmp(cmd, "user") && sub) return cmd_user(sub, &o);
    if (!strcmp(cmd, "audit") && sub) return cmd_audit(sub, &o);
    if (!strcmp(cmd, "pii") && sub) return cmd_pii(sub, &o);
    if (!strcmp(cmd, "backup")) return cmd_backup(&o);
    if (!strcmp(cmd, "import")) return cmd_import(&o);
    if (!strcmp(cmd, "export")) return cmd_export(&o);
    if (!strcmp(cmd, "notice")) return cmd_notice(&o);
    if (!strcmp(cmd, "kpi") && sub) return cmd_kpi(sub, &o);
    if (!strcmp(cmd, "reminders")) {
        struct db *db = open_migrated(&o);
        if (!db) return 1;
        long written = store_reminders_pass(db, date_today());
        if (written >= 0) printf("%ld reminders written to the outbox\n", written);
        db_close(db);
        return written < 0 ? 1 : 0;
    }
    if (!strcmp(cmd, "daily")) {
        struct db *db = open_migrated(&o);
        if (!db) return 1;
        /* Run from cron, the daily job also anchors the chain once a day when the server
         * never stops cleanly. */
        if (open_anchor(&o) < 0) {
            db_close(db);
            return 1;
        }
        long changed = store_recompute_all(db, date_today());
        if (changed >= 0 && store_enrol_all(db, date_today()) < 0) changed = -1;
        long contracts = changed < 0 ? -1 : store_contracts_daily(db, date_today());
        if (contracts >= 0 && store_home_visits_daily(db, date_today()) < 0) contracts = -1;
        if (contracts >= 0 && store_certificates_daily(db, date_today()) < 0) contracts = -1;
        if (contracts >= 0 && store_screening_invitations_daily(db, date_today()) < 0)
            contracts = -1;
        if (contracts >= 0 && store_reminders_pass(db, date_today()) < 0) contracts = -1;
        if (contracts >= 0 && kpi_advance(db, date_today()) < 0) contracts = -1;
        if (contracts >= 0 && idempotency_prune(db, (int64_t)time(NULL)) < 0) contracts = -1;
        if (contracts >= 0 && write_checkpoint(db) < 0) contracts = -1;
        if (contracts >= 0)
            printf(
                "%ld population classes changed; %ld contracts expired, started or proposed for renewal\n",
                changed, contracts);
        db_close(db);
        return changed < 0 || contracts < 0 ? 1 : 0;
    }
    usage();
    return 2;
}
