/* SPDX-License-Identifier: Apache-2.0 */
/* Headers of produced and dead-lettered records (see record.h). */
#include "record.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "timefmt.h"

static rd_kafka_headers_t *record_copy_headers(const rd_kafka_message_t *src,
                                               size_t extra)
{
        rd_kafka_headers_t *in = NULL;
        /* rd_kafka_message_headers() takes a non-const message but only
         * parses the headers once and caches them. */
        if (rd_kafka_message_headers((rd_kafka_message_t *)src, &in) ==
                    RD_KAFKA_RESP_ERR_NO_ERROR &&
            in)
                return rd_kafka_headers_copy(in);
        return rd_kafka_headers_new(extra);
}

static void record_set(rd_kafka_headers_t *hdrs, const char *name,
                       const char *value)
{
        rd_kafka_header_remove(hdrs, name);
        rd_kafka_header_add(hdrs, name, -1, value, -1);
}

rd_kafka_headers_t *record_channel_headers(const rd_kafka_message_t *src,
                                           const char *channel,
                                           int has_time, int64_t time_ms)
{
        rd_kafka_headers_t *hdrs = record_copy_headers(src, 6);
        const char *topic = rd_kafka_topic_name(src->rkt);
        char text[1024];

        record_set(hdrs, "content-type", "application/json");
        record_set(hdrs, "ce_specversion", "1.0");
        snprintf(text, sizeof(text), "%s-%" PRId32 "-%" PRId64, topic,
                 src->partition, src->offset);
        record_set(hdrs, "ce_id", text);
        snprintf(text, sizeof(text), "/topics/%s", topic);
        record_set(hdrs, "ce_source", text);
        record_set(hdrs, "ce_type", channel);
        rd_kafka_header_remove(hdrs, "ce_time");
        if (has_time) {
                char when[TIMEFMT_RFC3339_MAX];
                timefmt_format_ms(time_ms, when);
                rd_kafka_header_add(hdrs, "ce_time", -1, when, -1);
        }
        return hdrs;
}

rd_kafka_headers_t *record_dlq_headers(const rd_kafka_message_t *src,
                                       const char *reason,
                                       const char *pointer, int64_t now_ms,
                                       int64_t value_bytes)
{
        rd_kafka_headers_t *hdrs = record_copy_headers(src, 7);
        char text[64];
        char when[TIMEFMT_RFC3339_MAX];

        record_set(hdrs, "dlq-reason", reason);
        rd_kafka_header_remove(hdrs, "dlq-pointer");
        if (pointer)
                rd_kafka_header_add(hdrs, "dlq-pointer", -1, pointer, -1);
        record_set(hdrs, "dlq-source-topic", rd_kafka_topic_name(src->rkt));
        snprintf(text, sizeof(text), "%" PRId32, src->partition);
        record_set(hdrs, "dlq-source-partition", text);
        snprintf(text, sizeof(text), "%" PRId64, src->offset);
        record_set(hdrs, "dlq-source-offset", text);
        timefmt_format_ms(now_ms, when);
        record_set(hdrs, "dlq-time", when);
        rd_kafka_header_remove(hdrs, "dlq-value-bytes");
        if (value_bytes >= 0) {
                snprintf(text, sizeof(text), "%" PRId64, value_bytes);
                rd_kafka_header_add(hdrs, "dlq-value-bytes", -1, text, -1);
        }
        return hdrs;
}
