/* SPDX-License-Identifier: Apache-2.0 */
/* Levelled logging to stderr, one write per line (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "timefmt.h"

static volatile int log_level = LOG_LEVEL_NOTICE;

static const char *const log_level_names[] = {
        [LOG_LEVEL_ERR] = "ERROR",     [LOG_LEVEL_WARNING] = "WARNING",
        [LOG_LEVEL_NOTICE] = "NOTICE", [LOG_LEVEL_INFO] = "INFO",
        [LOG_LEVEL_DEBUG] = "DEBUG",
};

void log_set_level(int level)
{
        if (level < LOG_LEVEL_ERR)
                level = LOG_LEVEL_ERR;
        if (level > LOG_LEVEL_DEBUG)
                level = LOG_LEVEL_DEBUG;
        log_level = level;
}

int log_get_level(void)
{
        return log_level;
}

int log_enabled(int level)
{
        return level <= log_level;
}

int log_level_parse(const char *name)
{
        static const char *const names[] = {"err", "warning", "notice",
                                            "info", "debug"};
        for (int i = 0; i < 5; i++) {
                if (strcasecmp(name, names[i]) == 0)
                        return LOG_LEVEL_ERR + i;
        }
        if (strcasecmp(name, "error") == 0)
                return LOG_LEVEL_ERR;
        return -1;
}

int64_t log_wallclock_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t log_monotonic_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void log_vwrite(int level, const char *facility, const char *prefix,
                       const char *fmt, va_list ap)
{
        char line[4096];
        char when[TIMEFMT_RFC3339_MAX];
        timefmt_format_ms(log_wallclock_ms(), when);
        int n = snprintf(line, sizeof(line), "%s %s %s %s", when,
                         log_level_names[level], facility, prefix);
        if (n < 0)
                return;
        if ((size_t)n < sizeof(line)) {
                int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt,
                                  ap);
                if (m > 0)
                        n += m;
        }
        if ((size_t)n >= sizeof(line) - 1) {
                n = sizeof(line) - 2;
                memcpy(line + n - 3, "...", 3);
        }
        line[n++] = '\n';
        /* One write() per line keeps lines from different threads whole. */
        ssize_t w = write(STDERR_FILENO, line, (size_t)n);
        (void)w;
}

void log_msg(int level, const char *facility, const char *fmt, ...)
{
        if (!log_enabled(level))
                return;
        va_list ap;
        va_start(ap, fmt);
        log_vwrite(level, facility, "", fmt, ap);
        va_end(ap);
}

void log_limited(struct log_ratelimit *rl, int level, const char *facility,
                 const char *fmt, ...)
{
        if (!log_enabled(level))
                return;
        int64_t now = log_monotonic_ms();
        char prefix[96] = "";
        if (now - rl->window_start_ms >= rl->window_ms) {
                if (rl->suppressed > 0)
                        snprintf(prefix, sizeof(prefix),
                                 "(%d similar messages suppressed) ",
                                 rl->suppressed);
                rl->window_start_ms = now;
                rl->used = 0;
                rl->suppressed = 0;
        }
        if (rl->used >= rl->burst) {
                rl->suppressed++;
                return;
        }
        rl->used++;
        va_list ap;
        va_start(ap, fmt);
        log_vwrite(level, facility, prefix, fmt, ap);
        va_end(ap);
}
