/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the configuration: defaults, the libconfig file with every
 * setting and every kind of bad value, the properties file, and the
 * property, topic and secret rules.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "log.h"
#include "route.h"

static char tmp_dir[] = "/tmp/test_cfg.XXXXXX";

/* Returns CKB_TEST_DATA/cfg/name; the caller frees it. */
static char *data_path(const char *name)
{
        const char *root = getenv("CKB_TEST_DATA");
        size_t size;
        char *path;

        ck_assert_msg(root != NULL, "CKB_TEST_DATA is not set");
        size = strlen(root) + strlen(name) + 8;
        path = malloc(size);
        snprintf(path, size, "%s/cfg/%s", root, name);
        return path;
}

/* Writes text to name in the temporary directory; the caller frees the
 * returned path. */
static char *write_tmp(const char *name, const char *text)
{
        size_t size = strlen(tmp_dir) + strlen(name) + 2;
        char *path = malloc(size);
        FILE *fp;

        snprintf(path, size, "%s/%s", tmp_dir, name);
        fp = fopen(path, "w");
        ck_assert_msg(fp != NULL, "cannot write %s: %s", path, strerror(errno));
        fputs(text, fp);
        fclose(fp);
        return path;
}

static const char *property_value(const struct cfg_properties *props,
                                  const char *name)
{
        for (size_t i = 0; i < props->count; i++) {
                if (strcmp(props->items[i].name, name) == 0)
                        return props->items[i].value;
        }
        return NULL;
}

static const struct route_target *route(const struct cfg *cfg,
                                        enum route_map map, const char *key)
{
        return route_lookup(cfg->routes, map, key, strlen(key));
}

/* defaults */

START_TEST(test_defaults)
{
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_str_eq(cfg.brokers, "localhost:9092");
        ck_assert_uint_eq(cfg.properties.count, 0);
        ck_assert_uint_eq(cfg.consumer_properties.count, 0);
        ck_assert_uint_eq(cfg.producer_properties.count, 0);
        ck_assert_uint_eq(cfg.topic_count, 2);
        ck_assert_str_eq(cfg.topics[0], "workflow-status-events");
        ck_assert_str_eq(cfg.topics[1], "task-status-events");
        ck_assert_str_eq(cfg.group_id, "conductor-kafka-bridge");
        ck_assert_str_eq(cfg.auto_offset_reset, "earliest");
        ck_assert_uint_eq(cfg.adapter_count, 0);
        ck_assert_str_eq(cfg.topic_prefix, "");
        ck_assert_str_eq(cfg.dlq_topic, "conductor.events.dlq");
        ck_assert_uint_eq(cfg.channel_count, 0);
        ck_assert_int_eq(cfg.delivery, CFG_DELIVERY_AT_LEAST_ONCE);
        ck_assert_ptr_null(cfg.transactional_id);
        ck_assert_int_eq(cfg.transaction_interval_ms, 100);
        ck_assert_ptr_nonnull(cfg.routes);
        ck_assert_uint_eq(cfg.max_value_bytes, 1048576);
        ck_assert_uint_eq(cfg.max_depth, 128);
        ck_assert_ptr_null(cfg.asyncapi_document);
        ck_assert_int_eq(cfg.format_assertion, 1);
        ck_assert_int_eq(cfg.shutdown_timeout_ms, 30000);
        ck_assert_uint_eq(cfg.decision_threads, 1);
        ck_assert_int_eq(cfg.log_level, LOG_LEVEL_NOTICE);
        ck_assert_int_eq(cfg.stats_interval_ms, 30000);
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_defaults_routes)
{
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_str_eq(route(&cfg, ROUTE_WORKFLOW_STATUS, "RUNNING")->channel,
                         "workflow.started");
        ck_assert_str_eq(route(&cfg, ROUTE_TASK_STATUS, "CANCELED")->channel,
                         "task.canceled");
        ck_assert_int_eq(route(&cfg, ROUTE_EVENT_TYPE, "TERMINATED")->kind,
                         ROUTE_BY_STATUS);
        cfg_free(&cfg);
}
END_TEST

/* Compares every field that bridge.conf sets with the built-in default. */
START_TEST(test_bridge_conf_matches_defaults)
{
        char *path = data_path("../../../conf/bridge.conf");
        struct cfg defaults;
        struct cfg cfg;
        char errstr[1024] = "";

        cfg_init(&defaults);
        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_str_eq(cfg.brokers, defaults.brokers);
        ck_assert_uint_eq(cfg.properties.count, 0);
        ck_assert_uint_eq(cfg.consumer_properties.count, 0);
        ck_assert_uint_eq(cfg.producer_properties.count, 0);
        ck_assert_uint_eq(cfg.topic_count, 2);
        ck_assert_str_eq(cfg.topics[0], defaults.topics[0]);
        ck_assert_str_eq(cfg.topics[1], defaults.topics[1]);
        ck_assert_str_eq(cfg.group_id, defaults.group_id);
        ck_assert_str_eq(cfg.auto_offset_reset, defaults.auto_offset_reset);
        ck_assert_uint_eq(cfg.adapter_count, 0);
        ck_assert_str_eq(cfg.topic_prefix, defaults.topic_prefix);
        ck_assert_str_eq(cfg.dlq_topic, defaults.dlq_topic);
        ck_assert_uint_eq(cfg.channel_count, 0);
        ck_assert_int_eq(cfg.delivery, defaults.delivery);
        ck_assert_ptr_null(cfg.transactional_id);
        ck_assert_int_eq(cfg.transaction_interval_ms,
                         defaults.transaction_interval_ms);
        ck_assert_uint_eq(cfg.max_value_bytes, defaults.max_value_bytes);
        ck_assert_uint_eq(cfg.max_depth, defaults.max_depth);
        ck_assert_ptr_null(cfg.asyncapi_document);
        ck_assert_int_eq(cfg.format_assertion, defaults.format_assertion);
        ck_assert_int_eq(cfg.shutdown_timeout_ms, defaults.shutdown_timeout_ms);
        ck_assert_uint_eq(cfg.decision_threads, defaults.decision_threads);
        ck_assert_int_eq(cfg.log_level, defaults.log_level);
        ck_assert_int_eq(cfg.stats_interval_ms, defaults.stats_interval_ms);
        cfg_free(&cfg);
        cfg_free(&defaults);
        free(path);
}
END_TEST

struct route_pair {
        const struct cfg *cfg;
        int mismatches;
        int count;
};

static void compare_route(enum route_map map, const char *key,
                          const struct route_target *target, void *opaque)
{
        struct route_pair *pair = opaque;
        const struct route_target *other = route(pair->cfg, map, key);

        pair->count++;
        if (other == NULL || other->kind != target->kind ||
            (target->channel != NULL &&
             strcmp(target->channel, other->channel) != 0))
                pair->mismatches++;
}

START_TEST(test_bridge_conf_routes_match_defaults)
{
        char *path = data_path("../../../conf/bridge.conf");
        struct cfg defaults;
        struct cfg cfg;
        char errstr[1024] = "";
        struct route_pair pair = {&cfg, 0, 0};
        struct route_pair reverse = {&defaults, 0, 0};

        cfg_init(&defaults);
        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        route_table_foreach(defaults.routes, compare_route, &pair);
        route_table_foreach(cfg.routes, compare_route, &reverse);
        ck_assert_int_eq(pair.mismatches, 0);
        ck_assert_int_eq(reverse.mismatches, 0);
        ck_assert_int_eq(pair.count, reverse.count);
        cfg_free(&cfg);
        cfg_free(&defaults);
        free(path);
}
END_TEST

/* full file */

static void load_full(struct cfg *cfg)
{
        char *path = data_path("full.conf");
        char errstr[1024] = "";

        cfg_init(cfg);
        ck_assert_msg(cfg_load_file(cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_str_eq(errstr, "");
        free(path);
}

START_TEST(test_full_kafka)
{
        struct cfg cfg;

        load_full(&cfg);
        ck_assert_str_eq(cfg.brokers, "broker1:9093,broker2:9093");
        /* Two from properties, three from secrets.properties. */
        ck_assert_uint_eq(cfg.properties.count, 5);
        ck_assert_str_eq(cfg.properties.items[0].name, "security.protocol");
        ck_assert_str_eq(cfg.properties.items[0].value, "SASL_SSL");
        ck_assert_str_eq(cfg.properties.items[1].name, "client.id");
        ck_assert_str_eq(cfg.properties.items[1].value, "bridge-test");
        ck_assert_uint_eq(cfg.consumer_properties.count, 1);
        ck_assert_str_eq(
                property_value(&cfg.consumer_properties, "session.timeout.ms"),
                "6000");
        ck_assert_uint_eq(cfg.producer_properties.count, 2);
        ck_assert_str_eq(property_value(&cfg.producer_properties, "linger.ms"),
                         "20");
        ck_assert_str_eq(
                property_value(&cfg.producer_properties, "compression.type"),
                "zstd");
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_full_properties_file)
{
        struct cfg cfg;

        load_full(&cfg);
        ck_assert_str_eq(property_value(&cfg.properties, "sasl.mechanisms"),
                         "SCRAM-SHA-512");
        ck_assert_str_eq(property_value(&cfg.properties, "sasl.username"),
                         "bridge");
        ck_assert_str_eq(property_value(&cfg.properties, "sasl.password"),
                         "test-secret-value");
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_full_source)
{
        struct cfg cfg;

        load_full(&cfg);
        ck_assert_uint_eq(cfg.topic_count, 3);
        ck_assert_str_eq(cfg.topics[0], "wf-events");
        ck_assert_str_eq(cfg.topics[1], "task-events");
        ck_assert_str_eq(cfg.topics[2], "legacy.events");
        ck_assert_str_eq(cfg.group_id, "bridge-test-group");
        ck_assert_str_eq(cfg.auto_offset_reset, "latest");
        ck_assert_uint_eq(cfg.adapter_count, 2);
        ck_assert_int_eq(cfg_source_adapter(&cfg, "wf-events"), ADAPT_ENVELOPE);
        ck_assert_int_eq(cfg_source_adapter(&cfg, "legacy.events"),
                         ADAPT_TASK_SUMMARY);
        ck_assert_int_eq(cfg_source_adapter(&cfg, "task-events"), ADAPT_AUTO);
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_full_sink)
{
        struct cfg cfg;
        char topic[256];

        load_full(&cfg);
        ck_assert_str_eq(cfg.topic_prefix, "conductor.");
        ck_assert_str_eq(cfg.dlq_topic, "bridge.dlq");
        ck_assert_uint_eq(cfg.channel_count, 2);
        cfg_channel_topic(&cfg, "workflow.started", topic, sizeof(topic));
        ck_assert_str_eq(topic, "wf-started");
        cfg_channel_topic(&cfg, "task.failed", topic, sizeof(topic));
        ck_assert_str_eq(topic, "task-failures");
        cfg_channel_topic(&cfg, "task.completed", topic, sizeof(topic));
        ck_assert_str_eq(topic, "conductor.task.completed");
        ck_assert_int_eq(cfg.delivery, CFG_DELIVERY_EXACTLY_ONCE);
        ck_assert_str_eq(cfg.transactional_id, "bridge-test-tx");
        ck_assert_int_eq(cfg.transaction_interval_ms, 250);
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_full_routing)
{
        struct cfg cfg;

        load_full(&cfg);
        ck_assert_int_eq(route(&cfg, ROUTE_WORKFLOW_STATUS, "RUNNING")->kind,
                         ROUTE_SKIP);
        ck_assert_int_eq(route(&cfg, ROUTE_WORKFLOW_STATUS, "PAUSED")->kind,
                         ROUTE_DLQ);
        ck_assert_str_eq(route(&cfg, ROUTE_WORKFLOW_STATUS, "FAILED")->channel,
                         "workflow.failed");
        ck_assert_str_eq(route(&cfg, ROUTE_TASK_STATUS, "SKIPPED")->channel,
                         "task.skipped");
        ck_assert_int_eq(route(&cfg, ROUTE_EVENT_TYPE, "RESUMED")->kind,
                         ROUTE_BY_STATUS);
        ck_assert_str_eq(route(&cfg, ROUTE_EVENT_TYPE, "STARTED")->channel,
                         "workflow.started");
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_full_limits_and_log)
{
        struct cfg cfg;
        char *document = data_path("document.yaml");

        load_full(&cfg);
        ck_assert_uint_eq(cfg.max_value_bytes, 65536);
        ck_assert_uint_eq(cfg.max_depth, 32);
        ck_assert_str_eq(cfg.asyncapi_document, document);
        ck_assert_int_eq(cfg.format_assertion, 0);
        ck_assert_int_eq(cfg.shutdown_timeout_ms, 5000);
        ck_assert_uint_eq(cfg.decision_threads, 4);
        ck_assert_int_eq(cfg.log_level, LOG_LEVEL_DEBUG);
        ck_assert_int_eq(cfg.stats_interval_ms, 0);
        cfg_free(&cfg);
        free(document);
}
END_TEST

START_TEST(test_load_over_current_values)
{
        char *path = write_tmp("partial.conf", "limits = { max_depth = 9; };\n"
                                               "source = { group_id = \"g\"; "
                                               "};\n");
        struct cfg cfg;
        char errstr[1024] = "";

        load_full(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_uint_eq(cfg.max_depth, 9);
        ck_assert_str_eq(cfg.group_id, "g");
        ck_assert_uint_eq(cfg.max_value_bytes, 65536);
        ck_assert_str_eq(cfg.transactional_id, "bridge-test-tx");
        ck_assert_uint_eq(cfg.topic_count, 3);
        cfg_free(&cfg);
        free(path);
}
END_TEST

START_TEST(test_load_empty_file)
{
        char *path = write_tmp("empty.conf", "# nothing set\n");
        struct cfg cfg;
        char errstr[1024] = "";

        cfg_init(&cfg);
        ck_assert_int_eq(cfg_load_file(&cfg, path, errstr, sizeof(errstr)), 0);
        ck_assert_str_eq(cfg.brokers, "localhost:9092");
        ck_assert_str_eq(errstr, "");
        cfg_free(&cfg);
        free(path);
}
END_TEST

START_TEST(test_load_include_relative)
{
        char *path = data_path("include.conf");
        struct cfg cfg;
        char errstr[1024] = "";

        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_uint_eq(cfg.max_depth, 7);
        ck_assert_int_eq(cfg.shutdown_timeout_ms, 1000);
        cfg_free(&cfg);
        free(path);
}
END_TEST

START_TEST(test_load_int64_in_range)
{
        char *path = write_tmp("int64.conf",
                               "limits = { max_value_bytes = 4096L; };\n");
        struct cfg cfg;
        char errstr[1024] = "";

        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_uint_eq(cfg.max_value_bytes, 4096);
        cfg_free(&cfg);
        free(path);
}
END_TEST

START_TEST(test_load_limits_at_bounds)
{
        char *path = write_tmp("bounds.conf",
                               "limits = { max_value_bytes = 104857600; "
                               "max_depth = 10000; };\n"
                               "shutdown_timeout_ms = 0;\n");
        struct cfg cfg;
        char errstr[1024] = "";

        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_uint_eq(cfg.max_value_bytes, 104857600);
        ck_assert_uint_eq(cfg.max_depth, 10000);
        ck_assert_int_eq(cfg.shutdown_timeout_ms, 0);
        cfg_free(&cfg);
        free(path);
}
END_TEST

/* bad values: each row is one file and the exact message after
 * "PATH:" */

struct bad_row {
        const char *text;
        const char *message;
};

static const struct bad_row bad_rows[] = {
        {"kafak = {};",
         "1: kafak: unknown setting (use kafka, source, sink, routing, "
         "limits, asyncapi, shutdown_timeout_ms, decision_threads or log)"},
        {"kafka = 1;", "1: kafka: expected a group { ... }, got an integer"},
        {"kafka = { broker = \"x\"; };",
         "1: kafka.broker: unknown setting (use brokers, properties, "
         "consumer_properties, producer_properties or properties_file)"},
        {"kafka = { brokers = \"\"; };", "1: kafka.brokers: must not be empty"},
        {"kafka = { brokers = 9092; };",
         "1: kafka.brokers: expected a string, got an integer"},
        {"kafka = { properties = \"acks=1\"; };",
         "1: kafka.properties: expected a list of (\"name\", \"value\") "
         "pairs, got a string"},
        {"kafka = { properties = ( (\"a\", \"b\", \"c\") ); };",
         "1: kafka.properties[0]: expected a (\"name\", \"value\") pair of "
         "strings"},
        {"kafka = { properties = ( (\"linger.ms\", 5) ); };",
         "1: kafka.properties[0]: expected a (\"name\", \"value\") pair of "
         "strings"},
        {"kafka = { properties = ( \"linger.ms\" ); };",
         "1: kafka.properties[0]: expected a (\"name\", \"value\") pair of "
         "strings"},
        {"kafka = { properties = ( (\"\", \"x\") ); };",
         "1: kafka.properties[0]: the property name is empty (write "
         "name=value)"},
        {"kafka = { properties = ( (\"linger ms\", \"5\") ); };",
         "1: kafka.properties[0]: \"linger ms\" is not a property name (it "
         "contains white space)"},
        {"kafka = { properties = ( (\"acks\", \"1\") ); };",
         "1: kafka.properties[0]: acks cannot be overridden (the producer "
         "waits for acks=all so that an acknowledged record is on every "
         "in-sync replica)"},
        {"kafka = {\n properties = ( (\"linger.ms\", \"5\"),\n"
         " (\"isolation.level\", \"read_uncommitted\") );\n};",
         "3: kafka.properties[1]: isolation.level cannot be overridden (the "
         "consumer reads committed records only, so records of aborted "
         "transactions are never bridged)"},
        {"kafka = { consumer_properties = ( (\"enable.auto.commit\", "
         "\"true\") ); };",
         "1: kafka.consumer_properties[0]: enable.auto.commit cannot be "
         "overridden (the bridge commits an offset only after the sink "
         "acknowledged every record derived from it)"},
        {"kafka = { consumer_properties = ( (\"enable.auto.offset.store\", "
         "\"true\") ); };",
         "1: kafka.consumer_properties[0]: enable.auto.offset.store cannot "
         "be overridden (the bridge stores an offset only after the sink "
         "acknowledged every record derived from it)"},
        {"kafka = { producer_properties = ( (\"enable.idempotence\", "
         "\"false\") ); };",
         "1: kafka.producer_properties[0]: enable.idempotence cannot be "
         "overridden (the producer must be idempotent so that retries "
         "neither duplicate nor reorder records)"},
        {"kafka = { properties = ( (\"bootstrap.servers\", \"h:9092\") ); "
         "};",
         "1: kafka.properties[0]: bootstrap.servers cannot be set as a "
         "property (use kafka.brokers or -b)"},
        {"kafka = { consumer_properties = ( (\"group.id\", \"g\") ); };",
         "1: kafka.consumer_properties[0]: group.id cannot be set as a "
         "property (use source.group_id or -G)"},
        {"kafka = { producer_properties = ( (\"transactional.id\", \"t\") "
         "); };",
         "1: kafka.producer_properties[0]: transactional.id cannot be set "
         "as a property (use sink.transactional_id)"},
        {"kafka = { properties_file = \"/nonexistent/secrets.properties\"; "
         "};",
         "1: kafka.properties_file: cannot open "
         "\"/nonexistent/secrets.properties\": No such file or directory"},
        {"kafka = { properties_file = \"\"; };",
         "1: kafka.properties_file: must not be empty"},
        {"source = { topics = []; };",
         "1: source.topics: the list is empty (name at least one source "
         "topic)"},
        {"source = { topics = (); };",
         "1: source.topics: the list is empty (name at least one source "
         "topic)"},
        {"source = { topics = \"a\"; };",
         "1: source.topics: expected a list of topic names, got a string"},
        {"source = { topics = [1]; };",
         "1: source.topics[0]: expected a string, got an integer"},
        {"source = { topics = [\"a b\"]; };",
         "1: source.topics[0]: \"a b\" contains ' ' (topic names allow "
         "letters, digits, '.', '_' and '-')"},
        {"source = { topics = [\"ok\", \"a/b\"]; };",
         "1: source.topics[1]: \"a/b\" contains '/' (topic names allow "
         "letters, digits, '.', '_' and '-')"},
        {"source = { topics = [\"..\"]; };",
         "1: source.topics[0]: \"..\" is not a valid topic name"},
        {"source = { topics = [\"\"]; };",
         "1: source.topics[0]: the topic name is empty"},
        {"source = { topics = [\"a\", \"b\", \"a\"]; };",
         "1: source.topics[2]: \"a\" is listed twice"},
        {"source = { group_id = \"\"; };",
         "1: source.group_id: must not be empty"},
        {"source = { auto_offset_reset = \"oldest\"; };",
         "1: source.auto_offset_reset: \"oldest\" is not valid (use "
         "earliest, latest or error)"},
        {"source = { auto_offset_reset = \"Earliest\"; };",
         "1: source.auto_offset_reset: \"Earliest\" is not valid (use "
         "earliest, latest or error)"},
        {"source = { adapters = {}; };",
         "1: source.adapters: expected a list ( { topic = \"...\"; shape = "
         "\"...\"; }, ... ), got a group"},
        {"source = { adapters = ( \"t\" ); };",
         "1: source.adapters[0]: expected a group { topic = \"...\"; shape "
         "= \"...\"; }, got a string"},
        {"source = { adapters = ( { topic = \"t\"; shape = \"xml\"; } ); };",
         "1: source.adapters[0].shape: \"xml\" is not valid (use auto, "
         "native, envelope, workflow_summary or task_summary)"},
        {"source = { adapters = ( { topic = \"t\"; } ); };",
         "1: source.adapters[0]: shape is missing"},
        {"source = { adapters = ( { shape = \"native\"; } ); };",
         "1: source.adapters[0]: topic is missing"},
        {"source = { adapters = ( { topic = \"t\"; shape = \"native\"; "
         "format = \"x\"; } ); };",
         "1: source.adapters[0].format: unknown setting (use topic or "
         "shape)"},
        {"source = { adapters = ( { topic = \"t\"; shape = \"native\"; },\n"
         "{ topic = \"t\"; shape = \"envelope\"; } ); };",
         "2: source.adapters[1].topic: \"t\" already has an adapter"},
        {"source = { adapters = ( { topic = \"t t\"; shape = \"native\"; } "
         "); };",
         "1: source.adapters[0].topic: \"t t\" contains ' ' (topic names "
         "allow letters, digits, '.', '_' and '-')"},
        {"source = { topic = [\"a\"]; };",
         "1: source.topic: unknown setting (use topics, group_id, "
         "auto_offset_reset or adapters)"},
        {"sink = { topic_prefix = \"a/\"; };",
         "1: sink.topic_prefix: \"a/\" contains '/' (topic names allow "
         "letters, digits, '.', '_' and '-')"},
        {"sink = { topic_prefix = 1; };",
         "1: sink.topic_prefix: expected a string, got an integer"},
        {"sink = { dlq_topic = \"\"; };",
         "1: sink.dlq_topic: the topic name is empty"},
        {"sink = { channels = ( { name = \"workflow.started\"; topic = "
         "\"x\"; },\n{ name = \"workflow.started\"; topic = \"y\"; } ); };",
         "2: sink.channels[1].name: channel \"workflow.started\" is listed "
         "twice"},
        {"sink = { channels = ( { name = \"workflow.started\"; } ); };",
         "1: sink.channels[0]: topic is missing"},
        {"sink = { channels = ( { name = \"\"; topic = \"x\"; } ); };",
         "1: sink.channels[0].name: must not be empty"},
        {"sink = { channels = ( { name = \"task.failed\"; topic = \"a:b\"; "
         "} ); };",
         "1: sink.channels[0].topic: \"a:b\" contains ':' (topic names "
         "allow letters, digits, '.', '_' and '-')"},
        {"sink = { channels = [ \"x\" ]; };",
         "1: sink.channels: expected a list ( { name = \"...\"; topic = "
         "\"...\"; }, ... ), got an array"},
        {"sink = { delivery = \"at-most-once\"; };",
         "1: sink.delivery: \"at-most-once\" is not valid (use "
         "at-least-once or exactly-once)"},
        {"sink = { delivery = true; };",
         "1: sink.delivery: expected a string, got a boolean"},
        {"sink = { transactional_id = \"\"; };",
         "1: sink.transactional_id: must not be empty"},
        {"sink = { transaction_interval_ms = 0; };",
         "1: sink.transaction_interval_ms: 0 is out of range (use 1 to "
         "60000 ms)"},
        {"sink = { transaction_interval_ms = 60001; };",
         "1: sink.transaction_interval_ms: 60001 is out of range (use 1 to "
         "60000 ms)"},
        {"sink = { transaction_interval_ms = 1.5; };",
         "1: sink.transaction_interval_ms: expected an integer from 1 to "
         "60000 ms, got a float"},
        {"sink = { dlq = \"x\"; };",
         "1: sink.dlq: unknown setting (use topic_prefix, dlq_topic, "
         "channels, delivery, transactional_id or transaction_interval_ms)"},
        {"routing = { workflow = {}; };",
         "1: routing.workflow: unknown setting (use workflow_status, "
         "task_status or event_type)"},
        {"routing = { task_status = ( \"x\" ); };",
         "1: routing.task_status: expected a group { NAME = \"...\"; ... } "
         "with a channel name, dlq or skip as values, got a list"},
        {"routing = { task_status = { FAILED = 1; }; };",
         "1: routing.task_status.FAILED: expected a string (a channel name, "
         "dlq or skip), got an integer"},
        {"routing = { event_type = { RESUMED = 1; }; };",
         "1: routing.event_type.RESUMED: expected a string (a channel name, "
         "dlq, skip or status), got an integer"},
        {"routing = {\n workflow_status = {\n  RUNNING = \"status\";\n };\n"
         "};",
         "3: routing.workflow_status.RUNNING: \"status\" is valid only in "
         "event_type, where payload.status picks the channel (use a channel "
         "name, dlq or skip)"},
        {"routing = { task_status = { FAILED = \"SKIP\"; }; };",
         "1: routing.task_status.FAILED: \"SKIP\" is not valid (write skip "
         "in lower case)"},
        {"routing = { task_status = { FAILED = \"task failed\"; }; };",
         "1: routing.task_status.FAILED: \"task failed\" is not a channel "
         "name (use a channel name without spaces or control characters, "
         "dlq or skip)"},
        {"limits = { max_value_bytes = 0; };",
         "1: limits.max_value_bytes: 0 is out of range (use 1 to 104857600 "
         "bytes)"},
        {"limits = { max_value_bytes = 104857601; };",
         "1: limits.max_value_bytes: 104857601 is out of range (use 1 to "
         "104857600 bytes)"},
        {"limits = { max_value_bytes = \"1M\"; };",
         "1: limits.max_value_bytes: expected an integer from 1 to "
         "104857600 bytes, got a string"},
        {"limits = { max_value_bytes = 4294967297; };",
         "1: 4294967297 does not fit in a 32-bit integer (write 4294967297L "
         "for a 64-bit integer)"},
        {"limits = { max_value_bytes = 0x100000001; };",
         "1: 0x100000001 does not fit in a 32-bit integer (write "
         "0x100000001L for a 64-bit integer)"},
        {"limits = { max_depth = -4294967295; };",
         "1: -4294967295 does not fit in a 32-bit integer (write "
         "-4294967295L for a 64-bit integer)"},
        {"limits = { max_value_bytes = 4294967297L; };",
         "1: limits.max_value_bytes: 4294967297 is out of range (use 1 to "
         "104857600 bytes)"},
        {"limits = { max_depth = 0; };",
         "1: limits.max_depth: 0 is out of range (use 1 to 10000)"},
        {"limits = { max_depth = 10001; };",
         "1: limits.max_depth: 10001 is out of range (use 1 to 10000)"},
        {"limits = { depth = 5; };",
         "1: limits.depth: unknown setting (use max_value_bytes or "
         "max_depth)"},
        {"asyncapi = { document = \"/nonexistent/doc.yaml\"; };",
         "1: asyncapi.document: cannot read \"/nonexistent/doc.yaml\": No "
         "such file or directory"},
        {"asyncapi = { document = \"\"; };",
         "1: asyncapi.document: must not be empty"},
        {"asyncapi = { format_assertion = 1; };",
         "1: asyncapi.format_assertion: expected true or false, got an "
         "integer"},
        {"asyncapi = { format_assertion = \"yes\"; };",
         "1: asyncapi.format_assertion: expected true or false, got a "
         "string"},
        {"shutdown_timeout_ms = -1;",
         "1: shutdown_timeout_ms: -1 is out of range (use 0 to 3600000 ms)"},
        {"shutdown_timeout_ms = 3600001;",
         "1: shutdown_timeout_ms: 3600001 is out of range (use 0 to 3600000 "
         "ms)"},
        {"decision_threads = 0;",
         "1: decision_threads: 0 is out of range (use 1 to 64 threads)"},
        {"decision_threads = 65;",
         "1: decision_threads: 65 is out of range (use 1 to 64 threads)"},
        {"decision_threads = \"2\";",
         "1: decision_threads: expected an integer from 1 to 64 threads, "
         "got a string"},
        {"shutdown_timeout_ms = \"30s\";",
         "1: shutdown_timeout_ms: expected an integer from 0 to 3600000 ms, "
         "got a string"},
        {"log = { level = \"verbose\"; };",
         "1: log.level: \"verbose\" is not valid (use err, warning, notice, "
         "info or debug)"},
        {"log = { stats_interval_ms = -5; };",
         "1: log.stats_interval_ms: -5 is out of range (use 0 to 3600000 "
         "ms)"},
        {"log = { file = \"x\"; };",
         "1: log.file: unknown setting (use level or stats_interval_ms)"},
        {"log = [ 1 ];", "1: log: expected a group { ... }, got an array"},
        {"\n\nsource = {\n  auto_offset_reset = \"oldest\";\n};",
         "4: source.auto_offset_reset: \"oldest\" is not valid (use "
         "earliest, latest or error)"},
        {"limits = { max_depth = 5; max_depth = 6; };",
         "1: duplicate setting name"},
        {"kafka = {\n brokers = ;\n};", "2: syntax error"},
};

#define BAD_ROW_COUNT (sizeof(bad_rows) / sizeof(bad_rows[0]))

START_TEST(test_bad_value)
{
        const struct bad_row *row = &bad_rows[_i];
        char *path = write_tmp("bad.conf", row->text);
        char expected[1024];
        char errstr[1024] = "";
        struct cfg cfg;

        snprintf(expected, sizeof(expected), "%s:%s", path, row->message);
        cfg_init(&cfg);
        ck_assert_int_eq(cfg_load_file(&cfg, path, errstr, sizeof(errstr)), -1);
        ck_assert_str_eq(errstr, expected);
        cfg_free(&cfg);
        free(path);
}
END_TEST

START_TEST(test_bad_value_truncated_message)
{
        char *path = write_tmp("small.conf", "kafak = {};\n");
        char errstr[16];
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_int_eq(cfg_load_file(&cfg, path, errstr, sizeof(errstr)), -1);
        ck_assert_uint_eq(strlen(errstr), sizeof(errstr) - 1);
        ck_assert_int_eq(strncmp(errstr, path, sizeof(errstr) - 1), 0);
        cfg_free(&cfg);
        free(path);
}
END_TEST

START_TEST(test_missing_file)
{
        char errstr[1024] = "";
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_int_eq(cfg_load_file(&cfg, "/nonexistent/bridge.conf", errstr,
                                       sizeof(errstr)),
                         -1);
        ck_assert_str_eq(errstr, "/nonexistent/bridge.conf: cannot open: No "
                                 "such file or directory");
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_nul_byte_in_file)
{
        char *path = write_tmp("nul.conf", "");
        char expected[1024];
        char errstr[1024] = "";
        struct cfg cfg;
        FILE *fp = fopen(path, "w");

        ck_assert_ptr_nonnull(fp);
        fwrite("log = {};\0junk", 1, 15, fp);
        fclose(fp);
        snprintf(expected, sizeof(expected),
                 "%s: contains a NUL byte at offset 9 (expected a text file)",
                 path);
        cfg_init(&cfg);
        ck_assert_int_eq(cfg_load_file(&cfg, path, errstr, sizeof(errstr)), -1);
        ck_assert_str_eq(errstr, expected);
        cfg_free(&cfg);
        free(path);
}
END_TEST

START_TEST(test_directory_as_file)
{
        char errstr[1024] = "";
        char expected[1024];
        struct cfg cfg;

        snprintf(expected, sizeof(expected), "%s: cannot read: Is a directory",
                 tmp_dir);
        cfg_init(&cfg);
        ck_assert_int_eq(cfg_load_file(&cfg, tmp_dir, errstr, sizeof(errstr)),
                         -1);
        ck_assert_str_eq(errstr, expected);
        cfg_free(&cfg);
}
END_TEST

/* properties file */

START_TEST(test_properties_file_missing_equals)
{
        char *path = data_path("missing-equals.properties");
        char *conf = write_tmp("props.conf", "");
        char text[1024];
        char expected[1024];
        char errstr[1024] = "";
        struct cfg cfg;

        snprintf(text, sizeof(text), "kafka = { properties_file = \"%s\"; };",
                 path);
        free(conf);
        conf = write_tmp("props.conf", text);
        snprintf(expected, sizeof(expected),
                 "%s:1: kafka.properties_file: %s:2: missing '=' (write "
                 "name=value)",
                 conf, path);
        cfg_init(&cfg);
        ck_assert_int_eq(cfg_load_file(&cfg, conf, errstr, sizeof(errstr)), -1);
        ck_assert_str_eq(errstr, expected);
        ck_assert_ptr_null(strstr(errstr, "test-secret"));
        cfg_free(&cfg);
        free(conf);
        free(path);
}
END_TEST

START_TEST(test_properties_file_protected)
{
        char *path = data_path("protected.properties");
        char text[1024];
        char expected[1024];
        char errstr[1024] = "";
        char *conf;
        struct cfg cfg;

        snprintf(text, sizeof(text), "kafka = { properties_file = \"%s\"; };",
                 path);
        conf = write_tmp("props.conf", text);
        snprintf(expected, sizeof(expected),
                 "%s:1: kafka.properties_file: %s:3: enable.auto.commit "
                 "cannot be overridden (the bridge commits an offset only "
                 "after the sink acknowledged every record derived from it)",
                 conf, path);
        cfg_init(&cfg);
        ck_assert_int_eq(cfg_load_file(&cfg, conf, errstr, sizeof(errstr)), -1);
        ck_assert_str_eq(errstr, expected);
        ck_assert_ptr_null(strstr(errstr, "test-secret"));
        cfg_free(&cfg);
        free(conf);
        free(path);
}
END_TEST

START_TEST(test_properties_file_relative)
{
        char *secrets = data_path("secrets.properties");
        char *conf;
        char text[1024];
        char errstr[1024] = "";
        struct cfg cfg;
        FILE *in;
        FILE *out;
        int c;

        /* A copy of the secrets beside a config in the temporary
         * directory, named relative to it. */
        in = fopen(secrets, "r");
        ck_assert_ptr_nonnull(in);
        snprintf(text, sizeof(text), "%s/copy.properties", tmp_dir);
        out = fopen(text, "w");
        ck_assert_ptr_nonnull(out);
        while ((c = fgetc(in)) != EOF)
                fputc(c, out);
        fclose(in);
        fclose(out);
        conf = write_tmp("relative.conf", "kafka = { properties_file = "
                                          "\"copy.properties\"; };\n");

        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, conf, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_str_eq(property_value(&cfg.properties, "sasl.password"),
                         "test-secret-value");
        ck_assert_uint_eq(cfg.properties.count, 3);
        cfg_free(&cfg);
        free(conf);
        free(secrets);
}
END_TEST

START_TEST(test_properties_file_overrides_list)
{
        char *secrets = data_path("secrets.properties");
        char text[1024];
        char errstr[1024] = "";
        char *conf;
        struct cfg cfg;

        snprintf(text, sizeof(text),
                 "kafka = { properties = ( (\"sasl.username\", \"old\") );\n"
                 "properties_file = \"%s\"; };\n",
                 secrets);
        conf = write_tmp("override.conf", text);
        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, conf, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_str_eq(property_value(&cfg.properties, "sasl.username"),
                         "bridge");
        ck_assert_uint_eq(cfg.properties.count, 3);
        cfg_free(&cfg);
        free(conf);
        free(secrets);
}
END_TEST

START_TEST(test_document_relative)
{
        char *conf = write_tmp("doc.conf",
                               "asyncapi = { document = \"doc.yaml\"; };\n");
        char *doc = write_tmp("doc.yaml", "asyncapi: 2.6.0\n");
        char errstr[1024] = "";
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, conf, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_str_eq(cfg.asyncapi_document, doc);
        cfg_free(&cfg);
        free(doc);
        free(conf);
}
END_TEST

/* delivery */

static char *expected_transactional_id(const char *group_id)
{
        char host[256] = "";
        char *id = malloc(512);

        ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
        snprintf(id, 512, "%s-%s-%ld", group_id, host, (long)getpid());
        return id;
}

START_TEST(test_exactly_once_default_id)
{
        char *path = data_path("exactly-once.conf");
        char *expected = expected_transactional_id("eos-group");
        char errstr[1024] = "";
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_int_eq(cfg.delivery, CFG_DELIVERY_EXACTLY_ONCE);
        ck_assert_str_eq(cfg.transactional_id, expected);
        cfg_free(&cfg);
        free(expected);
        free(path);
}
END_TEST

START_TEST(test_group_id_rederives_default_id)
{
        char *path = data_path("exactly-once.conf");
        char *expected = expected_transactional_id("other-group");
        char errstr[1024] = "";
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        cfg_set_group_id(&cfg, "other-group");
        ck_assert_str_eq(cfg.group_id, "other-group");
        ck_assert_str_eq(cfg.transactional_id, expected);
        cfg_free(&cfg);
        free(expected);
        free(path);
}
END_TEST

START_TEST(test_group_id_keeps_explicit_id)
{
        struct cfg cfg;

        load_full(&cfg);
        cfg_set_group_id(&cfg, "other-group");
        ck_assert_str_eq(cfg.group_id, "other-group");
        ck_assert_str_eq(cfg.transactional_id, "bridge-test-tx");
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_group_id_without_transactions)
{
        struct cfg cfg;

        cfg_init(&cfg);
        cfg_set_group_id(&cfg, "g2");
        ck_assert_str_eq(cfg.group_id, "g2");
        ck_assert_ptr_null(cfg.transactional_id);
        cfg_free(&cfg);
}
END_TEST

/* -X properties */

static const char *const protected_names[] = {
        "enable.auto.commit",
        "auto.commit.enable",
        "enable.auto.offset.store",
        "enable.idempotence",
        "acks",
        "request.required.acks",
        "isolation.level",
        "bootstrap.servers",
        "metadata.broker.list",
        "group.id",
        "transactional.id",
        "auto.offset.reset",
        "ACKS",
        "Enable.Auto.Commit",
};

#define PROTECTED_COUNT (sizeof(protected_names) / sizeof(protected_names[0]))

START_TEST(test_protected_name)
{
        ck_assert_int_ne(cfg_property_is_protected(protected_names[_i]), 0);
}
END_TEST

START_TEST(test_protected_arg_rejected)
{
        char arg[128];
        char errstr[512] = "";
        char prefix[128];
        struct cfg cfg;

        snprintf(arg, sizeof(arg), "%s=secret-looking-value",
                 protected_names[_i]);
        snprintf(prefix, sizeof(prefix), "-X %s: %s cannot be ",
                 protected_names[_i], protected_names[_i]);
        cfg_init(&cfg);
        ck_assert_int_eq(
                cfg_add_property_arg(&cfg, arg, errstr, sizeof(errstr)), -1);
        ck_assert_msg(strncmp(errstr, prefix, strlen(prefix)) == 0,
                      "unexpected message: %s", errstr);
        ck_assert_ptr_null(strstr(errstr, "secret-looking-value"));
        ck_assert_uint_eq(cfg.properties.count, 0);
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_protected_arg_message)
{
        char errstr[512] = "";
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_int_eq(
                cfg_add_property_arg(&cfg, "acks=0", errstr, sizeof(errstr)),
                -1);
        ck_assert_str_eq(errstr, "-X acks: acks cannot be overridden (the "
                                 "producer waits for acks=all so that an "
                                 "acknowledged record is on every in-sync "
                                 "replica)");
        ck_assert_int_eq(cfg_add_property_arg(&cfg, "group.id=g", errstr,
                                              sizeof(errstr)),
                         -1);
        ck_assert_str_eq(errstr, "-X group.id: group.id cannot be set as a "
                                 "property (use source.group_id or -G)");
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_unprotected_names)
{
        ck_assert_int_eq(cfg_property_is_protected("linger.ms"), 0);
        ck_assert_int_eq(cfg_property_is_protected("security.protocol"), 0);
        ck_assert_int_eq(cfg_property_is_protected("acks.extra"), 0);
        ck_assert_int_eq(cfg_property_is_protected(""), 0);
}
END_TEST

START_TEST(test_property_arg_added)
{
        char errstr[512] = "";
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_int_eq(cfg_add_property_arg(&cfg, "security.protocol=SSL",
                                              errstr, sizeof(errstr)),
                         0);
        ck_assert_int_eq(cfg_add_property_arg(&cfg,
                                              "sasl.oauthbearer.config=a=b",
                                              errstr, sizeof(errstr)),
                         0);
        ck_assert_int_eq(cfg_add_property_arg(&cfg, "client.id=", errstr,
                                              sizeof(errstr)),
                         0);
        ck_assert_int_eq(cfg_add_property_arg(&cfg,
                                              "security.protocol=SASL_SSL",
                                              errstr, sizeof(errstr)),
                         0);
        ck_assert_str_eq(errstr, "");
        ck_assert_uint_eq(cfg.properties.count, 3);
        ck_assert_str_eq(cfg.properties.items[0].name, "security.protocol");
        ck_assert_str_eq(cfg.properties.items[0].value, "SASL_SSL");
        ck_assert_str_eq(cfg.properties.items[1].name,
                         "sasl.oauthbearer.config");
        ck_assert_str_eq(cfg.properties.items[1].value, "a=b");
        ck_assert_str_eq(cfg.properties.items[2].name, "client.id");
        ck_assert_str_eq(cfg.properties.items[2].value, "");
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_property_arg_malformed)
{
        char errstr[512] = "";
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_int_eq(
                cfg_add_property_arg(&cfg, "linger.ms", errstr, sizeof(errstr)),
                -1);
        ck_assert_str_eq(errstr, "-X linger.ms: expected name=value, e.g. -X "
                                 "security.protocol=SASL_SSL");
        ck_assert_int_eq(
                cfg_add_property_arg(&cfg, "=5", errstr, sizeof(errstr)), -1);
        ck_assert_str_eq(errstr, "-X : the property name is empty (write "
                                 "name=value)");
        ck_assert_uint_eq(cfg.properties.count, 0);
        cfg_free(&cfg);
}
END_TEST

/* secrets */

struct secret_row {
        const char *name;
        int secret;
};

static const struct secret_row secret_rows[] = {
        {"sasl.password", 1},
        {"sasl.username", 1},
        {"sasl.jaas.config", 1},
        {"sasl.oauthbearer.client.secret", 1},
        {"sasl.oauthbearer.config", 1},
        {"ssl.key.password", 1},
        {"ssl.key.pem", 1},
        {"ssl.keystore.password", 1},
        {"ssl.key.location", 1},
        {"sasl.oauthbearer.token.endpoint.url", 1},
        {"some.api.token", 1},
        {"SSL.KEY.PASSWORD", 1},
        {"my.credentials", 1},
        {"sasl.mechanisms", 0},
        {"sasl.mechanism", 0},
        {"security.protocol", 0},
        {"ssl.ca.location", 0},
        {"linger.ms", 0},
        {"client.id", 0},
};

#define SECRET_ROW_COUNT (sizeof(secret_rows) / sizeof(secret_rows[0]))

START_TEST(test_secret_name)
{
        const struct secret_row *row = &secret_rows[_i];

        ck_assert_msg((cfg_property_is_secret(row->name) != 0) == row->secret,
                      "%s: expected secret=%d", row->name, row->secret);
}
END_TEST

/* topics and lookups */

START_TEST(test_topic_name_length)
{
        char name[251];
        char errstr[512] = "";

        memset(name, 'a', 249);
        name[249] = '\0';
        ck_assert_int_eq(cfg_check_topic_name(name, errstr, sizeof(errstr)), 0);
        ck_assert_str_eq(errstr, "");
        name[249] = 'a';
        name[250] = '\0';
        ck_assert_int_eq(cfg_check_topic_name(name, errstr, sizeof(errstr)),
                         -1);
        ck_assert_str_eq(errstr, "the topic name is 250 characters long "
                                 "(Kafka allows at most 249)");
}
END_TEST

START_TEST(test_topic_name_control_byte)
{
        char errstr[512] = "";

        ck_assert_int_eq(cfg_check_topic_name("a\tb", errstr, sizeof(errstr)),
                         -1);
        ck_assert_str_eq(errstr, "\"a\tb\" contains byte 0x09 (topic names "
                                 "allow letters, digits, '.', '_' and '-')");
        ck_assert_int_eq(cfg_check_topic_name("Conductor_Events-1.x", errstr,
                                              sizeof(errstr)),
                         0);
        ck_assert_int_eq(cfg_check_topic_name(".", errstr, sizeof(errstr)), -1);
        ck_assert_str_eq(errstr, "\".\" is not a valid topic name");
}
END_TEST

START_TEST(test_set_topics_copies)
{
        char first[] = "one";
        char second[] = "two";
        char *topics[] = {first, second};
        struct cfg cfg;

        cfg_init(&cfg);
        cfg_set_topics(&cfg, topics, 2);
        first[0] = 'X';
        ck_assert_uint_eq(cfg.topic_count, 2);
        ck_assert_str_eq(cfg.topics[0], "one");
        ck_assert_str_eq(cfg.topics[1], "two");
        cfg_set_topics(&cfg, topics + 1, 1);
        ck_assert_uint_eq(cfg.topic_count, 1);
        ck_assert_str_eq(cfg.topics[0], "two");
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_set_string)
{
        char *field = NULL;

        cfg_set_string(&field, "a");
        ck_assert_str_eq(field, "a");
        cfg_set_string(&field, "b");
        ck_assert_str_eq(field, "b");
        cfg_set_string(&field, NULL);
        ck_assert_ptr_null(field);
}
END_TEST

START_TEST(test_channel_topic_prefix)
{
        struct cfg cfg;
        char topic[256];
        char small[8];

        cfg_init(&cfg);
        cfg_channel_topic(&cfg, "workflow.failed", topic, sizeof(topic));
        ck_assert_str_eq(topic, "workflow.failed");
        cfg_set_string(&cfg.topic_prefix, "prod.");
        cfg_channel_topic(&cfg, "workflow.failed", topic, sizeof(topic));
        ck_assert_str_eq(topic, "prod.workflow.failed");
        cfg_channel_topic(&cfg, "workflow.failed", small, sizeof(small));
        ck_assert_str_eq(small, "prod.wo");
        cfg_free(&cfg);
}
END_TEST

START_TEST(test_source_adapter_default)
{
        struct cfg cfg;

        cfg_init(&cfg);
        ck_assert_int_eq(cfg_source_adapter(&cfg, "workflow-status-events"),
                         ADAPT_AUTO);
        cfg_free(&cfg);
}
END_TEST

static Suite *cfg_suite(void)
{
        Suite *suite = suite_create("cfg");
        TCase *tc;

        tc = tcase_create("defaults");
        tcase_add_test(tc, test_defaults);
        tcase_add_test(tc, test_defaults_routes);
        tcase_add_test(tc, test_bridge_conf_matches_defaults);
        tcase_add_test(tc, test_bridge_conf_routes_match_defaults);
        suite_add_tcase(suite, tc);

        tc = tcase_create("load_full");
        tcase_add_test(tc, test_full_kafka);
        tcase_add_test(tc, test_full_properties_file);
        tcase_add_test(tc, test_full_source);
        tcase_add_test(tc, test_full_sink);
        tcase_add_test(tc, test_full_routing);
        tcase_add_test(tc, test_full_limits_and_log);
        tcase_add_test(tc, test_load_over_current_values);
        tcase_add_test(tc, test_load_empty_file);
        tcase_add_test(tc, test_load_include_relative);
        tcase_add_test(tc, test_load_int64_in_range);
        tcase_add_test(tc, test_load_limits_at_bounds);
        suite_add_tcase(suite, tc);

        tc = tcase_create("reject_bad_value");
        tcase_add_loop_test(tc, test_bad_value, 0, BAD_ROW_COUNT);
        tcase_add_test(tc, test_bad_value_truncated_message);
        tcase_add_test(tc, test_missing_file);
        tcase_add_test(tc, test_directory_as_file);
        tcase_add_test(tc, test_nul_byte_in_file);
        suite_add_tcase(suite, tc);

        tc = tcase_create("properties_file");
        tcase_add_test(tc, test_properties_file_missing_equals);
        tcase_add_test(tc, test_properties_file_protected);
        tcase_add_test(tc, test_properties_file_relative);
        tcase_add_test(tc, test_properties_file_overrides_list);
        tcase_add_test(tc, test_document_relative);
        suite_add_tcase(suite, tc);

        tc = tcase_create("transactional_id");
        tcase_add_test(tc, test_exactly_once_default_id);
        tcase_add_test(tc, test_group_id_rederives_default_id);
        tcase_add_test(tc, test_group_id_keeps_explicit_id);
        tcase_add_test(tc, test_group_id_without_transactions);
        suite_add_tcase(suite, tc);

        tc = tcase_create("protected_property");
        tcase_add_loop_test(tc, test_protected_name, 0, PROTECTED_COUNT);
        tcase_add_loop_test(tc, test_protected_arg_rejected, 0,
                            PROTECTED_COUNT);
        tcase_add_test(tc, test_protected_arg_message);
        tcase_add_test(tc, test_unprotected_names);
        tcase_add_test(tc, test_property_arg_added);
        tcase_add_test(tc, test_property_arg_malformed);
        suite_add_tcase(suite, tc);

        tc = tcase_create("secret_property");
        tcase_add_loop_test(tc, test_secret_name, 0, SECRET_ROW_COUNT);
        suite_add_tcase(suite, tc);

        tc = tcase_create("topics");
        tcase_add_test(tc, test_topic_name_length);
        tcase_add_test(tc, test_topic_name_control_byte);
        tcase_add_test(tc, test_set_topics_copies);
        tcase_add_test(tc, test_set_string);
        tcase_add_test(tc, test_channel_topic_prefix);
        tcase_add_test(tc, test_source_adapter_default);
        suite_add_tcase(suite, tc);
        return suite;
}

static void remove_tmp_dir(void)
{
        static const char *const names[] = {
                "bad.conf",      "small.conf",    "partial.conf",
                "empty.conf",    "int64.conf",    "bounds.conf",
                "props.conf",    "relative.conf", "copy.properties",
                "override.conf", "doc.conf",      "doc.yaml",
                "nul.conf",
        };
        char path[512];

        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
                snprintf(path, sizeof(path), "%s/%s", tmp_dir, names[i]);
                unlink(path);
        }
        rmdir(tmp_dir);
}

int main(void)
{
        SRunner *runner;
        int failed;

        if (mkdtemp(tmp_dir) == NULL) {
                perror("mkdtemp");
                return EXIT_FAILURE;
        }
        /* Routing keys that Conductor never sends are logged as warnings;
         * the tests check results, not the log. */
        log_set_level(LOG_LEVEL_ERR);
        runner = srunner_create(cfg_suite());
        srunner_run_all(runner, CK_NORMAL);
        failed = srunner_ntests_failed(runner);
        srunner_free(runner);
        remove_tmp_dir();
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
