/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffer (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void buf_reserve(struct buf *b, size_t extra)
{
        size_t need = b->len + extra + 1;
        if (need <= b->cap)
                return;
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need)
                cap *= 2;
        b->data = xrealloc(b->data, cap);
        b->cap = cap;
}

void buf_append(struct buf *b, const void *data, size_t len)
{
        buf_reserve(b, len);
        if (len)
                memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
}

void buf_append_str(struct buf *b, const char *s)
{
        buf_append(b, s, strlen(s));
}

void buf_append_char(struct buf *b, char c)
{
        buf_reserve(b, 1);
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        char small[256];
        int n = vsnprintf(small, sizeof(small), fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        if ((size_t)n < sizeof(small)) {
                buf_append(b, small, (size_t)n);
                return;
        }
        buf_reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
        b->len += (size_t)n;
}

void buf_clear(struct buf *b)
{
        b->len = 0;
        if (b->data)
                b->data[0] = '\0';
}

void buf_free(struct buf *b)
{
        free(b->data);
        b->data = NULL;
        b->len = 0;
        b->cap = 0;
}
