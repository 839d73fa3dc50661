/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 3339 date-times to and from epoch milliseconds (see timefmt.h). The
 * civil-date arithmetic is done here on the proleptic Gregorian calendar,
 * so neither the time zone nor the locale of the process matters.
 */
#include "timefmt.h"

#include <stdio.h>

#define TIMEFMT_MS_PER_DAY INT64_C(86400000)

/* Epoch milliseconds of 0000-01-01T00:00:00.000Z and of the end of 9999. */
#define TIMEFMT_MIN_MS INT64_C(-62167219200000)
#define TIMEFMT_MAX_MS INT64_C(253402300799999)

static int timefmt_is_leap_year(int64_t year)
{
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int timefmt_days_in_month(int64_t year, int month)
{
        static const int days[12] = {31, 28, 31, 30, 31, 30,
                                     31, 31, 30, 31, 30, 31};
        if (month == 2 && timefmt_is_leap_year(year))
                return 29;
        return days[month - 1];
}

/*
 * Counts the days from 1970-01-01 to year-month-day. The year is shifted
 * to start in March, so February's leap day is the last day of a shifted
 * year, and 400-year eras of 146097 days make the count exact.
 */
static int64_t timefmt_days_from_civil(int64_t year, int month, int day)
{
        year -= month <= 2;
        int64_t era = (year >= 0 ? year : year - 399) / 400;
        int64_t year_of_era = year - era * 400;
        int64_t shifted_month = month > 2 ? month - 3 : month + 9;
        int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
        int64_t day_of_era = year_of_era * 365 + year_of_era / 4 -
                             year_of_era / 100 + day_of_year;
        return era * 146097 + day_of_era - 719468;
}

/* Converts days since 1970-01-01 back to a civil date. */
static void timefmt_civil_from_days(int64_t days, int64_t *year, int *month,
                                    int *day)
{
        days += 719468;
        int64_t era = (days >= 0 ? days : days - 146096) / 146097;
        int64_t day_of_era = days - era * 146097;
        int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                               day_of_era / 36524 - day_of_era / 146096) /
                              365;
        int64_t day_of_year = day_of_era - (365 * year_of_era +
                                            year_of_era / 4 -
                                            year_of_era / 100);
        int64_t shifted_month = (5 * day_of_year + 2) / 153;
        *day = (int)(day_of_year - (153 * shifted_month + 2) / 5 + 1);
        *month = (int)(shifted_month < 10 ? shifted_month + 3
                                          : shifted_month - 9);
        *year = year_of_era + era * 400 + (*month <= 2);
}

/* Floor division and its non-negative remainder for a positive divisor. */
static int64_t timefmt_floor_div(int64_t a, int64_t b, int64_t *rem)
{
        int64_t q = a / b;
        int64_t r = a % b;
        if (r < 0) {
                q--;
                r += b;
        }
        *rem = r;
        return q;
}

void timefmt_format_ms(int64_t epoch_ms, char out[TIMEFMT_RFC3339_MAX])
{
        /* NOTE: RFC 3339 has four-digit years only, so a time before year
         * 0000 or after 9999 is clamped to the first or last millisecond
         * of that range. */
        if (epoch_ms < TIMEFMT_MIN_MS)
                epoch_ms = TIMEFMT_MIN_MS;
        if (epoch_ms > TIMEFMT_MAX_MS)
                epoch_ms = TIMEFMT_MAX_MS;

        int64_t ms_of_day;
        int64_t days = timefmt_floor_div(epoch_ms, TIMEFMT_MS_PER_DAY,
                                         &ms_of_day);
        int64_t year;
        int month, day;
        timefmt_civil_from_days(days, &year, &month, &day);

        int hour = (int)(ms_of_day / 3600000);
        int minute = (int)(ms_of_day / 60000 % 60);
        int second = (int)(ms_of_day / 1000 % 60);
        int milli = (int)(ms_of_day % 1000);
        /* Every field is in range already; the modulo only lets the
         * compiler see that the text fits in TIMEFMT_RFC3339_MAX. */
        snprintf(out, TIMEFMT_RFC3339_MAX,
                 "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ",
                 (unsigned)year % 10000u, (unsigned)month % 100u,
                 (unsigned)day % 100u, (unsigned)hour % 100u,
                 (unsigned)minute % 100u, (unsigned)second % 100u,
                 (unsigned)milli % 1000u);
}

/* A cursor over the text being parsed. Every read checks the end. */
struct timefmt_scan {
        const char *p;
        const char *end;
};

/* Reads exactly n ASCII digits into *value. */
static int timefmt_scan_digits(struct timefmt_scan *s, int n, int *value)
{
        if (s->end - s->p < n)
                return -1;
        int v = 0;
        for (int i = 0; i < n; i++) {
                char c = s->p[i];
                if (c < '0' || c > '9')
                        return -1;
                v = v * 10 + (c - '0');
        }
        s->p += n;
        *value = v;
        return 0;
}

/* Consumes c, or one of the two letters c and lower when lower is set. */
static int timefmt_scan_char(struct timefmt_scan *s, char c, char lower)
{
        if (s->p == s->end)
                return -1;
        if (*s->p != c && (lower == 0 || *s->p != lower))
                return -1;
        s->p++;
        return 0;
}

/*
 * Reads an optional fraction of one or more digits as milliseconds. Digits
 * past the third are dropped, so the time moves toward the past even
 * before 1970.
 */
static int timefmt_scan_fraction(struct timefmt_scan *s, int *milli)
{
        *milli = 0;
        if (s->p == s->end || *s->p != '.')
                return 0;
        s->p++;
        int digits = 0;
        int scale = 100;
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
                if (digits < 3) {
                        *milli += (*s->p - '0') * scale;
                        scale /= 10;
                }
                digits++;
                s->p++;
        }
        return digits > 0 ? 0 : -1;
}

/* Reads "Z", "z" or "+hh:mm" / "-hh:mm" as minutes east of UTC. */
static int timefmt_scan_offset(struct timefmt_scan *s, int *offset_min)
{
        if (timefmt_scan_char(s, 'Z', 'z') == 0) {
                *offset_min = 0;
                return 0;
        }
        if (s->p == s->end || (*s->p != '+' && *s->p != '-'))
                return -1;
        int sign = *s->p == '-' ? -1 : 1;
        s->p++;
        int hours, minutes;
        if (timefmt_scan_digits(s, 2, &hours) < 0 ||
            timefmt_scan_char(s, ':', 0) < 0 ||
            timefmt_scan_digits(s, 2, &minutes) < 0)
                return -1;
        if (hours > 23 || minutes > 59)
                return -1;
        *offset_min = sign * (hours * 60 + minutes);
        return 0;
}

/*
 * Accepts the RFC 3339 section 5.6 grammar: "T" or "t" between date and
 * time, "Z", "z" or a numeric offset. A space in place of the "T" is
 * rejected, because the grammar does not allow it and JSON Schema's
 * "date-time" format follows the grammar.
 */
int timefmt_parse_ms(const char *text, size_t len, int64_t *epoch_ms)
{
        struct timefmt_scan s = {text, text + len};
        int year, month, day, hour, minute, second, milli, offset_min;

        if (timefmt_scan_digits(&s, 4, &year) < 0 ||
            timefmt_scan_char(&s, '-', 0) < 0 ||
            timefmt_scan_digits(&s, 2, &month) < 0 ||
            timefmt_scan_char(&s, '-', 0) < 0 ||
            timefmt_scan_digits(&s, 2, &day) < 0 ||
            timefmt_scan_char(&s, 'T', 't') < 0 ||
            timefmt_scan_digits(&s, 2, &hour) < 0 ||
            timefmt_scan_char(&s, ':', 0) < 0 ||
            timefmt_scan_digits(&s, 2, &minute) < 0 ||
            timefmt_scan_char(&s, ':', 0) < 0 ||
            timefmt_scan_digits(&s, 2, &second) < 0 ||
            timefmt_scan_fraction(&s, &milli) < 0 ||
            timefmt_scan_offset(&s, &offset_min) < 0 || s.p != s.end)
                return -1;

        if (month < 1 || month > 12 || day < 1 ||
            day > timefmt_days_in_month(year, month) || hour > 23 ||
            minute > 59 || second > 60)
                return -1;

        int64_t local_min = timefmt_days_from_civil(year, month, day) * 1440 +
                            hour * 60 + minute;
        int64_t utc_min = local_min - offset_min;

        if (second == 60) {
                /* NOTE: Epoch milliseconds have no leap seconds, so a leap
                 * second is clamped to the last millisecond before the next
                 * minute. It is accepted only where one can occur, at
                 * 23:59 UTC on the last day of a month; elsewhere :60 is
                 * rejected. */
                int64_t utc_day_min;
                int64_t utc_day = timefmt_floor_div(utc_min, 1440,
                                                    &utc_day_min);
                int64_t utc_year;
                int utc_month, utc_mday;
                timefmt_civil_from_days(utc_day, &utc_year, &utc_month,
                                        &utc_mday);
                if (utc_day_min != 1439 ||
                    utc_mday != timefmt_days_in_month(utc_year, utc_month))
                        return -1;
                *epoch_ms = utc_min * 60000 + 59999;
                return 0;
        }

        *epoch_ms = utc_min * 60000 + second * 1000 + milli;
        return 0;
}
