/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON Schema draft-07: compiles schemas once and validates JSON values
 * against them. Local "$ref"s are resolved against the document the schema
 * came from, so one context serves every schema of an AsyncAPI document.
 */
#ifndef CKB_SCHEMA_H
#define CKB_SCHEMA_H

#include <stddef.h>

#include "json.h"

struct schema_options {
        /* Nonzero: "format" is an assertion; zero: an annotation only. */
        int format_assertion;
};

/* The first error found, with its parts kept apart for the DLQ headers. */
struct schema_error {
        char pointer[1024];  /* JSON pointer of the failing instance value */
        const char *keyword; /* static string, e.g. "type" */
        char message[512];   /* plain text, e.g. expected integer, got ... */
};

struct schema_ctx;
struct schema;

/*
 * Creates a compilation context for schemas found in document. The
 * document is borrowed and must outlive the context and every schema
 * compiled from it. options is copied and may be NULL (format asserted).
 */
struct schema_ctx *schema_ctx_new(const struct json_value *document,
                                  const struct schema_options *options);
/* Frees the context and every schema compiled in it. NULL is a no-op. */
void schema_ctx_destroy(struct schema_ctx *ctx);

/*
 * Compiles schema, a value inside the context's document (or the document
 * itself). Compiling the same value twice returns the same schema.
 * Returns NULL with a reason such as "/properties/a/$ref: reference
 * \"#/x\" not found" in errstr. The result is owned by ctx.
 */
const struct schema *schema_compile(struct schema_ctx *ctx,
                                    const struct json_value *schema,
                                    char *errstr, size_t errstr_size);

/*
 * Validates instance. Returns 0 when valid, 1 when invalid with the first
 * error in *err (err may be NULL). Never recurses without bound. A compiled
 * schema is read-only, but validation uses scratch memory in the context,
 * so one context validates in one thread at a time.
 */
int schema_validate(const struct schema *schema,
                    const struct json_value *instance,
                    struct schema_error *err);

#endif
