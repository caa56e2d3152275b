/* messages.h - the user-facing text of every error code, zh-CN (default) and English. */
#ifndef JIAYI_HTTP_MESSAGES_H
#define JIAYI_HTTP_MESSAGES_H

/* The message for `code` in English when en != 0, else Chinese; a generic one when unknown. */
const char *message_for(const char *code, int en);

#endif
