/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The configuration's defaults, setters, librdkafka property rules and
 * topic lookups. Reading the libconfig file is in cfg_file.c.
 */
#include "cfg.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "alloc.h"
#include "buf.h"
#include "cfg_internal.h"
#include "log.h"

#define CFG_DEFAULT_AUTO_OFFSET_RESET       "earliest"
#define CFG_DEFAULT_TRANSACTION_INTERVAL_MS 100
#define CFG_DEFAULT_STATS_INTERVAL_MS       30000

/* A librdkafka property that the properties lists and -X may not set. */
struct cfg_protected_property {
        const char *name;
        /* The reason it is fixed, or NULL when it has its own setting. */
        const char *reason;
        const char *setting; /* the setting to use instead */
};

static const struct cfg_protected_property cfg_protected_properties[] = {
        {"enable.auto.commit",
         "the bridge commits an offset only after the sink acknowledged "
         "every record derived from it",
         NULL},
        {"auto.commit.enable", /* librdkafka's older topic-level alias */
         "the bridge commits an offset only after the sink acknowledged "
         "every record derived from it",
         NULL},
        {"enable.auto.offset.store",
         "the bridge stores an offset only after the sink acknowledged "
         "every record derived from it",
         NULL},
        {"enable.idempotence",
         "the producer must be idempotent so that retries neither "
         "duplicate nor reorder records",
         NULL},
        {"acks",
         "the producer waits for acks=all so that an acknowledged record "
         "is on every in-sync replica",
         NULL},
        {"request.required.acks", /* librdkafka's alias of acks */
         "the producer waits for acks=all so that an acknowledged record "
         "is on every in-sync replica",
         NULL},
        {"isolation.level",
         "the consumer reads committed records only, so records of aborted "
         "transactions are never bridged",
         NULL},
        {"bootstrap.servers", NULL, "kafka.brokers or -b"},
        {"metadata.broker.list", NULL, "kafka.brokers or -b"},
        {"group.id", NULL, "source.group_id or -G"},
        {"transactional.id", NULL, "sink.transactional_id"},
        {"auto.offset.reset", NULL, "source.auto_offset_reset"},
};

static const struct cfg_protected_property *cfg_find_protected(const char *name)
{
        size_t count = sizeof(cfg_protected_properties) /
                       sizeof(cfg_protected_properties[0]);

        /* librdkafka also accepts topic properties with a "topic." prefix,
         * so "topic.acks" sets acks. */
        if (strncasecmp(name, "topic.", 6) == 0)
                name += 6;
        for (size_t i = 0; i < count; i++) {
                if (strcasecmp(cfg_protected_properties[i].name, name) == 0)
                        return &cfg_protected_properties[i];
        }
        return NULL;
}

int cfg_property_is_protected(const char *name)
{
        return cfg_find_protected(name) != NULL;
}

int cfg_check_property_name(const char *name, char *errstr, size_t errstr_size)
{
        const struct cfg_protected_property *protected;

        if (name[0] == '\0') {
                snprintf(errstr, errstr_size,
                         "the property name is empty (write name=value)");
                return -1;
        }
        for (const char *p = name; *p; p++) {
                if (isspace((unsigned char)*p)) {
                        snprintf(errstr, errstr_size,
                                 "\"%s\" is not a property name (it "
                                 "contains white space)",
                                 name);
                        return -1;
                }
        }
        protected = cfg_find_protected(name);
        if (protected == NULL)
                return 0;
        if (protected->reason != NULL)
                snprintf(errstr, errstr_size, "%s cannot be overridden (%s)",
                         name, protected->reason);
        else
                snprintf(errstr, errstr_size,
                         "%s cannot be set as a property (use %s)", name,
                         protected->setting);
        return -1;
}

int cfg_property_is_secret(const char *name)
{
        static const char *const words[] = {"password", "secret", "key",
                                            "token", "credential"};
        char lower[256];
        size_t len = strlen(name);

        if (len >= sizeof(lower))
                return 1; /* an unusually long name: treat it as secret */
        for (size_t i = 0; i <= len; i++)
                lower[i] = (char)tolower((unsigned char)name[i]);

        for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
                if (strstr(lower, words[i]) != NULL)
                        return 1;
        }
        /* SASL settings carry user names, passwords and whole JAAS or
         * OAUTHBEARER configurations; only the mechanism is harmless. */
        if (strncmp(lower, "sasl.", 5) == 0)
                return strcmp(lower, "sasl.mechanism") != 0 &&
                       strcmp(lower, "sasl.mechanisms") != 0;
        return 0;
}

void cfg_properties_set(struct cfg_properties *props, const char *name,
                        const char *value)
{
        for (size_t i = 0; i < props->count; i++) {
                if (strcmp(props->items[i].name, name) == 0) {
                        cfg_set_string(&props->items[i].value, value);
                        return;
                }
        }
        props->items = xrealloc(props->items,
                                (props->count + 1) * sizeof(*props->items));
        props->items[props->count].name = xstrdup(name);
        props->items[props->count].value = xstrdup(value);
        props->count++;
}

static void cfg_properties_free(struct cfg_properties *props)
{
        for (size_t i = 0; i < props->count; i++) {
                free(props->items[i].name);
                free(props->items[i].value);
        }
        free(props->items);
        props->items = NULL;
        props->count = 0;
}

int cfg_add_property_arg(struct cfg *cfg, const char *name_value, char *errstr,
                         size_t errstr_size)
{
        const char *eq = strchr(name_value, '=');
        char reason[512];

        if (eq == NULL) {
                snprintf(errstr, errstr_size,
                         "-X %s: expected name=value, e.g. -X "
                         "security.protocol=SASL_SSL",
                         name_value);
                return -1;
        }

        char *name = xstrndup(name_value, (size_t)(eq - name_value));
        int rc = cfg_check_property_name(name, reason, sizeof(reason));

        if (rc != 0)
                snprintf(errstr, errstr_size, "-X %s: %s", name, reason);
        else
                cfg_properties_set(&cfg->properties, name, eq + 1);
        free(name);
        return rc;
}

int cfg_check_topic_chars(const char *text, char *errstr, size_t errstr_size)
{
        for (const char *p = text; *p; p++) {
                unsigned char c = (unsigned char)*p;
                if (isalnum(c) || c == '.' || c == '_' || c == '-')
                        continue;
                if (isprint(c))
                        snprintf(errstr, errstr_size,
                                 "\"%s\" contains '%c' (topic names allow "
                                 "letters, digits, '.', '_' and '-')",
                                 text, c);
                else
                        snprintf(errstr, errstr_size,
                                 "\"%s\" contains byte 0x%02x (topic names "
                                 "allow letters, digits, '.', '_' and '-')",
                                 text, c);
                return -1;
        }
        return 0;
}

int cfg_check_topic_name(const char *topic, char *errstr, size_t errstr_size)
{
        size_t len = strlen(topic);

        if (len == 0) {
                snprintf(errstr, errstr_size, "the topic name is empty");
                return -1;
        }
        if (len > CFG_TOPIC_NAME_MAX) {
                snprintf(errstr, errstr_size,
                         "the topic name is %zu characters long (Kafka "
                         "allows at most %d)",
                         len, CFG_TOPIC_NAME_MAX);
                return -1;
        }
        if (strcmp(topic, ".") == 0 || strcmp(topic, "..") == 0) {
                snprintf(errstr, errstr_size,
                         "\"%s\" is not a valid topic name", topic);
                return -1;
        }
        return cfg_check_topic_chars(topic, errstr, errstr_size);
}

/*
 * NOTE: the default is unique per process (group id, host name and process
 * id), because bridges of one group that shared a transactional id would
 * fence each other. Offsets committed inside the transaction with the
 * consumer group metadata (Kafka's KIP-447) keep exactly-once with a new id
 * per restart. But a transaction left open by a crashed process then
 * blocks read_committed consumers of the sink topics until
 * transaction.timeout.ms expires. A stable sink.transactional_id per
 * process avoids that wait.
 */
char *cfg_default_transactional_id(const char *group_id)
{
        char host[256] = "localhost";
        struct buf id = BUF_INIT;

        if (gethostname(host, sizeof(host)) != 0)
                strcpy(host, "localhost");
        host[sizeof(host) - 1] = '\0';
        buf_printf(&id, "%s-%s-%ld", group_id, host, (long)getpid());
        return id.data;
}

void cfg_set_string(char **field, const char *value)
{
        char *copy = value ? xstrdup(value) : NULL;

        free(*field);
        *field = copy;
}

void cfg_set_group_id(struct cfg *cfg, const char *group_id)
{
        int derived = 0;

        if (cfg->transactional_id != NULL) {
                char *old = cfg_default_transactional_id(cfg->group_id);
                derived = strcmp(old, cfg->transactional_id) == 0;
                free(old);
        }
        cfg_set_string(&cfg->group_id, group_id);
        if (derived) {
                free(cfg->transactional_id);
                cfg->transactional_id =
                        cfg_default_transactional_id(cfg->group_id);
        }
}

static void cfg_free_topics(struct cfg *cfg)
{
        for (size_t i = 0; i < cfg->topic_count; i++)
                free(cfg->topics[i]);
        free(cfg->topics);
        cfg->topics = NULL;
        cfg->topic_count = 0;
}

void cfg_set_topics(struct cfg *cfg, char **topics, size_t count)
{
        char **copy = xcalloc(count ? count : 1, sizeof(*copy));

        for (size_t i = 0; i < count; i++)
                copy[i] = xstrdup(topics[i]);
        cfg_free_topics(cfg);
        cfg->topics = copy;
        cfg->topic_count = count;
}

void cfg_init(struct cfg *cfg)
{
        char *topics[] = {CFG_DEFAULT_WORKFLOW_TOPIC, CFG_DEFAULT_TASK_TOPIC};

        memset(cfg, 0, sizeof(*cfg));
        cfg->brokers = xstrdup(CFG_DEFAULT_BROKERS);

        cfg_set_topics(cfg, topics, 2);
        cfg->group_id = xstrdup(CFG_DEFAULT_GROUP_ID);
        cfg->auto_offset_reset = xstrdup(CFG_DEFAULT_AUTO_OFFSET_RESET);

        cfg->topic_prefix = xstrdup("");
        cfg->dlq_topic = xstrdup(CFG_DEFAULT_DLQ_TOPIC);
        cfg->delivery = CFG_DELIVERY_AT_LEAST_ONCE;
        cfg->transaction_interval_ms = CFG_DEFAULT_TRANSACTION_INTERVAL_MS;

        cfg->routes = route_table_new_default();

        cfg->max_value_bytes = CFG_DEFAULT_MAX_VALUE_BYTES;
        cfg->max_depth = CFG_DEFAULT_MAX_DEPTH;
        cfg->format_assertion = 1;
        cfg->shutdown_timeout_ms = CFG_DEFAULT_SHUTDOWN_TIMEOUT_MS;
        cfg->decision_threads = CFG_DEFAULT_DECISION_THREADS;

        cfg->log_level = LOG_LEVEL_NOTICE;
        cfg->stats_interval_ms = CFG_DEFAULT_STATS_INTERVAL_MS;
}

void cfg_free(struct cfg *cfg)
{
        free(cfg->brokers);
        cfg_properties_free(&cfg->properties);
        cfg_properties_free(&cfg->consumer_properties);
        cfg_properties_free(&cfg->producer_properties);

        cfg_free_topics(cfg);
        free(cfg->group_id);
        free(cfg->auto_offset_reset);
        for (size_t i = 0; i < cfg->adapter_count; i++)
                free(cfg->adapters[i].topic);
        free(cfg->adapters);

        free(cfg->topic_prefix);
        free(cfg->dlq_topic);
        for (size_t i = 0; i < cfg->channel_count; i++) {
                free(cfg->channels[i].name);
                free(cfg->channels[i].topic);
        }
        free(cfg->channels);
        free(cfg->transactional_id);

        route_table_destroy(cfg->routes);
        free(cfg->asyncapi_document);
        memset(cfg, 0, sizeof(*cfg));
}

void cfg_channel_topic(const struct cfg *cfg, const char *channel, char *out,
                       size_t out_size)
{
        if (out_size == 0)
                return;
        for (size_t i = 0; i < cfg->channel_count; i++) {
                if (strcmp(cfg->channels[i].name, channel) == 0) {
                        snprintf(out, out_size, "%s", cfg->channels[i].topic);
                        return;
                }
        }
        snprintf(out, out_size, "%s%s", cfg->topic_prefix, channel);
}

enum adapt_shape cfg_source_adapter(const struct cfg *cfg, const char *topic)
{
        for (size_t i = 0; i < cfg->adapter_count; i++) {
                if (strcmp(cfg->adapters[i].topic, topic) == 0)
                        return cfg->adapters[i].shape;
        }
        return ADAPT_AUTO;
}
