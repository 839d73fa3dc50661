/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offset tracking for at-least-once delivery: per source partition, the
 * consumed offsets still waiting for sink acknowledgements, and the offset
 * that is safe to commit (everything below it was acknowledged).
 */
#ifndef CKB_TRACK_H
#define CKB_TRACK_H

#include <stddef.h>
#include <stdint.h>

struct track_partition;

/*
 * Creates the tracker of one assigned partition. The caller holds one
 * reference; every begun record holds another until it is done, so a
 * revoked partition stays valid for late delivery reports.
 */
struct track_partition *track_partition_new(const char *topic,
                                            int32_t partition);
/* Drops the caller's reference (on revoke); frees when none remain. */
void track_partition_release(struct track_partition *tp);

const char *track_partition_topic(const struct track_partition *tp);
int32_t track_partition_id(const struct track_partition *tp);

/*
 * Records that offset was consumed and one sink record derived from it is
 * in flight. Offsets must increase. Returns the sequence number that
 * identifies the record in track_add() and track_done().
 */
uint64_t track_begin(struct track_partition *tp, int64_t offset);
/* One more sink record derives from the record (e.g. a dead letter after
 * the channel topic rejected it). */
void track_add(struct track_partition *tp, uint64_t seq);
/*
 * One sink record of seq was acknowledged. Releases the reference taken by
 * track_begin() when the record has none left in flight, so tp may be
 * freed by this call if it was revoked.
 */
void track_done(struct track_partition *tp, uint64_t seq);

/*
 * The offset to commit: the oldest consumed offset not yet fully
 * acknowledged, or one past the last consumed offset when nothing is in
 * flight; -1 when nothing was consumed yet.
 */
int64_t track_commit_offset(const struct track_partition *tp);
/* Records in flight (consumed, not yet fully acknowledged). */
size_t track_in_flight(const struct track_partition *tp);
/* The last offset given to track_begin(), or -1. */
int64_t track_last_offset(const struct track_partition *tp);

/* Bookkeeping for the owner: the last offset it committed, or -1. */
int64_t track_committed(const struct track_partition *tp);
void track_set_committed(struct track_partition *tp, int64_t offset);

#endif
