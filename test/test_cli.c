/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the command line: every option, repeats and permuted
 * order, usage errors, the help text, and the overrides of a loaded
 * configuration.
 */
#define _GNU_SOURCE /* open_memstream */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "cli.h"
#include "log.h"

#define MAX_ARGS 32

/* One cli_parse() call with its own copy of argv, which getopt_long may
 * permute and which the options point into. */
struct parsed {
        char *argv[MAX_ARGS + 1];
        int argc;
        struct cli_options opts;
        char errstr[512];
        int rc;
};

static void parse_argv(struct parsed *p, const char *const *args)
{
        memset(p, 0, sizeof(*p));
        p->argv[p->argc++] = strdup("conductor-kafka-bridge");
        for (size_t i = 0; args[i] != NULL; i++) {
                ck_assert_int_lt(p->argc, MAX_ARGS);
                p->argv[p->argc++] = strdup(args[i]);
        }
        p->rc = cli_parse(p->argc, p->argv, &p->opts, p->errstr,
                          sizeof(p->errstr));
}

/* Parses the NULL-terminated arguments after p. */
static void parse(struct parsed *p, ...)
{
        const char *args[MAX_ARGS + 1];
        size_t count = 0;
        va_list ap;

        va_start(ap, p);
        for (const char *arg = va_arg(ap, const char *); arg != NULL;
             arg = va_arg(ap, const char *)) {
                ck_assert_uint_lt(count, MAX_ARGS);
                args[count++] = arg;
        }
        va_end(ap);
        args[count] = NULL;
        parse_argv(p, args);
}

static void parsed_free(struct parsed *p)
{
        if (p->rc == 0)
                cli_options_free(&p->opts);
        for (int i = 0; i < p->argc; i++)
                free(p->argv[i]);
}

/* parsing */

START_TEST(test_parse_no_options)
{
        struct parsed p;

        parse(&p, NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_ptr_null(p.opts.config_file);
        ck_assert_ptr_null(p.opts.brokers);
        ck_assert_uint_eq(p.opts.property_count, 0);
        ck_assert_ptr_null(p.opts.group_id);
        ck_assert_uint_eq(p.opts.topic_count, 0);
        ck_assert_int_eq(p.opts.exit_on_eof, 0);
        ck_assert_ptr_null(p.opts.asyncapi_file);
        ck_assert_int_eq(p.opts.check, 0);
        ck_assert_ptr_null(p.opts.validate_file);
        ck_assert_ptr_null(p.opts.schema_file);
        ck_assert_int_eq(p.opts.embedded_brokers, 0);
        ck_assert_int_eq(p.opts.verbosity, 0);
        ck_assert_int_eq(p.opts.help, 0);
        ck_assert_int_eq(p.opts.version, 0);
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_config)
{
        struct parsed p;

        parse(&p, "-c", "a.conf", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.config_file, "a.conf");
        parsed_free(&p);

        parse(&p, "--config", "b.conf", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.config_file, "b.conf");
        parsed_free(&p);

        parse(&p, "--config=c.conf", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.config_file, "c.conf");
        parsed_free(&p);

        parse(&p, "-cd.conf", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.config_file, "d.conf");
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_brokers)
{
        struct parsed p;

        parse(&p, "-b", "h1:9092,h2:9092", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.brokers, "h1:9092,h2:9092");
        parsed_free(&p);

        parse(&p, "--brokers", "h3:9092", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.brokers, "h3:9092");
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_properties_repeat)
{
        struct parsed p;

        parse(&p, "-X", "security.protocol=SSL", "-X", "linger.ms=5", "-X",
              "security.protocol=SASL_SSL", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_uint_eq(p.opts.property_count, 3);
        ck_assert_str_eq(p.opts.properties[0], "security.protocol=SSL");
        ck_assert_str_eq(p.opts.properties[1], "linger.ms=5");
        ck_assert_str_eq(p.opts.properties[2], "security.protocol=SASL_SSL");
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_group)
{
        struct parsed p;

        parse(&p, "-G", "my-group", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.group_id, "my-group");
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_topics_repeat)
{
        struct parsed p;

        parse(&p, "-t", "wf", "-t", "tasks", "-t", "legacy.events", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_uint_eq(p.opts.topic_count, 3);
        ck_assert_str_eq(p.opts.topics[0], "wf");
        ck_assert_str_eq(p.opts.topics[1], "tasks");
        ck_assert_str_eq(p.opts.topics[2], "legacy.events");
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_exit_on_eof)
{
        struct parsed p;

        parse(&p, "-e", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.exit_on_eof, 1);
        parsed_free(&p);

        parse(&p, "--exit-on-eof", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.exit_on_eof, 1);
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_asyncapi_and_check)
{
        struct parsed p;

        parse(&p, "--asyncapi", "doc.yaml", "--check", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.asyncapi_file, "doc.yaml");
        ck_assert_int_eq(p.opts.check, 1);
        ck_assert_ptr_null(p.opts.validate_file);
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_validate)
{
        struct parsed p;

        parse(&p, "--validate", "-", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.validate_file, "-");
        ck_assert_ptr_null(p.opts.schema_file);
        parsed_free(&p);

        parse(&p, "--validate", "events.jsonl", "--schema", "s.json", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.validate_file, "events.jsonl");
        ck_assert_str_eq(p.opts.schema_file, "s.json");
        parsed_free(&p);

        parse(&p, "--schema=s.json", "--validate=-", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.validate_file, "-");
        ck_assert_str_eq(p.opts.schema_file, "s.json");
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_embedded_kafka)
{
        struct parsed p;

        parse(&p, "--embedded-kafka", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.embedded_brokers, 1);
        parsed_free(&p);

        parse(&p, "--embedded-kafka=3", "-e", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.embedded_brokers, 3);
        ck_assert_int_eq(p.opts.exit_on_eof, 1);
        parsed_free(&p);

        parse(&p, "--embedded-kafka=16", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.embedded_brokers, 16);
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_help_and_version)
{
        struct parsed p;

        parse(&p, "-h", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.help, 1);
        parsed_free(&p);

        parse(&p, "--help", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.help, 1);
        parsed_free(&p);

        parse(&p, "--version", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.version, 1);
        ck_assert_int_eq(p.opts.help, 0);
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_help_skips_combinations)
{
        struct parsed p;

        parse(&p, "--schema", "s.json", "--help", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.help, 1);
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_verbosity)
{
        struct parsed p;

        parse(&p, "-v", "-v", "-q", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.verbosity, 1);
        parsed_free(&p);

        parse(&p, "-vvv", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.verbosity, 3);
        parsed_free(&p);

        parse(&p, "-qq", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_int_eq(p.opts.verbosity, -2);
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_permuted_order)
{
        struct parsed p;

        parse(&p, "-t", "a", "--check", "-X", "linger.ms=1", "-c", "x.conf",
              "-t", "b", "-ev", "--asyncapi=d.yaml", "-G", "g", "-b", "h:1",
              "-X", "client.id=c", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_uint_eq(p.opts.topic_count, 2);
        ck_assert_str_eq(p.opts.topics[0], "a");
        ck_assert_str_eq(p.opts.topics[1], "b");
        ck_assert_uint_eq(p.opts.property_count, 2);
        ck_assert_str_eq(p.opts.properties[0], "linger.ms=1");
        ck_assert_str_eq(p.opts.properties[1], "client.id=c");
        ck_assert_str_eq(p.opts.config_file, "x.conf");
        ck_assert_int_eq(p.opts.check, 1);
        ck_assert_int_eq(p.opts.exit_on_eof, 1);
        ck_assert_int_eq(p.opts.verbosity, 1);
        ck_assert_str_eq(p.opts.asyncapi_file, "d.yaml");
        ck_assert_str_eq(p.opts.group_id, "g");
        ck_assert_str_eq(p.opts.brokers, "h:1");
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_last_value_wins)
{
        struct parsed p;

        parse(&p, "-c", "first.conf", "-G", "g1", "-c", "second.conf", "-G",
              "g2", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_str_eq(p.opts.config_file, "second.conf");
        ck_assert_str_eq(p.opts.group_id, "g2");
        parsed_free(&p);
}
END_TEST

START_TEST(test_parse_twice_in_process)
{
        struct parsed p;

        parse(&p, "-Z", NULL);
        ck_assert_int_eq(p.rc, -1);
        parsed_free(&p);

        parse(&p, "-t", "x", "-e", NULL);
        ck_assert_int_eq(p.rc, 0);
        ck_assert_uint_eq(p.opts.topic_count, 1);
        ck_assert_int_eq(p.opts.exit_on_eof, 1);
        parsed_free(&p);
}
END_TEST

/* usage errors: each row is an argument list and the exact message */

struct error_row {
        const char *args[8];
        const char *message;
};

static const struct error_row error_rows[] = {
        {{"-Z"}, "unknown option -Z (see --help)"},
        {{"-eZ"}, "unknown option -Z (see --help)"},
        {{"--frobnicate"},
         "unknown or ambiguous option --frobnicate (see --help)"},
        {{"--e"}, "unknown or ambiguous option --e (see --help)"},
        {{"-c"}, "-c: missing argument (usage: -c FILE)"},
        {{"--config"}, "--config: missing argument (usage: --config FILE)"},
        {{"-b"}, "-b: missing argument (usage: -b LIST)"},
        {{"-X"}, "-X: missing argument (usage: -X NAME=VALUE)"},
        {{"-G"}, "-G: missing argument (usage: -G GROUP)"},
        {{"-t"}, "-t: missing argument (usage: -t TOPIC)"},
        {{"--asyncapi"},
         "--asyncapi: missing argument (usage: --asyncapi FILE)"},
        {{"--validate"},
         "--validate: missing argument (usage: --validate FILE)"},
        {{"--schema"}, "--schema: missing argument (usage: --schema FILE)"},
        {{"--check=yes"}, "--check does not take a value (see --help)"},
        {{"--exit-on-eof=1"},
         "--exit-on-eof does not take a value (see --help)"},
        {{"--schema", "s.json"},
         "--schema requires --validate FILE (the schema applies to the "
         "lines being validated)"},
        {{"--check", "--validate", "x.jsonl"},
         "--check and --validate cannot be combined (use one of them)"},
        {{"--embedded-kafka=0"},
         "--embedded-kafka=0: expected a number of brokers from 1 to 16"},
        {{"--embedded-kafka=17"},
         "--embedded-kafka=17: expected a number of brokers from 1 to 16"},
        {{"--embedded-kafka=-1"},
         "--embedded-kafka=-1: expected a number of brokers from 1 to 16"},
        {{"--embedded-kafka=+3"},
         "--embedded-kafka=+3: expected a number of brokers from 1 to 16"},
        {{"--embedded-kafka=3x"},
         "--embedded-kafka=3x: expected a number of brokers from 1 to 16"},
        {{"--embedded-kafka="},
         "--embedded-kafka=: expected a number of brokers from 1 to 16"},
        {{"--embedded-kafka", "3"},
         "unexpected argument \"3\" (to set the number of brokers, write "
         "--embedded-kafka=3)"},
        {{"--embedded-kafka", "-b", "h:9092"},
         "--embedded-kafka and -b cannot be combined (the embedded cluster "
         "provides the bootstrap servers)"},
        {{"--embedded-kafka", "--check"},
         "--embedded-kafka cannot be combined with --check, which touches "
         "no broker"},
        {{"--validate", "-", "--embedded-kafka=2"},
         "--embedded-kafka cannot be combined with --validate, which "
         "touches no broker"},
        {{"bridge.conf"},
         "unexpected argument \"bridge.conf\" (every value belongs to an "
         "option; see --help)"},
        {{"-e", "--", "-t"},
         "unexpected argument \"-t\" (every value belongs to an option; see "
         "--help)"},
        {{"-X", "linger.ms"},
         "-X linger.ms: expected NAME=VALUE, e.g. -X "
         "security.protocol=SASL_SSL"},
        {{"-t", "a b"},
         "-t: \"a b\" contains ' ' (topic names allow letters, digits, '.', "
         "'_' and '-')"},
        {{"-t", ""}, "-t: the argument is empty (usage: -t TOPIC)"},
        {{"-t", "a", "-t", "b", "-t", "a"}, "-t: \"a\" is given twice"},
        {{"-G", ""}, "-G: the argument is empty (usage: -G GROUP)"},
        {{"-b", ""}, "-b: the argument is empty (usage: -b LIST)"},
        {{"--config="},
         "--config: the argument is empty (usage: --config FILE)"},
        {{"--config", ""},
         "--config: the argument is empty (usage: --config FILE)"},
        {{"-c", ""}, "-c: the argument is empty (usage: -c FILE)"},
        {{"--asyncapi="},
         "--asyncapi: the argument is empty (usage: --asyncapi FILE)"},
        {{"--validate", ""},
         "--validate: the argument is empty (usage: --validate FILE)"},
};

#define ERROR_ROW_COUNT (sizeof(error_rows) / sizeof(error_rows[0]))

START_TEST(test_usage_error)
{
        const struct error_row *row = &error_rows[_i];
        struct parsed p;

        parse_argv(&p, row->args);
        ck_assert_int_eq(p.rc, -1);
        ck_assert_str_eq(p.errstr, row->message);
        parsed_free(&p);
}
END_TEST

/* help text */

static char *usage_text(void)
{
        char *text = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&text, &size);

        ck_assert_ptr_nonnull(out);
        cli_usage(out);
        fclose(out);
        return text;
}

static const char *const usage_phrases[] = {
        "Usage: conductor-kafka-bridge [OPTION]...",
        "-c, --config FILE",
        "-b, --brokers LIST",
        "(default: localhost:9092;",
        "overrides kafka.brokers)",
        "-X NAME=VALUE",
        "-G GROUP",
        "(default: conductor-kafka-bridge)",
        "-t TOPIC",
        "default: workflow-status-events and",
        "task-status-events)",
        "-e, --exit-on-eof",
        "--asyncapi FILE",
        "--check",
        "--validate FILE",
        "'-' for",
        "--schema FILE",
        "--embedded-kafka[=N]",
        "(1 to 16, default 1)",
        "  -v  ",
        "  -q  ",
        "-h, --help",
        "--version",
        "kafka.properties_file",
        "Exit status:",
        "  0  clean stop",
        "  1  fatal runtime error",
        "  2  usage, configuration or schema error",
};

#define USAGE_PHRASE_COUNT (sizeof(usage_phrases) / sizeof(usage_phrases[0]))

START_TEST(test_usage_mentions)
{
        char *text = usage_text();

        ck_assert_msg(strstr(text, usage_phrases[_i]) != NULL,
                      "help text lacks \"%s\"", usage_phrases[_i]);
        free(text);
}
END_TEST

START_TEST(test_usage_fits_80_columns)
{
        char *text = usage_text();
        int line = 1;

        for (char *start = text; *start; line++) {
                size_t len = strcspn(start, "\n");
                ck_assert_msg(len <= 80, "line %d is %zu columns wide", line,
                              len);
                start += len + (start[len] == '\n');
        }
        free(text);
}
END_TEST

/* applying the options */

START_TEST(test_apply_overrides)
{
        struct parsed p;
        struct cfg cfg;
        char errstr[512] = "";

        parse(&p, "-b", "h:1", "-X", "linger.ms=7", "-G", "g", "-t", "t1", "-t",
              "t2", "--asyncapi", "doc.json", NULL);
        ck_assert_int_eq(p.rc, 0);
        cfg_init(&cfg);
        ck_assert_int_eq(cli_apply(&p.opts, &cfg, errstr, sizeof(errstr)), 0);
        ck_assert_str_eq(cfg.brokers, "h:1");
        ck_assert_uint_eq(cfg.properties.count, 1);
        ck_assert_str_eq(cfg.properties.items[0].name, "linger.ms");
        ck_assert_str_eq(cfg.properties.items[0].value, "7");
        ck_assert_str_eq(cfg.group_id, "g");
        ck_assert_uint_eq(cfg.topic_count, 2);
        ck_assert_str_eq(cfg.topics[0], "t1");
        ck_assert_str_eq(cfg.topics[1], "t2");
        ck_assert_str_eq(cfg.asyncapi_document, "doc.json");
        ck_assert_int_eq(cfg.log_level, LOG_LEVEL_NOTICE);
        ck_assert_str_eq(errstr, "");
        cfg_free(&cfg);
        parsed_free(&p);
}
END_TEST

START_TEST(test_apply_nothing_keeps_cfg)
{
        struct parsed p;
        struct cfg cfg;
        char errstr[512] = "";

        parse(&p, "-c", "x.conf", "-e", NULL);
        ck_assert_int_eq(p.rc, 0);
        cfg_init(&cfg);
        ck_assert_int_eq(cli_apply(&p.opts, &cfg, errstr, sizeof(errstr)), 0);
        ck_assert_str_eq(cfg.brokers, "localhost:9092");
        ck_assert_uint_eq(cfg.properties.count, 0);
        ck_assert_str_eq(cfg.group_id, "conductor-kafka-bridge");
        ck_assert_uint_eq(cfg.topic_count, 2);
        ck_assert_str_eq(cfg.topics[0], "workflow-status-events");
        ck_assert_ptr_null(cfg.asyncapi_document);
        ck_assert_int_eq(cfg.log_level, LOG_LEVEL_NOTICE);
        cfg_free(&cfg);
        parsed_free(&p);
}
END_TEST

START_TEST(test_apply_rejects_protected)
{
        struct parsed p;
        struct cfg cfg;
        char errstr[512] = "";

        parse(&p, "-X", "linger.ms=7", "-X", "enable.auto.commit=true", NULL);
        ck_assert_int_eq(p.rc, 0);
        cfg_init(&cfg);
        ck_assert_int_eq(cli_apply(&p.opts, &cfg, errstr, sizeof(errstr)), -1);
        ck_assert_str_eq(errstr, "-X enable.auto.commit: enable.auto.commit "
                                 "cannot be overridden (the bridge commits an "
                                 "offset only after the sink acknowledged "
                                 "every record derived from it)");
        cfg_free(&cfg);
        parsed_free(&p);
}
END_TEST

START_TEST(test_apply_rejects_bootstrap_servers)
{
        struct parsed p;
        struct cfg cfg;
        char errstr[512] = "";

        parse(&p, "-X", "bootstrap.servers=h:1", NULL);
        ck_assert_int_eq(p.rc, 0);
        cfg_init(&cfg);
        ck_assert_int_eq(cli_apply(&p.opts, &cfg, errstr, sizeof(errstr)), -1);
        ck_assert_str_eq(errstr, "-X bootstrap.servers: bootstrap.servers "
                                 "cannot be set as a property (use "
                                 "kafka.brokers or -b)");
        cfg_free(&cfg);
        parsed_free(&p);
}
END_TEST

struct verbosity_row {
        int file_level;
        const char *args[4];
        int level;
};

static const struct verbosity_row verbosity_rows[] = {
        {LOG_LEVEL_NOTICE, {"-v"}, LOG_LEVEL_INFO},
        {LOG_LEVEL_NOTICE, {"-vv"}, LOG_LEVEL_DEBUG},
        {LOG_LEVEL_NOTICE, {"-vvvvv"}, LOG_LEVEL_DEBUG},
        {LOG_LEVEL_NOTICE, {"-q"}, LOG_LEVEL_WARNING},
        {LOG_LEVEL_NOTICE, {"-qq"}, LOG_LEVEL_ERR},
        {LOG_LEVEL_NOTICE, {"-qqqqq"}, LOG_LEVEL_ERR},
        {LOG_LEVEL_INFO, {"-v"}, LOG_LEVEL_DEBUG},
        {LOG_LEVEL_WARNING, {"-v", "-v", "-q"}, LOG_LEVEL_NOTICE},
        {LOG_LEVEL_DEBUG, {"-q"}, LOG_LEVEL_INFO},
};

#define VERBOSITY_ROW_COUNT (sizeof(verbosity_rows) / sizeof(verbosity_rows[0]))

START_TEST(test_apply_verbosity)
{
        const struct verbosity_row *row = &verbosity_rows[_i];
        struct parsed p;
        struct cfg cfg;
        char errstr[512] = "";

        parse_argv(&p, row->args);
        ck_assert_int_eq(p.rc, 0);
        cfg_init(&cfg);
        cfg.log_level = row->file_level;
        ck_assert_int_eq(cli_apply(&p.opts, &cfg, errstr, sizeof(errstr)), 0);
        ck_assert_int_eq(cfg.log_level, row->level);
        cfg_free(&cfg);
        parsed_free(&p);
}
END_TEST

START_TEST(test_apply_group_rederives_transactional_id)
{
        struct parsed p;
        struct cfg cfg;
        char errstr[512] = "";
        char host[256] = "";
        char expected[512];
        const char *root = getenv("CKB_TEST_DATA");
        char path[512];

        ck_assert_ptr_nonnull(root);
        snprintf(path, sizeof(path), "%s/cfg/exactly-once.conf", root);
        ck_assert_int_eq(gethostname(host, sizeof(host)), 0);
        snprintf(expected, sizeof(expected), "cli-group-%s-%ld", host,
                 (long)getpid());

        parse(&p, "-G", "cli-group", NULL);
        ck_assert_int_eq(p.rc, 0);
        cfg_init(&cfg);
        ck_assert_msg(cfg_load_file(&cfg, path, errstr, sizeof(errstr)) == 0,
                      "%s", errstr);
        ck_assert_int_eq(cli_apply(&p.opts, &cfg, errstr, sizeof(errstr)), 0);
        ck_assert_str_eq(cfg.transactional_id, expected);
        cfg_free(&cfg);
        parsed_free(&p);
}
END_TEST

static Suite *cli_suite(void)
{
        Suite *suite = suite_create("cli");
        TCase *tc;

        tc = tcase_create("parse");
        tcase_add_test(tc, test_parse_no_options);
        tcase_add_test(tc, test_parse_config);
        tcase_add_test(tc, test_parse_brokers);
        tcase_add_test(tc, test_parse_properties_repeat);
        tcase_add_test(tc, test_parse_group);
        tcase_add_test(tc, test_parse_topics_repeat);
        tcase_add_test(tc, test_parse_exit_on_eof);
        tcase_add_test(tc, test_parse_asyncapi_and_check);
        tcase_add_test(tc, test_parse_validate);
        tcase_add_test(tc, test_parse_embedded_kafka);
        tcase_add_test(tc, test_parse_help_and_version);
        tcase_add_test(tc, test_parse_help_skips_combinations);
        tcase_add_test(tc, test_parse_verbosity);
        tcase_add_test(tc, test_parse_permuted_order);
        tcase_add_test(tc, test_parse_last_value_wins);
        tcase_add_test(tc, test_parse_twice_in_process);
        suite_add_tcase(suite, tc);

        tc = tcase_create("usage_error");
        tcase_add_loop_test(tc, test_usage_error, 0, ERROR_ROW_COUNT);
        suite_add_tcase(suite, tc);

        tc = tcase_create("help_text");
        tcase_add_loop_test(tc, test_usage_mentions, 0, USAGE_PHRASE_COUNT);
        tcase_add_test(tc, test_usage_fits_80_columns);
        suite_add_tcase(suite, tc);

        tc = tcase_create("apply");
        tcase_add_test(tc, test_apply_overrides);
        tcase_add_test(tc, test_apply_nothing_keeps_cfg);
        tcase_add_test(tc, test_apply_rejects_protected);
        tcase_add_test(tc, test_apply_rejects_bootstrap_servers);
        tcase_add_loop_test(tc, test_apply_verbosity, 0, VERBOSITY_ROW_COUNT);
        tcase_add_test(tc, test_apply_group_rederives_transactional_id);
        suite_add_tcase(suite, tc);
        return suite;
}

int main(void)
{
        SRunner *runner = srunner_create(cli_suite());
        int failed;

        srunner_run_all(runner, CK_NORMAL);
        failed = srunner_ntests_failed(runner);
        srunner_free(runner);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
