/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging to stderr, one line per event:
 * "2026-12-04T15:40:00.123Z WARNING DLQ topic=... partition=0 ...".
 * Levels follow syslog. Safe to call from librdkafka's threads.
 */
#ifndef CKB_LOG_H
#define CKB_LOG_H

#include <stdint.h>

enum log_level {
        LOG_LEVEL_ERR = 3,
        LOG_LEVEL_WARNING = 4,
        LOG_LEVEL_NOTICE = 5,
        LOG_LEVEL_INFO = 6,
        LOG_LEVEL_DEBUG = 7,
};

void log_set_level(int level);
int log_get_level(void);
int log_enabled(int level);

/* "err", "warning", "notice", "info", "debug" to a level, or -1. */
int log_level_parse(const char *name);

/* facility is an upper-case tag such as "CONSUME" or "DLQ". */
void log_msg(int level, const char *facility, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/*
 * A limiter for repeated messages: at most burst lines per window; when a
 * window ends with lines suppressed, the next line says how many.
 */
struct log_ratelimit {
        int burst;
        int window_ms;
        int64_t window_start_ms;
        int used;
        int suppressed;
};

#define LOG_RATELIMIT_INIT(burst, window_ms) {burst, window_ms, 0, 0, 0}

void log_limited(struct log_ratelimit *rl, int level, const char *facility,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Milliseconds since the epoch and on a monotonic clock. */
int64_t log_wallclock_ms(void);
int64_t log_monotonic_ms(void);

#endif
