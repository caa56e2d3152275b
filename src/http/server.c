/* server.c - libmicrohttpd glue. Bodies are accumulated up to a limit (413 beyond, checked
 * on Content-Length before reading), each worker thread owns one database connection, and
 * the application's dispatch function sees a complete struct request. */
#include "http/server.h"

#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdatomic.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>

#include "db/writer.h"
#include "http/metrics.h"
#include "util/clock.h"
#include "util/log.h"

struct connection_context {
    struct request request;
    char *body;
    size_t len, cap;
    int too_large;
    int dispatched;
    size_t max_body; /* this request's limit: files to /import may be larger */
    struct timespec started;
};

static const struct server_config *active_config;
static pthread_key_t db_key;
static pthread_once_t db_key_once = PTHREAD_ONCE_INIT;
static atomic_ulong request_counter;
static unsigned long request_prefix;

static void close_thread_db(void *db)
{
    db_close(db);
}
static void make_db_key(void)
{
    pthread_key_create(&db_key, close_thread_db);
}

const char *server_db_uri(void)
{
    return active_config ? active_config->db_uri : NULL;
}

struct db *server_thread_db(void)
{
    pthread_once(&db_key_once, make_db_key);
    struct db *db = pthread_getspecific(db_key);
    if (!db && active_config) {
        struct jy_error err;
        db = db_open(active_config->db_uri, &err);
        if (!db)
            log_error("worker cannot open the database: %s", err.detail);
        else
            pthread_setspecific(db_key, db);
    }
    return db;
}

static pthread_key_t read_db_key;
static pthread_once_t read_db_key_once = PTHREAD_ONCE_INIT;
static _Thread_local time_t read_db_failed_at;

static void make_read_db_key(void)
{
    pthread_key_create(&read_db_key, close_thread_db);
}

int server_has_read_db(void)
{
    return active_config && active_config->read_db_uri;
}

struct db *server_thread_read_db(void)
{
    if (!server_has_read_db()) return NULL;
    pthread_once(&read_db_key_once, make_read_db_key);
    struct db *db = pthread_getspecific(read_db_key);
    time_t now = time(NULL);
    if (!db && now - read_db_failed_at >= 5) {
        struct jy_error err;
        db = db_open(active_config->read_db_uri, &err);
        if (!db) {
            read_db_failed_at = now;
            log_error("worker cannot open the read database (reads go to the primary): %s",
                      err.detail);
        } else {
            pthread_setspecific(read_db_key, db);
        }
    }
    return db;
}

static void request_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                              enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)connection;
    struct connection_context *ctx = *con_cls;
    if (!ctx) return;
    struct request *r = &ctx->request;
    log_info("%s %s %d %.1fms %s %s%s", r->method, r->path, r->status,
             clock_ms_since(&ctx->started), r->user.username[0] ? r->user.username : "-",
             r->request_id, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
    if (r->response) MHD_destroy_response(r->response);
    free(r->captured);
    json_decref(r->json_body);
    free(ctx->body);
    free(ctx);
    *con_cls = NULL;
}

/* Counts connections; one opened over --max-connections is marked (its socket context), and
 * its requests are answered 503 with Connection: close instead of being served. */
static char over_limit_mark;

static void connection_notified(void *cls, struct MHD_Connection *connection, void **socket_context,
                                enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)connection;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        if (metrics_connection_opened() > active_config->max_connections)
            *socket_context = &over_limit_mark;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        metrics_connection_closed();
    }
}

static int over_limit(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info && info->socket_context == &over_limit_mark;
}

static int body_append(struct connection_context *ctx, const char *data, size_t n, size_t max)
{
    if (ctx->too_large || ctx->len + n > max) {
        ctx->too_large = 1;
        return 0;
    }
    if (ctx->len + n + 1 > ctx->cap) {
        size_t cap = ctx->cap ? ctx->cap * 2 : 4096;
        while (cap < ctx->len + n + 1)
            cap *= 2;
        char *p = realloc(ctx->body, cap);
        if (!p) return -1;
        ctx->body = p;
        ctx->cap = cap;
    }
    memcpy(ctx->body + ctx->len, data, n);
    ctx->len += n;
    ctx->body[ctx->len] = '\0';
    return 0;
}

static enum MHD_Result queue(struct connection_context *ctx)
{
    struct request *r = &ctx->request;
    if (!r->response) {
        static const char FAIL[] = "{\"status\":500,\"code\":\"internal_error\"}";
        reply_bytes(r, 500, "application/problem+json", FAIL, sizeof FAIL - 1);
    }
    if (!r->response) return MHD_NO;
    /* Counted before the answer leaves: a client that has it sees it in /metrics. */
    metrics_request_done(!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"), r->status,
                         clock_ms_since(&ctx->started));
    return MHD_queue_response(r->connection, (unsigned)r->status, r->response);
}

static size_t limit_for(const char *url)
{
    size_t n = strlen(url);
    int file = (n > 7 && strcmp(url + n - 7, "/import") == 0) ||
               (n > 8 && strcmp(url + n - 8, "/imports") == 0);
    if (file && active_config->max_file_body > active_config->max_body)
        return active_config->max_file_body;
    return active_config->max_body;
}

static void reply_too_large(struct request *r, size_t limit)
{
    struct jy_error err;
    jy_fail(&err, 413, "body_too_large", NULL, "limit %zu bytes", limit);
    reply_error(r, &err);
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *connection, const char *url,
                                      const char *method, const char *version,
                                      const char *upload_data, size_t *upload_data_size,
                                      void **con_cls)
{
    (void)cls;
    (void)version;
    struct connection_context *ctx = *con_cls;
    if (!ctx) {
        ctx = calloc(1, sizeof *ctx);
        if (!ctx) return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &ctx->started);
        struct request *r = &ctx->request;
        r->connection = connection;
        r->method = method;
        r->path = url;
        snprintf(r->request_id, sizeof r->request_id, "%06lx-%lx", request_prefix & 0xffffff,
                 atomic_fetch_add(&request_counter, 1) + 1);
        const char *lang =
            MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Accept-Language");
        r->lang_en = lang && strncmp(lang, "en", 2) == 0;
        *con_cls = ctx;
        ctx->max_body = limit_for(url);
        const char *length =
            MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
        if (over_limit(connection)) {
            ctx->dispatched = 1;
            metrics_connection_refused();
            reply_problem(r, 503, "overloaded", NULL);
            reply_header(r, "Retry-After", "1");
            reply_header(r, "Connection", "close");
            return queue(ctx);
        }
        /* A body a little over the limit is read and dropped so the client sees the 413
         * cleanly; only an absurd one is answered at once and the connection closed. */
        if (length && strtoull(length, NULL, 10) > 16 * ctx->max_body) {
            ctx->too_large = 1;
            ctx->dispatched = 1;
            reply_too_large(r, ctx->max_body);
            return queue(ctx);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (body_append(ctx, upload_data, *upload_data_size, ctx->max_body) < 0) return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (ctx->dispatched) return MHD_YES;
    ctx->dispatched = 1;
    struct request *r = &ctx->request;
    if (ctx->too_large) {
        reply_too_large(r, ctx->max_body);
        return queue(ctx);
    }
    r->body = ctx->body;
    r->body_len = ctx->len;
    r->db = server_thread_db();
    if (!r->db) {
        reply_problem(r, 503, "unavailable", NULL);
        return queue(ctx);
    }
    active_config->dispatch(r);
    if (db_in_transaction(r->db)) db_rollback(r->db); /* a handler bug must not leave one open */
    db_release(r->db);
    if (r->session_cookie[0]) reply_header(r, "Set-Cookie", r->session_cookie);
    return queue(ctx);
}

/* The stop signals, blocked in the calling thread. */
static sigset_t stop_signals(void)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    return stop;
}

void server_block_signals(void)
{
    (void)stop_signals();
}

/* Each connection holds a descriptor: the soft limit is raised to the hard one, and the
 * connections allowed are what then fits beside the database's and the files' (a reserve).
 * Connections over --max-connections are still read, to be answered 503, up to a margin;
 * libmicrohttpd's own limit, past which it drops a new connection unanswered, lies beyond
 * that (twice over: a pool thread takes only its share of it, and the shares fill unevenly). */
#define FD_RESERVE 256u
#define REFUSE_MARGIN 256u

static unsigned open_file_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) getrlimit(RLIMIT_NOFILE, &rl);
    }
    return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1000000 ? 1000000 : (unsigned)rl.rlim_cur;
}

int server_run(const struct server_config *config)
{
    static struct server_config fitted; /* outlives this call: other threads read it */
    fitted = *config;
    unsigned files = open_file_limit();
    unsigned room =
        files > FD_RESERVE + REFUSE_MARGIN + 16 ? files - FD_RESERVE - REFUSE_MARGIN : 16;
    if (fitted.max_connections > room) {
        log_error("--max-connections %u does not fit the open-file limit %u: %u allowed",
                  fitted.max_connections, files, room);
        fitted.max_connections = room;
    }
    unsigned mhd_limit = 2 * (fitted.max_connections + REFUSE_MARGIN);
    if (mhd_limit > files - FD_RESERVE) mhd_limit = files - FD_RESERVE;
    config = &fitted;
    active_config = config;
    request_prefix = (unsigned long)time(NULL);
    /* Workers inherit this mask, so only sigwait() below sees the stop signals. */
    sigset_t stop = stop_signals();
    signal(SIGPIPE, SIG_IGN);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)config->port);
    if (inet_pton(AF_INET, config->bind, &addr.sin_addr) != 1) {
        log_error("--bind %s is not an IPv4 address", config->bind);
        return -1;
    }
    struct MHD_Daemon *daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, (uint16_t)config->port,
        NULL, NULL, access_handler, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, config->threads, MHD_OPTION_CONNECTION_TIMEOUT,
        config->timeout_s, MHD_OPTION_CONNECTION_LIMIT, mhd_limit,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
        request_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, connection_notified, NULL,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
    if (!daemon) {
        log_error("cannot listen on %s:%d", config->bind, config->port);
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    int port = info ? info->port : config->port;
    log_info("jiayi serving http://%s:%d/ (%u threads, at most %u connections)", config->bind, port,
             config->threads, config->max_connections);
    if (config->on_started) config->on_started(port);
    int sig = 0;
    sigwait(&stop, &sig);
    log_info("received %s, stopping", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    MHD_stop_daemon(daemon);
    struct writer_stats ws = writer_stats();
    log_info("stopped; group commit: %llu writes in %llu commits; the writer held %.0f ms of CPU, "
             "%.0f ms of wall time; facts read before the writer: %llu used, %llu read again",
             (unsigned long long)ws.requests, (unsigned long long)ws.batches,
             (double)ws.held_cpu_ns / 1e6, (double)ws.held_wall_ns / 1e6,
             (unsigned long long)ws.unchanged, (unsigned long long)ws.changed);
    return 0;
}
