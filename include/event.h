/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-record decision shared by the running bridge and --validate:
 * limits, strict JSON, object check, adapters, task or workflow,
 * routing, and schema validation. One context per thread.
 */
#ifndef CKB_EVENT_H
#define CKB_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "asyncapi.h"
#include "cfg.h"

enum event_action {
        EVENT_PRODUCE, /* to the channel's topic */
        EVENT_DLQ,     /* to the dead-letter topic */
        EVENT_SKIP,    /* counted, logged and not produced */
};

struct event_result {
        enum event_action action;
        const char *channel; /* EVENT_PRODUCE: the channel name */
        const char *topic;   /* EVENT_PRODUCE: its sink topic */
        size_t channel_index; /* EVENT_PRODUCE: for event_channel_name() */
        /* EVENT_DLQ and EVENT_SKIP: the reason, as --validate prints it
         * after "invalid" or "skip". */
        char reason[1536];
        /* EVENT_DLQ after a schema violation: the JSON pointer. */
        char pointer[1024];
        int has_pointer;
        /* EVENT_PRODUCE: the value to produce, the source bytes or the
         * adapter's output; valid until the next event_process(). */
        const char *value;
        size_t value_len;
        int rewritten;
        /* The record key to use when the source key is null: workflowId
         * for workflow events, workflowInstanceId for task events. */
        const char *fallback_key;
        size_t fallback_key_len;
        /* ce_time: the first of endTime, startTime, scheduledTime. */
        int has_time;
        int64_t time_ms;
        /* Ids for log lines, or NULL; valid until the next call. */
        const char *workflow_id;
        const char *task_id;
};

struct event_ctx;

/*
 * Compiles the payload schema of every channel the routing table can
 * reach and resolves each channel's sink topic. cfg and api are borrowed
 * and must outlive the context. Returns NULL with a reason in errstr, for
 * example when the routing table names a channel the document lacks.
 */
struct event_ctx *event_ctx_new(const struct cfg *cfg,
                                const struct asyncapi_doc *api, char *errstr,
                                size_t errstr_size);
void event_ctx_destroy(struct event_ctx *ctx);

/*
 * Decides what happens to one record value from source_topic (NULL: no
 * topic, for --validate). is_null marks a Kafka null value. Never fails:
 * anything that cannot be routed or validated is EVENT_DLQ with a reason.
 */
void event_process(struct event_ctx *ctx, const char *source_topic,
                   const void *value, size_t len, int is_null,
                   struct event_result *out);

/* The number of channels with a payload schema and their names, for the
 * start-up summary and --check. */
size_t event_channel_count(const struct event_ctx *ctx);
const char *event_channel_name(const struct event_ctx *ctx, size_t i);
const char *event_channel_topic(const struct event_ctx *ctx, size_t i);

#endif
