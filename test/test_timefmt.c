/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for RFC 3339 formatting and parsing of epoch milliseconds. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"

struct time_case {
        const char *text;
        int64_t epoch_ms;
};

/* Expected values were computed with Python's datetime module. */
static const struct time_case format_cases[] = {
        {"1970-01-01T00:00:00.000Z", 0},
        {"1970-01-01T00:00:00.001Z", 1},
        {"1969-12-31T23:59:59.999Z", -1},
        {"2026-03-01T09:15:02.117Z", INT64_C(1772356502117)},
        {"2026-03-01T09:15:02.000Z", INT64_C(1772356502000)},
        {"1969-07-20T20:17:40.000Z", INT64_C(-14182940000)},
        {"1900-01-01T00:00:00.000Z", INT64_C(-2208988800000)},
        {"1600-02-29T00:00:00.000Z", INT64_C(-11670998400000)},
        {"2000-02-29T12:00:00.000Z", INT64_C(951825600000)},
        {"2024-02-29T23:59:59.999Z", INT64_C(1709251199999)},
        {"0000-01-01T00:00:00.000Z", INT64_C(-62167219200000)},
        {"0001-01-01T00:00:00.000Z", INT64_C(-62135596800000)},
        {"9999-12-31T23:59:59.999Z", INT64_C(253402300799999)},
};

START_TEST(format_known_time)
{
        const struct time_case *c = &format_cases[_i];
        char out[TIMEFMT_RFC3339_MAX];
        timefmt_format_ms(c->epoch_ms, out);
        ck_assert_str_eq(out, c->text);
}
END_TEST

START_TEST(format_clamps_before_year_zero)
{
        char out[TIMEFMT_RFC3339_MAX];
        timefmt_format_ms(INT64_C(-62167219200001), out);
        ck_assert_str_eq(out, "0000-01-01T00:00:00.000Z");
        timefmt_format_ms(INT64_MIN, out);
        ck_assert_str_eq(out, "0000-01-01T00:00:00.000Z");
}
END_TEST

START_TEST(format_clamps_after_year_9999)
{
        char out[TIMEFMT_RFC3339_MAX];
        timefmt_format_ms(INT64_C(253402300800000), out);
        ck_assert_str_eq(out, "9999-12-31T23:59:59.999Z");
        timefmt_format_ms(INT64_MAX, out);
        ck_assert_str_eq(out, "9999-12-31T23:59:59.999Z");
}
END_TEST

static const struct time_case parse_cases[] = {
        /* Conductor's own format and the epoch-zero time of unstarted
         * tasks. */
        {"2026-03-01T09:15:02.117Z", INT64_C(1772356502117)},
        {"1970-01-01T00:00:00.000Z", 0},
        /* Offsets other than Z name the same instant. */
        {"2026-03-01T14:45:02.117+05:30", INT64_C(1772356502117)},
        {"2026-03-01T01:15:02.117-08:00", INT64_C(1772356502117)},
        {"1970-01-01T05:30:00+05:30", 0},
        {"2026-03-01T09:15:02.117+00:00", INT64_C(1772356502117)},
        {"2026-03-01T09:15:02.117-00:00", INT64_C(1772356502117)},
        {"2026-01-01T00:00:00+23:59", INT64_C(1767139260000)},
        {"2026-01-01T00:00:00-23:59", INT64_C(1767311940000)},
        {"2026-12-31T23:30:00-00:30", INT64_C(1798761600000)},
        /* No fraction, then one to nine fraction digits. */
        {"2026-03-01T09:15:02Z", INT64_C(1772356502000)},
        {"2026-03-01T09:15:02.1Z", INT64_C(1772356502100)},
        {"2026-03-01T09:15:02.12Z", INT64_C(1772356502120)},
        {"2026-03-01T09:15:02.123Z", INT64_C(1772356502123)},
        {"2026-03-01T09:15:02.1234Z", INT64_C(1772356502123)},
        {"2026-03-01T09:15:02.12345Z", INT64_C(1772356502123)},
        {"2026-03-01T09:15:02.123456Z", INT64_C(1772356502123)},
        {"2026-03-01T09:15:02.1234567Z", INT64_C(1772356502123)},
        {"2026-03-01T09:15:02.12345678Z", INT64_C(1772356502123)},
        {"2026-03-01T09:15:02.123456789Z", INT64_C(1772356502123)},
        {"2026-03-01T09:15:02.999999999999999999999Z",
         INT64_C(1772356502999)},
        /* RFC 3339 allows lower-case "t" and "z". */
        {"2026-03-01t09:15:02.117z", INT64_C(1772356502117)},
        /* Before 1970 the result is negative and digits past the
         * millisecond still round toward the past. */
        {"1969-12-31T23:59:59.999Z", -1},
        {"1969-12-31T23:59:59.9999999Z", -1},
        {"1960-06-15T08:00:00.5-04:00", INT64_C(-301233599500)},
        {"1900-01-01T00:00:00Z", INT64_C(-2208988800000)},
        {"0000-01-01T00:00:00Z", INT64_C(-62167219200000)},
        {"9999-12-31T23:59:59.999Z", INT64_C(253402300799999)},
        /* Leap years are every fourth year, except centuries not divisible
         * by 400. */
        {"2024-02-29T23:59:59.999Z", INT64_C(1709251199999)},
        {"2000-02-29T12:00:00Z", INT64_C(951825600000)},
        {"1600-02-29T00:00:00Z", INT64_C(-11670998400000)},
        /* A leap second at the end of a month becomes the last
         * millisecond of its minute, whatever its offset. */
        {"2016-12-31T23:59:60Z", INT64_C(1483228799999)},
        {"2016-12-31T23:59:60.5Z", INT64_C(1483228799999)},
        {"2015-06-30T23:59:60Z", INT64_C(1435708799999)},
        {"2017-01-01T05:29:60+05:30", INT64_C(1483228799999)},
        {"2016-12-31T15:59:60-08:00", INT64_C(1483228799999)},
};

START_TEST(parse_valid_time)
{
        const struct time_case *c = &parse_cases[_i];
        int64_t ms = INT64_C(-42);
        int rc = timefmt_parse_ms(c->text, strlen(c->text), &ms);
        ck_assert_msg(rc == 0, "%s: rejected", c->text);
        ck_assert_msg(ms == c->epoch_ms, "%s: got %lld, expected %lld",
                      c->text, (long long)ms, (long long)c->epoch_ms);
}
END_TEST

static const char *const invalid_cases[] = {
        "",
        "yesterday",
        "2026-03-01",
        "09:15:02Z",
        "2026-03-01T09:15:02",
        "2026-03-01T09:15:02.117",
        "2026-03-01 09:15:02.117Z",
        "2026-03-01_09:15:02.117Z",
        "2026-03-01T09:15:02.Z",
        "2026-03-01T09:15:02,117Z",
        "2026-03-01T09:15Z",
        "2026-3-01T09:15:02Z",
        "2026-03-1T09:15:02Z",
        "26-03-01T09:15:02Z",
        "+2026-03-01T09:15:02Z",
        "20260-03-01T09:15:02Z",
        "2026-03-01T9:15:02Z",
        "2026-03-01T09:5:02Z",
        "2026-03-01T09:15:2Z",
        "2026/03/01T09:15:02Z",
        "2026-03-01T09.15.02Z",
        "2026-00-01T09:15:02Z",
        "2026-13-01T09:15:02Z",
        "2026-03-00T09:15:02Z",
        "2026-03-32T09:15:02Z",
        "2026-04-31T09:15:02Z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2026-03-01T24:00:00Z",
        "2026-03-01T09:60:00Z",
        "2026-03-01T09:15:61Z",
        "2026-03-01T09:15:99Z",
        "2026-03-01T09:15:02+0530",
        "2026-03-01T09:15:02+05",
        "2026-03-01T09:15:02+5:30",
        "2026-03-01T09:15:02+24:00",
        "2026-03-01T09:15:02+05:60",
        "2026-03-01T09:15:02 +05:30",
        "2026-03-01T09:15:02UTC",
        "2026-03-01T09:15:02ZZ",
        "2026-03-01T09:15:02Z ",
        " 2026-03-01T09:15:02Z",
        "2026-03-01T09:15:02.117Z\n",
        "2026-03-01T09:15:02.117x",
        "\xd9\xa2" "026-03-01T09:15:02Z",
        /* Leap seconds only at 23:59 UTC on the last day of a month. */
        "2016-12-30T23:59:60Z",
        "2016-12-31T23:58:60Z",
        "2016-12-31T22:59:60Z",
        "2016-12-31T23:59:60+01:00",
        "2016-06-15T23:59:60Z",
};

START_TEST(parse_rejects_invalid_text)
{
        const char *text = invalid_cases[_i];
        int64_t ms = 0;
        ck_assert_msg(timefmt_parse_ms(text, strlen(text), &ms) == -1,
                      "\"%s\": accepted as %lld", text, (long long)ms);
}
END_TEST

START_TEST(parse_reads_only_len_bytes)
{
        const char *text = "2026-03-01T09:15:02.117Zjunk";
        int64_t ms = 0;
        ck_assert_int_eq(timefmt_parse_ms(text, 24, &ms), 0);
        ck_assert(ms == INT64_C(1772356502117));
}
END_TEST

START_TEST(parse_rejects_truncated_text)
{
        const char *text = "2026-03-01T09:15:02.117Z";
        int64_t ms = 0;
        for (size_t len = 0; len < 24; len++) {
                /* Every proper prefix lacks the offset or ends inside a
                 * field. */
                ck_assert_msg(timefmt_parse_ms(text, len, &ms) == -1,
                              "length %zu accepted", len);
        }
}
END_TEST

START_TEST(parse_rejects_embedded_nul)
{
        const char text[] = "2026-03-01T09:15:02\0.117Z";
        int64_t ms = 0;
        ck_assert_int_eq(timefmt_parse_ms(text, sizeof(text) - 1, &ms), -1);
}
END_TEST

/* A step of about 3.8 days plus an odd number of milliseconds, so the
 * walk from year 0000 to 9999 meets every month, both signs of the epoch
 * and many times of day. */
#define ROUND_TRIP_STEP_MS INT64_C(329218107041)

/*
 * Formats ms, parses the text back and fails the test on any difference.
 * A passing ck_assert costs a message to the parent process, so these
 * loops of a million rounds only call Check on a failure.
 */
static void check_round_trip(int64_t ms)
{
        char text[TIMEFMT_RFC3339_MAX];
        timefmt_format_ms(ms, text);
        if (strlen(text) != 24)
                ck_abort_msg("%lld: \"%s\" is not 24 bytes long",
                             (long long)ms, text);
        int64_t back = 0;
        if (timefmt_parse_ms(text, 24, &back) != 0)
                ck_abort_msg("%lld: \"%s\" rejected", (long long)ms, text);
        if (back != ms)
                ck_abort_msg("%s: got %lld, expected %lld", text,
                             (long long)back, (long long)ms);
}

START_TEST(round_trip_from_year_0_to_9999)
{
        int64_t start = INT64_C(-62167219200000);
        int64_t end = INT64_C(253402300799999);
        for (int64_t ms = start; ms <= end; ms += ROUND_TRIP_STEP_MS)
                check_round_trip(ms);
        check_round_trip(end);
}
END_TEST

START_TEST(round_trip_around_epoch)
{
        for (int64_t ms = -100000; ms <= 100000; ms += 7)
                check_round_trip(ms);
}
END_TEST

START_TEST(round_trip_every_midnight)
{
        int64_t day = INT64_C(86400000);
        int64_t first = INT64_C(-62167219200000) / day;
        int64_t last = INT64_C(253402300799999) / day;
        char text[TIMEFMT_RFC3339_MAX];
        for (int64_t d = first; d <= last; d++) {
                timefmt_format_ms(d * day, text);
                if (strcmp(text + 10, "T00:00:00.000Z") != 0)
                        ck_abort_msg("%s is not midnight", text);
                check_round_trip(d * day);
                if (d > first)
                        check_round_trip(d * day - 1);
        }
}
END_TEST

static Suite *timefmt_suite(void)
{
        Suite *s = suite_create("timefmt");

        TCase *tc = tcase_create("format");
        tcase_add_loop_test(tc, format_known_time, 0,
                            sizeof(format_cases) / sizeof(format_cases[0]));
        tcase_add_test(tc, format_clamps_before_year_zero);
        tcase_add_test(tc, format_clamps_after_year_9999);
        suite_add_tcase(s, tc);

        tc = tcase_create("parse_valid");
        tcase_add_loop_test(tc, parse_valid_time, 0,
                            sizeof(parse_cases) / sizeof(parse_cases[0]));
        tcase_add_test(tc, parse_reads_only_len_bytes);
        suite_add_tcase(s, tc);

        tc = tcase_create("parse_invalid");
        tcase_add_loop_test(tc, parse_rejects_invalid_text, 0,
                            sizeof(invalid_cases) /
                                    sizeof(invalid_cases[0]));
        tcase_add_test(tc, parse_rejects_truncated_text);
        tcase_add_test(tc, parse_rejects_embedded_nul);
        suite_add_tcase(s, tc);

        tc = tcase_create("round_trip");
        tcase_add_test(tc, round_trip_from_year_0_to_9999);
        tcase_add_test(tc, round_trip_around_epoch);
        tcase_add_test(tc, round_trip_every_midnight);
        suite_add_tcase(s, tc);

        return s;
}

int main(void)
{
        SRunner *runner = srunner_create(timefmt_suite());
        srunner_run_all(runner, CK_NORMAL);
        int failed = srunner_ntests_failed(runner);
        srunner_free(runner);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
