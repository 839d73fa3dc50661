/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffer; the data is always NUL-terminated for convenience. */
#ifndef CKB_BUF_H
#define CKB_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
        char *data;
        size_t len;
        size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_append_str(struct buf *b, const char *s);
void buf_append_char(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Empties the buffer but keeps its memory. */
void buf_clear(struct buf *b);
void buf_free(struct buf *b);

#endif
