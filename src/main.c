/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conductor-kafka-bridge: reads the command line and configuration, then
 * runs one of the offline commands or the bridge itself. Only this file
 * decides the exit status.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <librdkafka/rdkafka.h>

#include "bridge.h"
#include "cli.h"
#include "commands.h"
#include "embedded.h"
#include "log.h"

#define MAIN_EMBEDDED_PARTITIONS 4

static void main_on_signal(int sig)
{
        (void)sig;
        bridge_request_stop();
}

static void main_install_signals(void)
{
        struct sigaction sa;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = main_on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        signal(SIGPIPE, SIG_IGN);
}

static int main_load_config(const struct cli_options *opts, struct cfg *cfg)
{
        char err[2048];
        if (opts->config_file &&
            cfg_load_file(cfg, opts->config_file, err, sizeof(err)) != 0) {
                fprintf(stderr, "conductor-kafka-bridge: %s\n", err);
                return -1;
        }
        if (cli_apply(opts, cfg, err, sizeof(err)) != 0) {
                fprintf(stderr, "conductor-kafka-bridge: %s\n", err);
                return -1;
        }
        log_set_level(cfg->log_level);
        return 0;
}

/* Starts the embedded cluster with the source topics and points the
 * configuration at it. */
static struct embedded_kafka *main_start_embedded(int brokers,
                                                  struct cfg *cfg)
{
        char err[512];
        struct embedded_kafka *ek = embedded_kafka_start(brokers, err,
                                                         sizeof(err));
        if (!ek) {
                fprintf(stderr, "conductor-kafka-bridge: %s\n", err);
                return NULL;
        }
        for (size_t i = 0; i < cfg->topic_count; i++) {
                if (embedded_kafka_create_topic(ek, cfg->topics[i],
                                                MAIN_EMBEDDED_PARTITIONS, err,
                                                sizeof(err)) != 0) {
                        fprintf(stderr, "conductor-kafka-bridge: %s\n", err);
                        embedded_kafka_stop(ek);
                        return NULL;
                }
        }
        cfg_set_string(&cfg->brokers, embedded_kafka_bootstraps(ek));
        fprintf(stderr, "embedded kafka: %s\n", cfg->brokers);
        return ek;
}

static int main_run_bridge(const struct cli_options *opts, struct cfg *cfg,
                           const struct asyncapi_doc *api,
                           struct event_ctx *events)
{
        char err[2048];
        struct decide_pool *pool = decide_pool_new(
                cfg, api, events, cfg->decision_threads, err, sizeof(err));
        if (!pool) {
                fprintf(stderr, "conductor-kafka-bridge: %s\n", err);
                return 1;
        }
        struct embedded_kafka *ek = NULL;
        if (opts->embedded_brokers > 0) {
                ek = main_start_embedded(opts->embedded_brokers, cfg);
                if (!ek) {
                        decide_pool_destroy(pool);
                        return 1;
                }
        }
        main_install_signals();
        int rc = bridge_run(cfg, events, pool, opts->exit_on_eof);
        embedded_kafka_stop(ek);
        decide_pool_destroy(pool);
        return rc;
}

static int main_with_config(const struct cli_options *opts, struct cfg *cfg)
{
        if (opts->schema_file)
                return cmd_validate_schema(cfg, opts->schema_file,
                                           opts->validate_file);
        char err[2048];
        struct asyncapi_doc *api = cmd_load_asyncapi(cfg, err, sizeof(err));
        if (!api) {
                fprintf(stderr, "conductor-kafka-bridge: %s\n", err);
                return 2;
        }
        struct event_ctx *events = event_ctx_new(cfg, api, err, sizeof(err));
        int rc;
        if (!events) {
                fprintf(stderr, "conductor-kafka-bridge: %s\n", err);
                rc = 2;
        } else if (opts->check) {
                rc = cmd_check(cfg, api, events);
        } else if (opts->validate_file) {
                rc = cmd_validate(events, opts->validate_file,
                                  opts->topic_count == 1 ? opts->topics[0]
                                                         : NULL);
        } else {
                rc = main_run_bridge(opts, cfg, api, events);
        }
        event_ctx_destroy(events);
        asyncapi_destroy(api);
        return rc;
}

int main(int argc, char **argv)
{
        struct cli_options opts;
        char err[1024];
        if (cli_parse(argc, argv, &opts, err, sizeof(err)) != 0) {
                fprintf(stderr,
                        "conductor-kafka-bridge: %s\n"
                        "Try 'conductor-kafka-bridge --help'.\n",
                        err);
                return 2;
        }
        int rc;
        struct cfg cfg;
        if (opts.help) {
                cli_usage(stdout);
                rc = 0;
        } else if (opts.version) {
                printf("conductor-kafka-bridge %s (librdkafka %s)\n",
                       CKB_VERSION, rd_kafka_version_str());
                rc = 0;
        } else {
                cfg_init(&cfg);
                rc = main_load_config(&opts, &cfg) != 0
                             ? 2
                             : main_with_config(&opts, &cfg);
                cfg_free(&cfg);
        }
        cli_options_free(&opts);
        return rc;
}
