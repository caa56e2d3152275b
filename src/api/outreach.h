/* outreach.h (api) - the work list as an outreach tool: recording a call on a task
 * (POST /tasks/{id}/calls) and the list as a spreadsheet (GET /worklist?format=xlsx). */
#ifndef JIAYI_API_OUTREACH_H
#define JIAYI_API_OUTREACH_H

#include "http/request.h"
#include "store/work.h"

/* Replies the work list matching `f` (scope and filters already checked by the caller) as
 * an XLSX attachment, every row up to WORKLIST_EXPORT_MAX (else 422 too_many_rows), with
 * headers in the request's language; audited as a list read of everyone in it. */
#define WORKLIST_EXPORT_MAX 10000
int api_worklist_xlsx(struct request *r, const struct worklist_filter *f);

#endif
