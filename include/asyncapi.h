/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AsyncAPI 2.x documents in YAML or JSON: loads the document, checks that
 * every local "$ref" resolves, and lists the channels with the payload
 * schema of each channel's message.
 */
#ifndef CKB_ASYNCAPI_H
#define CKB_ASYNCAPI_H

#include <stddef.h>

#include "json.h"

struct asyncapi_channel {
        char *name;         /* e.g. "workflow.started" */
        char *message_name; /* the message's "name", else its $ref key */
        /* The resolved payload schema, a value inside the document. NULL
         * when the channel's operation has no message or no payload. */
        const struct json_value *payload;
        char *payload_pointer; /* where payload sits, e.g.
                                  "/components/schemas/TaskStatusEvent" */
};

struct asyncapi_doc {
        char *source; /* file name or "built-in", for messages */
        char *version; /* the document's "asyncapi" value, e.g. "2.6.0" */
        char *title;   /* info.title */
        struct json_doc *arena;
        const struct json_value *root; /* the whole document */
        struct asyncapi_channel *channels; /* in document order */
        size_t channel_count;
};

/*
 * Loads a document from memory. name labels error messages. A document
 * starting with '{' (after white space) is read as JSON, anything else as
 * YAML. Returns NULL with a message naming name, the location (line and
 * column, or the JSON pointer) and the problem in errstr.
 */
struct asyncapi_doc *asyncapi_load_buffer(const char *name, const char *buf,
                                          size_t len, char *errstr,
                                          size_t errstr_size);
/* Like asyncapi_load_buffer() for a file. */
struct asyncapi_doc *asyncapi_load_file(const char *path, char *errstr,
                                        size_t errstr_size);
/* Loads the Conductor Events API document built into the executable. */
struct asyncapi_doc *asyncapi_load_builtin(char *errstr, size_t errstr_size);
void asyncapi_destroy(struct asyncapi_doc *doc);

const struct asyncapi_channel *
asyncapi_find_channel(const struct asyncapi_doc *doc, const char *name);

/*
 * Follows a local reference ("#/components/schemas/A", JSON-pointer escapes
 * and percent-encoding allowed) and any chain of pure "$ref" objects it
 * lands on. Returns NULL with the reason in errstr when a reference is
 * dangling, not local, or part of a loop made only of "$ref"s.
 */
const struct json_value *asyncapi_resolve_ref(const struct json_value *root,
                                              const char *ref, char *errstr,
                                              size_t errstr_size);

/* The built-in document's bytes, generated at build time from conf/. */
extern const char asyncapi_builtin_yaml[];
extern const size_t asyncapi_builtin_yaml_len;

#endif
