/* SPDX-License-Identifier: Apache-2.0 */
/* RFC 3339 times to and from epoch milliseconds. */
#ifndef CKB_TIMEFMT_H
#define CKB_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define TIMEFMT_RFC3339_MAX 32

/* Writes "2026-03-01T09:15:02.117Z" (UTC, milliseconds) into out. */
void timefmt_format_ms(int64_t epoch_ms, char out[TIMEFMT_RFC3339_MAX]);

/*
 * Parses an RFC 3339 date-time with any UTC offset and any number of
 * fraction digits into epoch milliseconds, truncating below a millisecond
 * toward the past. Returns 0, or -1 when text is not such a time.
 */
int timefmt_parse_ms(const char *text, size_t len, int64_t *epoch_ms);

#endif
