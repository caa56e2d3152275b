/* static.c - files from web/ via MHD_create_response_from_fd (no copy into memory), and the
 * few browser libraries installed from npm (node_modules/), by an exact whitelist. */
#include "http/static.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *content_type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } TYPES[] = {{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
                 {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
                 {".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
                 {".ico", "image/x-icon"}, {".yaml", "text/yaml; charset=utf-8"},
                 {".txt", "text/plain; charset=utf-8"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (strcmp(dot, TYPES[i].ext) == 0) return TYPES[i].type;
    return "application/octet-stream";
}

static int path_is_safe(const char *p)
{
    if (strstr(p, "..") || strchr(p, '\\') || strstr(p, "//")) return 0;
    for (; *p; p++)
        if ((unsigned char)*p < 0x20) return 0;
    return 1;
}

/* Text files are sent gzipped when the client accepts it and the build left a fresh
 * precompressed copy beside them (scripts/compress-web): a village doctor's slow link
 * carries a third of the bytes. */
static int compressible(const char *path)
{
    const char *type = content_type_of(path);
    return strncmp(type, "text/", 5) == 0 || strstr(type, "json") || strstr(type, "svg");
}

static int accepts_gzip(struct request *r)
{
    const char *accept = request_header(r, "Accept-Encoding");
    return accept && strstr(accept, "gzip") != NULL;
}

/* A validator from the file's size and modification time: a reload revalidates with
 * If-None-Match and gets 304 without the body when nothing changed. */
static void etag_of(const struct stat *st, int gzipped, char out[64])
{
    snprintf(out, 64, "\"%llx-%llx%s\"", (unsigned long long)st->st_size,
             (unsigned long long)st->st_mtim.tv_sec * 1000000000ull + (unsigned long long)st->st_mtim.tv_nsec,
             gzipped ? "-gz" : "");
}

static void add_common_headers(struct MHD_Response *resp, const char *full, const char *cache, const char *etag)
{
    MHD_add_response_header(resp, "Content-Type", content_type_of(full));
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", cache);
    MHD_add_response_header(resp, "ETag", etag);
    if (compressible(full)) MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
}

/* Replies with the regular file at `full` (or its fresh .gz), 304 when the client's copy
 * is current, or 404. `cache` is the Cache-Control value. */
static int serve_file(struct request *r, const char *full, const char *cache)
{
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        return reply_problem(r, 404, "not_found", NULL);
    }
    int gzipped = 0;
    char gz[1040];
    struct stat gst;
    if (compressible(full) && accepts_gzip(r) && snprintf(gz, sizeof gz, "%s.gz", full) < (int)sizeof gz) {
        int gfd = open(gz, O_RDONLY | O_CLOEXEC);
        /* Only a copy at least as new as the file: a stale one is never served. */
        if (gfd >= 0 && fstat(gfd, &gst) == 0 && S_ISREG(gst.st_mode) &&
            (gst.st_mtim.tv_sec > st.st_mtim.tv_sec ||
             (gst.st_mtim.tv_sec == st.st_mtim.tv_sec && gst.st_mtim.tv_nsec >= st.st_mtim.tv_nsec))) {
            close(fd);
            fd = gfd;
            gzipped = 1;
        } else if (gfd >= 0) {
            close(gfd);
        }
    }
    char etag[64];
    etag_of(&st, gzipped, etag);
    const char *client = request_header(r, "If-None-Match");
    struct MHD_Response *resp;
    if (client && strstr(client, etag)) {
        close(fd);
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        r->status = 304;
    } else {
        resp = MHD_create_response_from_fd((uint64_t)(gzipped ? gst.st_size : st.st_size), fd);
        if (!resp) close(fd);
        r->status = 200;
    }
    if (!resp) return reply_problem(r, 500, "internal_error", NULL);
    if (r->response) MHD_destroy_response(r->response);
    r->response = resp;
    add_common_headers(resp, full, cache, etag);
    if (gzipped && r->status == 200) MHD_add_response_header(resp, "Content-Encoding", "gzip");
    return 0;
}

static int method_is_read(struct request *r)
{
    return strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
}

int static_serve(struct request *r, const char *root)
{
    if (!method_is_read(r)) return reply_problem(r, 405, "method_not_allowed", NULL);
    const char *rel = r->path;
    const char *slash = strrchr(rel, '/');
    if (strcmp(rel, "/") == 0 || (slash && !strchr(slash, '.'))) rel = "/index.html";
    char full[1024];
    if (!path_is_safe(rel) || snprintf(full, sizeof full, "%s%s", root, rel) >= (int)sizeof full)
        return reply_problem(r, 404, "not_found", NULL);
    return serve_file(r, full, "no-cache");
}

/* URL -> file under node_modules/. Only these are served: the request path is compared
 * whole, never joined to a directory, so nothing else under node_modules can be reached. */
static const struct {
    const char *url, *file;
} VENDOR_FILES[] = {
    {"/vendor/echarts.min.js", "echarts/dist/echarts.min.js"},
};

int static_serve_vendor(struct request *r, const char *modules_dir)
{
    if (!method_is_read(r)) return reply_problem(r, 405, "method_not_allowed", NULL);
    for (size_t i = 0; i < sizeof VENDOR_FILES / sizeof VENDOR_FILES[0]; i++) {
        if (strcmp(r->path, VENDOR_FILES[i].url) != 0) continue;
        char full[1024];
        if (snprintf(full, sizeof full, "%s/%s", modules_dir, VENDOR_FILES[i].file) >=
            (int)sizeof full)
            return reply_problem(r, 404, "not_found", NULL);
        /* The page asks for it with the version in the query (web/js/charts.js), so an
         * upgrade is a new URL and a year's cache is safe. */
        return serve_file(r, full, "public, max-age=31536000, immutable");
    }
    return reply_problem(r, 404, "not_found", NULL);
}
