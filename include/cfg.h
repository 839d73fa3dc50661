/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The bridge configuration: built-in defaults, the libconfig file, and the
 * checks that keep the delivery guarantees. Command-line overrides are
 * applied by the cli module through the setters below.
 */
#ifndef CKB_CFG_H
#define CKB_CFG_H

#include <stddef.h>

#include "adapt.h"
#include "route.h"

#define CFG_DEFAULT_BROKERS "localhost:9092"
#define CFG_DEFAULT_GROUP_ID "conductor-kafka-bridge"
#define CFG_DEFAULT_DLQ_TOPIC "conductor.events.dlq"
#define CFG_DEFAULT_MAX_VALUE_BYTES (1024 * 1024)
#define CFG_DEFAULT_MAX_DEPTH 128
#define CFG_DEFAULT_SHUTDOWN_TIMEOUT_MS 30000
#define CFG_DEFAULT_DECISION_THREADS 1
#define CFG_DEFAULT_WORKFLOW_TOPIC "workflow-status-events"
#define CFG_DEFAULT_TASK_TOPIC "task-status-events"

struct cfg_property {
        char *name;
        char *value;
};

struct cfg_properties {
        struct cfg_property *items;
        size_t count;
};

/* A per-channel topic override: sink.channels = ({name; topic;}). */
struct cfg_channel {
        char *name;
        char *topic;
};

/* A source topic whose adapter is forced instead of detected. */
struct cfg_source_adapter {
        char *topic;
        enum adapt_shape shape;
};

enum cfg_delivery {
        CFG_DELIVERY_AT_LEAST_ONCE,
        CFG_DELIVERY_EXACTLY_ONCE,
};

struct cfg {
        /* kafka */
        char *brokers;
        struct cfg_properties properties;          /* both clients */
        struct cfg_properties consumer_properties; /* source only */
        struct cfg_properties producer_properties; /* sink only */

        /* source */
        char **topics;
        size_t topic_count;
        char *group_id;
        char *auto_offset_reset; /* earliest, latest or error */
        struct cfg_source_adapter *adapters;
        size_t adapter_count;

        /* sink */
        char *topic_prefix; /* "" by default */
        char *dlq_topic;
        struct cfg_channel *channels;
        size_t channel_count;
        enum cfg_delivery delivery;
        char *transactional_id;      /* exactly-once only */
        int transaction_interval_ms; /* exactly-once: commit period */

        /* routing */
        struct route_table *routes;

        /* limits */
        size_t max_value_bytes;
        size_t max_depth;

        /* asyncapi */
        char *asyncapi_document; /* NULL: the built-in document */
        int format_assertion;

        int shutdown_timeout_ms;
        /* Threads that parse, adapt and validate records, the main loop's
         * thread included. */
        size_t decision_threads;

        /* log */
        int log_level;         /* LOG_LEVEL_* from log.h */
        int stats_interval_ms; /* 0 disables the periodic counters */
};

/* Fills cfg with the built-in defaults. Free with cfg_free(). */
void cfg_init(struct cfg *cfg);
void cfg_free(struct cfg *cfg);

/*
 * Reads a libconfig file over the current values. Unknown settings, wrong
 * types, bad values and protected librdkafka properties are errors: returns
 * -1 with "FILE:LINE: SETTING: problem (accepted values ...)" in errstr.
 */
int cfg_load_file(struct cfg *cfg, const char *path, char *errstr,
                  size_t errstr_size);

/*
 * Adds a librdkafka property for both clients from "name=value" (the -X
 * option), replacing an earlier value of the same name. Returns -1 with a
 * reason when the text has no '=' or the name is protected (see
 * cfg_property_is_protected()). The message names the property, never
 * its value.
 */
int cfg_add_property_arg(struct cfg *cfg, const char *name_value,
                         char *errstr, size_t errstr_size);

/*
 * Returns nonzero when librdkafka property name may not be overridden:
 * the properties the delivery guarantees depend on (enable.auto.commit,
 * enable.auto.offset.store, enable.idempotence, acks, isolation.level and
 * their aliases), and those that have a setting of their own
 * (bootstrap.servers, group.id, transactional.id, auto.offset.reset).
 */
int cfg_property_is_protected(const char *name);

/*
 * Replaces the source topics with copies of the given list (the -t option).
 * The caller keeps ownership of topics and its strings.
 */
void cfg_set_topics(struct cfg *cfg, char **topics, size_t count);
/* Frees *field and stores a copy of value there (NULL stores NULL). */
void cfg_set_string(char **field, const char *value);

/*
 * Sets the consumer group id (the -G option). A transactional id that
 * cfg_load_file() derived from the old group id is derived again from the
 * new one; an explicit sink.transactional_id stays.
 */
void cfg_set_group_id(struct cfg *cfg, const char *group_id);

/*
 * Checks a Kafka topic name: 1 to 249 characters from letters, digits,
 * '.', '_' and '-', and not "." or "..". Returns 0, or -1 with the reason
 * in errstr.
 */
int cfg_check_topic_name(const char *topic, char *errstr, size_t errstr_size);

/*
 * Writes the sink topic of channel into out: the per-channel override if
 * one exists, else topic_prefix followed by the channel name.
 */
void cfg_channel_topic(const struct cfg *cfg, const char *channel, char *out,
                       size_t out_size);

/* The adapter forced for a source topic, or ADAPT_AUTO. */
enum adapt_shape cfg_source_adapter(const struct cfg *cfg,
                                    const char *topic);

/* Returns nonzero when property name holds a secret that must not be
 * logged (passwords, keys, tokens). */
int cfg_property_is_secret(const char *name);

#endif
