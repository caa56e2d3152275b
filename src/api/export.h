/* export.h - any list the API offers, as a CSV or XLSX file (?format=csv|xlsx).
 *
 * The exporter runs the list's own handler page by page (its validation, data scope and
 * audit entry per page included) and writes each page's rows to a table (download.h) as
 * they come, so memory stays that of one page whatever the list's length. */
#ifndef JIAYI_API_EXPORT_H
#define JIAYI_API_EXPORT_H

#include "api/routes.h"
#include "http/request.h"

/* 1 when `r` asks for a file of a list that can be exported. */
int export_wanted(struct request *r, const struct route *route);
/* Answers the request with the whole list as a file (or with the handler's error). */
int export_list(struct request *r, const struct route *route);

#endif
