/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Headers of the records the bridge produces: CloudEvents binary-mode
 * headers on channel records, and the dead-letter context headers.
 */
#ifndef CKB_RECORD_H
#define CKB_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include <librdkafka/rdkafka.h>

/*
 * Returns a copy of the source record's headers with content-type and the
 * ce_* headers set (replacing any of the same name). has_time selects
 * whether ce_time is set from time_ms. The caller owns the result (it is
 * handed to rd_kafka_producev() or freed with rd_kafka_headers_destroy()).
 */
rd_kafka_headers_t *record_channel_headers(const rd_kafka_message_t *src,
                                           const char *channel,
                                           int has_time, int64_t time_ms);

/*
 * Returns a copy of the source record's headers plus dlq-reason,
 * dlq-pointer (when pointer is not NULL), dlq-source-topic,
 * dlq-source-partition, dlq-source-offset, dlq-time (now_ms) and, when
 * value_bytes >= 0, dlq-value-bytes. Owned by the caller.
 */
rd_kafka_headers_t *record_dlq_headers(const rd_kafka_message_t *src,
                                       const char *reason,
                                       const char *pointer, int64_t now_ms,
                                       int64_t value_bytes);

#endif
