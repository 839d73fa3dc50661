/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the AsyncAPI loader: YAML and JSON input, the built-in
 * document, references, scalar typing, limits and error messages. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asyncapi.h"
#include "buf.h"
#include "json.h"

static char errstr[1024];

/* Returns the path of a file under test/data/asyncapi, in a static
 * buffer. */
static const char *data_path(const char *file)
{
        static char path[4096];
        const char *dir = getenv("CKB_TEST_DATA");
        ck_assert_msg(dir != NULL, "CKB_TEST_DATA is not set");
        snprintf(path, sizeof(path), "%s/asyncapi/%s", dir, file);
        return path;
}

static struct asyncapi_doc *load_data(const char *file)
{
        errstr[0] = '\0';
        return asyncapi_load_file(data_path(file), errstr, sizeof(errstr));
}

/* Loads a data file that must fail and checks the message after the
 * "path: " or "path:" prefix. */
static void expect_file_error(const char *file, const char *expected)
{
        struct asyncapi_doc *doc = load_data(file);
        const char *path = data_path(file);
        ck_assert_ptr_null(doc);
        ck_assert_msg(strncmp(errstr, path, strlen(path)) == 0,
                      "message does not start with the path: %s", errstr);
        ck_assert_str_eq(errstr + strlen(path), expected);
}

static struct asyncapi_doc *load_text(const char *text)
{
        errstr[0] = '\0';
        return asyncapi_load_buffer("test.yaml", text, strlen(text), errstr,
                                    sizeof(errstr));
}

/* The built-in document */

static const struct {
        const char *channel;
        const char *message;
        const char *payload_pointer;
} builtin_channels[] = {
        {"workflow.started", "WorkflowStatusEvent",
         "/components/schemas/WorkflowStatusEvent"},
        {"workflow.completed", "WorkflowStatusEvent",
         "/components/schemas/WorkflowStatusEvent"},
        {"workflow.failed", "WorkflowStatusEvent",
         "/components/schemas/WorkflowStatusEvent"},
        {"workflow.terminated", "WorkflowStatusEvent",
         "/components/schemas/WorkflowStatusEvent"},
        {"workflow.timed_out", "WorkflowStatusEvent",
         "/components/schemas/WorkflowStatusEvent"},
        {"workflow.paused", "WorkflowStatusEvent",
         "/components/schemas/WorkflowStatusEvent"},
        {"task.scheduled", "TaskStatusEvent",
         "/components/schemas/TaskStatusEvent"},
        {"task.in_progress", "TaskStatusEvent",
         "/components/schemas/TaskStatusEvent"},
        {"task.completed", "TaskStatusEvent",
         "/components/schemas/TaskStatusEvent"},
        {"task.failed", "TaskStatusEvent",
         "/components/schemas/TaskStatusEvent"},
        {"task.timed_out", "TaskStatusEvent",
         "/components/schemas/TaskStatusEvent"},
        {"task.canceled", "TaskStatusEvent",
         "/components/schemas/TaskStatusEvent"},
};

#define BUILTIN_CHANNEL_COUNT                                                  \
        (sizeof(builtin_channels) / sizeof(builtin_channels[0]))

START_TEST(builtin_header)
{
        struct asyncapi_doc *doc =
                asyncapi_load_builtin(errstr, sizeof(errstr));
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_str_eq(doc->source, "built-in Conductor Events API");
        ck_assert_str_eq(doc->version, "2.6.0");
        ck_assert_str_eq(doc->title, "Conductor Events API");
        ck_assert_uint_eq(doc->channel_count, 12);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(builtin_channel_in_order)
{
        struct asyncapi_doc *doc =
                asyncapi_load_builtin(errstr, sizeof(errstr));
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_uint_eq(doc->channel_count, BUILTIN_CHANNEL_COUNT);
        const struct asyncapi_channel *ch = &doc->channels[_i];
        ck_assert_str_eq(ch->name, builtin_channels[_i].channel);
        ck_assert_str_eq(ch->message_name, builtin_channels[_i].message);
        ck_assert_str_eq(ch->payload_pointer,
                         builtin_channels[_i].payload_pointer);
        ck_assert_ptr_eq(asyncapi_find_channel(doc, ch->name), ch);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(builtin_payload_is_schema)
{
        struct asyncapi_doc *doc =
                asyncapi_load_builtin(errstr, sizeof(errstr));
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct asyncapi_channel *ch = &doc->channels[_i];
        const struct json_value *expected = json_pointer_get(
                doc->root, ch->payload_pointer, strlen(ch->payload_pointer));
        ck_assert_ptr_nonnull(expected);
        ck_assert_ptr_eq(ch->payload, expected);
        const struct json_value *type = json_object_get(ch->payload, "type");
        ck_assert_ptr_nonnull(type);
        ck_assert_str_eq(type->u.string.s, "object");
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(builtin_status_enums)
{
        struct asyncapi_doc *doc =
                asyncapi_load_builtin(errstr, sizeof(errstr));
        ck_assert_msg(doc != NULL, "%s", errstr);
        const char *path =
                "/components/schemas/TaskStatusEvent/properties/status/enum";
        const struct json_value *task_enum =
                json_pointer_get(doc->root, path, strlen(path));
        ck_assert_ptr_nonnull(task_enum);
        ck_assert_uint_eq(task_enum->u.array.count, 9);
        path = "/components/schemas/WorkflowStatusEvent/properties/status/"
               "enum";
        const struct json_value *workflow_enum =
                json_pointer_get(doc->root, path, strlen(path));
        ck_assert_ptr_nonnull(workflow_enum);
        ck_assert_uint_eq(workflow_enum->u.array.count, 6);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(find_channel_unknown_name)
{
        struct asyncapi_doc *doc =
                asyncapi_load_builtin(errstr, sizeof(errstr));
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_ptr_null(asyncapi_find_channel(doc, "workflow.resumed"));
        ck_assert_ptr_null(asyncapi_find_channel(doc, NULL));
        ck_assert_ptr_null(asyncapi_find_channel(NULL, "task.failed"));
        asyncapi_destroy(doc);
}
END_TEST

/* YAML and JSON input */

START_TEST(json_same_as_yaml)
{
        struct asyncapi_doc *yaml = load_data("small.yaml");
        ck_assert_msg(yaml != NULL, "%s", errstr);
        struct asyncapi_doc *json = load_data("small.json");
        ck_assert_msg(json != NULL, "%s", errstr);
        ck_assert(json_equal(yaml->root, json->root));
        ck_assert_str_eq(json->title, yaml->title);
        ck_assert_uint_eq(json->channel_count, 2);
        ck_assert_uint_eq(yaml->channel_count, 2);
        for (size_t i = 0; i < 2; i++) {
                const struct asyncapi_channel *a = &yaml->channels[i];
                const struct asyncapi_channel *b = &json->channels[i];
                ck_assert_str_eq(b->name, a->name);
                ck_assert_str_eq(b->message_name, a->message_name);
                ck_assert_str_eq(b->payload_pointer, a->payload_pointer);
                ck_assert(json_equal(a->payload, b->payload));
        }
        asyncapi_destroy(yaml);
        asyncapi_destroy(json);
}
END_TEST

START_TEST(small_channels)
{
        struct asyncapi_doc *doc = load_data("small.yaml");
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct asyncapi_channel *created =
                asyncapi_find_channel(doc, "orders.created");
        ck_assert_ptr_nonnull(created);
        ck_assert_str_eq(created->message_name, "OrderCreated");
        ck_assert_str_eq(created->payload_pointer, "/components/schemas/Order");
        const struct asyncapi_channel *deleted =
                asyncapi_find_channel(doc, "orders.deleted");
        ck_assert_ptr_nonnull(deleted);
        ck_assert_str_eq(deleted->message_name, "OrderDeleted");
        ck_assert_str_eq(deleted->payload_pointer,
                         "/channels/orders.deleted/publish/message/payload");
        ck_assert_uint_eq(
                json_object_get(deleted->payload, "properties")->u.object.count,
                2);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(json_leading_space)
{
        const char *text = " \n\t{\"asyncapi\": \"2.0.0\", \"channels\": "
                           "{\"a/b\": {}}}";
        struct asyncapi_doc *doc = load_text(text);
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_str_eq(doc->version, "2.0.0");
        ck_assert_str_eq(doc->title, "");
        ck_assert_uint_eq(doc->channel_count, 1);
        ck_assert_str_eq(doc->channels[0].name, "a/b");
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(json_syntax_error_named)
{
        struct asyncapi_doc *doc = load_text("{\"asyncapi\": \"2.6.0\",}");
        ck_assert_ptr_null(doc);
        ck_assert_str_eq(errstr, "test.yaml: malformed JSON at byte 21: "
                                 "trailing comma before '}'");
}
END_TEST

/* References */

START_TEST(ref_to_ref)
{
        struct asyncapi_doc *doc = load_data("ref-chain.yaml");
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct asyncapi_channel *ch = &doc->channels[0];
        ck_assert_str_eq(ch->name, "chained");
        ck_assert_str_eq(ch->message_name, "Final");
        ck_assert_str_eq(ch->payload_pointer, "/components/schemas/Event");
        const struct json_value *type = json_object_get(ch->payload, "type");
        ck_assert_ptr_nonnull(type);
        ck_assert_str_eq(type->u.string.s, "object");
        asyncapi_destroy(doc);
}
END_TEST

static const struct {
        const char *channel;
        const char *payload_pointer;
        const char *title;
} escape_cases[] = {
        {"slash", "/components/schemas/a~1b", "slash"},
        {"tilde", "/components/schemas/t~0x", "tilde"},
        {"space", "/components/schemas/with space", "space"},
        {"percent", "/components/schemas/100%", "percent"},
        {"tilde-one-literal", "/components/schemas/~01", "tilde-one"},
};

START_TEST(ref_escapes)
{
        struct asyncapi_doc *doc = load_data("escapes.yaml");
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct asyncapi_channel *ch =
                asyncapi_find_channel(doc, escape_cases[_i].channel);
        ck_assert_ptr_nonnull(ch);
        ck_assert_ptr_null(ch->message_name);
        ck_assert_str_eq(ch->payload_pointer, escape_cases[_i].payload_pointer);
        const struct json_value *title = json_object_get(ch->payload, "title");
        ck_assert_ptr_nonnull(title);
        ck_assert_str_eq(title->u.string.s, escape_cases[_i].title);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(ref_dangling_message)
{
        expect_file_error("dangling.yaml",
                          ": /channels/workflow.started/subscribe/message: "
                          "$ref \"#/components/messages/Nope\" not found");
}
END_TEST

START_TEST(ref_loop_of_two)
{
        expect_file_error("loop-pair.yaml",
                          ": /components/schemas/a: $ref loop: "
                          "\"#/components/schemas/b\" -> "
                          "\"#/components/schemas/a\" -> "
                          "\"#/components/schemas/b\"");
}
END_TEST

START_TEST(ref_loop_of_one)
{
        expect_file_error("loop-self.yaml",
                          ": /components/schemas/a: $ref loop: "
                          "\"#/components/schemas/a\" -> "
                          "\"#/components/schemas/a\"");
}
END_TEST

START_TEST(ref_recursive_schema_loads)
{
        struct asyncapi_doc *doc = load_data("recursive.yaml");
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct asyncapi_channel *ch = &doc->channels[0];
        ck_assert_str_eq(ch->payload_pointer, "/components/schemas/Node");
        const struct json_value *child = json_object_get(
                json_object_get(ch->payload, "properties"), "child");
        ck_assert_ptr_nonnull(child);
        const struct json_value *target = asyncapi_resolve_ref(
                doc->root, json_object_get(child, "$ref")->u.string.s, errstr,
                sizeof(errstr));
        ck_assert_ptr_eq(target, ch->payload);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(ref_non_local)
{
        expect_file_error("non-local.yaml",
                          ": /channels/remote/subscribe/message: $ref "
                          "\"messages.yaml#/Remote\" is not local; only "
                          "references within the document (starting with "
                          "'#') are supported");
}
END_TEST

START_TEST(ref_dangling_after_link)
{
        const char *text = "asyncapi: 2.6.0\n"
                           "channels: {}\n"
                           "components:\n"
                           "  schemas:\n"
                           "    a: {$ref: '#/components/schemas/b'}\n"
                           "    b: {$ref: '#/components/schemas/c'}\n";
        ck_assert_ptr_null(load_text(text));
        ck_assert_str_eq(errstr,
                         "test.yaml: /components/schemas/a: $ref "
                         "\"#/components/schemas/c\" not found, reached "
                         "through \"#/components/schemas/b\"");
}
END_TEST

START_TEST(ref_inside_data_ignored)
{
        const char *text = "asyncapi: 2.6.0\n"
                           "channels: {}\n"
                           "components:\n"
                           "  schemas:\n"
                           "    a:\n"
                           "      enum: [{$ref: '#/nowhere'}]\n"
                           "      const: {$ref: 'other.yaml'}\n"
                           "      default: {$ref: '#/nowhere'}\n"
                           "      examples: [{$ref: '#/nowhere'}]\n";
        struct asyncapi_doc *doc = load_text(text);
        ck_assert_msg(doc != NULL, "%s", errstr);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(ref_under_base_id_skipped)
{
        const char *text = "asyncapi: 2.6.0\n"
                           "channels: {}\n"
                           "components:\n"
                           "  schemas:\n"
                           "    a:\n"
                           "      $id: 'https://example.com/a.json'\n"
                           "      definitions: {x: {type: string}}\n"
                           "      properties:\n"
                           "        p: {$ref: '#/definitions/x'}\n";
        struct asyncapi_doc *doc = load_text(text);
        ck_assert_msg(doc != NULL, "%s", errstr);
        asyncapi_destroy(doc);
}
END_TEST

static const struct {
        const char *ref;
        const char *error; /* NULL: resolves to the value at pointer */
        const char *pointer;
} resolve_cases[] = {
        {"#", NULL, ""},
        {"#/components/messages/TaskStatusEvent/payload", NULL,
         "/components/schemas/TaskStatusEvent"},
        {"#/channels/task.failed/subscribe/message", NULL,
         "/components/messages/TaskStatusEvent"},
        {"#/components/schemas/TaskStatusEvent/properties/status/enum/8", NULL,
         "/components/schemas/TaskStatusEvent/properties/status/enum/8"},
        {"#/components/schemas/TaskStatusEvent/properties/status/enum/9",
         "$ref \"#/components/schemas/TaskStatusEvent/properties/status/"
         "enum/9\" not found",
         NULL},
        {"#/components/schemas/TaskStatusEvent/properties/status/enum/08",
         "$ref \"#/components/schemas/TaskStatusEvent/properties/status/"
         "enum/08\" not found",
         NULL},
        {"#/components/schemas/Nope",
         "$ref \"#/components/schemas/Nope\" "
         "not found",
         NULL},
        {"#/a~2b",
         "$ref \"#/a~2b\" has an invalid escape: '~' must be "
         "followed by 0 or 1",
         NULL},
        {"#/a%2", "$ref \"#/a%2\" has invalid percent-encoding", NULL},
        {"#/a%zz", "$ref \"#/a%zz\" has invalid percent-encoding", NULL},
        {"#Event",
         "$ref \"#Event\" is not a JSON pointer; only \"#\" and "
         "\"#/...\" references are supported",
         NULL},
        {"https://example.com/api.yaml#/x",
         "$ref \"https://example.com/api.yaml#/x\" is not local; only "
         "references within the document (starting with '#') are "
         "supported",
         NULL},
};

START_TEST(resolve_ref_cases)
{
        struct asyncapi_doc *doc =
                asyncapi_load_builtin(errstr, sizeof(errstr));
        ck_assert_msg(doc != NULL, "%s", errstr);
        errstr[0] = '\0';
        const struct json_value *v = asyncapi_resolve_ref(
                doc->root, resolve_cases[_i].ref, errstr, sizeof(errstr));
        if (resolve_cases[_i].error) {
                ck_assert_ptr_null(v);
                ck_assert_str_eq(errstr, resolve_cases[_i].error);
        } else {
                const char *p = resolve_cases[_i].pointer;
                ck_assert_ptr_nonnull(v);
                ck_assert_ptr_eq(v, json_pointer_get(doc->root, p, strlen(p)));
        }
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(ref_chain_too_long)
{
        struct buf text = BUF_INIT;
        buf_append_str(&text, "asyncapi: 2.6.0\nchannels: {}\nx-chain:\n");
        for (int i = 0; i < 70; i++)
                buf_printf(&text, "  s%d: {$ref: '#/x-chain/s%d'}\n", i, i + 1);
        buf_append_str(&text, "  s70: {type: string}\n");
        ck_assert_ptr_null(load_text(text.data));
        ck_assert_str_eq(errstr, "test.yaml: /x-chain/s0: $ref chain "
                                 "starting at \"#/x-chain/s1\" is longer "
                                 "than 64 links");
        buf_free(&text);
}
END_TEST

/* YAML syntax and structure */

START_TEST(yaml_syntax_error_position)
{
        expect_file_error("syntax-error.yaml",
                          ":4:23: mapping values are not allowed in this "
                          "context");
}
END_TEST

START_TEST(yaml_duplicate_key)
{
        expect_file_error("duplicate-key.yaml",
                          ":8:3: duplicate key \"orders\" in mapping "
                          "/channels");
}
END_TEST

START_TEST(yaml_duplicate_top_level_key)
{
        ck_assert_ptr_null(load_text("asyncapi: 2.6.0\nchannels: {}\n"
                                     "asyncapi: 2.5.0\n"));
        ck_assert_str_eq(errstr, "test.yaml:3:1: duplicate key \"asyncapi\" "
                                 "in the top-level mapping");
}
END_TEST

START_TEST(yaml_same_key_in_two_mappings)
{
        struct asyncapi_doc *doc = load_text("asyncapi: 2.6.0\nchannels: {}\n"
                                             "x-a: {k: 1}\nx-b: {k: 2}\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(yaml_two_documents)
{
        expect_file_error("two-documents.yaml",
                          ":3:1: a second YAML document starts here; the "
                          "file must hold exactly one");
}
END_TEST

START_TEST(yaml_empty_document)
{
        ck_assert_ptr_null(load_text("# only a comment\n"));
        ck_assert_str_eq(errstr, "test.yaml: the document is empty");
}
END_TEST

START_TEST(yaml_root_not_mapping)
{
        ck_assert_ptr_null(load_text("- asyncapi\n- 2.6.0\n"));
        ck_assert_str_eq(errstr, "test.yaml: the document must be an object "
                                 "(a mapping), got an array");
}
END_TEST

START_TEST(yaml_mapping_as_key)
{
        ck_assert_ptr_null(load_text("asyncapi: 2.6.0\nchannels: {}\n"
                                     "? {a: 1}\n: x\n"));
        ck_assert_str_eq(errstr, "test.yaml:3:3: a mapping cannot be a "
                                 "mapping key; keys must be scalars");
}
END_TEST

START_TEST(yaml_alias_as_key)
{
        ck_assert_ptr_null(load_text("asyncapi: &v 2.6.0\nchannels: {}\n"
                                     "*v : x\n"));
        ck_assert_str_eq(errstr, "test.yaml:3:1: an alias cannot be a "
                                 "mapping key; keys must be scalars");
}
END_TEST

START_TEST(yaml_merge_key_rejected)
{
        ck_assert_ptr_null(load_text("asyncapi: 2.6.0\nchannels: {}\n"
                                     "x-base: &base {type: string}\n"
                                     "x-more:\n  <<: *base\n"));
        ck_assert_str_eq(errstr, "test.yaml:5:3: merge keys (<<) belong to "
                                 "YAML 1.1 and are not supported; repeat the "
                                 "members or use $ref");
}
END_TEST

START_TEST(yaml_quoted_merge_key_is_text)
{
        struct asyncapi_doc *doc = load_text("asyncapi: 2.6.0\nchannels: {}\n"
                                             "x-more: {'<<': 1}\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct json_value *more = json_object_get(doc->root, "x-more");
        ck_assert_ptr_nonnull(json_object_get(more, "<<"));
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(yaml_invalid_utf8)
{
        ck_assert_ptr_null(load_text("asyncapi: 2.6.0\nchannels: {}\n"
                                     "x: \xff\n"));
        ck_assert_str_eq(errstr, "test.yaml: byte 32: invalid leading UTF-8 "
                                 "octet");
}
END_TEST

START_TEST(yaml_alias_shares_value)
{
        struct asyncapi_doc *doc =
                load_text("asyncapi: 2.6.0\nchannels: {}\n"
                          "x-a: &shared {type: string, enum: [a, b]}\n"
                          "x-b: *shared\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct json_value *a = json_object_get(doc->root, "x-a");
        const struct json_value *b = json_object_get(doc->root, "x-b");
        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(b);
        ck_assert(json_equal(a, b));
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(yaml_alias_latest_anchor)
{
        struct asyncapi_doc *doc = load_text("asyncapi: 2.6.0\nchannels: {}\n"
                                             "x-a: &a [&a [1], *a]\n"
                                             "x-b: *a\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct json_value *a = json_object_get(doc->root, "x-a");
        const struct json_value *b = json_object_get(doc->root, "x-b");
        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_nonnull(b);
        ck_assert_uint_eq(a->u.array.count, 2);
        ck_assert_ptr_eq(a->u.array.items[1], a->u.array.items[0]);
        ck_assert_ptr_eq(b, a->u.array.items[0]);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(yaml_alias_unknown_anchor)
{
        ck_assert_ptr_null(load_text("asyncapi: 2.6.0\nchannels: *nope\n"));
        ck_assert_str_eq(errstr, "test.yaml:2:11: alias *nope refers to no "
                                 "anchor defined before it");
}
END_TEST

START_TEST(yaml_alias_recursive)
{
        ck_assert_ptr_null(load_text("asyncapi: 2.6.0\nchannels: {}\n"
                                     "x-self: &self [1, *self]\n"));
        ck_assert_str_eq(errstr, "test.yaml:3:19: alias *self refers to a "
                                 "node that contains it; recursive aliases "
                                 "are not supported");
}
END_TEST

START_TEST(yaml_alias_bomb_rejected)
{
        expect_file_error("alias-bomb.yaml",
                          ":12:16: the document has more than 1000000 values "
                          "with its aliases expanded; aliases that multiply "
                          "this much are rejected");
}
END_TEST

START_TEST(yaml_nesting_too_deep)
{
        struct buf text = BUF_INIT;
        buf_append_str(&text, "asyncapi: 2.6.0\nchannels: {}\nx: ");
        for (int i = 0; i < 600; i++)
                buf_append_char(&text, '[');
        for (int i = 0; i < 600; i++)
                buf_append_char(&text, ']');
        buf_append_char(&text, '\n');
        ck_assert_ptr_null(load_text(text.data));
        ck_assert_str_eq(errstr, "test.yaml:3:515: nesting deeper than 512 "
                                 "levels (aliases expanded) is not "
                                 "supported");
        buf_free(&text);
}
END_TEST

START_TEST(yaml_nesting_at_limit)
{
        struct buf text = BUF_INIT;
        buf_append_str(&text, "asyncapi: 2.6.0\nchannels: {}\nx: ");
        for (int i = 0; i < 511; i++)
                buf_append_char(&text, '[');
        for (int i = 0; i < 511; i++)
                buf_append_char(&text, ']');
        buf_append_char(&text, '\n');
        struct asyncapi_doc *doc = load_text(text.data);
        ck_assert_msg(doc != NULL, "%s", errstr);
        asyncapi_destroy(doc);
        buf_free(&text);
}
END_TEST

START_TEST(yaml_alias_nesting_too_deep)
{
        struct buf text = BUF_INIT;
        buf_append_str(&text, "asyncapi: 2.6.0\nchannels: {}\nx-a: &a ");
        for (int i = 0; i < 300; i++)
                buf_append_char(&text, '[');
        for (int i = 0; i < 300; i++)
                buf_append_char(&text, ']');
        buf_append_str(&text, "\nx-b: ");
        for (int i = 0; i < 300; i++)
                buf_append_char(&text, '[');
        buf_append_str(&text, "*a");
        for (int i = 0; i < 300; i++)
                buf_append_char(&text, ']');
        buf_append_char(&text, '\n');
        ck_assert_ptr_null(load_text(text.data));
        ck_assert_str_eq(errstr, "test.yaml:4:306: nesting deeper than 512 "
                                 "levels (aliases expanded) is not "
                                 "supported");
        buf_free(&text);
}
END_TEST

/* Scalar typing by the YAML 1.2 core schema */

static const struct {
        const char *yaml;
        enum json_type type;
        const char *text; /* number literal, string or "true"/"false" */
} scalar_cases[] = {
        {"\"1\"", JSON_STRING, "1"},
        {"'1.0'", JSON_STRING, "1.0"},
        {"1.0", JSON_NUMBER, "1.0"},
        {"1", JSON_NUMBER, "1"},
        {"-17", JSON_NUMBER, "-17"},
        {"+12", JSON_NUMBER, "12"},
        {"007", JSON_NUMBER, "7"},
        {"-0", JSON_NUMBER, "-0"},
        {"0x1F", JSON_NUMBER, "31"},
        {"0o17", JSON_NUMBER, "15"},
        {"0xFFFFFFFFFFFFFFFF", JSON_NUMBER, "18446744073709551615"},
        {"12345678901234567890123", JSON_NUMBER, "12345678901234567890123"},
        {".5", JSON_NUMBER, "0.5"},
        {"-.5", JSON_NUMBER, "-0.5"},
        {"1.", JSON_NUMBER, "1.0"},
        {"+1.5e3", JSON_NUMBER, "1.5e3"},
        {"1e-7", JSON_NUMBER, "1e-7"},
        {"2.E+2", JSON_NUMBER, "2.0E+2"},
        {"yes", JSON_STRING, "yes"},
        {"no", JSON_STRING, "no"},
        {"on", JSON_STRING, "on"},
        {"y", JSON_STRING, "y"},
        {"true", JSON_BOOL, "true"},
        {"True", JSON_BOOL, "true"},
        {"FALSE", JSON_BOOL, "false"},
        {"tRUE", JSON_STRING, "tRUE"},
        {"null", JSON_NULL, NULL},
        {"Null", JSON_NULL, NULL},
        {"~", JSON_NULL, NULL},
        {"", JSON_NULL, NULL},
        {"nULL", JSON_STRING, "nULL"},
        {"1_000", JSON_STRING, "1_000"},
        {"0X1F", JSON_STRING, "0X1F"},
        {"-0x1F", JSON_STRING, "-0x1F"},
        {"0b101", JSON_STRING, "0b101"},
        {"1:20", JSON_STRING, "1:20"},
        {"2026-12-04", JSON_STRING, "2026-12-04"},
        {"1e", JSON_STRING, "1e"},
        {".", JSON_STRING, "."},
        {"infinity", JSON_STRING, "infinity"},
        {"'.inf'", JSON_STRING, ".inf"},
        {"!!str 1", JSON_STRING, "1"},
        {"!!str true", JSON_STRING, "true"},
        {"!!str", JSON_STRING, ""},
        {"! 12", JSON_STRING, "12"},
        {"!!int 0x10", JSON_NUMBER, "16"},
        {"!!int \"42\"", JSON_NUMBER, "42"},
        {"!!float 3", JSON_NUMBER, "3"},
        {"!!bool \"true\"", JSON_BOOL, "true"},
        {"!!null ''", JSON_NULL, NULL},
        {"|\n  two\n  lines\n", JSON_STRING, "two\nlines\n"},
        {">-\n  folded\n  text\n", JSON_STRING, "folded text"},
        {"\"tab\\there\"", JSON_STRING, "tab\there"},
        {"caf\xc3\xa9", JSON_STRING, "caf\xc3\xa9"},
};

START_TEST(scalar_typed)
{
        struct buf text = BUF_INIT;
        buf_printf(&text, "asyncapi: 2.6.0\nchannels: {}\nx-value: %s\n",
                   scalar_cases[_i].yaml);
        struct asyncapi_doc *doc = load_text(text.data);
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct json_value *v = json_object_get(doc->root, "x-value");
        ck_assert_ptr_nonnull(v);
        ck_assert_int_eq(v->type, scalar_cases[_i].type);
        const char *expected = scalar_cases[_i].text;
        switch (v->type) {
        case JSON_NUMBER:
                ck_assert_uint_eq(v->u.number.len, strlen(expected));
                ck_assert_mem_eq(v->u.number.text, expected, strlen(expected));
                break;
        case JSON_STRING:
                ck_assert_str_eq(v->u.string.s, expected);
                break;
        case JSON_BOOL:
                ck_assert_int_eq(v->u.boolean, strcmp(expected, "true") == 0);
                break;
        default:
                break;
        }
        asyncapi_destroy(doc);
        buf_free(&text);
}
END_TEST

static const struct {
        const char *yaml;
        const char *error; /* after "test.yaml:3:10: " */
} scalar_errors[] = {
        {".inf", "\".inf\" has no JSON representation; quote it to keep it "
                 "as a string"},
        {"-.Inf", "\"-.Inf\" has no JSON representation; quote it to keep "
                  "it as a string"},
        {".NaN", "\".NaN\" has no JSON representation; quote it to keep it "
                 "as a string"},
        {"!!float .nan", "\".nan\" has no JSON representation; quote it to "
                         "keep it as a string"},
        {"0x10000000000000000", "integer \"0x10000000000000000\" does not "
                                "fit in 64 bits; write it in decimal or "
                                "quote it as a string"},
        {"!!int 1.5", "value \"1.5\" is not a valid !!int in the YAML 1.2 "
                      "core schema"},
        {"!!bool yes", "value \"yes\" is not a valid !!bool in the YAML 1.2 "
                       "core schema"},
        {"!!null 0", "value \"0\" is not a valid !!null in the YAML 1.2 core "
                     "schema"},
        {"!!float abc", "value \"abc\" is not a valid !!float in the YAML "
                        "1.2 core schema"},
        {"!!timestamp 2026-12-04", "unsupported tag !!timestamp on a "
                                   "scalar; only !!str, !!int, !!float, "
                                   "!!bool and !!null are supported"},
        {"!local x", "unsupported tag \"!local\"; only the YAML 1.2 core "
                     "schema tags are supported"},
        {"!!map [1]", "unsupported tag \"tag:yaml.org,2002:map\" on a "
                      "sequence"},
};

START_TEST(scalar_rejected)
{
        struct buf text = BUF_INIT;
        buf_printf(&text, "asyncapi: 2.6.0\nchannels: {}\nx-value: %s\n",
                   scalar_errors[_i].yaml);
        ck_assert_ptr_null(load_text(text.data));
        const char *prefix = "test.yaml:3:10: ";
        ck_assert_msg(strncmp(errstr, prefix, strlen(prefix)) == 0, "%s",
                      errstr);
        ck_assert_str_eq(errstr + strlen(prefix), scalar_errors[_i].error);
        buf_free(&text);
}
END_TEST

START_TEST(scalar_keys_stay_text)
{
        struct asyncapi_doc *doc = load_text(
                "asyncapi: 2.6.0\nchannels: {}\n"
                "x-codes: {200: ok, 0x10: hex, null: n, true: t, 1.0: f}\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct json_value *codes = json_object_get(doc->root, "x-codes");
        ck_assert_ptr_nonnull(codes);
        ck_assert_uint_eq(codes->u.object.count, 5);
        ck_assert_ptr_nonnull(json_object_get(codes, "200"));
        ck_assert_ptr_nonnull(json_object_get(codes, "0x10"));
        ck_assert_ptr_nonnull(json_object_get(codes, "null"));
        ck_assert_ptr_nonnull(json_object_get(codes, "true"));
        ck_assert_ptr_nonnull(json_object_get(codes, "1.0"));
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(scalar_nul_byte_kept)
{
        struct asyncapi_doc *doc = load_text("asyncapi: 2.6.0\nchannels: {}\n"
                                             "x-value: \"a\\0b\"\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        const struct json_value *v = json_object_get(doc->root, "x-value");
        ck_assert_ptr_nonnull(v);
        ck_assert_uint_eq(v->u.string.len, 3);
        ck_assert_mem_eq(v->u.string.s, "a\0b", 3);
        asyncapi_destroy(doc);
}
END_TEST

/* Document structure */

START_TEST(version_wrong_major)
{
        expect_file_error("wrong-version.yaml",
                          ": /asyncapi: version \"3.0.0\" is not supported; "
                          "only AsyncAPI 2.x versions such as \"2.6.0\" "
                          "are");
}
END_TEST

static const struct {
        const char *yaml;
        const char *error;
} version_cases[] = {
        {"channels: {}\n",
         "test.yaml: /asyncapi: missing; the document must name its AsyncAPI "
         "version, such as \"2.6.0\""},
        {"asyncapi: 2.6\nchannels: {}\n",
         "test.yaml: /asyncapi: expected a version string such as "
         "\"2.6.0\", got number 2.6 (quote the version in YAML)"},
        {"asyncapi: '2.x'\nchannels: {}\n",
         "test.yaml: /asyncapi: version \"2.x\" is not supported; only "
         "AsyncAPI 2.x versions such as \"2.6.0\" are"},
        {"asyncapi: '1.2.0'\nchannels: {}\n",
         "test.yaml: /asyncapi: version \"1.2.0\" is not supported; only "
         "AsyncAPI 2.x versions such as \"2.6.0\" are"},
        {"asyncapi: '2.6.0'\n",
         "test.yaml: /channels: missing; an AsyncAPI document needs a "
         "channels object"},
        {"asyncapi: '2.6.0'\nchannels: [a]\n",
         "test.yaml: /channels: expected an object of channels (a mapping), "
         "got an array"},
};

START_TEST(version_and_channels_checked)
{
        ck_assert_ptr_null(load_text(version_cases[_i].yaml));
        ck_assert_str_eq(errstr, version_cases[_i].error);
}
END_TEST

START_TEST(version_prerelease_accepted)
{
        struct asyncapi_doc *doc = load_text("asyncapi: 2.7.0-rc1\n"
                                             "channels: {}\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_str_eq(doc->version, "2.7.0-rc1");
        ck_assert_uint_eq(doc->channel_count, 0);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(channel_without_message)
{
        struct asyncapi_doc *doc = load_data("no-message.yaml");
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_uint_eq(doc->channel_count, 2);
        for (size_t i = 0; i < 2; i++) {
                ck_assert_ptr_null(doc->channels[i].message_name);
                ck_assert_ptr_null(doc->channels[i].payload);
                ck_assert_ptr_null(doc->channels[i].payload_pointer);
        }
        ck_assert_str_eq(doc->channels[0].name, "quiet");
        ck_assert_str_eq(doc->channels[1].name, "empty");
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(channel_message_without_payload)
{
        struct asyncapi_doc *doc =
                load_text("asyncapi: 2.6.0\nchannels:\n"
                          "  c: {subscribe: {message: {name: Bare}}}\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_str_eq(doc->channels[0].message_name, "Bare");
        ck_assert_ptr_null(doc->channels[0].payload);
        ck_assert_ptr_null(doc->channels[0].payload_pointer);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(channel_subscribe_before_publish)
{
        struct asyncapi_doc *doc = load_text(
                "asyncapi: 2.6.0\nchannels:\n"
                "  c:\n"
                "    publish: {message: {payload: {type: string}}}\n"
                "    subscribe: {message: {payload: {type: integer}}}\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_str_eq(doc->channels[0].payload_pointer,
                         "/channels/c/subscribe/message/payload");
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(channel_item_by_ref)
{
        struct asyncapi_doc *doc = load_text(
                "asyncapi: 2.6.0\nchannels:\n"
                "  c: {$ref: '#/x-items/shared'}\n"
                "x-items:\n"
                "  shared: {subscribe: {message: {payload: {type: string}}}}"
                "\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_str_eq(doc->channels[0].name, "c");
        ck_assert_str_eq(doc->channels[0].payload_pointer,
                         "/x-items/shared/subscribe/message/payload");
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(channel_schema_format_accepted)
{
        struct asyncapi_doc *doc =
                load_text("asyncapi: 2.6.0\nchannels:\n"
                          "  c:\n"
                          "    subscribe:\n"
                          "      message:\n"
                          "        schemaFormat: "
                          "'application/schema+json;version=draft-07'\n"
                          "        payload: {type: string}\n");
        ck_assert_msg(doc != NULL, "%s", errstr);
        ck_assert_ptr_nonnull(doc->channels[0].payload);
        asyncapi_destroy(doc);
}
END_TEST

START_TEST(channel_schema_format_avro_rejected)
{
        ck_assert_ptr_null(
                load_text("asyncapi: 2.6.0\nchannels:\n"
                          "  c:\n"
                          "    subscribe:\n"
                          "      message:\n"
                          "        schemaFormat: "
                          "'application/vnd.apache.avro;version=1.9.0'\n"
                          "        payload: {type: record}\n"));
        ck_assert_str_eq(errstr,
                         "test.yaml: /channels/c/subscribe/message: "
                         "schemaFormat string "
                         "\"application/vnd.apache.avro;version=1.9.0\" is "
                         "not supported; payloads must be AsyncAPI or JSON "
                         "Schema draft-07 schemas");
}
END_TEST

START_TEST(channel_one_of_rejected)
{
        expect_file_error("one-of.yaml",
                          ": /channels/mixed/subscribe/message: oneOf: "
                          "several messages per channel are not supported; "
                          "give the channel a single message");
}
END_TEST

START_TEST(channel_operation_not_object)
{
        ck_assert_ptr_null(load_text("asyncapi: 2.6.0\nchannels:\n"
                                     "  c~/d: {subscribe: yes}\n"));
        ck_assert_str_eq(errstr, "test.yaml: /channels/c~0~1d/subscribe: "
                                 "expected an operation object (a mapping), "
                                 "got string \"yes\"");
}
END_TEST

/* Files */

START_TEST(file_not_found)
{
        ck_assert_ptr_null(load_data("missing.yaml"));
        struct buf expected = BUF_INIT;
        buf_printf(&expected, "%s: cannot open: No such file or directory",
                   data_path("missing.yaml"));
        ck_assert_str_eq(errstr, expected.data);
        buf_free(&expected);
}
END_TEST

START_TEST(file_is_directory)
{
        ck_assert_ptr_null(load_data(""));
        struct buf expected = BUF_INIT;
        buf_printf(&expected, "%s: read failed: Is a directory", data_path(""));
        ck_assert_str_eq(errstr, expected.data);
        buf_free(&expected);
}
END_TEST

START_TEST(destroy_null)
{
        asyncapi_destroy(NULL);
}
END_TEST

static TCase *tcase(Suite *s, const char *name)
{
        TCase *tc = tcase_create(name);
        suite_add_tcase(s, tc);
        return tc;
}

#define ROWS(table) ((int)(sizeof(table) / sizeof((table)[0])))

static Suite *asyncapi_suite(void)
{
        Suite *s = suite_create("asyncapi");
        TCase *tc;

        tc = tcase(s, "builtin");
        tcase_add_test(tc, builtin_header);
        tcase_add_loop_test(tc, builtin_channel_in_order, 0,
                            ROWS(builtin_channels));
        tcase_add_loop_test(tc, builtin_payload_is_schema, 0,
                            ROWS(builtin_channels));
        tcase_add_test(tc, builtin_status_enums);
        tcase_add_test(tc, find_channel_unknown_name);

        tc = tcase(s, "json_input");
        tcase_add_test(tc, json_same_as_yaml);
        tcase_add_test(tc, small_channels);
        tcase_add_test(tc, json_leading_space);
        tcase_add_test(tc, json_syntax_error_named);

        tc = tcase(s, "ref_resolve");
        tcase_add_test(tc, ref_to_ref);
        tcase_add_loop_test(tc, ref_escapes, 0, ROWS(escape_cases));
        tcase_add_test(tc, ref_recursive_schema_loads);
        tcase_add_test(tc, ref_inside_data_ignored);
        tcase_add_test(tc, ref_under_base_id_skipped);
        tcase_add_loop_test(tc, resolve_ref_cases, 0, ROWS(resolve_cases));

        tc = tcase(s, "ref_errors");
        tcase_set_timeout(tc, 10);
        tcase_add_test(tc, ref_dangling_message);
        tcase_add_test(tc, ref_dangling_after_link);
        tcase_add_test(tc, ref_loop_of_two);
        tcase_add_test(tc, ref_loop_of_one);
        tcase_add_test(tc, ref_non_local);
        tcase_add_test(tc, ref_chain_too_long);

        tc = tcase(s, "yaml_syntax");
        tcase_add_test(tc, yaml_syntax_error_position);
        tcase_add_test(tc, yaml_invalid_utf8);
        tcase_add_test(tc, yaml_two_documents);
        tcase_add_test(tc, yaml_empty_document);
        tcase_add_test(tc, yaml_root_not_mapping);

        tc = tcase(s, "yaml_keys");
        tcase_add_test(tc, yaml_duplicate_key);
        tcase_add_test(tc, yaml_duplicate_top_level_key);
        tcase_add_test(tc, yaml_same_key_in_two_mappings);
        tcase_add_test(tc, yaml_mapping_as_key);
        tcase_add_test(tc, yaml_alias_as_key);
        tcase_add_test(tc, yaml_merge_key_rejected);
        tcase_add_test(tc, yaml_quoted_merge_key_is_text);

        tc = tcase(s, "yaml_aliases");
        tcase_set_timeout(tc, 10);
        tcase_add_test(tc, yaml_alias_shares_value);
        tcase_add_test(tc, yaml_alias_latest_anchor);
        tcase_add_test(tc, yaml_alias_unknown_anchor);
        tcase_add_test(tc, yaml_alias_recursive);
        tcase_add_test(tc, yaml_alias_bomb_rejected);

        tc = tcase(s, "yaml_depth");
        tcase_add_test(tc, yaml_nesting_too_deep);
        tcase_add_test(tc, yaml_nesting_at_limit);
        tcase_add_test(tc, yaml_alias_nesting_too_deep);

        tc = tcase(s, "yaml_scalars");
        tcase_add_loop_test(tc, scalar_typed, 0, ROWS(scalar_cases));
        tcase_add_loop_test(tc, scalar_rejected, 0, ROWS(scalar_errors));
        tcase_add_test(tc, scalar_keys_stay_text);
        tcase_add_test(tc, scalar_nul_byte_kept);

        tc = tcase(s, "version");
        tcase_add_test(tc, version_wrong_major);
        tcase_add_loop_test(tc, version_and_channels_checked, 0,
                            ROWS(version_cases));
        tcase_add_test(tc, version_prerelease_accepted);

        tc = tcase(s, "channels");
        tcase_add_test(tc, channel_without_message);
        tcase_add_test(tc, channel_message_without_payload);
        tcase_add_test(tc, channel_subscribe_before_publish);
        tcase_add_test(tc, channel_item_by_ref);
        tcase_add_test(tc, channel_schema_format_accepted);
        tcase_add_test(tc, channel_schema_format_avro_rejected);
        tcase_add_test(tc, channel_one_of_rejected);
        tcase_add_test(tc, channel_operation_not_object);

        tc = tcase(s, "files");
        tcase_add_test(tc, file_not_found);
        tcase_add_test(tc, file_is_directory);
        tcase_add_test(tc, destroy_null);
        return s;
}

int main(void)
{
        SRunner *runner = srunner_create(asyncapi_suite());
        srunner_run_all(runner, CK_NORMAL);
        int failed = srunner_ntests_failed(runner);
        srunner_free(runner);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
