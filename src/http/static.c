/* static.c - files from web/ via MHD_create_response_from_fd (no copy into memory), and the
 * few browser libraries installed from npm (node_modules/), by an exact whitelist. */
#include "http/static.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/sbuf.h"

static const char *content_type_of(const char *path)
{
    static const struct {
        const char *ext, *type;
    } TYPES[] = {{".html", "text/html; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".mjs", "text/javascript; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".json", "application/json"},
                 {".webmanifest", "application/manifest+json"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"},
                 {".ico", "image/x-icon"},
                 {".yaml", "text/yaml; charset=utf-8"},
                 {".txt", "text/plain; charset=utf-8"},
                 {".csv", "text/csv; charset=utf-8"}};
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

/* A validator from the file's size and modification time: a reload revalidates with
 * If-None-Match and gets 304 without the body when nothing changed. */
static void etag_of(const struct stat *st, int gzipped, char out[64])
{
    snprintf(out, 64, "\"%llx-%llx%s\"", (unsigned long long)st->st_size,
             (unsigned long long)st->st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st->st_mtim.tv_nsec,
             gzipped ? "-gz" : "");
}

static void add_common_headers(struct MHD_Response *resp, const char *full, const char *cache,
                               const char *etag)
{
    MHD_add_response_header(resp, "Content-Type", content_type_of(full));
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Cache-Control", cache);
    MHD_add_response_header(resp, "ETag", etag);
    if (compressible(full)) MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    /* The UI runs only its own scripts (no inline script, no eval, no plug-ins), may not be
     * framed (clickjacking) nor retarget its links or forms, sends no referrer, and asks for
     * no device it does not use. Inline style attributes stay allowed: the views set a few. */
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; object-src 'none'; "
                            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
                            "img-src 'self' data:; style-src 'self' 'unsafe-inline'");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Permissions-Policy",
                            "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
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
    if (compressible(full) && request_accepts_gzip(r) &&
        snprintf(gz, sizeof gz, "%s.gz", full) < (int)sizeof gz) {
        int gfd = open(gz, O_RDONLY | O_CLOEXEC);
        /* Only a copy at least as new as the file: a stale one is never served. */
        if (gfd >= 0 && fstat(gfd, &gst) == 0 && S_ISREG(gst.st_mode) &&
            (gst.st_mtim.tv_sec > st.st_mtim.tv_sec ||
             (gst.st_mtim.tv_sec == st.st_mtim.tv_sec &&
              gst.st_mtim.tv_nsec >= st.st_mtim.tv_nsec))) {
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

/* ---- Versioned URLs: a reload on a slow link costs one round trip ------------------------
 * index.html is served with its /js/ and /css/ links under /v/<version>/, the version being
 * a digest of every file's name, size and modification time in js/ and css/. The modules'
 * relative imports inherit the prefix, so every script and style is cached for a year
 * (immutable) and a reload revalidates index.html alone; any change to a file changes the
 * version, hence every URL. */

/* Calls fn for every regular file below root/sub (sorted, subdirectories included) with its
 * path relative to root and its stat. */
static void walk(const char *root, const char *sub,
                 void (*fn)(const char *rel, const struct stat *, void *), void *arg)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", root, sub);
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort); /* sorted: the same files, the same digest */
    for (int i = 0; i < n; i++) {
        char rel[1024], full[2100];
        struct stat st;
        snprintf(rel, sizeof rel, "%s/%s", sub, names[i]->d_name);
        snprintf(full, sizeof full, "%s/%s", root, rel);
        if (names[i]->d_name[0] != '.' && stat(full, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                walk(root, rel, fn, arg);
            else if (S_ISREG(st.st_mode))
                fn(rel, &st, arg);
        }
        free(names[i]);
    }
    if (n >= 0) free(names);
}

static void digest_file(const char *rel, const struct stat *st, void *arg)
{
    char line[1200];
    int len = snprintf(line, sizeof line, "%s %lld %lld.%09ld\n", rel, (long long)st->st_size,
                       (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
    crypto_generichash_update(arg, (const unsigned char *)line, (unsigned long long)len);
}

static void compute_web_version(const char *root, char out[17])
{
    crypto_generichash_state h;
    unsigned char digest[8];
    crypto_generichash_init(&h, NULL, 0, sizeof digest);
    walk(root, "js", digest_file, &h);
    walk(root, "css", digest_file, &h);
    crypto_generichash_final(&h, digest, sizeof digest);
    sodium_bin2hex(out, 17, digest, sizeof digest);
}

/* The version and the page made from index.html are kept between requests: walking web/ and
 * reading the start-up modules cost about a millisecond, on every page load and every script.
 * The version is looked at again once a second at most (a file edited under a running server
 * shows within a second); the page is made again when the version or index.html changes. */
static struct {
    pthread_mutex_t lock;
    char root[1024];
    struct timespec checked;
    char version[17];
    char *page; /* NULL: not made for this version yet */
    size_t page_len;
    struct timespec index_mtime;
    off_t index_size;
} web_cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* With web_cache.lock held. */
static void web_version_locked(const char *root)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int same_root = !strcmp(web_cache.root, root);
    if (same_root && web_cache.version[0] && now.tv_sec == web_cache.checked.tv_sec) return;
    char version[17];
    compute_web_version(root, version);
    if (!same_root || strcmp(version, web_cache.version) != 0) {
        free(web_cache.page);
        web_cache.page = NULL;
    }
    snprintf(web_cache.root, sizeof web_cache.root, "%s", root);
    memcpy(web_cache.version, version, sizeof version);
    web_cache.checked = now;
}

static void web_version(const char *root, char out[17])
{
    pthread_mutex_lock(&web_cache.lock);
    web_version_locked(root);
    memcpy(out, web_cache.version, 17);
    pthread_mutex_unlock(&web_cache.lock);
}

/* ---- What index.html announces ------------------------------------------------------------
 * The modules app.js imports statically (its start-up graph) are announced as modulepreload,
 * so the browser fetches them at once instead of one import level per round trip. The views
 * are imported when first shown (app.js), so on a first load over a slow link only the start-up
 * graph crosses it; the others are listed as <link rel="jiayi-shell">, a relation browsers
 * ignore, which the service worker (web/sw.js) reads to keep the whole shell for offline use. */

#define GRAPH_MAX 256

struct graph {
    char files[GRAPH_MAX][128]; /* paths relative to root: "js/app.js" */
    int n;
};

static int graph_has(const struct graph *g, const char *rel)
{
    for (int i = 0; i < g->n; i++)
        if (!strcmp(g->files[i], rel)) return 1;
    return 0;
}

/* Joins a relative import ("./x.js", "../y.js") to the directory of `from`; 0, or -1 when it
 * leaves the tree or is too long. */
static int resolve_import(const char *from, const char *spec, size_t len, char out[128])
{
    char path[256];
    const char *slash = strrchr(from, '/');
    size_t dir = slash ? (size_t)(slash - from) : 0;
    if (dir >= sizeof path) return -1;
    memcpy(path, from, dir);
    path[dir] = '\0';
    while (len) {
        if (len >= 2 && !strncmp(spec, "./", 2)) {
            spec += 2, len -= 2;
        } else if (len >= 3 && !strncmp(spec, "../", 3)) {
            char *up = strrchr(path, '/');
            if (!up) return -1;
            *up = '\0';
            spec += 3, len -= 3;
        } else {
            break;
        }
    }
    size_t head = strlen(path);
    if (!len || head + 1 + len >= 128) return -1;
    memcpy(out, path, head);
    out[head] = '/';
    memcpy(out + head + 1, spec, len);
    out[head + 1 + len] = '\0';
    return 0;
}

/* Adds `rel` and, depth first, every module it imports statically (`from './x.js'`,
 * `import './x.js'`; never `import(...)`, the lazy ones). */
static void graph_add(struct graph *g, const char *root, const char *rel)
{
    size_t rel_len = strlen(rel);
    if (g->n >= GRAPH_MAX || rel_len >= sizeof g->files[0] || graph_has(g, rel) ||
        !path_is_safe(rel))
        return;
    memcpy(g->files[g->n++], rel, rel_len + 1);
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", root, rel);
    FILE *f = fopen(full, "rb");
    if (!f) return;
    enum { TEXT_MAX = 262144 };
    char *text = malloc(TEXT_MAX); /* per call: the walk recurses */
    size_t n = text ? fread(text, 1, TEXT_MAX - 1, f) : 0;
    fclose(f);
    if (!text) return;
    text[n] = '\0';
    for (const char *p = text; (p = strpbrk(p, "fi")) != NULL; p++) {
        const char *q;
        if (!strncmp(p, "from ", 5))
            q = p + 5;
        else if (!strncmp(p, "import ", 7))
            q = p + 7;
        else
            continue;
        if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.')) continue;
        if (*q != '\'' && *q != '"') continue;
        const char *end = strchr(q + 1, *q);
        size_t len = end ? (size_t)(end - q - 1) : 0;
        char dep[128];
        if (len > 4 && q[1] == '.' && !strncmp(end - 3, ".js", 3) &&
            resolve_import(rel, q + 1, len, dep) == 0)
            graph_add(g, root, dep);
    }
    free(text);
}

struct preloads {
    struct sbuf *out;
    const char *version;
    const struct graph *start;
};

static void announce_module(const char *rel, const struct stat *st, void *arg)
{
    (void)st;
    const struct preloads *p = arg;
    size_t n = strlen(rel);
    if (n > 3 && !strcmp(rel + n - 3, ".js"))
        sbuf_printf(p->out, "  <link rel=\"%s\" href=\"/v/%s/%s\">\n",
                    graph_has(p->start, rel) ? "modulepreload" : "jiayi-shell", p->version, rel);
}

/* index.html with its scripts and styles under /v/<version>/ and the modules announced. */
static int make_index(const char *root, const char *version, struct sbuf *out)
{
    char full[1024];
    snprintf(full, sizeof full, "%s/index.html", root);
    FILE *f = fopen(full, "rb");
    if (!f) return -1;
    char page[65536];
    size_t n = fread(page, 1, sizeof page - 1, f);
    fclose(f);
    page[n] = '\0';
    for (const char *p = page; *p;) {
        const char *head_end = strstr(p, "</head>");
        const char *js = strstr(p, "\"/js/"), *css = strstr(p, "\"/css/");
        if (head_end && (!js || head_end < js) && (!css || head_end < css)) {
            sbuf_append(out, p, (size_t)(head_end - p));
            static _Thread_local struct graph start;
            start.n = 0;
            graph_add(&start, root, "js/app.js");
            struct preloads pre = {out, version, &start};
            walk(root, "js", announce_module, &pre);
            p = head_end;
            sbuf_puts(out, "</head>");
            p += strlen("</head>");
            continue;
        }
        const char *next = js && (!css || js < css) ? js : css;
        if (!next) {
            sbuf_puts(out, p);
            break;
        }
        sbuf_append(out, p, (size_t)(next - p) + 1);
        sbuf_printf(out, "/v/%s", version);
        p = next + 1;
    }
    return sbuf_failed(out) ? -1 : 0;
}

/* A copy of the page for the current version (web_cache), made when missing; NULL when
 * index.html is missing or memory ran out. The caller frees it. */
static char *index_page(const char *root, size_t *len)
{
    char full[1024];
    struct stat st;
    snprintf(full, sizeof full, "%s/index.html", root);
    if (stat(full, &st) != 0) return NULL;
    pthread_mutex_lock(&web_cache.lock);
    web_version_locked(root);
    if (web_cache.page &&
        (st.st_size != web_cache.index_size || st.st_mtim.tv_sec != web_cache.index_mtime.tv_sec ||
         st.st_mtim.tv_nsec != web_cache.index_mtime.tv_nsec)) {
        free(web_cache.page);
        web_cache.page = NULL;
    }
    if (!web_cache.page) {
        struct sbuf out;
        sbuf_init(&out);
        if (make_index(root, web_cache.version, &out) == 0 &&
            (web_cache.page = malloc(out.len + 1))) {
            memcpy(web_cache.page, sbuf_cstr(&out), out.len + 1);
            web_cache.page_len = out.len;
            web_cache.index_mtime = st.st_mtim;
            web_cache.index_size = st.st_size;
        }
        sbuf_free(&out);
    }
    char *copy = web_cache.page ? malloc(web_cache.page_len + 1) : NULL;
    if (copy) {
        memcpy(copy, web_cache.page, web_cache.page_len + 1);
        *len = web_cache.page_len;
    }
    pthread_mutex_unlock(&web_cache.lock);
    return copy;
}

static int serve_index(struct request *r, const char *root)
{
    char full[1024];
    size_t len = 0;
    snprintf(full, sizeof full, "%s/index.html", root);
    char *page = index_page(root, &len);
    if (!page)
        return access(full, R_OK) == 0 ? reply_problem(r, 500, "internal_error", NULL)
                                       : reply_problem(r, 404, "not_found", NULL);
    unsigned char digest[8];
    char hex[17], etag[24];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)page, len, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    snprintf(etag, sizeof etag, "\"%s\"", hex);
    const char *client = request_header(r, "If-None-Match");
    int current = client && strstr(client, etag);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(current ? 0 : len, page, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(page);
        return reply_problem(r, 500, "internal_error", NULL);
    }
    if (r->response) MHD_destroy_response(r->response);
    r->response = resp;
    r->status = current ? 304 : 200;
    add_common_headers(resp, full, "no-cache", etag);
    return 0;
}

int static_serve(struct request *r, const char *root)
{
    if (!method_is_read(r)) return reply_problem(r, 405, "method_not_allowed", NULL);
    const char *rel = r->path, *cache = "no-cache";
    if (strncmp(rel, "/v/", 3) == 0) { /* /v/<version>/js/app.js: the file, kept a year */
        const char *end = strchr(rel + 3, '/');
        char version[17];
        if (!end) return reply_problem(r, 404, "not_found", NULL);
        web_version(root, version);
        /* An old page's URL still gets today's file, but not for a year. */
        if ((size_t)(end - rel - 3) == strlen(version) &&
            !strncmp(rel + 3, version, strlen(version)))
            cache = "public, max-age=31536000, immutable";
        rel = end;
    }
    /* The icons and the manifest (not versioned: browsers ask for them by name) are kept a
     * day, so a reload over a slow link does not spend its few connections revalidating them
     * while the screen's own data waits. */
    if (!strcmp(rel, "/favicon.svg") || !strcmp(rel, "/manifest.webmanifest") ||
        !strncmp(rel, "/icons/", 7))
        cache = "public, max-age=86400";
    const char *slash = strrchr(rel, '/');
    if (strcmp(rel, "/") == 0 || (slash && !strchr(slash, '.'))) rel = "/index.html";
    if (strcmp(rel, "/index.html") == 0) return serve_index(r, root);
    char full[1024];
    if (!path_is_safe(rel) || snprintf(full, sizeof full, "%s%s", root, rel) >= (int)sizeof full)
        return reply_problem(r, 404, "not_found", NULL);
    return serve_file(r, full, cache);
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
