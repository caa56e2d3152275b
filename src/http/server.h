/* server.h - the HTTP server: libmicrohttpd with a thread pool and keep-alive, request
 * size and time limits, one log line per request, clean stop on SIGTERM/SIGINT. */
#ifndef JIAYI_HTTP_SERVER_H
#define JIAYI_HTTP_SERVER_H

#include <stddef.h>

#include "http/request.h"

struct server_config {
    const char *bind;         /* "127.0.0.1" */
    int port;                 /* 0 picks a free port (printed) */
    const char *db_uri;       /* each worker thread opens its own connection */
    size_t max_body;          /* bytes; larger bodies get 413 */
    size_t max_file_body;     /* the same for file uploads (paths ending in /import or /imports) */
    unsigned threads;         /* worker threads */
    unsigned timeout_s;       /* idle connection timeout */
    unsigned max_connections; /* open at once; requests on more are answered 503 */
    int (*dispatch)(struct request *r);
    void (*on_started)(int port); /* optional */
    const char *read_db_uri;      /* optional: a standby for reads (api/read_routing.c) */
};

/* Blocks SIGTERM and SIGINT in the calling thread and every thread it starts after: call it
 * before starting any thread, or a stop signal may be delivered to a thread that does not
 * wait for it and kill the process instead of stopping it cleanly. */
void server_block_signals(void);
/* Serves until SIGTERM or SIGINT. Returns 0 on a clean stop, -1 when it cannot start. */
int server_run(const struct server_config *config);
/* The database URI being served (for the shared writer). */
const char *server_db_uri(void);
/* This thread's database connection, opened on first use; NULL if it cannot be opened. */
struct db *server_thread_db(void);
/* 1 when serve was given a read database (--read-db). */
int server_has_read_db(void);
/* This thread's connection to the read database (--read-db), opened on first use; NULL when
 * there is none or it cannot be opened (then tried again at most every few seconds). */
struct db *server_thread_read_db(void);

#endif
