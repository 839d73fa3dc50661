/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the JSON module: parser, numbers, writer, pointers. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"

#define DEPTH 128

static struct json_doc *doc;
static enum json_error err;
static char errstr[256];

static void setup(void)
{
        doc = json_doc_new();
        err = JSON_OK;
        errstr[0] = '\0';
}

static void teardown(void)
{
        json_doc_destroy(doc);
}

static const struct json_value *parse_len(const char *text, size_t len,
                                          size_t max_depth)
{
        return json_parse(doc, text, len, max_depth, &err, errstr,
                          sizeof(errstr));
}

static const struct json_value *parse(const char *text)
{
        return parse_len(text, strlen(text), DEPTH);
}

/* Parses text, which must be valid, and returns its compact form. */
static char *rewrite(const char *text)
{
        const struct json_value *v = parse(text);
        ck_assert_msg(v != NULL, "%s: %s", text, errstr);
        struct buf out = BUF_INIT;
        json_write(v, &out);
        return out.data;
}

static char *read_test_file(const char *name, size_t *len)
{
        const char *dir = getenv("CKB_TEST_DATA");
        ck_assert_ptr_nonnull(dir);
        char path[4096];
        snprintf(path, sizeof(path), "%s/json/%s", dir, name);
        FILE *f = fopen(path, "rb");
        ck_assert_msg(f != NULL, "cannot open %s", path);
        struct buf b = BUF_INIT;
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                buf_append(&b, chunk, n);
        fclose(f);
        *len = b.len;
        return b.data;
}

/* ---- valid documents ---- */

START_TEST(parse_null_true_false)
{
        const struct json_value *v = parse("null");
        ck_assert_ptr_nonnull(v);
        ck_assert_int_eq(v->type, JSON_NULL);
        v = parse("true");
        ck_assert_int_eq(v->type, JSON_BOOL);
        ck_assert_int_eq(v->u.boolean, 1);
        v = parse("false");
        ck_assert_int_eq(v->type, JSON_BOOL);
        ck_assert_int_eq(v->u.boolean, 0);
        ck_assert_int_eq(err, JSON_OK);
}
END_TEST

START_TEST(parse_integer_and_float)
{
        const struct json_value *v = parse("-42");
        ck_assert_int_eq(v->type, JSON_NUMBER);
        ck_assert_str_eq(v->u.number.text, "-42");
        ck_assert_uint_eq(v->u.number.len, 3);
        ck_assert_int_eq(v->u.number.i, -42);
        ck_assert_double_eq(v->u.number.d, -42.0);
        v = parse("2.5e-3");
        ck_assert_str_eq(v->u.number.text, "2.5e-3");
        ck_assert_double_eq(v->u.number.d, 2.5e-3);
        ck_assert_int_eq(v->u.number.is_integer, 0);
        ck_assert_int_eq(v->u.number.fits_int64, 0);
}
END_TEST

START_TEST(parse_string_escapes_decoded)
{
        const struct json_value *v =
                parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9 "
                      "\\ud83d\\ude00 \\u20AC\"");
        ck_assert_int_eq(v->type, JSON_STRING);
        static const char expected[] = "q\" b\\ s/ \b\f\n\r\t \xC3\xA9 "
                                       "\xF0\x9F\x98\x80 \xE2\x82\xAC";
        ck_assert_uint_eq(v->u.string.len, sizeof(expected) - 1);
        ck_assert_str_eq(v->u.string.s, expected);
}
END_TEST

START_TEST(parse_raw_utf8_string)
{
        const struct json_value *v = parse("\"Zo\xC3\xAB \xE2\x82\xAC "
                                           "\xF0\x9F\x98\x80\"");
        ck_assert_ptr_nonnull(v);
        ck_assert_str_eq(v->u.string.s,
                         "Zo\xC3\xAB \xE2\x82\xAC \xF0\x9F\x98\x80");
}
END_TEST

START_TEST(parse_empty_containers)
{
        const struct json_value *v = parse(" [ ] ");
        ck_assert_int_eq(v->type, JSON_ARRAY);
        ck_assert_uint_eq(v->u.array.count, 0);
        v = parse("{}");
        ck_assert_int_eq(v->type, JSON_OBJECT);
        ck_assert_uint_eq(v->u.object.count, 0);
        v = parse("\"\"");
        ck_assert_int_eq(v->type, JSON_STRING);
        ck_assert_uint_eq(v->u.string.len, 0);
        ck_assert_str_eq(v->u.string.s, "");
}
END_TEST

START_TEST(parse_nested_keeps_order)
{
        const struct json_value *v =
                parse("{\"b\":[1,{\"x\":null}],\"a\":\"s\",\"c\":{}}");
        ck_assert_int_eq(v->type, JSON_OBJECT);
        ck_assert_uint_eq(v->u.object.count, 3);
        ck_assert_str_eq(v->u.object.members[0].key, "b");
        ck_assert_str_eq(v->u.object.members[1].key, "a");
        ck_assert_str_eq(v->u.object.members[2].key, "c");
        const struct json_value *b = v->u.object.members[0].value;
        ck_assert_int_eq(b->type, JSON_ARRAY);
        ck_assert_uint_eq(b->u.array.count, 2);
        ck_assert_int_eq(b->u.array.items[0]->u.number.i, 1);
        ck_assert_str_eq(b->u.array.items[0]->u.number.text, "1");
        const struct json_value *x = json_object_get(b->u.array.items[1], "x");
        ck_assert_ptr_nonnull(x);
        ck_assert_int_eq(x->type, JSON_NULL);
        ck_assert_str_eq(json_object_get(v, "a")->u.string.s, "s");
        ck_assert_ptr_null(json_object_get(v, "d"));
}
END_TEST

START_TEST(parse_workflow_event_file)
{
        size_t len;
        char *text = read_test_file("workflow_event.json", &len);
        const struct json_value *v = parse_len(text, len, DEPTH);
        ck_assert_msg(v != NULL, "%s", errstr);
        const struct json_value *status =
                json_pointer_get(v, "/payload/status", 15);
        ck_assert_str_eq(status->u.string.s, "FAILED");
        const struct json_value *name =
                json_pointer_get(v, "/payload/input/customer/name", 28);
        ck_assert_str_eq(name->u.string.s, "Zo\xC3\xAB M\xC3\xBCller");
        free(text);
}
END_TEST

START_TEST(parse_success_leaves_errstr)
{
        strcpy(errstr, "untouched");
        ck_assert_ptr_nonnull(parse("[1]"));
        ck_assert_str_eq(errstr, "untouched");
        ck_assert_ptr_nonnull(
                json_parse(doc, "{}", 2, DEPTH, NULL, NULL, 0));
        ck_assert_ptr_null(json_parse(doc, "{", 1, DEPTH, NULL, NULL, 0));
}
END_TEST

/* ---- invalid documents ---- */

struct invalid_case {
        const char *text;
        enum json_error error;
        const char *message;
};

static const struct invalid_case invalid_cases[] = {
        {"", JSON_ERR_EMPTY, "empty value"},
        {" \t\r\n ", JSON_ERR_EMPTY, "empty value"},
        {"/* note */ 1", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: comments are not allowed"},
        {"[1] // note", JSON_ERR_SYNTAX,
         "malformed JSON at byte 4: comments are not allowed"},
        {"[1,]", JSON_ERR_SYNTAX,
         "malformed JSON at byte 3: trailing comma before ']'"},
        {"{\"a\":1,}", JSON_ERR_SYNTAX,
         "malformed JSON at byte 7: trailing comma before '}'"},
        {"1 x", JSON_ERR_SYNTAX,
         "malformed JSON at byte 2: trailing data after the value"},
        {"{} {}", JSON_ERR_SYNTAX,
         "malformed JSON at byte 3: trailing data after the value"},
        {"1 2", JSON_ERR_SYNTAX,
         "malformed JSON at byte 2: trailing data after the value"},
        {"\xEF\xBB\xBF{}", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: byte order mark is not allowed"},
        {"01", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: leading zero in a number"},
        {"[-012]", JSON_ERR_SYNTAX,
         "malformed JSON at byte 1: leading zero in a number"},
        {"-", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: expected a digit after '-'"},
        {"[1, -]", JSON_ERR_SYNTAX,
         "malformed JSON at byte 4: expected a digit after '-'"},
        {"1.", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: expected a digit after the decimal point"},
        {".5", JSON_ERR_SYNTAX, "malformed JSON at byte 0: expected a value, "
                                "found '.'"},
        {"+1", JSON_ERR_SYNTAX, "malformed JSON at byte 0: expected a value, "
                                "found '+'"},
        {"1e+", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: expected a digit in the exponent"},
        {"NaN", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: invalid literal \"NaN\", expected true, "
         "false or null"},
        {"[-Infinity]", JSON_ERR_SYNTAX,
         "malformed JSON at byte 1: expected a digit after '-'"},
        {"{\"a\":tru}", JSON_ERR_SYNTAX,
         "malformed JSON at byte 5: invalid literal \"tru\", expected true, "
         "false or null"},
        {"'a'", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: single quotes are not allowed, strings "
         "use double quotes"},
        {"{'a':1}", JSON_ERR_SYNTAX,
         "malformed JSON at byte 1: single quotes are not allowed, member "
         "names use double quotes"},
        {"\"a\tb\"", JSON_ERR_SYNTAX,
         "malformed JSON at byte 2: unescaped control character U+0009 in a "
         "string"},
        {"[\"a\nb\"]", JSON_ERR_SYNTAX,
         "malformed JSON at byte 3: unescaped control character U+000A in a "
         "string"},
        {"\"\\x\"", JSON_ERR_SYNTAX,
         "malformed JSON at byte 1: invalid escape \"\\x\" in a string"},
        {"\"ab\\'\"", JSON_ERR_SYNTAX,
         "malformed JSON at byte 3: invalid escape \"\\'\" in a string"},
        {"\"\\u12G4\"", JSON_ERR_SYNTAX,
         "malformed JSON at byte 1: invalid \\u escape, expected 4 hex "
         "digits"},
        {"\"\\uD800\"", JSON_ERR_SYNTAX,
         "malformed JSON at byte 1: unpaired UTF-16 surrogate \"\\uD800\" in "
         "a string"},
        {"[\"ok\",\"x\\udc00\"]", JSON_ERR_SYNTAX,
         "malformed JSON at byte 8: unpaired UTF-16 surrogate \"\\udc00\" in "
         "a string"},
        {"\"\\uD800\\u0041\"", JSON_ERR_SYNTAX,
         "malformed JSON at byte 1: unpaired UTF-16 surrogate \"\\uD800\" in "
         "a string"},
        {"{\"\\uDBFF\":1}", JSON_ERR_SYNTAX,
         "malformed JSON at byte 2: unpaired UTF-16 surrogate \"\\uDBFF\" in "
         "a string"},
        {"\"abc", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: unterminated string"},
        {"[1", JSON_ERR_SYNTAX,
         "malformed JSON at byte 2: unexpected end of input"},
        {"{\"a\":", JSON_ERR_SYNTAX,
         "malformed JSON at byte 5: unexpected end of input"},
        {"{\"a\" 1}", JSON_ERR_SYNTAX,
         "malformed JSON at byte 5: expected ':' after a member name, found "
         "'1'"},
        {"{1:2}", JSON_ERR_SYNTAX,
         "malformed JSON at byte 1: expected a member name in double quotes, "
         "found '1'"},
        {"[1 2]", JSON_ERR_SYNTAX,
         "malformed JSON at byte 3: expected ',' or ']' after an array "
         "element, found '2'"},
        {"{\"a\":1 \"b\":2}", JSON_ERR_SYNTAX,
         "malformed JSON at byte 7: expected ',' or '}' after a member value, "
         "found '\"'"},
        {"]", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: expected a value, found ']'"},
        {"[1]]", JSON_ERR_SYNTAX,
         "malformed JSON at byte 3: trailing data after the value"},
        {"\x01", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: expected a value, found U+0001"},
        {"\xC3\xA9", JSON_ERR_SYNTAX,
         "malformed JSON at byte 0: expected a value, found U+00E9"},
        {"\"\xC0\xAF\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 1"},
        {"\"\xE0\x80\xAF\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 1"},
        {"\"\xF0\x80\x80\xAF\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 1"},
        {"\"\xED\xA0\x80\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 1"},
        {"\"\xED\xBF\xBF\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 1"},
        {"\"\xF4\x90\x80\x80\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 1"},
        {"\"\xF5\x80\x80\x80\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 1"},
        {"\"\xFF\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 1"},
        {"\"ab\x80\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 3"},
        {"\"ab\xE2\x82\"", JSON_ERR_UTF8, "malformed UTF-8 at byte 3"},
        {"\"ab\xE2\x82", JSON_ERR_UTF8, "malformed UTF-8 at byte 3"},
        {"[\"\xC3\xA9\xC3\"]", JSON_ERR_UTF8, "malformed UTF-8 at byte 4"},
        {"\"0123456789\xF0\x9F\x98\x80\xF0\x9F\x98\"", JSON_ERR_UTF8,
         "malformed UTF-8 at byte 15"},
        {"{\"a\":1,\"a\":2}", JSON_ERR_DUPLICATE,
         "duplicate member name \"a\" at byte 7"},
        {"{\"a\":{\"b\":1},\"b\":{\"b\":2,\"c\":3,\"b\":4}}",
         JSON_ERR_DUPLICATE, "duplicate member name \"b\" at byte 30"},
        {"{\"a\\u0062\":1,\"ab\":2}", JSON_ERR_DUPLICATE,
         "duplicate member name \"ab\" at byte 13"},
        {"{\"q\\\"\":1,\"q\\u0022\":2}", JSON_ERR_DUPLICATE,
         "duplicate member name \"q\\\"\" at byte 9"},
        {"{\"\":1,\"\":2}", JSON_ERR_DUPLICATE,
         "duplicate member name \"\" at byte 6"},
};

START_TEST(parse_invalid_row)
{
        const struct invalid_case *c = &invalid_cases[_i];
        const struct json_value *v = parse(c->text);
        ck_assert_msg(v == NULL, "row %d accepted", _i);
        ck_assert_msg(err == c->error, "row %d: error %d, expected %d", _i,
                      err, c->error);
        ck_assert_str_eq(errstr, c->message);
}
END_TEST

START_TEST(parse_raw_nul_rejected)
{
        ck_assert_ptr_null(parse_len("\"a\0b\"", 5, DEPTH));
        ck_assert_int_eq(err, JSON_ERR_SYNTAX);
        ck_assert_str_eq(errstr, "malformed JSON at byte 2: unescaped "
                                 "control character U+0000 in a string");
        ck_assert_ptr_null(parse_len("1\0", 2, DEPTH));
        ck_assert_str_eq(errstr,
                         "malformed JSON at byte 1: trailing data after the "
                         "value");
}
END_TEST

START_TEST(parse_only_given_bytes)
{
        /* The bytes after len are not part of the value. */
        const struct json_value *v = parse_len("[12]garbage", 4, DEPTH);
        ck_assert_ptr_nonnull(v);
        ck_assert_uint_eq(v->u.array.count, 1);
        v = parse_len("123", 2, DEPTH);
        ck_assert_str_eq(v->u.number.text, "12");
}
END_TEST

/* ---- duplicates in large objects ---- */

/* Appends n members "k0".."k<n-1>" with numbers as values. */
static void append_members(struct buf *b, int n)
{
        for (int k = 0; k < n; k++)
                buf_printf(b, "%s\"k%d\":%d", k ? "," : "", k, k);
}

START_TEST(duplicate_in_large_object)
{
        struct buf b = BUF_INIT;
        buf_append_char(&b, '{');
        append_members(&b, 1000);
        size_t offset = b.len + 1;
        buf_append_str(&b, ",\"k500\":0}");
        ck_assert_ptr_null(parse_len(b.data, b.len, DEPTH));
        ck_assert_int_eq(err, JSON_ERR_DUPLICATE);
        char expected[64];
        snprintf(expected, sizeof(expected),
                 "duplicate member name \"k500\" at byte %zu", offset);
        ck_assert_str_eq(errstr, expected);
        buf_free(&b);
}
END_TEST

START_TEST(large_object_unique_names)
{
        struct buf b = BUF_INIT;
        buf_append_char(&b, '{');
        append_members(&b, 1000);
        buf_append_char(&b, '}');
        const struct json_value *v = parse_len(b.data, b.len, DEPTH);
        ck_assert_msg(v != NULL, "%s", errstr);
        ck_assert_uint_eq(v->u.object.count, 1000);
        ck_assert_int_eq(json_object_get(v, "k999")->u.number.i, 999);
        buf_free(&b);
}
END_TEST

START_TEST(long_names_in_large_object)
{
        /* Names longer than 8 bytes that differ only after byte 8. */
        struct buf b = BUF_INIT;
        buf_append_char(&b, '{');
        for (int k = 0; k < 40; k++)
                buf_printf(&b, "%s\"workflowInstance%d\":%d", k ? "," : "", k,
                           k);
        buf_append_str(&b, ",\"abcdefgh1\":1,\"abcdefgh2\":2}");
        const struct json_value *v = parse_len(b.data, b.len, DEPTH);
        ck_assert_msg(v != NULL, "%s", errstr);
        ck_assert_uint_eq(v->u.object.count, 42);
        ck_assert_int_eq(json_object_get(v, "abcdefgh2")->u.number.i, 2);

        b.len -= 1;
        buf_append_str(&b, ",\"workflowInstance37\":0}");
        ck_assert_ptr_null(parse_len(b.data, b.len, DEPTH));
        ck_assert_int_eq(err, JSON_ERR_DUPLICATE);
        ck_assert_ptr_nonnull(strstr(errstr, "\"workflowInstance37\""));
        buf_free(&b);
}
END_TEST

START_TEST(duplicate_after_nested_large_object)
{
        /* The outer index must survive the inner object's index. */
        struct buf b = BUF_INIT;
        buf_append_char(&b, '{');
        append_members(&b, 20);
        buf_append_str(&b, ",\"inner\":{");
        append_members(&b, 40);
        buf_append_str(&b, "},\"k21\":1,\"k3\":2}");
        ck_assert_ptr_null(parse_len(b.data, b.len, DEPTH));
        ck_assert_int_eq(err, JSON_ERR_DUPLICATE);
        ck_assert_ptr_nonnull(strstr(errstr, "\"k3\""));
        buf_free(&b);
}
END_TEST

/* ---- depth ---- */

static char *nested_arrays(size_t depth)
{
        char *text = malloc(2 * depth + 1);
        memset(text, '[', depth);
        memset(text + depth, ']', depth);
        text[2 * depth] = '\0';
        return text;
}

START_TEST(depth_at_limit_accepted)
{
        ck_assert_ptr_nonnull(parse_len("[[[1]]]", 7, 3));
        ck_assert_ptr_nonnull(parse_len("{\"a\":[{}]}", 10, 3));
        ck_assert_ptr_nonnull(parse_len("7", 1, 0));
}
END_TEST

START_TEST(depth_over_limit_rejected)
{
        ck_assert_ptr_null(parse_len("[[[[1]]]]", 9, 3));
        ck_assert_int_eq(err, JSON_ERR_DEPTH);
        ck_assert_str_eq(errstr, "JSON nested deeper than 3 levels");
        ck_assert_ptr_null(parse_len("{\"a\":[{\"b\":{}}]}", 16, 3));
        ck_assert_int_eq(err, JSON_ERR_DEPTH);
        ck_assert_ptr_null(parse_len("[]", 2, 0));
        ck_assert_str_eq(errstr, "JSON nested deeper than 0 levels");
        ck_assert_ptr_null(parse_len("[[]]", 4, 1));
        ck_assert_str_eq(errstr, "JSON nested deeper than 1 level");
}
END_TEST

START_TEST(depth_400000_brackets_rejected)
{
        size_t n = 400000;
        char *text = malloc(n);
        memset(text, '[', n);
        ck_assert_ptr_null(parse_len(text, n, DEPTH));
        ck_assert_int_eq(err, JSON_ERR_DEPTH);
        ck_assert_str_eq(errstr, "JSON nested deeper than 128 levels");
        free(text);
}
END_TEST

START_TEST(deep_value_written_and_compared)
{
        /* Parsing, writing and comparing do not recurse. */
        size_t n = 200000;
        char *text = nested_arrays(n);
        const struct json_value *a = parse_len(text, 2 * n, n);
        ck_assert_msg(a != NULL, "%s", errstr);
        const struct json_value *b = parse_len(text, 2 * n, n);
        ck_assert_int_eq(json_equal(a, b), 1);
        struct buf out = BUF_INIT;
        json_write(a, &out);
        ck_assert_uint_eq(out.len, 2 * n);
        ck_assert_int_eq(memcmp(out.data, text, 2 * n), 0);
        buf_free(&out);
        free(text);
}
END_TEST

/* ---- U+0000 ---- */

START_TEST(nul_escape_in_string)
{
        const struct json_value *v = parse("\"a\\u0000b\"");
        ck_assert_ptr_nonnull(v);
        ck_assert_uint_eq(v->u.string.len, 3);
        ck_assert_mem_eq(v->u.string.s, "a\0b", 4);
}
END_TEST

START_TEST(nul_escape_in_key)
{
        const struct json_value *v = parse("{\"k\\u0000\":1,\"k\":2}");
        ck_assert_msg(v != NULL, "%s", errstr);
        ck_assert_uint_eq(v->u.object.members[0].key_len, 2);
        ck_assert_mem_eq(v->u.object.members[0].key, "k\0", 3);
        ck_assert_int_eq(json_object_getn(v, "k\0", 2)->u.number.i, 1);
        ck_assert_int_eq(json_object_get(v, "k")->u.number.i, 2);
        struct buf out = BUF_INIT;
        json_write(v, &out);
        ck_assert_str_eq(out.data, "{\"k\\u0000\":1,\"k\":2}");
        buf_free(&out);
}
END_TEST

/* ---- numbers ---- */

struct number_case {
        const char *text;
        int is_integer;
        int fits_int64;
        int64_t i;
        const char *type_name;
};

static const struct number_case number_cases[] = {
        {"0", 1, 1, 0, "integer"},
        {"-0", 1, 1, 0, "integer"},
        {"1.0", 1, 1, 1, "integer"},
        {"1e2", 1, 1, 100, "integer"},
        {"1E+2", 1, 1, 100, "integer"},
        {"1.5e1", 1, 1, 15, "integer"},
        {"100e-2", 1, 1, 1, "integer"},
        {"0.1e1", 1, 1, 1, "integer"},
        {"-0.0e-5", 1, 1, 0, "integer"},
        {"1e-1", 0, 0, 0, "number"},
        {"1.5", 0, 0, 0, "number"},
        {"-2.25", 0, 0, 0, "number"},
        {"1e400", 1, 0, 0, "integer"},
        {"1e999999999", 1, 0, 0, "integer"},
        {"1e-999999999", 0, 0, 0, "number"},
        {"1e99999999999999999999", 1, 0, 0, "integer"},
        {"1e-99999999999999999999", 0, 0, 0, "number"},
        {"0e99999999999999999999", 1, 1, 0, "integer"},
        {"9223372036854775807", 1, 1, INT64_MAX, "integer"},
        {"9223372036854775808", 1, 0, 0, "integer"},
        {"-9223372036854775808", 1, 1, INT64_MIN, "integer"},
        {"-9223372036854775809", 1, 0, 0, "integer"},
        {"922337203685477580.7e1", 1, 1, INT64_MAX, "integer"},
        {"12345678901234567890e-1", 1, 1, 1234567890123456789, "integer"},
        {"12345678901234567890e-2", 0, 0, 0, "number"},
        {"1234567890123456789.0e0", 1, 1, 1234567890123456789, "integer"},
        {"123456789012345678901234567890", 1, 0, 0, "integer"},
        {"9007199254740993", 1, 1, 9007199254740993, "integer"},
};

START_TEST(number_row)
{
        const struct number_case *c = &number_cases[_i];
        const struct json_value *v = parse(c->text);
        ck_assert_msg(v != NULL, "%s: %s", c->text, errstr);
        ck_assert_str_eq(v->u.number.text, c->text);
        ck_assert_msg(v->u.number.is_integer == c->is_integer,
                      "%s: is_integer %d", c->text, v->u.number.is_integer);
        ck_assert_msg(v->u.number.fits_int64 == c->fits_int64,
                      "%s: fits_int64 %d", c->text, v->u.number.fits_int64);
        if (c->fits_int64)
                ck_assert_int_eq(v->u.number.i, c->i);
        ck_assert_str_eq(json_type_name(v), c->type_name);
}
END_TEST

START_TEST(number_doubles)
{
        ck_assert(isinf(parse("1e400")->u.number.d));
        ck_assert(parse("1e400")->u.number.d > 0);
        ck_assert(isinf(parse("-1e999999999")->u.number.d));
        ck_assert_double_eq(parse("1e-400")->u.number.d, 0.0);
        ck_assert_double_eq(parse("0.1")->u.number.d, 0.1);
        ck_assert_double_eq(parse("123456789012345678901234567890")
                                    ->u.number.d,
                            123456789012345678901234567890.0);
        ck_assert(signbit(parse("-0")->u.number.d));
        ck_assert(signbit(parse("-0.0")->u.number.d));
}
END_TEST

struct cmp_case {
        const char *a;
        const char *b;
        int expected;
};

static const struct cmp_case cmp_cases[] = {
        {"9007199254740993", "9007199254740992", 1},
        {"9007199254740992", "9007199254740993", -1},
        {"9007199254740993.0", "9007199254740992e0", 1},
        {"-0", "0", 0},
        {"-0.0", "0e5", 0},
        {"1.0", "1", 0},
        {"100", "1e2", 0},
        {"1", "10e-1", 0},
        {"0.1", "0.10", 0},
        {"0.1", "1e-1", 0},
        {"123.456", "123.4560001", -1},
        {"-5", "-4", -1},
        {"-1.5", "-1.25", -1},
        {"1e400", "1e401", -1},
        {"1e400", "10e399", 0},
        {"-1e400", "1e400", -1},
        {"1e-400", "2e-400", -1},
        {"-1e-400", "0", -1},
        {"1e999999999", "1e999999998", 1},
        {"1e999999999", "1e400", 1},
        {"1e99999999999999999999", "1e99999999999999999998", 1},
        {"10e99999999999999999999", "1e100000000000000000000", 0},
        {"1e-99999999999999999999", "0", 1},
        {"1e-99999999999999999999", "1e-99999999999999999998", -1},
        {"1e18446744073709551616", "1e18446744073709551615", 1},
        {"1e-9223372036854775809", "1e-9223372036854775808", -1},
        {"0.001e9223372036854775810", "1e9223372036854775807", 0},
        {"1e99999999999999999999", "-1e99999999999999999999", 1},
        {"-1e99999999999999999999", "-1e99999999999999999998", -1},
        {"1e99999999999999999999", "1e10000000000000000000", 1},
        {"1e-99999999999999999999", "1e-10000000000000000000", -1},
        {"1e100000000000000000000", "1e99999999999999999999", 1},
        {"99999999999999999999", "1e20", -1},
        {"123456789012345678901234567890",
         "123456789012345678901234567891", -1},
};

START_TEST(number_cmp_row)
{
        const struct cmp_case *c = &cmp_cases[_i];
        const struct json_value *a = parse(c->a);
        ck_assert_msg(a != NULL, "%s: %s", c->a, errstr);
        const struct json_value *b = parse(c->b);
        ck_assert_msg(b != NULL, "%s: %s", c->b, errstr);
        ck_assert_msg(json_number_cmp(a, b) == c->expected,
                      "cmp(%s, %s) = %d, expected %d", c->a, c->b,
                      json_number_cmp(a, b), c->expected);
        ck_assert_msg(json_number_cmp(b, a) == -c->expected,
                      "cmp(%s, %s) = %d, expected %d", c->b, c->a,
                      json_number_cmp(b, a), -c->expected);
}
END_TEST

START_TEST(number_constructors)
{
        struct json_value *v = json_new_int(doc, INT64_MIN);
        ck_assert_str_eq(v->u.number.text, "-9223372036854775808");
        ck_assert_int_eq(v->u.number.fits_int64, 1);
        ck_assert_int_eq(v->u.number.i, INT64_MIN);
        struct json_value *w = json_new_number_text(doc, "-92233720368547758"
                                                         "08.000xyz",
                                                    24);
        ck_assert_str_eq(w->u.number.text, "-9223372036854775808.000");
        ck_assert_int_eq(w->u.number.i, INT64_MIN);
        ck_assert_int_eq(json_number_cmp(v, w), 0);
        ck_assert_int_eq(json_number_cmp(json_new_int(doc, 2), w), 1);
}
END_TEST

/* ---- equality ---- */

struct equal_case {
        const char *a;
        const char *b;
        int expected;
};

static const struct equal_case equal_cases[] = {
        {"{\"a\":1,\"b\":[true,null]}", "{\"b\":[true,null],\"a\":1}", 1},
        {"{\"a\":1,\"b\":2,\"c\":3}", "{\"c\":3,\"a\":1,\"b\":2}", 1},
        {"{\"a\":1,\"b\":2}", "{\"a\":1,\"c\":2}", 0},
        {"{\"a\":1}", "{\"a\":1,\"b\":2}", 0},
        {"{\"a\":{\"x\":[1,2]}}", "{\"a\":{\"x\":[2,1]}}", 0},
        {"[1,2.0,1e2]", "[1.0,2,100]", 1},
        {"[1,2]", "[1,2,3]", 0},
        {"\"a\\u0000\"", "\"a\"", 0},
        {"\"\\u00e9\"", "\"\xC3\xA9\"", 1},
        {"1", "true", 0},
        {"1", "\"1\"", 0},
        {"null", "null", 1},
        {"false", "false", 1},
        {"true", "false", 0},
        {"[]", "{}", 0},
        {"-0", "0", 1},
        {"9007199254740993", "9007199254740992", 0},
};

START_TEST(equal_row)
{
        const struct equal_case *c = &equal_cases[_i];
        const struct json_value *a = parse(c->a);
        ck_assert_msg(a != NULL, "%s: %s", c->a, errstr);
        const struct json_value *b = parse(c->b);
        ck_assert_msg(b != NULL, "%s: %s", c->b, errstr);
        ck_assert_msg(json_equal(a, b) == c->expected, "equal(%s, %s)", c->a,
                      c->b);
        ck_assert_msg(json_equal(b, a) == c->expected, "equal(%s, %s)", c->b,
                      c->a);
}
END_TEST

/* ---- writer ---- */

START_TEST(write_compact_round_trip)
{
        char *out = rewrite(" { \"a\" : [ 1 , 2.50 , -0 , 1E+2 , true , "
                            "null ] ,\n\t\"b\" : { } , \"c\" : [ ] } ");
        ck_assert_str_eq(out,
                         "{\"a\":[1,2.50,-0,1E+2,true,null],\"b\":{},"
                         "\"c\":[]}");
        free(out);
}
END_TEST

START_TEST(write_escapes_strings)
{
        char *out = rewrite("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f"
                            "\\u007f\\u00e9\\ud83d\\ude00\"");
        ck_assert_str_eq(out, "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f"
                              "\xC3\xA9\xF0\x9F\x98\x80\"");
        free(out);
}
END_TEST

START_TEST(write_escapes_all_controls)
{
        char raw[32];
        for (int c = 0; c < 32; c++)
                raw[c] = (char)c;
        struct json_value *v = json_new_string(doc, raw, sizeof(raw));
        struct buf out = BUF_INIT;
        json_write(v, &out);
        ck_assert_str_eq(out.data,
                         "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005"
                         "\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e"
                         "\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014"
                         "\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a"
                         "\\u001b\\u001c\\u001d\\u001e\\u001f\"");
        /* The written text parses back to the same string. */
        const struct json_value *back = parse_len(out.data, out.len, DEPTH);
        ck_assert_ptr_nonnull(back);
        ck_assert_int_eq(json_equal(v, back), 1);
        buf_free(&out);
}
END_TEST

START_TEST(write_workflow_event_round_trip)
{
        size_t len;
        char *text = read_test_file("workflow_event.json", &len);
        const struct json_value *v = parse_len(text, len, DEPTH);
        ck_assert_msg(v != NULL, "%s", errstr);
        struct buf out = BUF_INIT;
        json_write(v, &out);
        /* The file is compact JSON with one trailing newline. */
        ck_assert_uint_eq(out.len, len - 1);
        ck_assert_int_eq(memcmp(out.data, text, out.len), 0);
        const struct json_value *back = parse_len(out.data, out.len, DEPTH);
        ck_assert_int_eq(json_equal(v, back), 1);
        buf_free(&out);
        free(text);
}
END_TEST

/* ---- constructors ---- */

START_TEST(array_append_grows)
{
        struct json_value *a = json_new_array(doc);
        for (int k = 0; k < 100; k++)
                json_array_append(doc, a, json_new_int(doc, k));
        ck_assert_uint_eq(a->u.array.count, 100);
        ck_assert(a->u.array.cap >= 100);
        for (int k = 0; k < 100; k++)
                ck_assert_int_eq(a->u.array.items[k]->u.number.i, k);
}
END_TEST

START_TEST(append_to_parsed_array)
{
        struct json_value *a = (struct json_value *)parse("[1,2]");
        json_array_append(doc, a, json_new_null(doc));
        struct buf out = BUF_INIT;
        json_write(a, &out);
        ck_assert_str_eq(out.data, "[1,2,null]");
        buf_free(&out);
}
END_TEST

START_TEST(object_set_replaces)
{
        struct json_value *o = json_new_object(doc);
        json_object_set(doc, o, "a", 1, json_new_bool(doc, 7));
        json_object_set(doc, o, "b", 1, json_new_string(doc, "x", 1));
        json_object_set(doc, o, "a", 1, json_new_int(doc, 3));
        for (int k = 0; k < 20; k++) {
                char key[8];
                int n = snprintf(key, sizeof(key), "k%d", k);
                json_object_set(doc, o, key, (size_t)n, json_new_null(doc));
        }
        ck_assert_uint_eq(o->u.object.count, 22);
        ck_assert_str_eq(o->u.object.members[0].key, "a");
        ck_assert_int_eq(json_object_get(o, "a")->u.number.i, 3);
        struct buf out = BUF_INIT;
        json_write(json_object_get(o, "b"), &out);
        ck_assert_str_eq(out.data, "\"x\"");
        buf_clear(&out);
        json_write(json_new_bool(doc, 7), &out);
        ck_assert_str_eq(out.data, "true");
        buf_free(&out);
}
END_TEST

struct type_case {
        const char *text;
        const char *name;
};

static const struct type_case type_cases[] = {
        {"null", "null"},     {"false", "boolean"}, {"-3", "integer"},
        {"3.0", "integer"},   {"3.5", "number"},    {"\"s\"", "string"},
        {"[1]", "array"},     {"{}", "object"},
};

START_TEST(type_name_row)
{
        const struct json_value *v = parse(type_cases[_i].text);
        ck_assert_ptr_nonnull(v);
        ck_assert_str_eq(json_type_name(v), type_cases[_i].name);
}
END_TEST

/* ---- JSON pointer ---- */

static const char pointer_doc[] =
        "{\"a/b\":{\"m~n\":[10,20]},\"\":1,\"arr\":[0,1,2,3,4,5,6,7,8,9,10,"
        "11],\"s\":\"x\"}";

struct pointer_case {
        const char *pointer;
        const char *expected; /* written value, NULL if not found */
};

static const struct pointer_case pointer_cases[] = {
        {"", NULL}, /* the root, checked separately */
        {"/a~1b/m~0n/1", "20"},
        {"/a~1b/m~0n", "[10,20]"},
        {"/", "1"},
        {"/arr/0", "0"},
        {"/arr/11", "11"},
        {"/arr/12", NULL},
        {"/arr/00", NULL},
        {"/arr/01", NULL},
        {"/arr/-", NULL},
        {"/arr/", NULL},
        {"/arr/1x", NULL},
        {"/arr/18446744073709551616", NULL},
        {"/a~2b", NULL},
        {"/a~", NULL},
        {"/a/b", NULL},
        {"/missing", NULL},
        {"/s/0", NULL},
        {"a", NULL},
};

START_TEST(pointer_get_row)
{
        const struct pointer_case *c = &pointer_cases[_i];
        const struct json_value *root = parse(pointer_doc);
        ck_assert_ptr_nonnull(root);
        const struct json_value *v =
                json_pointer_get(root, c->pointer, strlen(c->pointer));
        if (c->pointer[0] == '\0') {
                ck_assert_ptr_eq(v, root);
                return;
        }
        if (!c->expected) {
                ck_assert_msg(v == NULL, "%s found", c->pointer);
                return;
        }
        ck_assert_msg(v != NULL, "%s not found", c->pointer);
        struct buf out = BUF_INIT;
        json_write(v, &out);
        ck_assert_str_eq(out.data, c->expected);
        buf_free(&out);
}
END_TEST

START_TEST(pointer_append_escapes)
{
        struct buf p = BUF_INIT;
        json_pointer_append(&p, "a/b~c", 5);
        json_pointer_append(&p, "", 0);
        json_pointer_append(&p, "~~//", 4);
        ck_assert_str_eq(p.data, "/a~1b~0c//~0~0~1~1");
        buf_free(&p);
}
END_TEST

START_TEST(pointer_append_then_get)
{
        const struct json_value *root = parse(pointer_doc);
        struct buf p = BUF_INIT;
        json_pointer_append(&p, "a/b", 3);
        json_pointer_append(&p, "m~n", 3);
        json_pointer_append(&p, "0", 1);
        const struct json_value *v = json_pointer_get(root, p.data, p.len);
        ck_assert_ptr_nonnull(v);
        ck_assert_int_eq(v->u.number.i, 10);
        buf_free(&p);
}
END_TEST

/* ---- document reuse ---- */

START_TEST(reset_reuses_memory)
{
        size_t len;
        char *text = read_test_file("workflow_event.json", &len);
        const struct json_value *first = parse_len(text, len, DEPTH);
        ck_assert_ptr_nonnull(first);
        for (int round = 0; round < 1000; round++) {
                json_doc_reset(doc);
                const struct json_value *v = parse_len(text, len, DEPTH);
                ck_assert_ptr_nonnull(v);
                /* The arena hands out the same memory again. */
                ck_assert_ptr_eq(v, first);
        }
        const struct json_value *status =
                json_pointer_get(first, "/payload/status", 15);
        ck_assert_str_eq(status->u.string.s, "FAILED");
        free(text);
}
END_TEST

START_TEST(reset_after_large_document)
{
        /* A document larger than the first chunks, then a small one. */
        struct buf b = BUF_INIT;
        buf_append_char(&b, '[');
        for (int k = 0; k < 50000; k++)
                buf_printf(&b, "%s\"%d\"", k ? "," : "", k);
        buf_append_char(&b, ']');
        for (int round = 0; round < 3; round++) {
                json_doc_reset(doc);
                const struct json_value *v = parse("{\"a\":[1,2,3]}");
                ck_assert_ptr_nonnull(v);
                const struct json_value *big =
                        parse_len(b.data, b.len, DEPTH);
                ck_assert_ptr_nonnull(big);
                ck_assert_uint_eq(big->u.array.count, 50000);
                ck_assert_str_eq(big->u.array.items[49999]->u.string.s,
                                 "49999");
                ck_assert_int_eq(
                        json_object_get(v, "a")->u.array.items[2]->u.number.i,
                        3);
        }
        buf_free(&b);
}
END_TEST

START_TEST(reuse_after_large_escaped_string)
{
        /* yajl's buffers grow for a long escaped string and a deep value,
         * then serve smaller documents from the same document's pool. */
        struct buf big = BUF_INIT;
        buf_append_str(&big, "[\"");
        for (int k = 0; k < 20000; k++)
                buf_append_str(&big, "ab\\n\\u00e9");
        buf_append_str(&big, "\"]");
        char *deep = nested_arrays(5000);
        for (int round = 0; round < 3; round++) {
                json_doc_reset(doc);
                const struct json_value *v =
                        parse_len(big.data, big.len, DEPTH);
                ck_assert_msg(v != NULL, "%s", errstr);
                ck_assert_uint_eq(v->u.array.items[0]->u.string.len,
                                  20000 * 5);
                ck_assert_ptr_nonnull(parse_len(deep, 10000, 5000));
                v = parse("{\"a\":\"x\\ty\"}");
                ck_assert_str_eq(json_object_get(v, "a")->u.string.s, "x\ty");
        }
        free(deep);
        buf_free(&big);
}
END_TEST

START_TEST(object_append_keeps_order_and_key)
{
        struct json_value *obj = json_new_object(doc);
        static const char key[] = "workflowName";
        for (int i = 0; i < 100; i++)
                json_object_append(doc, obj, key, sizeof(key) - 1,
                                   json_new_int(doc, i));
        ck_assert_uint_eq(obj->u.object.count, 100);
        /* Borrowed, not copied. */
        ck_assert_ptr_eq(obj->u.object.members[0].key, key);
        ck_assert_int_eq(obj->u.object.members[99].value->u.number.i, 99);
        ck_assert_int_eq(json_object_get(obj, "workflowName")->u.number.i, 0);
}
END_TEST

struct decimal_case {
        const char *text;
        int is_integer;
};

/* Short decimals are converted without strtod(), longer ones with it, and
 * both must give the double that strtod() returns. */
static const struct decimal_case decimal_cases[] = {
        {"132.72", 0},
        {"-0.5", 0},
        {"0.1", 0},
        {"0.3", 0},
        {"-43604121210.0000060", 0},
        {"123456789012.345", 0},
        {"999999999999999.9", 0},
        {"0.000000000000001", 0},
        {"0.0000000000000001", 0},
        {"9007199254740993.5", 0},
        {"2.000", 1},
        {"-0.000", 1},
        {"1.5e1", 1},
        {"-2.25E-3", 0},
};

START_TEST(decimal_matches_strtod)
{
        const struct decimal_case *c = &decimal_cases[_i];
        const struct json_value *v = parse(c->text);
        ck_assert_msg(v != NULL, "%s: %s", c->text, errstr);
        double expected = strtod(c->text, NULL);
        ck_assert_msg(memcmp(&v->u.number.d, &expected, sizeof(double)) == 0,
                      "%s: %a, strtod() %a", c->text, v->u.number.d,
                      expected);
        ck_assert_int_eq(v->u.number.is_integer, c->is_integer);
}
END_TEST

struct int_case {
        int64_t i;
        const char *text;
};

static const struct int_case int_cases[] = {
        {0, "0"},
        {7, "7"},
        {-1, "-1"},
        {10, "10"},
        {-1000, "-1000"},
        {INT64_C(1772356502117), "1772356502117"},
        {INT64_MAX, "9223372036854775807"},
        {INT64_MIN, "-9223372036854775808"},
};

START_TEST(new_int_row)
{
        const struct int_case *c = &int_cases[_i];
        const struct json_value *v = json_new_int(doc, c->i);
        ck_assert_str_eq(v->u.number.text, c->text);
        ck_assert_uint_eq(v->u.number.len, strlen(c->text));
        ck_assert_int_eq(v->u.number.i, c->i);
        ck_assert_int_eq(v->u.number.is_integer, 1);
        ck_assert_int_eq(v->u.number.fits_int64, 1);
        ck_assert_double_eq(v->u.number.d, (double)c->i);
}
END_TEST

/* ---- escapes at every offset ---- */

/*
 * Builds an object whose key and value contain escaped quotes and
 * backslashes after runs of pad bytes, so that the escapes fall at every
 * place of an eight-byte word. e_acute is the letter, escaped or in UTF-8.
 */
static void escaped_member_text(size_t pad, const char *e_acute,
                                struct buf *text)
{
        buf_append_str(text, "{\"");
        for (size_t k = 0; k < pad; k++)
                buf_append_char(text, 'a');
        buf_append_str(text, "\\\"k\":\"");
        for (size_t k = 0; k < pad; k++)
                buf_append_char(text, 'b');
        buf_append_str(text, "\\\"");
        for (size_t k = 0; k < pad; k++)
                buf_append_char(text, 'c');
        buf_append_str(text, "\\\\x");
        buf_append_str(text, e_acute);
        buf_append_str(text, "\\\\\\\"");
        for (size_t k = 0; k < pad; k++)
                buf_append_char(text, 'd');
        buf_append_str(text, "\"}");
}

START_TEST(escapes_at_every_offset)
{
        size_t pad = (size_t)_i;
        struct buf text = BUF_INIT;
        struct buf key = BUF_INIT;
        struct buf value = BUF_INIT;
        escaped_member_text(pad, "\\u00e9", &text);
        for (size_t k = 0; k < pad; k++)
                buf_append_char(&key, 'a');
        buf_append_str(&key, "\"k");
        for (size_t k = 0; k < pad; k++)
                buf_append_char(&value, 'b');
        buf_append_char(&value, '"');
        for (size_t k = 0; k < pad; k++)
                buf_append_char(&value, 'c');
        buf_append_str(&value, "\\x\xC3\xA9\\\"");
        for (size_t k = 0; k < pad; k++)
                buf_append_char(&value, 'd');

        const struct json_value *v = parse_len(text.data, text.len, DEPTH);
        ck_assert_msg(v != NULL, "%s: %s", text.data, errstr);
        ck_assert_uint_eq(v->u.object.count, 1);
        ck_assert_str_eq(v->u.object.members[0].key, key.data);
        ck_assert_uint_eq(v->u.object.members[0].key_len, key.len);
        const struct json_value *s = v->u.object.members[0].value;
        ck_assert_str_eq(s->u.string.s, value.data);
        ck_assert_uint_eq(s->u.string.len, value.len);

        /* Written back with the same escapes, and the letter in UTF-8. */
        struct buf out = BUF_INIT;
        struct buf expected = BUF_INIT;
        json_write(v, &out);
        escaped_member_text(pad, "\xC3\xA9", &expected);
        ck_assert_str_eq(out.data, expected.data);
        buf_free(&out);
        buf_free(&expected);
        buf_free(&text);
        buf_free(&key);
        buf_free(&value);
}
END_TEST

START_TEST(unpaired_surrogate_after_padding)
{
        /* The error offset is that of the escape, after pad bytes. */
        size_t pad = (size_t)_i;
        struct buf text = BUF_INIT;
        buf_append_str(&text, "[\"");
        for (size_t k = 0; k < pad; k++)
                buf_append_str(&text, k % 3 == 0 ? "\\\"" : "z");
        buf_append_str(&text, "\\ud800x\"]");
        ck_assert_ptr_null(parse_len(text.data, text.len, DEPTH));
        ck_assert_int_eq(err, JSON_ERR_SYNTAX);
        char expected[128];
        size_t escape_at = text.len - strlen("\\ud800x\"]");
        snprintf(expected, sizeof(expected),
                 "malformed JSON at byte %zu: unpaired UTF-16 surrogate "
                 "\"\\ud800\" in a string",
                 escape_at);
        ck_assert_str_eq(errstr, expected);
        buf_free(&text);
}
END_TEST

/* ---- copies and ownership ---- */

START_TEST(copy_outlives_source_document)
{
        static const char text[] =
                "{\"k\\u0000\":\"a\\u0000b\",\"n\":[1.5,-0,1e400,"
                "9223372036854775808],\"e\":{},\"a\":[],\"t\":true,"
                "\"z\":null,\"o\":{\"x\":[{\"y\":\"\xC3\xA9\"}]}}";
        struct json_doc *source_doc = json_doc_new();
        const struct json_value *v = json_parse(
                source_doc, text, strlen(text), DEPTH, NULL, NULL, 0);
        ck_assert_ptr_nonnull(v);
        struct json_value *copy = json_copy(doc, v);
        json_doc_destroy(source_doc);

        struct buf out = BUF_INIT;
        json_write(copy, &out);
        ck_assert_str_eq(out.data, text);
        buf_free(&out);
        ck_assert_int_eq(json_doc_owns(doc, copy), 1);
        const struct json_value *n = json_object_get(copy, "n");
        ck_assert(signbit(n->u.array.items[1]->u.number.d));
        ck_assert(isinf(n->u.array.items[2]->u.number.d));
        ck_assert_int_eq(n->u.array.items[3]->u.number.fits_int64, 0);
}
END_TEST

START_TEST(copy_deep_value)
{
        /* Copying does not recurse. */
        size_t n = 200000;
        char *text = nested_arrays(n);
        const struct json_value *v = parse_len(text, 2 * n, n);
        ck_assert_msg(v != NULL, "%s", errstr);
        struct json_value *copy = json_copy(doc, v);
        ck_assert_ptr_ne(copy, v);
        ck_assert_int_eq(json_equal(copy, v), 1);
        free(text);
}
END_TEST

START_TEST(copy_scalar)
{
        struct json_doc *source_doc = json_doc_new();
        const struct json_value *v =
                json_parse(source_doc, "\"x\"", 3, DEPTH, NULL, NULL, 0);
        struct json_value *copy = json_copy(doc, v);
        json_doc_destroy(source_doc);
        ck_assert_int_eq(copy->type, JSON_STRING);
        ck_assert_uint_eq(copy->u.string.len, 1);
        ck_assert_str_eq(copy->u.string.s, "x");
}
END_TEST

START_TEST(owns_only_own_values)
{
        struct json_doc *other = json_doc_new();
        const struct json_value *mine = parse("{\"a\":[1]}");
        const struct json_value *theirs =
                json_parse(other, "{\"a\":[1]}", 9, DEPTH, NULL, NULL, 0);
        ck_assert_ptr_nonnull(theirs);
        ck_assert_int_eq(json_doc_owns(doc, mine), 1);
        ck_assert_int_eq(json_doc_owns(doc, json_object_get(mine, "a")), 1);
        ck_assert_int_eq(json_doc_owns(doc, theirs), 0);
        ck_assert_int_eq(json_doc_owns(other, theirs), 1);
        ck_assert_int_eq(json_doc_owns(other, mine), 0);
        json_doc_destroy(other);
}
END_TEST

START_TEST(owns_nothing_after_reset)
{
        const struct json_value *v = parse("[1,2,3]");
        ck_assert_int_eq(json_doc_owns(doc, v), 1);
        json_doc_reset(doc);
        ck_assert_int_eq(json_doc_owns(doc, v), 0);
}
END_TEST

START_TEST(owns_values_in_later_chunks)
{
        /* Enough values to fill several arena chunks. */
        const struct json_value *first = json_new_int(doc, 1);
        const struct json_value *last = first;
        for (int k = 0; k < 100000; k++)
                last = json_new_string(doc, "abcdefgh", 8);
        ck_assert_int_eq(json_doc_owns(doc, first), 1);
        ck_assert_int_eq(json_doc_owns(doc, last), 1);
        json_doc_reset(doc);
        ck_assert_int_eq(json_doc_owns(doc, last), 0);
}
END_TEST

static TCase *tcase_new(const char *name)
{
        TCase *tc = tcase_create(name);
        tcase_add_checked_fixture(tc, setup, teardown);
        return tc;
}

static Suite *json_suite(void)
{
        Suite *s = suite_create("json");
        TCase *tc;

        tc = tcase_new("parse_valid");
        tcase_add_test(tc, parse_null_true_false);
        tcase_add_test(tc, parse_integer_and_float);
        tcase_add_test(tc, parse_string_escapes_decoded);
        tcase_add_test(tc, parse_raw_utf8_string);
        tcase_add_test(tc, parse_empty_containers);
        tcase_add_test(tc, parse_nested_keeps_order);
        tcase_add_test(tc, parse_workflow_event_file);
        tcase_add_test(tc, parse_success_leaves_errstr);
        tcase_add_test(tc, parse_only_given_bytes);
        suite_add_tcase(s, tc);

        tc = tcase_new("parse_invalid");
        tcase_add_loop_test(tc, parse_invalid_row, 0,
                            sizeof(invalid_cases) / sizeof(invalid_cases[0]));
        tcase_add_test(tc, parse_raw_nul_rejected);
        suite_add_tcase(s, tc);

        tc = tcase_new("duplicate_names");
        tcase_add_test(tc, duplicate_in_large_object);
        tcase_add_test(tc, large_object_unique_names);
        tcase_add_test(tc, long_names_in_large_object);
        tcase_add_test(tc, duplicate_after_nested_large_object);
        suite_add_tcase(s, tc);

        tc = tcase_new("depth_limit");
        tcase_add_test(tc, depth_at_limit_accepted);
        tcase_add_test(tc, depth_over_limit_rejected);
        tcase_add_test(tc, depth_400000_brackets_rejected);
        tcase_add_test(tc, deep_value_written_and_compared);
        suite_add_tcase(s, tc);

        tc = tcase_new("nul_escape");
        tcase_add_test(tc, nul_escape_in_string);
        tcase_add_test(tc, nul_escape_in_key);
        suite_add_tcase(s, tc);

        tc = tcase_new("numbers");
        tcase_add_loop_test(tc, number_row, 0,
                            sizeof(number_cases) / sizeof(number_cases[0]));
        tcase_add_test(tc, number_doubles);
        tcase_add_loop_test(tc, number_cmp_row, 0,
                            sizeof(cmp_cases) / sizeof(cmp_cases[0]));
        tcase_add_test(tc, number_constructors);
        tcase_add_loop_test(tc, decimal_matches_strtod, 0,
                            sizeof(decimal_cases) / sizeof(decimal_cases[0]));
        suite_add_tcase(s, tc);

        tc = tcase_new("equality");
        tcase_add_loop_test(tc, equal_row, 0,
                            sizeof(equal_cases) / sizeof(equal_cases[0]));
        suite_add_tcase(s, tc);

        tc = tcase_new("writer");
        tcase_add_test(tc, write_compact_round_trip);
        tcase_add_test(tc, write_escapes_strings);
        tcase_add_test(tc, write_escapes_all_controls);
        tcase_add_test(tc, write_workflow_event_round_trip);
        suite_add_tcase(s, tc);

        tc = tcase_new("constructors");
        tcase_add_test(tc, array_append_grows);
        tcase_add_test(tc, append_to_parsed_array);
        tcase_add_test(tc, object_set_replaces);
        tcase_add_test(tc, object_append_keeps_order_and_key);
        tcase_add_loop_test(tc, new_int_row, 0,
                            sizeof(int_cases) / sizeof(int_cases[0]));
        tcase_add_loop_test(tc, type_name_row, 0,
                            sizeof(type_cases) / sizeof(type_cases[0]));
        suite_add_tcase(s, tc);

        tc = tcase_new("escape_offsets");
        tcase_add_loop_test(tc, escapes_at_every_offset, 0, 20);
        tcase_add_loop_test(tc, unpaired_surrogate_after_padding, 0, 20);
        suite_add_tcase(s, tc);

        tc = tcase_new("copy");
        tcase_add_test(tc, copy_outlives_source_document);
        tcase_add_test(tc, copy_deep_value);
        tcase_add_test(tc, copy_scalar);
        suite_add_tcase(s, tc);

        tc = tcase_new("ownership");
        tcase_add_test(tc, owns_only_own_values);
        tcase_add_test(tc, owns_nothing_after_reset);
        tcase_add_test(tc, owns_values_in_later_chunks);
        suite_add_tcase(s, tc);

        tc = tcase_new("pointer");
        tcase_add_loop_test(tc, pointer_get_row, 0,
                            sizeof(pointer_cases) / sizeof(pointer_cases[0]));
        tcase_add_test(tc, pointer_append_escapes);
        tcase_add_test(tc, pointer_append_then_get);
        suite_add_tcase(s, tc);

        tc = tcase_new("doc_reset");
        tcase_add_test(tc, reset_reuses_memory);
        tcase_add_test(tc, reset_after_large_document);
        tcase_add_test(tc, reuse_after_large_escaped_string);
        suite_add_tcase(s, tc);

        return s;
}

int main(void)
{
        SRunner *runner = srunner_create(json_suite());
        srunner_run_all(runner, CK_NORMAL);
        int failed = srunner_ntests_failed(runner);
        srunner_free(runner);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
