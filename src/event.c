/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-record decision (see event.h). The steps run in the order of the
 * product contract: limits, strict JSON, object check, adapters, task or
 * workflow, routing, validation. Every early exit is a dead letter with
 * its own reason, so the caller never has to guess why.
 */
#include "event.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "json.h"
#include "route.h"
#include "schema.h"

struct event_channel {
        const char *name;
        const struct schema *schema; /* NULL: the message has no payload */
        char topic[512];
};

struct event_ctx {
        const struct cfg *cfg;
        struct schema_ctx *schemas;
        struct event_channel *channels;
        size_t channel_count;
        struct json_doc *doc; /* per-record arena, reset by each call */
        struct buf out;       /* the adapter's output, serialized */
};

struct event_check_state {
        const struct event_ctx *ctx;
        const struct asyncapi_doc *api;
        char *errstr;
        size_t errstr_size;
        int failed;
};

static const struct event_channel *event_find_channel(
        const struct event_ctx *ctx, const char *name)
{
        for (size_t i = 0; i < ctx->channel_count; i++) {
                if (strcmp(ctx->channels[i].name, name) == 0)
                        return &ctx->channels[i];
        }
        return NULL;
}

static void event_check_route(enum route_map map, const char *key,
                              const struct route_target *target, void *opaque)
{
        struct event_check_state *st = opaque;
        if (st->failed || target->kind != ROUTE_CHANNEL)
                return;
        if (event_find_channel(st->ctx, target->channel))
                return;
        snprintf(st->errstr, st->errstr_size,
                 "routing.%s.%s: channel \"%s\" is not in the AsyncAPI "
                 "document %s (name one of its channels, \"dlq\" or "
                 "\"skip\")",
                 route_map_name(map), key, target->channel, st->api->source);
        st->failed = 1;
}

static int event_compile_channels(struct event_ctx *ctx,
                                  const struct asyncapi_doc *api,
                                  char *errstr, size_t errstr_size)
{
        ctx->channels = xcalloc(api->channel_count, sizeof(*ctx->channels));
        for (size_t i = 0; i < api->channel_count; i++) {
                const struct asyncapi_channel *ac = &api->channels[i];
                struct event_channel *ch = &ctx->channels[i];
                ch->name = ac->name;
                cfg_channel_topic(ctx->cfg, ac->name, ch->topic,
                                  sizeof(ch->topic));
                ctx->channel_count++;
                if (!ac->payload)
                        continue;
                char err[1024];
                ch->schema = schema_compile(ctx->schemas, ac->payload, err,
                                            sizeof(err));
                if (!ch->schema) {
                        snprintf(errstr, errstr_size,
                                 "%s: channel %s: payload schema %s: %s",
                                 api->source, ac->name,
                                 ac->payload_pointer ? ac->payload_pointer
                                                     : "",
                                 err);
                        return -1;
                }
        }
        return 0;
}

static int event_check_sink_channels(const struct event_ctx *ctx,
                                     const struct asyncapi_doc *api,
                                     char *errstr, size_t errstr_size)
{
        for (size_t i = 0; i < ctx->cfg->channel_count; i++) {
                const char *name = ctx->cfg->channels[i].name;
                if (event_find_channel(ctx, name))
                        continue;
                snprintf(errstr, errstr_size,
                         "sink.channels: channel \"%s\" is not in the "
                         "AsyncAPI document %s",
                         name, api->source);
                return -1;
        }
        return 0;
}

/* A sink topic that is also a source topic would feed the bridge its own
 * output, forever for dead letters. A channel topic that is also the
 * dead-letter topic would hand its consumers records that failed. */
static int event_check_loops(const struct event_ctx *ctx, char *errstr,
                             size_t errstr_size)
{
        const struct cfg *cfg = ctx->cfg;
        for (size_t i = 0; i < ctx->channel_count; i++) {
                if (strcmp(ctx->channels[i].topic, cfg->dlq_topic) != 0)
                        continue;
                snprintf(errstr, errstr_size,
                         "sink.dlq_topic: \"%s\" is also the topic of "
                         "channel %s, so dead letters would reach its "
                         "consumers (choose another dead-letter topic)",
                         cfg->dlq_topic, ctx->channels[i].name);
                return -1;
        }
        for (size_t t = 0; t < cfg->topic_count; t++) {
                const char *source = cfg->topics[t];
                if (strcmp(source, cfg->dlq_topic) == 0) {
                        snprintf(errstr, errstr_size,
                                 "sink.dlq_topic: \"%s\" is also a source "
                                 "topic, so dead letters would be consumed "
                                 "again (choose another dead-letter topic)",
                                 source);
                        return -1;
                }
                for (size_t i = 0; i < ctx->channel_count; i++) {
                        if (strcmp(source, ctx->channels[i].topic) != 0)
                                continue;
                        snprintf(errstr, errstr_size,
                                 "channel %s: its topic \"%s\" is also a "
                                 "source topic, so its records would be "
                                 "consumed again (change sink.topic_prefix "
                                 "or sink.channels)",
                                 ctx->channels[i].name, source);
                        return -1;
                }
        }
        return 0;
}

struct event_ctx *event_ctx_new(const struct cfg *cfg,
                                const struct asyncapi_doc *api, char *errstr,
                                size_t errstr_size)
{
        struct event_ctx *ctx = xcalloc(1, sizeof(*ctx));
        struct schema_options opts = {.format_assertion =
                                              cfg->format_assertion};
        ctx->cfg = cfg;
        ctx->schemas = schema_ctx_new(api->root, &opts);
        ctx->doc = json_doc_new();
        if (event_compile_channels(ctx, api, errstr, errstr_size) != 0 ||
            event_check_sink_channels(ctx, api, errstr, errstr_size) != 0 ||
            event_check_loops(ctx, errstr, errstr_size) != 0)
                goto err;
        struct event_check_state st = {ctx, api, errstr, errstr_size, 0};
        route_table_foreach(cfg->routes, event_check_route, &st);
        if (st.failed)
                goto err;
        return ctx;
err:
        event_ctx_destroy(ctx);
        return NULL;
}

void event_ctx_destroy(struct event_ctx *ctx)
{
        if (!ctx)
                return;
        schema_ctx_destroy(ctx->schemas);
        json_doc_destroy(ctx->doc);
        buf_free(&ctx->out);
        free(ctx->channels);
        free(ctx);
}

size_t event_channel_count(const struct event_ctx *ctx)
{
        return ctx->channel_count;
}

const char *event_channel_name(const struct event_ctx *ctx, size_t i)
{
        return ctx->channels[i].name;
}

const char *event_channel_topic(const struct event_ctx *ctx, size_t i)
{
        return ctx->channels[i].topic;
}

static void event_set(struct event_result *out, enum event_action action,
                      const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void event_set(struct event_result *out, enum event_action action,
                      const char *fmt, ...)
{
        va_list ap;
        out->action = action;
        va_start(ap, fmt);
        vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
        va_end(ap);
}

/* Writes a string for a reason: JSON-quoted and cut to a readable length,
 * so a reason always stays on one line. */
static const char *event_quote(const struct json_value *v, char *tmp,
                               size_t tmp_size)
{
        static const char hex[] = "0123456789abcdef";
        size_t n = 0;
        tmp[n++] = '"';
        for (size_t i = 0; i < v->u.string.len; i++) {
                unsigned char c = (unsigned char)v->u.string.s[i];
                if (n + 10 >= tmp_size) {
                        /* Never cut a UTF-8 sequence in half. */
                        while (n > 1 && ((unsigned char)tmp[n - 1] & 0xc0) ==
                                                0x80)
                                n--;
                        if (n > 1 && (unsigned char)tmp[n - 1] >= 0xc0)
                                n--;
                        memcpy(tmp + n, "...", 3);
                        n += 3;
                        break;
                }
                if (c == '"' || c == '\\') {
                        tmp[n++] = '\\';
                        tmp[n++] = (char)c;
                } else if (c < 0x20) {
                        memcpy(tmp + n, "\\u00", 4);
                        tmp[n + 4] = hex[c >> 4];
                        tmp[n + 5] = hex[c & 15];
                        n += 6;
                } else {
                        tmp[n++] = (char)c;
                }
        }
        tmp[n++] = '"';
        tmp[n] = '\0';
        return tmp;
}

static const char *event_string_member(const struct json_value *obj,
                                       const char *name)
{
        const struct json_value *v = json_object_get(obj, name);
        return v && v->type == JSON_STRING ? v->u.string.s : NULL;
}

static const char *event_kind_name(int is_task)
{
        return is_task ? "task" : "workflow";
}

/*
 * Looks up status in the status table and returns the channel name, or
 * NULL after filling out with a dead letter or skip.
 */
static const char *event_route_status(const struct event_ctx *ctx,
                                      const struct json_value *event,
                                      int is_task, const char *what,
                                      struct event_result *out)
{
        const struct json_value *status = json_object_get(event, "status");
        char q[96];
        if (!status || status->type == JSON_NULL) {
                event_set(out, EVENT_DLQ, "%s event has no %s",
                          event_kind_name(is_task), what);
                return NULL;
        }
        if (status->type != JSON_STRING) {
                event_set(out, EVENT_DLQ, "%s must be a string, got %s",
                          what, json_type_name(status));
                return NULL;
        }
        enum route_map map = is_task ? ROUTE_TASK_STATUS
                                     : ROUTE_WORKFLOW_STATUS;
        const struct route_target *t = route_lookup(
                ctx->cfg->routes, map, status->u.string.s,
                status->u.string.len);
        event_quote(status, q, sizeof(q));
        if (!t || t->kind == ROUTE_DLQ || t->kind == ROUTE_BY_STATUS) {
                event_set(out, EVENT_DLQ, "%s status %s has no channel",
                          event_kind_name(is_task), q);
                return NULL;
        }
        if (t->kind == ROUTE_SKIP) {
                event_set(out, EVENT_SKIP, "%s status %s is mapped to skip",
                          event_kind_name(is_task), q);
                return NULL;
        }
        return t->channel;
}

/*
 * An eventType mapped to "status" lets payload.status pick the channel.
 * Conductor publishes failures and time-outs only as TERMINATED, so a
 * TERMINATED event must carry one of the three terminal statuses; any
 * other status disagrees with it.
 */
static const char *event_route_by_status(const struct event_ctx *ctx,
                                         const struct adapt_result *ar,
                                         const char *et,
                                         struct event_result *out)
{
        static const char *const terminal[] = {"FAILED", "TIMED_OUT",
                                               "TERMINATED"};
        const struct json_value *status = json_object_get(ar->event,
                                                          "status");
        int terminated = ar->event_type_len == 10 &&
                         memcmp(ar->event_type, "TERMINATED", 10) == 0;
        if (terminated && status && status->type == JSON_STRING) {
                int ok = 0;
                for (size_t i = 0; i < 3 && !ok; i++)
                        ok = strcmp(status->u.string.s, terminal[i]) == 0;
                if (!ok) {
                        char st[96];
                        event_quote(status, st, sizeof(st));
                        event_set(out, EVENT_DLQ,
                                  "eventType %s disagrees with "
                                  "payload.status %s",
                                  et, st);
                        return NULL;
                }
        }
        return event_route_status(ctx, ar->event, 0, "payload.status", out);
}

/*
 * Routes a Conductor publisher envelope: eventType decides, and the
 * payload's status must agree with it, or picks the channel when the
 * eventType maps to "status" (TERMINATED covers failures and time-outs).
 */
static const char *event_route_envelope(const struct event_ctx *ctx,
                                        const struct adapt_result *ar,
                                        struct event_result *out)
{
        char et[96];
        struct json_value tmp = {.type = JSON_STRING};
        tmp.u.string.s = ar->event_type;
        tmp.u.string.len = ar->event_type_len;
        event_quote(&tmp, et, sizeof(et));
        const struct route_target *t =
                route_lookup(ctx->cfg->routes, ROUTE_EVENT_TYPE,
                             ar->event_type, ar->event_type_len);
        if (!t || t->kind == ROUTE_DLQ) {
                event_set(out, EVENT_DLQ, "eventType %s has no channel", et);
                return NULL;
        }
        if (t->kind == ROUTE_SKIP) {
                event_set(out, EVENT_SKIP, "eventType %s is mapped to skip",
                          et);
                return NULL;
        }
        if (t->kind == ROUTE_BY_STATUS)
                return event_route_by_status(ctx, ar, et, out);
        const struct json_value *status = json_object_get(ar->event,
                                                          "status");
        if (!status || status->type == JSON_NULL)
                return t->channel;
        struct event_result probe;
        const char *by_status = event_route_status(
                ctx, ar->event, 0, "payload.status", &probe);
        if (by_status && strcmp(by_status, t->channel) == 0)
                return t->channel;
        char st[96] = "";
        if (status->type == JSON_STRING)
                event_quote(status, st, sizeof(st));
        else
                snprintf(st, sizeof(st), "of type %s",
                         json_type_name(status));
        event_set(out, EVENT_DLQ,
                  "eventType %s disagrees with payload.status %s", et, st);
        return NULL;
}

static int event_check_limits(const struct event_ctx *ctx, size_t len,
                              int is_null, struct event_result *out)
{
        if (is_null) {
                event_set(out, EVENT_DLQ, "value is null");
                return -1;
        }
        if (len > ctx->cfg->max_value_bytes) {
                event_set(out, EVENT_DLQ,
                          "value is %zu bytes, over "
                          "limits.max_value_bytes (%zu)",
                          len, ctx->cfg->max_value_bytes);
                return -1;
        }
        return 0;
}

static const struct json_value *event_parse(struct event_ctx *ctx,
                                            const void *value, size_t len,
                                            struct event_result *out)
{
        enum json_error jerr;
        char err[512];
        const struct json_value *root = json_parse(
                ctx->doc, value, len, ctx->cfg->max_depth, &jerr, err,
                sizeof(err));
        if (!root) {
                if (jerr == JSON_ERR_EMPTY)
                        event_set(out, EVENT_DLQ, "empty value");
                else if (jerr == JSON_ERR_DEPTH)
                        event_set(out, EVENT_DLQ,
                                  "JSON nested deeper than "
                                  "limits.max_depth (%zu)",
                                  ctx->cfg->max_depth);
                else
                        event_set(out, EVENT_DLQ, "%s", err);
                return NULL;
        }
        if (root->type != JSON_OBJECT) {
                const char *type = json_type_name(root);
                if (strcmp(type, "integer") == 0)
                        type = "number";
                event_set(out, EVENT_DLQ,
                          "value is a JSON %s, expected an object", type);
                return NULL;
        }
        return root;
}

/*
 * NOTE: a time of 0 counts as absent for ce_time, because Conductor writes
 * the epoch for times that are not set yet (an unstarted task's endTime).
 */
static void event_set_time(const struct json_value *event,
                           struct event_result *out)
{
        static const char *const names[] = {"endTime", "startTime",
                                            "scheduledTime"};
        for (size_t i = 0; i < 3; i++) {
                const struct json_value *v = json_object_get(event, names[i]);
                if (!v || v->type != JSON_NUMBER || !v->u.number.fits_int64 ||
                    v->u.number.i == 0)
                        continue;
                out->has_time = 1;
                out->time_ms = v->u.number.i;
                return;
        }
}

static void event_set_ids(const struct json_value *event, int is_task,
                          struct event_result *out)
{
        const struct json_value *id = json_object_get(
                event, is_task ? "workflowInstanceId" : "workflowId");
        if (id && id->type == JSON_STRING) {
                /* The length, not strlen(): ids may contain U+0000. */
                out->workflow_id = id->u.string.s;
                out->fallback_key = id->u.string.s;
                out->fallback_key_len = id->u.string.len;
        }
        out->task_id = is_task ? event_string_member(event, "taskId") : NULL;
}

static void event_validate(const struct event_channel *ch,
                           const struct json_value *event,
                           struct event_result *out)
{
        struct schema_error serr;
        if (!ch->schema || schema_validate(ch->schema, event, &serr) == 0)
                return;
        event_set(out, EVENT_DLQ, "%s: %s: %s", serr.pointer, serr.keyword,
                  serr.message);
        snprintf(out->pointer, sizeof(out->pointer), "%s", serr.pointer);
        out->has_pointer = 1;
}

void event_process(struct event_ctx *ctx, const char *source_topic,
                   const void *value, size_t len, int is_null,
                   struct event_result *out)
{
        memset(out, 0, offsetof(struct event_result, reason));
        out->reason[0] = '\0';
        out->pointer[0] = '\0';
        out->has_pointer = 0;
        out->value = NULL;
        out->value_len = 0;
        out->rewritten = 0;
        out->fallback_key = NULL;
        out->fallback_key_len = 0;
        out->has_time = 0;
        out->time_ms = 0;
        out->workflow_id = NULL;
        out->task_id = NULL;
        json_doc_reset(ctx->doc);

        if (event_check_limits(ctx, len, is_null, out) != 0)
                return;
        const struct json_value *root = event_parse(ctx, value, len, out);
        if (!root)
                return;

        struct adapt_result ar;
        char err[1024];
        enum adapt_shape forced = source_topic
                                          ? cfg_source_adapter(ctx->cfg,
                                                               source_topic)
                                          : ADAPT_AUTO;
        if (adapt_event(ctx->doc, root, forced, &ar, err, sizeof(err)) != 0) {
                event_set(out, EVENT_DLQ, "%s", err);
                return;
        }
        const struct json_value *event = ar.event;
        int is_task = json_object_get(event, "taskId") != NULL;
        event_set_ids(event, is_task, out);

        const char *channel =
                ar.event_type ? event_route_envelope(ctx, &ar, out)
                              : event_route_status(ctx, event, is_task,
                                                   "status", out);
        if (!channel)
                return;
        const struct event_channel *ch = event_find_channel(ctx, channel);
        if (!ch) {
                /* event_ctx_new() checked every routed channel. */
                event_set(out, EVENT_DLQ, "channel \"%s\" is unknown",
                          channel);
                return;
        }
        event_validate(ch, event, out);
        if (out->has_pointer)
                return;

        out->action = EVENT_PRODUCE;
        out->channel = ch->name;
        out->topic = ch->topic;
        out->channel_index = (size_t)(ch - ctx->channels);
        event_set_time(event, out);
        if (ar.rewritten) {
                buf_clear(&ctx->out);
                json_write(event, &ctx->out);
                out->value = ctx->out.data;
                out->value_len = ctx->out.len;
                out->rewritten = 1;
        } else {
                out->value = value;
                out->value_len = len;
        }
}
