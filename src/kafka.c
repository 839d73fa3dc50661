/* SPDX-License-Identifier: Apache-2.0 */
/* Kafka client configuration (see kafka.h). */
#include "kafka.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

struct kafka_setting {
        const char *name;
        const char *value;
};

/*
 * Forced after the user's properties: at-least-once needs manual offset
 * storage and commits, and no produced record may be lost or duplicated
 * by the producer itself.
 */
static const struct kafka_setting kafka_consumer_forced[] = {
        {"enable.auto.commit", "false"},
        {"enable.auto.offset.store", "false"},
        {"isolation.level", "read_committed"},
};

static const struct kafka_setting kafka_producer_forced[] = {
        {"enable.idempotence", "true"},
        {"acks", "all"},
};

/* Defaults the user may override. message.timeout.ms 0 means deliveries
 * never time out, so an outage delays records instead of losing them. */
static const struct kafka_setting kafka_producer_defaults[] = {
        {"partitioner", "murmur2_random"},
        {"message.timeout.ms", "0"},
        {"linger.ms", "5"},
};

static pthread_mutex_t kafka_log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_ratelimit kafka_log_limit = LOG_RATELIMIT_INIT(20, 10000);

/*
 * librdkafka logs connection failures at LOG_ERR although it retries
 * them. Errors that matter reach the error callback, so its lines are
 * logged one level lower and rate-limited, because an outage repeats them
 * for every broker several times a second.
 */
void kafka_log_cb(const rd_kafka_t *rk, int level, const char *fac,
                  const char *buf)
{
        level++;
        if (level > LOG_LEVEL_DEBUG)
                level = LOG_LEVEL_DEBUG;
        if (level < LOG_LEVEL_WARNING)
                level = LOG_LEVEL_WARNING;
        pthread_mutex_lock(&kafka_log_lock);
        log_limited(&kafka_log_limit, level, "KAFKA", "client=%s %s: %s",
                    rk ? rd_kafka_name(rk) : "-", fac, buf);
        pthread_mutex_unlock(&kafka_log_lock);
}

/* Replaces every copy of value in text with "***", because librdkafka
 * quotes rejected values in its messages and a value may be a secret. */
static void kafka_redact(char *text, const char *value)
{
        size_t n = strlen(value);
        char *hit;
        if (n == 0)
                return;
        while ((hit = strstr(text, value)) != NULL) {
                memmove(hit + 3, hit + n, strlen(hit + n) + 1);
                memcpy(hit, "***", 3);
                if (n < 3)
                        break;
        }
}

static int kafka_set(rd_kafka_conf_t *conf, const char *name,
                     const char *value, const char *origin, char *errstr,
                     size_t errstr_size)
{
        char err[512];
        if (rd_kafka_conf_set(conf, name, value, err, sizeof(err)) ==
            RD_KAFKA_CONF_OK)
                return 0;
        kafka_redact(err, value);
        snprintf(errstr, errstr_size, "%s: property %s: %s", origin, name,
                 err);
        return -1;
}

static int kafka_set_all(rd_kafka_conf_t *conf,
                         const struct cfg_properties *props,
                         const char *origin, char *errstr, size_t errstr_size)
{
        for (size_t i = 0; i < props->count; i++) {
                if (kafka_set(conf, props->items[i].name,
                              props->items[i].value, origin, errstr,
                              errstr_size) != 0)
                        return -1;
        }
        return 0;
}

static int kafka_set_table(rd_kafka_conf_t *conf,
                           const struct kafka_setting *table, size_t count,
                           char *errstr, size_t errstr_size)
{
        for (size_t i = 0; i < count; i++) {
                if (kafka_set(conf, table[i].name, table[i].value,
                              "built-in setting", errstr, errstr_size) != 0)
                        return -1;
        }
        return 0;
}

static int kafka_set_role(rd_kafka_conf_t *conf, const struct cfg *cfg,
                          enum kafka_role role, char *errstr,
                          size_t errstr_size)
{
        if (role == KAFKA_CONSUMER) {
                if (kafka_set(conf, "group.id", cfg->group_id, "group_id",
                              errstr, errstr_size) != 0 ||
                    kafka_set(conf, "auto.offset.reset",
                              cfg->auto_offset_reset,
                              "source.auto_offset_reset", errstr,
                              errstr_size) != 0 ||
                    kafka_set_all(conf, &cfg->consumer_properties,
                                  "kafka.consumer_properties", errstr,
                                  errstr_size) != 0)
                        return -1;
                return kafka_set_table(
                        conf, kafka_consumer_forced,
                        sizeof(kafka_consumer_forced) /
                                sizeof(kafka_consumer_forced[0]),
                        errstr, errstr_size);
        }
        if (kafka_set_all(conf, &cfg->producer_properties,
                          "kafka.producer_properties", errstr,
                          errstr_size) != 0)
                return -1;
        if (cfg->delivery == CFG_DELIVERY_EXACTLY_ONCE &&
            kafka_set(conf, "transactional.id", cfg->transactional_id,
                      "sink.transactional_id", errstr, errstr_size) != 0)
                return -1;
        return kafka_set_table(conf, kafka_producer_forced,
                               sizeof(kafka_producer_forced) /
                                       sizeof(kafka_producer_forced[0]),
                               errstr, errstr_size);
}

rd_kafka_conf_t *kafka_conf_new(const struct cfg *cfg, enum kafka_role role,
                                char *errstr, size_t errstr_size)
{
        rd_kafka_conf_t *conf = rd_kafka_conf_new();
        rd_kafka_conf_set_log_cb(conf, kafka_log_cb);
        if (kafka_set(conf, "client.id", "conductor-kafka-bridge",
                      "built-in setting", errstr, errstr_size) != 0)
                goto err;
        if (role == KAFKA_PRODUCER &&
            kafka_set_table(conf, kafka_producer_defaults,
                            sizeof(kafka_producer_defaults) /
                                    sizeof(kafka_producer_defaults[0]),
                            errstr, errstr_size) != 0)
                goto err;
        if (kafka_set(conf, "bootstrap.servers", cfg->brokers,
                      "kafka.brokers", errstr, errstr_size) != 0 ||
            kafka_set_all(conf, &cfg->properties,
                          "kafka.properties or -X", errstr,
                          errstr_size) != 0 ||
            kafka_set_role(conf, cfg, role, errstr, errstr_size) != 0)
                goto err;
        return conf;
err:
        rd_kafka_conf_destroy(conf);
        return NULL;
}
