/* labels.h - the words people read for the codes the API carries, in zh-CN and English, for
 * files people open in a spreadsheet (the UI has the same words in web/js/i18n*.js). */
#ifndef JIAYI_API_LABELS_H
#define JIAYI_API_LABELS_H

/* The label of `code` ("" for NULL); a code without one is returned as it is. */
const char *api_label(const char *code, int en);
/* The same for a code of `field` (NULL: none): "field:code" first, then the code alone. */
const char *api_label_of(const char *field, const char *code, int en);

#endif
