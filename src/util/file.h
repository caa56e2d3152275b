/* file.h - small helpers for files that must survive a crash (the audit key and checkpoint
 * files, which live outside the database and so outside its transactions). */
#ifndef JIAYI_UTIL_FILE_H
#define JIAYI_UTIL_FILE_H

#include <stddef.h>

/* fsyncs the directory holding path, so that a file just created there survives a crash:
 * syncing a new file's data does not make its name durable. Returns 0 or -1 (errno). */
int file_sync_parent(const char *path);
/* Writes all n bytes to fd (retrying short writes and EINTR). Returns 0 or -1 (errno). */
int file_write_all(int fd, const void *bytes, size_t n);
/* Creates path, mode 0600, holding the n bytes of text, durably, unless it exists already
 * (another process just made it: then 0 too). Written to a private temporary file, synced,
 * then linked into place: link (unlike rename) never replaces a file that appeared
 * meanwhile, and no reader sees a partial file. Returns 0 or -1 (errno). For key files. */
int file_create_private(const char *path, const char *text, size_t n);
/* The whole file, malloc'd with a NUL after it (*len without it); NULL (errno) on failure. */
char *file_read_all(const char *path, size_t *len);

#endif
