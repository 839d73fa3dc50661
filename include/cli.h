/* SPDX-License-Identifier: Apache-2.0 */
/* The command line: parsing, usage text, and overrides of the config. */
#ifndef CKB_CLI_H
#define CKB_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "cfg.h"

struct cli_options {
        const char *config_file;
        const char *brokers;
        const char **properties; /* "-X name=value", in order */
        size_t property_count;
        const char *group_id;
        const char **topics; /* -t, in order */
        size_t topic_count;
        int exit_on_eof;
        const char *asyncapi_file;
        int check;
        const char *validate_file; /* "-" for stdin */
        const char *schema_file;
        int embedded_brokers; /* 0: off, else --embedded-kafka=N */
        int verbosity;        /* -v raises, -q lowers the log level */
        int help;
        int version;
};

/*
 * Parses argv (getopt_long, so argv may be permuted). Returns 0, or -1 with
 * a usage error in errstr such as "--embedded-kafka=0: expected a number
 * of brokers from 1 to 16". Free the arrays with cli_options_free().
 */
int cli_parse(int argc, char **argv, struct cli_options *opts, char *errstr,
              size_t errstr_size);
void cli_options_free(struct cli_options *opts);

void cli_usage(FILE *out);

/*
 * Applies the command-line overrides (-b, -X, -G, -t, --asyncapi, -v/-q)
 * to a configuration already loaded from the file. Returns -1 with a
 * reason on a protected or malformed -X property.
 */
int cli_apply(const struct cli_options *opts, struct cfg *cfg, char *errstr,
              size_t errstr_size);

#endif
