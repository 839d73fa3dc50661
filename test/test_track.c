/* SPDX-License-Identifier: Apache-2.0 */
/* Offset tracking: the commit point never passes an unacknowledged
 * record, whatever order acknowledgements arrive in. */
#include <check.h>
#include <stdlib.h>

#include "track.h"

START_TEST(nothing_consumed_has_no_commit_offset)
{
        struct track_partition *tp = track_partition_new("t", 3);
        ck_assert_int_eq(track_commit_offset(tp), -1);
        ck_assert_int_eq(track_last_offset(tp), -1);
        ck_assert_str_eq(track_partition_topic(tp), "t");
        ck_assert_int_eq(track_partition_id(tp), 3);
        track_partition_release(tp);
}
END_TEST

START_TEST(in_flight_record_holds_commit)
{
        struct track_partition *tp = track_partition_new("t", 0);
        uint64_t s = track_begin(tp, 5);
        ck_assert_int_eq(track_commit_offset(tp), 5);
        ck_assert_uint_eq(track_in_flight(tp), 1);
        track_done(tp, s);
        ck_assert_int_eq(track_commit_offset(tp), 6);
        ck_assert_uint_eq(track_in_flight(tp), 0);
        track_partition_release(tp);
}
END_TEST

START_TEST(out_of_order_acks_wait_for_oldest)
{
        struct track_partition *tp = track_partition_new("t", 0);
        uint64_t a = track_begin(tp, 10);
        uint64_t b = track_begin(tp, 11);
        uint64_t c = track_begin(tp, 12);
        track_done(tp, c);
        ck_assert_int_eq(track_commit_offset(tp), 10);
        track_done(tp, a);
        ck_assert_int_eq(track_commit_offset(tp), 11);
        track_done(tp, b);
        ck_assert_int_eq(track_commit_offset(tp), 13);
        track_partition_release(tp);
}
END_TEST

START_TEST(offset_gaps_commit_after_last)
{
        struct track_partition *tp = track_partition_new("t", 0);
        uint64_t a = track_begin(tp, 100);
        uint64_t b = track_begin(tp, 107);
        track_done(tp, a);
        ck_assert_int_eq(track_commit_offset(tp), 107);
        track_done(tp, b);
        ck_assert_int_eq(track_commit_offset(tp), 108);
        track_partition_release(tp);
}
END_TEST

START_TEST(extra_record_keeps_offset_pending)
{
        struct track_partition *tp = track_partition_new("t", 0);
        uint64_t s = track_begin(tp, 0);
        track_add(tp, s);
        track_done(tp, s);
        ck_assert_int_eq(track_commit_offset(tp), 0);
        track_done(tp, s);
        ck_assert_int_eq(track_commit_offset(tp), 1);
        track_partition_release(tp);
}
END_TEST

START_TEST(ring_grows_past_initial_size)
{
        struct track_partition *tp = track_partition_new("t", 0);
        enum { N = 1000 };
        uint64_t *seq = malloc(N * sizeof(*seq));
        for (int i = 0; i < N; i++)
                seq[i] = track_begin(tp, i);
        /* Acknowledge all but the first, newest first. */
        for (int i = N - 1; i >= 1; i--)
                track_done(tp, seq[i]);
        ck_assert_int_eq(track_commit_offset(tp), 0);
        ck_assert_uint_eq(track_in_flight(tp), N);
        track_done(tp, seq[0]);
        ck_assert_int_eq(track_commit_offset(tp), N);
        ck_assert_int_eq(track_last_offset(tp), N - 1);
        free(seq);
        track_partition_release(tp);
}
END_TEST

START_TEST(revoked_partition_lives_until_last_ack)
{
        struct track_partition *tp = track_partition_new("t", 0);
        uint64_t s = track_begin(tp, 1);
        track_partition_release(tp);
        /* Still valid: the in-flight record holds a reference. Valgrind
         * and ASan check that the last track_done() frees it. */
        ck_assert_int_eq(track_commit_offset(tp), 1);
        track_done(tp, s);
}
END_TEST

START_TEST(committed_mark_is_kept)
{
        struct track_partition *tp = track_partition_new("t", 0);
        ck_assert_int_eq(track_committed(tp), -1);
        track_set_committed(tp, 42);
        ck_assert_int_eq(track_committed(tp), 42);
        track_partition_release(tp);
}
END_TEST

static Suite *track_suite(void)
{
        Suite *s = suite_create("track");
        TCase *tc = tcase_create("commit_offset");
        tcase_add_test(tc, nothing_consumed_has_no_commit_offset);
        tcase_add_test(tc, in_flight_record_holds_commit);
        tcase_add_test(tc, out_of_order_acks_wait_for_oldest);
        tcase_add_test(tc, offset_gaps_commit_after_last);
        tcase_add_test(tc, extra_record_keeps_offset_pending);
        tcase_add_test(tc, ring_grows_past_initial_size);
        suite_add_tcase(s, tc);
        tc = tcase_create("lifetime");
        tcase_add_test(tc, revoked_partition_lives_until_last_ack);
        tcase_add_test(tc, committed_mark_is_kept);
        suite_add_tcase(s, tc);
        return s;
}

int main(void)
{
        SRunner *sr = srunner_create(track_suite());
        srunner_run_all(sr, CK_NORMAL);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
