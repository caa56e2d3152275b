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
/* The whole file, malloc'd with a NUL after it (*len without it); NULL (errno) on failure. */
char *file_read_all(const char *path, size_t *len);

#endif
