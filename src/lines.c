/* SPDX-License-Identifier: Apache-2.0 */
/* JSON Lines input for the offline --validate mode (see lines.h). */
#include "lines.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

char *lines_read_file(const char *path, size_t *len, char *errstr,
                      size_t errstr_size)
{
        int is_stdin = strcmp(path, "-") == 0;
        FILE *f = is_stdin ? stdin : fopen(path, "rb");
        if (!f) {
                snprintf(errstr, errstr_size, "%s: cannot open: %s", path,
                         strerror(errno));
                return NULL;
        }
        size_t cap = 1 << 16, n = 0;
        char *data = xmalloc(cap);
        for (;;) {
                if (cap - n < 2) {
                        cap *= 2;
                        data = xrealloc(data, cap);
                }
                size_t got = fread(data + n, 1, cap - n - 1, f);
                n += got;
                if (got == 0)
                        break;
        }
        int failed = ferror(f);
        if (!is_stdin)
                fclose(f);
        if (failed) {
                snprintf(errstr, errstr_size, "%s: read failed", path);
                free(data);
                return NULL;
        }
        data[n] = '\0';
        *len = n;
        return data;
}

int lines_foreach(const char *path,
                  int (*fn)(const char *line, size_t len, void *opaque),
                  void *opaque, char *errstr, size_t errstr_size)
{
        size_t len;
        char *data = lines_read_file(path, &len, errstr, errstr_size);
        if (!data)
                return -1;
        int rc = 0;
        size_t start = 0;
        while (start < len && rc == 0) {
                char *nl = memchr(data + start, '\n', len - start);
                size_t end = nl ? (size_t)(nl - data) : len;
                size_t line_len = end - start;
                if (line_len > 0 && data[start + line_len - 1] == '\r')
                        line_len--;
                /* Terminate in place: the '\n' (or the final NUL) is
                 * overwritten, never a byte of the line. */
                data[start + line_len] = '\0';
                rc = fn(data + start, line_len, opaque);
                start = end + 1;
        }
        free(data);
        return rc;
}
