/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Kafka client set-up from the configuration: the consumer and producer
 * properties, with the settings the delivery guarantees depend on forced
 * last, and the start-up check that a broker answers.
 */
#ifndef CKB_KAFKA_H
#define CKB_KAFKA_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>

#include "cfg.h"

enum kafka_role {
        KAFKA_CONSUMER,
        KAFKA_PRODUCER,
};

/*
 * Builds a librdkafka configuration for role: brokers, the shared
 * properties, the role's own properties, then the forced settings.
 * Returns NULL with "-X name=value: reason" style errors in errstr. The
 * caller owns the result until rd_kafka_new() takes it.
 */
rd_kafka_conf_t *kafka_conf_new(const struct cfg *cfg, enum kafka_role role,
                                char *errstr, size_t errstr_size);

/* Routes librdkafka's log lines into the log module. */
void kafka_log_cb(const rd_kafka_t *rk, int level, const char *fac,
                  const char *buf);

#endif
