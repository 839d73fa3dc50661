/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The command line (see cli.h): getopt_long parsing with usage errors that
 * name the option and the fix, the help text, and the overrides of the
 * configuration file.
 */
#include "cli.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "log.h"

#define CLI_EMBEDDED_BROKERS_MAX 16

/* Values for the options that have no short form. */
enum cli_long_option {
        CLI_OPT_ASYNCAPI = 256,
        CLI_OPT_CHECK,
        CLI_OPT_VALIDATE,
        CLI_OPT_SCHEMA,
        CLI_OPT_EMBEDDED_KAFKA,
        CLI_OPT_VERSION,
};

/* A leading ':' makes getopt return ':' for a missing argument. */
static const char cli_short_options[] = ":c:b:X:G:t:ehvq";

static const struct option cli_long_options[] = {
        {"config", required_argument, NULL, 'c'},
        {"brokers", required_argument, NULL, 'b'},
        {"exit-on-eof", no_argument, NULL, 'e'},
        {"asyncapi", required_argument, NULL, CLI_OPT_ASYNCAPI},
        {"check", no_argument, NULL, CLI_OPT_CHECK},
        {"validate", required_argument, NULL, CLI_OPT_VALIDATE},
        {"schema", required_argument, NULL, CLI_OPT_SCHEMA},
        {"embedded-kafka", optional_argument, NULL, CLI_OPT_EMBEDDED_KAFKA},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, CLI_OPT_VERSION},
        {NULL, 0, NULL, 0},
};

/* The placeholder of each option's argument, for usage errors. */
static const char *cli_argument_name(int option)
{
        switch (option) {
        case 'b':
                return "LIST";
        case 'X':
                return "NAME=VALUE";
        case 'G':
                return "GROUP";
        case 't':
                return "TOPIC";
        default:
                return "FILE";
        }
}

/*
 * Writes the option as the user spelled it ("-c" or "--config") into
 * out. arg is the argv element getopt just consumed, or NULL.
 */
static void cli_option_spelling(int option, const char *arg, char *out,
                                size_t out_size)
{
        if (arg != NULL && strncmp(arg, "--", 2) == 0) {
                size_t len = strcspn(arg, "=");
                snprintf(out, out_size, "%.*s", (int)len, arg);
                return;
        }
        for (const struct option *o = cli_long_options; o->name; o++) {
                if (o->val == option && option >= CLI_OPT_ASYNCAPI) {
                        snprintf(out, out_size, "--%s", o->name);
                        return;
                }
        }
        snprintf(out, out_size, "-%c", option);
}

static void cli_push(const char ***items, size_t *count, const char *item)
{
        *items = xrealloc((void *)*items, (*count + 1) * sizeof(**items));
        (*items)[(*count)++] = item;
}

static int cli_parse_brokers_count(const char *text, int *count)
{
        char *end;
        long value;

        if (text == NULL) {
                *count = 1;
                return 0;
        }
        if (!isdigit((unsigned char)text[0]))
                return -1;
        value = strtol(text, &end, 10);
        if (*end != '\0' || value < 1 || value > CLI_EMBEDDED_BROKERS_MAX)
                return -1;
        *count = (int)value;
        return 0;
}

/*
 * Stores the argument of one option. typed is the argv element that contains
 * the option, for messages. Returns 0, or -1 with a usage error.
 */
static int cli_store(struct cli_options *opts, int option, const char *arg,
                     const char *typed, char *errstr, size_t errstr_size)
{
        char reason[512];

        if (option == CLI_OPT_EMBEDDED_KAFKA) {
                if (cli_parse_brokers_count(arg, &opts->embedded_brokers) == 0)
                        return 0;
                snprintf(errstr, errstr_size,
                         "--embedded-kafka=%s: expected a number of brokers "
                         "from 1 to %d",
                         arg, CLI_EMBEDDED_BROKERS_MAX);
                return -1;
        }
        if (arg != NULL && arg[0] == '\0') {
                char spelling[64];
                cli_option_spelling(option, typed, spelling, sizeof(spelling));
                snprintf(errstr, errstr_size,
                         "%s: the argument is empty (usage: %s %s)", spelling,
                         spelling, cli_argument_name(option));
                return -1;
        }

        switch (option) {
        case 'c':
                opts->config_file = arg;
                break;
        case 'b':
                opts->brokers = arg;
                break;
        case 'X':
                if (strchr(arg, '=') == NULL) {
                        snprintf(errstr, errstr_size,
                                 "-X %s: expected NAME=VALUE, e.g. -X "
                                 "security.protocol=SASL_SSL",
                                 arg);
                        return -1;
                }
                cli_push(&opts->properties, &opts->property_count, arg);
                break;
        case 'G':
                opts->group_id = arg;
                break;
        case 't':
                if (cfg_check_topic_name(arg, reason, sizeof(reason)) != 0) {
                        snprintf(errstr, errstr_size, "-t: %s", reason);
                        return -1;
                }
                for (size_t i = 0; i < opts->topic_count; i++) {
                        if (strcmp(opts->topics[i], arg) == 0) {
                                snprintf(errstr, errstr_size,
                                         "-t: \"%s\" is given twice", arg);
                                return -1;
                        }
                }
                cli_push(&opts->topics, &opts->topic_count, arg);
                break;
        case CLI_OPT_ASYNCAPI:
                opts->asyncapi_file = arg;
                break;
        case CLI_OPT_VALIDATE:
                opts->validate_file = arg;
                break;
        case CLI_OPT_SCHEMA:
                opts->schema_file = arg;
                break;
        }
        return 0;
}

/* Writes the usage error for getopt's '?' or ':' result. */
static void cli_getopt_error(int result, int argc, char **argv, char *errstr,
                             size_t errstr_size)
{
        /* getopt has stepped past the offending element unless it stopped
         * inside a cluster of short options such as -eZ. */
        const char *arg =
                optind > 0 && optind <= argc ? argv[optind - 1] : NULL;
        char spelling[64];

        if (result == ':') {
                cli_option_spelling(optopt, arg, spelling, sizeof(spelling));
                snprintf(errstr, errstr_size,
                         "%s: missing argument (usage: %s %s)", spelling,
                         spelling, cli_argument_name(optopt));
        } else if (optopt != 0 && arg != NULL && strncmp(arg, "--", 2) == 0) {
                cli_option_spelling(optopt, arg, spelling, sizeof(spelling));
                snprintf(errstr, errstr_size,
                         "%s does not take a value (see --help)", spelling);
        } else if (optopt != 0) {
                snprintf(errstr, errstr_size, "unknown option -%c (see --help)",
                         optopt);
        } else {
                snprintf(errstr, errstr_size,
                         "unknown or ambiguous option %s (see --help)",
                         arg ? arg : "");
        }
}

static int cli_reject_argument(const struct cli_options *opts, const char *arg,
                               char *errstr, size_t errstr_size)
{
        int digits = arg[0] != '\0';

        for (const char *p = arg; *p; p++)
                digits = digits && isdigit((unsigned char)*p);
        if (digits && opts->embedded_brokers > 0)
                snprintf(errstr, errstr_size,
                         "unexpected argument \"%s\" (to set the number of "
                         "brokers, write --embedded-kafka=%s)",
                         arg, arg);
        else
                snprintf(errstr, errstr_size,
                         "unexpected argument \"%s\" (every value belongs to "
                         "an option; see --help)",
                         arg);
        return -1;
}

/* Rejects combinations of options that contradict each other. */
static int cli_check_combinations(const struct cli_options *opts, char *errstr,
                                  size_t errstr_size)
{
        if (opts->help || opts->version)
                return 0;
        if (opts->schema_file != NULL && opts->validate_file == NULL) {
                snprintf(errstr, errstr_size,
                         "--schema requires --validate FILE (the schema "
                         "applies to the lines being validated)");
                return -1;
        }
        if (opts->check && opts->validate_file != NULL) {
                snprintf(errstr, errstr_size,
                         "--check and --validate cannot be combined (use "
                         "one of them)");
                return -1;
        }
        if (opts->embedded_brokers > 0 &&
            (opts->check || opts->validate_file != NULL)) {
                snprintf(errstr, errstr_size,
                         "--embedded-kafka cannot be combined with %s, "
                         "which touches no broker",
                         opts->check ? "--check" : "--validate");
                return -1;
        }
        if (opts->embedded_brokers > 0 && opts->brokers != NULL) {
                snprintf(errstr, errstr_size,
                         "--embedded-kafka and -b cannot be combined (the "
                         "embedded cluster provides the bootstrap servers)");
                return -1;
        }
        return 0;
}

/*
 * Returns the argv element that contains the option getopt just returned.
 * optarg points into that element ("--config=x", "-cx") or is the next
 * element ("--config x").
 */
static const char *cli_typed_option(char **argv, const char *arg)
{
        if (optind >= 2 && arg == argv[optind - 1])
                return argv[optind - 2];
        return optind >= 1 ? argv[optind - 1] : NULL;
}

static int cli_parse_options(int argc, char **argv, struct cli_options *opts,
                             char *errstr, size_t errstr_size)
{
        int option;

        while ((option = getopt_long(argc, argv, cli_short_options,
                                     cli_long_options, NULL)) != -1) {
                switch (option) {
                case '?':
                case ':':
                        cli_getopt_error(option, argc, argv, errstr,
                                         errstr_size);
                        return -1;
                case 'e':
                        opts->exit_on_eof = 1;
                        break;
                case 'h':
                        opts->help = 1;
                        break;
                case 'v':
                        opts->verbosity++;
                        break;
                case 'q':
                        opts->verbosity--;
                        break;
                case CLI_OPT_CHECK:
                        opts->check = 1;
                        break;
                case CLI_OPT_VERSION:
                        opts->version = 1;
                        break;
                default:
                        if (cli_store(opts, option, optarg,
                                      cli_typed_option(argv, optarg), errstr,
                                      errstr_size) != 0)
                                return -1;
                        break;
                }
        }
        if (optind < argc)
                return cli_reject_argument(opts, argv[optind], errstr,
                                           errstr_size);
        return 0;
}

int cli_parse(int argc, char **argv, struct cli_options *opts, char *errstr,
              size_t errstr_size)
{
        memset(opts, 0, sizeof(*opts));
        /* Zero makes glibc's getopt start over, so cli_parse() can run more
         * than once in a process. opterr = 0 leaves the messages to us. */
        optind = 0;
        opterr = 0;

        if (cli_parse_options(argc, argv, opts, errstr, errstr_size) != 0 ||
            cli_check_combinations(opts, errstr, errstr_size) != 0) {
                cli_options_free(opts);
                return -1;
        }
        return 0;
}

void cli_options_free(struct cli_options *opts)
{
        free((void *)opts->properties);
        free((void *)opts->topics);
        opts->properties = NULL;
        opts->property_count = 0;
        opts->topics = NULL;
        opts->topic_count = 0;
}

/* Option rows of the help text: the option column, then one line of its
 * description. A row with an empty option continues the one above. */
static const char *const cli_help_rows[][2] = {
        {"-c, --config FILE", "read settings from the libconfig FILE"},
        {"", "(default: none, the built-in defaults; example:"},
        {"", "conf/bridge.conf)"},
        {"-b, --brokers LIST", "bootstrap servers, host:port[,...], for"},
        {"", "source and sink (default: " CFG_DEFAULT_BROKERS ";"},
        {"", "overrides kafka.brokers)"},
        {"-X NAME=VALUE", "set a librdkafka property on both clients"},
        {"", "(repeatable), e.g. -X security.protocol=SASL_SSL."},
        {"", "enable.auto.commit, enable.auto.offset.store,"},
        {"", "enable.idempotence, acks and isolation.level are"},
        {"", "rejected. ps shows the command line, so put secrets"},
        {"", "in kafka.properties_file instead"},
        {"-G GROUP", "consumer group id"},
        {"", "(default: " CFG_DEFAULT_GROUP_ID ")"},
        {"-t TOPIC", "source topic (repeatable; replaces source.topics;"},
        {"", "default: " CFG_DEFAULT_WORKFLOW_TOPIC " and"},
        {"", CFG_DEFAULT_TASK_TOPIC ")"},
        {"-e, --exit-on-eof", "exit 0 once every assigned source partition"},
        {"", "reached its end, every produced record was"},
        {"", "acknowledged and the source offsets were committed"},
        {"    --asyncapi FILE", "the AsyncAPI document, YAML or JSON"},
        {"", "(default: the built-in Conductor Events API document)"},
        {"    --check", "load the configuration and the AsyncAPI document,"},
        {"", "print the channels and their topics, and exit;"},
        {"", "touches no broker"},
        {"    --validate FILE",
         "read JSON Lines from FILE ('-' for stdin) and"},
        {"", "print one result line per input line: ok, invalid"},
        {"", "or skip; touches no broker. With one -t TOPIC,"},
        {"", "the lines count as records of TOPIC, so its"},
        {"", "source.adapters entry applies"},
        {"    --schema FILE", "with --validate: validate each line against"},
        {"", "this JSON Schema instead of the AsyncAPI messages"},
        {"    --embedded-kafka[=N]", ""},
        {"", "start an in-process mock Kafka cluster of N brokers"},
        {"", "(1 to 16, default 1), print its bootstrap servers on"},
        {"", "stderr and bridge on it"},
        {"-v", "log one level more (repeatable): notice, info, debug"},
        {"-q", "log one level less (repeatable): notice, warning, err"},
        {"-h, --help", "print this help and exit"},
        {"    --version", "print the version and exit"},
};

void cli_usage(FILE *out)
{
        size_t rows = sizeof(cli_help_rows) / sizeof(cli_help_rows[0]);

        fputs("Usage: conductor-kafka-bridge [OPTION]...\n"
              "Consumes Conductor workflow and task status events from Kafka,\n"
              "validates each against the schema of its AsyncAPI channel and\n"
              "produces it to the channel's topic. Events that cannot be\n"
              "routed or validated go to the dead-letter topic.\n"
              "\n",
              out);
        for (size_t i = 0; i < rows; i++) {
                const char *option = cli_help_rows[i][0];
                const char *text = cli_help_rows[i][1];

                /* An option too wide for its column gets a line of its own. */
                if (strlen(option) > 20 && text[0] == '\0')
                        fprintf(out, "  %s\n", option);
                else
                        fprintf(out, "  %-22s%s\n", option, text);
        }
        fputs("\n"
              "Exit status:\n"
              "  0  clean stop (SIGINT, SIGTERM or -e); --check: usable;\n"
              "     --validate: every line ok\n"
              "  1  fatal runtime error; --validate: some line invalid\n"
              "  2  usage, configuration or schema error\n",
              out);
}

int cli_apply(const struct cli_options *opts, struct cfg *cfg, char *errstr,
              size_t errstr_size)
{
        if (opts->brokers != NULL)
                cfg_set_string(&cfg->brokers, opts->brokers);
        for (size_t i = 0; i < opts->property_count; i++) {
                if (cfg_add_property_arg(cfg, opts->properties[i], errstr,
                                         errstr_size) != 0)
                        return -1;
        }
        if (opts->group_id != NULL)
                cfg_set_group_id(cfg, opts->group_id);
        if (opts->topic_count > 0)
                cfg_set_topics(cfg, (char **)opts->topics, opts->topic_count);
        if (opts->asyncapi_file != NULL)
                cfg_set_string(&cfg->asyncapi_document, opts->asyncapi_file);

        int level = cfg->log_level + opts->verbosity;
        if (level < LOG_LEVEL_ERR)
                level = LOG_LEVEL_ERR;
        if (level > LOG_LEVEL_DEBUG)
                level = LOG_LEVEL_DEBUG;
        cfg->log_level = level;
        return 0;
}
