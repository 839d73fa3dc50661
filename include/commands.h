/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The offline commands: --check, --validate with the AsyncAPI document, and
 * --validate with a bare JSON Schema (--schema). Each returns the process
 * exit status: 0 all good, 1 some line invalid (--validate only), 2 a
 * usage, configuration or schema error.
 */
#ifndef CKB_COMMANDS_H
#define CKB_COMMANDS_H

#include "cfg.h"

int cmd_check(const struct cfg *cfg);
int cmd_validate(const struct cfg *cfg, const char *input_path);
/* Validates every line of input_path against the schema in schema_path,
 * using cfg's limits and format setting. */
int cmd_validate_schema(const struct cfg *cfg, const char *schema_path,
                        const char *input_path);

#endif
