/* outreach.h (api) - the work list as an outreach tool: recording a call on a task
 * (POST /tasks/{id}/calls) and the list as a spreadsheet (GET /worklist?format=csv|xlsx). */
#ifndef JIAYI_API_OUTREACH_H
#define JIAYI_API_OUTREACH_H

#include "api/download.h"
#include "http/request.h"
#include "store/work.h"

/* Replies the work list matching `f` (scope and filters already checked by the caller) as a
 * CSV or XLSX attachment of every row, written page by page (constant memory), with headers
 * in the request's language; audited as list reads of everyone in it. */
int api_worklist_export(struct request *r, const struct worklist_filter *f,
                        enum table_format format);

#endif
