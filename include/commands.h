/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The offline commands: --check, --validate with the AsyncAPI document, and
 * --validate with a bare JSON Schema (--schema). Each returns the process
 * exit status: 0 all good, 1 some line invalid (--validate only), 2 a
 * usage, configuration or schema error.
 */
#ifndef CKB_COMMANDS_H
#define CKB_COMMANDS_H

#include <stddef.h>

#include "asyncapi.h"
#include "cfg.h"
#include "event.h"

/*
 * Loads the AsyncAPI document the configuration names, else the built-in
 * one. Returns NULL with a message naming the file in errstr.
 */
struct asyncapi_doc *cmd_load_asyncapi(const struct cfg *cfg, char *errstr,
                                       size_t errstr_size);

/* Prints the channels, topics and settings the bridge would use. */
int cmd_check(const struct cfg *cfg, const struct asyncapi_doc *api,
              const struct event_ctx *events);

/*
 * Prints one "ok CHANNEL", "invalid REASON" or "skip REASON" line per
 * line of input_path ("-" for stdin). source_topic, when not NULL, is the
 * topic the lines count as coming from, which selects a forced adapter.
 */
int cmd_validate(struct event_ctx *events, const char *input_path,
                 const char *source_topic);

/* Validates every line of input_path against the schema in schema_path,
 * using cfg's limits and format setting. */
int cmd_validate_schema(const struct cfg *cfg, const char *schema_path,
                        const char *input_path);

#endif
