/* SPDX-License-Identifier: Apache-2.0 */
/*
 * AsyncAPI 2.x document loader: reads YAML or JSON, checks that every local
 * "$ref" resolves, and lists each channel with its message's payload
 * schema. JSON Schema semantics ($id, keywords) belong to the schema
 * module; this file only follows document references.
 */
#include "asyncapi.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "asyncapi_int.h"
#include "buf.h"

/* Maximum number of "$ref" links followed in one chain. */
#define ASYNCAPI_MAX_REF_CHAIN 64

/* Maximum size of a document file, read whole into memory. */
#define ASYNCAPI_MAX_FILE_BYTES (64u * 1024u * 1024u)

#define ASYNCAPI_BUILTIN_NAME "built-in Conductor Events API"

void asyncapi_quote(struct buf *out, const char *s, size_t len)
{
        size_t quoted_len = len > 100 ? 100 : len;
        buf_append_char(out, '"');
        for (size_t i = 0; i < quoted_len; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c == '"' || c == '\\')
                        buf_printf(out, "\\%c", c);
                else if (c < 0x20 || c == 0x7f)
                        buf_printf(out, "\\x%02x", c);
                else
                        buf_append_char(out, (char)c);
        }
        buf_append_str(out, quoted_len < len ? "...\"" : "\"");
}

/* Writes "source: pointer: message" into errstr. The empty pointer of the
 * document root is written as "(document root)". */
static void doc_error(const struct asyncapi_doc *doc, const char *pointer,
                      char *errstr, size_t errstr_size, const char *fmt, ...)
        __attribute__((format(printf, 5, 6)));

static void doc_error(const struct asyncapi_doc *doc, const char *pointer,
                      char *errstr, size_t errstr_size, const char *fmt, ...)
{
        char message[768];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(message, sizeof(message), fmt, ap);
        va_end(ap);
        snprintf(errstr, errstr_size, "%s: %s: %s", doc->source,
                 pointer[0] ? pointer : "(document root)", message);
}

/* Appends the type of v and, for a scalar, its value: "number 2.6". */
static void describe_value(struct buf *out, const struct json_value *v)
{
        switch (v->type) {
        case JSON_NUMBER:
                buf_append_str(out, "number ");
                buf_append(out, v->u.number.text, v->u.number.len);
                break;
        case JSON_STRING:
                buf_append_str(out, "string ");
                asyncapi_quote(out, v->u.string.s, v->u.string.len);
                break;
        case JSON_BOOL:
                buf_append_str(out, v->u.boolean ? "true" : "false");
                break;
        case JSON_NULL:
                buf_append_str(out, "null");
                break;
        case JSON_ARRAY:
                buf_append_str(out, "an array");
                break;
        case JSON_OBJECT:
                buf_append_str(out, "an object");
                break;
        }
}

/* Returns the "$ref" text of a reference object, else NULL. */
static const char *ref_of(const struct json_value *v)
{
        /* NOTE: members beside a string "$ref" are ignored, as AsyncAPI 2.x
         * Reference Objects and JSON Schema draft-07 specify, so such an
         * object counts as a reference whatever else it contains. A "$ref"
         * that is not a string (a property named "$ref", say) is data. */
        const struct json_value *ref = json_object_get(v, "$ref");
        if (!ref || ref->type != JSON_STRING)
                return NULL;
        return ref->u.string.s;
}

static int hex_digit(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static void ref_error(struct buf *msg, const char *ref, const char *problem)
{
        buf_append_str(msg, "$ref ");
        asyncapi_quote(msg, ref, strlen(ref));
        buf_append_str(msg, problem);
}

/*
 * Turns a local reference into its JSON pointer by dropping the '#' and
 * decoding percent-encoding. Returns -1 with the reason in msg.
 */
static int ref_to_pointer(const char *ref, struct buf *pointer, struct buf *msg)
{
        buf_clear(pointer);
        if (ref[0] != '#') {
                ref_error(msg, ref,
                          " is not local; only references within "
                          "the document (starting with '#') are "
                          "supported");
                return -1;
        }
        if (ref[1] != '\0' && ref[1] != '/') {
                ref_error(msg, ref,
                          " is not a JSON pointer; only \"#\" and "
                          "\"#/...\" references are supported");
                return -1;
        }
        for (const char *p = ref + 1; *p; p++) {
                if (*p != '%') {
                        buf_append_char(pointer, *p);
                        continue;
                }
                int high = hex_digit(p[1]);
                int low = high < 0 ? -1 : hex_digit(p[2]);
                if (low < 0) {
                        ref_error(msg, ref, " has invalid percent-encoding");
                        return -1;
                }
                buf_append_char(pointer, (char)(high * 16 + low));
                p += 2;
        }
        return 0;
}

/* Decodes ~0 and ~1 in one pointer token. Returns -1 for another '~'. */
static int token_unescape(const char *s, size_t len, struct buf *out)
{
        buf_clear(out);
        for (size_t i = 0; i < len; i++) {
                if (s[i] != '~') {
                        buf_append_char(out, s[i]);
                        continue;
                }
                if (i + 1 == len || (s[i + 1] != '0' && s[i + 1] != '1'))
                        return -1;
                buf_append_char(out, s[i + 1] == '0' ? '~' : '/');
                i++;
        }
        return 0;
}

static const struct json_value *array_item(const struct json_value *array,
                                           const char *token, size_t len)
{
        size_t index = 0;
        if (len == 0 || len > 18 || (len > 1 && token[0] == '0'))
                return NULL;
        for (size_t i = 0; i < len; i++) {
                if (token[i] < '0' || token[i] > '9')
                        return NULL;
                index = index * 10 + (size_t)(token[i] - '0');
        }
        return index < array->u.array.count ? array->u.array.items[index]
                                            : NULL;
}

/*
 * Looks up a decoded JSON pointer. Returns the value, or NULL with *bad_escape
 * set when a token contains a '~' other than ~0 or ~1.
 */
static const struct json_value *pointer_lookup(const struct json_value *root,
                                               const char *pointer, size_t len,
                                               int *bad_escape)
{
        struct buf token = BUF_INIT;
        const struct json_value *v = root;
        size_t i = 0;

        *bad_escape = 0;
        while (v && i < len) {
                size_t start = ++i;
                while (i < len && pointer[i] != '/')
                        i++;
                if (token_unescape(pointer + start, i - start, &token) < 0) {
                        *bad_escape = 1;
                        v = NULL;
                } else if (v->type == JSON_OBJECT) {
                        v = json_object_getn(v, token.data ? token.data : "",
                                             token.len);
                } else if (v->type == JSON_ARRAY) {
                        v = array_item(v, token.data, token.len);
                } else {
                        v = NULL;
                }
        }
        buf_free(&token);
        return v;
}

/* Appends the links followed so far: "#/a" -> "#/b". */
static void chain_append(struct buf *msg, const char *const *refs, size_t count)
{
        for (size_t i = 0; i < count; i++) {
                if (i)
                        buf_append_str(msg, " -> ");
                asyncapi_quote(msg, refs[i], strlen(refs[i]));
        }
}

/* Resolves one link. Returns NULL with the reason in msg. */
static const struct json_value *ref_step(const struct json_value *root,
                                         const char *ref, struct buf *pointer,
                                         struct buf *msg)
{
        int bad_escape;
        if (ref_to_pointer(ref, pointer, msg) < 0)
                return NULL;
        const struct json_value *v =
                pointer_lookup(root, pointer->data, pointer->len, &bad_escape);
        if (!v)
                ref_error(msg, ref,
                          bad_escape ? " has an invalid escape: '~' "
                                       "must be followed by 0 or 1"
                                     : " not found");
        return v;
}

/*
 * Follows ref and every reference object it lands on. On success returns
 * the final value and leaves its JSON pointer in pointer; else returns NULL
 * with the reason in msg.
 */
static const struct json_value *ref_follow(const struct json_value *root,
                                           const char *ref, struct buf *pointer,
                                           struct buf *msg)
{
        const char *refs[ASYNCAPI_MAX_REF_CHAIN + 1];
        const struct json_value *seen[ASYNCAPI_MAX_REF_CHAIN];
        size_t count = 0;

        for (;;) {
                refs[count] = ref;
                const struct json_value *v = ref_step(root, ref, pointer, msg);
                if (!v) {
                        if (count > 0) {
                                buf_append_str(msg, ", reached through ");
                                chain_append(msg, refs, count);
                        }
                        return NULL;
                }
                for (size_t i = 0; i < count; i++) {
                        if (seen[i] != v)
                                continue;
                        buf_append_str(msg, "$ref loop: ");
                        chain_append(msg, refs, count + 1);
                        return NULL;
                }
                ref = ref_of(v);
                if (!ref)
                        return v;
                if (count == ASYNCAPI_MAX_REF_CHAIN) {
                        buf_printf(msg, "$ref chain starting at ");
                        asyncapi_quote(msg, refs[0], strlen(refs[0]));
                        buf_printf(msg, " is longer than %d links",
                                   ASYNCAPI_MAX_REF_CHAIN);
                        return NULL;
                }
                seen[count++] = v;
        }
}

const struct json_value *asyncapi_resolve_ref(const struct json_value *root,
                                              const char *ref, char *errstr,
                                              size_t errstr_size)
{
        struct buf pointer = BUF_INIT;
        struct buf msg = BUF_INIT;
        const struct json_value *v = ref_follow(root, ref, &pointer, &msg);
        if (!v)
                snprintf(errstr, errstr_size, "%s", msg.data);
        buf_free(&pointer);
        buf_free(&msg);
        return v;
}

/* Members whose values are data (examples, defaults), not document
 * structure, so a "$ref" inside them is no reference. */
static int is_data_keyword(const char *key)
{
        static const char *const keywords[] = {"enum",     "const",   "default",
                                               "examples", "example", NULL};
        for (const char *const *k = keywords; *k; k++) {
                if (strcmp(key, *k) == 0)
                        return 1;
        }
        return 0;
}

/* Returns 1 if v is a schema with an "$id" that changes the base URI. */
static int has_base_id(const struct json_value *v)
{
        const struct json_value *id = json_object_get(v, "$id");
        return id && id->type == JSON_STRING && id->u.string.s[0] != '#';
}

struct walk_frame {
        const struct json_value *value;
        size_t next;        /* index of the next member or item */
        size_t pointer_len; /* length of this value's pointer */
};

/* Checks the reference at the top of the walk, if it is one. */
static int walk_check_ref(const struct asyncapi_doc *doc,
                          const struct json_value *v, const char *pointer,
                          char *errstr, size_t errstr_size)
{
        const char *ref = ref_of(v);
        if (!ref)
                return 0;
        struct buf target = BUF_INIT;
        struct buf msg = BUF_INIT;
        int rc = 0;
        if (!ref_follow(doc->root, ref, &target, &msg)) {
                doc_error(doc, pointer, errstr, errstr_size, "%s", msg.data);
                rc = -1;
        }
        buf_free(&target);
        buf_free(&msg);
        return rc;
}

/*
 * Walks the whole document without recursion and checks every reference.
 * NOTE: a schema with an "$id" that sets a new base URI is skipped below
 * its own "$ref": its "#..." references are relative to that $id, which
 * only the schema module resolves.
 */
static int walk_refs(const struct asyncapi_doc *doc, char *errstr,
                     size_t errstr_size)
{
        size_t cap = 16;
        struct walk_frame *stack = xmalloc(sizeof(*stack) * cap);
        size_t depth = 1;
        struct buf pointer = BUF_INIT;
        int rc = 0;

        buf_append_str(&pointer, "");
        stack[0] = (struct walk_frame){doc->root, 0, 0};
        while (depth > 0) {
                struct walk_frame *top = &stack[depth - 1];
                const struct json_value *v = top->value;
                int is_object = v->type == JSON_OBJECT;

                pointer.len = top->pointer_len;
                pointer.data[pointer.len] = '\0';
                if (is_object && top->next == 0) {
                        rc = walk_check_ref(doc, v, pointer.data, errstr,
                                            errstr_size);
                        if (rc < 0)
                                break;
                        if (has_base_id(v))
                                top->next = v->u.object.count;
                }
                if (top->next ==
                    (is_object ? v->u.object.count : v->u.array.count)) {
                        depth--;
                        continue;
                }
                const struct json_value *child;
                if (is_object) {
                        const struct json_member *m =
                                &v->u.object.members[top->next++];
                        if (is_data_keyword(m->key))
                                continue;
                        json_pointer_append(&pointer, m->key, m->key_len);
                        child = m->value;
                } else {
                        buf_printf(&pointer, "/%zu", top->next);
                        child = v->u.array.items[top->next++];
                }
                if (child->type != JSON_OBJECT && child->type != JSON_ARRAY)
                        continue;
                if (depth == cap) {
                        cap *= 2;
                        stack = xrealloc(stack, sizeof(*stack) * cap);
                }
                stack[depth++] = (struct walk_frame){child, 0, pointer.len};
        }
        free(stack);
        buf_free(&pointer);
        return rc;
}

/* Returns 1 for "2.MINOR.PATCH" with an optional "-..." or "+..." suffix. */
static int is_version_2x(const char *s)
{
        if (strncmp(s, "2.", 2) != 0)
                return 0;
        s += 2;
        for (int part = 0; part < 2; part++) {
                if (*s < '0' || *s > '9')
                        return 0;
                while (*s >= '0' && *s <= '9')
                        s++;
                if (part == 0 && *s++ != '.')
                        return 0;
        }
        return *s == '\0' || *s == '-' || *s == '+';
}

/* Checks "asyncapi" and copies it and info.title into doc. */
static int check_version(struct asyncapi_doc *doc, char *errstr,
                         size_t errstr_size)
{
        const struct json_value *v = json_object_get(doc->root, "asyncapi");
        struct buf got = BUF_INIT;
        int rc = -1;

        if (!v) {
                doc_error(doc, "/asyncapi", errstr, errstr_size,
                          "missing; the document must name its AsyncAPI "
                          "version, such as \"2.6.0\"");
        } else if (v->type != JSON_STRING) {
                describe_value(&got, v);
                doc_error(doc, "/asyncapi", errstr, errstr_size,
                          "expected a version string such as \"2.6.0\", got "
                          "%s (quote the version in YAML)",
                          got.data);
        } else if (!is_version_2x(v->u.string.s)) {
                asyncapi_quote(&got, v->u.string.s, v->u.string.len);
                doc_error(doc, "/asyncapi", errstr, errstr_size,
                          "version %s is not supported; only AsyncAPI 2.x "
                          "versions such as \"2.6.0\" are",
                          got.data);
        } else {
                rc = 0;
        }
        buf_free(&got);
        if (rc < 0)
                return -1;
        doc->version = xstrdup(v->u.string.s);
        const struct json_value *title =
                json_object_get(json_object_get(doc->root, "info"), "title");
        doc->title = xstrdup(
                title && title->type == JSON_STRING ? title->u.string.s : "");
        return 0;
}

/*
 * Follows v if it is a reference object, updating pointer to where the
 * value found sits. Returns NULL with the error set when it cannot.
 */
static const struct json_value *follow_at(const struct asyncapi_doc *doc,
                                          const struct json_value *v,
                                          struct buf *pointer, char *errstr,
                                          size_t errstr_size)
{
        const char *ref = ref_of(v);
        if (!ref)
                return v;
        struct buf target = BUF_INIT;
        struct buf msg = BUF_INIT;
        const struct json_value *found =
                ref_follow(doc->root, ref, &target, &msg);
        if (found) {
                buf_clear(pointer);
                buf_append(pointer, target.data, target.len);
        } else {
                doc_error(doc, pointer->data, errstr, errstr_size, "%s",
                          msg.data);
        }
        buf_free(&target);
        buf_free(&msg);
        return found;
}

static int expect_object(const struct asyncapi_doc *doc,
                         const struct json_value *v, const char *pointer,
                         const char *what, char *errstr, size_t errstr_size)
{
        if (v->type == JSON_OBJECT)
                return 0;
        struct buf got = BUF_INIT;
        describe_value(&got, v);
        doc_error(doc, pointer, errstr, errstr_size,
                  "expected %s (a mapping), got %s", what, got.data);
        buf_free(&got);
        return -1;
}

/* Returns the decoded last token of a JSON pointer, newly allocated. */
static char *pointer_last_token(const char *pointer)
{
        const char *slash = strrchr(pointer, '/');
        const char *token = slash ? slash + 1 : pointer;
        struct buf out = BUF_INIT;
        if (token_unescape(token, strlen(token), &out) < 0 || !out.data) {
                buf_free(&out);
                return xstrdup(token);
        }
        return out.data;
}

/* Fills the payload of ch from the message object at pointer. */
static int load_payload(const struct asyncapi_doc *doc,
                        const struct json_value *message, struct buf *pointer,
                        struct asyncapi_channel *ch, char *errstr,
                        size_t errstr_size)
{
        const struct json_value *payload = json_object_get(message, "payload");
        if (!payload)
                return 0;
        buf_append_str(pointer, "/payload");
        payload = follow_at(doc, payload, pointer, errstr, errstr_size);
        if (!payload)
                return -1;
        ch->payload = payload;
        ch->payload_pointer = xstrdup(pointer->data);
        return 0;
}

/*
 * Checks that a message's payload is a JSON Schema: its "schemaFormat" must
 * be absent, an AsyncAPI schema format or a JSON Schema draft-07 one. The
 * bridge cannot validate events against Avro, RAML or Protobuf payloads.
 */
static int check_schema_format(const struct asyncapi_doc *doc,
                               const struct json_value *message,
                               const char *pointer, char *errstr,
                               size_t errstr_size)
{
        static const char *const prefixes[] = {
                "application/vnd.aai.asyncapi;version=2.",
                "application/vnd.aai.asyncapi+json;version=2.",
                "application/vnd.aai.asyncapi+yaml;version=2.",
                "application/schema+json;version=draft-07",
                "application/schema+yaml;version=draft-07",
                NULL};
        const struct json_value *format =
                json_object_get(message, "schemaFormat");
        if (!format)
                return 0;
        if (format->type == JSON_STRING) {
                for (const char *const *p = prefixes; *p; p++) {
                        if (strncmp(format->u.string.s, *p, strlen(*p)) == 0)
                                return 0;
                }
        }
        struct buf got = BUF_INIT;
        describe_value(&got, format);
        doc_error(doc, pointer, errstr, errstr_size,
                  "schemaFormat %s is not supported; payloads must be "
                  "AsyncAPI or JSON Schema draft-07 schemas",
                  got.data);
        buf_free(&got);
        return -1;
}

/* Fills message_name and payload of ch from its operation's message. */
static int load_message(const struct asyncapi_doc *doc,
                        const struct json_value *message, struct buf *pointer,
                        struct asyncapi_channel *ch, char *errstr,
                        size_t errstr_size)
{
        int is_ref = ref_of(message) != NULL;
        message = follow_at(doc, message, pointer, errstr, errstr_size);
        if (!message ||
            expect_object(doc, message, pointer->data, "a message object",
                          errstr, errstr_size) < 0)
                return -1;
        /* NOTE: a channel has one payload schema, and picking one message
         * of a oneOf list would validate events against the wrong schema,
         * so several messages per channel are rejected. */
        if (json_object_get(message, "oneOf")) {
                doc_error(doc, pointer->data, errstr, errstr_size,
                          "oneOf: several messages per channel are not "
                          "supported; give the channel a single message");
                return -1;
        }
        if (check_schema_format(doc, message, pointer->data, errstr,
                                errstr_size) < 0)
                return -1;
        /* NOTE: an inline message without a "name" has no $ref key either,
         * so its message_name stays NULL. */
        const struct json_value *name = json_object_get(message, "name");
        if (name && name->type == JSON_STRING)
                ch->message_name = xstrdup(name->u.string.s);
        else if (is_ref)
                ch->message_name = pointer_last_token(pointer->data);
        return load_payload(doc, message, pointer, ch, errstr, errstr_size);
}

/*
 * Fills one channel from its channel item. An item without a subscribe or
 * publish operation, or whose operation has no message, is kept with a
 * NULL payload.
 */
static int load_channel(const struct asyncapi_doc *doc,
                        const struct json_member *m,
                        struct asyncapi_channel *ch, char *errstr,
                        size_t errstr_size)
{
        struct buf pointer = BUF_INIT;
        const char *operation = "subscribe";
        int rc = -1;

        ch->name = xstrndup(m->key, m->key_len);
        buf_append_str(&pointer, "/channels");
        json_pointer_append(&pointer, m->key, m->key_len);
        const struct json_value *item =
                follow_at(doc, m->value, &pointer, errstr, errstr_size);
        if (!item ||
            expect_object(doc, item, pointer.data, "a channel item object",
                          errstr, errstr_size) < 0)
                goto done;
        const struct json_value *op = json_object_get(item, operation);
        if (!op) {
                operation = "publish";
                op = json_object_get(item, operation);
        }
        rc = 0;
        if (!op)
                goto done;
        buf_printf(&pointer, "/%s", operation);
        rc = expect_object(doc, op, pointer.data, "an operation object", errstr,
                           errstr_size);
        const struct json_value *message = json_object_get(op, "message");
        if (rc < 0 || !message)
                goto done;
        buf_append_str(&pointer, "/message");
        rc = load_message(doc, message, &pointer, ch, errstr, errstr_size);
done:
        buf_free(&pointer);
        return rc;
}

static int load_channels(struct asyncapi_doc *doc, char *errstr,
                         size_t errstr_size)
{
        const struct json_value *channels =
                json_object_get(doc->root, "channels");
        if (!channels) {
                doc_error(doc, "/channels", errstr, errstr_size,
                          "missing; an AsyncAPI document needs a channels "
                          "object");
                return -1;
        }
        if (expect_object(doc, channels, "/channels", "an object of channels",
                          errstr, errstr_size) < 0)
                return -1;
        size_t count = channels->u.object.count;
        doc->channels = xcalloc(count, sizeof(*doc->channels));
        for (size_t i = 0; i < count; i++) {
                doc->channel_count = i + 1;
                if (load_channel(doc, &channels->u.object.members[i],
                                 &doc->channels[i], errstr, errstr_size) < 0)
                        return -1;
        }
        return 0;
}

/* Returns 1 if the text starts with '{' after white space. */
static int looks_like_json(const char *text, size_t len)
{
        for (size_t i = 0; i < len; i++) {
                if (text[i] == '{')
                        return 1;
                if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' &&
                    text[i] != '\r')
                        return 0;
        }
        return 0;
}

static const struct json_value *parse_text(struct asyncapi_doc *doc,
                                           const char *text, size_t len,
                                           char *errstr, size_t errstr_size)
{
        if (!looks_like_json(text, len))
                return asyncapi_yaml_parse(doc->arena, doc->source, text, len,
                                           errstr, errstr_size);
        char reason[512];
        const struct json_value *root =
                json_parse(doc->arena, text, len, ASYNCAPI_MAX_DEPTH, NULL,
                           reason, sizeof(reason));
        if (!root)
                snprintf(errstr, errstr_size, "%s: %s", doc->source, reason);
        return root;
}

struct asyncapi_doc *asyncapi_load_buffer(const char *name, const char *buf,
                                          size_t len, char *errstr,
                                          size_t errstr_size)
{
        struct asyncapi_doc *doc = xcalloc(1, sizeof(*doc));
        doc->source = xstrdup(name);
        doc->arena = json_doc_new();
        doc->root = parse_text(doc, buf, len, errstr, errstr_size);
        if (!doc->root)
                goto fail;
        if (doc->root->type != JSON_OBJECT) {
                struct buf got = BUF_INIT;
                describe_value(&got, doc->root);
                snprintf(errstr, errstr_size,
                         "%s: the document must be an object (a mapping), "
                         "got %s",
                         name, got.data);
                buf_free(&got);
                goto fail;
        }
        if (check_version(doc, errstr, errstr_size) < 0 ||
            walk_refs(doc, errstr, errstr_size) < 0 ||
            load_channels(doc, errstr, errstr_size) < 0)
                goto fail;
        return doc;
fail:
        asyncapi_destroy(doc);
        return NULL;
}

/* Reads a whole file. Returns -1 with "path: problem" in errstr. */
static int read_file(const char *path, struct buf *out, char *errstr,
                     size_t errstr_size)
{
        FILE *f = fopen(path, "rb");
        if (!f) {
                snprintf(errstr, errstr_size, "%s: cannot open: %s", path,
                         strerror(errno));
                return -1;
        }
        char chunk[65536];
        size_t n;
        int rc = 0;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
                if (out->len + n > ASYNCAPI_MAX_FILE_BYTES) {
                        snprintf(errstr, errstr_size,
                                 "%s: larger than %u MiB, the maximum for an "
                                 "AsyncAPI document",
                                 path, ASYNCAPI_MAX_FILE_BYTES >> 20);
                        rc = -1;
                        break;
                }
                buf_append(out, chunk, n);
        }
        if (rc == 0 && ferror(f)) {
                snprintf(errstr, errstr_size, "%s: read failed: %s", path,
                         strerror(errno));
                rc = -1;
        }
        fclose(f);
        return rc;
}

struct asyncapi_doc *asyncapi_load_file(const char *path, char *errstr,
                                        size_t errstr_size)
{
        struct buf text = BUF_INIT;
        struct asyncapi_doc *doc = NULL;
        if (read_file(path, &text, errstr, errstr_size) == 0)
                doc = asyncapi_load_buffer(path, text.data ? text.data : "",
                                           text.len, errstr, errstr_size);
        buf_free(&text);
        return doc;
}

struct asyncapi_doc *asyncapi_load_builtin(char *errstr, size_t errstr_size)
{
        return asyncapi_load_buffer(
                ASYNCAPI_BUILTIN_NAME, asyncapi_builtin_yaml,
                asyncapi_builtin_yaml_len, errstr, errstr_size);
}

void asyncapi_destroy(struct asyncapi_doc *doc)
{
        if (!doc)
                return;
        for (size_t i = 0; i < doc->channel_count; i++) {
                free(doc->channels[i].name);
                free(doc->channels[i].message_name);
                free(doc->channels[i].payload_pointer);
        }
        free(doc->channels);
        free(doc->source);
        free(doc->version);
        free(doc->title);
        json_doc_destroy(doc->arena);
        free(doc);
}

const struct asyncapi_channel *
asyncapi_find_channel(const struct asyncapi_doc *doc, const char *name)
{
        if (!doc || !name)
                return NULL;
        for (size_t i = 0; i < doc->channel_count; i++) {
                if (strcmp(doc->channels[i].name, name) == 0)
                        return &doc->channels[i];
        }
        return NULL;
}
