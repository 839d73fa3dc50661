/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the files of the asyncapi module: the YAML reader and
 * the limits that keep a hostile document from exhausting the stack or
 * memory. Not for other modules.
 */
#ifndef CKB_ASYNCAPI_INT_H
#define CKB_ASYNCAPI_INT_H

#include <stddef.h>

#include "json.h"

struct buf;

/*
 * Maximum nesting of a loaded document, counted like json_parse()'s
 * max_depth: a scalar has depth 0, "[]" depth 1. For YAML it counts the
 * document with its aliases expanded.
 */
#define ASYNCAPI_MAX_DEPTH 512

/*
 * Maximum number of values in a YAML document with its aliases expanded,
 * so an alias bomb fails instead of making every later walk exponential.
 */
#define ASYNCAPI_MAX_NODES 1000000

/*
 * Parses len bytes of YAML text into values owned by doc. The stream must
 * contain exactly one document. Plain scalars are typed by the YAML 1.2 core
 * schema. name labels error messages. Returns the root value, or NULL with
 * "name:line:column: problem" in errstr.
 */
const struct json_value *asyncapi_yaml_parse(struct json_doc *doc,
                                             const char *name, const char *text,
                                             size_t len, char *errstr,
                                             size_t errstr_size);

/*
 * Appends s as a double-quoted string for a message: '"', '\\' and control
 * bytes are escaped and text past 100 bytes is cut with "...".
 */
void asyncapi_quote(struct buf *out, const char *s, size_t len);

#endif
