/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Offset tracking (see track.h). Each partition keeps a ring of the
 * consumed offsets in consumption order with a count of sink records still
 * in flight for each; the head of the ring is the commit point. Delivery
 * reports may arrive in any order across topics, so acknowledged records
 * behind an unacknowledged one wait in the ring until the head moves.
 */
#include "track.h"

#include <stdlib.h>

#include "alloc.h"

struct track_slot {
        int64_t offset;
        uint32_t pending;
};

struct track_partition {
        char *topic;
        int32_t partition;
        int refs;
        struct track_slot *ring;
        size_t cap;       /* a power of two */
        uint64_t head;    /* sequence number of the oldest slot */
        uint64_t tail;    /* sequence number of the next slot */
        int64_t last;     /* last offset begun, or -1 */
        int64_t committed;
};

struct track_partition *track_partition_new(const char *topic,
                                            int32_t partition)
{
        struct track_partition *tp = xcalloc(1, sizeof(*tp));
        tp->topic = xstrdup(topic);
        tp->partition = partition;
        tp->refs = 1;
        tp->cap = 64;
        tp->ring = xmalloc(tp->cap * sizeof(*tp->ring));
        tp->last = -1;
        tp->committed = -1;
        return tp;
}

static void track_partition_unref(struct track_partition *tp)
{
        if (--tp->refs > 0)
                return;
        free(tp->ring);
        free(tp->topic);
        free(tp);
}

void track_partition_release(struct track_partition *tp)
{
        if (tp)
                track_partition_unref(tp);
}

const char *track_partition_topic(const struct track_partition *tp)
{
        return tp->topic;
}

int32_t track_partition_id(const struct track_partition *tp)
{
        return tp->partition;
}

static struct track_slot *track_slot(const struct track_partition *tp,
                                     uint64_t seq)
{
        return &tp->ring[seq & (tp->cap - 1)];
}

static void track_grow(struct track_partition *tp)
{
        size_t cap = tp->cap * 2;
        struct track_slot *ring = xmalloc(cap * sizeof(*ring));
        for (uint64_t s = tp->head; s < tp->tail; s++)
                ring[s & (cap - 1)] = *track_slot(tp, s);
        free(tp->ring);
        tp->ring = ring;
        tp->cap = cap;
}

uint64_t track_begin(struct track_partition *tp, int64_t offset)
{
        if (tp->tail - tp->head == tp->cap)
                track_grow(tp);
        uint64_t seq = tp->tail++;
        struct track_slot *slot = track_slot(tp, seq);
        slot->offset = offset;
        slot->pending = 1;
        tp->last = offset;
        tp->refs++;
        return seq;
}

void track_add(struct track_partition *tp, uint64_t seq)
{
        track_slot(tp, seq)->pending++;
}

void track_done(struct track_partition *tp, uint64_t seq)
{
        struct track_slot *slot = track_slot(tp, seq);
        if (--slot->pending > 0)
                return;
        while (tp->head < tp->tail && track_slot(tp, tp->head)->pending == 0)
                tp->head++;
        track_partition_unref(tp);
}

int64_t track_commit_offset(const struct track_partition *tp)
{
        if (tp->head < tp->tail)
                return track_slot(tp, tp->head)->offset;
        return tp->last < 0 ? -1 : tp->last + 1;
}

size_t track_in_flight(const struct track_partition *tp)
{
        return (size_t)(tp->tail - tp->head);
}

int64_t track_last_offset(const struct track_partition *tp)
{
        return tp->last;
}

int64_t track_committed(const struct track_partition *tp)
{
        return tp->committed;
}

void track_set_committed(struct track_partition *tp, int64_t offset)
{
        tp->committed = offset;
}
