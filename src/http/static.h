/* static.h - serving the web UI's files (web/) with safe path handling. */
#ifndef JIAYI_HTTP_STATIC_H
#define JIAYI_HTTP_STATIC_H

#include "http/request.h"

/* Serves `r->path` from `root` ("/" is index.html; unknown paths without an extension
 * fall back to index.html so the UI's routes reload). Replies 404 for anything missing
 * or outside root. */
int static_serve(struct request *r, const char *root);
/* Serves one of the whitelisted npm files (/vendor/echarts.min.js) from `modules_dir`
 * (node_modules/), cached for a year; 404 for any other /vendor/ path. */
int static_serve_vendor(struct request *r, const char *modules_dir);

#endif
