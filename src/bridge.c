/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The main loop (see bridge.h). One thread polls the consumer, produces
 * each record and serves the producer's delivery reports, so no state here
 * needs a lock. Only the decisions of a batch may run on the threads of
 * decide.h, which touch nothing but their jobs. librdkafka's own threads
 * do the network I/O and batching.
 *
 * At-least-once: a source offset is committed only when every record
 * derived from it was acknowledged by the sink cluster (track.h). Commits
 * are asynchronous and periodic, synchronous on revoke and at the end.
 */
#include "bridge.h"

#include <inttypes.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "decide.h"
#include "kafka.h"
#include "log.h"
#include "record.h"
#include "track.h"

#define BRIDGE_POLL_MS 100
#define BRIDGE_COMMIT_INTERVAL_MS 1000
#define BRIDGE_BROKER_WAIT_MS 30000
#define BRIDGE_WATERMARK_TIMEOUT_MS 10000
#define BRIDGE_SYNC_COMMIT_TIMEOUT_MS 10000
#define BRIDGE_MIN_WAIT_MS 500
/* Records taken from the consumer per loop step, between two serves of
 * the producer's delivery reports, and records decided at a time. */
#define BRIDGE_BATCH 256
/* Freed in-flight entries kept for reuse. */
#define BRIDGE_SPARE_MAX 16384

static volatile sig_atomic_t bridge_stop_requested;

/* A consumer left running at exit (see bridge_close()); kept
 * reachable so leak checkers do not report it. */
static rd_kafka_t *bridge_abandoned_consumer;

/* A source partition assigned to this member. */
struct bridge_part {
        struct track_partition *tp;
        int64_t end; /* high watermark when assigned, -1 if unknown */
        int eof;     /* the consumer reported the partition's end */
};

enum bridge_redo {
        BRIDGE_REDO_NONE,
        BRIDGE_REDO_DLQ,     /* dead-letter the source record */
        BRIDGE_REDO_PRODUCE, /* produce the same record again */
};

/*
 * One produced record, the opaque of its delivery report. It keeps the
 * source message so that a rejected record can still be dead-lettered
 * with the source bytes, key and headers.
 */
struct bridge_inflight {
        struct track_partition *tp;
        uint64_t seq;
        rd_kafka_message_t *src;
        int is_dlq;
        size_t channel_index;  /* channel records: the channel */
        int null_value;        /* a dead letter without the value */
        enum bridge_redo redo; /* what the main loop must do next */
        char *reason;          /* BRIDGE_REDO_DLQ: the dlq-reason */
        /* The rewritten value librdkafka refers to until the delivery
         * report. The buffer stays with the entry when it is reused. */
        struct buf value;
        struct bridge_inflight *next;
};

/* A consumed record waiting to be produced, with its decision once made. */
struct bridge_slot {
        rd_kafka_message_t *msg;
        struct decision decision;
};

struct bridge_counters {
        uint64_t consumed;
        uint64_t produced;
        uint64_t dead_lettered;
        uint64_t skipped;
        uint64_t *per_channel;
};

struct bridge {
        const struct cfg *cfg;
        struct event_ctx *events;
        struct decide_pool *pool;
        struct decide_job *jobs; /* BRIDGE_BATCH of them */
        int exit_on_eof;
        rd_kafka_t *consumer;
        rd_kafka_t *producer;

        struct bridge_part *parts;
        size_t part_count;
        size_t part_cap;
        size_t last_part; /* index of the last partition found */
        int assigned; /* an assignment arrived after the last revoke */
        int paused;

        /* Consumed records not produced yet, oldest first. The first
         * backlog_decided of them have their decision made. A slot keeps
         * its decision's buffer when it is empty, for the next record. */
        struct bridge_slot *backlog;
        size_t backlog_head;
        size_t backlog_count;
        size_t backlog_cap;
        size_t backlog_decided;

        /* Records whose delivery failed and must be produced again. */
        struct bridge_inflight *redo_head;
        struct bridge_inflight *redo_tail;
        /* Records that failed for good: never acknowledged, so no commit
         * passes them; released only after the last commit. */
        struct bridge_inflight *stuck;

        int transactional; /* exactly-once: commits go through the
                              producer's transactions */
        int txn_open;
        int64_t txn_started_ms;

        uint64_t in_flight; /* produced, delivery report pending */
        /* Sink topic handles, one per channel and the dead-letter topic
         * last, each created when its first record is produced: producing
         * through a handle saves a topic lookup per record. */
        rd_kafka_topic_t **sinks;
        struct bridge_inflight *spare; /* freed entries, for reuse */
        size_t spare_count;
        int blocked;        /* the producer queue is full */
        int fatal;
        int closing;
        int final_commit_failed;
        int64_t deadline_ms; /* shutdown: when draining must end */

        int64_t last_commit_ms;
        int64_t last_stats_ms;
        int64_t last_progress_ms; /* last record consumed or delivered */
        /* From the first record consumed to the last delivery report: the
         * time spent moving records, without the group join before it or
         * the end-of-partition wait and shutdown after it. */
        int64_t first_record_ms;
        int64_t last_delivery_ms;
        struct bridge_counters count;
        struct log_ratelimit rl_dlq;
        struct log_ratelimit rl_skip;
        struct log_ratelimit rl_consumer_error;
        struct log_ratelimit rl_backpressure;
        struct log_ratelimit rl_client_error;
};

void bridge_request_stop(void)
{
        bridge_stop_requested = 1;
}

/* --- partitions ------------------------------------------------------ */

static int bridge_part_is(const struct bridge_part *p, const char *topic,
                          int32_t partition)
{
        return track_partition_id(p->tp) == partition &&
               strcmp(track_partition_topic(p->tp), topic) == 0;
}

static struct bridge_part *bridge_find_part(struct bridge *b,
                                            const char *topic,
                                            int32_t partition)
{
        /* Records arrive in runs from one partition, so the partition of
         * the previous call is tried first. */
        if (b->last_part < b->part_count &&
            bridge_part_is(&b->parts[b->last_part], topic, partition))
                return &b->parts[b->last_part];
        for (size_t i = 0; i < b->part_count; i++) {
                if (bridge_part_is(&b->parts[i], topic, partition)) {
                        b->last_part = i;
                        return &b->parts[i];
                }
        }
        return NULL;
}

static struct bridge_part *bridge_add_part(struct bridge *b,
                                           const char *topic,
                                           int32_t partition)
{
        struct bridge_part *p = bridge_find_part(b, topic, partition);
        if (p)
                return p;
        if (b->part_count == b->part_cap) {
                b->part_cap = b->part_cap ? b->part_cap * 2 : 16;
                b->parts = xrealloc(b->parts,
                                    b->part_cap * sizeof(*b->parts));
        }
        p = &b->parts[b->part_count++];
        p->tp = track_partition_new(topic, partition);
        p->end = -1;
        p->eof = 0;
        return p;
}

static void bridge_remove_part(struct bridge *b, const char *topic,
                               int32_t partition)
{
        struct bridge_part *p = bridge_find_part(b, topic, partition);
        if (!p)
                return;
        track_partition_release(p->tp);
        *p = b->parts[--b->part_count];
}

/* --- backlog --------------------------------------------------------- */

static struct bridge_slot *bridge_backlog_at(struct bridge *b, size_t i)
{
        return &b->backlog[(b->backlog_head + i) % b->backlog_cap];
}

static void bridge_backlog_push(struct bridge *b, rd_kafka_message_t *msg)
{
        if (b->backlog_count == b->backlog_cap) {
                /* Every slot moves, the empty ones with their buffers. */
                size_t cap = b->backlog_cap ? b->backlog_cap * 2 : 256;
                struct bridge_slot *slots = xcalloc(cap, sizeof(*slots));
                for (size_t i = 0; i < b->backlog_cap; i++)
                        slots[i] = *bridge_backlog_at(b, i);
                free(b->backlog);
                b->backlog = slots;
                b->backlog_cap = cap;
                b->backlog_head = 0;
        }
        bridge_backlog_at(b, b->backlog_count)->msg = msg;
        b->backlog_count++;
}

static struct bridge_slot *bridge_backlog_peek(struct bridge *b)
{
        return b->backlog_count ? bridge_backlog_at(b, 0) : NULL;
}

static void bridge_backlog_pop(struct bridge *b)
{
        bridge_backlog_at(b, 0)->msg = NULL;
        b->backlog_head = (b->backlog_head + 1) % b->backlog_cap;
        b->backlog_count--;
        if (b->backlog_decided)
                b->backlog_decided--;
}

/* Drops backlog records of partitions no longer assigned. The records
 * kept are decided again. */
static void bridge_backlog_prune(struct bridge *b)
{
        size_t n = b->backlog_count;
        for (size_t i = 0; i < n; i++) {
                rd_kafka_message_t *msg = bridge_backlog_peek(b)->msg;
                bridge_backlog_pop(b);
                if (bridge_find_part(b, rd_kafka_topic_name(msg->rkt),
                                     msg->partition))
                        bridge_backlog_push(b, msg);
                else
                        rd_kafka_message_destroy(msg);
        }
        b->backlog_decided = 0;
}

/* Decides the next batch of undecided backlog records. */
static void bridge_backlog_decide(struct bridge *b)
{
        size_t n = b->backlog_count - b->backlog_decided;
        if (n > BRIDGE_BATCH)
                n = BRIDGE_BATCH;
        for (size_t i = 0; i < n; i++) {
                struct bridge_slot *slot =
                        bridge_backlog_at(b, b->backlog_decided + i);
                rd_kafka_message_t *msg = slot->msg;
                b->jobs[i] = (struct decide_job){
                        .topic = rd_kafka_topic_name(msg->rkt),
                        .value = msg->payload,
                        .len = msg->len,
                        .is_null = msg->payload == NULL,
                        .out = &slot->decision,
                };
        }
        decide_run(b->pool, b->jobs, n);
        b->backlog_decided += n;
}

static void bridge_backlog_free(struct bridge *b)
{
        for (size_t i = 0; i < b->backlog_cap; i++)
                decision_free(&b->backlog[i].decision);
        free(b->backlog);
}

/* --- commits ----------------------------------------------------------- */

/* Adds tp's commit point to list unless the group confirmed it already. */
static void bridge_add_commit(rd_kafka_topic_partition_list_t *list,
                              struct track_partition *tp)
{
        int64_t off = track_commit_offset(tp);
        if (off < 0 || off == track_committed(tp))
                return;
        rd_kafka_topic_partition_list_add(list, track_partition_topic(tp),
                                          track_partition_id(tp))
                ->offset = off;
}

static void bridge_mark_committed(rd_kafka_topic_partition_list_t *list,
                                  struct bridge *b)
{
        for (int i = 0; i < list->cnt; i++) {
                rd_kafka_topic_partition_t *e = &list->elems[i];
                struct bridge_part *p =
                        bridge_find_part(b, e->topic, e->partition);
                if (p)
                        track_set_committed(p->tp, e->offset);
        }
}

/*
 * Returns how long a synchronous commit may wait, because a coordinator
 * that does not respond must not block a revoke or a shutdown forever.
 */
static int bridge_commit_timeout_ms(const struct bridge *b)
{
        if (!b->deadline_ms)
                return BRIDGE_SYNC_COMMIT_TIMEOUT_MS;
        int64_t left = b->deadline_ms - log_monotonic_ms();
        if (left > BRIDGE_SYNC_COMMIT_TIMEOUT_MS)
                return BRIDGE_SYNC_COMMIT_TIMEOUT_MS;
        return left < BRIDGE_MIN_WAIT_MS ? BRIDGE_MIN_WAIT_MS : (int)left;
}

/* Commits list and waits for the result, at most the commit timeout. */
static rd_kafka_resp_err_t
bridge_commit_wait(struct bridge *b, rd_kafka_topic_partition_list_t *list)
{
        rd_kafka_queue_t *q = rd_kafka_queue_new(b->consumer);
        rd_kafka_resp_err_t err =
                rd_kafka_commit_queue(b->consumer, list, q, NULL, NULL);
        if (!err) {
                rd_kafka_event_t *ev =
                        rd_kafka_queue_poll(q, bridge_commit_timeout_ms(b));
                err = ev ? rd_kafka_event_error(ev)
                         : RD_KAFKA_RESP_ERR__TIMED_OUT;
                if (ev)
                        rd_kafka_event_destroy(ev);
        }
        rd_kafka_queue_destroy(q);
        return err;
}

/*
 * Commits what was acknowledged on the given partitions (all assigned ones
 * when only is NULL). A synchronous commit returns its error.
 */
static rd_kafka_resp_err_t
bridge_commit_offsets(struct bridge *b,
                      const rd_kafka_topic_partition_list_t *only, int async)
{
        rd_kafka_topic_partition_list_t *list =
                rd_kafka_topic_partition_list_new((int)b->part_count + 1);
        for (size_t i = 0; i < b->part_count; i++) {
                struct track_partition *tp = b->parts[i].tp;
                if (only && !rd_kafka_topic_partition_list_find(
                                    only, track_partition_topic(tp),
                                    track_partition_id(tp)))
                        continue;
                bridge_add_commit(list, tp);
        }
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
        if (list->cnt > 0) {
                err = async ? rd_kafka_commit(b->consumer, list, 1)
                            : bridge_commit_wait(b, list);
                /* An asynchronous commit is marked when bridge_on_commit()
                 * gets its result: marking it now would let a stop during
                 * an outage skip offsets that were never committed. */
                if (!err && !async)
                        bridge_mark_committed(list, b);
                else if (err)
                        log_msg(LOG_LEVEL_WARNING, "COMMIT",
                                "commit of %d partitions failed: %s",
                                list->cnt, rd_kafka_err2str(err));
        }
        rd_kafka_topic_partition_list_destroy(list);
        b->last_commit_ms = log_monotonic_ms();
        return err;
}

/* --- transactions (exactly-once) ------------------------------------------ */

static int bridge_txn_failed(struct bridge *b, const char *what,
                             rd_kafka_error_t *error)
{
        log_msg(LOG_LEVEL_ERR, "COMMIT",
                "%s failed: %s%s; stopping, the transaction's records are "
                "consumed again after a restart",
                what, rd_kafka_error_string(error),
                rd_kafka_error_txn_requires_abort(error) ? " (aborting)"
                                                         : "");
        if (rd_kafka_error_txn_requires_abort(error)) {
                rd_kafka_error_t *aerr =
                        rd_kafka_abort_transaction(b->producer, -1);
                if (aerr)
                        rd_kafka_error_destroy(aerr);
                b->txn_open = 0;
        }
        rd_kafka_error_destroy(error);
        b->fatal = 1;
        return -1;
}

/* Opens a transaction before the first record produced after a commit. */
static int bridge_txn_begin(struct bridge *b)
{
        if (!b->transactional || b->txn_open)
                return 0;
        rd_kafka_error_t *error = rd_kafka_begin_transaction(b->producer);
        if (error)
                return bridge_txn_failed(b, "begin_transaction", error);
        b->txn_open = 1;
        b->txn_started_ms = log_monotonic_ms();
        return 0;
}

/*
 * Commits the open transaction together with the source offsets of every
 * record processed in it, so the records and the offsets become visible
 * at once (consume-transform-produce).
 */
static rd_kafka_resp_err_t bridge_txn_commit(struct bridge *b)
{
        if (!b->txn_open)
                return RD_KAFKA_RESP_ERR_NO_ERROR;
        rd_kafka_topic_partition_list_t *list =
                rd_kafka_topic_partition_list_new((int)b->part_count + 1);
        for (size_t i = 0; i < b->part_count; i++) {
                struct track_partition *tp = b->parts[i].tp;
                int64_t next = track_last_offset(tp) + 1;
                if (next > 0 && next != track_committed(tp))
                        rd_kafka_topic_partition_list_add(
                                list, track_partition_topic(tp),
                                track_partition_id(tp))
                                ->offset = next;
        }
        rd_kafka_error_t *error = NULL;
        if (list->cnt > 0) {
                rd_kafka_consumer_group_metadata_t *cgmd =
                        rd_kafka_consumer_group_metadata(b->consumer);
                error = rd_kafka_send_offsets_to_transaction(
                        b->producer, list, cgmd, -1);
                rd_kafka_consumer_group_metadata_destroy(cgmd);
        }
        if (!error)
                error = rd_kafka_commit_transaction(b->producer, -1);
        b->txn_open = 0;
        if (error) {
                rd_kafka_topic_partition_list_destroy(list);
                bridge_txn_failed(b, "commit_transaction", error);
                return RD_KAFKA_RESP_ERR__FATAL;
        }
        bridge_mark_committed(list, b);
        rd_kafka_topic_partition_list_destroy(list);
        return RD_KAFKA_RESP_ERR_NO_ERROR;
}

static rd_kafka_resp_err_t
bridge_commit(struct bridge *b, const rd_kafka_topic_partition_list_t *only,
              int async)
{
        if (!b->transactional)
                return bridge_commit_offsets(b, only, async);
        /* A transaction covers every partition, and its commit is always
         * synchronous. */
        b->last_commit_ms = log_monotonic_ms();
        return bridge_txn_commit(b);
}

static void bridge_on_commit(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                             rd_kafka_topic_partition_list_t *offsets,
                             void *opaque)
{
        struct bridge *b = opaque;
        (void)rk;
        if (err == RD_KAFKA_RESP_ERR__NO_OFFSET)
                return;
        for (int i = 0; offsets && i < offsets->cnt; i++) {
                rd_kafka_topic_partition_t *e = &offsets->elems[i];
                struct bridge_part *p =
                        bridge_find_part(b, e->topic, e->partition);
                if (!err && !e->err) {
                        /* Results may arrive out of order, so the mark
                         * only moves forward. */
                        if (p && e->offset > track_committed(p->tp))
                                track_set_committed(p->tp, e->offset);
                        continue;
                }
                log_msg(LOG_LEVEL_WARNING, "COMMIT",
                        "topic=%s partition=%" PRId32 " offset=%" PRId64
                        " commit failed: %s",
                        e->topic, e->partition, e->offset,
                        rd_kafka_err2str(e->err ? e->err : err));
        }
}

/* --- rebalances ------------------------------------------------------ */

static void bridge_log_partitions(const char *what,
                                  const rd_kafka_topic_partition_list_t *l)
{
        char text[2048];
        size_t n = 0;
        text[0] = '\0';
        for (int i = 0; i < l->cnt && n < sizeof(text) - 64; i++) {
                int w = snprintf(text + n, sizeof(text) - n, "%s%s[%" PRId32
                                 "]",
                                 i ? "," : "", l->elems[i].topic,
                                 l->elems[i].partition);
                if (w > 0)
                        n += (size_t)w;
        }
        log_msg(LOG_LEVEL_NOTICE, "REBALANCE", "%s %d partitions: %s", what,
                l->cnt, l->cnt ? text : "(none)");
}

static void bridge_assign(struct bridge *b,
                          rd_kafka_topic_partition_list_t *partitions)
{
        for (int i = 0; i < partitions->cnt; i++) {
                rd_kafka_topic_partition_t *e = &partitions->elems[i];
                struct bridge_part *p =
                        bridge_add_part(b, e->topic, e->partition);
                int64_t lo, hi;
                if (b->exit_on_eof &&
                    rd_kafka_query_watermark_offsets(
                            b->consumer, e->topic, e->partition, &lo, &hi,
                            BRIDGE_WATERMARK_TIMEOUT_MS) ==
                            RD_KAFKA_RESP_ERR_NO_ERROR)
                        p->end = hi;
        }
        b->assigned = 1;
        bridge_log_partitions("assigned", partitions);
}

static void bridge_revoke(struct bridge *b,
                          rd_kafka_topic_partition_list_t *partitions)
{
        /* Commit what was acknowledged before another member takes over;
         * records still in flight will be consumed again there. */
        bridge_commit(b, partitions, 0);
        for (int i = 0; i < partitions->cnt; i++)
                bridge_remove_part(b, partitions->elems[i].topic,
                                   partitions->elems[i].partition);
        bridge_backlog_prune(b);
        /* With -e, an empty assignment after a revoke (a session time-out,
         * another member joining) is not the end: wait for the next. */
        b->assigned = 0;
        bridge_log_partitions("revoked", partitions);
}

static void bridge_on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                                rd_kafka_topic_partition_list_t *partitions,
                                void *opaque)
{
        struct bridge *b = opaque;
        int cooperative =
                strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0;
        rd_kafka_error_t *error = NULL;
        rd_kafka_resp_err_t aerr = RD_KAFKA_RESP_ERR_NO_ERROR;

        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                bridge_assign(b, partitions);
                if (cooperative)
                        error = rd_kafka_incremental_assign(rk, partitions);
                else
                        aerr = rd_kafka_assign(rk, partitions);
                /* librdkafka keeps a partition's pause across revoke and
                 * assign, so set it to the bridge's current state. */
                if (b->paused)
                        rd_kafka_pause_partitions(rk, partitions);
                else
                        rd_kafka_resume_partitions(rk, partitions);
        } else {
                if (err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS)
                        log_msg(LOG_LEVEL_WARNING, "REBALANCE",
                                "rebalance error: %s", rd_kafka_err2str(err));
                bridge_revoke(b, partitions);
                if (cooperative)
                        error = rd_kafka_incremental_unassign(rk, partitions);
                else
                        aerr = rd_kafka_assign(rk, NULL);
        }
        if (error) {
                log_msg(LOG_LEVEL_ERR, "REBALANCE", "assignment failed: %s",
                        rd_kafka_error_string(error));
                rd_kafka_error_destroy(error);
                b->fatal = 1;
        } else if (aerr) {
                log_msg(LOG_LEVEL_ERR, "REBALANCE", "assignment failed: %s",
                        rd_kafka_err2str(aerr));
                b->fatal = 1;
        }
}

static void bridge_set_paused(struct bridge *b, int paused)
{
        if (b->paused == paused)
                return;
        rd_kafka_topic_partition_list_t *list = NULL;
        if (rd_kafka_assignment(b->consumer, &list) == 0 && list) {
                if (paused)
                        rd_kafka_pause_partitions(b->consumer, list);
                else
                        rd_kafka_resume_partitions(b->consumer, list);
                rd_kafka_topic_partition_list_destroy(list);
        }
        b->paused = paused;
}

/* --- producing -------------------------------------------------------- */

enum bridge_emit {
        BRIDGE_EMIT_OK,
        BRIDGE_EMIT_FULL,  /* the producer queue is full: retry later */
        BRIDGE_EMIT_FATAL, /* the record cannot be produced at all */
};

static struct bridge_inflight *bridge_inflight_new(struct bridge *b)
{
        struct bridge_inflight *inf = b->spare;
        if (!inf)
                return xcalloc(1, sizeof(*inf));
        b->spare = inf->next;
        b->spare_count--;
        struct buf value = inf->value;
        memset(inf, 0, sizeof(*inf));
        inf->value = value;
        return inf;
}

static void bridge_inflight_free(struct bridge *b, struct bridge_inflight *inf)
{
        if (inf->src)
                rd_kafka_message_destroy(inf->src);
        free(inf->reason);
        if (b->spare_count < BRIDGE_SPARE_MAX) {
                inf->next = b->spare;
                b->spare = inf;
                b->spare_count++;
        } else {
                buf_free(&inf->value);
                free(inf);
        }
}

/* Returns the handle of sink i: a channel index, or the channel count for
 * the dead-letter topic. NULL when librdkafka rejects the topic name, so
 * producing fails like any other permanent error. */
static rd_kafka_topic_t *bridge_sink(struct bridge *b, size_t i)
{
        if (!b->sinks[i]) {
                const char *name = i < event_channel_count(b->events)
                                           ? event_channel_topic(b->events, i)
                                           : b->cfg->dlq_topic;
                b->sinks[i] = rd_kafka_topic_new(b->producer, name, NULL);
        }
        return b->sinks[i];
}

static rd_kafka_topic_t *bridge_dlq_sink(struct bridge *b)
{
        return bridge_sink(b, event_channel_count(b->events));
}

static int64_t bridge_source_timestamp(const rd_kafka_message_t *src)
{
        rd_kafka_timestamp_type_t type;
        int64_t ts = rd_kafka_message_timestamp(src, &type);
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? 0 : ts;
}

static int bridge_is_too_large(rd_kafka_resp_err_t err)
{
        return err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ||
               err == RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE;
}

static int bridge_is_invalid_record(rd_kafka_resp_err_t err)
{
        return err == RD_KAFKA_RESP_ERR_INVALID_RECORD ||
               err == RD_KAFKA_RESP_ERR_INVALID_MSG ||
               err == RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE;
}

static rd_kafka_resp_err_t
bridge_producev(struct bridge *b, rd_kafka_topic_t *rkt, const void *key,
                size_t key_len, const void *value, size_t value_len, int copy,
                int64_t ts, rd_kafka_headers_t *hdrs,
                struct bridge_inflight *inf)
{
        if (bridge_txn_begin(b) != 0) {
                rd_kafka_headers_destroy(hdrs);
                return RD_KAFKA_RESP_ERR__FATAL;
        }
        if (!rkt) {
                rd_kafka_headers_destroy(hdrs);
                rd_kafka_resp_err_t err = rd_kafka_last_error();
                return err ? err : RD_KAFKA_RESP_ERR__INVALID_ARG;
        }
        rd_kafka_resp_err_t err = rd_kafka_producev(
                b->producer, RD_KAFKA_V_RKT(rkt),
                RD_KAFKA_V_KEY(key, key_len),
                RD_KAFKA_V_VALUE((void *)value, value_len),
                RD_KAFKA_V_MSGFLAGS(copy ? RD_KAFKA_MSG_F_COPY : 0),
                RD_KAFKA_V_TIMESTAMP(ts), RD_KAFKA_V_HEADERS(hdrs),
                RD_KAFKA_V_OPAQUE(inf), RD_KAFKA_V_END);
        if (err)
                rd_kafka_headers_destroy(hdrs);
        else
                b->in_flight++;
        return err;
}

static void bridge_log_fatal(const struct bridge_inflight *inf,
                             const char *topic, rd_kafka_resp_err_t err)
{
        log_msg(LOG_LEVEL_ERR, "PRODUCE",
                "topic=%s source_topic=%s partition=%" PRId32
                " offset=%" PRId64 " cannot produce: %s; stopping without "
                "committing past this record",
                topic, rd_kafka_topic_name(inf->src->rkt),
                inf->src->partition, inf->src->offset, rd_kafka_err2str(err));
}

/*
 * Produces the dead letter of inf->src. The source value stays as it was
 * (null stays null) unless inf->null_value requests a null value with a
 * dlq-value-bytes header, used when the value is too large for the sink.
 */
static enum bridge_emit bridge_emit_dlq(struct bridge *b,
                                        struct bridge_inflight *inf,
                                        const char *pointer)
{
        const rd_kafka_message_t *src = inf->src;
        int64_t value_bytes = inf->null_value ? (int64_t)src->len : -1;
        rd_kafka_headers_t *hdrs = record_dlq_headers(
                src, inf->reason, pointer, log_wallclock_ms(), value_bytes);
        inf->is_dlq = 1;
        rd_kafka_resp_err_t err = bridge_producev(
                b, bridge_dlq_sink(b), src->key, src->key_len,
                inf->null_value ? NULL : src->payload,
                inf->null_value ? 0 : src->len, 0,
                bridge_source_timestamp(src), hdrs, inf);
        if (!err)
                return BRIDGE_EMIT_OK;
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                return BRIDGE_EMIT_FULL;
        if (bridge_is_too_large(err) && !inf->null_value) {
                inf->null_value = 1;
                return bridge_emit_dlq(b, inf, pointer);
        }
        bridge_log_fatal(inf, b->cfg->dlq_topic, err);
        return BRIDGE_EMIT_FATAL;
}

static void bridge_set_reason(struct bridge_inflight *inf, const char *fmt,
                              ...) __attribute__((format(printf, 2, 3)));

static void bridge_set_reason(struct bridge_inflight *inf, const char *fmt,
                              ...)
{
        char text[1024];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof(text), fmt, ap);
        va_end(ap);
        free(inf->reason);
        inf->reason = xstrdup(text);
}

/*
 * Produces the channel record of inf->src. When store (the buffer with a
 * rewritten value) is given, the value is not copied. The buffer moves to
 * inf until the delivery report, and store gets inf's old buffer.
 */
static enum bridge_emit bridge_emit_channel(struct bridge *b,
                                            struct bridge_inflight *inf,
                                            const struct event_result *res,
                                            struct buf *store)
{
        const rd_kafka_message_t *src = inf->src;
        const void *key = src->key;
        size_t key_len = src->key_len;
        if (!key) {
                key = res->fallback_key;
                key_len = res->fallback_key_len;
        }
        rd_kafka_headers_t *hdrs = record_channel_headers(
                src, res->channel, res->has_time, res->time_ms);
        inf->is_dlq = 0;
        inf->channel_index = res->channel_index;
        int copy = res->rewritten && !store;
        rd_kafka_resp_err_t err = bridge_producev(
                b, bridge_sink(b, res->channel_index), key, key_len,
                res->value, res->value_len, copy,
                bridge_source_timestamp(src), hdrs, inf);
        if (!err) {
                if (res->rewritten && store) {
                        struct buf old = inf->value;
                        inf->value = *store;
                        *store = old;
                }
                return BRIDGE_EMIT_OK;
        }
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                return BRIDGE_EMIT_FULL;
        if (bridge_is_too_large(err)) {
                bridge_set_reason(inf, "value of %zu bytes is too large for "
                                  "topic %s: %s",
                                  res->value_len, res->topic,
                                  rd_kafka_err2str(err));
                inf->null_value = 1;
                return bridge_emit_dlq(b, inf, NULL);
        }
        bridge_log_fatal(inf, res->topic, err);
        return BRIDGE_EMIT_FATAL;
}

/* --- records ------------------------------------------------------------ */

static void bridge_log_reject(struct bridge *b, const rd_kafka_message_t *m,
                              const struct event_result *res)
{
        int skip = res->action == EVENT_SKIP;
        log_limited(skip ? &b->rl_skip : &b->rl_dlq,
                    skip ? LOG_LEVEL_INFO : LOG_LEVEL_WARNING,
                    skip ? "SKIP" : "DLQ",
                    "topic=%s partition=%" PRId32 " offset=%" PRId64
                    " workflowId=%s taskId=%s reason=\"%s\"",
                    rd_kafka_topic_name(m->rkt), m->partition, m->offset,
                    res->workflow_id ? res->workflow_id : "-",
                    res->task_id ? res->task_id : "-", res->reason);
}

/*
 * Emits the record for res and starts tracking its offset. Returns
 * BRIDGE_EMIT_FULL with nothing changed when the producer queue is full.
 */
static enum bridge_emit bridge_emit(struct bridge *b, struct bridge_part *p,
                                    rd_kafka_message_t *msg,
                                    const struct event_result *res,
                                    struct buf *store)
{
        struct bridge_inflight *inf = bridge_inflight_new(b);
        inf->tp = p->tp;
        inf->src = msg;
        enum bridge_emit rc;
        if (res->action == EVENT_PRODUCE) {
                rc = bridge_emit_channel(b, inf, res, store);
        } else {
                inf->reason = xstrdup(res->reason);
                rc = bridge_emit_dlq(b, inf,
                                     res->has_pointer ? res->pointer : NULL);
        }
        if (rc != BRIDGE_EMIT_OK) {
                inf->src = NULL; /* the caller keeps the message */
                bridge_inflight_free(b, inf);
                return rc;
        }
        /* Delivery reports are served only by this thread, so the record
         * cannot be acknowledged before it is tracked here. */
        inf->seq = track_begin(p->tp, msg->offset);
        return BRIDGE_EMIT_OK;
}

/*
 * Handles one consumed record and its decision. Returns BRIDGE_EMIT_FULL
 * when it must be retried later; otherwise the message is owned by the
 * bridge afterwards.
 */
static enum bridge_emit bridge_handle_record(struct bridge *b,
                                             rd_kafka_message_t *msg,
                                             struct decision *decision)
{
        const struct event_result *res = &decision->res;
        const char *topic = rd_kafka_topic_name(msg->rkt);
        struct bridge_part *p = bridge_find_part(b, topic, msg->partition);
        if (!p) {
                rd_kafka_message_destroy(msg);
                return BRIDGE_EMIT_OK;
        }
        if (res->action == EVENT_SKIP) {
                bridge_log_reject(b, msg, res);
                track_done(p->tp, track_begin(p->tp, msg->offset));
                b->count.consumed++;
                b->count.skipped++;
                rd_kafka_message_destroy(msg);
                return BRIDGE_EMIT_OK;
        }
        enum bridge_emit rc = bridge_emit(b, p, msg, res, &decision->store);
        if (rc == BRIDGE_EMIT_FULL)
                return rc;
        b->count.consumed++;
        if (rc == BRIDGE_EMIT_FATAL) {
                b->fatal = 1;
                rd_kafka_message_destroy(msg);
                return rc;
        }
        /* res may now point into the buffer that moved to the in-flight
         * entry, which lives until its delivery report is served. */
        if (res->action == EVENT_DLQ) {
                bridge_log_reject(b, msg, res);
        } else if (log_enabled(LOG_LEVEL_DEBUG)) {
                log_msg(LOG_LEVEL_DEBUG, "ROUTE",
                        "topic=%s partition=%" PRId32 " offset=%" PRId64
                        " workflowId=%s taskId=%s channel=%s",
                        topic, msg->partition, msg->offset,
                        res->workflow_id ? res->workflow_id : "-",
                        res->task_id ? res->task_id : "-", res->channel);
        }
        return rc;
}

static void bridge_redo_push(struct bridge *b, struct bridge_inflight *inf)
{
        inf->next = NULL;
        if (b->redo_tail)
                b->redo_tail->next = inf;
        else
                b->redo_head = inf;
        b->redo_tail = inf;
}

/*
 * Produces the records whose delivery failed, oldest first. They keep
 * their place in offset tracking, so no commit passes them meanwhile.
 */
static enum bridge_emit bridge_process_redo(struct bridge *b)
{
        while (b->redo_head) {
                struct bridge_inflight *inf = b->redo_head;
                enum bridge_emit rc;
                if (inf->redo == BRIDGE_REDO_DLQ) {
                        rc = bridge_emit_dlq(b, inf, NULL);
                } else {
                        struct event_result res;
                        const rd_kafka_message_t *m = inf->src;
                        event_process(b->events, rd_kafka_topic_name(m->rkt),
                                      m->payload, m->len, m->payload == NULL,
                                      &res);
                        rc = res.action == EVENT_PRODUCE
                                     ? bridge_emit_channel(b, inf, &res, NULL)
                                     : bridge_emit_dlq(b, inf, NULL);
                }
                if (rc == BRIDGE_EMIT_FULL)
                        return rc;
                b->redo_head = inf->next;
                if (!b->redo_head)
                        b->redo_tail = NULL;
                if (rc == BRIDGE_EMIT_FATAL) {
                        b->fatal = 1;
                        return rc;
                }
        }
        return BRIDGE_EMIT_OK;
}

static void bridge_finish(struct bridge *b, struct bridge_inflight *inf)
{
        if (inf->is_dlq) {
                b->count.dead_lettered++;
        } else {
                b->count.produced++;
                b->count.per_channel[inf->channel_index]++;
        }
        track_done(inf->tp, inf->seq);
        bridge_inflight_free(b, inf);
}

/* Decides what a failed delivery needs: a dead letter, a retry, or a
 * stop. Record-level rejections dead-letter that record only. */
static void bridge_on_failed_delivery(struct bridge *b,
                                      struct bridge_inflight *inf,
                                      const rd_kafka_message_t *m)
{
        const char *topic = rd_kafka_topic_name(m->rkt);
        if (!inf->is_dlq && (bridge_is_too_large(m->err) ||
                             bridge_is_invalid_record(m->err))) {
                bridge_set_reason(inf, "topic %s rejected the record: %s",
                                  topic, rd_kafka_err2str(m->err));
                inf->null_value = bridge_is_too_large(m->err);
                inf->redo = BRIDGE_REDO_DLQ;
        } else if (inf->is_dlq && !inf->null_value &&
                   bridge_is_too_large(m->err)) {
                inf->null_value = 1;
                inf->redo = BRIDGE_REDO_DLQ;
        } else if (m->err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT) {
                inf->redo = inf->is_dlq ? BRIDGE_REDO_DLQ
                                        : BRIDGE_REDO_PRODUCE;
        } else {
                bridge_log_fatal(inf, topic, m->err);
                b->fatal = 1;
                /* The offset stays unacknowledged, so no commit passes
                 * it; the record is consumed again after a restart. */
                inf->next = b->stuck;
                b->stuck = inf;
                return;
        }
        log_limited(&b->rl_backpressure, LOG_LEVEL_WARNING, "PRODUCE",
                    "topic=%s source_topic=%s partition=%" PRId32
                    " offset=%" PRId64 " delivery failed: %s; %s",
                    topic, rd_kafka_topic_name(inf->src->rkt),
                    inf->src->partition, inf->src->offset,
                    rd_kafka_err2str(m->err),
                    inf->redo == BRIDGE_REDO_DLQ ? "dead-lettering it"
                                                 : "producing it again");
        bridge_redo_push(b, inf);
}

static void bridge_on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m,
                               void *opaque)
{
        struct bridge *b = opaque;
        struct bridge_inflight *inf = m->_private;
        (void)rk;
        b->in_flight--;
        b->last_progress_ms = log_monotonic_ms();
        b->last_delivery_ms = b->last_progress_ms;
        if (!m->err) {
                bridge_finish(b, inf);
                return;
        }
        if (b->closing) {
                /* Purged at shutdown, after the last commit: releasing its
                 * offset can no longer commit it. */
                track_done(inf->tp, inf->seq);
                bridge_inflight_free(b, inf);
                return;
        }
        bridge_on_failed_delivery(b, inf, m);
}

/* --- the loop ------------------------------------------------------------ */

static void bridge_on_consumer_event(struct bridge *b,
                                     rd_kafka_message_t *msg)
{
        if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                struct bridge_part *p = bridge_find_part(
                        b, rd_kafka_topic_name(msg->rkt), msg->partition);
                if (p)
                        p->eof = 1;
        } else if (msg->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
                   msg->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
                log_limited(&b->rl_consumer_error, LOG_LEVEL_WARNING,
                            "CONSUME", "source topic %s does not exist; "
                            "it counts as empty: %s",
                            msg->rkt ? rd_kafka_topic_name(msg->rkt) : "-",
                            rd_kafka_message_errstr(msg));
        } else {
                log_limited(&b->rl_consumer_error, LOG_LEVEL_WARNING,
                            "CONSUME", "topic=%s partition=%" PRId32
                            " consumer error: %s",
                            msg->rkt ? rd_kafka_topic_name(msg->rkt) : "-",
                            msg->partition, rd_kafka_message_errstr(msg));
        }
        rd_kafka_message_destroy(msg);
}

/* Works through the backlog; stops at a record the full queue rejects. */
static void bridge_drain_backlog(struct bridge *b)
{
        struct bridge_slot *slot;
        while (!b->fatal && (slot = bridge_backlog_peek(b))) {
                if (!b->backlog_decided)
                        bridge_backlog_decide(b);
                if (bridge_handle_record(b, slot->msg, &slot->decision) ==
                    BRIDGE_EMIT_FULL) {
                        b->blocked = 1;
                        return;
                }
                bridge_backlog_pop(b);
        }
        b->blocked = 0;
}

static void bridge_take(struct bridge *b, rd_kafka_message_t *msg)
{
        b->last_progress_ms = log_monotonic_ms();
        if (msg->err) {
                bridge_on_consumer_event(b, msg);
                return;
        }
        if (!b->first_record_ms)
                b->first_record_ms = b->last_progress_ms;
        bridge_backlog_push(b, msg);
}

/*
 * Backpressure: while the producer queue is full, consuming is paused but
 * the consumer is still polled so the group membership survives; records
 * already fetched wait in the backlog.
 */
static void bridge_wait_for_room(struct bridge *b)
{
        if (!b->paused) {
                bridge_set_paused(b, 1);
                log_limited(&b->rl_backpressure, LOG_LEVEL_WARNING,
                            "PRODUCE",
                            "producer queue full (%" PRIu64 " records in "
                            "flight): pausing consumption",
                            b->in_flight);
        }
        rd_kafka_poll(b->producer, BRIDGE_POLL_MS / 2);
        rd_kafka_message_t *msg = rd_kafka_consumer_poll(b->consumer, 0);
        if (msg)
                bridge_take(b, msg);
}

static int bridge_partition_done(const struct bridge_part *p)
{
        if (p->eof)
                return 1;
        if (p->end < 0)
                return 0;
        int64_t last = track_last_offset(p->tp);
        return p->end == 0 || last + 1 >= p->end;
}

/* The -e condition: every assigned partition reached its end and every
 * record was acknowledged; the caller then commits synchronously. */
static int bridge_reached_end(struct bridge *b)
{
        if (!b->assigned || b->backlog_count || b->redo_head ||
            b->in_flight || b->blocked)
                return 0;
        for (size_t i = 0; i < b->part_count; i++) {
                if (!bridge_partition_done(&b->parts[i]) ||
                    track_in_flight(b->parts[i].tp))
                        return 0;
        }
        return 1;
}

static void bridge_log_stats(struct bridge *b, int level, const char *what)
{
        char channels[1024] = "";
        size_t n = 0;
        size_t count = event_channel_count(b->events);
        for (size_t i = 0; i < count && n < sizeof(channels); i++) {
                int w = snprintf(channels + n, sizeof(channels) - n,
                                 " %s=%" PRIu64,
                                 event_channel_name(b->events, i),
                                 b->count.per_channel[i]);
                if (w > 0)
                        n += (size_t)w;
        }
        int64_t busy = b->last_delivery_ms > b->first_record_ms
                               ? b->last_delivery_ms - b->first_record_ms
                               : 0;
        log_msg(level, "STATS",
                "%s consumed=%" PRIu64 " produced=%" PRIu64
                " dead_lettered=%" PRIu64 " skipped=%" PRIu64
                " in_flight=%" PRIu64 " busy_ms=%" PRId64 "%s",
                what, b->count.consumed, b->count.produced,
                b->count.dead_lettered, b->count.skipped, b->in_flight,
                busy, channels);
}

/*
 * With -e the bridge must end: when nothing moved for the broker wait
 * time, it requests metadata and stops with an error if no
 * broker responds. Without -e an outage only pauses the bridge.
 */
static void bridge_check_stalled(struct bridge *b, int64_t now)
{
        if (!b->exit_on_eof ||
            now - b->last_progress_ms < BRIDGE_BROKER_WAIT_MS)
                return;
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_resp_err_t err =
                rd_kafka_metadata(b->consumer, 0, NULL, &md, 2000);
        if (md)
                rd_kafka_metadata_destroy(md);
        b->last_progress_ms = now;
        if (!err)
                return;
        log_msg(LOG_LEVEL_ERR, "KAFKA",
                "no broker answered within %d s (brokers=%s): %s",
                BRIDGE_BROKER_WAIT_MS / 1000, b->cfg->brokers,
                rd_kafka_err2str(err));
        b->fatal = 1;
}

static void bridge_tick(struct bridge *b)
{
        int64_t now = log_monotonic_ms();
        bridge_check_stalled(b, now);
        int interval = b->transactional ? b->cfg->transaction_interval_ms
                                        : BRIDGE_COMMIT_INTERVAL_MS;
        if (now - b->last_commit_ms >= interval)
                bridge_commit(b, NULL, 1);
        if (b->cfg->stats_interval_ms > 0 &&
            now - b->last_stats_ms >= b->cfg->stats_interval_ms) {
                bridge_log_stats(b, LOG_LEVEL_INFO, "running");
                b->last_stats_ms = now;
        }
}

/* Returns 1 when the loop should end. */
static int bridge_step(struct bridge *b)
{
        rd_kafka_poll(b->producer, 0);
        if (bridge_process_redo(b) == BRIDGE_EMIT_FULL) {
                bridge_wait_for_room(b);
                return 0;
        }
        if (b->blocked || b->backlog_count) {
                bridge_drain_backlog(b);
                if (b->blocked) {
                        bridge_wait_for_room(b);
                        return 0;
                }
        }
        if (b->paused)
                bridge_set_paused(b, 0);
        rd_kafka_message_t *msg =
                rd_kafka_consumer_poll(b->consumer, BRIDGE_POLL_MS);
        if (msg) {
                /* Take what is ready without waiting, then work through
                 * it: the per-step costs below are paid once per batch. */
                int n = 1;
                do {
                        bridge_take(b, msg);
                } while (n++ < BRIDGE_BATCH && !bridge_stop_requested &&
                         (msg = rd_kafka_consumer_poll(b->consumer, 0)));
                bridge_drain_backlog(b);
        }
        bridge_tick(b);
        if (b->exit_on_eof && bridge_reached_end(b)) {
                if (bridge_commit(b, NULL, 0) == RD_KAFKA_RESP_ERR_NO_ERROR) {
                        log_msg(LOG_LEVEL_NOTICE, "CONSUME",
                                "every assigned partition reached its end");
                        return 1;
                }
        }
        return 0;
}

/* --- start and stop ------------------------------------------------------ */

/* Client errors: librdkafka retries transient ones by itself; a fatal
 * one (e.g. the idempotent producer lost its guarantees) stops the bridge
 * without committing past what was acknowledged. */
static void bridge_on_error(rd_kafka_t *rk, int err, const char *reason,
                            void *opaque)
{
        struct bridge *b = opaque;
        if (err == RD_KAFKA_RESP_ERR__FATAL) {
                char text[512];
                rd_kafka_fatal_error(rk, text, sizeof(text));
                log_msg(LOG_LEVEL_ERR, "KAFKA", "client=%s fatal error: %s",
                        rd_kafka_name(rk), text);
                b->fatal = 1;
                return;
        }
        log_limited(&b->rl_client_error, LOG_LEVEL_WARNING, "KAFKA",
                    "client=%s %s: %s", rd_kafka_name(rk),
                    rd_kafka_err2name((rd_kafka_resp_err_t)err), reason);
}

static rd_kafka_t *bridge_new_client(struct bridge *b, enum kafka_role role)
{
        char err[1024];
        rd_kafka_conf_t *conf = kafka_conf_new(b->cfg, role, err, sizeof(err));
        if (!conf) {
                log_msg(LOG_LEVEL_ERR, "CONFIG", "%s", err);
                return NULL;
        }
        rd_kafka_conf_set_opaque(conf, b);
        rd_kafka_conf_set_error_cb(conf, bridge_on_error);
        if (role == KAFKA_PRODUCER) {
                rd_kafka_conf_set_dr_msg_cb(conf, bridge_on_delivery);
        } else {
                rd_kafka_conf_set_rebalance_cb(conf, bridge_on_rebalance);
                rd_kafka_conf_set_offset_commit_cb(conf, bridge_on_commit);
                if (rd_kafka_conf_set(conf, "enable.partition.eof",
                                      b->exit_on_eof ? "true" : "false", err,
                                      sizeof(err)) != RD_KAFKA_CONF_OK) {
                        log_msg(LOG_LEVEL_ERR, "CONFIG", "%s", err);
                        rd_kafka_conf_destroy(conf);
                        return NULL;
                }
        }
        rd_kafka_t *rk = rd_kafka_new(role == KAFKA_PRODUCER
                                              ? RD_KAFKA_PRODUCER
                                              : RD_KAFKA_CONSUMER,
                                      conf, err, sizeof(err));
        if (!rk) {
                log_msg(LOG_LEVEL_ERR, "CONFIG", "cannot create the %s: %s",
                        role == KAFKA_PRODUCER ? "producer" : "consumer",
                        err);
                rd_kafka_conf_destroy(conf);
        }
        return rk;
}

/*
 * Waits for a broker to respond and warns about source topics that do not
 * exist. Returns the number of source topics that exist, -1 when no
 * broker answered in time, or -2 when a stop was requested meanwhile.
 */
static int bridge_check_cluster(struct bridge *b)
{
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR__TIMED_OUT;
        int64_t end = log_monotonic_ms() + BRIDGE_BROKER_WAIT_MS;
        /* Short requests, so that SIGINT or SIGTERM ends the wait. */
        while (err && !bridge_stop_requested && log_monotonic_ms() < end)
                err = rd_kafka_metadata(b->consumer, 1, NULL, &md, 1000);
        if (err && bridge_stop_requested)
                return -2;
        if (err) {
                log_msg(LOG_LEVEL_ERR, "KAFKA",
                        "no broker answered within %d s (brokers=%s): %s",
                        BRIDGE_BROKER_WAIT_MS / 1000, b->cfg->brokers,
                        rd_kafka_err2str(err));
                return -1;
        }
        int found = 0;
        for (size_t i = 0; i < b->cfg->topic_count; i++) {
                const char *name = b->cfg->topics[i];
                int exists = 0;
                for (int t = 0; t < md->topic_cnt && !exists; t++)
                        exists = strcmp(md->topics[t].topic, name) == 0 &&
                                 md->topics[t].err == 0;
                if (exists)
                        found++;
                else
                        log_msg(LOG_LEVEL_WARNING, "CONSUME",
                                "source topic %s does not exist; it counts "
                                "as empty",
                                name);
        }
        rd_kafka_metadata_destroy(md);
        return found;
}

static void bridge_log_start(struct bridge *b)
{
        char topics[1024] = "";
        size_t n = 0;
        for (size_t i = 0; i < b->cfg->topic_count && n < sizeof(topics);
             i++) {
                int w = snprintf(topics + n, sizeof(topics) - n, "%s%s",
                                 i ? "," : "", b->cfg->topics[i]);
                if (w > 0)
                        n += (size_t)w;
        }
        log_msg(LOG_LEVEL_NOTICE, "START",
                "brokers=%s group=%s topics=%s dlq_topic=%s delivery=%s "
                "decision_threads=%zu",
                b->cfg->brokers, b->cfg->group_id, topics, b->cfg->dlq_topic,
                b->cfg->delivery == CFG_DELIVERY_EXACTLY_ONCE
                        ? "exactly-once"
                        : "at-least-once",
                b->cfg->decision_threads);
        size_t count = event_channel_count(b->events);
        for (size_t i = 0; i < count; i++)
                log_msg(LOG_LEVEL_INFO, "START", "channel=%s topic=%s",
                        event_channel_name(b->events, i),
                        event_channel_topic(b->events, i));
}

static int bridge_subscribe(struct bridge *b)
{
        rd_kafka_topic_partition_list_t *list =
                rd_kafka_topic_partition_list_new((int)b->cfg->topic_count);
        for (size_t i = 0; i < b->cfg->topic_count; i++)
                rd_kafka_topic_partition_list_add(list, b->cfg->topics[i],
                                                  RD_KAFKA_PARTITION_UA);
        rd_kafka_resp_err_t err = rd_kafka_subscribe(b->consumer, list);
        rd_kafka_topic_partition_list_destroy(list);
        if (err)
                log_msg(LOG_LEVEL_ERR, "CONSUME", "cannot subscribe: %s",
                        rd_kafka_err2str(err));
        return err ? -1 : 0;
}

/* Whether a commit failed because this member is no longer in the group,
 * which no retry can change. */
static int bridge_left_group(rd_kafka_resp_err_t err)
{
        return err == RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID ||
               err == RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION ||
               err == RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID;
}

/* Drains what is in flight, commits what was acknowledged, and closes.
 * Returns 1 when the drain did not finish in time. */
static int bridge_drain(struct bridge *b)
{
        bridge_set_paused(b, 1);
        while (b->backlog_count) {
                /* Never processed, so never committed: consumed again by
                 * the member that owns the partition next. */
                rd_kafka_message_destroy(bridge_backlog_peek(b)->msg);
                bridge_backlog_pop(b);
        }
        b->deadline_ms = log_monotonic_ms() + b->cfg->shutdown_timeout_ms;
        while ((b->in_flight || b->redo_head) && !b->fatal &&
               log_monotonic_ms() < b->deadline_ms) {
                rd_kafka_poll(b->producer, BRIDGE_POLL_MS);
                bridge_process_redo(b);
                rd_kafka_message_t *msg =
                        rd_kafka_consumer_poll(b->consumer, 0);
                if (msg)
                        rd_kafka_message_destroy(msg);
        }
        int timed_out = b->in_flight || b->redo_head;
        /* A coordinator that is away may come back before the deadline. */
        rd_kafka_resp_err_t err;
        while ((err = bridge_commit(b, NULL, 0)) != 0 && !b->fatal &&
               !bridge_left_group(err) &&
               log_monotonic_ms() < b->deadline_ms)
                rd_kafka_poll(b->producer, BRIDGE_MIN_WAIT_MS);
        if (err) {
                log_msg(LOG_LEVEL_ERR, "STOP",
                        "the final commit failed: %s; the records after the "
                        "last commit will be consumed again",
                        rd_kafka_err2str(err));
                b->final_commit_failed = 1;
                b->fatal = 1;
        }
        return timed_out;
}

/*
 * Leaves the group (the revoke commits what was acknowledged) within the
 * shutdown deadline. Returns 0 when the consumer could not leave in time,
 * for example because its coordinator does not respond. The group then
 * drops it after its session time-out.
 */
static int bridge_leave_group(struct bridge *b)
{
        if (!b->deadline_ms)
                b->deadline_ms = log_monotonic_ms() +
                                 b->cfg->shutdown_timeout_ms;
        rd_kafka_queue_t *q = rd_kafka_queue_new(b->consumer);
        rd_kafka_error_t *error = rd_kafka_consumer_close_queue(b->consumer,
                                                                q);
        if (error) {
                log_msg(LOG_LEVEL_WARNING, "STOP", "closing the consumer "
                        "failed: %s", rd_kafka_error_string(error));
                rd_kafka_error_destroy(error);
        }
        int64_t end = b->deadline_ms + BRIDGE_MIN_WAIT_MS;
        while (!error && !rd_kafka_consumer_closed(b->consumer) &&
               log_monotonic_ms() < end) {
                rd_kafka_event_t *ev = rd_kafka_queue_poll(q, 100);
                if (ev && rd_kafka_event_type(ev) == RD_KAFKA_EVENT_REBALANCE)
                        bridge_on_rebalance(
                                b->consumer, rd_kafka_event_error(ev),
                                rd_kafka_event_topic_partition_list(ev), b);
                if (ev)
                        rd_kafka_event_destroy(ev);
        }
        int closed = rd_kafka_consumer_closed(b->consumer);
        rd_kafka_queue_destroy(q);
        if (!closed)
                log_msg(LOG_LEVEL_WARNING, "STOP",
                        "the consumer did not leave its group in time; the "
                        "group drops it after session.timeout.ms");
        return closed;
}

/* Frees every record still held: their source messages belong to the
 * consumer, which cannot be destroyed while any of them is alive. */
static void bridge_release_records(struct bridge *b)
{
        if (b->producer) {
                rd_kafka_purge(b->producer, RD_KAFKA_PURGE_F_QUEUE |
                                                    RD_KAFKA_PURGE_F_INFLIGHT);
                for (int i = 0; i < 100 && b->in_flight; i++)
                        rd_kafka_poll(b->producer, 10);
        }
        struct bridge_inflight *lists[] = {b->redo_head, b->stuck};
        for (size_t i = 0; i < 2; i++) {
                while (lists[i]) {
                        struct bridge_inflight *inf = lists[i];
                        lists[i] = inf->next;
                        track_done(inf->tp, inf->seq);
                        bridge_inflight_free(b, inf);
                }
        }
        b->redo_head = b->redo_tail = b->stuck = NULL;
}

static void bridge_close(struct bridge *b)
{
        b->closing = 1;
        int left = b->consumer ? bridge_leave_group(b) : 1;
        if (b->producer && b->txn_open) {
                rd_kafka_error_t *error =
                        rd_kafka_abort_transaction(b->producer, 10000);
                if (error)
                        rd_kafka_error_destroy(error);
        }
        bridge_release_records(b);
        if (b->consumer && left) {
                rd_kafka_destroy(b->consumer);
        } else if (b->consumer) {
                /* NOTE: rd_kafka_destroy() waits for the group to be left,
                 * which needs the coordinator, so a consumer that could
                 * not leave in time is not destroyed: the process is about
                 * to exit anyway. */
                bridge_abandoned_consumer = b->consumer;
        }
        for (size_t i = 0; b->sinks && i <= event_channel_count(b->events);
             i++) {
                if (b->sinks[i])
                        rd_kafka_topic_destroy(b->sinks[i]);
        }
        free(b->sinks);
        if (b->producer)
                rd_kafka_destroy(b->producer);
        while (b->spare) {
                struct bridge_inflight *inf = b->spare;
                b->spare = inf->next;
                buf_free(&inf->value);
                free(inf);
        }
        for (size_t i = 0; i < b->part_count; i++)
                track_partition_release(b->parts[i].tp);
        free(b->parts);
        bridge_backlog_free(b);
        free(b->jobs);
}

static int bridge_init_transactions(struct bridge *b)
{
        if (!b->transactional)
                return 0;
        rd_kafka_error_t *error = rd_kafka_init_transactions(
                b->producer, BRIDGE_BROKER_WAIT_MS);
        if (!error)
                return 0;
        log_msg(LOG_LEVEL_ERR, "KAFKA", "init_transactions failed: %s",
                rd_kafka_error_string(error));
        rd_kafka_error_destroy(error);
        return -1;
}

static int bridge_loop(struct bridge *b)
{
        int found = bridge_check_cluster(b);
        if (found == -2) {
                log_msg(LOG_LEVEL_NOTICE, "STOP",
                        "stop requested before a broker answered");
                return 0;
        }
        if (found < 0 || bridge_init_transactions(b) != 0)
                return 1;
        bridge_log_start(b);
        if (found == 0 && b->exit_on_eof) {
                log_msg(LOG_LEVEL_NOTICE, "CONSUME",
                        "no source topic exists; nothing to consume");
                return 0;
        }
        if (bridge_subscribe(b) != 0)
                return 1;
        b->last_commit_ms = b->last_stats_ms = log_monotonic_ms();
        b->last_progress_ms = b->last_commit_ms;
        while (!bridge_stop_requested && !b->fatal) {
                if (bridge_step(b))
                        break;
        }
        if (bridge_stop_requested)
                log_msg(LOG_LEVEL_NOTICE, "STOP",
                        "stop requested; draining %" PRIu64
                        " records in flight",
                        b->in_flight);
        if (bridge_drain(b)) {
                log_msg(LOG_LEVEL_ERR, "STOP",
                        "%" PRIu64 " records were still in flight after "
                        "shutdown_timeout_ms (%d)%s",
                        b->in_flight, b->cfg->shutdown_timeout_ms,
                        b->final_commit_failed
                                ? ""
                                : "; committed what was acknowledged");
                return 1;
        }
        return b->fatal ? 1 : 0;
}

int bridge_run(const struct cfg *cfg, struct event_ctx *events,
               struct decide_pool *pool, int exit_on_eof)
{
        struct bridge b;
        memset(&b, 0, sizeof(b));
        b.cfg = cfg;
        b.events = events;
        b.pool = pool;
        b.jobs = xcalloc(BRIDGE_BATCH, sizeof(*b.jobs));
        b.exit_on_eof = exit_on_eof;
        b.count.per_channel = xcalloc(event_channel_count(events) + 1,
                                      sizeof(uint64_t));
        b.sinks = xcalloc(event_channel_count(events) + 1,
                          sizeof(*b.sinks));
        b.rl_dlq = (struct log_ratelimit)LOG_RATELIMIT_INIT(20, 10000);
        b.rl_skip = (struct log_ratelimit)LOG_RATELIMIT_INIT(20, 10000);
        b.rl_consumer_error =
                (struct log_ratelimit)LOG_RATELIMIT_INIT(10, 10000);
        b.rl_backpressure = (struct log_ratelimit)LOG_RATELIMIT_INIT(5, 10000);
        b.rl_client_error = (struct log_ratelimit)LOG_RATELIMIT_INIT(10, 10000);

        b.transactional = cfg->delivery == CFG_DELIVERY_EXACTLY_ONCE;
        b.producer = bridge_new_client(&b, KAFKA_PRODUCER);
        if (b.producer)
                b.consumer = bridge_new_client(&b, KAFKA_CONSUMER);
        if (!b.producer || !b.consumer) {
                bridge_close(&b);
                free(b.count.per_channel);
                return 2;
        }
        rd_kafka_poll_set_consumer(b.consumer);
        int rc = bridge_loop(&b);
        bridge_close(&b);
        bridge_log_stats(&b, LOG_LEVEL_NOTICE,
                         rc == 0 ? "stopped" : "stopped on error");
        free(b.count.per_channel);
        return rc;
}
