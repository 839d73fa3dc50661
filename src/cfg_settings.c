/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The settings of the configuration file, group by group: which names
 * exist, their types and ranges, and where each value goes in struct cfg.
 */
#include "cfg.h"

#include <errno.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "cfg_internal.h"
#include "log.h"

#define CFG_MAX_VALUE_BYTES_LIMIT  (100 * 1024 * 1024)
#define CFG_MAX_DEPTH_LIMIT        10000
#define CFG_TIMEOUT_MS_LIMIT       3600000
#define CFG_DECISION_THREADS_LIMIT 64
/* librdkafka's default transaction.timeout.ms: a transaction kept open
 * longer is aborted by the transaction coordinator. */
#define CFG_TRANSACTION_INTERVAL_MS_LIMIT 60000

/* kafka group */

static int cfg_read_brokers(struct cfg_loader *loader,
                            const config_setting_t *setting)
{
        const char *value;

        if (cfg_read_nonempty_string(loader, setting, &value) != 0)
                return -1;
        cfg_set_string(&loader->cfg->brokers, value);
        return 0;
}

static int cfg_read_property_list(struct cfg_loader *loader,
                                  const config_setting_t *setting,
                                  struct cfg_properties *props)
{
        char reason[512];

        if (!cfg_is_list_or_array(setting))
                return cfg_fail(loader, setting,
                                "expected a list of (\"name\", \"value\") "
                                "pairs, got %s",
                                cfg_type_name(setting));

        for (int i = 0; i < config_setting_length(setting); i++) {
                const config_setting_t *pair =
                        config_setting_get_elem(setting, (unsigned)i);

                if (!cfg_is_list_or_array(pair) ||
                    config_setting_length(pair) != 2 ||
                    config_setting_type(config_setting_get_elem(pair, 0)) !=
                            CONFIG_TYPE_STRING ||
                    config_setting_type(config_setting_get_elem(pair, 1)) !=
                            CONFIG_TYPE_STRING)
                        return cfg_fail(loader, pair,
                                        "expected a (\"name\", \"value\") "
                                        "pair of strings");

                const char *name = config_setting_get_string_elem(pair, 0);
                const char *value = config_setting_get_string_elem(pair, 1);
                if (cfg_check_property_name(name, reason, sizeof(reason)) != 0)
                        return cfg_fail(loader, pair, "%s", reason);
                cfg_properties_set(props, name, value);
        }
        return 0;
}

static int cfg_read_properties(struct cfg_loader *loader,
                               const config_setting_t *setting)
{
        return cfg_read_property_list(loader, setting,
                                      &loader->cfg->properties);
}

static int cfg_read_consumer_properties(struct cfg_loader *loader,
                                        const config_setting_t *setting)
{
        return cfg_read_property_list(loader, setting,
                                      &loader->cfg->consumer_properties);
}

static int cfg_read_producer_properties(struct cfg_loader *loader,
                                        const config_setting_t *setting)
{
        return cfg_read_property_list(loader, setting,
                                      &loader->cfg->producer_properties);
}

static void cfg_trim(char **start)
{
        char *s = *start;
        size_t len;

        while (*s == ' ' || *s == '\t')
                s++;
        len = strlen(s);
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
                           s[len - 1] == '\r' || s[len - 1] == '\n'))
                s[--len] = '\0';
        *start = s;
}

/*
 * Parses one line of a properties file in place. Returns 1 for a blank or
 * comment line, 0 with *name and *value set, or -1 when '=' is missing.
 */
static int cfg_parse_property_line(char *line, char **name, char **value)
{
        char *text = line;
        char *eq;

        cfg_trim(&text);
        if (text[0] == '\0' || text[0] == '#')
                return 1;
        eq = strchr(text, '=');
        if (eq == NULL)
                return -1;
        *eq = '\0';
        *name = text;
        *value = eq + 1;
        cfg_trim(name);
        cfg_trim(value);
        return 0;
}

static void cfg_warn_if_shared(FILE *fp, const char *path)
{
        struct stat st;

        if (fstat(fileno(fp), &st) == 0 && (st.st_mode & S_IROTH))
                log_msg(LOG_LEVEL_WARNING, "CONFIG",
                        "properties file %s is readable by every user; "
                        "restrict it (chmod 600) if it holds secrets",
                        path);
}

/*
 * Reads name=value lines into the properties of both clients. Messages
 * name the file, line and property but never a value, so secrets stay out
 * of logs.
 */
static int cfg_read_properties_lines(struct cfg_loader *loader,
                                     const config_setting_t *setting, FILE *fp,
                                     const char *path)
{
        char reason[512];
        char *line = NULL;
        size_t line_cap = 0;
        unsigned line_no = 0;
        int rc = 0;

        while (rc == 0 && getline(&line, &line_cap, fp) >= 0) {
                char *name;
                char *value;
                int kind = cfg_parse_property_line(line, &name, &value);

                line_no++;
                if (kind == 1)
                        continue;
                if (kind < 0)
                        rc = cfg_fail(loader, setting,
                                      "%s:%u: missing '=' (write "
                                      "name=value)",
                                      path, line_no);
                else if (cfg_check_property_name(name, reason,
                                                 sizeof(reason)) != 0)
                        rc = cfg_fail(loader, setting, "%s:%u: %s", path,
                                      line_no, reason);
                else
                        cfg_properties_set(&loader->cfg->properties, name,
                                           value);
        }
        if (rc == 0 && ferror(fp))
                rc = cfg_fail(loader, setting, "cannot read \"%s\": %s", path,
                              strerror(errno));
        free(line);
        return rc;
}

static int cfg_read_properties_file(struct cfg_loader *loader,
                                    const config_setting_t *setting)
{
        const char *value;
        char *path;
        FILE *fp;
        int rc;

        if (cfg_read_nonempty_string(loader, setting, &value) != 0)
                return -1;
        path = cfg_resolve_path(loader, value);
        fp = fopen(path, "r");
        if (fp == NULL) {
                rc = cfg_fail(loader, setting, "cannot open \"%s\": %s", path,
                              strerror(errno));
                free(path);
                return rc;
        }
        cfg_warn_if_shared(fp, path);
        rc = cfg_read_properties_lines(loader, setting, fp, path);
        fclose(fp);
        free(path);
        return rc;
}

static const struct cfg_field cfg_kafka_fields[] = {
        {"brokers", cfg_read_brokers},
        {"properties", cfg_read_properties},
        {"consumer_properties", cfg_read_consumer_properties},
        {"producer_properties", cfg_read_producer_properties},
        {"properties_file", cfg_read_properties_file},
};

static int cfg_read_kafka(struct cfg_loader *loader,
                          const config_setting_t *setting)
{
        return cfg_read_fields(loader, setting, cfg_kafka_fields,
                               CFG_COUNT(cfg_kafka_fields));
}

/* source group */

/* Returns the index of an earlier element of list equal to text, or -1. */
static int cfg_find_earlier(const config_setting_t *list, int before,
                            const char *member, const char *text)
{
        for (int i = 0; i < before; i++) {
                const config_setting_t *elem =
                        config_setting_get_elem(list, (unsigned)i);
                const char *other = NULL;

                if (member != NULL)
                        config_setting_lookup_string(elem, member, &other);
                else
                        other = config_setting_get_string(elem);
                if (other != NULL && strcmp(other, text) == 0)
                        return i;
        }
        return -1;
}

static int cfg_read_topics(struct cfg_loader *loader,
                           const config_setting_t *setting)
{
        int count;
        char **topics;

        if (!cfg_is_list_or_array(setting))
                return cfg_fail(loader, setting,
                                "expected a list of topic names, got %s",
                                cfg_type_name(setting));
        count = config_setting_length(setting);
        if (count == 0)
                return cfg_fail(loader, setting,
                                "the list is empty (name at least one "
                                "source topic)");

        for (int i = 0; i < count; i++) {
                const config_setting_t *elem =
                        config_setting_get_elem(setting, (unsigned)i);
                const char *topic;

                if (cfg_read_topic(loader, elem, &topic) != 0)
                        return -1;
                if (cfg_find_earlier(setting, i, NULL, topic) >= 0)
                        return cfg_fail(loader, elem, "\"%s\" is listed twice",
                                        topic);
        }

        topics = xcalloc((size_t)count, sizeof(*topics));
        for (int i = 0; i < count; i++)
                topics[i] = (char *)config_setting_get_string_elem(setting, i);
        cfg_set_topics(loader->cfg, topics, (size_t)count);
        free(topics);
        return 0;
}

static int cfg_read_group_id(struct cfg_loader *loader,
                             const config_setting_t *setting)
{
        const char *value;

        if (cfg_read_nonempty_string(loader, setting, &value) != 0)
                return -1;
        cfg_set_group_id(loader->cfg, value);
        return 0;
}

static int cfg_read_auto_offset_reset(struct cfg_loader *loader,
                                      const config_setting_t *setting)
{
        static const char *const choices[] = {"earliest", "latest", "error"};
        size_t index;

        if (cfg_read_choice(loader, setting, choices, CFG_COUNT(choices),
                            &index) != 0)
                return -1;
        cfg_set_string(&loader->cfg->auto_offset_reset, choices[index]);
        return 0;
}

static void cfg_set_adapter(struct cfg *cfg, const char *topic,
                            enum adapt_shape shape)
{
        for (size_t i = 0; i < cfg->adapter_count; i++) {
                if (strcmp(cfg->adapters[i].topic, topic) == 0) {
                        cfg->adapters[i].shape = shape;
                        return;
                }
        }
        cfg->adapters = xrealloc(cfg->adapters, (cfg->adapter_count + 1) *
                                                        sizeof(*cfg->adapters));
        cfg->adapters[cfg->adapter_count].topic = xstrdup(topic);
        cfg->adapters[cfg->adapter_count].shape = shape;
        cfg->adapter_count++;
}

static int cfg_read_adapter(struct cfg_loader *loader,
                            const config_setting_t *list, int index)
{
        static const char *const names[2] = {"topic", "shape"};
        const config_setting_t *group =
                config_setting_get_elem(list, (unsigned)index);
        const config_setting_t *members[2];
        const char *topic;
        const char *shape_name;
        enum adapt_shape shape;

        if (cfg_read_string_pair(loader, group, names, members) != 0 ||
            cfg_read_topic(loader, members[0], &topic) != 0 ||
            cfg_read_string(loader, members[1], &shape_name) != 0)
                return -1;
        if (cfg_find_earlier(list, index, "topic", topic) >= 0)
                return cfg_fail(loader, members[0],
                                "\"%s\" already has an adapter", topic);
        /* The accepted names below must match adapt_shape_parse(). */
        if (adapt_shape_parse(shape_name, &shape) != 0)
                return cfg_fail(loader, members[1],
                                "\"%s\" is not valid (use auto, native, "
                                "envelope, workflow_summary or "
                                "task_summary)",
                                shape_name);
        cfg_set_adapter(loader->cfg, topic, shape);
        return 0;
}

static int cfg_read_adapters(struct cfg_loader *loader,
                             const config_setting_t *setting)
{
        if (!config_setting_is_list(setting))
                return cfg_fail(loader, setting,
                                "expected a list ( { topic = \"...\"; "
                                "shape = \"...\"; }, ... ), got %s",
                                cfg_type_name(setting));
        for (int i = 0; i < config_setting_length(setting); i++) {
                if (cfg_read_adapter(loader, setting, i) != 0)
                        return -1;
        }
        return 0;
}

static const struct cfg_field cfg_source_fields[] = {
        {"topics", cfg_read_topics},
        {"group_id", cfg_read_group_id},
        {"auto_offset_reset", cfg_read_auto_offset_reset},
        {"adapters", cfg_read_adapters},
};

static int cfg_read_source(struct cfg_loader *loader,
                           const config_setting_t *setting)
{
        return cfg_read_fields(loader, setting, cfg_source_fields,
                               CFG_COUNT(cfg_source_fields));
}

/* sink group */

static int cfg_read_topic_prefix(struct cfg_loader *loader,
                                 const config_setting_t *setting)
{
        char reason[512];
        const char *value;

        if (cfg_read_string(loader, setting, &value) != 0)
                return -1;
        if (cfg_check_topic_chars(value, reason, sizeof(reason)) != 0)
                return cfg_fail(loader, setting, "%s", reason);
        if (strlen(value) >= CFG_TOPIC_NAME_MAX)
                return cfg_fail(loader, setting,
                                "the prefix leaves no room for a channel "
                                "name (Kafka topic names have at most %d "
                                "characters)",
                                CFG_TOPIC_NAME_MAX);
        cfg_set_string(&loader->cfg->topic_prefix, value);
        return 0;
}

static int cfg_read_dlq_topic(struct cfg_loader *loader,
                              const config_setting_t *setting)
{
        const char *value;

        if (cfg_read_topic(loader, setting, &value) != 0)
                return -1;
        cfg_set_string(&loader->cfg->dlq_topic, value);
        return 0;
}

static void cfg_set_channel(struct cfg *cfg, const char *name,
                            const char *topic)
{
        for (size_t i = 0; i < cfg->channel_count; i++) {
                if (strcmp(cfg->channels[i].name, name) == 0) {
                        cfg_set_string(&cfg->channels[i].topic, topic);
                        return;
                }
        }
        cfg->channels = xrealloc(cfg->channels, (cfg->channel_count + 1) *
                                                        sizeof(*cfg->channels));
        cfg->channels[cfg->channel_count].name = xstrdup(name);
        cfg->channels[cfg->channel_count].topic = xstrdup(topic);
        cfg->channel_count++;
}

static int cfg_read_channel(struct cfg_loader *loader,
                            const config_setting_t *list, int index)
{
        static const char *const names[2] = {"name", "topic"};
        const config_setting_t *group =
                config_setting_get_elem(list, (unsigned)index);
        const config_setting_t *members[2];
        const char *name;
        const char *topic;

        /* Whether the channel exists is checked later against the
         * AsyncAPI document, which may still change with --asyncapi. */
        if (cfg_read_string_pair(loader, group, names, members) != 0 ||
            cfg_read_nonempty_string(loader, members[0], &name) != 0 ||
            cfg_read_topic(loader, members[1], &topic) != 0)
                return -1;
        if (cfg_find_earlier(list, index, "name", name) >= 0)
                return cfg_fail(loader, members[0],
                                "channel \"%s\" is listed twice", name);
        cfg_set_channel(loader->cfg, name, topic);
        return 0;
}

static int cfg_read_channels(struct cfg_loader *loader,
                             const config_setting_t *setting)
{
        if (!config_setting_is_list(setting))
                return cfg_fail(loader, setting,
                                "expected a list ( { name = \"...\"; "
                                "topic = \"...\"; }, ... ), got %s",
                                cfg_type_name(setting));
        for (int i = 0; i < config_setting_length(setting); i++) {
                if (cfg_read_channel(loader, setting, i) != 0)
                        return -1;
        }
        return 0;
}

static int cfg_read_delivery(struct cfg_loader *loader,
                             const config_setting_t *setting)
{
        static const char *const choices[] = {"at-least-once", "exactly-once"};
        size_t index;

        if (cfg_read_choice(loader, setting, choices, CFG_COUNT(choices),
                            &index) != 0)
                return -1;
        loader->cfg->delivery = index == 0 ? CFG_DELIVERY_AT_LEAST_ONCE
                                           : CFG_DELIVERY_EXACTLY_ONCE;
        return 0;
}

static int cfg_read_transactional_id(struct cfg_loader *loader,
                                     const config_setting_t *setting)
{
        const char *value;

        if (cfg_read_nonempty_string(loader, setting, &value) != 0)
                return -1;
        cfg_set_string(&loader->cfg->transactional_id, value);
        loader->transactional_id_set = 1;
        return 0;
}

static int cfg_read_transaction_interval(struct cfg_loader *loader,
                                         const config_setting_t *setting)
{
        long long value;

        if (cfg_read_integer(loader, setting, 1,
                             CFG_TRANSACTION_INTERVAL_MS_LIMIT, "ms",
                             &value) != 0)
                return -1;
        loader->cfg->transaction_interval_ms = (int)value;
        return 0;
}

static const struct cfg_field cfg_sink_fields[] = {
        {"topic_prefix", cfg_read_topic_prefix},
        {"dlq_topic", cfg_read_dlq_topic},
        {"channels", cfg_read_channels},
        {"delivery", cfg_read_delivery},
        {"transactional_id", cfg_read_transactional_id},
        {"transaction_interval_ms", cfg_read_transaction_interval},
};

static int cfg_read_sink(struct cfg_loader *loader,
                         const config_setting_t *setting)
{
        return cfg_read_fields(loader, setting, cfg_sink_fields,
                               CFG_COUNT(cfg_sink_fields));
}

/* routing group */

/* The values Conductor itself sends, per routing map. */
static const char *const cfg_workflow_statuses[] = {
        "RUNNING",    "COMPLETED", "FAILED", "TIMED_OUT",
        "TERMINATED", "PAUSED",    NULL,
};
static const char *const cfg_task_statuses[] = {
        "IN_PROGRESS", "CANCELED",
        "FAILED",      "FAILED_WITH_TERMINAL_ERROR",
        "COMPLETED",   "COMPLETED_WITH_ERRORS",
        "SCHEDULED",   "TIMED_OUT",
        "SKIPPED",     NULL,
};
static const char *const cfg_event_types[] = {
        "STARTED",   "RERAN",     "RETRIED",    "PAUSED",    "RESUMED",
        "RESTARTED", "COMPLETED", "TERMINATED", "FINALIZED", NULL,
};

/*
 * Logs a warning for a key that Conductor never sends. Such a key is
 * allowed for other producers, but it is more likely a typo, which would
 * leave the intended status on its default route.
 */
static void cfg_warn_unknown_route_key(struct cfg_loader *loader,
                                       const config_setting_t *setting,
                                       enum route_map map)
{
        static const char *const *const known[ROUTE_MAP_COUNT] = {
                [ROUTE_WORKFLOW_STATUS] = cfg_workflow_statuses,
                [ROUTE_TASK_STATUS] = cfg_task_statuses,
                [ROUTE_EVENT_TYPE] = cfg_event_types,
        };
        const char *key = config_setting_name(setting);
        const char *file = config_setting_source_file(setting);

        for (const char *const *name = known[map]; *name; name++) {
                if (strcmp(*name, key) == 0)
                        return;
        }
        log_msg(LOG_LEVEL_WARNING, "CONFIG",
                "%s:%u: routing.%s.%s: Conductor never sends %s here, so "
                "the entry matches only events from other producers",
                file ? file : loader->path, config_setting_source_line(setting),
                route_map_name(map), key, key);
}

static int cfg_read_route_map(struct cfg_loader *loader,
                              const config_setting_t *group, enum route_map map)
{
        const char *accepted = map == ROUTE_EVENT_TYPE
                                       ? "a channel name, dlq, skip or status"
                                       : "a channel name, dlq or skip";
        char reason[512];

        if (!config_setting_is_group(group))
                return cfg_fail(loader, group,
                                "expected a group { NAME = \"...\"; ... } "
                                "with %s as values, got %s",
                                accepted, cfg_type_name(group));

        for (int i = 0; i < config_setting_length(group); i++) {
                const config_setting_t *entry =
                        config_setting_get_elem(group, (unsigned)i);
                const char *value;

                if (config_setting_type(entry) != CONFIG_TYPE_STRING)
                        return cfg_fail(loader, entry,
                                        "expected a string (%s), got %s",
                                        accepted, cfg_type_name(entry));
                value = config_setting_get_string(entry);
                if (route_table_set(loader->cfg->routes, map,
                                    config_setting_name(entry), value, reason,
                                    sizeof(reason)) != 0)
                        return cfg_fail(loader, entry, "%s", reason);
                cfg_warn_unknown_route_key(loader, entry, map);
        }
        return 0;
}

static int cfg_read_workflow_routes(struct cfg_loader *loader,
                                    const config_setting_t *setting)
{
        return cfg_read_route_map(loader, setting, ROUTE_WORKFLOW_STATUS);
}

static int cfg_read_task_routes(struct cfg_loader *loader,
                                const config_setting_t *setting)
{
        return cfg_read_route_map(loader, setting, ROUTE_TASK_STATUS);
}

static int cfg_read_event_type_routes(struct cfg_loader *loader,
                                      const config_setting_t *setting)
{
        return cfg_read_route_map(loader, setting, ROUTE_EVENT_TYPE);
}

static const struct cfg_field cfg_routing_fields[] = {
        {"workflow_status", cfg_read_workflow_routes},
        {"task_status", cfg_read_task_routes},
        {"event_type", cfg_read_event_type_routes},
};

static int cfg_read_routing(struct cfg_loader *loader,
                            const config_setting_t *setting)
{
        return cfg_read_fields(loader, setting, cfg_routing_fields,
                               CFG_COUNT(cfg_routing_fields));
}

/* limits group */

static int cfg_read_max_value_bytes(struct cfg_loader *loader,
                                    const config_setting_t *setting)
{
        long long value;

        if (cfg_read_integer(loader, setting, 1, CFG_MAX_VALUE_BYTES_LIMIT,
                             "bytes", &value) != 0)
                return -1;
        loader->cfg->max_value_bytes = (size_t)value;
        return 0;
}

static int cfg_read_max_depth(struct cfg_loader *loader,
                              const config_setting_t *setting)
{
        long long value;

        if (cfg_read_integer(loader, setting, 1, CFG_MAX_DEPTH_LIMIT, "",
                             &value) != 0)
                return -1;
        loader->cfg->max_depth = (size_t)value;
        return 0;
}

static const struct cfg_field cfg_limits_fields[] = {
        {"max_value_bytes", cfg_read_max_value_bytes},
        {"max_depth", cfg_read_max_depth},
};

static int cfg_read_limits(struct cfg_loader *loader,
                           const config_setting_t *setting)
{
        return cfg_read_fields(loader, setting, cfg_limits_fields,
                               CFG_COUNT(cfg_limits_fields));
}

/* asyncapi group */

static int cfg_read_document(struct cfg_loader *loader,
                             const config_setting_t *setting)
{
        const char *value;
        char *path;

        if (cfg_read_nonempty_string(loader, setting, &value) != 0)
                return -1;
        path = cfg_resolve_path(loader, value);
        /* Fail here, with the line, rather than when the document loads. */
        if (access(path, R_OK) != 0) {
                int rc = cfg_fail(loader, setting, "cannot read \"%s\": %s",
                                  path, strerror(errno));
                free(path);
                return rc;
        }
        free(loader->cfg->asyncapi_document);
        loader->cfg->asyncapi_document = path;
        return 0;
}

static int cfg_read_format_assertion(struct cfg_loader *loader,
                                     const config_setting_t *setting)
{
        return cfg_read_bool(loader, setting, &loader->cfg->format_assertion);
}

static const struct cfg_field cfg_asyncapi_fields[] = {
        {"document", cfg_read_document},
        {"format_assertion", cfg_read_format_assertion},
};

static int cfg_read_asyncapi(struct cfg_loader *loader,
                             const config_setting_t *setting)
{
        return cfg_read_fields(loader, setting, cfg_asyncapi_fields,
                               CFG_COUNT(cfg_asyncapi_fields));
}

/* log group and top-level settings */

static int cfg_read_log_level(struct cfg_loader *loader,
                              const config_setting_t *setting)
{
        const char *value;
        int level;

        if (cfg_read_string(loader, setting, &value) != 0)
                return -1;
        level = log_level_parse(value);
        if (level < 0)
                return cfg_fail(loader, setting,
                                "\"%s\" is not valid (use err, warning, "
                                "notice, info or debug)",
                                value);
        loader->cfg->log_level = level;
        return 0;
}

static int cfg_read_stats_interval(struct cfg_loader *loader,
                                   const config_setting_t *setting)
{
        long long value;

        if (cfg_read_integer(loader, setting, 0, CFG_TIMEOUT_MS_LIMIT, "ms",
                             &value) != 0)
                return -1;
        loader->cfg->stats_interval_ms = (int)value;
        return 0;
}

static const struct cfg_field cfg_log_fields[] = {
        {"level", cfg_read_log_level},
        {"stats_interval_ms", cfg_read_stats_interval},
};

static int cfg_read_log(struct cfg_loader *loader,
                        const config_setting_t *setting)
{
        return cfg_read_fields(loader, setting, cfg_log_fields,
                               CFG_COUNT(cfg_log_fields));
}

static int cfg_read_shutdown_timeout(struct cfg_loader *loader,
                                     const config_setting_t *setting)
{
        long long value;

        if (cfg_read_integer(loader, setting, 0, CFG_TIMEOUT_MS_LIMIT, "ms",
                             &value) != 0)
                return -1;
        loader->cfg->shutdown_timeout_ms = (int)value;
        return 0;
}

static int cfg_read_decision_threads(struct cfg_loader *loader,
                                     const config_setting_t *setting)
{
        long long value;

        if (cfg_read_integer(loader, setting, 1, CFG_DECISION_THREADS_LIMIT,
                             "threads", &value) != 0)
                return -1;
        loader->cfg->decision_threads = (size_t)value;
        return 0;
}

static const struct cfg_field cfg_root_fields[] = {
        {"kafka", cfg_read_kafka},
        {"source", cfg_read_source},
        {"sink", cfg_read_sink},
        {"routing", cfg_read_routing},
        {"limits", cfg_read_limits},
        {"asyncapi", cfg_read_asyncapi},
        {"shutdown_timeout_ms", cfg_read_shutdown_timeout},
        {"decision_threads", cfg_read_decision_threads},
        {"log", cfg_read_log},
};

int cfg_read_root(struct cfg_loader *loader, const config_setting_t *root)
{
        return cfg_read_fields(loader, root, cfg_root_fields,
                               CFG_COUNT(cfg_root_fields));
}
