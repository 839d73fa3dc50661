/* SPDX-License-Identifier: Apache-2.0 */
/* --check and --validate with the AsyncAPI document (see commands.h). */
#include "commands.h"

#include <stdio.h>

#include "kafka.h"
#include "lines.h"

struct asyncapi_doc *cmd_load_asyncapi(const struct cfg *cfg, char *errstr,
                                       size_t errstr_size)
{
        if (cfg->asyncapi_document)
                return asyncapi_load_file(cfg->asyncapi_document, errstr,
                                          errstr_size);
        return asyncapi_load_builtin(errstr, errstr_size);
}

static void cmd_print_list(const char *label, char *const *items,
                           size_t count)
{
        printf("%s", label);
        for (size_t i = 0; i < count; i++)
                printf("%s%s", i ? ", " : "", items[i]);
        printf("\n");
}

/* Builds both client configurations, so librdkafka checks every property
 * offline. */
static int cmd_check_kafka(const struct cfg *cfg)
{
        static const enum kafka_role roles[] = {KAFKA_CONSUMER,
                                                KAFKA_PRODUCER};
        for (size_t i = 0; i < 2; i++) {
                char err[1024];
                rd_kafka_conf_t *conf = kafka_conf_new(cfg, roles[i], err,
                                                       sizeof(err));
                if (!conf) {
                        fprintf(stderr, "conductor-kafka-bridge: %s\n", err);
                        return -1;
                }
                rd_kafka_conf_destroy(conf);
        }
        return 0;
}

int cmd_check(const struct cfg *cfg, const struct asyncapi_doc *api,
              const struct event_ctx *events)
{
        if (cmd_check_kafka(cfg) != 0)
                return 2;
        printf("AsyncAPI document: %s (%s, asyncapi %s)\n", api->source,
               api->title ? api->title : "untitled",
               api->version ? api->version : "?");
        size_t count = event_channel_count(events);
        printf("channels: %zu\n", count);
        for (size_t i = 0; i < count; i++) {
                const char *name = event_channel_name(events, i);
                const struct asyncapi_channel *ch =
                        asyncapi_find_channel(api, name);
                printf("  %-22s -> topic %s (message %s)\n", name,
                       event_channel_topic(events, i),
                       ch && ch->message_name ? ch->message_name : "-");
        }
        printf("dead-letter topic: %s\n", cfg->dlq_topic);
        cmd_print_list("source topics: ", cfg->topics, cfg->topic_count);
        printf("group: %s\n", cfg->group_id);
        printf("brokers: %s\n", cfg->brokers);
        printf("delivery: %s\n",
               cfg->delivery == CFG_DELIVERY_EXACTLY_ONCE ? "exactly-once"
                                                          : "at-least-once");
        printf("limits: max_value_bytes=%zu max_depth=%zu\n",
               cfg->max_value_bytes, cfg->max_depth);
        printf("decision threads: %zu\n", cfg->decision_threads);
        printf("shutdown timeout: %d ms\n", cfg->shutdown_timeout_ms);
        printf("configuration is usable\n");
        return 0;
}

struct cmd_validate_state {
        struct event_ctx *events;
        const char *source_topic;
        FILE *out;
        int invalid;
};

static int cmd_validate_line(const char *line, size_t len, void *opaque)
{
        struct cmd_validate_state *st = opaque;
        struct event_result res;
        event_process(st->events, st->source_topic, line, len, 0, &res);
        switch (res.action) {
        case EVENT_PRODUCE:
                fprintf(st->out, "ok %s\n", res.channel);
                break;
        case EVENT_SKIP:
                fprintf(st->out, "skip %s\n", res.reason);
                break;
        case EVENT_DLQ:
                fprintf(st->out, "invalid %s\n", res.reason);
                st->invalid = 1;
                break;
        }
        return 0;
}

int cmd_validate(struct event_ctx *events, const char *input_path,
                 const char *source_topic)
{
        static char out_buf[1 << 16];
        struct cmd_validate_state st = {events, source_topic, stdout, 0};
        char err[1024];
        setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
        if (lines_foreach(input_path, cmd_validate_line, &st, err,
                          sizeof(err)) < 0) {
                fflush(stdout);
                fprintf(stderr, "conductor-kafka-bridge: --validate %s\n",
                        err);
                return 2;
        }
        if (fflush(stdout) != 0)
                return 2;
        return st.invalid ? 1 : 0;
}
