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

/* Replies with the regular file at `full`, or 404. `cache` is the Cache-Control value. */
static int serve_file(struct request *r, const char *full, const char *cache)
{
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0) close(fd);
        return reply_problem(r, 404, "not_found", NULL);
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    if (r->response) MHD_destroy_response(r->response);
    r->response = resp;
    r->status = 200;
    MHD_add_response_header(resp, "Content-Type", content_type_of(full));
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", cache);
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
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
