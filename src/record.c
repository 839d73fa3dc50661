/* SPDX-License-Identifier: Apache-2.0 */
/* Headers of produced and dead-lettered records (see record.h). */
#include "record.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "timefmt.h"

/*
 * Headers under construction. Only headers copied from the source can
 * clash with a name the bridge sets, so only a copy needs the old header
 * removed first. A record without headers skips that search.
 */
struct record_headers {
        rd_kafka_headers_t *hdrs;
        int copied;
};

static struct record_headers record_start(const rd_kafka_message_t *src,
                                          size_t count)
{
        struct record_headers h = {NULL, 0};
        rd_kafka_headers_t *in = NULL;
        /* rd_kafka_message_headers() takes a non-const message but only
         * parses the headers once and caches them. */
        if (rd_kafka_message_headers((rd_kafka_message_t *)src, &in) ==
                    RD_KAFKA_RESP_ERR_NO_ERROR &&
            in && rd_kafka_header_cnt(in) > 0) {
                h.hdrs = rd_kafka_headers_copy(in);
                h.copied = 1;
        } else {
                h.hdrs = rd_kafka_headers_new(count);
        }
        return h;
}

/* Removes any header called name that came from the source. */
static void record_clear(struct record_headers *h, const char *name)
{
        if (h->copied)
                rd_kafka_header_remove(h->hdrs, name);
}

static void record_set(struct record_headers *h, const char *name,
                       const char *value)
{
        record_clear(h, name);
        rd_kafka_header_add(h->hdrs, name, -1, value, -1);
}

rd_kafka_headers_t *record_channel_headers(const rd_kafka_message_t *src,
                                           const char *channel,
                                           int has_time, int64_t time_ms)
{
        struct record_headers h = record_start(src, 7);
        const char *topic = rd_kafka_topic_name(src->rkt);
        char text[1024];

        record_set(&h, "content-type", "application/json");
        record_set(&h, "ce_specversion", "1.0");
        snprintf(text, sizeof(text), "%s-%" PRId32 "-%" PRId64, topic,
                 src->partition, src->offset);
        record_set(&h, "ce_id", text);
        snprintf(text, sizeof(text), "/topics/%s", topic);
        record_set(&h, "ce_source", text);
        record_set(&h, "ce_type", channel);
        record_clear(&h, "ce_time");
        if (has_time) {
                char when[TIMEFMT_RFC3339_MAX];
                timefmt_format_ms(time_ms, when);
                rd_kafka_header_add(h.hdrs, "ce_time", -1, when, -1);
        }
        return h.hdrs;
}

rd_kafka_headers_t *record_dlq_headers(const rd_kafka_message_t *src,
                                       const char *reason,
                                       const char *pointer, int64_t now_ms,
                                       int64_t value_bytes)
{
        struct record_headers h = record_start(src, 8);
        char text[64];
        char when[TIMEFMT_RFC3339_MAX];

        record_set(&h, "dlq-reason", reason);
        record_clear(&h, "dlq-pointer");
        if (pointer)
                rd_kafka_header_add(h.hdrs, "dlq-pointer", -1, pointer, -1);
        record_set(&h, "dlq-source-topic", rd_kafka_topic_name(src->rkt));
        snprintf(text, sizeof(text), "%" PRId32, src->partition);
        record_set(&h, "dlq-source-partition", text);
        snprintf(text, sizeof(text), "%" PRId64, src->offset);
        record_set(&h, "dlq-source-offset", text);
        timefmt_format_ms(now_ms, when);
        record_set(&h, "dlq-time", when);
        record_clear(&h, "dlq-value-bytes");
        if (value_bytes >= 0) {
                snprintf(text, sizeof(text), "%" PRId64, value_bytes);
                rd_kafka_header_add(h.hdrs, "dlq-value-bytes", -1, text, -1);
        }
        return h.hdrs;
}
