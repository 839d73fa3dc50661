/* SPDX-License-Identifier: Apache-2.0 */
/* JSON Lines input for the offline --validate mode. */
#ifndef CKB_LINES_H
#define CKB_LINES_H

#include <stddef.h>

/*
 * Reads all of path ("-" for stdin) and calls fn once per line, in order,
 * with the line's bytes without its '\n' and without one trailing '\r'.
 * An unterminated last line is a line; an empty input has no lines. The
 * line is NUL-terminated at len but may contain NUL bytes. A nonzero return
 * from fn stops the loop and is returned. Returns -1 with a reason in
 * errstr when the file cannot be read.
 */
int lines_foreach(const char *path,
                  int (*fn)(const char *line, size_t len, void *opaque),
                  void *opaque, char *errstr, size_t errstr_size);

/* Reads a whole file ("-" for stdin) into a new NUL-terminated buffer.
 * Returns NULL with a reason in errstr; free the result with free(). */
char *lines_read_file(const char *path, size_t *len, char *errstr,
                      size_t errstr_size);

#endif
