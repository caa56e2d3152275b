/* download.h - attachments the browser saves: CSV and XLSX reports. */
#ifndef JIAYI_API_DOWNLOAD_H
#define JIAYI_API_DOWNLOAD_H

#include <stddef.h>
#include <xlsxwriter.h>

#include "http/request.h"
#include "util/sbuf.h"

/* Appends `s` (NULL as empty) as one double-quoted CSV field, quotes doubled. */
void api_csv_field(struct sbuf *b, const char *s);
/* Replies 200 with `data` as the attachment filename.ext. Returns 0. */
int api_reply_attachment(struct request *r, const char *type, const char *filename, const char *ext,
                         const char *data, size_t len);
/* Closes a workbook written to the temporary file `path`, replies it as filename.xlsx and
 * removes the file (500 when it cannot be read). */
int api_reply_workbook(struct request *r, lxw_workbook *wb, const char *path, const char *filename);

#endif
