/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --schema FILE --validate FILE: validates every JSON Lines value of the
 * input against a bare JSON Schema and prints one result line per line.
 */
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "json.h"
#include "lines.h"
#include "schema.h"

/* The schema file may nest deeper than an event; the parser never
 * recurses, and schema_compile() has its own nesting cap. */
#define SCHEMA_FILE_MAX_DEPTH 10000
#define STDOUT_BUFFER_BYTES (1 << 20)

struct validate_lines {
        const struct cfg *cfg;
        const struct schema *schema;
        struct json_doc *doc;
        size_t invalid;
};

/*
 * Writes s with control characters escaped as \u00XX, so that a member
 * name holding a newline cannot split one result across two lines.
 */
static void print_escaped(const char *s)
{
        for (; *s; s++) {
                unsigned char c = (unsigned char)*s;
                if (c < 0x20 || c == 0x7f)
                        printf("\\u%04x", c);
                else
                        putchar(c);
        }
}

static void print_invalid(const char *reason)
{
        fputs("invalid ", stdout);
        print_escaped(reason);
        putchar('\n');
}

static void validate_value(struct validate_lines *state,
                           const struct json_value *value)
{
        struct schema_error err;
        if (schema_validate(state->schema, value, &err) == 0) {
                fputs("ok\n", stdout);
                return;
        }
        state->invalid++;
        fputs("invalid ", stdout);
        print_escaped(err.pointer);
        printf(": %s: ", err.keyword);
        print_escaped(err.message);
        putchar('\n');
}

static int validate_line(const char *line, size_t len, void *opaque)
{
        struct validate_lines *state = opaque;
        const struct cfg *cfg = state->cfg;
        char reason[512];
        json_doc_reset(state->doc);
        if (len > cfg->max_value_bytes) {
                state->invalid++;
                printf("invalid value is %zu bytes, over "
                       "limits.max_value_bytes (%zu)\n",
                       len, cfg->max_value_bytes);
                return 0;
        }
        enum json_error json_err;
        const struct json_value *value =
                json_parse(state->doc, line, len, cfg->max_depth, &json_err,
                           reason, sizeof(reason));
        if (!value) {
                state->invalid++;
                if (json_err == JSON_ERR_EMPTY)
                        print_invalid("empty value");
                else if (json_err == JSON_ERR_DEPTH)
                        printf("invalid JSON nested deeper than "
                               "limits.max_depth (%zu)\n",
                               cfg->max_depth);
                else
                        print_invalid(reason);
                return 0;
        }
        validate_value(state, value);
        return 0;
}

/* Reads and compiles the schema file; returns NULL after printing why. */
static const struct schema *load_schema(const struct cfg *cfg,
                                        const char *path,
                                        struct json_doc *doc,
                                        struct schema_ctx **ctx)
{
        char reason[1024];
        size_t len;
        char *text = lines_read_file(path, &len, reason, sizeof(reason));
        if (!text) {
                fprintf(stderr, "%s\n", reason);
                return NULL;
        }
        const struct json_value *root =
                json_parse(doc, text, len, SCHEMA_FILE_MAX_DEPTH, NULL,
                           reason, sizeof(reason));
        free(text);
        if (!root) {
                fprintf(stderr, "%s: %s\n", path, reason);
                return NULL;
        }
        struct schema_options options = {cfg->format_assertion};
        *ctx = schema_ctx_new(root, &options);
        const struct schema *schema =
                schema_compile(*ctx, root, reason, sizeof(reason));
        if (!schema)
                fprintf(stderr, "%s: invalid schema: %s\n", path, reason);
        return schema;
}

int cmd_validate_schema(const struct cfg *cfg, const char *schema_path,
                        const char *input_path)
{
        struct json_doc *schema_doc = json_doc_new();
        struct schema_ctx *ctx = NULL;
        const struct schema *schema =
                load_schema(cfg, schema_path, schema_doc, &ctx);
        int rc = 2;
        if (schema) {
                setvbuf(stdout, NULL, _IOFBF, STDOUT_BUFFER_BYTES);
                struct validate_lines state = {cfg, schema, json_doc_new(),
                                               0};
                char reason[512];
                if (lines_foreach(input_path, validate_line, &state, reason,
                                  sizeof(reason)) < 0)
                        fprintf(stderr, "%s\n", reason);
                else
                        rc = state.invalid ? 1 : 0;
                json_doc_destroy(state.doc);
                if (fflush(stdout) != 0) {
                        perror("stdout");
                        rc = 2;
                }
        }
        schema_ctx_destroy(ctx);
        json_doc_destroy(schema_doc);
        return rc;
}
