/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation helpers with one out-of-memory policy for the whole program:
 * a failed allocation logs one line and aborts, so callers never check for
 * NULL. Memory is bounded by the configured limits, so running out of it is
 * a deployment error, not an input error.
 */
#ifndef CKB_ALLOC_H
#define CKB_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* Copies len bytes and appends a NUL. */
char *xstrndup(const char *s, size_t len);

#endif
