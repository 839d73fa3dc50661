/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the JSON Schema draft-07 validator (schema module). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "json.h"
#include "schema.h"

static struct json_doc *doc;
static struct schema_ctx *ctx;
static char compile_reason[512];

static void setup(void)
{
        doc = json_doc_new();
        ctx = NULL;
}

static void teardown(void)
{
        schema_ctx_destroy(ctx);
        json_doc_destroy(doc);
}

static const struct json_value *parse(const char *text)
{
        char reason[256];
        const struct json_value *v = json_parse(doc, text, strlen(text),
                                                100000, NULL, reason,
                                                sizeof(reason));
        ck_assert_msg(v != NULL, "cannot parse %s: %s", text, reason);
        return v;
}

/* Compiles the document text itself; NULL with compile_reason set. */
static const struct schema *try_compile(const char *text,
                                        int format_assertion)
{
        struct schema_options options = {format_assertion};
        const struct json_value *root = parse(text);
        schema_ctx_destroy(ctx);
        ctx = schema_ctx_new(root, &options);
        compile_reason[0] = '\0';
        return schema_compile(ctx, root, compile_reason,
                              sizeof(compile_reason));
}

static const struct schema *compile(const char *text)
{
        const struct schema *s = try_compile(text, 1);
        ck_assert_msg(s != NULL, "cannot compile %s: %s", text,
                      compile_reason);
        return s;
}

static int validate(const struct schema *s, const char *instance,
                    struct schema_error *err)
{
        return schema_validate(s, parse(instance), err);
}

#define ck_assert_valid(s, instance)                                        \
        ck_assert_msg(validate(s, instance, NULL) == 0,                     \
                      "expected %s to be valid", instance)

#define ck_assert_invalid(s, instance)                                      \
        ck_assert_msg(validate(s, instance, NULL) == 1,                     \
                      "expected %s to be invalid", instance)

#define ck_assert_error(s, instance, ptr, kw, msg)                          \
        do {                                                                \
                struct schema_error e_;                                     \
                ck_assert_int_eq(validate(s, instance, &e_), 1);            \
                ck_assert_str_eq(e_.pointer, ptr);                          \
                ck_assert_str_eq(e_.keyword, kw);                           \
                ck_assert_str_eq(e_.message, msg);                          \
        } while (0)

/* ---- type ---- */

START_TEST(type_error_names_pointer_and_value)
{
        const struct schema *s = compile("{\"properties\":{\"workflowVersion\":"
                                         "{\"type\":\"integer\"}}}");
        ck_assert_error(s, "{\"workflowVersion\":\"2\"}", "/workflowVersion",
                        "type", "expected integer, got string \"2\"");
}
END_TEST

START_TEST(type_list_names_every_type)
{
        const struct schema *s =
                compile("{\"type\":[\"null\",\"string\",\"number\"]}");
        ck_assert_error(s, "true", "", "type",
                        "expected null, number or string, got boolean true");
}
END_TEST

static const struct {
        const char *type;
        const char *instance;
        int valid;
} type_rows[] = {
        {"\"integer\"", "1", 1},
        {"\"integer\"", "1.0", 1},
        {"\"integer\"", "1e2", 1},
        {"\"integer\"", "-0", 1},
        {"\"integer\"", "1.5", 0},
        {"\"integer\"", "1e400", 1},
        {"\"integer\"", "1e-400", 0},
        {"\"integer\"", "\"1\"", 0},
        {"\"number\"", "1", 1},
        {"\"number\"", "1.5", 1},
        {"\"number\"", "\"1\"", 0},
        {"\"string\"", "\"\"", 1},
        {"\"string\"", "null", 0},
        {"\"boolean\"", "false", 1},
        {"\"boolean\"", "0", 0},
        {"\"null\"", "null", 1},
        {"\"null\"", "false", 0},
        {"\"array\"", "[]", 1},
        {"\"array\"", "{}", 0},
        {"\"object\"", "{}", 1},
        {"\"object\"", "[]", 0},
        {"[\"string\",\"null\"]", "null", 1},
        {"[\"string\",\"null\"]", "1", 0},
        {"[]", "null", 0},
};

START_TEST(type_table)
{
        char text[128];
        snprintf(text, sizeof(text), "{\"type\":%s}", type_rows[_i].type);
        const struct schema *s = compile(text);
        ck_assert_msg(validate(s, type_rows[_i].instance, NULL) ==
                              !type_rows[_i].valid,
                      "type %s, instance %s", type_rows[_i].type,
                      type_rows[_i].instance);
}
END_TEST

/* ---- enum and const ---- */

START_TEST(enum_error_lists_values)
{
        const struct schema *s = compile(
                "{\"properties\":{\"status\":{\"enum\":[\"RUNNING\","
                "\"COMPLETED\",\"FAILED\"]}}}");
        ck_assert_error(s, "{\"status\":\"DONE\"}", "/status", "enum",
                        "expected one of \"RUNNING\", \"COMPLETED\", "
                        "\"FAILED\", got \"DONE\"");
}
END_TEST

START_TEST(enum_error_truncates_long_list)
{
        struct buf text = BUF_INIT;
        buf_append_str(&text, "{\"enum\":[");
        for (int i = 0; i < 100; i++)
                buf_printf(&text, "%s\"VALUE_%03d\"", i ? "," : "", i);
        buf_append_str(&text, "]}");
        const struct schema *s = compile(text.data);
        struct schema_error err;
        ck_assert_int_eq(validate(s, "\"VALUE_100\"", &err), 1);
        ck_assert_msg(strstr(err.message, "\"VALUE_000\", \"VALUE_001\"") ==
                              err.message + strlen("expected one of "),
                      "%s", err.message);
        ck_assert_msg(strstr(err.message, ", ... got \"VALUE_100\"") != NULL,
                      "%s", err.message);
        ck_assert_msg(strstr(err.message, "VALUE_099") == NULL, "%s",
                      err.message);
        buf_free(&text);
}
END_TEST

START_TEST(enum_compares_big_integers_exactly)
{
        const struct schema *s = compile("{\"enum\":[9007199254740993]}");
        ck_assert_valid(s, "9007199254740993");
        ck_assert_valid(s, "9007199254740993.0");
        ck_assert_invalid(s, "9007199254740992");
        ck_assert_invalid(s, "9007199254740994");
}
END_TEST

START_TEST(const_compares_big_integers_exactly)
{
        const struct schema *s = compile("{\"const\":9007199254740992}");
        ck_assert_error(s, "9007199254740993", "", "const",
                        "expected 9007199254740992, got integer "
                        "9007199254740993");
        ck_assert_valid(s, "9007199254740992");
        ck_assert_valid(s, "90071992547409920e-1");
}
END_TEST

START_TEST(const_quotes_long_values_cut)
{
        const struct schema *s = compile("{\"const\":\"x\"}");
        struct schema_error err;
        const char *long_string = "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"";
        ck_assert_int_eq(validate(s, long_string, &err), 1);
        ck_assert_str_eq(err.message,
                         "expected \"x\", got string \"aaaaaaaaaaaaaaaaaaaaaaa"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...");
}
END_TEST

START_TEST(const_object_ignores_member_order)
{
        const struct schema *s = compile("{\"const\":{\"a\":1,\"b\":[1.0]}}");
        ck_assert_valid(s, "{\"b\":[1],\"a\":1.0}");
        ck_assert_invalid(s, "{\"b\":[1],\"a\":2}");
}
END_TEST

/* ---- numbers ---- */

START_TEST(maximum_rejects_1e400)
{
        const struct schema *s = compile("{\"maximum\":1e308}");
        ck_assert_error(s, "1e400", "", "maximum",
                        "expected at most 1e308, got 1e400");
        ck_assert_valid(s, "1e308");
        ck_assert_valid(s, "-1e400");
}
END_TEST

START_TEST(minimum_compares_big_integers_exactly)
{
        const struct schema *s = compile("{\"minimum\":9007199254740993}");
        ck_assert_error(s, "9007199254740992", "", "minimum",
                        "expected at least 9007199254740993, got "
                        "9007199254740992");
        ck_assert_valid(s, "9007199254740993");
}
END_TEST

START_TEST(exclusive_bounds_reject_equal)
{
        const struct schema *s = compile(
                "{\"exclusiveMaximum\":10,\"exclusiveMinimum\":0.5}");
        ck_assert_error(s, "10.0", "", "exclusiveMaximum",
                        "expected less than 10, got 10.0");
        ck_assert_error(s, "0.5", "", "exclusiveMinimum",
                        "expected greater than 0.5, got 0.5");
        ck_assert_valid(s, "9.999999999999999999999");
}
END_TEST

START_TEST(multiple_of_error_message)
{
        const struct schema *s = compile("{\"multipleOf\":0.01}");
        ck_assert_error(s, "19.999", "", "multipleOf",
                        "expected a multiple of 0.01, got 19.999");
}
END_TEST

static const struct {
        const char *divisor;
        const char *instance;
        int valid;
} multiple_rows[] = {
        {"0.01", "19.99", 1},
        {"0.01", "19.999", 0},
        {"0.01", "-0.07", 1},
        {"0.1", "0.3", 1},
        {"0.0001", "0.0075", 1},
        {"3", "9", 1},
        {"3", "10", 0},
        {"3", "9.0", 1},
        {"3", "4.5", 0},
        {"1.5", "4.5", 1},
        {"1.5", "4.6", 0},
        {"7", "9223372036854775807", 1},
        {"7", "9223372036854775808", 0},
        {"2", "18446744073709551616", 1},
        {"123456789012345678901", "246913578024691357802", 1},
        {"123456789012345678901", "246913578024691357803", 0},
        {"1e-400", "1e-399", 1},
        {"1e-400", "3e-400", 1},
        {"1e-400", "1e-401", 0},
        {"1e-400", "1", 1},
        {"3e-400", "1e-400", 0},
        {"2", "1e999999999", 1},
        {"3", "1e999999999", 0},
        {"7", "7e999999999", 1},
        {"5e999999999", "1e1000000000", 1},
        {"1e1000000000", "5e999999999", 0},
        {"0.5", "1e999999999", 1},
        {"1e999999999", "0", 1},
        {"0.25", "1e-999999999", 0},
        {"0.0001", "1e308", 1},
};

START_TEST(multiple_of_table)
{
        char text[128];
        snprintf(text, sizeof(text), "{\"multipleOf\":%s}",
                 multiple_rows[_i].divisor);
        const struct schema *s = compile(text);
        ck_assert_msg(validate(s, multiple_rows[_i].instance, NULL) ==
                              !multiple_rows[_i].valid,
                      "%s multipleOf %s", multiple_rows[_i].instance,
                      multiple_rows[_i].divisor);
}
END_TEST

/* ---- strings ---- */

START_TEST(length_counts_code_points)
{
        const struct schema *s =
                compile("{\"maxLength\":5,\"minLength\":3}");
        ck_assert_valid(s, "\"h\\u00e9llo\"");    /* 6 bytes */
        ck_assert_valid(s, "\"\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\"");
        ck_assert_error(s, "\"\\u65e5\\u672c\"", "", "minLength",
                        "expected at least 3 characters, got 2");
        ck_assert_error(s, "\"h\\u00e9llo!\"", "", "maxLength",
                        "expected at most 5 characters, got 6");
}
END_TEST

START_TEST(pattern_error_message)
{
        const struct schema *s = compile("{\"pattern\":\"^[A-Z_]+$\"}");
        ck_assert_error(s, "\"Done\"", "", "pattern",
                        "expected a string matching \"^[A-Z_]+$\", got "
                        "\"Done\"");
        ck_assert_valid(s, "\"IN_PROGRESS\"");
}
END_TEST

START_TEST(pattern_is_a_search)
{
        const struct schema *s = compile("{\"pattern\":\"b+\"}");
        ck_assert_valid(s, "\"abbc\"");
        ck_assert_invalid(s, "\"ac\"");
}
END_TEST

START_TEST(pattern_uses_ecma_escapes)
{
        const struct schema *s = compile(
                "{\"pattern\":\"^\\\\u00e9\\\\x41\\\\d$\"}");
        ck_assert_valid(s, "\"\\u00e9A7\"");
        /* "\d" is ASCII only, as in ECMA-262. */
        ck_assert_invalid(s, "\"\\u00e9A\\u0663\"");
}
END_TEST

START_TEST(pattern_dollar_is_end_only)
{
        const struct schema *s = compile("{\"pattern\":\"^abc$\"}");
        ck_assert_valid(s, "\"abc\"");
        ck_assert_invalid(s, "\"abc\\n\"");
}
END_TEST

START_TEST(pattern_limit_stops_catastrophic)
{
        const struct schema *s = compile("{\"pattern\":\"^(a|a)*$\"}");
        struct schema_error err;
        time_t start = time(NULL);
        ck_assert_int_eq(validate(s,
                                  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"",
                                  &err),
                         1);
        ck_assert_int_le(time(NULL) - start, 2);
        ck_assert_str_eq(err.keyword, "pattern");
        ck_assert_str_eq(err.message,
                         "pattern \"^(a|a)*$\" hit the regex match limit on "
                         "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", so the "
                         "value counts as invalid");
}
END_TEST

START_TEST(pattern_limit_is_not_inverted_by_not)
{
        const struct schema *s =
                compile("{\"not\":{\"pattern\":\"^(a|a)*$\"}}");
        struct schema_error err;
        ck_assert_int_eq(validate(s,
                                  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"",
                                  &err),
                         1);
        ck_assert_str_eq(err.keyword, "pattern");
}
END_TEST

START_TEST(pattern_properties_limit_on_name)
{
        const struct schema *s = compile(
                "{\"patternProperties\":{\"^(a|a)*$\":{\"type\":\"string\"}}}");
        struct schema_error err;
        const char *instance = "{\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\":1}";
        ck_assert_int_eq(validate(s, instance, &err), 1);
        ck_assert_str_eq(err.keyword, "patternProperties");
}
END_TEST

/* ---- format ---- */

static const struct {
        const char *format;
        const char *instance;
        int valid;
} format_rows[] = {
        {"date-time", "2026-03-01T09:15:02.117Z", 1},
        {"date-time", "2026-03-01t09:15:02+05:30", 1},
        {"date-time", "2026-02-29T09:15:02Z", 0},
        {"date-time", "2024-02-29T09:15:02Z", 1},
        {"date-time", "2026-03-01 09:15:02Z", 0},
        {"date-time", "2026-03-01T09:15:02", 0},
        {"date-time", "1998-12-31T23:59:60Z", 1},
        {"date-time", "1998-12-31T15:59:60-08:00", 1},
        {"date-time", "1998-12-31T22:59:60Z", 0},
        {"date", "2026-12-31", 1},
        {"date", "2026-13-01", 0},
        {"date", "2026-1-01", 0},
        {"time", "08:30:06.283185Z", 1},
        {"time", "24:00:00Z", 0},
        {"time", "08:30:06", 0},
        {"time", "08:30:06+24:00", 0},
        {"email", "joe.bloggs@example.com", 1},
        {"email", "\\\"joe bloggs\\\"@example.com", 1},
        {"email", "joe..bloggs@example.com", 0},
        {"email", ".joe@example.com", 0},
        {"email", "joe@[127.0.0.1]", 1},
        {"email", "joe", 0},
        {"hostname", "www.example.com", 1},
        {"hostname", "example.com.", 1},
        {"hostname", "-example.com", 0},
        {"hostname", "a_b.com", 0},
        {"hostname", "", 0},
        {"ipv4", "192.168.0.1", 1},
        {"ipv4", "256.0.0.1", 0},
        {"ipv4", "01.2.3.4", 0},
        {"ipv4", "1.2.3", 0},
        {"ipv6", "::1", 1},
        {"ipv6", "2001:db8::ff00:42:8329", 1},
        {"ipv6", "::ffff:192.0.2.128", 1},
        {"ipv6", "1:2:3:4:5:6:7:8", 1},
        {"ipv6", "1:2:3:4:5:6:7:8:9", 0},
        {"ipv6", "1::2::3", 0},
        {"ipv6", "12345::", 0},
        {"uri", "http://example.com/a?b=c#d", 1},
        {"uri", "urn:isbn:0451450523", 1},
        {"uri", "http://[::1]:8080/", 1},
        {"uri", "//example.com/a", 0},
        {"uri", "http://exa mple.com", 0},
        {"uri", "http://example.com/%zz", 0},
        {"uri-reference", "../a/b?c", 1},
        {"uri-reference", "#frag", 1},
        {"uri-reference", "a:b:c\\\\d", 0},
        {"json-pointer", "/a~0b/c~1d", 1},
        {"json-pointer", "", 1},
        {"json-pointer", "a/b", 0},
        {"json-pointer", "/a~2", 0},
        {"relative-json-pointer", "0#", 1},
        {"relative-json-pointer", "1/a", 1},
        {"relative-json-pointer", "01/a", 0},
        {"relative-json-pointer", "/a", 0},
        {"regex", "^[a-z]+$", 1},
        {"regex", "(", 0},
        {"unknown-format", "anything", 1},
};

START_TEST(format_table)
{
        char schema_text[128], instance[128];
        snprintf(schema_text, sizeof(schema_text), "{\"format\":\"%s\"}",
                 format_rows[_i].format);
        snprintf(instance, sizeof(instance), "\"%s\"",
                 format_rows[_i].instance);
        const struct schema *s = compile(schema_text);
        ck_assert_msg(validate(s, instance, NULL) == !format_rows[_i].valid,
                      "format %s, instance %s", format_rows[_i].format,
                      instance);
}
END_TEST

START_TEST(format_error_message)
{
        const struct schema *s = compile("{\"format\":\"date-time\"}");
        ck_assert_error(s, "\"yesterday\"", "", "format",
                        "expected format \"date-time\", got \"yesterday\"");
        ck_assert_valid(s, "12");
}
END_TEST

START_TEST(format_off_is_annotation)
{
        const struct schema *s =
                try_compile("{\"format\":\"date-time\"}", 0);
        ck_assert_ptr_nonnull(s);
        ck_assert_valid(s, "\"yesterday\"");
}
END_TEST

/* ---- arrays ---- */

START_TEST(items_error_points_at_item)
{
        const struct schema *s =
                compile("{\"items\":{\"type\":\"string\"}}");
        ck_assert_error(s, "[\"a\",\"b\",3]", "/2", "type",
                        "expected string, got integer 3");
}
END_TEST

START_TEST(additional_items_false_counts_items)
{
        const struct schema *s = compile(
                "{\"items\":[{},{}],\"additionalItems\":false}");
        ck_assert_error(s, "[1,2,3]", "", "additionalItems",
                        "expected at most 2 items, got 3");
        ck_assert_valid(s, "[1,2]");
}
END_TEST

START_TEST(additional_items_schema_checks_rest)
{
        const struct schema *s = compile(
                "{\"items\":[{\"type\":\"string\"}],"
                "\"additionalItems\":{\"type\":\"integer\"}}");
        ck_assert_error(s, "[\"a\",1,2.5]", "/2", "type",
                        "expected integer, got number 2.5");
}
END_TEST

START_TEST(item_count_bounds)
{
        const struct schema *s = compile("{\"minItems\":1,\"maxItems\":2}");
        ck_assert_error(s, "[]", "", "minItems",
                        "expected at least 1 items, got 0");
        ck_assert_error(s, "[1,2,3]", "", "maxItems",
                        "expected at most 2 items, got 3");
}
END_TEST

START_TEST(unique_items_uses_json_equality)
{
        const struct schema *s = compile("{\"uniqueItems\":true}");
        ck_assert_error(s, "[1,{\"a\":[1]},1.0]", "", "uniqueItems",
                        "expected unique items, but items 0 and 2 are equal");
        ck_assert_invalid(s, "[{\"a\":1,\"b\":2},{\"b\":2,\"a\":1}]");
        ck_assert_valid(s, "[9007199254740993,9007199254740992]");
        ck_assert_valid(s, "[[1],[true],{\"1\":1},\"1\",1.5]");
}
END_TEST

START_TEST(unique_items_many_items)
{
        struct buf text = BUF_INIT;
        buf_append_char(&text, '[');
        for (int i = 0; i < 1000; i++)
                buf_printf(&text, "%s{\"n\":%d.0}", i ? "," : "", i);
        const struct schema *s = compile("{\"uniqueItems\":true}");
        struct buf dup = BUF_INIT;
        buf_printf(&dup, "%s,{\"n\":777}]", text.data);
        buf_append_char(&text, ']');
        ck_assert_valid(s, text.data);
        ck_assert_error(s, dup.data, "", "uniqueItems",
                        "expected unique items, but items 777 and 1000 are "
                        "equal");
        buf_free(&text);
        buf_free(&dup);
}
END_TEST

START_TEST(contains_needs_one_match)
{
        const struct schema *s =
                compile("{\"contains\":{\"const\":\"x\"}}");
        ck_assert_valid(s, "[1,\"x\"]");
        ck_assert_error(s, "[1,2]", "", "contains",
                        "expected at least one item valid against the "
                        "\"contains\" schema, got none of 2");
}
END_TEST

/* ---- objects ---- */

START_TEST(required_points_at_object)
{
        const struct schema *s = compile(
                "{\"properties\":{\"a\":{\"required\":[\"x\",\"y\"]}}}");
        ck_assert_error(s, "{\"a\":{\"y\":1}}", "/a", "required",
                        "missing property \"x\"");
}
END_TEST

START_TEST(additional_properties_false_names_member)
{
        const struct schema *s = compile(
                "{\"properties\":{\"a\":{}},\"patternProperties\":"
                "{\"^x-\":{}},\"additionalProperties\":false}");
        ck_assert_valid(s, "{\"a\":1,\"x-b\":2}");
        ck_assert_error(s, "{\"a\":1,\"b\":2}", "", "additionalProperties",
                        "unexpected property \"b\"");
}
END_TEST

START_TEST(pointer_escapes_member_names)
{
        const struct schema *s = compile(
                "{\"additionalProperties\":{\"type\":\"string\"}}");
        ck_assert_error(s, "{\"a/b~c\":1}", "/a~1b~0c", "type",
                        "expected string, got integer 1");
}
END_TEST

START_TEST(dependencies_array_form)
{
        const struct schema *s = compile(
                "{\"dependencies\":{\"endTime\":[\"startTime\"]}}");
        ck_assert_valid(s, "{\"startTime\":1}");
        ck_assert_error(s, "{\"endTime\":2}", "", "dependencies",
                        "property \"endTime\" requires property "
                        "\"startTime\"");
}
END_TEST

START_TEST(dependencies_schema_form)
{
        const struct schema *s = compile(
                "{\"dependencies\":{\"a\":{\"required\":[\"b\"]}}}");
        ck_assert_valid(s, "{\"b\":1}");
        ck_assert_error(s, "{\"a\":1}", "", "required",
                        "missing property \"b\"");
}
END_TEST

START_TEST(property_names_message)
{
        const struct schema *s =
                compile("{\"propertyNames\":{\"maxLength\":3}}");
        ck_assert_error(s, "{\"abcd\":1}", "", "propertyNames",
                        "invalid property name \"abcd\": maxLength: "
                        "expected at most 3 characters, got 4");
}
END_TEST

START_TEST(property_count_bounds)
{
        const struct schema *s =
                compile("{\"minProperties\":1,\"maxProperties\":1}");
        ck_assert_error(s, "{}", "", "minProperties",
                        "expected at least 1 properties, got 0");
        ck_assert_error(s, "{\"a\":1,\"b\":2}", "", "maxProperties",
                        "expected at most 1 properties, got 2");
}
END_TEST

START_TEST(many_properties_lookup)
{
        struct buf text = BUF_INIT, instance = BUF_INIT;
        buf_append_str(&text, "{\"properties\":{");
        buf_append_char(&instance, '{');
        for (int i = 0; i < 2000; i++) {
                buf_printf(&text, "%s\"p%d\":{\"const\":%d}", i ? "," : "", i,
                           i);
                buf_printf(&instance, "%s\"p%d\":%d", i ? "," : "", i,
                           i == 1999 ? 0 : i);
        }
        buf_append_str(&text, "},\"required\":[\"p0\",\"p1999\"]}");
        buf_append_char(&instance, '}');
        const struct schema *s = compile(text.data);
        ck_assert_error(s, instance.data, "/p1999", "const",
                        "expected 1999, got integer 0");
        buf_free(&text);
        buf_free(&instance);
}
END_TEST

/* ---- applicators ---- */

START_TEST(any_of_message)
{
        const struct schema *s = compile(
                "{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"null\"}]}");
        ck_assert_valid(s, "null");
        ck_assert_error(s, "1", "", "anyOf",
                        "not valid against any of the 2 schemas");
}
END_TEST

START_TEST(one_of_names_two_matches)
{
        const struct schema *s = compile(
                "{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":0},"
                "{\"type\":\"string\"}]}");
        ck_assert_valid(s, "-1");
        ck_assert_error(s, "1", "", "oneOf",
                        "expected exactly one valid schema, but schemas 0 "
                        "and 1 are valid");
        ck_assert_error(s, "-1.5", "", "oneOf",
                        "not valid against any of the 3 schemas");
}
END_TEST

START_TEST(not_message)
{
        const struct schema *s = compile("{\"not\":{\"type\":\"null\"}}");
        ck_assert_error(s, "null", "", "not",
                        "expected a value not valid against the \"not\" "
                        "schema");
}
END_TEST

START_TEST(if_then_else_reports_branch_error)
{
        const struct schema *s = compile(
                "{\"if\":{\"properties\":{\"status\":{\"const\":\"FAILED\"}}},"
                "\"then\":{\"required\":[\"reason\"]},"
                "\"else\":{\"properties\":{\"reason\":{\"type\":\"null\"}}}}");
        ck_assert_error(s, "{\"status\":\"FAILED\"}", "", "required",
                        "missing property \"reason\"");
        ck_assert_error(s, "{\"status\":\"DONE\",\"reason\":\"x\"}",
                        "/reason", "type",
                        "expected null, got string \"x\"");
        ck_assert_valid(s, "{\"status\":\"FAILED\",\"reason\":\"x\"}");
}
END_TEST

START_TEST(all_of_reports_inner_error)
{
        const struct schema *s = compile(
                "{\"allOf\":[{\"type\":\"object\"},{\"required\":[\"id\"]}]}");
        ck_assert_error(s, "{}", "", "required", "missing property \"id\"");
}
END_TEST

START_TEST(false_schema_message)
{
        const struct schema *s =
                compile("{\"properties\":{\"legacy\":false}}");
        ck_assert_error(s, "{\"legacy\":1}", "/legacy", "properties",
                        "no value is valid against the false schema");
        s = compile("false");
        ck_assert_error(s, "{}", "", "false",
                        "no value is valid against the false schema");
        s = compile("true");
        ck_assert_valid(s, "{}");
}
END_TEST

START_TEST(unknown_keywords_ignored)
{
        const struct schema *s =
                compile("{\"x-extension\":{\"type\":5},\"minimum\":1}");
        ck_assert_valid(s, "2");
}
END_TEST

/* ---- $ref ---- */

START_TEST(ref_pointer_escapes)
{
        const struct schema *s = compile(
                "{\"definitions\":{\"a/b\":{\"type\":\"integer\"},"
                "\"c~d\":{\"type\":\"string\"},\"e%f\":{\"type\":\"null\"}},"
                "\"properties\":{\"x\":{\"$ref\":\"#/definitions/a~1b\"},"
                "\"y\":{\"$ref\":\"#/definitions/c~0d\"},"
                "\"z\":{\"$ref\":\"#/definitions/e%25f\"}}}");
        ck_assert_valid(s, "{\"x\":1,\"y\":\"s\",\"z\":null}");
        ck_assert_error(s, "{\"y\":1}", "/y", "type",
                        "expected string, got integer 1");
        ck_assert_error(s, "{\"z\":1}", "/z", "type",
                        "expected null, got integer 1");
}
END_TEST

START_TEST(ref_ignores_siblings)
{
        const struct schema *s = compile(
                "{\"definitions\":{\"a\":{\"type\":\"array\"}},"
                "\"properties\":{\"x\":{\"$ref\":\"#/definitions/a\","
                "\"maxItems\":1}}}");
        ck_assert_valid(s, "{\"x\":[1,2,3]}");
}
END_TEST

START_TEST(ref_id_changes_base)
{
        const struct schema *s = compile(
                "{\"$id\":\"http://example.com/root.json\","
                "\"definitions\":{\"a\":{\"$id\":\"other/a.json\","
                "\"definitions\":{\"b\":{\"type\":\"integer\"}},"
                "\"$ref\":\"#/definitions/nope\"},"
                "\"c\":{\"$id\":\"other/c.json\","
                "\"definitions\":{\"d\":{\"type\":\"integer\"}},"
                "\"allOf\":[{\"$ref\":\"#/definitions/d\"}]},"
                "\"e\":{\"$id\":\"#named\",\"type\":\"string\"}},"
                "\"properties\":{"
                "\"c\":{\"$ref\":\"other/c.json\"},"
                "\"d\":{\"$ref\":\"http://example.com/other/c.json#/"
                "definitions/d\"},"
                "\"e\":{\"$ref\":\"#named\"}}}");
        ck_assert_valid(s, "{\"c\":1,\"d\":2,\"e\":\"s\"}");
        ck_assert_error(s, "{\"c\":\"1\"}", "/c", "type",
                        "expected integer, got string \"1\"");
        ck_assert_invalid(s, "{\"d\":\"1\"}");
        ck_assert_invalid(s, "{\"e\":1}");
}
END_TEST

START_TEST(ref_to_metaschema)
{
        const struct schema *s = compile(
                "{\"$ref\":\"http://json-schema.org/draft-07/schema#\"}");
        ck_assert_valid(s, "{\"type\":\"string\",\"minLength\":1}");
        ck_assert_error(s, "{\"minLength\":-1}", "/minLength", "minimum",
                        "expected at least 0, got -1");
        ck_assert_invalid(s, "{\"type\":\"strnig\"}");
}
END_TEST

START_TEST(ref_dangling_is_compile_error)
{
        ck_assert_ptr_null(
                try_compile("{\"properties\":{\"a\":{\"$ref\":\"#/x\"}}}", 1));
        ck_assert_str_eq(compile_reason,
                         "/properties/a/$ref: reference \"#/x\" not found");
        ck_assert_ptr_null(try_compile(
                "{\"items\":{\"$ref\":\"http://example.com/none\"}}", 1));
        ck_assert_str_eq(compile_reason,
                         "/items/$ref: reference \"http://example.com/none\""
                         " not found");
}
END_TEST

START_TEST(ref_loop_is_compile_error)
{
        ck_assert_ptr_null(try_compile("{\"$ref\":\"#\"}", 1));
        ck_assert_str_eq(compile_reason,
                         "/$ref: reference \"#\" leads back to itself "
                         "without reaching a schema");
        ck_assert_ptr_null(try_compile(
                "{\"definitions\":{\"a\":{\"$ref\":\"#/definitions/b\"},"
                "\"b\":{\"$ref\":\"#/definitions/a\"}},"
                "\"$ref\":\"#/definitions/a\"}",
                1));
        ck_assert_msg(strstr(compile_reason, "leads back to itself") != NULL,
                      "%s", compile_reason);
}
END_TEST

START_TEST(ref_loop_through_all_of_stops)
{
        const struct schema *s = compile("{\"allOf\":[{\"$ref\":\"#\"}]}");
        ck_assert_error(s, "1", "", "$ref",
                        "schema and instance nested deeper than 2048 "
                        "levels");
}
END_TEST

START_TEST(compile_twice_returns_same)
{
        const struct json_value *root = parse(
                "{\"definitions\":{\"a\":{\"type\":\"integer\"}},"
                "\"$ref\":\"#/definitions/a\"}");
        ctx = schema_ctx_new(root, NULL);
        char reason[256];
        const struct schema *a = schema_compile(ctx, root, reason,
                                                sizeof(reason));
        const struct schema *b = schema_compile(ctx, root, reason,
                                                sizeof(reason));
        ck_assert_ptr_nonnull(a);
        ck_assert_ptr_eq(a, b);
}
END_TEST

START_TEST(failed_compile_leaves_context_usable)
{
        const struct json_value *root = parse(
                "{\"good\":{\"type\":\"integer\"},"
                "\"bad\":{\"properties\":{\"x\":{\"$ref\":\"#/none\"}},"
                "\"allOf\":[{\"$ref\":\"#/good\"}]}}");
        ctx = schema_ctx_new(root, NULL);
        char reason[256];
        ck_assert_ptr_null(schema_compile(ctx, json_object_get(root, "bad"),
                                          reason, sizeof(reason)));
        ck_assert_str_eq(reason,
                         "/bad/properties/x/$ref: reference \"#/none\" not "
                         "found");
        const struct schema *s = schema_compile(
                ctx, json_object_get(root, "good"), reason, sizeof(reason));
        ck_assert_ptr_nonnull(s);
        ck_assert_valid(s, "3");
        ck_assert_invalid(s, "\"3\"");
}
END_TEST

static char *read_data(const char *name)
{
        const char *dir = getenv("CKB_TEST_DATA");
        ck_assert_ptr_nonnull(dir);
        char path[1024];
        snprintf(path, sizeof(path), "%s/schema/%s", dir, name);
        FILE *f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot open %s", path);
        static char text[65536];
        size_t n = fread(text, 1, sizeof(text) - 1, f);
        fclose(f);
        text[n] = '\0';
        return text;
}

START_TEST(asyncapi_payload_refs_resolve_from_root)
{
        const struct json_value *root = parse(read_data("asyncapi-refs.json"));
        ctx = schema_ctx_new(root, NULL);
        const struct json_value *payload = json_pointer_get(
                root, "/components/schemas/TaskStatusEvent",
                strlen("/components/schemas/TaskStatusEvent"));
        char reason[256];
        const struct schema *s =
                schema_compile(ctx, payload, reason, sizeof(reason));
        ck_assert_msg(s != NULL, "%s", reason);
        ck_assert_valid(s, "{\"taskId\":\"t1\",\"status\":\"COMPLETED\","
                           "\"input\":{\"children\":[{\"children\":[]}]}}");
        ck_assert_error(s, "{\"taskId\":\"t1\",\"status\":\"DONE\"}",
                        "/status", "enum",
                        "expected one of \"SCHEDULED\", \"IN_PROGRESS\", "
                        "\"COMPLETED\", \"FAILED\", got \"DONE\"");
        ck_assert_error(s,
                        "{\"taskId\":\"t1\",\"status\":\"FAILED\","
                        "\"input\":{\"children\":[{\"children\":[1]}]}}",
                        "/input/children/0/children/0", "type",
                        "expected object, got integer 1");
        ck_assert_error(s, "{\"status\":\"FAILED\"}", "", "required",
                        "missing property \"taskId\"");
}
END_TEST

START_TEST(asyncapi_id_resolves_against_resource)
{
        const struct json_value *root = parse(read_data("asyncapi-refs.json"));
        ctx = schema_ctx_new(root, NULL);
        const char *pointer = "/components/schemas/Versioned";
        const struct json_value *v =
                json_pointer_get(root, pointer, strlen(pointer));
        char reason[256];
        const struct schema *s = schema_compile(ctx, v, reason,
                                                sizeof(reason));
        ck_assert_msg(s != NULL, "%s", reason);
        ck_assert_valid(s, "{\"v\":2}");
        ck_assert_error(s, "{\"v\":\"2\"}", "/v", "type",
                        "expected integer, got string \"2\"");
}
END_TEST

/* ---- depth ---- */

static const struct json_value *deep_array(size_t levels)
{
        struct json_value *inner = json_new_array(doc);
        for (size_t i = 1; i < levels; i++) {
                struct json_value *outer = json_new_array(doc);
                json_array_append(doc, outer, inner);
                inner = outer;
        }
        return inner;
}

START_TEST(deep_instance_self_ref_errors)
{
        const struct schema *s =
                compile("{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}");
        struct schema_error err;
        ck_assert_int_eq(schema_validate(s, deep_array(10000), &err), 1);
        ck_assert_str_eq(err.keyword, "$ref");
        ck_assert_str_eq(err.message,
                         "schema and instance nested deeper than 2048 "
                         "levels");
        ck_assert_int_eq(strncmp(err.pointer, "/0/0/0/0", 8), 0);
}
END_TEST

START_TEST(deep_instance_shallow_schema_valid)
{
        const struct schema *s = compile("{\"type\":\"array\"}");
        ck_assert_int_eq(schema_validate(s, deep_array(10000), NULL), 0);
}
END_TEST

START_TEST(self_ref_moderate_depth_valid)
{
        const struct schema *s =
                compile("{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}");
        ck_assert_int_eq(schema_validate(s, deep_array(500), NULL), 0);
}
END_TEST

START_TEST(deep_unique_items_hash)
{
        const struct schema *s = compile("{\"uniqueItems\":true}");
        struct json_value *outer = json_new_array(doc);
        for (int i = 0; i < 20; i++)
                json_array_append(doc, outer,
                                  (struct json_value *)deep_array(10000));
        ck_assert_int_eq(schema_validate(s, outer, NULL), 1);
}
END_TEST

/* ---- compile errors ---- */

static const struct {
        const char *schema;
        const char *reason;
} compile_error_rows[] = {
        {"5", "expected a schema (object or boolean), got integer 5"},
        {"{\"type\":\"strnig\"}",
         "/type: expected a type name or an array of type names, got string "
         "\"strnig\""},
        {"{\"minLength\":-1}",
         "/minLength: expected a non-negative integer, got integer -1"},
        {"{\"maxItems\":1.5}",
         "/maxItems: expected a non-negative integer, got number 1.5"},
        {"{\"multipleOf\":0}",
         "/multipleOf: expected a number greater than 0, got integer 0"},
        {"{\"maximum\":\"5\"}",
         "/maximum: expected a number, got string \"5\""},
        {"{\"pattern\":\"(\"}",
         "/pattern: invalid regular expression: missing closing "
         "parenthesis at offset 1"},
        {"{\"items\":5}",
         "/items: expected a schema or an array of schemas, got integer 5"},
        {"{\"properties\":{\"a\":{\"items\":[1]}}}",
         "/properties/a/items: expected a schema or an array of schemas, got "
         "array [1]"},
        {"{\"required\":[1]}",
         "/required: expected an array of strings, got array [1]"},
        {"{\"$ref\":5}", "/$ref: expected a string, got integer 5"},
        {"{\"allOf\":[]}",
         "/allOf: expected a non-empty array of schemas, got array []"},
        {"{\"enum\":5}", "/enum: expected an array, got integer 5"},
        {"{\"uniqueItems\":1}",
         "/uniqueItems: expected a boolean, got integer 1"},
        {"{\"format\":5}", "/format: expected a string, got integer 5"},
        {"{\"patternProperties\":{\"[\":{}}}",
         "/patternProperties: invalid regular expression \"[\": missing "
         "terminating ] for character class at offset 1"},
        {"{\"dependencies\":{\"a\":5}}",
         "/dependencies: expected an object of schemas and string arrays, "
         "got object {\"a\":5}"},
};

START_TEST(compile_error_table)
{
        ck_assert_ptr_null(try_compile(compile_error_rows[_i].schema, 1));
        ck_assert_str_eq(compile_reason, compile_error_rows[_i].reason);
}
END_TEST

/* ---- speed ---- */

START_TEST(validation_is_fast)
{
        const struct json_value *root = parse(read_data("asyncapi-refs.json"));
        ctx = schema_ctx_new(root, NULL);
        const char *pointer = "/components/schemas/TaskStatusEvent";
        char reason[256];
        const struct schema *s = schema_compile(
                ctx, json_pointer_get(root, pointer, strlen(pointer)), reason,
                sizeof(reason));
        ck_assert_ptr_nonnull(s);
        const struct json_value *event = parse(
                "{\"taskId\":\"t1\",\"status\":\"COMPLETED\",\"retryCount\":2,"
                "\"taskType\":\"HTTP\",\"input\":{\"children\":[]}}");
        clock_t start = clock();
        int invalid = 0;
        for (int i = 0; i < 200000; i++)
                invalid += schema_validate(s, event, NULL);
        double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
        ck_assert_int_eq(invalid, 0);
        /* About 15 keyword checks per event: 3 million checks per second
         * would take 1 s, so 5 s leaves room for sanitizers. */
        ck_assert_msg(seconds < 5.0, "200000 validations took %.2f s",
                      seconds);
}
END_TEST

static TCase *tcase(Suite *suite, const char *name)
{
        TCase *tc = tcase_create(name);
        tcase_add_checked_fixture(tc, setup, teardown);
        suite_add_tcase(suite, tc);
        return tc;
}

#define ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *schema_suite(void)
{
        Suite *suite = suite_create("schema");
        TCase *tc = tcase(suite, "type");
        tcase_add_test(tc, type_error_names_pointer_and_value);
        tcase_add_test(tc, type_list_names_every_type);
        tcase_add_loop_test(tc, type_table, 0, ROWS(type_rows));

        tc = tcase(suite, "enum_const");
        tcase_add_test(tc, enum_error_lists_values);
        tcase_add_test(tc, enum_error_truncates_long_list);
        tcase_add_test(tc, enum_compares_big_integers_exactly);
        tcase_add_test(tc, const_compares_big_integers_exactly);
        tcase_add_test(tc, const_quotes_long_values_cut);
        tcase_add_test(tc, const_object_ignores_member_order);

        tc = tcase(suite, "numbers");
        tcase_add_test(tc, maximum_rejects_1e400);
        tcase_add_test(tc, minimum_compares_big_integers_exactly);
        tcase_add_test(tc, exclusive_bounds_reject_equal);
        tcase_add_test(tc, multiple_of_error_message);
        tcase_add_loop_test(tc, multiple_of_table, 0, ROWS(multiple_rows));

        tc = tcase(suite, "strings");
        tcase_add_test(tc, length_counts_code_points);
        tcase_add_test(tc, pattern_error_message);
        tcase_add_test(tc, pattern_is_a_search);
        tcase_add_test(tc, pattern_uses_ecma_escapes);
        tcase_add_test(tc, pattern_dollar_is_end_only);

        tc = tcase(suite, "pattern_limits");
        tcase_add_test(tc, pattern_limit_stops_catastrophic);
        tcase_add_test(tc, pattern_limit_is_not_inverted_by_not);
        tcase_add_test(tc, pattern_properties_limit_on_name);

        tc = tcase(suite, "format");
        tcase_add_loop_test(tc, format_table, 0, ROWS(format_rows));
        tcase_add_test(tc, format_error_message);
        tcase_add_test(tc, format_off_is_annotation);

        tc = tcase(suite, "arrays");
        tcase_add_test(tc, items_error_points_at_item);
        tcase_add_test(tc, additional_items_false_counts_items);
        tcase_add_test(tc, additional_items_schema_checks_rest);
        tcase_add_test(tc, item_count_bounds);
        tcase_add_test(tc, unique_items_uses_json_equality);
        tcase_add_test(tc, unique_items_many_items);
        tcase_add_test(tc, contains_needs_one_match);

        tc = tcase(suite, "objects");
        tcase_add_test(tc, required_points_at_object);
        tcase_add_test(tc, additional_properties_false_names_member);
        tcase_add_test(tc, pointer_escapes_member_names);
        tcase_add_test(tc, dependencies_array_form);
        tcase_add_test(tc, dependencies_schema_form);
        tcase_add_test(tc, property_names_message);
        tcase_add_test(tc, property_count_bounds);
        tcase_add_test(tc, many_properties_lookup);

        tc = tcase(suite, "applicators");
        tcase_add_test(tc, any_of_message);
        tcase_add_test(tc, one_of_names_two_matches);
        tcase_add_test(tc, not_message);
        tcase_add_test(tc, if_then_else_reports_branch_error);
        tcase_add_test(tc, all_of_reports_inner_error);
        tcase_add_test(tc, false_schema_message);
        tcase_add_test(tc, unknown_keywords_ignored);

        tc = tcase(suite, "ref");
        tcase_add_test(tc, ref_pointer_escapes);
        tcase_add_test(tc, ref_ignores_siblings);
        tcase_add_test(tc, ref_id_changes_base);
        tcase_add_test(tc, ref_to_metaschema);
        tcase_add_test(tc, ref_dangling_is_compile_error);
        tcase_add_test(tc, ref_loop_is_compile_error);
        tcase_add_test(tc, ref_loop_through_all_of_stops);
        tcase_add_test(tc, compile_twice_returns_same);
        tcase_add_test(tc, failed_compile_leaves_context_usable);
        tcase_add_test(tc, asyncapi_payload_refs_resolve_from_root);
        tcase_add_test(tc, asyncapi_id_resolves_against_resource);

        tc = tcase(suite, "depth");
        tcase_add_test(tc, deep_instance_self_ref_errors);
        tcase_add_test(tc, deep_instance_shallow_schema_valid);
        tcase_add_test(tc, self_ref_moderate_depth_valid);
        tcase_add_test(tc, deep_unique_items_hash);

        tc = tcase(suite, "compile_errors");
        tcase_add_loop_test(tc, compile_error_table, 0,
                            ROWS(compile_error_rows));

        tc = tcase(suite, "speed");
        tcase_add_test(tc, validation_is_fast);
        return suite;
}

int main(void)
{
        SRunner *runner = srunner_create(schema_suite());
        srunner_run_all(runner, CK_NORMAL);
        int failed = srunner_ntests_failed(runner);
        srunner_free(runner);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
